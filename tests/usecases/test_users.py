"""The account use cases: only administrators change accounts, every change commits
itself with its audit row, and a refused change leaves nothing behind."""

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, func, select

from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.errors import InputError
from tumbuh.usecases.access import OutOfScope, Role, Scope
from tumbuh.usecases.audit import Actor, audit_page
from tumbuh.usecases.users import (
    NewUser,
    UserChange,
    account,
    accounts,
    add_account,
    create_account,
    list_accounts,
    set_account_password,
    update_account,
)

ADMIN = Scope(Role.ADMIN, None, None, True, True, True, True, True)
ANALYST = Scope(Role.ANALYST, None, None, False, False, False, False, False)
PASSWORD = "a long enough password"


@pytest.fixture
def fresh(migrated_engine: Engine) -> Iterator[Connection]:
    """A connection whose writes commit (the use cases commit themselves)."""
    with migrated_engine.connect() as connection:
        yield connection


def _name() -> str:
    return f"u{uuid.uuid4().hex[:12]}"


def _audit_rows(engine: Engine, user_id: int) -> int:
    audit = table_of(AuditEntry)
    with engine.connect() as connection:
        query = select(func.count()).where(audit.c.entity == "user", audit.c.entity_id == user_id)
        return int(connection.execute(query).scalar_one())


def _admin() -> NewUser:
    return NewUser(_name(), "Admin", Role.ADMIN, PASSWORD)


def test_only_an_administrator_reads_or_changes_accounts(fresh: Connection) -> None:
    with pytest.raises(OutOfScope):
        list_accounts(fresh, ANALYST)
    with pytest.raises(OutOfScope):
        account(fresh, ANALYST, 1)
    with pytest.raises(OutOfScope):
        audit_page(fresh, ANALYST, None, 1, 50)
    by = add_account(fresh, Actor("cli:test"), _admin(), puskesmas=None, posyandu=None)
    new = NewUser(_name(), "Analis", Role.ANALYST, PASSWORD)
    with pytest.raises(OutOfScope):
        create_account(fresh, ANALYST, by, new)
    assert new.username not in {user.username for user in accounts(fresh)}


def test_changes_commit_with_their_audit_rows(migrated_engine: Engine, fresh: Connection) -> None:
    by = add_account(fresh, Actor("cli:test"), _admin(), puskesmas=None, posyandu=None)
    created = create_account(fresh, ADMIN, by, NewUser(_name(), "Analis", Role.ANALYST, PASSWORD))
    with migrated_engine.connect() as other:  # committed: another connection sees it
        assert account(other, ADMIN, created.id).username == created.username
    assert _audit_rows(migrated_engine, created.id) == 1
    same = UserChange(created.full_name, Role.ANALYST, None, None, "id", True)
    update_account(fresh, ADMIN, by, created, same)
    assert _audit_rows(migrated_engine, created.id) == 1  # nothing changed, nothing audited
    changed = set_account_password(fresh, ADMIN, by, created, "another long password")
    assert changed is not None
    assert changed.session_version > created.session_version  # its sessions end
    assert _audit_rows(migrated_engine, created.id) == 2
    page = audit_page(fresh, ADMIN, "user", 1, 50)
    assert all(PASSWORD not in str(entry.after) for entry in page.entries)


def test_an_unknown_area_on_the_command_line_writes_nothing(fresh: Connection) -> None:
    new = NewUser(_name(), "Gizi", Role.NUTRITIONIST, PASSWORD)
    with pytest.raises(InputError, match="--puskesmas"):
        add_account(fresh, Actor("cli:test"), new, puskesmas="Nowhere", posyandu=None)
    assert new.username not in {user.username for user in accounts(fresh)}
