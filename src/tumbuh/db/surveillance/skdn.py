"""SKDN per posyandu for a month, with kelurahan subtotals (:mod:`tumbuh.growth.skdn`).

* **S** = the balita registered at the posyandu (``child.posyandu_id``, the home
  posyandu) who are 0-59 completed months old at some time in the month: born on or
  before its last day and younger than 60 completed months on its first day. The register
  keeps no history of moves, so S is today's registration applied to that month. Where
  Dinkes set a target for the kelurahan and year (``target_population``), the kelurahan
  row shows it beside the registered S.
* **K** = of S, children with ``has_buku_kia`` true (unknown counts as no card).
* **D**, **N**, **D'**, T, 2T, O, B: from each child's last weighing of the month, at the
  posyandu of that weighing (:mod:`tumbuh.db.surveillance.weighings`); **BGM**: that
  weighing's weight-for-age below the red line (``TUMBUH_BGM_WAZ_BELOW``, -3 by default;
  oedema counts as -3.1, as in WHO anthro).

With an age group (baduta 0-23 months, balita 24-59 months) the same split as every other
report (:func:`tumbuh.growth.age_split.counted_age_group`): S and K of that group by the
child's age in completed months on the month's last day (a child of 60 months then,
registered because it was a balita on the first day, counts with the 24-59 months), D and
what follows it by the age at the counted weighing; baduta and 24-59 months add up to the
total. The Dinkes target S is of all balita, so a group's rows have none.
"""

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, select

from tumbuh.db.models import Child, Posyandu, RegionLevel, table_of
from tumbuh.db.prevalence import AgeChoice
from tumbuh.db.regions import regions
from tumbuh.db.surveillance.areas import Area, AreaKind, posyandu_condition
from tumbuh.db.surveillance.weighings import MonthRows, month_rows
from tumbuh.db.targets import population_targets
from tumbuh.growth.age_split import SPLIT_GROUPS, counted_age_group
from tumbuh.growth.ages import BALITA_MONTHS, completed_months, completed_months_or_nan
from tumbuh.growth.enums import Indicator
from tumbuh.growth.periods import Period, last_day, months_before
from tumbuh.growth.prevalence import OEDEMA_ZSCORE
from tumbuh.growth.referrals import value_at
from tumbuh.growth.skdn import SkdnCounts, skdn_counts

DEFAULT_BGM_WAZ_BELOW = -3.0


def _ratio(numerator: int, denominator: int | None) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class SkdnRow:
    """SKDN of one posyandu, kelurahan subtotal or area total for a month."""

    code: str | None  # None: children weighed or registered at no posyandu of the city
    name: str | None
    level: str  # posyandu, kelurahan, kecamatan or kota
    s: int
    k: int
    d: int
    n: int
    d_prime: int
    t: int
    two_t: int
    o: int
    b: int
    bgm: int
    target_s: int | None  # Dinkes target of balita (kelurahan and larger areas), if set

    @property
    def k_s(self) -> float | None:
        """K/S, 0-1 (None when S is 0)."""
        return _ratio(self.k, self.s)

    @property
    def d_s(self) -> float | None:
        """D/S, 0-1."""
        return _ratio(self.d, self.s)

    @property
    def d_k(self) -> float | None:
        """D/K, 0-1."""
        return _ratio(self.d, self.k)

    @property
    def n_d(self) -> float | None:
        """N/D, 0-1."""
        return _ratio(self.n, self.d)

    @property
    def n_d_prime(self) -> float | None:
        """N/D', 0-1: N among the children weighed this month and last month."""
        return _ratio(self.n, self.d_prime)

    @property
    def n_s(self) -> float | None:
        """N/S, 0-1."""
        return _ratio(self.n, self.s)

    @property
    def d_target(self) -> float | None:
        """D over the Dinkes target S, 0-1 (None without a target)."""
        return _ratio(self.d, self.target_s)


@dataclass(frozen=True)
class _Posyandu:
    code: str
    name: str
    kelurahan_code: str


def _posyandu(connection: Connection, city_code: str) -> list[_Posyandu]:
    p = table_of(Posyandu)
    query = (
        select(p.c.id, p.c.code, p.c.name, p.c.kelurahan_code)
        .where(p.c.kelurahan_code.startswith(city_code + "."))
        .order_by(p.c.code)
    )
    return [_Posyandu(r.code, r.name, r.kelurahan_code) for r in connection.execute(query)]


def _in_group(months: np.ndarray, age: AgeChoice) -> np.ndarray:
    """Whether each age in completed months is of ``age``'s group (all for every balita)."""
    if age.group is None:
        return np.ones(months.shape, dtype=bool)
    return np.asarray(counted_age_group(months) == SPLIT_GROUPS.index(age.group))


def _registered(
    connection: Connection, month: Period, area: Area, age: AgeChoice
) -> tuple[list[str | None], list[bool]]:
    """Home posyandu code and card of every balita of ``age`` registered in ``month`` (in
    ``area``), by the age on the month's last day (module doc)."""
    c = table_of(Child)
    p = table_of(Posyandu)
    query = (
        select(p.c.code, c.c.has_buku_kia, c.c.birth_date)
        .select_from(c.outerjoin(p, p.c.id == c.c.posyandu_id))
        .where(
            c.c.birth_date <= last_day(month),
            c.c.birth_date > months_before(month.start, BALITA_MONTHS),
        )
    )
    if area.kind is not AreaKind.KOTA:
        query = query.where(posyandu_condition(area, p))
    rows = connection.execute(query).all()
    born = np.array([r[2] for r in rows], dtype="datetime64[D]")
    on = np.full(len(rows), last_day(month), dtype="datetime64[D]")
    older = np.minimum(completed_months(born, on), BALITA_MONTHS - 1)  # a balita on day 1
    keep = _in_group(older, age).tolist()
    return [r[0] for r, k in zip(rows, keep, strict=True) if k], [
        bool(r[1]) for r, k in zip(rows, keep, strict=True) if k
    ]


def _weighed_ages(connection: Connection, rows: MonthRows, chosen: np.ndarray) -> np.ndarray:
    """Age in completed months at each chosen weighing (NaN: birth date unknown)."""
    c = table_of(Child)
    ids = sorted({int(i) for i in rows.child_id[chosen]})
    query = select(c.c.id, c.c.birth_date).where(c.c.id.in_(ids))
    born = {int(r.id): r.birth_date for r in connection.execute(query)}
    births = np.array([born.get(int(i)) for i in rows.child_id[chosen]], dtype="datetime64[D]")
    days = rows.day[chosen].astype("datetime64[D]")
    return completed_months_or_nan(births, days)


def _counts(
    connection: Connection,
    month: Period,
    codes: list[str],
    area: Area,
    limits: tuple[float, AgeChoice],
) -> SkdnCounts:
    """Counts per posyandu of ``codes`` plus a last group for everything else (complete
    for the posyandu of ``area``); ``limits``: the BGM line and the age group."""
    bgm_waz_below, age = limits
    position: dict[str | None, int] = {code: g for g, code in enumerate(codes)}
    outside = len(codes)
    registered, card = _registered(connection, month, area, age)
    rows: MonthRows = month_rows(connection, month, area)
    weighing = rows.order().last_where(rows.trend > 0)
    chosen = weighing[weighing >= 0]
    if age.group is not None:
        chosen = chosen[_in_group(_weighed_ages(connection, rows, chosen), age)]
    waz = np.where(rows.oedema, OEDEMA_ZSCORE, rows.zscores[Indicator.WAZ])
    flagged = rows.flags[Indicator.WAZ] == 1
    waz = np.where(flagged & ~rows.oedema, np.nan, waz)
    with np.errstate(invalid="ignore"):
        bgm = value_at(waz, chosen) < bgm_waz_below
    return skdn_counts(
        registered_group=[position.get(code, outside) for code in registered],
        has_buku_kia=card,
        weighed_group=[position.get(code, outside) for code in rows.posyandu_code[chosen]],
        trend=rows.trend[chosen],
        previous_trend=rows.previous_trend[chosen],
        bgm=bgm,
        n_groups=outside + 1,
    )


_FIELDS = ("s", "k", "d", "n", "d_prime", "t", "two_t", "o", "b", "bgm")


def _row(
    counts: SkdnCounts, g: int, code: str | None, name: str | None, level: str, target: int | None
) -> SkdnRow:
    values = {f: int(getattr(counts, f)[g]) for f in _FIELDS}
    return SkdnRow(code, name, level, target_s=target, **values)


def _total_target(targets: dict[str, int], codes: list[str]) -> int | None:
    """The sum of the kelurahan targets, or None unless every kelurahan has one."""
    if not codes or any(code not in targets for code in codes):
        return None
    return sum(targets[code] for code in codes)


def skdn(
    connection: Connection,
    month: Period,
    *,
    city_code: str,
    area: Area,
    bgm_waz_below: float = DEFAULT_BGM_WAZ_BELOW,
    age: AgeChoice = AgeChoice.ALL,
) -> list[SkdnRow]:
    """The area's total first; then, unless the area is one posyandu, each kelurahan of
    the area (for a kelurahan: itself, the total) followed by its posyandu; for the city, a
    last row (code None) of children registered or weighed at no posyandu of the city,
    when there are any. With an age group, its children only (module doc)."""
    posyandu = _posyandu(connection, city_code)
    limits = (bgm_waz_below, age)
    counts = _counts(connection, month, [p.code for p in posyandu], area, limits)
    if area.kind is AreaKind.POSYANDU:
        g = next(i for i, p in enumerate(posyandu) if p.code == area.code)
        return [_row(counts, g, area.code, area.name, AreaKind.POSYANDU.value, None)]
    kelurahan = regions(connection, RegionLevel.KELURAHAN, within=city_code)
    position = {k.code: i for i, k in enumerate(kelurahan)}
    parent = np.array([position.get(p.kelurahan_code, -1) for p in posyandu] + [-1])
    by_kelurahan = counts.combined(parent, len(kelurahan))
    targets = {t.kelurahan_code: t.balita for t in population_targets(connection, year=month.year)}
    if age.group is not None:
        targets = {}  # the Dinkes target is of all balita
    inside = [i for i, k in enumerate(kelurahan) if _contains(area, k.code, k.parent_code)]
    if area.kind is AreaKind.KOTA:
        total = counts.combined(np.zeros(len(posyandu) + 1, dtype=np.int64), 1)
    else:
        members = np.full(len(kelurahan), -1, dtype=np.int64)
        members[inside] = 0
        total = by_kelurahan.combined(members, 1)
    target = _total_target(targets, [kelurahan[i].code for i in inside])
    rows = [_row(total, 0, area.code, area.name, area.kind.value, target)]
    for i in inside:
        k = kelurahan[i]
        if area.kind is not AreaKind.KELURAHAN:  # a kelurahan's total is its own row
            target_k = targets.get(k.code)
            rows.append(_row(by_kelurahan, i, k.code, k.display_name, "kelurahan", target_k))
        rows.extend(
            _row(counts, g, p.code, p.name, "posyandu", None)
            for g, p in enumerate(posyandu)
            if parent[g] == i
        )
    if area.kind is AreaKind.KOTA:
        outside = _row(counts, len(posyandu), None, None, "posyandu", None)
        if outside.s or outside.d:
            rows.append(outside)
    return rows


def _contains(area: Area, kelurahan_code: str, kecamatan_code: str | None) -> bool:
    if area.kind is AreaKind.KOTA:
        return True
    if area.kind is AreaKind.KECAMATAN:
        return kecamatan_code == area.code
    return area.kind is AreaKind.KELURAHAN and kelurahan_code == area.code
