"""The TPK's use cases on both databases (docs/families.md): a family's KRS assessment
(BKKBN PK21, docs/domain.md §10 and §14), the target family from its people, the list's
filters and order, visits recorded, changed and removed (by whom), the criteria updated,
every change audited, and the scope: a TPK of one kelurahan neither sees nor writes
another's families."""

import json
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, Engine, insert, select

from tests.db.helpers import add_posyandu
from tumbuh.db.models import Child, Family, Mother, Pregnancy, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_maternal import TpkAction
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, UserInfo, create_user
from tumbuh.growth.krs import KrsCriterion
from tumbuh.usecases import families
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, scope_for
from tumbuh.usecases.family_input import (
    FamilyFilter,
    FieldError,
    NewTpkVisit,
    read_criteria,
    read_filter,
    read_tpk_visit,
)

CIBEBER, CIWADUK = "36.72.01.1001", "36.72.02.1005"
TODAY = date(2024, 8, 15)
NOW = datetime(2024, 8, 1, tzinfo=UTC)
SAFE = {"has_safe_drinking_water": True, "has_safe_latrine": True}
NO_TERLALU = {
    "wife_under_20": False,
    "wife_35_or_older": False,
    "birth_spacing_under_2_years": False,
    "more_than_3_children": False,
}


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def _family(connection: Connection, kelurahan: str, **criteria: bool | None) -> int:
    f = table_of(Family)
    values = {"kelurahan_code": kelurahan, **criteria}
    return int(connection.execute(insert(f).values(**values).returning(f.c.id)).scalar_one())


def _mother(connection: Connection, family_id: int, name: str, born: date | None) -> int:
    m = table_of(Mother)
    values = {"name": name, "birth_date": born, "family_id": family_id}
    return int(connection.execute(insert(m).values(**values).returning(m.c.id)).scalar_one())


@pytest.fixture
def city(engine: Engine) -> dict[str, int]:
    """Two posyandu in two kelurahan; in Cibeber a family at risk (no safe latrine) with a
    mother of 30 and a child of 10 months, a family not at risk, and one not assessed; in
    Ciwaduk a family at risk."""
    with engine.begin() as connection:
        cibeber = add_posyandu(connection, "P-1", CIBEBER, "Mawar")
        ciwaduk = add_posyandu(connection, "P-2", CIWADUK, "Melati")
        at_risk = _family(connection, CIBEBER, **{**SAFE, **NO_TERLALU, "has_safe_latrine": False})
        mother = _mother(connection, at_risk, "Siti Aminah", date(1994, 1, 10))
        connection.execute(
            insert(table_of(Child)).values(
                name="Bayi Siti", sex="female", birth_date=date(2023, 10, 1),
                mother_id=mother, family_id=at_risk, posyandu_id=cibeber,
            )
        )  # fmt: skip
        safe = _family(connection, CIBEBER, **SAFE, **NO_TERLALU)
        _mother(connection, safe, "Rina", date(1970, 1, 1))  # 54: no PUS
        unknown = _family(connection, CIBEBER)
        other = _family(connection, CIWADUK, **{**SAFE, **NO_TERLALU, "wife_under_20": True})
        pregnant = _mother(connection, other, "Dewi", date(2006, 3, 3))
        connection.execute(
            insert(table_of(Pregnancy)).values(
                mother_id=pregnant, hpht=date(2024, 5, 1), kelurahan_code=CIWADUK
            )
        )
    return {"cibeber": cibeber, "ciwaduk": ciwaduk, "at_risk": at_risk, "safe": safe,
            "unknown": unknown, "other": other}  # fmt: skip


def _user(
    connection: Connection, name: str, role: Role, posyandu: int | None
) -> tuple[UserInfo, Scope]:
    new = NewUser(name, f"TPK {name}", role, "rahasia-tpk-12", posyandu_id=posyandu)
    user = create_user(connection, new, NOW)
    connection.commit()
    return user, scope_for(connection, user)


def _visit(actions: list[str], note: str = "", day: str = "2024-08-01") -> NewTpkVisit:
    return read_tpk_visit({"visited_on": day, "note": note}, actions, TODAY)


def test_the_list_judges_each_family_by_the_krs_rule(engine: Engine, city: dict[str, int]) -> None:
    with engine.connect() as connection:
        _, scope = _user(connection, "ani", Role.TPK, city["cibeber"])
        listed = families.family_list(connection, scope, FamilyFilter(), today=TODAY)
    by_id = {f.id: f for f in listed.families}
    assert set(by_id) == {city["at_risk"], city["safe"], city["unknown"]}  # Cibeber only
    at_risk = by_id[city["at_risk"]]
    assert at_risk.at_risk is True  # one criterion holds: at risk (BKKBN PK21)
    assert at_risk.criteria == (KrsCriterion.NO_SAFE_LATRINE,)
    assert at_risk.target is True  # a PUS (30) and a child of 10 months
    assert (at_risk.children_under_five, at_risk.mothers) == (1, ("Siti Aminah",))
    assert at_risk.nomor_kk is None  # a TPK does not see NIK or KK
    assert by_id[city["safe"]].at_risk is False  # all six known not to hold
    assert by_id[city["safe"]].target is False  # a wife of 54, no child, no pregnancy
    assert by_id[city["unknown"]].at_risk is None  # nothing assessed: unknown, not "no"
    assert len(by_id[city["unknown"]].unknown) == 6
    assert [f.id for f in listed.families] == [city["at_risk"], city["unknown"], city["safe"]]


def test_a_pregnancy_makes_a_target_family(engine: Engine, city: dict[str, int]) -> None:
    with engine.connect() as connection:
        _, scope = _user(connection, "budi", Role.TPK, city["ciwaduk"])
        page = families.family_page(connection, scope, 0, city["other"], today=TODAY)
    assert page.summary.pregnant is True  # HPHT 1 May 2024, not ended, 15 weeks on 15 Aug
    assert page.summary.target is True
    assert page.summary.criteria == (KrsCriterion.WIFE_UNDER_20,)


def test_the_filters_keep_at_risk_and_not_visited(engine: Engine, city: dict[str, int]) -> None:
    with engine.connect() as connection:
        user, scope = _user(connection, "ani", Role.TPK, city["cibeber"])
        families.record_visit(connection, user, scope, city["at_risk"], _visit(["sanitation"]))
        risk = families.family_list(connection, scope, read_filter({"at_risk": "1"}), today=TODAY)
        recent = read_filter({"not_visited_days": "30"})
        long_ago = read_filter({"not_visited_days": "10"})
        not_in_30 = families.family_list(connection, scope, recent, today=TODAY)
        not_in_10 = families.family_list(connection, scope, long_ago, today=TODAY)
    assert [f.id for f in risk.families] == [city["at_risk"]]
    assert city["at_risk"] not in {f.id for f in not_in_30.families}  # visited 14 days ago
    assert city["at_risk"] in {f.id for f in not_in_10.families}
    assert risk.families[0].last_visited_on == date(2024, 8, 1)


def test_a_tpk_of_one_kelurahan_neither_sees_nor_writes_another(
    engine: Engine, city: dict[str, int]
) -> None:
    with engine.connect() as connection:
        user, scope = _user(connection, "ani", Role.TPK, city["cibeber"])
        with pytest.raises(OutOfScope):
            families.family_page(connection, scope, user.id, city["other"], today=TODAY)
        with pytest.raises(OutOfScope):
            families.record_visit(connection, user, scope, city["other"], _visit(["referral"]))
        criteria = read_criteria({"has_safe_latrine": "yes"}, TODAY)
        with pytest.raises(OutOfScope):
            families.update_criteria(connection, user, scope, city["other"], criteria, today=TODAY)
        with pytest.raises(FieldError) as refused:
            families.family_list(connection, scope, FamilyFilter(kelurahan=CIWADUK), today=TODAY)
    assert str(refused.value) == (
        f"Kelurahan: '{CIWADUK}' is not a kelurahan of your area; choose one from the list"
    )


def test_visits_are_audited_and_changed_only_by_their_tpk_or_an_admin(
    engine: Engine, city: dict[str, int]
) -> None:
    with engine.connect() as connection:
        ani = _user(connection, "ani", Role.TPK, city["cibeber"])
        eka = _user(connection, "eka", Role.TPK, city["cibeber"])
        admin = _user(connection, "admin", Role.ADMIN, None)
        family = city["at_risk"]
        visit = families.record_visit(
            connection, *ani, family, _visit(["sanitation", "family_planning"], "Uji")
        )
        with pytest.raises(NotAllowed):
            families.edit_visit(connection, *eka, family, visit, _visit(["referral"]))
        with pytest.raises(NotAllowed):
            families.delete_visit(connection, *eka, family, visit)
        families.edit_visit(connection, *ani, family, visit, _visit(["food_aid"], day="2024-08-02"))
        page = families.family_page(connection, eka[1], eka[0].id, family, today=TODAY)
        assert [(v.member, v.actions, v.editable) for v in page.visits] == [
            ("TPK ani", (TpkAction.FOOD_AID,), False)  # recorded by ani, not eka
        ]
        families.delete_visit(connection, *admin, family, visit)
        audit = table_of(AuditEntry)
        rows = connection.execute(
            select(audit.c.action, audit.c.entity, audit.c.before, audit.c.after)
            .where(audit.c.entity == "tpk_visit")
            .order_by(audit.c.id)
        ).all()
    assert [(r.action, r.entity) for r in rows] == [
        ("create", "tpk_visit"), ("update", "tpk_visit"), ("delete", "tpk_visit")
    ]  # fmt: skip
    assert "Uji" not in str(rows)  # the note (free text) is not audited
    assert "family_planning" in str(rows[0].after)


def test_the_criteria_update_is_audited_and_changes_the_judgement(
    engine: Engine, city: dict[str, int]
) -> None:
    with engine.connect() as connection:
        user, scope = _user(connection, "ani", Role.TPK, city["cibeber"])
        raw = {"has_safe_drinking_water": "yes", "has_safe_latrine": "ya", "wife_under_20": "no",
               "wife_35_or_older": "tidak", "birth_spacing_under_2_years": "no",
               "more_than_3_children": "no", "krs_assessed_on": "2024-08-10"}  # fmt: skip
        families.update_criteria(
            connection, user, scope, city["at_risk"], read_criteria(raw, TODAY), today=TODAY
        )
        page = families.family_page(connection, scope, user.id, city["at_risk"], today=TODAY)
        audit = table_of(AuditEntry)
        row = connection.execute(select(audit).where(audit.c.entity == "family")).one()
    assert page.summary.at_risk is False  # the latrine is safe now: nothing holds
    assert page.summary.krs_assessed_on == date(2024, 8, 10)
    assert (row.action, row.entity_id) == ("update", city["at_risk"])
    assert json.loads(row.before)["has_safe_latrine"] is False
    assert json.loads(row.after)["has_safe_latrine"] is True
    assert json.loads(row.after)["krs_assessed_on"] == "2024-08-10"


def test_bad_input_names_the_field_and_the_value(engine: Engine, city: dict[str, int]) -> None:
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: _visit([]), "What was advised or given: tick at least one thing advised or "
         "given, or write a note"),
        (lambda: _visit(["other"]), "Note: say in the note what 'other' was"),
        (lambda: _visit(["massage"]), "What was advised or given: 'massage' is not one of the "
         "choices; accepted: " + ", ".join(a.value for a in TpkAction)),
        (lambda: _visit(["referral"], day="2024-08-16"), "Day of the visit: 2024-08-16 is after "
         "today; write a day that has come"),
        (lambda: read_criteria({"wife_under_20": "maybe"}, TODAY), "Wife under 20 (too young): "
         "'maybe' is not accepted; answer yes, no or leave it empty (not known)"),
    ]  # fmt: skip
    for make, message in cases:
        with pytest.raises(FieldError) as refused:
            make()
        assert str(refused.value) == message


def test_roles_that_do_not_see_families(engine: Engine, city: dict[str, int]) -> None:
    analyst = Scope(Role.ANALYST, None, None, False, False, False, False, False)
    with engine.connect() as connection:
        with pytest.raises(NotAllowed):
            families.family_list(connection, analyst, FamilyFilter(), today=TODAY)
        bidan, scope = _user(connection, "bidan", Role.BIDAN, city["cibeber"])
        assert families.family_list(connection, scope, FamilyFilter(), today=TODAY).total == 3
        with pytest.raises(NotAllowed):  # a bidan reads families, records no visit
            families.record_visit(connection, bidan, scope, city["at_risk"], _visit(["referral"]))
