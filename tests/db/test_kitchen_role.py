"""The kitchen role (migration 0010) on both databases: a database with users, sessions
and audit rows migrates without losing them (SQLite rebuilds app_user), a kitchen
operator must name a kitchen, the other roles keep their checks, and going back down
deactivates the kitchen operators instead of failing."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.exc import IntegrityError

from tests.db.kitchen_helpers import add_kitchen
from tumbuh.db import migrate
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AppUser
from tumbuh.db.regions import load_packaged_regions

NOW = datetime(2024, 8, 1, tzinfo=UTC)


def _user(connection: Connection, username: str, role: str, **place: int | None) -> int:
    values = {
        "username": username,
        "password_hash": "x",
        "full_name": username,
        "role": role,
        "language": "id",
        "is_active": True,
        "created_at": NOW,
        **place,
    }
    columns = ", ".join(values)
    names = ", ".join(f":{k}" for k in values)
    found = connection.execute(
        text(f"INSERT INTO app_user ({columns}) VALUES ({names}) RETURNING id"), values
    )
    return int(found.scalar_one())


def test_a_database_with_users_and_their_audit_rows_migrates_to_the_kitchen_role(
    empty_engine: Engine,
) -> None:
    migrate.upgrade(empty_engine, "0007")
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
        connection.execute(
            text(
                "INSERT INTO ended_session (id, user_id, ended_at, expires_at) "
                "VALUES ('s1', :user, :at, :at)"
            ),
            {"at": NOW, "user": admin},
        )
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 1
        assert connection.execute(text("SELECT count(*) FROM ended_session")).scalar_one() == 1
        kitchen = add_kitchen(connection, "36.72.01.1001")
        operator = _user(connection, "dapur", "kitchen", kitchen_id=kitchen)
        users = table_of(AppUser)
        found = connection.execute(
            select(users.c.role, users.c.kitchen_id).where(users.c.id == operator)
        )
        assert found.one() == ("kitchen", kitchen)
        assert migrate.schema_drift(connection) == []


@pytest.mark.parametrize(
    ("role", "place"),
    [
        ("kitchen", {}),
        ("kader", {}),
        ("nutritionist", {}),
        ("cook", {}),
    ],
)
def test_a_role_without_its_place_or_an_unknown_role_is_refused(
    empty_engine: Engine, role: str, place: dict[str, int]
) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection, pytest.raises(IntegrityError):
        _user(connection, "someone", role, **place)


def test_a_kitchen_operator_of_a_kitchen_that_does_not_exist_is_refused(
    empty_engine: Engine,
) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection, pytest.raises(IntegrityError):
        _user(connection, "dapur", "kitchen", kitchen_id=999)


def test_going_back_down_deactivates_the_kitchen_operators(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as connection:
        load_packaged_regions(connection)
        kitchen = add_kitchen(connection, "36.72.01.1001")
        operator = _user(connection, "dapur", "kitchen", kitchen_id=kitchen)
        connection.execute(
            insert(table_of(AppUser)).values(
                username="analis",
                password_hash="x",
                full_name="Analis",
                role="analyst",
                language="id",
                is_active=True,
                created_at=NOW,
            )
        )
    migrate.downgrade(empty_engine, "0007")
    with empty_engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, role, is_active, session_version FROM app_user ORDER BY id")
        ).all()
    assert [(r.role, bool(r.is_active)) for r in rows] == [("partner", False), ("analyst", True)]
    assert rows[0].id == operator
    assert rows[0].session_version == 2
