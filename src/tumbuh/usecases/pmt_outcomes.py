"""Did the fed children do better? The PMT outcome evaluation for a user (docs/pmt.md,
"Outcomes"; the method in docs/methods-programmes.md).

In the connection's one read transaction: the ended child episodes of the user's area
(started in the period asked), and for every month in which one of them had its baseline,
the children of that month's lists who were eligible and not fed
(:func:`tumbuh.db.pmt_evaluation.comparison_children`, one row per later weighing). Both
become the arrays of the pure core (:func:`tumbuh.growth.pmt_comparison.evaluate_city`):
recovery, weight gain and z-score change of the fed against matched comparison children,
by kitchen, kelurahan, funding, indication and for the whole area, with 95 % intervals,
and "too few children" where a row has too few to say anything.

**Scope.** Figures only (no child is named, no NIK or birth date leaves the use case), so
every role reads them for its area: administrators, analysts and partners the city, a
nutritionist her puskesmas area, a kader her posyandu; a kitchen operator nothing
(:class:`NotAllowed`). Episodes and comparison children are cut to the same area: an
episode lies where its child lies, a comparison child at the posyandu of its month.

**Follow-up of an episode**: the checkpoint its exit was judged on (the last one up to
the end); an episode that ended without one (dropped out, moved, referred, or closed
before a weighing) takes the child's next weighing after its start, if any (intention
to treat). Its days count from the baseline for matching and weight gain, and from the
start for the exit rule (:attr:`tumbuh.growth.pmt_outcomes.Episodes.rule_day`).

The comparison children of the city for the months asked are kept in ``memo`` (they do
not depend on the user; the area is cut after), so a second view is quick until the
records change.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.pmt_episodes import kitchens
from tumbuh.db.pmt_evaluation import (
    ComparisonChild,
    EndedEpisode,
    Measured,
    comparison_children_of_months,
    ended_episodes,
)
from tumbuh.db.surveillance.referrals import referral_list
from tumbuh.errors import InputError
from tumbuh.growth.grouping import GroupValue
from tumbuh.growth.periods import Period, month_period
from tumbuh.growth.pmt import EpisodeExit, Funding, Indication, rules_for
from tumbuh.growth.pmt_comparison import (
    MIN_CONTROLS,
    MIN_MATCHED,
    CityOutcomes,
    OutcomeGroup,
    OutcomeSummary,
    SampleSize,
    evaluate_city,
)
from tumbuh.growth.pmt_outcomes import Candidates, Episodes, Measure
from tumbuh.growth.referrals import ReferralRules
from tumbuh.usecases.access import NotAllowed, Role, Scope
from tumbuh.usecases.memo import Memo
from tumbuh.usecases.places import Places, counts_unplaced, posyandu_codes

__all__ = [
    "Estimate",
    "Measure",
    "NotAllowed",
    "OutcomeGroup",
    "OutcomeQuery",
    "OutcomeRow",
    "PmtOutcomes",
    "SampleSize",
    "candidate_arrays",
    "city_candidates",
    "episode_arrays",
    "episode_versions",
    "follow_up",
    "pmt_outcomes",
]

NAN = math.nan


@dataclass(frozen=True)
class OutcomeQuery:
    """Episodes that started from the first day of ``started_from`` to the last of
    ``started_to`` (None: no limit on that side)."""

    started_from: Period | None = None
    started_to: Period | None = None

    def __post_init__(self) -> None:
        first, last = self.started_from, self.started_to
        if first is not None and last is not None and first.start > last.start:
            raise InputError(
                "the period starts in {first} and ends in {last}; give the earlier month first",
                first=first.label,
                last=last.label,
            )


@dataclass(frozen=True)
class Estimate:
    """One measure of one row: the fed and the matched comparison (recovery as a share
    0-1), the difference fed minus comparison and its 95 % interval, over ``n`` matched
    episodes; None where the row is too small or the measure known too rarely."""

    n: int
    fed: float | None
    comparison: float | None
    difference: float | None
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class OutcomeRow:
    """One group: ``code`` its key (a kitchen's number, a kelurahan code, a funding or
    indication value; "" for the whole area) and ``name`` a kitchen's or kelurahan's name
    (None for the others: their words are the labels'); counts, adherence, exits as
    recorded, the naive before/after means of the fed and the matched comparison."""

    grouping: OutcomeGroup
    code: str
    name: str | None
    n_enrolled: int
    n_followed: int  # with a follow-up measurement
    n_matched: int  # with at least one comparison child
    n_controls: int  # distinct comparison children
    too_small: bool
    reason: SampleSize
    adherence: float | None  # mean days served / planned
    exits: dict[EpisodeExit, int]
    before_after: dict[Measure, float | None]
    compared: dict[Measure, Estimate]


@dataclass(frozen=True)
class PmtOutcomes:
    """The evaluation of the user's area: the rows of each grouping (the whole area
    first), the baseline months read, and how many comparison rows and children there
    were to choose from."""

    query: OutcomeQuery
    months: tuple[Period, ...]
    candidate_rows: int
    candidate_children: int
    rows: dict[OutcomeGroup, list[OutcomeRow]]
    min_matched: int
    min_controls: int

    @property
    def whole(self) -> OutcomeRow:
        """The row of the whole area."""
        return self.rows[OutcomeGroup.CITY][0]


def _span(query: OutcomeQuery) -> tuple[date, date] | None:
    if query.started_from is None and query.started_to is None:
        return None
    start = query.started_from.start if query.started_from else date.min
    end = query.started_to.end if query.started_to else date.max
    return start, end


def _month_of(day: date) -> Period:
    return month_period(day.year, day.month)


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def _value(value: float | None) -> float:
    return NAN if value is None else float(value)


def follow_up(episode: EndedEpisode) -> tuple[Measured | None, int | None]:
    """The measurement an episode is followed up with and its day from the start: the
    checkpoint its exit was judged on, else the child's next weighing."""
    if episode.checkpoint is not None:
        return episode.checkpoint, episode.checkpoint_day
    return episode.next_weighing, episode.next_weighing_day


def _episode_fields(e: EndedEpisode) -> dict[str, object]:
    base = e.baseline
    follow, rule_day = follow_up(e)
    days = (follow.on - base.on).days if base is not None and follow is not None else None
    after = follow if days is not None else None
    return {
        "child_id": e.child_id,
        "indication": e.indication.code,
        "version": e.rules_version,
        "sex": e.sex.code,
        "age_months": _value(e.age_months),
        "baseline_month": NAN if base is None else _month_number(base.on),
        "baseline_whz": _value(base.whz if base else None),
        "baseline_waz": _value(base.waz if base else None),
        "baseline_haz": _value(base.haz if base else None),
        "baseline_weight_kg": _value(base.weight_kg if base else None),
        "followup_day": _value(days),
        "followup_whz": _value(after.whz if after else None),
        "followup_waz": _value(after.waz if after else None),
        "followup_haz": _value(after.haz if after else None),
        "followup_weight_kg": _value(after.weight_kg if after else None),
        "episode_id": e.episode_id,
        "kitchen_id": _value(e.kitchen_id),
        "kelurahan": e.kelurahan_code,
        "funding": e.funding.value,
        "planned_days": e.planned_days,
        "served_days": e.served_days,
        "exit_outcome": e.exit.value,
        "rule_day": _value(rule_day if days is not None else None),
    }


def _columns(rows: Sequence[dict[str, object]], names: Sequence[str]) -> dict[str, np.ndarray]:
    """Column arrays by name (object arrays for text, floats or integers otherwise)."""
    found: dict[str, np.ndarray] = {}
    for name in names:
        values = [row[name] for row in rows]
        if any(isinstance(v, str) or v is None for v in values):
            found[name] = np.array(values, dtype=object)
        else:
            found[name] = np.array(values, dtype=np.float64 if values else np.int64)
    return found


_COURSE_FIELDS = (
    "child_id",
    "indication",
    "version",
    "sex",
    "age_months",
    "baseline_month",
    "baseline_whz",
    "baseline_waz",
    "baseline_haz",
    "baseline_weight_kg",
    "followup_day",
    "followup_whz",
    "followup_waz",
    "followup_haz",
    "followup_weight_kg",
)
_EPISODE_FIELDS = (
    *_COURSE_FIELDS,
    "episode_id",
    "kitchen_id",
    "kelurahan",
    "funding",
    "planned_days",
    "served_days",
    "exit_outcome",
    "rule_day",
)


def episode_arrays(ended: Sequence[EndedEpisode]) -> Episodes:
    """The episodes as the core's arrays (built by keyword)."""
    columns = _columns([_episode_fields(e) for e in ended], _EPISODE_FIELDS)
    columns["child_id"] = columns["child_id"].astype(np.int64)
    return Episodes(**columns)


def candidate_arrays(
    children: Sequence[ComparisonChild], versions: Mapping[int, Sequence[str]] | None = None
) -> Candidates:
    """The comparison children as the core's arrays: one row per later weighing and per
    rule version an enrolment of its month could have had (``versions``: by month number,
    those of the month's episodes, since an episode takes the version of its start's year
    and a December list may start in January; without them, the version of the month's
    year). A control is judged by its episode's rule, whatever row it came from."""
    pairs = [(c, version) for c in children for version in _versions(c.month, versions)]
    counts = np.array([len(c.follow_ups) for c, _ in pairs], dtype=np.int64)
    follow_ups = [f for c, _ in pairs for f in c.follow_ups]

    def per_pair(values: list[object], dtype: type | str) -> np.ndarray:
        return np.repeat(np.array(values, dtype=dtype), counts)

    def per_row(values: list[float | None]) -> np.ndarray:
        return np.array([NAN if v is None else v for v in values], dtype=np.float64)

    return Candidates(
        child_id=per_pair([c.child_id for c, _ in pairs], np.int64),
        indication=per_pair([c.indication.code for c, _ in pairs], np.float64),
        version=per_pair([version for _, version in pairs], object),
        sex=per_pair([c.sex.code for c, _ in pairs], np.float64),
        age_months=per_pair([c.age_months for c, _ in pairs], np.float64),
        baseline_month=per_pair([_month_number(c.month) for c, _ in pairs], np.float64),
        baseline_whz=per_pair([_value(c.baseline.whz) for c, _ in pairs], np.float64),
        baseline_waz=per_pair([_value(c.baseline.waz) for c, _ in pairs], np.float64),
        baseline_haz=per_pair([_value(c.baseline.haz) for c, _ in pairs], np.float64),
        baseline_weight_kg=per_pair([_value(c.baseline.weight_kg) for c, _ in pairs], np.float64),
        followup_day=np.array([f.day for f in follow_ups], dtype=np.float64),
        followup_whz=per_row([f.measured.whz for f in follow_ups]),
        followup_waz=per_row([f.measured.waz for f in follow_ups]),
        followup_haz=per_row([f.measured.haz for f in follow_ups]),
        followup_weight_kg=per_row([f.measured.weight_kg for f in follow_ups]),
    )


def _versions(month: date, versions: Mapping[int, Sequence[str]] | None) -> Sequence[str]:
    found = None if versions is None else versions.get(_month_number(month))
    return found or (rules_for(month.year).version,)


def episode_versions(ended: Sequence[EndedEpisode]) -> dict[int, tuple[str, ...]]:
    """The rule versions of the episodes of each baseline month (by month number)."""
    found: dict[int, set[str]] = {}
    for e in ended:
        if e.baseline is not None:
            found.setdefault(_month_number(e.baseline.on), set()).add(e.rules_version)
    return {month: tuple(sorted(v)) for month, v in found.items()}


def city_candidates(
    connection: Connection, places: Places, months: Sequence[Period], rules: ReferralRules
) -> list[ComparisonChild]:
    """The comparison children of the whole city for every month of ``months``."""
    lists = [
        (month, referral_list(connection, month, area=places.city, rules=rules, kind=None))
        for month in months
    ]
    return comparison_children_of_months(connection, lists)


def _in_area(places: Places, scope: Scope) -> Callable[[str | None], bool]:
    allowed = posyandu_codes(places, places.city, scope)
    unplaced = counts_unplaced(places.city, scope)
    return lambda code: code in allowed if code is not None else unplaced


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _rows(
    summary: OutcomeSummary,
    grouping: OutcomeGroup,
    name_of: Callable[[GroupValue], tuple[str, str | None]],
) -> list[OutcomeRow]:
    found = []
    for i, key in enumerate(summary.keys):
        code, name = name_of(key[0]) if key else ("", None)
        found.append(
            OutcomeRow(
                grouping=grouping,
                code=code,
                name=name,
                n_enrolled=int(summary.n_enrolled[i]),
                n_followed=int(summary.n_followed[i]),
                n_matched=int(summary.n_matched[i]),
                n_controls=int(summary.n_controls[i]),
                too_small=bool(summary.too_small[i]),
                reason=SampleSize(int(summary.reason[i])),
                adherence=_optional(float(summary.adherence[i])),
                exits={
                    e: int(summary.exits[e.value][i])
                    for e in EpisodeExit
                    if e.value in summary.exits and summary.exits[e.value][i]
                },
                before_after={m: _optional(float(v[i])) for m, v in summary.before_after.items()},
                compared={
                    m: Estimate(
                        int(c.n[i]),
                        _optional(float(c.fed[i])),
                        _optional(float(c.comparison[i])),
                        _optional(float(c.difference[i])),
                        _optional(float(c.lower[i])),
                        _optional(float(c.upper[i])),
                    )
                    for m, c in summary.comparisons.items()
                },
            )
        )
    return found


def _grouped(
    city: CityOutcomes, places: Places, kitchen_names: dict[int, str]
) -> dict[OutcomeGroup, list[OutcomeRow]]:
    def kitchen(key: GroupValue) -> tuple[str, str | None]:
        number = int(float(key))
        return str(number), kitchen_names.get(number)

    def kelurahan(key: GroupValue) -> tuple[str, str | None]:
        area = places.kelurahan.get(str(key))
        return str(key), area.name if area else None

    def plain(key: GroupValue) -> tuple[str, str | None]:
        return str(key), None

    def indication(key: GroupValue) -> tuple[str, str | None]:
        return list(Indication)[int(key)].value, None

    def by_name(row: OutcomeRow) -> tuple[str, str]:
        return ((row.name or row.code).casefold(), row.code)

    funding_order = [f.value for f in Funding]
    return {
        OutcomeGroup.CITY: _rows(city.city, OutcomeGroup.CITY, plain),
        OutcomeGroup.KITCHEN: sorted(
            _rows(city.by_kitchen, OutcomeGroup.KITCHEN, kitchen), key=by_name
        ),
        OutcomeGroup.KELURAHAN: sorted(
            _rows(city.by_kelurahan, OutcomeGroup.KELURAHAN, kelurahan), key=by_name
        ),
        OutcomeGroup.FUNDING: sorted(
            _rows(city.by_funding, OutcomeGroup.FUNDING, plain),
            key=lambda r: funding_order.index(r.code),
        ),
        OutcomeGroup.INDICATION: _rows(city.by_indication, OutcomeGroup.INDICATION, indication),
    }


def pmt_outcomes(
    connection: Connection,
    places: Places,
    memo: Memo,
    scope: Scope,
    rules: ReferralRules,
    query: OutcomeQuery,
    *,
    min_matched: int = MIN_MATCHED,
    min_controls: int = MIN_CONTROLS,
) -> PmtOutcomes:
    """The outcome evaluation of the ended episodes of the user's area (module doc);
    :class:`NotAllowed` for a kitchen operator."""
    if scope.role is Role.KITCHEN:
        raise NotAllowed
    inside = _in_area(places, scope)
    ended = [
        e
        for e in ended_episodes(connection, kelurahan=scope.kelurahan, started=_span(query))
        if scope.whole_city or scope.covers_posyandu(e.posyandu_id, e.kelurahan_code)
    ]
    months = tuple(sorted({_month_of(e.baseline.on) for e in ended if e.baseline is not None}))
    pool = memo(
        ("pmt_outcome_candidates", months, rules),
        lambda: city_candidates(connection, places, months, rules),
    )
    chosen = [c for c in pool if inside(c.posyandu_code) and c.follow_ups]
    city = evaluate_city(
        episode_arrays(ended),
        candidate_arrays(chosen, episode_versions(ended)),
        min_matched=min_matched,
        min_controls=min_controls,
    )
    names = {k.id: k.name for k in kitchens(connection, None)}
    return PmtOutcomes(
        query=query,
        months=months,
        candidate_rows=sum(len(c.follow_ups) for c in chosen),
        candidate_children=len({c.child_id for c in chosen}),
        rows=_grouped(city, places, names),
        min_matched=min_matched,
        min_controls=min_controls,
    )
