"""Kitchens on both databases: added and changed by the roles allowed to, in their area,
with their funding lines; every change audited; a refused value writes nothing
(docs/kitchens.md)."""

import json
from datetime import date

import pytest
from sqlalchemy import Connection, Engine, func, select

from tests.db.kitchen_helpers import add_kitchen
from tumbuh.db.audit import Actor
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_pmt import Kitchen, KitchenFunding
from tumbuh.db.setup import upgrade_database
from tumbuh.growth.kitchens import FieldProblem, FundingInput, KitchenInput
from tumbuh.growth.pmt import Funding, KitchenKind, KitchenOperator
from tumbuh.usecases import kitchens
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, kitchen_scope

CITY = "36.72"
CIBEBER, KEDALEMAN, BULAKAN = "36.72.01.1001", "36.72.01.1002", "36.72.01.1003"
CIWADUK = "36.72.02.1005"  # another kecamatan
ADMIN = Scope(Role.ADMIN, None, None, True, True, True, True, True)
ANALYST = Scope(Role.ANALYST, None, None, False, False, False, False, False)
PARTNER = Scope(Role.PARTNER, None, None, False, False, False, False, False)
NUTRITIONIST = Scope(
    Role.NUTRITIONIST, frozenset({CIBEBER, KEDALEMAN}), None, True, True, True, True, False
)
KADER = Scope(Role.KADER, frozenset({CIBEBER}), frozenset({1}), True, True, True, False, False)
TOOL = Actor("cli:test")
TODAY = date(2024, 8, 15)


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def _kitchen(kelurahan: str = CIBEBER, name: str = "Dapur Umum PKK Cibeber") -> KitchenInput:
    return KitchenInput(
        name=name,
        kind=KitchenKind.DAPUR_UMUM_PKK,
        kelurahan=kelurahan,
        operator=KitchenOperator.TP_PKK,
        contact_name="Ibu Ketua TP PKK",
        contact_phone="0812 3456 7890",
        capacity=40,
        weekdays=31,
        active=True,
        note=None,
    )


def _audits(connection: Connection, entity: str) -> list[tuple[str, int, object, object]]:
    a = table_of(AuditEntry)
    rows = connection.execute(
        select(a.c.action, a.c.entity_id, a.c.before, a.c.after)
        .where(a.c.entity == entity)
        .order_by(a.c.id)
    )
    return [
        (
            str(r.action),
            int(r.entity_id),
            r.before and json.loads(r.before),
            r.after and json.loads(r.after),
        )
        for r in rows
    ]


def _count(connection: Connection, model: type[Kitchen] | type[KitchenFunding]) -> int:
    return int(connection.execute(select(func.count()).select_from(table_of(model))).scalar_one())


def test_an_administrator_adds_a_kitchen_by_kelurahan_name_audited(engine: Engine) -> None:
    with engine.connect() as connection:
        saved = kitchens.create_kitchen(
            connection, ADMIN, TOOL, _kitchen("kedaleman"), city_code=CITY
        )
        assert saved.errors == []
        assert saved.kitchen_id is not None
        view = kitchens.find_kitchen(connection, ADMIN, saved.kitchen_id, TODAY)
        assert view.kitchen.kelurahan_code == KEDALEMAN
        assert view.kitchen.kelurahan_name == "Kedaleman"
        assert (view.may_edit, view.may_log) == (True, True)
        [(action, entity_id, before, after)] = _audits(connection, "kitchen")
        assert (action, entity_id, before) == ("create", saved.kitchen_id, None)
        assert isinstance(after, dict)
        assert after["kelurahan_code"] == KEDALEMAN
        assert after["weekdays"] == 31
        assert after["contact_phone"] == "0812 3456 7890"


def test_a_second_kitchen_of_one_name_in_a_kelurahan_is_refused_and_nothing_written(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        first = kitchens.create_kitchen(connection, ADMIN, TOOL, _kitchen(), city_code=CITY)
        again = kitchens.create_kitchen(connection, ADMIN, TOOL, _kitchen(), city_code=CITY)
        assert first.kitchen_id is not None
        assert again.kitchen_id is None
        assert [(e.problem, e.field, e.value) for e in again.errors] == [
            (FieldProblem.NAME_TAKEN, "name", "Dapur Umum PKK Cibeber")
        ]
        elsewhere = kitchens.create_kitchen(
            connection, ADMIN, TOOL, _kitchen(KEDALEMAN), city_code=CITY
        )
        assert elsewhere.kitchen_id is not None
        assert _count(connection, Kitchen) == 2
        assert len(_audits(connection, "kitchen")) == 2


def test_a_nutritionist_places_kitchens_only_in_the_kelurahan_of_her_area(engine: Engine) -> None:
    with engine.connect() as connection:
        refused = kitchens.create_kitchen(
            connection, NUTRITIONIST, TOOL, _kitchen(CIWADUK), city_code=CITY
        )
        [error] = refused.errors
        assert (error.problem, error.field, error.value) == (
            FieldProblem.UNKNOWN_KELURAHAN,
            "kelurahan",
            CIWADUK,
        )
        assert error.accepted == "Cibeber, Kedaleman"
        assert _count(connection, Kitchen) == 0
        own = kitchens.create_kitchen(
            connection, NUTRITIONIST, TOOL, _kitchen(CIBEBER), city_code=CITY
        )
        assert own.kitchen_id is not None
        assert kitchens.kelurahan_choices(connection, NUTRITIONIST, CITY) == [
            (CIBEBER, "Cibeber"),
            (KEDALEMAN, "Kedaleman"),
        ]
        moved = kitchens.update_kitchen(
            connection, NUTRITIONIST, TOOL, own.kitchen_id, _kitchen(BULAKAN), city_code=CITY
        )
        assert [e.problem for e in moved] == [FieldProblem.UNKNOWN_KELURAHAN]


def test_a_nutritionist_reads_and_changes_none_of_the_kitchens_outside_her_area(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        with connection.begin():
            inside = add_kitchen(connection, KEDALEMAN, "Dapur Kedaleman")
            outside = add_kitchen(connection, CIWADUK, "Dapur Ciwaduk")
        listed = kitchens.kitchen_list(connection, NUTRITIONIST)
        assert [k.id for k in listed.kitchens] == [inside]
        assert listed.may_add
        with pytest.raises(OutOfScope):
            kitchens.find_kitchen(connection, NUTRITIONIST, outside, TODAY)
        with pytest.raises(OutOfScope):
            kitchens.update_kitchen(
                connection, NUTRITIONIST, TOOL, outside, _kitchen(CIWADUK), city_code=CITY
            )
        line = FundingInput(Funding.APBD, 1_000_000, date(2024, 1, 1), date(2024, 12, 31), None)
        with pytest.raises(OutOfScope):
            kitchens.add_funding(connection, NUTRITIONIST, TOOL, outside, line)
        assert _count(connection, KitchenFunding) == 0


def test_an_analyst_reads_every_kitchen_and_changes_none(engine: Engine) -> None:
    with engine.connect() as connection:
        with connection.begin():
            one = add_kitchen(connection, CIBEBER)
            two = add_kitchen(connection, CIWADUK)
        listed = kitchens.kitchen_list(connection, ANALYST)
        assert {k.id for k in listed.kitchens} == {one, two}
        assert not listed.may_add
        view = kitchens.find_kitchen(connection, ANALYST, two, TODAY)
        assert (view.may_edit, view.may_log) == (False, False)
        with pytest.raises(NotAllowed):
            kitchens.create_kitchen(connection, ANALYST, TOOL, _kitchen(), city_code=CITY)
        with pytest.raises(NotAllowed):
            kitchens.update_kitchen(connection, ANALYST, TOOL, one, _kitchen(), city_code=CITY)
        line = FundingInput(Funding.CSR, 5, date(2024, 1, 1), date(2024, 1, 31), None)
        with pytest.raises(NotAllowed):
            kitchens.add_funding(connection, ANALYST, TOOL, one, line)
        with pytest.raises(NotAllowed):
            kitchens.kelurahan_choices(connection, ANALYST, CITY)


@pytest.mark.parametrize("scope", [KADER, PARTNER], ids=["kader", "partner"])
def test_a_kader_and_a_partner_see_no_kitchen(engine: Engine, scope: Scope) -> None:
    with engine.connect() as connection:
        with connection.begin():
            kitchen_id = add_kitchen(connection, CIBEBER)
        with pytest.raises(NotAllowed):
            kitchens.kitchen_list(connection, scope)
        with pytest.raises(NotAllowed):
            kitchens.find_kitchen(connection, scope, kitchen_id, TODAY)


def test_a_kitchen_operator_reads_their_own_kitchen_only(engine: Engine) -> None:
    with engine.connect() as connection:
        with connection.begin():
            own = add_kitchen(connection, CIBEBER, "Dapur Sendiri")
            other = add_kitchen(connection, CIBEBER, "Dapur Tetangga")
        scope = kitchen_scope(own)
        listed = kitchens.kitchen_list(connection, scope)
        assert [k.id for k in listed.kitchens] == [own]
        assert not listed.may_add
        view = kitchens.find_kitchen(connection, scope, own, TODAY)
        assert (view.may_edit, view.may_log, view.operators) == (False, True, [])
        with pytest.raises(OutOfScope):
            kitchens.find_kitchen(connection, scope, other, TODAY)
        with pytest.raises(NotAllowed):
            kitchens.update_kitchen(connection, scope, TOOL, own, _kitchen(), city_code=CITY)


def test_a_change_is_audited_with_before_and_after_and_an_unchanged_save_writes_nothing(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        saved = kitchens.create_kitchen(connection, ADMIN, TOOL, _kitchen(), city_code=CITY)
        assert saved.kitchen_id is not None
        same = kitchens.update_kitchen(
            connection, ADMIN, TOOL, saved.kitchen_id, _kitchen(), city_code=CITY
        )
        assert same == []
        assert len(_audits(connection, "kitchen")) == 1
        changed = KitchenInput(**{**_kitchen().__dict__, "capacity": 60, "weekdays": 1 + 4 + 16})
        assert (
            kitchens.update_kitchen(
                connection, ADMIN, TOOL, saved.kitchen_id, changed, city_code=CITY
            )
            == []
        )
        _, (action, _id, before, after) = _audits(connection, "kitchen")
        assert action == "update"
        assert isinstance(before, dict)
        assert isinstance(after, dict)
        assert (before["capacity"], after["capacity"]) == (40, 60)
        assert (before["weekdays"], after["weekdays"]) == (31, 21)
        view = kitchens.find_kitchen(connection, ADMIN, saved.kitchen_id, TODAY)
        assert (view.kitchen.capacity, view.kitchen.weekdays) == (60, 21)


def test_funding_lines_are_added_changed_and_removed_each_audited(engine: Engine) -> None:
    with engine.connect() as connection:
        with connection.begin():
            kitchen_id = add_kitchen(connection, CIBEBER)
            other = add_kitchen(connection, KEDALEMAN)
        year = FundingInput(
            Funding.APBD, 7_500_000, date(2024, 1, 1), date(2024, 12, 31), "APBD 2024"
        )
        past = FundingInput(Funding.BAZNAS, 3_000_000, date(2023, 10, 1), date(2023, 12, 31), None)
        first = kitchens.add_funding(connection, NUTRITIONIST, TOOL, kitchen_id, year)
        second = kitchens.add_funding(connection, NUTRITIONIST, TOOL, kitchen_id, past)
        view = kitchens.find_kitchen(connection, NUTRITIONIST, kitchen_id, TODAY)
        assert [f.id for f in view.funding] == [second, first]
        assert view.in_force == frozenset({first})
        more = FundingInput(
            Funding.APBD, 9_000_000, date(2024, 1, 1), date(2024, 12, 31), "APBD 2024"
        )
        kitchens.update_funding(connection, NUTRITIONIST, TOOL, kitchen_id, first, more)
        with pytest.raises(OutOfScope):  # a line of another kitchen
            kitchens.remove_funding(connection, NUTRITIONIST, TOOL, other, second)
        kitchens.remove_funding(connection, NUTRITIONIST, TOOL, kitchen_id, second)
        audits = _audits(connection, "kitchen_funding")
        assert [(a, i) for a, i, _b, _a in audits] == [
            ("create", first),
            ("create", second),
            ("update", first),
            ("delete", second),
        ]
        _, _, before, after = audits[2]
        assert isinstance(before, dict)
        assert isinstance(after, dict)
        assert (before["amount_rp"], after["amount_rp"]) == (7_500_000, 9_000_000)
        assert audits[3][3] is None
        view = kitchens.find_kitchen(connection, ADMIN, kitchen_id, TODAY)
        assert [(f.source, f.amount_rp) for f in view.funding] == [(Funding.APBD, 9_000_000)]


def test_only_an_administrator_gets_the_kitchens_an_account_may_work_at(engine: Engine) -> None:
    with engine.connect() as connection:
        with connection.begin():
            kitchen_id = add_kitchen(connection, KEDALEMAN, "Dapur Mawar")
        assert kitchens.kitchen_choices(connection, ADMIN) == [
            (kitchen_id, "Dapur Mawar, Kedaleman")
        ]
        with pytest.raises(OutOfScope):
            kitchens.kitchen_choices(connection, NUTRITIONIST)
