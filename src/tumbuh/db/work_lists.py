"""When a user last opened their work list (``work_list_visit``): read and stored here."""

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from tumbuh.db.models import table_of
from tumbuh.db.models_access import AppUser, WorkListVisit


def last_visit(connection: Connection, user_id: int) -> datetime | None:
    """When the user last opened their work list (None: never)."""
    visit = table_of(WorkListVisit)
    found: datetime | None = connection.execute(
        select(visit.c.seen_at).where(visit.c.user_id == user_id)
    ).scalar_one_or_none()
    return found


def record_visit(connection: Connection, user_id: int, at: datetime) -> None:
    """Store ``at`` as the user's last visit, in the caller's write transaction. The
    user's row is locked first (PostgreSQL; SQLite's transaction holds the write lock), so
    two first visits of one user at once do not both insert."""
    user, visit = table_of(AppUser), table_of(WorkListVisit)
    connection.execute(select(user.c.id).where(user.c.id == user_id).with_for_update())
    changed = connection.execute(
        update(visit).where(visit.c.user_id == user_id).values(seen_at=at)
    ).rowcount
    if not changed:
        connection.execute(insert(visit).values(user_id=user_id, seen_at=at))
