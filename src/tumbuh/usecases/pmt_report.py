"""The monthly PMT report of the kitchens, as a puskesmas sends it to the Dinkes: per
kitchen, its funding lines in force, the people fed, the servings and serving days, the
average adherence, and the episodes started and ended by exit (docs/kitchens.md).

Counts only: no name, NIK or birth date is read. Administrators and analysts get every
kitchen, a nutritionist the kitchens of her puskesmas working area; the other roles
:class:`NotAllowed`.

**Average adherence** of a kitchen in a month: the mean, over its episodes open during
the month, of the days served from the start of the episode to the month's last day (or
the episode's end, or today, whichever comes first) over the days the kitchen cooked in
that span, at most the days planned (:func:`tumbuh.growth.pmt.adherence`); an episode
with no cooking day yet does not count.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.kitchens import FundingRow, KitchenRow, funding_rows, kitchen_rows
from tumbuh.db.servings import EpisodeSpan, episode_spans, served_days
from tumbuh.growth.kitchens import cooking_days
from tumbuh.growth.periods import Period, last_day
from tumbuh.growth.pmt import EpisodeExit, adherence
from tumbuh.growth.types import DateArray
from tumbuh.usecases.access import NotAllowed, Role, Scope

__all__ = ["KitchenMonth", "NotAllowed", "PmtMonth", "pmt_month"]

REPORT_ROLES = frozenset({Role.ADMIN, Role.ANALYST, Role.NUTRITIONIST})


@dataclass(frozen=True)
class KitchenMonth:
    """One kitchen's month."""

    kitchen: KitchenRow
    funding: list[FundingRow]  # the lines in force for part of the month
    children_fed: int  # children served at least once in the month
    pregnant_fed: int  # pregnant women served at least once
    servings: int
    serving_days: int  # days with at least one serving
    cooking_days: int  # days the kitchen's schedule cooks in the month
    episodes_open: int  # episodes open for part of the month
    adherence: float | None  # mean adherence of those (module doc)
    started: int  # episodes begun in the month
    ended: dict[EpisodeExit, int] = field(default_factory=dict)  # ended in the month, by exit

    @property
    def funding_rp(self) -> int:
        """The amounts of the funding lines in force, added up (whole rupiah)."""
        return sum(f.amount_rp for f in self.funding)


@dataclass(frozen=True)
class PmtMonth:
    """Every kitchen of the scope for one month."""

    month: Period
    kitchens: list[KitchenMonth]
    as_of: date  # the last day counted (the month's last day, or today within it)


def _dates(days: list[date]) -> DateArray:
    return np.array(days, dtype="datetime64[D]")


def _adherence(
    spans: list[EpisodeSpan], served: dict[int, list[date]], weekdays: int, as_of: date
) -> float | None:
    if not spans:
        return None
    until = [min(s.ended_on or as_of, as_of) for s in spans]
    cooked = cooking_days(weekdays, _dates([s.started_on for s in spans]), _dates(until))
    expected = np.minimum(cooked, np.array([s.planned_days for s in spans], dtype=np.int64))
    counted = np.array(
        [sum(d <= u for d in served.get(s.id, [])) for s, u in zip(spans, until, strict=True)],
        dtype=np.int64,
    )
    shares = adherence(counted, expected)
    known = shares[~np.isnan(shares)]
    return float(known.mean()) if known.size else None


def _kitchen_month(
    kitchen: KitchenRow,
    spans: list[EpisodeSpan],
    served: dict[int, list[date]],
    lines: list[FundingRow],
    window: tuple[date, date, date],
) -> KitchenMonth:
    first, last, as_of = window
    in_month = {s.id: [d for d in served.get(s.id, []) if first <= d <= last] for s in spans}
    fed = [s for s in spans if in_month[s.id]]
    ended = Counter(
        s.exit for s in spans if s.ended_on and first <= s.ended_on <= last and s.exit is not None
    )
    return KitchenMonth(
        kitchen=kitchen,
        funding=lines,
        children_fed=sum(s.is_child for s in fed),
        pregnant_fed=sum(not s.is_child for s in fed),
        servings=sum(len(days) for days in in_month.values()),
        serving_days=len({d for days in in_month.values() for d in days}),
        cooking_days=int(cooking_days(kitchen.weekdays, _dates([first]), _dates([last]))[0]),
        episodes_open=len(spans),
        adherence=_adherence(spans, served, kitchen.weekdays, as_of),
        started=sum(first <= s.started_on <= last for s in spans),
        ended={exit_: ended[exit_] for exit_ in EpisodeExit if ended[exit_]},
    )


def pmt_month(connection: Connection, scope: Scope, month: Period, today: date) -> PmtMonth:
    """The month of every kitchen of the scope (inactive ones too: they may have fed part
    of the month), by kelurahan then name."""
    if scope.role not in REPORT_ROLES:
        raise NotAllowed
    area = (scope.kelurahan or frozenset()) if scope.role is Role.NUTRITIONIST else None
    kitchens = kitchen_rows(connection, kelurahan=area)
    first, last = month.start, last_day(month)
    as_of = max(first, min(last, today))
    ids = [k.id for k in kitchens]
    spans = episode_spans(connection, ids, first, last) if ids else []
    served = served_days(connection, [s.id for s in spans], None, last)
    lines = funding_rows(connection, ids, overlapping=(first, last)) if ids else []
    rows = [
        _kitchen_month(
            k,
            [s for s in spans if s.kitchen_id == k.id],
            served,
            [f for f in lines if f.kitchen_id == k.id],
            (first, last, as_of),
        )
        for k in kitchens
    ]
    return PmtMonth(month, rows, as_of)
