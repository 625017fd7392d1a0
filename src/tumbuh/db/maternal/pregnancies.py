"""Pregnancies as rows: the registration and the end of one, its antenatal (ANC) and
post-partum (KF1-KF4) visits, and the children born of it (docs/data-model.md).

A pregnancy's area is its ``kelurahan_code`` (and, where known, posyandu and
puskesmas); lists are filtered by it. One ANC visit per pregnancy and day, one KF visit
per number: a second is :class:`VisitTaken`.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, or_, select, update

from tumbuh.db.maternal.refusals import VisitTaken, execute_refusing, insert_row
from tumbuh.db.models import BirthPlace, Child, Pregnancy, PregnancyOutcome, table_of
from tumbuh.db.models_maternal import AncPlace, AncVisit, PostpartumVisit
from tumbuh.growth.enums import Sex

ANC_DAY = ("uq_anc_visit_pregnancy_id_visited_on", "anc_visit.pregnancy_id, anc_visit.visited_on")
KF_NUMBER = (
    "uq_postpartum_visit_pregnancy_id_visit_number",
    "postpartum_visit.pregnancy_id, postpartum_visit.visit_number",
)


@dataclass(frozen=True)
class Registration:
    """What the bidan records when she registers a pregnancy (None: not recorded).

    ``muac_cm`` and ``hb_g_dl`` are the values at registration (K1); the four flags
    are the 4 Terlalu as she assessed them.
    """

    registered_on: date
    kelurahan_code: str
    posyandu_id: int | None = None
    puskesmas_id: int | None = None
    k1_on: date | None = None
    hpht: date | None = None  # first day of the last menstrual period
    due_date: date | None = None  # HPL
    gestational_age_at_registration_weeks: int | None = None
    weight_before_kg: float | None = None
    height_cm: float | None = None
    muac_cm: float | None = None  # LiLA
    hb_g_dl: float | None = None
    mother_under_20: bool | None = None
    mother_35_or_older: bool | None = None
    birth_spacing_under_2_years: bool | None = None
    more_than_3_children: bool | None = None
    previous_live_births: int | None = None  # paritas: children born alive before
    previous_birth_on: date | None = None  # the day of the last of them


@dataclass(frozen=True)
class PregnancyEnd:
    """How and where a pregnancy ended; the children born are ``child`` rows."""

    ended_on: date
    outcome: PregnancyOutcome
    birth_place: BirthPlace | None = None
    gestational_age_at_end_weeks: int | None = None


@dataclass(frozen=True)
class PregnancyRow:
    """A pregnancy as stored. ``registration`` is None for rows without a registration
    day (written by a PMT history import or before migration 0011)."""

    id: int
    mother_id: int
    kelurahan_code: str | None
    registration: Registration | None
    end: PregnancyEnd | None
    anc_visits: int | None  # totals as a file or the demo gave them
    iron_tablets: int | None
    registered_by: int | None


@dataclass(frozen=True)
class AncVisitData:
    """What one antenatal care visit recorded."""

    visited_on: date
    place: AncPlace
    weight_kg: float | None = None
    muac_cm: float | None = None  # LiLA
    hb_g_dl: float | None = None
    iron_tablets_given: int | None = None  # TTD
    note: str | None = None


@dataclass(frozen=True)
class AncVisitRow:
    """A stored ANC visit."""

    id: int
    pregnancy_id: int
    visit: AncVisitData
    recorded_by: int | None


@dataclass(frozen=True)
class PostpartumVisitRow:
    """A stored post-partum visit: KF1 (``visit_number`` 1) to KF4."""

    id: int
    pregnancy_id: int
    visit_number: int
    visited_on: date
    note: str | None
    recorded_by: int | None


@dataclass(frozen=True)
class Newborn:
    """A child born of a pregnancy, with its birth measurements (the child's own)."""

    child_id: int
    pregnancy_id: int
    sex: Sex
    birth_date: date
    birth_weight_kg: float | None
    birth_length_cm: float | None


def add_pregnancy(
    connection: Connection,
    mother_id: int,
    registration: Registration,
    *,
    by: int | None,
    now: datetime,
) -> int:
    """Register a pregnancy of the woman ``mother_id``; its id. ``by``: the bidan's user."""
    values = asdict(registration) | {"mother_id": mother_id, "registered_by": by}
    return insert_row(connection, Pregnancy, values | {"created_at": now, "updated_at": now})


def update_registration(
    connection: Connection, pregnancy_id: int, registration: Registration, *, now: datetime
) -> None:
    """Replace a pregnancy's registration fields."""
    p = table_of(Pregnancy)
    values = asdict(registration) | {"updated_at": now}
    connection.execute(update(p).where(p.c.id == pregnancy_id).values(**values))


def record_end(
    connection: Connection, pregnancy_id: int, end: PregnancyEnd | None, *, now: datetime
) -> None:
    """Store how the pregnancy ended (None: it has not, an end recorded by mistake)."""
    p = table_of(Pregnancy)
    values: dict[str, object] = {
        "ended_on": None,
        "outcome": None,
        "birth_place": None,
        "gestational_age_at_end_weeks": None,
    }
    if end is not None:
        values = asdict(end)
    connection.execute(update(p).where(p.c.id == pregnancy_id).values(updated_at=now, **values))


def _registration(r: Any) -> Registration | None:
    if r.registered_on is None or r.kelurahan_code is None:
        return None
    fields = Registration.__dataclass_fields__
    return Registration(**{name: getattr(r, name) for name in fields})


def _pregnancy(r: Any) -> PregnancyRow:
    end = None
    if r.ended_on is not None and r.outcome is not None:
        place = None if r.birth_place is None else BirthPlace(r.birth_place)
        end = PregnancyEnd(
            r.ended_on, PregnancyOutcome(r.outcome), place, r.gestational_age_at_end_weeks
        )
    return PregnancyRow(
        id=int(r.id),
        mother_id=int(r.mother_id),
        kelurahan_code=r.kelurahan_code,
        registration=_registration(r),
        end=end,
        anc_visits=r.anc_visits,
        iron_tablets=r.iron_tablets,
        registered_by=r.registered_by,
    )


def pregnancy_row(connection: Connection, pregnancy_id: int) -> PregnancyRow | None:
    """One pregnancy, or None."""
    p = table_of(Pregnancy)
    found = connection.execute(select(p).where(p.c.id == pregnancy_id)).first()
    return None if found is None else _pregnancy(found)


def pregnancy_rows(
    connection: Connection,
    *,
    kelurahan: frozenset[str] | None = None,
    mother_ids: Iterable[int] | None = None,
    ongoing_on: date | None = None,
    registered: tuple[date, date] | None = None,
) -> list[PregnancyRow]:
    """Pregnancies in ``kelurahan`` (None: anywhere, with or without an area), of
    ``mother_ids``, not ended before ``ongoing_on``, registered between the two days of
    ``registered`` (inclusive); by registration day (the unregistered first), then id."""
    p = table_of(Pregnancy)
    query = select(p)
    if kelurahan is not None:
        query = query.where(p.c.kelurahan_code.in_(sorted(kelurahan)))
    if mother_ids is not None:
        query = query.where(p.c.mother_id.in_(sorted(set(mother_ids))))
    if ongoing_on is not None:
        query = query.where(or_(p.c.ended_on.is_(None), p.c.ended_on >= ongoing_on))
    if registered is not None:
        query = query.where(p.c.registered_on.between(*registered))
    query = query.order_by(p.c.registered_on.is_not(None), p.c.registered_on, p.c.id)
    return [_pregnancy(r) for r in connection.execute(query)]


def newborns(connection: Connection, pregnancy_ids: Iterable[int]) -> list[Newborn]:
    """The children born of the pregnancies, by pregnancy then child id."""
    c = table_of(Child)
    query = (
        select(c)
        .where(c.c.pregnancy_id.in_(sorted(set(pregnancy_ids))))
        .order_by(c.c.pregnancy_id, c.c.id)
    )
    return [
        Newborn(
            int(r.id),
            int(r.pregnancy_id),
            Sex(r.sex),
            r.birth_date,
            r.birth_weight_kg,
            r.birth_length_cm,
        )
        for r in connection.execute(query)
    ]


def add_anc_visit(
    connection: Connection,
    pregnancy_id: int,
    visit: AncVisitData,
    *,
    by: int | None,
    now: datetime,
) -> int:
    """Add an ANC visit; its id. :class:`VisitTaken` when the pregnancy has one that day."""
    values = asdict(visit) | {"pregnancy_id": pregnancy_id, "recorded_by": by}
    values |= {"created_at": now, "updated_at": now}
    taken = VisitTaken("the pregnancy has an ANC visit on that day")
    return insert_row(connection, AncVisit, values, (taken, *ANC_DAY))


def update_anc_visit(
    connection: Connection, visit_id: int, visit: AncVisitData, *, now: datetime
) -> None:
    """Replace an ANC visit's fields; :class:`VisitTaken` as :func:`add_anc_visit`."""
    a = table_of(AncVisit)
    statement = update(a).where(a.c.id == visit_id).values(updated_at=now, **asdict(visit))
    taken = VisitTaken("the pregnancy has an ANC visit on that day")
    execute_refusing(connection, statement, (taken, *ANC_DAY))


def delete_anc_visit(connection: Connection, visit_id: int) -> None:
    """Remove an ANC visit."""
    a = table_of(AncVisit)
    connection.execute(delete(a).where(a.c.id == visit_id))


def anc_visit_rows(connection: Connection, pregnancy_ids: Iterable[int]) -> list[AncVisitRow]:
    """The ANC visits of the pregnancies, by pregnancy, day and id."""
    a = table_of(AncVisit)
    query = (
        select(a)
        .where(a.c.pregnancy_id.in_(sorted(set(pregnancy_ids))))
        .order_by(a.c.pregnancy_id, a.c.visited_on, a.c.id)
    )
    fields = AncVisitData.__dataclass_fields__
    rows = []
    for r in connection.execute(query):
        data = {name: getattr(r, name) for name in fields} | {"place": AncPlace(r.place)}
        rows.append(
            AncVisitRow(int(r.id), int(r.pregnancy_id), AncVisitData(**data), r.recorded_by)
        )
    return rows


def add_postpartum_visit(
    connection: Connection,
    pregnancy_id: int,
    visit_number: int,
    visited_on: date,
    *,
    note: str | None = None,
    by: int | None,
    now: datetime,
) -> int:
    """Add KF ``visit_number`` (1-4); its id. :class:`VisitTaken` when it is recorded."""
    values = {
        "pregnancy_id": pregnancy_id,
        "visit_number": visit_number,
        "visited_on": visited_on,
        "note": note,
        "recorded_by": by,
        "created_at": now,
        "updated_at": now,
    }
    taken = VisitTaken("the pregnancy has a post-partum visit of that number")
    return insert_row(connection, PostpartumVisit, values, (taken, *KF_NUMBER))


def update_postpartum_visit(
    connection: Connection, visit_id: int, visited_on: date, note: str | None, *, now: datetime
) -> None:
    """Change a post-partum visit's day and note (its number stays)."""
    k = table_of(PostpartumVisit)
    values = {"visited_on": visited_on, "note": note, "updated_at": now}
    connection.execute(update(k).where(k.c.id == visit_id).values(**values))


def delete_postpartum_visit(connection: Connection, visit_id: int) -> None:
    """Remove a post-partum visit."""
    k = table_of(PostpartumVisit)
    connection.execute(delete(k).where(k.c.id == visit_id))


def postpartum_visit_rows(
    connection: Connection, pregnancy_ids: Iterable[int]
) -> list[PostpartumVisitRow]:
    """The post-partum visits of the pregnancies, by pregnancy and number."""
    k = table_of(PostpartumVisit)
    query = (
        select(k)
        .where(k.c.pregnancy_id.in_(sorted(set(pregnancy_ids))))
        .order_by(k.c.pregnancy_id, k.c.visit_number)
    )
    return [
        PostpartumVisitRow(
            int(r.id), int(r.pregnancy_id), int(r.visit_number), r.visited_on, r.note, r.recorded_by
        )
        for r in connection.execute(query)
    ]
