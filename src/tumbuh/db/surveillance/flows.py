"""Cohort flows of stunting between two rounds, per area (:mod:`tumbuh.growth.flows`).

One query gives every child's counted measurement in each round (the register
prevalence's rule: its last valid length/height-for-age z-score of the round) with its
birth date; the flows are then counted per area with grouped sums. A child belongs to the
area of its counted measurement in the second round, or in the first when it was not
measured in the second, so every child is counted exactly once; a child who moved
between posyandu counts in its new area (docs/surveillance.md). The city row counts every
child, also those measured at no posyandu, and its figures of both rounds equal ``tumbuh
report prevalence``'s.

With an age group (:func:`tumbuh.db.prevalence.in_age`), only the children of that group
count, by their age at the measurement that places them (the second round's, or the
first's when not measured in the second): the flows of baduta and of balita 24-59 months
add up to those of all balita.
"""

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.prevalence import AgeChoice, PrevalenceIndicator, in_age
from tumbuh.db.surveillance.areas import AreaKind, AreaLevel, areas_at, city_area
from tumbuh.db.surveillance.counted import CountedRows, counted_rows
from tumbuh.errors import InputError
from tumbuh.growth.ages import BALITA_MONTHS, completed_months
from tumbuh.growth.flows import Flow, FlowTable, RoundTotals, classify, count_flows
from tumbuh.growth.periods import Period, last_day


@dataclass(frozen=True)
class FlowRow(RoundTotals[int]):
    """The flows of one area (code None: children at no posyandu of the city)."""

    code: str | None
    name: str | None
    level: str
    counts: dict[Flow, int]
    stunted_when_last_seen: dict[Flow, int]  # for the three flows of one round


@dataclass(frozen=True)
class ChildFlows:
    """One element per child measured in either round."""

    area_row: np.ndarray  # index into the counted rows: second round if measured, else first
    flow: np.ndarray  # position in FLOWS
    stunted_when_seen: np.ndarray


def child_flows(rows: CountedRows, second: Period) -> ChildFlows:
    """Flow of every child of the counted rows (period 0: first round, 1: second)."""
    stunted = rows.scores().outcome(PrevalenceIndicator.STUNTING.outcome) == 1
    children, inverse = np.unique(rows.child_id, return_inverse=True)
    n = children.shape[0]
    first_row = np.full(n, -1, dtype=np.int64)
    second_row = np.full(n, -1, dtype=np.int64)
    index = np.arange(len(rows))
    in_first = rows.period == 0
    first_row[inverse[in_first]] = index[in_first]
    second_row[inverse[~in_first]] = index[~in_first]
    seen_first, seen_second = first_row >= 0, second_row >= 0
    area_row = np.where(seen_second, second_row, first_row)
    end = np.datetime64(last_day(second), "D")
    birth = rows.birth_date[area_row]
    aged = completed_months(birth, np.full(n, end)) >= BALITA_MONTHS
    flow = classify(
        in_first=seen_first,
        stunted_first=stunted[np.maximum(first_row, 0)],
        in_second=seen_second,
        stunted_second=stunted[np.maximum(second_row, 0)],
        aged_out=aged & ~np.isnat(birth),
    )
    return ChildFlows(area_row, flow, stunted[area_row])


def of_children(flows: ChildFlows, rows: np.ndarray) -> ChildFlows:
    """The flows of the children whose placing row is among ``rows`` (a mask of the
    counted rows)."""
    keep = rows[flows.area_row]
    return ChildFlows(flows.area_row[keep], flows.flow[keep], flows.stunted_when_seen[keep])


def _rows(table: FlowTable, keys: list[tuple[str | None, str | None]], level: str) -> list[FlowRow]:
    return [
        FlowRow(
            code,
            name,
            level,
            {f: int(v[g]) for f, v in table.counts.items()},
            {f: int(v[g]) for f, v in table.stunted_when_last_seen.items()},
        )
        for g, (code, name) in enumerate(keys)
    ]


def cohort_flows(
    connection: Connection,
    first: Period,
    second: Period,
    *,
    city_code: str,
    by: AreaLevel | None = None,
    age: AgeChoice = AgeChoice.ALL,
) -> list[FlowRow]:
    """The city's flows first, then one row per area of level ``by`` (all areas, by code),
    and a last row (code None) for children counted at no posyandu of the city; with
    ``age``, the children of that age group only (module doc)."""
    if first.end > second.start:
        raise InputError(
            "--from {first} must end before --to {second} starts; give the earlier round "
            "first, e.g. --from 2024-02 --to 2024-08",
            first=first.label,
            second=second.label,
        )
    city = city_area(connection, city_code)
    rows = counted_rows(
        connection, [first, second], PrevalenceIndicator.STUNTING.indicators, with_birth_date=True
    )
    flows = of_children(child_flows(rows, second), in_age(rows, age))
    everyone = np.zeros(flows.flow.shape[0], dtype=np.int64)
    result = _rows(
        count_flows(flows.flow, flows.stunted_when_seen, everyone, 1),
        [(city.code, city.name)],
        AreaKind.KOTA.value,
    )
    if by is None:
        return result
    areas = areas_at(connection, by, city_code)
    position = {code: g for g, (code, _) in enumerate(areas)}
    keys = rows.area_codes(AreaKind(by.value))[flows.area_row].tolist()
    group = np.array([position.get(k, len(areas)) for k in keys], dtype=np.int64)
    table = count_flows(flows.flow, flows.stunted_when_seen, group, len(areas) + 1)
    by_area = _rows(table, [*areas, (None, None)], by.value)
    if by_area[-1].children == 0:
        by_area.pop()
    return result + by_area
