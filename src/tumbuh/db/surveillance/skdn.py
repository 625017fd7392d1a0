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
"""

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, select

from tumbuh.db.models import Child, Posyandu, RegionLevel, table_of
from tumbuh.db.regions import regions
from tumbuh.db.surveillance.areas import Area, AreaKind, posyandu_condition
from tumbuh.db.surveillance.weighings import MonthRows, month_rows
from tumbuh.db.targets import population_targets
from tumbuh.growth.ages import BALITA_MONTHS
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


def _registered(
    connection: Connection, month: Period, area: Area
) -> tuple[list[str | None], list[bool]]:
    """Home posyandu code and card of every balita registered in ``month`` (in ``area``)."""
    c = table_of(Child)
    p = table_of(Posyandu)
    query = (
        select(p.c.code, c.c.has_buku_kia)
        .select_from(c.outerjoin(p, p.c.id == c.c.posyandu_id))
        .where(
            c.c.birth_date <= last_day(month),
            c.c.birth_date > months_before(month.start, BALITA_MONTHS),
        )
    )
    if area.kind is not AreaKind.KOTA:
        query = query.where(posyandu_condition(area, p))
    rows = connection.execute(query).all()
    return [r[0] for r in rows], [bool(r[1]) for r in rows]


def _counts(
    connection: Connection, month: Period, codes: list[str], area: Area, bgm_waz_below: float
) -> SkdnCounts:
    """Counts per posyandu of ``codes`` plus a last group for everything else (complete
    for the posyandu of ``area``)."""
    position: dict[str | None, int] = {code: g for g, code in enumerate(codes)}
    outside = len(codes)
    registered, card = _registered(connection, month, area)
    rows: MonthRows = month_rows(connection, month, area)
    weighing = rows.order().last_where(rows.trend > 0)
    chosen = weighing[weighing >= 0]
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
) -> list[SkdnRow]:
    """The area's total first; then, unless the area is one posyandu, each kelurahan of
    the area (for a kelurahan: itself, the total) followed by its posyandu; for the city, a
    last row (code None) of children registered or weighed at no posyandu of the city,
    when there are any."""
    posyandu = _posyandu(connection, city_code)
    counts = _counts(connection, month, [p.code for p in posyandu], area, bgm_waz_below)
    if area.kind is AreaKind.POSYANDU:
        g = next(i for i, p in enumerate(posyandu) if p.code == area.code)
        return [_row(counts, g, area.code, area.name, AreaKind.POSYANDU.value, None)]
    kelurahan = regions(connection, RegionLevel.KELURAHAN, within=city_code)
    position = {k.code: i for i, k in enumerate(kelurahan)}
    parent = np.array([position.get(p.kelurahan_code, -1) for p in posyandu] + [-1])
    by_kelurahan = counts.combined(parent, len(kelurahan))
    targets = {t.kelurahan_code: t.balita for t in population_targets(connection, year=month.year)}
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
