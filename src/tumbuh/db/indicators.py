"""The intervention indicators' records (docs/indicators.md): the figures entered by hand
(``indicator_value``) and the register facts the computed indicators are counted from.

Persistence only: each reader returns plain rows of what was recorded; which of them
count (KEK, 90 tablets, the age bands, at risk) is decided by :mod:`tumbuh.growth`.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, and_, func, or_, select

from tumbuh.db.models import Child, Family, Posyandu, Pregnancy, table_of
from tumbuh.db.models_cases import NutritionCase
from tumbuh.db.models_indicators import IndicatorValue
from tumbuh.db.models_maternal import AncVisit, ChildMonth
from tumbuh.db.models_pmt import PmtEpisode
from tumbuh.growth.cases import Problem

GIZI_BURUK_SEVERITY = 1  # a wasting case's rank when it opened on WHZ < -3 (growth.cases)


@dataclass(frozen=True)
class HandEntered:
    """A figure entered by hand for an indicator, area (city or kelurahan) and year."""

    indicator: str
    region_code: str
    year: int
    numerator: int | None
    denominator: int | None
    percent: float
    source: str
    entered_by: int | None
    entered_at: datetime


def set_value(connection: Connection, value: HandEntered) -> bool:
    """Insert or replace the figure of its indicator, area and year (True: new)."""
    t = table_of(IndicatorValue)
    key = and_(
        t.c.region_code == value.region_code,
        t.c.year == value.year,
        t.c.indicator == value.indicator,
    )
    fields = {
        "numerator": value.numerator,
        "denominator": value.denominator,
        "percent": value.percent,
        "source": value.source,
        "entered_by": value.entered_by,
        "entered_at": value.entered_at,
    }
    if connection.execute(select(t.c.year).where(key)).first() is None:
        connection.execute(
            t.insert().values(
                region_code=value.region_code, year=value.year, indicator=value.indicator, **fields
            )
        )
        return True
    connection.execute(t.update().where(key).values(**fields))
    return False


def values_of_year(
    connection: Connection, year: int, region_codes: Collection[str] | None = None
) -> list[HandEntered]:
    """The figures entered for ``year`` (only those of ``region_codes`` when given)."""
    t = table_of(IndicatorValue)
    query = select(t).where(t.c.year == year).order_by(t.c.indicator, t.c.region_code)
    if region_codes is not None:
        query = query.where(t.c.region_code.in_(sorted(region_codes)))
    return [
        HandEntered(
            r.indicator,
            r.region_code,
            r.year,
            r.numerator,
            r.denominator,
            r.percent,
            r.source,
            r.entered_by,
            r.entered_at,
        )
        for r in connection.execute(query)
    ]


@dataclass(frozen=True)
class PregnancyFacts:
    """A pregnancy registered in the period: its area, LiLA, TTD taken, PMT or not."""

    kelurahan_code: str | None
    muac_cm: float | None  # at registration, else the first visit's
    iron_tablets: int | None  # the visits' sum where any visit counted them, else the total
    had_pmt: bool  # a PMT episode names it


def pregnancies(
    connection: Connection, start: date, end: date, kelurahan: Collection[str] | None
) -> list[PregnancyFacts]:
    """Pregnancies registered from ``start`` to ``end`` (registration day, else K1, else
    HPHT) in ``kelurahan`` (None: all, with those without an area)."""
    p, v, e = table_of(Pregnancy), table_of(AncVisit), table_of(PmtEpisode)
    day = func.coalesce(p.c.registered_on, p.c.k1_on, p.c.hpht)
    query = select(p.c.id, p.c.kelurahan_code, p.c.muac_cm, p.c.iron_tablets).where(
        day >= start, day <= end
    )
    if kelurahan is not None:
        query = query.where(p.c.kelurahan_code.in_(sorted(kelurahan)))
    rows = connection.execute(query.order_by(p.c.id)).all()
    ids = [r.id for r in rows]
    first_muac: dict[int, float] = {}
    tablets: dict[int, int] = {}
    fed: set[int] = set()
    for chunk in _chunks(ids):
        visits = select(v.c.pregnancy_id, v.c.muac_cm, v.c.iron_tablets_given).where(
            v.c.pregnancy_id.in_(chunk)
        )
        for visit in connection.execute(visits.order_by(v.c.pregnancy_id, v.c.visited_on)):
            if visit.muac_cm is not None:
                first_muac.setdefault(visit.pregnancy_id, visit.muac_cm)
            if visit.iron_tablets_given is not None:
                tablets[visit.pregnancy_id] = (
                    tablets.get(visit.pregnancy_id, 0) + visit.iron_tablets_given
                )
        episodes = select(e.c.pregnancy_id).where(e.c.pregnancy_id.in_(chunk))
        fed.update(r.pregnancy_id for r in connection.execute(episodes))
    return [
        PregnancyFacts(
            kelurahan_code=r.kelurahan_code,
            muac_cm=r.muac_cm if r.muac_cm is not None else first_muac.get(r.id),
            iron_tablets=tablets.get(r.id, r.iron_tablets),
            had_pmt=r.id in fed,
        )
        for r in rows
    ]


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


@dataclass(frozen=True)
class ChildFacts:
    """A child born after ``born_after``: its area (its home posyandu's kelurahan), birth
    date, the day its basic immunisation was complete, and its months recorded in the
    period (month, exclusive breastfeeding, MP-ASI)."""

    child_id: int
    kelurahan_code: str | None
    birth_date: date
    immunised_on: date | None
    months: tuple[tuple[date, bool | None, bool | None], ...]


def children(
    connection: Connection,
    *,
    born_after: date,
    born_by: date,
    start: date,
    end: date,
    kelurahan: Collection[str] | None,
) -> list[ChildFacts]:
    """Children born after ``born_after`` and by ``born_by``, registered at a posyandu of
    ``kelurahan`` (None: all, with those at none), with their ``child_month`` rows from
    ``start`` to ``end``."""
    c, p, m = table_of(Child), table_of(Posyandu), table_of(ChildMonth)
    query = (
        select(c.c.id, p.c.kelurahan_code, c.c.birth_date, c.c.basic_immunisation_completed_on)
        .select_from(c.outerjoin(p, p.c.id == c.c.posyandu_id))
        .where(c.c.birth_date > born_after, c.c.birth_date <= born_by)
        .order_by(c.c.id)
    )
    if kelurahan is not None:
        query = query.where(p.c.kelurahan_code.in_(sorted(kelurahan)))
    rows = connection.execute(query).all()
    months: dict[int, list[tuple[date, bool | None, bool | None]]] = {}
    for chunk in _chunks([r.id for r in rows]):
        recorded = select(
            m.c.child_id, m.c.month, m.c.exclusive_breastfeeding, m.c.complementary_feeding
        ).where(m.c.child_id.in_(chunk), m.c.month >= start, m.c.month <= end)
        for r in connection.execute(recorded.order_by(m.c.child_id, m.c.month)):
            months.setdefault(r.child_id, []).append(
                (r.month, r.exclusive_breastfeeding, r.complementary_feeding)
            )
    return [
        ChildFacts(
            r.id,
            r.kelurahan_code,
            r.birth_date,
            r.basic_immunisation_completed_on,
            tuple(months.get(r.id, ())),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class WastedChild:
    """A child with a wasting case opened in the period: gizi buruk or gizi kurang, was
    it treated (a gizi buruk case with a treatment day), and had it a PMT episode in the
    period."""

    child_id: int
    kelurahan_code: str | None
    gizi_buruk: bool
    treated: bool
    had_pmt: bool


def wasted_children(
    connection: Connection, start: date, end: date, kelurahan: Collection[str] | None
) -> list[WastedChild]:
    """One row per child with a wasting case opened from ``start`` to ``end``: gizi buruk
    when any of them opened as gizi buruk (severity 1), else gizi kurang."""
    k, c, p, e = (
        table_of(NutritionCase), table_of(Child), table_of(Posyandu), table_of(PmtEpisode)
    )  # fmt: skip
    query = (
        select(k.c.child_id, k.c.severity, k.c.treated_on, p.c.kelurahan_code)
        .select_from(k.join(c, c.c.id == k.c.child_id).outerjoin(p, p.c.id == c.c.posyandu_id))
        .where(k.c.problem == Problem.WASTING, k.c.opened_on >= start, k.c.opened_on <= end)
        .order_by(k.c.child_id)
    )
    if kelurahan is not None:
        query = query.where(p.c.kelurahan_code.in_(sorted(kelurahan)))
    found: dict[int, tuple[str | None, bool, bool]] = {}
    for r in connection.execute(query):
        area, severe, treated = found.get(r.child_id, (r.kelurahan_code, False, False))
        is_severe = r.severity == GIZI_BURUK_SEVERITY
        found[r.child_id] = (
            area,
            severe or is_severe,
            treated or (is_severe and r.treated_on is not None),
        )
    fed: set[int] = set()
    for chunk in _chunks(list(found)):
        episodes = select(e.c.child_id).where(
            e.c.child_id.in_(chunk),
            e.c.started_on <= end,
            or_(e.c.ended_on.is_(None), e.c.ended_on >= start),
        )
        fed.update(r.child_id for r in connection.execute(episodes))
    return [
        WastedChild(child, area, severe, treated, child in fed)
        for child, (area, severe, treated) in found.items()
    ]


@dataclass(frozen=True)
class FamilyFacts:
    """A family's area and its six KRS criteria as stored (None: not assessed)."""

    kelurahan_code: str | None
    has_safe_drinking_water: bool | None
    has_safe_latrine: bool | None
    wife_under_20: bool | None
    wife_35_or_older: bool | None
    birth_spacing_under_2_years: bool | None
    more_than_3_children: bool | None


def families(connection: Connection, kelurahan: Collection[str] | None) -> list[FamilyFacts]:
    """Every family of ``kelurahan`` (None: all, with those without an area)."""
    f = table_of(Family)
    query = select(
        f.c.kelurahan_code, f.c.has_safe_drinking_water, f.c.has_safe_latrine,
        f.c.wife_under_20, f.c.wife_35_or_older, f.c.birth_spacing_under_2_years,
        f.c.more_than_3_children,
    ).order_by(f.c.id)  # fmt: skip
    if kelurahan is not None:
        query = query.where(f.c.kelurahan_code.in_(sorted(kelurahan)))
    return [FamilyFacts(*r) for r in connection.execute(query)]
