"""The bidan and TPK roles (migration 0012) on both databases: a database with users and
audit rows migrates without losing them, a bidan or TPK must name a puskesmas or a
posyandu, and going back down deactivates them instead of failing."""

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from tests.db.helpers import add_posyandu
from tests.db.test_kitchen_role import NOW, _user
from tumbuh.db import migrate
from tumbuh.db.regions import load_packaged_regions


def test_users_and_audit_rows_survive_the_migration(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine, "0011")
    with empty_engine.begin() as connection:
        load_packaged_regions(connection)
        admin = _user(connection, "admin", "admin")
        connection.execute(
            text(
                "INSERT INTO audit_log (at, user_id, actor, action, entity, entity_id) "
                "VALUES (:at, :user, 'admin', 'create', 'user', :user)"
            ),
            {"at": NOW, "user": admin},
        )
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 1
        posyandu = add_posyandu(connection, "P-1", "36.72.01.1001", "Mawar")
        _user(connection, "bidan", "bidan", posyandu_id=posyandu)
        _user(connection, "tpk", "tpk", posyandu_id=posyandu)
        assert migrate.schema_drift(connection) == []


@pytest.mark.parametrize("role", ["bidan", "tpk"])
def test_a_bidan_or_tpk_without_an_area_is_refused(empty_engine: Engine, role: str) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection, pytest.raises(IntegrityError):
        _user(connection, "someone", role)


def test_going_back_down_deactivates_the_bidan_and_the_tpk(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as connection:
        load_packaged_regions(connection)
        posyandu = add_posyandu(connection, "P-1", "36.72.01.1001", "Mawar")
        _user(connection, "bidan", "bidan", posyandu_id=posyandu)
        _user(connection, "tpk", "tpk", posyandu_id=posyandu)
        _user(connection, "gizi", "analyst")
    migrate.downgrade(empty_engine, "0011")
    with empty_engine.connect() as connection:
        rows = connection.execute(
            text("SELECT role, is_active, session_version FROM app_user ORDER BY id")
        ).all()
    assert [(r.role, bool(r.is_active), r.session_version) for r in rows] == [
        ("partner", False, 2),
        ("partner", False, 2),
        ("analyst", True, 1),
    ]
