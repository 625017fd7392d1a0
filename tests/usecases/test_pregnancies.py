"""The bidan's use cases on both databases: a pregnancy registered (mother found by NIK
or added, HPL and weeks by Naegele's rule, KEK and anaemia judged at K1), ANC visits and
a birth that creates the child at the posyandu, KF visits, the area's list, and the scope
(a bidan of another area gets nothing). Rules: docs/domain.md §14."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, Engine, func, select

from tests.db.helpers import add_posyandu
from tumbuh.db.models import Child, Mother, Pregnancy, PregnancyOutcome, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, UserInfo, create_user
from tumbuh.growth.enums import Sex
from tumbuh.growth.maternal import AnaemiaBand
from tumbuh.usecases import pregnancies, pregnancy_visits
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, scope_for
from tumbuh.usecases.pregnancy_input import (
    FieldError,
    read_birth,
    read_pregnancy,
    read_visit,
)

CIBEBER, CIWADUK = "36.72.01.1001", "36.72.02.1005"
TODAY = date(2024, 8, 15)
NOW = datetime(2024, 8, 1, tzinfo=UTC)
NIK = "3672014101950001"  # synthetic
ANALYST = Scope(Role.ANALYST, None, None, False, False, False, False, False)


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


@pytest.fixture
def area(engine: Engine) -> dict[str, int]:
    with engine.begin() as connection:
        return {
            "cibeber": add_posyandu(connection, "P-1", CIBEBER, "Mawar"),
            "ciwaduk": add_posyandu(connection, "P-2", CIWADUK, "Melati"),
        }


def _bidan(connection: Connection, name: str, posyandu_id: int) -> tuple[UserInfo, Scope]:
    user = create_user(
        connection,
        NewUser(name, f"Bidan {name}", Role.BIDAN, "rahasia-bidan-1", posyandu_id=posyandu_id),
        NOW,
    )
    connection.commit()
    return user, scope_for(connection, user)


def _register(connection: Connection, bidan: tuple[UserInfo, Scope], posyandu: int) -> int:
    raw = {
        "nik": NIK,
        "mother_name": "Siti Aminah",
        "mother_birth_date": "2004-05-02",  # 19 years old at the HPHT: terlalu muda
        "posyandu_id": str(posyandu),
        "hpht": "2024-05-01",
        "k1_on": "2024-06-10",
        "muac_cm": "22,9",
        "hb_g_dl": "10.4",
    }
    return pregnancies.register_pregnancy(
        connection, *bidan, read_pregnancy(raw, TODAY), today=TODAY
    )


def test_a_bidan_registers_a_pregnancy_and_sees_hpl_weeks_kek_and_anaemia(
    engine: Engine, area: dict[str, int]
) -> None:
    with engine.connect() as connection:
        bidan = _bidan(connection, "ani", area["cibeber"])
        pregnancy_id = _register(connection, bidan, area["cibeber"])
        page = pregnancies.pregnancy_page(connection, bidan[1], pregnancy_id, today=TODAY)
    summary = page.summary
    assert summary.due_date == date(2025, 2, 5)  # Naegele: 1 May 2024 + 280 days
    assert summary.weeks == 15  # 106 days from 1 May to 15 August: 15 completed weeks
    assert summary.kek is True  # LiLA 22.9 < 23.5 cm
    assert summary.anaemia is AnaemiaBand.MILD  # Hb 10.4: 10.0-10.9 in pregnancy (WHO 2011)
    assert summary.k_visits == 1  # K1 is the first visit
    assert summary.mother_nik == NIK
    assert (summary.terlalu_muda, summary.terlalu_tua) == (True, False)  # BKKBN: under 20
    assert [v.visit.visited_on for v in page.visits] == [date(2024, 6, 10)]


def test_a_second_pregnancy_of_the_same_nik_finds_the_mother(
    engine: Engine, area: dict[str, int]
) -> None:
    with engine.connect() as connection:
        bidan = _bidan(connection, "ani", area["cibeber"])
        _register(connection, bidan, area["cibeber"])
        raw = {"nik": NIK, "posyandu_id": str(area["cibeber"]), "k1_on": "2024-08-01"}
        pregnancies.register_pregnancy(connection, *bidan, read_pregnancy(raw, TODAY), today=TODAY)
        mothers = connection.execute(select(func.count()).select_from(table_of(Mother)))
        assert mothers.scalar_one() == 1


def test_visits_and_a_live_birth_create_the_child_at_the_posyandu(
    engine: Engine, area: dict[str, int]
) -> None:
    with engine.connect() as connection:
        bidan = _bidan(connection, "ani", area["cibeber"])
        pregnancy_id = _register(connection, bidan, area["cibeber"])
        for day, tablets in (("2024-07-10", "30"), ("2024-08-10", "30")):
            visit = read_visit({"visited_on": day, "iron_tablets_given": tablets}, TODAY)
            pregnancies.record_visit(connection, *bidan, pregnancy_id, visit)
        birth = read_birth(
            {
                "ended_on": "2024-08-14",
                "child_name": "Bayi Siti",
                "sex": "female",
                "birth_weight_g": "2400",
                "birth_length_cm": "47,5",
            },
            TODAY,
        )
        child_id = pregnancies.record_birth(connection, *bidan, pregnancy_id, birth)
        assert child_id is not None
        c = table_of(Child)
        child = connection.execute(select(c).where(c.c.id == child_id)).one()
        facts = pregnancies.birth_of_child(connection, bidan[1], child_id)
        listed = pregnancies.pregnancy_list(connection, bidan[1], today=TODAY)
        audits = connection.execute(select(func.count()).select_from(table_of(AuditEntry)))
        assert audits.scalar_one() == 5  # pregnancy, 2 visits, the end, the child
    assert (child.posyandu_id, child.pregnancy_id, child.birth_date) == (
        area["cibeber"],
        pregnancy_id,
        date(2024, 8, 14),
    )
    assert child.birth_weight_kg == pytest.approx(2.4)
    assert facts is not None
    assert facts.weeks == 15  # from the HPHT: 105 days
    assert (facts.bblr, facts.pblr, facts.preterm) == (True, True, True)  # <2500 g, <48 cm, <37
    assert listed[0].k_visits == 3
    assert listed[0].iron_tablets == 60
    assert listed[0].ttd_complete is False  # 60 of 90
    assert listed[0].outcome is PregnancyOutcome.LIVE_BIRTH


def test_a_kf_visit_comes_after_the_birth(engine: Engine, area: dict[str, int]) -> None:
    with engine.connect() as connection:
        bidan = _bidan(connection, "ani", area["cibeber"])
        pregnancy_id = _register(connection, bidan, area["cibeber"])
        with pytest.raises(FieldError) as refused:
            pregnancies.record_kf_visit(
                connection, *bidan, pregnancy_id, 1, date(2024, 8, 14), None
            )
        assert refused.value.field == "visited_on"
        birth = read_birth({"ended_on": "2024-08-12", "outcome": "stillbirth"}, TODAY)
        assert pregnancies.record_birth(connection, *bidan, pregnancy_id, birth) is None
        pregnancies.record_kf_visit(connection, *bidan, pregnancy_id, 1, date(2024, 8, 14), None)
        with pytest.raises(FieldError, match="KF1"):
            pregnancies.record_kf_visit(
                connection, *bidan, pregnancy_id, 1, date(2024, 8, 15), None
            )
        page = pregnancies.pregnancy_page(connection, bidan[1], pregnancy_id, today=TODAY)
    assert [k.visit_number for k in page.kf_visits] == [1]


def test_a_bidan_of_another_area_gets_nothing(engine: Engine, area: dict[str, int]) -> None:
    with engine.connect() as connection:
        ani = _bidan(connection, "ani", area["cibeber"])
        other = _bidan(connection, "budi", area["ciwaduk"])
        pregnancy_id = _register(connection, ani, area["cibeber"])
        assert pregnancies.pregnancy_list(connection, other[1], today=TODAY) == []
        with pytest.raises(OutOfScope):
            pregnancies.pregnancy_page(connection, other[1], pregnancy_id, today=TODAY)
        visit = read_visit({"visited_on": "2024-08-01"}, TODAY)
        with pytest.raises(OutOfScope):
            pregnancies.record_visit(connection, *other, pregnancy_id, visit)
        with pytest.raises(FieldError) as refused:
            _register(connection, other, area["cibeber"])  # a posyandu outside her area
        assert refused.value.field == "posyandu_id"
        with pytest.raises(NotAllowed):
            pregnancies.pregnancy_list(connection, ANALYST, today=TODAY)


def test_the_scope_of_a_bidan_and_a_tpk_is_their_area_without_child_edits(
    engine: Engine, area: dict[str, int]
) -> None:
    with engine.connect() as connection:
        _user, bidan = _bidan(connection, "ani", area["cibeber"])
        tpk_user = create_user(
            connection,
            NewUser("tpk", "TPK", Role.TPK, "rahasia-tpk-12", posyandu_id=area["ciwaduk"]),
            NOW,
        )
        tpk = scope_for(connection, tpk_user)
    assert (bidan.kelurahan, bidan.posyandu) == (frozenset({CIBEBER}), None)
    assert (bidan.may_see_children, bidan.may_see_nik, bidan.may_write) == (True, True, False)
    assert (tpk.kelurahan, tpk.may_see_nik, tpk.may_write, tpk.may_import) == (
        frozenset({CIWADUK}),
        False,
        False,
        False,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nik", "36720141019500", "Mother's NIK: a NIK has 16 digits and nothing else; 14"),
        ("hpht", "2024-13-01", "HPHT (first day of the last period): '2024-13-01' is not a date"),
        ("muac_cm", "229", "LiLA (cm): '229' is not accepted; write a number from 10 to 50"),
    ],
)
def test_bad_input_names_the_field_the_value_and_what_is_accepted(
    field: str, value: str, message: str
) -> None:
    raw = {"nik": NIK, "posyandu_id": "1", "hpht": "2024-05-01", field: value}
    with pytest.raises(FieldError) as refused:
        read_pregnancy(raw, TODAY)
    assert str(refused.value).startswith(message)
    assert refused.value.field == field
    assert NIK[:10] not in str(refused.value)


def test_a_live_birth_needs_the_babys_sex() -> None:
    with pytest.raises(FieldError) as refused:
        read_birth({"ended_on": "2024-08-01", "child_name": "Bayi"}, TODAY)
    assert refused.value.field == "sex"
    assert Sex.FEMALE.value in str(refused.value)


def _audits(connection: Connection, entity: str) -> list[tuple[str, str | None, str | None]]:
    a = table_of(AuditEntry)
    query = select(a.c.action, a.c.before, a.c.after).where(a.c.entity == entity)
    return [(str(r.action), r.before, r.after) for r in connection.execute(query.order_by(a.c.id))]


def test_an_anc_visit_is_corrected_and_removed_with_its_audit(
    engine: Engine, area: dict[str, int]
) -> None:
    with engine.connect() as connection:
        bidan = _bidan(connection, "ani", area["cibeber"])
        pregnancy_id = _register(connection, bidan, area["cibeber"])
        first = read_visit({"visited_on": "2024-07-01", "muac_cm": "22.0"}, TODAY)
        second = read_visit({"visited_on": "2024-08-01"}, TODAY)
        visit_id = pregnancies.record_visit(connection, *bidan, pregnancy_id, first)
        pregnancies.record_visit(connection, *bidan, pregnancy_id, second)
        typed = {"visited_on": "2024-07-02", "place": "puskesmas", "muac_cm": "22.5"}
        fixed = read_visit(typed | {"iron_tablets_given": "30"}, TODAY)
        pregnancy_visits.correct_visit(connection, *bidan, (pregnancy_id, visit_id), fixed)
        page = pregnancies.pregnancy_page(connection, bidan[1], pregnancy_id, today=TODAY)
        corrected = page.visits[1]  # the first is K1, recorded with the registration
        assert (corrected.id, corrected.visit.visited_on) == (visit_id, date(2024, 7, 2))
        assert (corrected.visit.place.value, corrected.visit.muac_cm) == ("puskesmas", 22.5)
        assert page.summary.iron_tablets == 30
        clash = read_visit({"visited_on": "2024-08-01"}, TODAY)  # the other visit's day
        with pytest.raises(FieldError, match="2024-08-01") as refused:
            pregnancy_visits.correct_visit(connection, *bidan, (pregnancy_id, visit_id), clash)
        assert refused.value.field == "visited_on"
        pregnancy_visits.remove_visit(connection, *bidan, (pregnancy_id, visit_id))
        page = pregnancies.pregnancy_page(connection, bidan[1], pregnancy_id, today=TODAY)
        audits = _audits(connection, "anc_visit")
    assert [v.visit.visited_on for v in page.visits] == [date(2024, 6, 10), date(2024, 8, 1)]
    assert [a[0] for a in audits][-4:] == ["create", "create", "update", "delete"]
    assert '"muac_cm": 22.0' in (audits[-2][1] or "")
    assert '"muac_cm": 22.5' in (audits[-2][2] or "")
    assert '"visited_on": "2024-07-02"' in (audits[-1][1] or "")
    assert audits[-1][2] is None


def test_a_visit_is_found_only_through_its_own_pregnancy_and_area(
    engine: Engine, area: dict[str, int]
) -> None:
    with engine.connect() as connection:
        ani = _bidan(connection, "ani", area["cibeber"])
        other = _bidan(connection, "budi", area["ciwaduk"])
        pregnancy_id = _register(connection, ani, area["cibeber"])
        visit = read_visit({"visited_on": "2024-07-01"}, TODAY)
        visit_id = pregnancies.record_visit(connection, *ani, pregnancy_id, visit)
        with pytest.raises(OutOfScope):  # a bidan of another area
            pregnancy_visits.remove_visit(connection, *other, (pregnancy_id, visit_id))
        with pytest.raises(OutOfScope):  # the visit is not of that pregnancy
            pregnancy_visits.remove_visit(connection, *ani, (pregnancy_id, visit_id + 1))
        tpk = create_user(
            connection,
            NewUser("tpk", "TPK", Role.TPK, "rahasia-tpk-12", posyandu_id=area["cibeber"]),
            NOW,
        )
        connection.commit()
        with pytest.raises(NotAllowed):  # a TPK reads pregnancies, never changes them
            pregnancy_visits.remove_visit(
                connection, tpk, scope_for(connection, tpk), (pregnancy_id, visit_id)
            )
        page = pregnancies.pregnancy_page(connection, ani[1], pregnancy_id, today=TODAY)
    assert [v.id for v in page.visits][-1] == visit_id
    assert len(page.visits) == 2
    assert page.may_write


def test_a_kf_visit_is_corrected_not_before_the_birth_and_removed(
    engine: Engine, area: dict[str, int]
) -> None:
    with engine.connect() as connection:
        bidan = _bidan(connection, "ani", area["cibeber"])
        pregnancy_id = _register(connection, bidan, area["cibeber"])
        birth = read_birth({"ended_on": "2024-08-12", "outcome": "stillbirth"}, TODAY)
        pregnancies.record_birth(connection, *bidan, pregnancy_id, birth)
        kf = pregnancies.record_kf_visit(
            connection, *bidan, pregnancy_id, 1, date(2024, 8, 14), None
        )
        ids = (pregnancy_id, kf)
        with pytest.raises(FieldError, match="2024-08-11") as refused:
            pregnancy_visits.correct_kf_visit(connection, *bidan, ids, date(2024, 8, 11), None)
        assert refused.value.field == "visited_on"
        pregnancy_visits.correct_kf_visit(connection, *bidan, ids, date(2024, 8, 13), "rumah")
        page = pregnancies.pregnancy_page(connection, bidan[1], pregnancy_id, today=TODAY)
        assert [(k.visited_on, k.note) for k in page.kf_visits] == [(date(2024, 8, 13), "rumah")]
        pregnancy_visits.remove_kf_visit(connection, *bidan, ids)
        page = pregnancies.pregnancy_page(connection, bidan[1], pregnancy_id, today=TODAY)
        audits = _audits(connection, "postpartum_visit")
    assert page.kf_visits == []
    assert [a[0] for a in audits] == ["create", "update", "delete"]


def test_registration_judges_terlalu_dekat_and_banyak_from_the_births_she_reports(
    engine: Engine, area: dict[str, int]
) -> None:
    # BKKBN PK21: births less than 2 years apart, more than 3 children. Four children born
    # before, the last on 2022-12-01: an HPHT on 2024-05-01 is 17 months later.
    raw = {
        "nik": NIK,
        "mother_name": "Siti Aminah",
        "mother_birth_date": "1994-05-02",  # 29 at the HPHT: neither too young nor too old
        "posyandu_id": str(area["cibeber"]),
        "hpht": "2024-05-01",
        "k1_on": "2024-06-10",
        "previous_live_births": "4",
        "previous_birth_on": "2022-12-01",
    }
    with engine.connect() as connection:
        bidan = _bidan(connection, "ani", area["cibeber"])
        new = read_pregnancy(raw, TODAY)
        pregnancy_id = pregnancies.register_pregnancy(connection, *bidan, new, today=TODAY)
        s = pregnancies.pregnancy_page(connection, bidan[1], pregnancy_id, today=TODAY).summary
        stored = connection.execute(
            select(Pregnancy.previous_live_births, Pregnancy.previous_birth_on)
        ).one()
    assert (s.terlalu_muda, s.terlalu_tua, s.terlalu_dekat, s.terlalu_banyak) == (
        False,
        False,
        True,
        True,
    )
    assert tuple(stored) == (4, date(2022, 12, 1))  # the facts are kept beside the flags


def test_a_first_pregnancy_is_neither_too_close_nor_too_many(
    engine: Engine, area: dict[str, int]
) -> None:
    raw = {"nik": NIK, "mother_name": "Siti Aminah", "posyandu_id": str(area["cibeber"]),
           "hpht": "2024-05-01", "previous_live_births": "0"}  # fmt: skip
    with engine.connect() as connection:
        bidan = _bidan(connection, "ani", area["cibeber"])
        new = read_pregnancy(raw, TODAY)
        pregnancy_id = pregnancies.register_pregnancy(connection, *bidan, new, today=TODAY)
        s = pregnancies.pregnancy_page(connection, bidan[1], pregnancy_id, today=TODAY).summary
    assert (s.terlalu_dekat, s.terlalu_banyak) == (False, False)
    assert s.terlalu_muda is None  # no birth date: her age is unknown


@pytest.mark.parametrize(
    ("births", "last_birth", "field"),
    [
        ("0", "2023-01-01", "previous_birth_on"),  # a last birth but no child born
        ("2", "2024-06-01", "previous_birth_on"),  # after the HPHT
        ("21", "", "previous_live_births"),  # beyond 20
        ("dua", "", "previous_live_births"),
    ],
)
def test_impossible_previous_births_are_refused_naming_the_field(
    births: str, last_birth: str, field: str
) -> None:
    raw = {"nik": NIK, "posyandu_id": "1", "hpht": "2024-05-01",
           "previous_live_births": births, "previous_birth_on": last_birth}  # fmt: skip
    with pytest.raises(FieldError) as refused:
        read_pregnancy(raw, TODAY)
    assert refused.value.field == field
