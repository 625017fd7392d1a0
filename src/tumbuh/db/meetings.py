"""Meetings of the TPPS as rows: the meeting, the institutions present, its decisions and
the actions each decision links to (docs/tpps.md, "Meetings"). Queries know nothing of
roles."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from tumbuh.db.models import table_of
from tumbuh.db.models_meetings import DecisionAction, Meeting, MeetingAttendee, MeetingDecision
from tumbuh.db.models_tpps import Institution
from tumbuh.growth.partners import MeetingKind


@dataclass(frozen=True)
class MeetingRow:
    """A meeting with the ids and names of the institutions present."""

    id: int
    held_on: date
    kind: MeetingKind
    title: str
    place: str | None
    chair: str | None
    others: str | None
    attendees: tuple[tuple[int, str], ...]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class DecisionRow:
    """A decision of a meeting and the ids of the actions it links to."""

    id: int
    meeting_id: int
    number: int
    text: str
    action_ids: tuple[int, ...]


def insert_meeting(connection: Connection, values: Mapping[str, object]) -> int:
    """Add a meeting (its columns but ``id``); its id."""
    table = table_of(Meeting)
    return int(
        connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    )


def update_meeting(connection: Connection, meeting_id: int, values: Mapping[str, object]) -> None:
    """Change the given columns of a meeting."""
    table = table_of(Meeting)
    connection.execute(update(table).where(table.c.id == meeting_id).values(**values))


def set_attendees(connection: Connection, meeting_id: int, institution_ids: Iterable[int]) -> None:
    """The institutions present at the meeting become exactly ``institution_ids``."""
    table = table_of(MeetingAttendee)
    connection.execute(delete(table).where(table.c.meeting_id == meeting_id))
    rows = [{"meeting_id": meeting_id, "institution_id": i} for i in sorted(set(institution_ids))]
    if rows:
        connection.execute(insert(table), rows)


def _attendees(connection: Connection, meeting_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    a, i = table_of(MeetingAttendee), table_of(Institution)
    found: dict[int, list[tuple[int, str]]] = {m: [] for m in meeting_ids}
    if not meeting_ids:
        return found
    rows = connection.execute(
        select(a.c.meeting_id, i.c.id, i.c.name)
        .join(i, i.c.id == a.c.institution_id)
        .where(a.c.meeting_id.in_(meeting_ids))
        .order_by(i.c.name)
    )
    for r in rows:
        found[int(r.meeting_id)].append((int(r.id), r.name))
    return found


def meeting_rows(connection: Connection, ids: Iterable[int] | None = None) -> list[MeetingRow]:
    """Meetings (of ``ids``, when given), the latest first."""
    m = table_of(Meeting)
    query = select(m).order_by(m.c.held_on.desc(), m.c.id.desc())
    if ids is not None:
        query = query.where(m.c.id.in_(sorted(set(ids))))
    rows = connection.execute(query).all()
    present = _attendees(connection, [int(r.id) for r in rows])
    return [
        MeetingRow(
            int(r.id),
            r.held_on,
            MeetingKind(r.kind),
            r.title,
            r.place,
            r.chair,
            r.others,
            tuple(present[int(r.id)]),
            r.created_at,
            r.updated_at,
        )
        for r in rows
    ]


def meeting_row(connection: Connection, meeting_id: int) -> MeetingRow | None:
    """One meeting, or None."""
    found = meeting_rows(connection, [meeting_id])
    return found[0] if found else None


def insert_decision(connection: Connection, meeting_id: int, text: str, now: datetime) -> int:
    """Add a decision numbered after the meeting's last; its id."""
    d = table_of(MeetingDecision)
    last = connection.execute(
        select(func.max(d.c.number)).where(d.c.meeting_id == meeting_id)
    ).scalar_one()
    values = {"meeting_id": meeting_id, "number": int(last or 0) + 1, "text": text}
    return int(
        connection.execute(
            insert(d).values(**values, created_at=now).returning(d.c.id)
        ).scalar_one()
    )


def decision_rows(
    connection: Connection,
    *,
    meeting_id: int | None = None,
    action_ids: Iterable[int] | None = None,
) -> list[DecisionRow]:
    """The decisions of a meeting, or those linked to ``action_ids``, by meeting and number."""
    d, link = table_of(MeetingDecision), table_of(DecisionAction)
    query = select(d).order_by(d.c.meeting_id, d.c.number)
    if meeting_id is not None:
        query = query.where(d.c.meeting_id == meeting_id)
    if action_ids is not None:
        wanted = select(link.c.decision_id).where(link.c.action_id.in_(sorted(set(action_ids))))
        query = query.where(d.c.id.in_(wanted))
    rows = connection.execute(query).all()
    links: dict[int, list[int]] = {int(r.id): [] for r in rows}
    if links:
        for r in connection.execute(
            select(link).where(link.c.decision_id.in_(list(links))).order_by(link.c.action_id)
        ):
            links[int(r.decision_id)].append(int(r.action_id))
    return [
        DecisionRow(int(r.id), int(r.meeting_id), int(r.number), r.text, tuple(links[int(r.id)]))
        for r in rows
    ]


def link_action(connection: Connection, decision_id: int, action_id: int) -> bool:
    """Link a decision to an action; False when they were linked already."""
    link = table_of(DecisionAction)
    exists = connection.execute(
        select(link.c.action_id).where(
            link.c.decision_id == decision_id, link.c.action_id == action_id
        )
    ).first()
    if exists is not None:
        return False
    connection.execute(insert(link).values(decision_id=decision_id, action_id=action_id))
    return True
