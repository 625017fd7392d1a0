"""A child's month, catin and TPK visits as rows, on SQLite and PostgreSQL: saved and
read back, listed by area, refused by name (never by value) where unique, and kept
within plausible ranges by the schema."""

from datetime import date

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from tests.db.helpers import add_child, add_posyandu
from tests.db.maternal_helpers import CIBEBER, NOW, OTHER_KELURAHAN, add_family
from tumbuh.db.maternal.catin import (
    CatinPerson,
    Screening,
    add_catin,
    catin_row,
    catin_rows,
    record_follow_up,
    record_screening,
    update_person,
)
from tumbuh.db.maternal.child_months import (
    MonthRecord,
    basic_immunisation,
    child_month_rows,
    save_child_month,
    set_basic_immunisation,
)
from tumbuh.db.maternal.refusals import NikTaken
from tumbuh.db.maternal.tpk_visits import (
    TpkVisitData,
    add_tpk_visit,
    delete_tpk_visit,
    tpk_visit_rows,
    update_tpk_visit,
)
from tumbuh.db.models_maternal import TpkAction
from tumbuh.db.versions import StaleVersion
from tumbuh.growth.child_months import KpspResult
from tumbuh.growth.enums import Sex

MARCH, APRIL = date(2025, 3, 1), date(2025, 4, 1)
NIK = "3672014101000001"  # synthetic: 16 digits of the Cilegon shape, no real person


def _child_at(connection: Connection, kelurahan_code: str, code: str) -> int:
    posyandu = add_posyandu(connection, code, kelurahan_code, f"Posyandu {code}")
    return add_child(connection, birth_date=date(2024, 12, 5), posyandu_id=posyandu)


def test_a_second_save_of_a_month_replaces_the_first(connection: Connection) -> None:
    child_id = _child_at(connection, CIBEBER, "P-CM-1")
    first = save_child_month(
        connection, child_id, MARCH, MonthRecord(exclusive_breastfeeding=True), by=None, now=NOW
    )
    record = MonthRecord(False, None, True, KpspResult.MERAGUKAN)
    again = save_child_month(connection, child_id, MARCH, record, by=None, now=NOW)
    assert again == first
    [row] = child_month_rows(connection, (MARCH, APRIL), child_ids=[child_id])
    assert (row.month, row.record) == (MARCH, record)


def test_a_month_is_its_first_day(connection: Connection) -> None:
    child_id = _child_at(connection, CIBEBER, "P-CM-2")
    with pytest.raises(ValueError, match="day 15"):
        save_child_month(connection, child_id, date(2025, 3, 15), MonthRecord(), by=None, now=NOW)


def test_months_are_listed_by_the_kelurahan_of_the_childs_posyandu(
    connection: Connection,
) -> None:
    here = _child_at(connection, CIBEBER, "P-CM-3")
    there = _child_at(connection, OTHER_KELURAHAN, "P-CM-4")
    nowhere = add_child(connection, birth_date=date(2024, 11, 5))
    for child_id in (here, there, nowhere):
        for month in (MARCH, APRIL, date(2025, 5, 1)):
            save_child_month(connection, child_id, month, MonthRecord(), by=None, now=NOW)
    mine = child_month_rows(connection, (MARCH, APRIL), kelurahan=frozenset({CIBEBER}))
    assert [(r.child_id, r.month) for r in mine if r.child_id in (here, there, nowhere)] == [
        (here, MARCH),
        (here, APRIL),
    ]
    everyone = child_month_rows(connection, (MARCH, MARCH))
    assert {here, there, nowhere} <= {r.child_id for r in everyone}


def test_basic_immunisation_is_stored_once_on_the_child_with_its_version(
    connection: Connection,
) -> None:
    child_id = _child_at(connection, CIBEBER, "P-CM-5")
    set_basic_immunisation(connection, child_id, 1, date(2025, 11, 20))
    assert basic_immunisation(connection, [child_id]) == {child_id: date(2025, 11, 20)}
    with pytest.raises(StaleVersion):
        set_basic_immunisation(connection, child_id, 1, None)  # the child is at version 2
    version = connection.execute(text(f"SELECT version FROM child WHERE id = {child_id}"))
    assert version.scalar_one() == 2


def _person(kelurahan_code: str = CIBEBER, nik: str | None = NIK) -> CatinPerson:
    return CatinPerson(
        name="Catin Contoh",
        sex=Sex.FEMALE,
        kelurahan_code=kelurahan_code,
        registered_on=date(2025, 2, 3),
        nik=nik,
        birth_date=date(2001, 1, 1),
        wedding_planned_on=date(2025, 5, 10),
    )


def test_a_catin_with_screening_and_follow_up_comes_back(connection: Connection) -> None:
    catin_id = add_catin(connection, _person(), by=None, now=NOW)
    screening = Screening(date(2025, 2, 10), muac_cm=22.5, hb_g_dl=11.2, weight_kg=44.0)
    record_screening(connection, catin_id, screening, now=NOW)
    record_follow_up(connection, catin_id, "TTD 1 tablet/minggu, PMT", date(2025, 2, 12), now=NOW)
    row = catin_row(connection, catin_id)
    assert row is not None
    assert (row.person, row.screening) == (_person(), screening)
    assert (row.follow_up, row.follow_up_on) == ("TTD 1 tablet/minggu, PMT", date(2025, 2, 12))
    record_screening(connection, catin_id, None, now=NOW)
    assert (cleared := catin_row(connection, catin_id)) is not None
    assert cleared.screening is None


def test_a_second_catin_with_a_nik_is_refused_without_naming_it(connection: Connection) -> None:
    add_catin(connection, _person(), by=None, now=NOW)
    with pytest.raises(NikTaken) as refused:
        add_catin(connection, _person(OTHER_KELURAHAN), by=None, now=NOW)
    assert NIK not in str(refused.value)
    assert "Catin Contoh" not in str(refused.value)
    other = add_catin(connection, _person(nik=None), by=None, now=NOW)  # the transaction goes on
    with pytest.raises(NikTaken):
        update_person(connection, other, _person(), now=NOW)


@pytest.mark.parametrize(
    ("sql", "constraint"),
    [
        ("nik = '367201410100001'", "nik_length"),  # 15 digits: one lost
        ("muac_cm = 225", "muac_range"),  # mm for cm
        ("hb_g_dl = 112", "hb_range"),  # g/L for g/dL
        ("height_cm = 1.55", "height_range"),  # metres for cm
        ("follow_up_on = '2025-02-12'", "follow_up_says_what"),
    ],
)
def test_an_implausible_catin_is_refused_by_its_named_check(
    connection: Connection, sql: str, constraint: str
) -> None:
    catin_id = add_catin(connection, _person(nik=None), by=None, now=NOW)
    with pytest.raises(IntegrityError) as refused, connection.begin_nested():
        connection.execute(text(f"UPDATE catin SET {sql} WHERE id = {catin_id}"))
    assert f"ck_catin_{constraint}" in str(refused.value.orig)


def test_catin_are_listed_by_kelurahan_and_registration_day(connection: Connection) -> None:
    here = add_catin(connection, _person(nik=None), by=None, now=NOW)
    there = add_catin(connection, _person(OTHER_KELURAHAN, nik=None), by=None, now=NOW)
    mine = catin_rows(connection, kelurahan=frozenset({CIBEBER}))
    assert here in [r.id for r in mine]
    assert there not in [r.id for r in mine]
    february = (date(2025, 2, 1), date(2025, 2, 28))
    assert here in [r.id for r in catin_rows(connection, registered=february)]
    assert catin_rows(connection, registered=(date(2025, 3, 1), date(2025, 3, 31))) == []


def test_a_tpk_visit_keeps_its_actions_and_lists_by_the_familys_kelurahan(
    connection: Connection,
) -> None:
    here, there = add_family(connection, CIBEBER), add_family(connection, OTHER_KELURAHAN)
    actions = frozenset({TpkAction.NUTRITION_COUNSELLING, TpkAction.REFERRAL})
    visit = TpkVisitData(date(2025, 3, 4), actions, tpk_member="Bidan Contoh", note="rujuk")
    visit_id = add_tpk_visit(connection, here, visit, now=NOW)
    add_tpk_visit(connection, there, TpkVisitData(date(2025, 3, 5), frozenset(), "Kader"), now=NOW)
    [row] = tpk_visit_rows(connection, kelurahan=frozenset({CIBEBER}), family_ids=[here, there])
    assert (row.id, row.family_id, row.visit) == (visit_id, here, visit)
    changed = TpkVisitData(date(2025, 3, 4), frozenset({TpkAction.OTHER}), "Bidan Contoh")
    update_tpk_visit(connection, visit_id, changed, now=NOW)
    [again] = tpk_visit_rows(connection, family_ids=[here])
    assert again.visit == changed
    delete_tpk_visit(connection, visit_id)
    assert tpk_visit_rows(connection, family_ids=[here]) == []
    actions_left = text(f"SELECT count(*) FROM tpk_visit_action WHERE visit_id = {visit_id}")
    assert connection.execute(actions_left).scalar_one() == 0


def test_a_tpk_visit_must_say_who_came(connection: Connection) -> None:
    family_id = add_family(connection)
    with pytest.raises(IntegrityError) as refused, connection.begin_nested():
        add_tpk_visit(connection, family_id, TpkVisitData(date(2025, 3, 4), frozenset()), now=NOW)
    assert "ck_tpk_visit_who_given" in str(refused.value.orig)
