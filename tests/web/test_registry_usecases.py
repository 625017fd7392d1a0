"""The registry's write use cases own their transaction: each commits what it stored (no
route has to), a write outside the scope is "not found" and stores nothing, and a refused
correction rolls back and hands back what is stored now."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Connection, func, select

from tests.web.conftest import City
from tumbuh.db.models import Child, Measurement, table_of
from tumbuh.db.users import find_user
from tumbuh.growth.enums import Position, Sex
from tumbuh.growth.weight_gain import DEFAULT_KBM
from tumbuh.usecases.access import OutOfScope, Scope, UserInfo, scope_for
from tumbuh.usecases.registry.children import find_child, history
from tumbuh.usecases.registry.measurements import add_measurement, change_measurement
from tumbuh.usecases.registry.profiles import ChildProfile, register_child, update_child
from tumbuh.usecases.registry.records import MeasurementValues


@pytest.fixture
def kader(city: City) -> Iterator[tuple[Connection, Scope, UserInfo]]:
    with city.engine.connect() as connection:
        user = find_user(connection, "kader")
        assert user is not None
        yield connection, scope_for(connection, user), user


def kelurahan_of(connection: Connection, scope: Scope, child_id: int) -> str:
    code = find_child(connection, scope, child_id).kelurahan_code
    assert code is not None
    return code


def count(city: City, model: type[Child] | type[Measurement], child_id: int) -> int:
    t = table_of(model)
    column = t.c.id if model is Child else t.c.child_id
    with city.engine.connect() as other:
        return int(other.execute(select(func.count()).where(column == child_id)).scalar_one())


PROFILE = ChildProfile("Rudi Uji Usecase", None, Sex.MALE, date(2023, 5, 1), 3.1, None, "Ani")
VALUES = MeasurementValues(date(2024, 2, 5), 9.1, 76.0, Position.LENGTH, None)


def test_each_write_commits_itself(city: City, kader: tuple[Connection, Scope, UserInfo]) -> None:
    connection, scope, user = kader
    place = (city.kader_posyandu, kelurahan_of(connection, scope, city.own_child))
    done = register_child(connection, scope, user, *place, PROFILE)
    assert done.child_id is not None
    assert count(city, Child, done.child_id) == 1  # seen from another connection
    child = find_child(connection, scope, done.child_id)
    add_measurement(connection, scope, user, child, VALUES, DEFAULT_KBM)
    assert count(city, Measurement, child.id) == 1
    corrected = update_child(
        connection, scope, user, child, PROFILE, place, child.version, DEFAULT_KBM
    )
    assert not corrected.changed  # nothing differs
    renamed = replace(PROFILE, name="Rudi Uji Lain")
    assert update_child(
        connection, scope, user, child, renamed, place, child.version, DEFAULT_KBM
    ).changed
    with city.engine.connect() as other:
        c = table_of(Child)
        name = other.execute(select(c.c.name).where(c.c.id == child.id)).scalar_one()
    assert name == "Rudi Uji Lain"


def test_a_refused_write_stores_nothing_and_says_what_is_stored(
    city: City, kader: tuple[Connection, Scope, UserInfo]
) -> None:
    connection, scope, user = kader
    place = (city.kader_posyandu, kelurahan_of(connection, scope, city.own_child))
    done = register_child(connection, scope, user, *place, PROFILE)
    assert done.child_id is not None
    child = find_child(connection, scope, done.child_id)
    add_measurement(connection, scope, user, child, VALUES, DEFAULT_KBM)
    stored = history(connection, child.id)[0]
    heavier = MeasurementValues(date(2024, 2, 5), 9.4, 76.0, Position.LENGTH, None)
    now = change_measurement(
        connection, scope, user, child, stored.id, stored.version + 1, heavier, DEFAULT_KBM
    )
    assert now is not None
    assert now.values == VALUES
    renamed = replace(PROFILE, name="Rudi Uji Basi")
    stale = update_child(
        connection, scope, user, child, renamed, place, child.version + 1, DEFAULT_KBM
    )
    assert not stale.changed
    assert stale.stored is not None
    assert stale.stored.name == PROFILE.name
    with pytest.raises(OutOfScope):  # not the kader's posyandu: rolled back, nothing stored
        register_child(connection, scope, user, 999_999, "00.00.00", PROFILE)
    assert not connection.in_transaction()
