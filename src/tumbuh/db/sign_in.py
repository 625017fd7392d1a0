"""Login attempts: what the sign-in throttle counts, and recording them without ever
refusing a correct password because the database is busy.

Attempts are rows of ``login_attempt`` (the username as typed, the client address, the
time, success), so a limit holds across every worker process and server sharing the
database. The rules that turn the counts into a wait are ``tumbuh.web.security``'s.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, insert, select

from tumbuh.db.engine import write_if_free
from tumbuh.db.models import table_of
from tumbuh.db.models_access import LoginAttempt
from tumbuh.db.users import USERNAME_LENGTH, rehash_if_needed

ADDRESS_LENGTH = 45  # the column: an IPv6 address with an IPv4 tail fits


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt; ``user_id`` is the account signed in to (None on failure)."""

    username: str
    address: str
    at: datetime
    user_id: int | None


@dataclass(frozen=True)
class LoginHistory:
    """What the throttle needs to know before checking a password.

    ``account_failures``: failures of the username since its last success (at most
    ``memory`` old), the latest at ``last_failure``; ``address_failures``: failures from
    the address in the address window; ``known_here``: the username signed in from this
    address within ``known_for``."""

    account_failures: int
    last_failure: datetime | None
    address_failures: int
    known_here: bool


@dataclass(frozen=True)
class Windows:
    """How far back each count looks."""

    memory: timedelta  # failures of an account older than this are forgotten
    address: timedelta  # failures from an address
    known_for: timedelta  # a success from an address makes the account known there


def login_history(
    connection: Connection, username: str, address: str, now: datetime, windows: Windows
) -> LoginHistory:
    """Counts of ``login_attempt`` for the throttle (reads only)."""
    table = table_of(LoginAttempt)
    name = username[:USERNAME_LENGTH]
    since = now - windows.memory
    last_success = (
        select(func.max(table.c.attempted_at))
        .where(table.c.username == name, table.c.succeeded.is_(True))
        .scalar_subquery()
    )
    account = connection.execute(
        select(func.count(), func.max(table.c.attempted_at)).where(
            table.c.username == name,
            table.c.succeeded.is_(False),
            table.c.attempted_at >= since,
            table.c.attempted_at > func.coalesce(last_success, since - windows.memory),
        )
    ).one()
    by_address = connection.execute(
        select(func.count()).where(
            table.c.ip_address == address[:ADDRESS_LENGTH],
            table.c.succeeded.is_(False),
            table.c.attempted_at >= now - windows.address,
        )
    ).scalar_one()
    known = connection.execute(
        select(table.c.id)
        .where(
            table.c.username == name,
            table.c.ip_address == address[:ADDRESS_LENGTH],
            table.c.succeeded.is_(True),
            table.c.attempted_at >= now - windows.known_for,
        )
        .limit(1)
    ).first()
    last = account[1]
    if last is not None and last.tzinfo is None:  # SQLite returns the aggregate naive
        last = last.replace(tzinfo=now.tzinfo)
    return LoginHistory(int(account[0]), last, int(by_address), known is not None)


def record_login_attempt(connection: Connection, attempt: Attempt) -> None:
    """Store one attempt (the username as typed, cut to the column's length)."""
    connection.execute(
        insert(table_of(LoginAttempt)).values(
            username=attempt.username[:USERNAME_LENGTH],
            ip_address=attempt.address[:ADDRESS_LENGTH],
            attempted_at=attempt.at,
            succeeded=attempt.user_id is not None,
        )
    )


def record_if_free(
    connection: Connection, attempt: Attempt, password: str, *, wait_ms: int
) -> bool:
    """Record the attempt and, after a success, rehash the password if its hash uses older
    parameters; all in one short transaction that waits at most ``wait_ms`` for the
    database. False (nothing written) when the database stayed busy, e.g. an SQLite
    import holds the write lock: the caller goes on, a sign-in never depends on it."""

    def work(writing: Connection) -> None:
        record_login_attempt(writing, attempt)
        if attempt.user_id is not None:
            rehash_if_needed(writing, attempt.user_id, password)

    return write_if_free(connection, work, wait_ms=wait_ms)
