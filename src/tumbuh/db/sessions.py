"""What the server keeps to end web sessions: ended session ids and session versions.

A session (``tumbuh.web.sessions``) is a signed cookie carrying a random id and the user's
``app_user.session_version`` at sign-in. Signing out stores the SHA-256 of the id in
``ended_session``, so a copy of the cookie is refused afterwards; a new password, role or
area, a deactivation, or ``tumbuh user sign-out`` adds one to the user's version, which
ends every session of that user at once.
"""

import hashlib
from datetime import datetime

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tumbuh.db.models import table_of
from tumbuh.db.models_access import AppUser, EndedSession


def session_digest(session_id: str) -> str:
    """The stored form of a session id: its SHA-256, hex (the id itself is never stored)."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def session_ended(connection: Connection, session_id: str) -> bool:
    """True when the session with this id was signed out."""
    table = table_of(EndedSession)
    found = connection.execute(
        select(table.c.id).where(table.c.id == session_digest(session_id))
    ).first()
    return found is not None


def end_session(
    connection: Connection, session_id: str, user_id: int, now: datetime, expires_at: datetime
) -> None:
    """Record the session as ended (kept until ``expires_at``, after which no cookie of it
    can be accepted any more), and delete the rows whose time is over."""
    table = table_of(EndedSession)
    values = {
        "id": session_digest(session_id),
        "user_id": user_id,
        "ended_at": now,
        "expires_at": expires_at,
    }
    # A second sign-out of the same session (two tabs, a copied cookie) changes nothing.
    if connection.dialect.name == "postgresql":
        connection.execute(postgresql_insert(table).values(values).on_conflict_do_nothing())
    else:
        connection.execute(sqlite_insert(table).values(values).on_conflict_do_nothing())
    connection.execute(delete(table).where(table.c.expires_at < now))


def end_every_session(connection: Connection, user_id: int) -> None:
    """End every session of the user (adds one to the user's session version)."""
    table = table_of(AppUser)
    connection.execute(
        update(table)
        .where(table.c.id == user_id)
        .values(session_version=table.c.session_version + 1)
    )
