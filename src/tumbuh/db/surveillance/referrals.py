"""The month's lists (refer, counsel, re-measure): every child with a reason, at its posyandu.

Reasons are judged by :func:`tumbuh.growth.referrals.referral_reasons` on all the child's
measurements of the month (T and 2T on its last weighing, BGM and the z-score reasons on
its last valid z-scores). A child is listed at the posyandu of its last measurement of the
month. The list holds names, NIK and birth dates, which are personal data (UU PDP
27/2022): callers show them only to users entitled to them, and never log them (the
``tumbuh report referrals`` command masks them unless asked not to).

Where only the numbers are needed (the semester report, users who may not see children),
:func:`referral_counts` and :func:`referral_tallies` judge the same children from the same
single query of the month's measurements and never read a name, NIK or birth date, so
their counts are those of :func:`referral_list` by construction.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import numpy as np
from sqlalchemy import Connection, select

from tumbuh.config import Settings
from tumbuh.db.bulk import chunks
from tumbuh.db.models import Child, table_of
from tumbuh.db.surveillance.areas import Area
from tumbuh.db.surveillance.weighings import MonthRows, month_rows
from tumbuh.growth.ages import completed_months
from tumbuh.growth.enums import Indicator, Sex
from tumbuh.growth.periods import Period
from tumbuh.growth.referrals import (
    DEFAULT_RULES,
    ListKind,
    ReferralReason,
    ReferralRules,
    kind_mask,
    reasons_in,
    referral_reasons,
    value_at,
)
from tumbuh.growth.weight_gain import WeightTrend

ID_CHUNK = 5_000  # ids per IN (...) list, well under SQLite's limit on parameters
EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Referral:
    """A child on one of the month's lists, with the values its reasons were judged on."""

    child_id: int
    name: str
    nik: str | None
    sex: Sex
    birth_date: date
    posyandu_code: str | None
    posyandu_name: str | None
    measured_on: date  # its last measurement of the month
    age_months: int  # completed months on that day
    weight_kg: float | None  # of that measurement
    height_cm: float | None
    muac_cm: float | None
    weight_trend: WeightTrend | None  # of its last weighing of the month
    haz: float | None  # the z-scores the reasons were judged on (None: none valid)
    waz: float | None
    whz: float | None
    oedema: bool  # counted as z = -3.1 in the weight-based reasons
    reasons: tuple[ReferralReason, ...]


def referral_rules(settings: Settings) -> ReferralRules:
    """The referral cut-offs of the configuration (``TUMBUH_BGM_WAZ_BELOW``,
    ``TUMBUH_ABOVE_ORANGE_WAZ``); the others are Permenkes 2/2020's."""
    return ReferralRules(
        bgm_waz_below=settings.bgm_waz_below, above_orange_waz=settings.above_orange_waz
    )


def _day(days: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + days)


def _identities(
    connection: Connection, ids: Sequence[int]
) -> dict[int, tuple[str, str | None, Sex, date]]:
    c = table_of(Child)
    found = {}
    for chunk in chunks(ids, ID_CHUNK):
        query = select(c.c.id, c.c.name, c.c.nik, c.c.sex, c.c.birth_date).where(c.c.id.in_(chunk))
        for row in connection.execute(query):
            found[int(row.id)] = (row.name, row.nik, Sex(row.sex), row.birth_date)
    return found


def _reasons(rows: MonthRows, rules: ReferralRules) -> tuple[np.ndarray, ...]:
    result = referral_reasons(
        child=rows.child_id,
        day=rows.day,
        row_id=rows.measurement_id,
        trend=rows.trend,
        previous_trend=rows.previous_trend,
        zscores=rows.zscores,
        flags=rows.flags,
        oedema=rows.oedema,
        muac_cm=rows.muac_cm,
        age_days=rows.age_days,
        rules=rules,
    )
    return (
        result.child,
        result.last_row,
        result.weighing_row,
        result.reasons,
        np.stack([result.judged_row[i] for i in (Indicator.HAZ, Indicator.WAZ, Indicator.WHZ)]),
    )


def _maybe_all(values: np.ndarray) -> list[float | None]:
    return [None if np.isnan(v) else float(v) for v in values.tolist()]


@dataclass(frozen=True)
class ReferralTally:
    """How many children of one posyandu (code None: at no posyandu) are on the month's
    referral list, in total and by reason (a child with several reasons counts once in
    ``children`` and once under each reason)."""

    posyandu_code: str | None
    children: int
    by_reason: dict[ReferralReason, int]


def _judged(
    connection: Connection,
    month: Period,
    area: Area,
    rules: ReferralRules,
    kind: ListKind | None,
) -> tuple[MonthRows, tuple[np.ndarray, ...], np.ndarray]:
    """The month's rows, the reasons of list ``kind`` per child (None: of every list), and
    the children of that list in ``area``."""
    rows = month_rows(connection, month, area)
    child, last, weighing, mask, judged = _reasons(rows, rules)
    if kind is not None:
        mask = mask & kind_mask(kind)
    chosen = np.flatnonzero((mask > 0) & rows.in_area(area, last))
    return rows, (child, last, weighing, mask, judged), chosen


@dataclass(frozen=True)
class ReferralMark:
    """A child on one of the month's lists, without its identity: where, and why."""

    child_id: int
    posyandu_code: str | None
    reasons: tuple[ReferralReason, ...]


def referral_marks(
    connection: Connection,
    month: Period,
    *,
    area: Area,
    rules: ReferralRules = DEFAULT_RULES,
    kind: ListKind | None = ListKind.REFER,
) -> list[ReferralMark]:
    """The children of list ``kind`` (None: of every list, with all their reasons) in
    ``area`` and ``month`` with their posyandu and reasons, in order of child id. No name,
    NIK or birth date is read."""
    rows, (child, last, _, mask, _), chosen = _judged(connection, month, area, rules, kind)
    codes = rows.posyandu_code[last[chosen]].tolist() if chosen.size else []
    return [
        ReferralMark(int(c), code, reasons_in(int(bits)))
        for c, code, bits in zip(child[chosen].tolist(), codes, mask[chosen].tolist(), strict=True)
    ]


class Marked(Protocol):
    """A row of a list: a :class:`Referral` or a :class:`ReferralMark`."""

    @property
    def posyandu_code(self) -> str | None:
        """Where the child is listed."""

    @property
    def reasons(self) -> tuple[ReferralReason, ...]:
        """Why."""


def tallies_of(marks: Sequence[Marked]) -> list[ReferralTally]:
    """Per posyandu (children at no posyandu last): the children and the count per reason."""
    children: Counter[str | None] = Counter(m.posyandu_code for m in marks)
    reasons: dict[str | None, Counter[ReferralReason]] = {}
    for mark in marks:
        reasons.setdefault(mark.posyandu_code, Counter()).update(mark.reasons)
    return [
        ReferralTally(code, children[code], {r: reasons[code][r] for r in ReferralReason})
        for code in sorted(children, key=lambda c: (c is None, c or ""))
    ]


def referral_tallies(
    connection: Connection,
    month: Period,
    *,
    area: Area,
    rules: ReferralRules = DEFAULT_RULES,
    kind: ListKind = ListKind.REFER,
) -> list[ReferralTally]:
    """Per posyandu of ``area`` with a child on list ``kind`` in ``month``: the counts, by
    posyandu code (children at no posyandu last). No name, NIK or birth date is read."""
    return tallies_of(referral_marks(connection, month, area=area, rules=rules, kind=kind))


def referral_counts(
    connection: Connection,
    month: Period,
    *,
    area: Area,
    rules: ReferralRules = DEFAULT_RULES,
    kind: ListKind = ListKind.REFER,
) -> tuple[int, dict[ReferralReason, int]]:
    """Children of ``area`` on the referral list of ``month`` and the count per reason,
    without reading any name, NIK or birth date (one query of the month's measurements)."""
    tallies = referral_tallies(connection, month, area=area, rules=rules, kind=kind)
    by_reason = {r: sum(t.by_reason[r] for t in tallies) for r in ReferralReason}
    return sum(t.children for t in tallies), by_reason


def referral_list(
    connection: Connection,
    month: Period,
    *,
    area: Area,
    rules: ReferralRules = DEFAULT_RULES,
    kind: ListKind | None = ListKind.REFER,
) -> list[Referral]:
    """Children of ``area`` with at least one reason of list ``kind`` in ``month`` (None:
    a reason of any list, as PMT eligibility reads them), by posyandu and name."""
    rows, (child, last, weighing, mask, judged), chosen = _judged(
        connection, month, area, rules, kind
    )
    ids = child[chosen].tolist()
    identity = _identities(connection, ids)
    born = np.array([identity[i][3] for i in ids], dtype="datetime64[D]")
    row = last[chosen]
    day = rows.day[row].astype("datetime64[D]")
    ages = completed_months(born, day).tolist()
    kinds = (Indicator.HAZ, Indicator.WAZ, Indicator.WHZ)
    z = {k: _maybe_all(value_at(rows.zscores[k], judged[j, chosen])) for j, k in enumerate(kinds)}
    swollen = np.zeros(chosen.shape[0], dtype=bool)
    for j in (1, 2):  # oedema counts on the weight-based z-scores
        used = judged[j, chosen]
        swollen |= (used >= 0) & rows.oedema[np.maximum(used, 0)]
    trend = value_at(rows.trend, weighing[chosen])
    weight, height = _maybe_all(rows.weight_kg[row]), _maybe_all(rows.height_cm[row])
    muac = _maybe_all(rows.muac_cm[row])
    result = []
    for n, (i, r) in enumerate(zip(chosen.tolist(), row.tolist(), strict=True)):
        name, nik, sex, birth = identity[ids[n]]
        result.append(
            Referral(
                child_id=ids[n],
                name=name,
                nik=nik,
                sex=sex,
                birth_date=birth,
                posyandu_code=rows.posyandu_code[r],
                posyandu_name=rows.posyandu_name[r],
                measured_on=_day(int(rows.day[r])),
                age_months=int(ages[n]),
                weight_kg=weight[n],
                height_cm=height[n],
                muac_cm=muac[n],
                weight_trend=WeightTrend.from_code(0 if np.isnan(trend[n]) else int(trend[n])),
                haz=z[Indicator.HAZ][n],
                waz=z[Indicator.WAZ][n],
                whz=z[Indicator.WHZ][n],
                oedema=bool(swollen[n]),
                reasons=reasons_in(int(mask[i])),
            )
        )
    result.sort(key=lambda r: (r.posyandu_code or "\uffff", r.name.casefold(), r.child_id))
    return result
