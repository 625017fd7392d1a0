"""Pregnancies, ANC and post-partum visits as rows, on SQLite and PostgreSQL: what is
stored comes back, lists keep to their area, a second visit of a day or a number is
refused by name without any value, and implausible values are refused by the schema."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Connection, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from tests.db.helpers import add_child, add_posyandu
from tests.db.kitchen_helpers import add_pregnancy as add_unregistered_pregnancy
from tests.db.maternal_helpers import (
    CIBEBER,
    NOW,
    OTHER_KELURAHAN,
    add_mother,
    registration,
)
from tumbuh.db.maternal.pregnancies import (
    AncVisitData,
    PregnancyEnd,
    add_anc_visit,
    add_postpartum_visit,
    add_pregnancy,
    anc_visit_rows,
    delete_anc_visit,
    newborns,
    postpartum_visit_rows,
    pregnancy_row,
    pregnancy_rows,
    record_end,
    update_anc_visit,
    update_registration,
)
from tumbuh.db.maternal.refusals import VisitTaken
from tumbuh.db.models import BirthPlace, Child, Pregnancy, PregnancyOutcome, table_of
from tumbuh.db.models_maternal import AncPlace

K1 = AncVisitData(date(2025, 1, 10), AncPlace.PUSKESMAS, 50.0, 22.9, 10.4, 30, "KEK: PMT")


def _pregnancy(connection: Connection, kelurahan_code: str = CIBEBER) -> int:
    return add_pregnancy(
        connection, add_mother(connection), registration(kelurahan_code), by=None, now=NOW
    )


def test_a_registration_comes_back_as_it_was_stored(connection: Connection) -> None:
    stored = registration()
    pregnancy_id = add_pregnancy(connection, add_mother(connection), stored, by=None, now=NOW)
    row = pregnancy_row(connection, pregnancy_id)
    assert row is not None
    assert row.registration == stored
    assert row.kelurahan_code == CIBEBER
    assert row.end is None
    changed = replace(registration(), muac_cm=24.0, mother_under_20=None)
    update_registration(connection, pregnancy_id, changed, now=NOW)
    assert (again := pregnancy_row(connection, pregnancy_id)) is not None
    assert again.registration == changed


def test_a_list_keeps_to_its_kelurahan(connection: Connection) -> None:
    here = _pregnancy(connection, CIBEBER)
    there = _pregnancy(connection, OTHER_KELURAHAN)
    unplaced = add_unregistered_pregnancy(connection, "Ibu Tanpa Wilayah")
    ids = [r.id for r in pregnancy_rows(connection, kelurahan=frozenset({CIBEBER}))]
    assert here in ids
    assert there not in ids
    assert unplaced not in ids
    everywhere = pregnancy_rows(connection)
    assert {here, there, unplaced} <= {r.id for r in everywhere}
    assert next(r for r in everywhere if r.id == unplaced).registration is None


def test_an_ended_pregnancy_is_not_ongoing_after_its_end(connection: Connection) -> None:
    pregnancy_id = _pregnancy(connection)
    end = PregnancyEnd(date(2025, 8, 2), PregnancyOutcome.LIVE_BIRTH, BirthPlace.PUSKESMAS, 39)
    record_end(connection, pregnancy_id, end, now=NOW)
    assert (row := pregnancy_row(connection, pregnancy_id)) is not None
    assert row.end == end
    mine = frozenset({CIBEBER})
    assert pregnancy_id in [
        r.id for r in pregnancy_rows(connection, kelurahan=mine, ongoing_on=date(2025, 8, 2))
    ]
    assert pregnancy_id not in [
        r.id for r in pregnancy_rows(connection, kelurahan=mine, ongoing_on=date(2025, 8, 3))
    ]
    record_end(connection, pregnancy_id, None, now=NOW)  # recorded by mistake
    assert (cleared := pregnancy_row(connection, pregnancy_id)) is not None
    assert cleared.end is None


def test_the_children_born_keep_their_own_birth_measurements(connection: Connection) -> None:
    pregnancy_id = _pregnancy(connection)
    child_id = add_child(connection, birth_date=date(2025, 8, 2))
    c = table_of(Child)
    values = {"pregnancy_id": pregnancy_id, "birth_weight_kg": 2.45, "birth_length_cm": 47.0}
    connection.execute(update(c).where(c.c.id == child_id).values(**values))
    [born] = newborns(connection, [pregnancy_id])
    assert (born.child_id, born.birth_weight_kg, born.birth_length_cm) == (child_id, 2.45, 47.0)


def test_an_anc_visit_comes_back_and_a_second_one_that_day_is_refused(
    connection: Connection,
) -> None:
    pregnancy_id = _pregnancy(connection)
    first = add_anc_visit(connection, pregnancy_id, K1, by=None, now=NOW)
    with pytest.raises(VisitTaken) as refused:
        add_anc_visit(connection, pregnancy_id, K1, by=None, now=NOW)
    assert str(refused.value) == "the pregnancy has an ANC visit on that day"
    k2 = AncVisitData(date(2025, 3, 14), AncPlace.POSYANDU, weight_kg=52.3, iron_tablets_given=30)
    second = add_anc_visit(
        connection, pregnancy_id, k2, by=None, now=NOW
    )  # the transaction goes on
    rows = anc_visit_rows(connection, [pregnancy_id])
    assert [(r.id, r.visit) for r in rows] == [(first, K1), (second, k2)]
    with pytest.raises(VisitTaken):
        update_anc_visit(connection, second, K1, now=NOW)
    delete_anc_visit(connection, first)
    assert [r.id for r in anc_visit_rows(connection, [pregnancy_id])] == [second]


def test_kf_visits_are_one_per_number_from_one_to_four(connection: Connection) -> None:
    pregnancy_id = _pregnancy(connection)
    add_postpartum_visit(connection, pregnancy_id, 2, date(2025, 8, 6), by=None, now=NOW)
    add_postpartum_visit(connection, pregnancy_id, 1, date(2025, 8, 3), by=None, now=NOW)
    with pytest.raises(VisitTaken):
        add_postpartum_visit(connection, pregnancy_id, 1, date(2025, 8, 4), by=None, now=NOW)
    with pytest.raises(IntegrityError), connection.begin_nested():
        add_postpartum_visit(connection, pregnancy_id, 5, date(2025, 9, 30), by=None, now=NOW)
    rows = postpartum_visit_rows(connection, [pregnancy_id])
    assert [(r.visit_number, r.visited_on) for r in rows] == [
        (1, date(2025, 8, 3)),
        (2, date(2025, 8, 6)),
    ]


@pytest.mark.parametrize(
    ("column", "value", "constraint"),
    [
        ("muac_cm", 9.9, "muac_range"),  # LiLA below 10 cm
        ("muac_cm", 235.0, "muac_range"),  # 23.5 cm typed in mm
        ("hb_g_dl", 2.9, "hb_range"),
        ("hb_g_dl", 104.0, "hb_range"),  # 10.4 g/dL typed as g/L
        ("weight_kg", 52300.0, "weight_range"),  # grams for kilograms
        ("iron_tablets_given", -1, "iron_tablets_range"),
    ],
)
def test_an_implausible_anc_value_is_refused_by_its_named_check(
    connection: Connection, column: str, value: float, constraint: str
) -> None:
    pregnancy_id = _pregnancy(connection)
    visit_id = add_anc_visit(connection, pregnancy_id, K1, by=None, now=NOW)
    with pytest.raises(IntegrityError) as refused, connection.begin_nested():
        connection.execute(text(f"UPDATE anc_visit SET {column} = {value} WHERE id = {visit_id}"))
    assert f"ck_anc_visit_{constraint}" in str(refused.value.orig)


@pytest.mark.parametrize(
    ("column", "value"), [("muac_cm", 10.0), ("muac_cm", 50.0), ("hb_g_dl", 3.0), ("hb_g_dl", 20.0)]
)
def test_the_range_ends_are_accepted(connection: Connection, column: str, value: float) -> None:
    pregnancy_id = _pregnancy(connection)
    visit_id = add_anc_visit(connection, pregnancy_id, K1, by=None, now=NOW)
    connection.execute(text(f"UPDATE anc_visit SET {column} = {value} WHERE id = {visit_id}"))


@pytest.mark.parametrize(
    "change",
    [
        {"ended_on": date(2025, 8, 2)},  # an end needs its outcome
        {"due_date": date(2024, 10, 1)},  # HPL before HPHT
        {"gestational_age_at_registration_weeks": 46},
        {"weight_before_kg": 4850.0},
        {"height_cm": 1.52},  # metres for centimetres
    ],
)
def test_an_implausible_pregnancy_is_refused(
    connection: Connection, change: dict[str, object]
) -> None:
    pregnancy_id = _pregnancy(connection)
    p = table_of(Pregnancy)
    with pytest.raises(IntegrityError), connection.begin_nested():
        connection.execute(update(p).where(p.c.id == pregnancy_id).values(**change))


def test_a_pregnancy_can_name_its_posyandu_and_must_name_a_real_one(
    connection: Connection,
) -> None:
    posyandu = add_posyandu(connection, "P-MAT-1", CIBEBER, "Posyandu Mawar")
    pregnancy_id = add_pregnancy(
        connection,
        add_mother(connection),
        replace(registration(), posyandu_id=posyandu),
        by=None,
        now=NOW,
    )
    p = table_of(Pregnancy)
    stored = connection.execute(select(p.c.posyandu_id).where(p.c.id == pregnancy_id))
    assert stored.scalar_one() == posyandu
    with pytest.raises(IntegrityError), connection.begin_nested():
        connection.execute(insert(p).values(mother_id=add_mother(connection), posyandu_id=987_654))
