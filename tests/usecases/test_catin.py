"""The catin use cases on both databases: a bidan registers a catin of her area (NIK
optional, unique), records the screening (a bride with LiLA 22.0 has KEK, Hb 11.5 is
mild anaemia: docs/domain.md §14) and the follow-up; the list's filters; every write
audited; the scope (another area's bidan gets nothing, an analyst nothing at all, a TPK
reads without NIK and does not write)."""

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, Engine, select

from tests.db.helpers import add_posyandu
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, UserInfo, create_user
from tumbuh.growth.maternal import AnaemiaBand
from tumbuh.usecases import catin
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, scope_for
from tumbuh.usecases.catin_input import (
    CatinFieldError,
    read_follow_up,
    read_person,
    read_screening,
)

CIBEBER, CIWADUK = "36.72.01.1001", "36.72.02.1005"
CITY = "36.72"
TODAY = date(2024, 8, 15)
NOW = datetime(2024, 8, 1, tzinfo=UTC)
NIK = "3672014101990002"  # synthetic
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


def _user(
    connection: Connection, name: str, role: Role, posyandu_id: int
) -> tuple[UserInfo, Scope]:
    user = create_user(
        connection,
        NewUser(name, name.title(), role, "rahasia-bidan-1", posyandu_id=posyandu_id),
        NOW,
    )
    connection.commit()
    return user, scope_for(connection, user)


def _register(connection: Connection, who: tuple[UserInfo, Scope], **given: str) -> int:
    raw = {
        "nik": NIK,
        "name": "Rina Marlina",
        "sex": "female",
        "birth_date": "1999-03-02",
        "kelurahan_code": CIBEBER,
        "wedding_planned_on": "2024-11-16",
        "registered_on": "2024-08-12",
    } | given
    return catin.register_catin(connection, *who, read_person(raw, TODAY))


def test_a_bidan_registers_screens_and_follows_up_a_bride_with_kek(
    engine: Engine, area: dict[str, int]
) -> None:
    with engine.connect() as connection:
        bidan = _user(connection, "ani", Role.BIDAN, area["cibeber"])
        catin_id = _register(connection, bidan)
        screening = {
            "screened_on": "2024-08-14",
            "muac_cm": "22,0",
            "hb_g_dl": "11.5",
            "weight_kg": "48",
            "height_cm": "156",
        }
        catin.record_screening(connection, *bidan, catin_id, read_screening(screening, TODAY))
        page = catin.catin_page(connection, bidan[1], catin_id, CITY)
        assert page.kek is True  # LiLA 22.0 < 23.5 cm (Kemenkes)
        assert page.anaemia is AnaemiaBand.MILD  # 11.5: 11.0-11.9 (WHO 2011, women)
        assert page.at_risk is True
        assert page.late is False  # 3 months and 2 days before the wedding
        assert page.imt == 19.7  # 48 / 1.56^2
        assert page.age_at_wedding == 25
        assert page.nik == NIK
        follow = read_follow_up(
            {"follow_up": "TTD dan PMT catin", "follow_up_on": "2024-08-15"}, TODAY
        )
        catin.record_follow_up(connection, *bidan, catin_id, follow)
        assert (
            catin.catin_page(connection, bidan[1], catin_id, CITY).follow_up == "TTD dan PMT catin"
        )
        audit = table_of(AuditEntry)
        found = connection.execute(
            select(audit.c.action, audit.c.after)
            .where(audit.c.entity == "catin")
            .order_by(audit.c.id)
        ).all()
    assert [a for a, _ in found] == ["create", "update", "update"]
    created = json.loads(found[0][1])
    assert created["nik"] != NIK
    assert "birth_date" not in created
    assert "name" not in created


def test_the_nik_is_optional_and_unique(engine: Engine, area: dict[str, int]) -> None:
    with engine.connect() as connection:
        bidan = _user(connection, "ani", Role.BIDAN, area["cibeber"])
        _register(connection, bidan)
        _register(connection, bidan, nik="", name="Budi")
        with pytest.raises(CatinFieldError) as refused:
            _register(connection, bidan, name="Tono")
    assert refused.value.field == "nik"
    assert NIK not in str(refused.value)


def test_wrong_fields_are_named_with_their_value() -> None:
    with pytest.raises(CatinFieldError) as short:
        read_person(
            {"nik": "12345", "name": "A", "sex": "female", "kelurahan_code": CIBEBER}, TODAY
        )
    assert short.value.field == "nik"
    with pytest.raises(CatinFieldError) as lila:
        read_screening({"muac_cm": "2,2"}, TODAY)
    assert lila.value.field == "muac_cm"
    assert "2,2" in str(lila.value)
    with pytest.raises(CatinFieldError) as day:
        read_person(
            {
                "name": "A",
                "sex": "female",
                "kelurahan_code": CIBEBER,
                "wedding_planned_on": "16/11/2024",
            },
            TODAY,
        )
    assert day.value.field == "wedding_planned_on"
    assert "16/11/2024" in str(day.value)


def test_another_areas_catin_is_not_found_and_its_kelurahan_refused(
    engine: Engine, area: dict[str, int]
) -> None:
    with engine.connect() as connection:
        ani = _user(connection, "ani", Role.BIDAN, area["cibeber"])
        eka = _user(connection, "eka", Role.BIDAN, area["ciwaduk"])
        catin_id = _register(connection, ani)
        with pytest.raises(OutOfScope):
            catin.catin_page(connection, eka[1], catin_id, CITY)
        assert catin.catin_list(connection, eka[1], CITY, today=TODAY) == []
        with pytest.raises(CatinFieldError) as refused:
            _register(connection, eka, nik="", kelurahan_code=CIBEBER)
    assert refused.value.field == "kelurahan_code"


def test_a_tpk_reads_without_nik_and_an_analyst_not_at_all(
    engine: Engine, area: dict[str, int]
) -> None:
    with engine.connect() as connection:
        bidan = _user(connection, "ani", Role.BIDAN, area["cibeber"])
        tpk = _user(connection, "tini", Role.TPK, area["cibeber"])
        catin_id = _register(connection, bidan)
        assert [s.nik for s in catin.catin_list(connection, tpk[1], CITY, today=TODAY)] == [None]
        with pytest.raises(NotAllowed):
            _register(connection, tpk, nik="")
        with pytest.raises(NotAllowed):
            catin.catin_list(connection, ANALYST, CITY, today=TODAY)
        assert catin_id


def test_the_list_filters_at_risk_unscreened_and_wedding_month(
    engine: Engine, area: dict[str, int]
) -> None:
    with engine.connect() as connection:
        bidan = _user(connection, "ani", Role.BIDAN, area["cibeber"])
        risky = _register(connection, bidan)
        _register(connection, bidan, nik="", name="Dewi", wedding_planned_on="2024-12-01")
        fine = _register(connection, bidan, nik="", name="Sari", wedding_planned_on="2024-11-30")
        catin.record_screening(connection, *bidan, risky, read_screening({"muac_cm": "22"}, TODAY))
        catin.record_screening(
            connection, *bidan, fine, read_screening({"muac_cm": "26", "hb_g_dl": "13"}, TODAY)
        )

        def names(chosen: catin.CatinFilter) -> list[str]:
            return [
                s.name for s in catin.catin_list(connection, bidan[1], CITY, chosen, today=TODAY)
            ]

        assert names(catin.CatinFilter()) == ["Rina Marlina", "Sari", "Dewi"]
        assert names(catin.CatinFilter(at_risk=True)) == ["Rina Marlina"]
        assert names(catin.CatinFilter(unscreened=True)) == ["Dewi"]
        assert names(catin.CatinFilter(wedding_month=date(2024, 11, 1))) == ["Rina Marlina", "Sari"]


def test_a_follow_up_needs_a_screening_before_it(engine: Engine, area: dict[str, int]) -> None:
    with engine.connect() as connection:
        bidan = _user(connection, "ani", Role.BIDAN, area["cibeber"])
        catin_id = _register(connection, bidan)
        follow = read_follow_up({"follow_up": "TTD", "follow_up_on": "2024-08-13"}, TODAY)
        with pytest.raises(CatinFieldError) as first:
            catin.record_follow_up(connection, *bidan, catin_id, follow)
        catin.record_screening(
            connection,
            *bidan,
            catin_id,
            read_screening({"screened_on": "2024-08-14", "hb_g_dl": "10"}, TODAY),
        )
        with pytest.raises(CatinFieldError) as early:
            catin.record_follow_up(connection, *bidan, catin_id, follow)
    assert first.value.field == "follow_up"
    assert early.value.field == "follow_up_on"
    assert "2024-08-13" in str(early.value)


def test_an_edit_moves_the_catin_and_is_audited(engine: Engine, area: dict[str, int]) -> None:
    with engine.connect() as connection:
        nutritionist = _user(connection, "ani", Role.BIDAN, area["cibeber"])
        catin_id = _register(connection, nutritionist)
        raw = {
            "nik": NIK,
            "name": "Rina M.",
            "sex": "female",
            "kelurahan_code": CIBEBER,
            "wedding_planned_on": "2024-12-20",
        }
        catin.edit_catin(connection, *nutritionist, catin_id, read_person(raw, TODAY))
        page = catin.catin_page(connection, nutritionist[1], catin_id, CITY)
        audit = table_of(AuditEntry)
        actions = (
            connection.execute(
                select(audit.c.action).where(
                    audit.c.entity == "catin", audit.c.entity_id == catin_id
                )
            )
            .scalars()
            .all()
        )
    assert (page.name, page.wedding_planned_on) == ("Rina M.", date(2024, 12, 20))
    assert sorted(actions) == ["create", "update"]
