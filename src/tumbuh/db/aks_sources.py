"""What the Audit Kasus Stunting reads from Tumbuh's own registers (docs/aks.md): the
records of the locus kelurahan that the selection rule looks at, and, for one case's
worksheet (KKA), the subject's identity, growth, referrals, PMT, visits and family facts.

Plain reads with explicit filters; the rules (who qualifies) are
:func:`tumbuh.growth.aks.select_candidates`'s, the scope the use case's.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from tumbuh.db.models import (
    Child,
    Family,
    Measurement,
    MeasurementDerived,
    Mother,
    Posyandu,
    Pregnancy,
    Region,
    table_of,
)
from tumbuh.db.models_cases import NutritionCase
from tumbuh.db.models_maternal import AncVisit, Catin
from tumbuh.db.models_pmt import PmtEpisode

KRS_COLUMNS = (
    "has_safe_drinking_water",
    "has_safe_latrine",
    "wife_under_20",
    "wife_35_or_older",
    "birth_spacing_under_2_years",
    "more_than_3_children",
)


@dataclass(frozen=True)
class LocusChild:
    """A child of the locus: birth, latest TB/U, an open case, the family's KRS facts."""

    child_id: int
    birth_date: date
    kelurahan_code: str
    latest_haz: float | None
    open_case: bool
    krs: dict[str, bool | None]  # the family's criteria (empty: no family recorded)


@dataclass(frozen=True)
class LocusPregnancy:
    """A pregnancy of the locus with its lowest LiLA and Hb of any visit."""

    pregnancy_id: int
    kelurahan_code: str
    started_on: date | None
    ended_on: date | None
    lowest_muac_cm: float | None
    lowest_hb_g_dl: float | None


@dataclass(frozen=True)
class LocusBirth:
    """A child born of a recorded pregnancy of the locus."""

    pregnancy_id: int
    child_id: int
    kelurahan_code: str
    born_on: date
    birth_weight_kg: float | None
    birth_length_cm: float | None
    latest_haz: float | None


@dataclass(frozen=True)
class LocusCatin:
    """A catin of the locus with the screening's values."""

    catin_id: int
    kelurahan_code: str
    female: bool
    birth_date: date | None
    registered_on: date
    wedding_on: date | None
    screened_on: date | None
    muac_cm: float | None
    hb_g_dl: float | None
    weight_kg: float | None
    height_cm: float | None


def _latest_haz(connection: Connection, child_ids: list[int], on: date) -> dict[int, float]:
    """Each child's last TB/U z-score up to ``on`` (flagged values left out)."""
    m, d = table_of(Measurement), table_of(MeasurementDerived)
    found: dict[int, float] = {}
    for start in range(0, len(child_ids), 2000):
        chunk = child_ids[start : start + 2000]
        rows = connection.execute(
            select(m.c.child_id, m.c.measured_on, d.c.haz)
            .join(d, d.c.measurement_id == m.c.id)
            .where(
                m.c.child_id.in_(chunk),
                m.c.measured_on <= on,
                d.c.haz.is_not(None),
                or_(d.c.haz_flag.is_(None), d.c.haz_flag.is_(False)),
            )
            .order_by(m.c.child_id, m.c.measured_on, m.c.id)
        )
        for child_id, _day, haz in rows:
            found[int(child_id)] = float(haz)
    return found


def _open_cases(connection: Connection, child_ids: list[int], on: date) -> set[int]:
    n = table_of(NutritionCase)
    found: set[int] = set()
    for start in range(0, len(child_ids), 2000):
        chunk = child_ids[start : start + 2000]
        rows = connection.execute(
            select(n.c.child_id)
            .where(
                n.c.child_id.in_(chunk),
                n.c.opened_on <= on,
                or_(n.c.closed_on.is_(None), n.c.closed_on > on),
            )
            .distinct()
        )
        found |= {int(r) for (r,) in rows}
    return found


def locus_children(connection: Connection, codes: Iterable[str], on: date) -> list[LocusChild]:
    """The children of the posyandu of ``codes`` under 60 months on ``on``."""
    c, p, f = table_of(Child), table_of(Posyandu), table_of(Family)
    rows = connection.execute(
        select(c.c.id, c.c.birth_date, p.c.kelurahan_code, *(f.c[k] for k in KRS_COLUMNS))
        .join(p, p.c.id == c.c.posyandu_id)
        .outerjoin(f, f.c.id == c.c.family_id)
        .where(
            p.c.kelurahan_code.in_(sorted(set(codes))),
            c.c.birth_date <= on,
            c.c.birth_date > on - timedelta(days=1830),
        )
        .order_by(c.c.id)
    ).all()
    ids = [int(r.id) for r in rows]
    haz = _latest_haz(connection, ids, on)
    open_ids = _open_cases(connection, ids, on)
    return [_child(r, haz, open_ids) for r in rows]


def _child(r: Any, haz: dict[int, float], open_ids: set[int]) -> LocusChild:
    krs = {k: getattr(r, k) for k in KRS_COLUMNS}
    return LocusChild(
        int(r.id),
        r.birth_date,
        r.kelurahan_code,
        haz.get(int(r.id)),
        int(r.id) in open_ids,
        krs if any(v is not None for v in krs.values()) else {},
    )


def locus_pregnancies(
    connection: Connection, codes: Iterable[str], start: date, end: date
) -> list[LocusPregnancy]:
    """The pregnancies of ``codes`` that began before ``end`` and had not ended before
    ``start``, with the lowest LiLA and Hb of registration and visits."""
    p, v = table_of(Pregnancy), table_of(AncVisit)
    began = func.coalesce(p.c.hpht, p.c.registered_on)
    lowest = (
        select(
            v.c.pregnancy_id,
            func.min(v.c.muac_cm).label("muac"),
            func.min(v.c.hb_g_dl).label("hb"),
        )
        .group_by(v.c.pregnancy_id)
        .subquery()
    )
    rows = connection.execute(
        select(p.c.id, p.c.kelurahan_code, began.label("began"), p.c.ended_on)
        .add_columns(p.c.muac_cm, p.c.hb_g_dl, lowest.c.muac, lowest.c.hb)
        .outerjoin(lowest, lowest.c.pregnancy_id == p.c.id)
        .where(
            p.c.kelurahan_code.in_(sorted(set(codes))),
            began < end,
            or_(p.c.ended_on.is_(None), p.c.ended_on >= start),
        )
        .order_by(p.c.id)
    )
    return [
        LocusPregnancy(
            int(r.id),
            r.kelurahan_code,
            _day(r.began),
            r.ended_on,
            _lowest(r.muac_cm, r.muac),
            _lowest(r.hb_g_dl, r.hb),
        )
        for r in rows
    ]


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _lowest(*values: float | None) -> float | None:
    known = [float(v) for v in values if v is not None]
    return min(known) if known else None


def locus_births(
    connection: Connection, codes: Iterable[str], start: date, end: date, on: date
) -> list[LocusBirth]:
    """Children born from ``start`` to before ``end`` of a recorded pregnancy of
    ``codes``, with their latest TB/U up to ``on``."""
    c, p = table_of(Child), table_of(Pregnancy)
    rows = connection.execute(
        select(
            c.c.id,
            c.c.pregnancy_id,
            p.c.kelurahan_code,
            c.c.birth_date,
            c.c.birth_weight_kg,
            c.c.birth_length_cm,
        )
        .join(p, p.c.id == c.c.pregnancy_id)
        .where(
            p.c.kelurahan_code.in_(sorted(set(codes))),
            and_(c.c.birth_date >= start, c.c.birth_date < end),
        )
        .order_by(c.c.id)
    ).all()
    haz = _latest_haz(connection, [int(r.id) for r in rows], on)
    return [
        LocusBirth(
            int(r.pregnancy_id),
            int(r.id),
            r.kelurahan_code,
            r.birth_date,
            r.birth_weight_kg,
            r.birth_length_cm,
            haz.get(int(r.id)),
        )
        for r in rows
    ]


def locus_catin(
    connection: Connection, codes: Iterable[str], start: date, end: date
) -> list[LocusCatin]:
    """The catin of ``codes`` registered or marrying from ``start`` to before ``end``."""
    k = table_of(Catin)
    rows = connection.execute(
        select(k)
        .where(
            k.c.kelurahan_code.in_(sorted(set(codes))),
            or_(
                and_(k.c.registered_on >= start, k.c.registered_on < end),
                and_(k.c.wedding_planned_on >= start, k.c.wedding_planned_on < end),
            ),
        )
        .order_by(k.c.id)
    )
    return [
        LocusCatin(
            int(r.id),
            r.kelurahan_code,
            r.sex == "female",
            r.birth_date,
            r.registered_on,
            r.wedding_planned_on,
            r.screened_on,
            r.muac_cm,
            r.hb_g_dl,
            r.weight_kg,
            r.height_cm,
        )
        for r in rows
    ]


# --- one case's worksheet --------------------------------------------------------------


@dataclass(frozen=True)
class ChildIdentity:
    """A child as the KKA's header shows it."""

    name: str
    nik: str | None
    sex: str
    birth_date: date
    birth_weight_kg: float | None
    birth_length_cm: float | None
    gestational_age_weeks: int | None
    posyandu: str | None
    kelurahan: str | None
    mother: str | None
    family_id: int | None


def child_identity(connection: Connection, child_id: int) -> ChildIdentity | None:
    """The child's identity and place, or None."""
    c, p, r, mo = table_of(Child), table_of(Posyandu), table_of(Region), table_of(Mother)
    found = connection.execute(
        select(
            c,
            p.c.name.label("posyandu_name"),
            func.coalesce(r.c.local_name, r.c.name).label("kelurahan_name"),
            mo.c.name.label("mother_name"),
        )
        .outerjoin(p, p.c.id == c.c.posyandu_id)
        .outerjoin(r, r.c.code == p.c.kelurahan_code)
        .outerjoin(mo, mo.c.id == c.c.mother_id)
        .where(c.c.id == child_id)
    ).first()
    if found is None:
        return None
    return ChildIdentity(
        found.name,
        found.nik,
        str(found.sex),
        found.birth_date,
        found.birth_weight_kg,
        found.birth_length_cm,
        found.gestational_age_weeks,
        found.posyandu_name,
        found.kelurahan_name,
        found.mother_name,
        found.family_id,
    )


@dataclass(frozen=True)
class Growth:
    """One measurement with its z-scores (None where flagged or not computed)."""

    measured_on: date
    weight_kg: float | None
    height_cm: float | None
    haz: float | None
    waz: float | None
    whz: float | None


def growth_history(connection: Connection, child_id: int, up_to: date) -> list[Growth]:
    """The child's measurements up to ``up_to``, oldest first."""
    m, d = table_of(Measurement), table_of(MeasurementDerived)
    rows = connection.execute(
        select(m.c.measured_on, m.c.weight_kg, m.c.height_cm, d.c.haz, d.c.waz, d.c.whz)
        .add_columns(d.c.haz_flag, d.c.waz_flag, d.c.whz_flag)
        .outerjoin(d, d.c.measurement_id == m.c.id)
        .where(m.c.child_id == child_id, m.c.measured_on <= up_to)
        .order_by(m.c.measured_on, m.c.id)
    )
    return [
        Growth(
            r.measured_on,
            r.weight_kg,
            r.height_cm,
            None if r.haz_flag else r.haz,
            None if r.waz_flag else r.waz,
            None if r.whz_flag else r.whz,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Referral:
    """A nutrition case of the child (the referral and its follow-up)."""

    opened_on: date
    problem: str
    status: str
    intervention: str | None
    closed_on: date | None
    outcome: str | None


def referrals(connection: Connection, child_id: int) -> list[Referral]:
    """The child's nutrition cases, oldest first."""
    n = table_of(NutritionCase)
    rows = connection.execute(
        select(n).where(n.c.child_id == child_id).order_by(n.c.opened_on, n.c.id)
    )
    return [
        Referral(r.opened_on, r.problem, r.status, r.intervention, r.closed_on, r.outcome)
        for r in rows
    ]


@dataclass(frozen=True)
class Feeding:
    """A PMT episode of a child or a pregnancy."""

    started_on: date
    planned_days: int
    ended_on: date | None
    exit: str | None


def feedings(
    connection: Connection, *, child_id: int | None = None, pregnancy_id: int | None = None
) -> list[Feeding]:
    """The PMT episodes of a child or a pregnancy, oldest first."""
    e = table_of(PmtEpisode)
    where = e.c.child_id == child_id if child_id is not None else e.c.pregnancy_id == pregnancy_id
    rows = connection.execute(select(e).where(where).order_by(e.c.started_on, e.c.id))
    return [Feeding(r.started_on, int(r.planned_days), r.ended_on, r.exit) for r in rows]


def family_krs(connection: Connection, family_id: int | None) -> dict[str, bool | None]:
    """A family's KRS criteria as stored (empty when none is recorded)."""
    if family_id is None:
        return {}
    f = table_of(Family)
    found = connection.execute(select(f).where(f.c.id == family_id)).first()
    return {} if found is None else {k: getattr(found, k) for k in KRS_COLUMNS}


@dataclass(frozen=True)
class PregnancyIdentity:
    """A pregnancy as the KKA shows it: the mother and the bidan's record."""

    mother: str
    nik: str | None
    mother_birth_date: date | None
    family_id: int | None
    kelurahan: str | None
    hpht: date | None
    due_date: date | None
    registered_on: date | None
    muac_cm: float | None
    hb_g_dl: float | None
    ended_on: date | None
    outcome: str | None
    terlalu: dict[str, bool | None]


TERLALU_COLUMNS = (
    "mother_under_20",
    "mother_35_or_older",
    "birth_spacing_under_2_years",
    "more_than_3_children",
)


def pregnancy_identity(connection: Connection, pregnancy_id: int) -> PregnancyIdentity | None:
    """The pregnancy, its mother and place, or None."""
    p, mo, r = table_of(Pregnancy), table_of(Mother), table_of(Region)
    found = connection.execute(
        select(
            p,
            mo.c.name.label("mother_name"),
            mo.c.nik.label("mother_nik"),
            mo.c.birth_date.label("mother_birth_date"),
            mo.c.family_id.label("mother_family_id"),
            func.coalesce(r.c.local_name, r.c.name).label("kelurahan_name"),
        )
        .join(mo, mo.c.id == p.c.mother_id)
        .outerjoin(r, r.c.code == p.c.kelurahan_code)
        .where(p.c.id == pregnancy_id)
    ).first()
    if found is None:
        return None
    return PregnancyIdentity(
        found.mother_name,
        found.mother_nik,
        found.mother_birth_date,
        found.mother_family_id,
        found.kelurahan_name,
        found.hpht,
        found.due_date,
        found.registered_on,
        found.muac_cm,
        found.hb_g_dl,
        found.ended_on,
        found.outcome,
        {k: getattr(found, k) for k in TERLALU_COLUMNS},
    )


@dataclass(frozen=True)
class Visit:
    """An ANC visit's values."""

    visited_on: date
    weight_kg: float | None
    muac_cm: float | None
    hb_g_dl: float | None
    iron_tablets_given: int | None


def anc_visits(connection: Connection, pregnancy_id: int) -> list[Visit]:
    """The pregnancy's ANC visits, oldest first."""
    v = table_of(AncVisit)
    rows = connection.execute(
        select(v).where(v.c.pregnancy_id == pregnancy_id).order_by(v.c.visited_on, v.c.id)
    )
    return [
        Visit(r.visited_on, r.weight_kg, r.muac_cm, r.hb_g_dl, r.iron_tablets_given) for r in rows
    ]


@dataclass(frozen=True)
class CatinIdentity:
    """A catin and the screening, as the KKA shows them."""

    name: str
    nik: str | None
    sex: str
    birth_date: date | None
    kelurahan: str | None
    registered_on: date
    wedding_on: date | None
    screened_on: date | None
    muac_cm: float | None
    hb_g_dl: float | None
    weight_kg: float | None
    height_cm: float | None
    follow_up: str | None
    follow_up_on: date | None


def catin_identity(connection: Connection, catin_id: int) -> CatinIdentity | None:
    """The catin and the screening's values, or None."""
    k, r = table_of(Catin), table_of(Region)
    found = connection.execute(
        select(k, func.coalesce(r.c.local_name, r.c.name).label("kelurahan_name"))
        .outerjoin(r, r.c.code == k.c.kelurahan_code)
        .where(k.c.id == catin_id)
    ).first()
    if found is None:
        return None
    return CatinIdentity(
        found.name,
        found.nik,
        str(found.sex),
        found.birth_date,
        found.kelurahan_name,
        found.registered_on,
        found.wedding_planned_on,
        found.screened_on,
        found.muac_cm,
        found.hb_g_dl,
        found.weight_kg,
        found.height_cm,
        found.follow_up,
        found.follow_up_on,
    )


def subject_names(
    connection: Connection,
    *,
    child_ids: Iterable[int] = (),
    pregnancy_ids: Iterable[int] = (),
    catin_ids: Iterable[int] = (),
) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    """Names of children, of the mothers of pregnancies and of catin, by their ids."""
    c, p, mo, k = table_of(Child), table_of(Pregnancy), table_of(Mother), table_of(Catin)
    queries = (
        select(c.c.id, c.c.name).where(c.c.id.in_(sorted(set(child_ids)))),
        select(p.c.id, mo.c.name)
        .join(mo, mo.c.id == p.c.mother_id)
        .where(p.c.id.in_(sorted(set(pregnancy_ids)))),
        select(k.c.id, k.c.name).where(k.c.id.in_(sorted(set(catin_ids)))),
    )
    children, mothers, catin = ({int(i): str(n) for i, n in connection.execute(q)} for q in queries)
    return children, mothers, catin


def stunted_by_kelurahan(connection: Connection, start: date, end: date) -> list[tuple[str, int]]:
    """Children measured stunted (TB/U under -2, not flagged) from ``start`` to before
    ``end``, per kelurahan of their posyandu, most first (the demo chooses its locus)."""
    c, p = table_of(Child), table_of(Posyandu)
    m, d = table_of(Measurement), table_of(MeasurementDerived)
    count = func.count(func.distinct(c.c.id))
    rows = connection.execute(
        select(p.c.kelurahan_code, count)
        .join(c, c.c.posyandu_id == p.c.id)
        .join(m, m.c.child_id == c.c.id)
        .join(d, d.c.measurement_id == m.c.id)
        .where(
            m.c.measured_on >= start,
            m.c.measured_on < end,
            d.c.haz < -2,
            or_(d.c.haz_flag.is_(None), d.c.haz_flag.is_(False)),
        )
        .group_by(p.c.kelurahan_code)
        .order_by(count.desc(), p.c.kelurahan_code)
    )
    return [(str(k), int(n)) for k, n in rows]
