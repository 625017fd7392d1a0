"""Meetings of the TPPS (docs/tpps.md, "Meetings"): a TPPS meeting, the rembuk stunting or
the audit's dissemination, who was there, its decisions, the actions each decision gave
rise to (a commitment made from the decision, agreed on the meeting's day) or refers to
(an existing commitment or RTL item), and its minutes and attendance lists as evidence.

The TPPS (admin, analyst) records and reads meetings; every other role gets
:class:`NotAllowed`. Every change is audited; a refused value or file writes nothing.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection

from tumbuh.db.actions import ActionRow, action_row, action_rows
from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.evidence import EvidenceRow, evidence_rows
from tumbuh.db.institutions import institution_rows
from tumbuh.db.meetings import (
    DecisionRow,
    MeetingRow,
    decision_rows,
    insert_decision,
    insert_meeting,
    link_action,
    meeting_row,
    meeting_rows,
    set_attendees,
    update_meeting,
)
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_meetings import Meeting
from tumbuh.db.models_tpps import EvidenceSubject
from tumbuh.db.rows import lock_row
from tumbuh.growth.partners import (
    CommitmentInput,
    MeetingInput,
    PartnerFieldError,
    PartnerProblem,
)
from tumbuh.usecases.access import OutOfScope, Scope, UserInfo
from tumbuh.usecases.actions import ActionSaved, create_commitment
from tumbuh.usecases.evidence import EvidenceFile, EvidenceUpload, attach_evidence, evidence_file
from tumbuh.usecases.institutions import require_tpps
from tumbuh.usecases.transactions import writing

__all__ = [
    "MeetingSaved",
    "MeetingView",
    "add_decision",
    "add_meeting_evidence",
    "commitment_from_decision",
    "create_meeting",
    "find_meeting",
    "link_decision",
    "meeting_evidence",
    "meeting_list",
    "update_meeting_of",
]

ENTITY = "meeting"


def meeting_list(connection: Connection, scope: Scope) -> list[MeetingRow]:
    """Every meeting, the latest first (the TPPS only)."""
    require_tpps(scope)
    return meeting_rows(connection)


@dataclass(frozen=True)
class MeetingView:
    """A meeting with its decisions and their actions, its files, and the actions a
    decision may be linked to."""

    meeting: MeetingRow
    decisions: list[tuple[DecisionRow, list[ActionRow]]]
    evidence: list[EvidenceRow]
    linkable: list[ActionRow]


def _meeting(connection: Connection, scope: Scope, meeting_id: int) -> MeetingRow:
    require_tpps(scope)
    found = meeting_row(connection, meeting_id)
    if found is None:
        raise OutOfScope
    return found


def find_meeting(connection: Connection, scope: Scope, meeting_id: int) -> MeetingView:
    """The meeting (the TPPS only); OutOfScope when there is none."""
    meeting = _meeting(connection, scope, meeting_id)
    decisions = decision_rows(connection, meeting_id=meeting_id)
    every = action_rows(connection)
    by_id = {a.id: a for a in every}
    linked = [(d, [by_id[i] for i in d.action_ids if i in by_id]) for d in decisions]
    files = evidence_rows(connection, EvidenceSubject.MEETING, [meeting_id])
    return MeetingView(meeting, linked, files, every)


def _attendee_errors(connection: Connection, typed: MeetingInput) -> list[PartnerFieldError]:
    known = {i.id for i in institution_rows(connection, ids=typed.attendees)}
    unknown = [i for i in typed.attendees if i not in known]
    problem = PartnerProblem.UNKNOWN_INSTITUTION
    return [PartnerFieldError(problem, "attendees", str(i), "") for i in unknown]


def _columns(typed: MeetingInput) -> dict[str, object]:
    return {
        "held_on": typed.held_on,
        "kind": typed.kind.value,
        "title": typed.title,
        "place": typed.place,
        "chair": typed.chair,
        "others": typed.others,
    }


def _record(meeting: MeetingRow) -> dict[str, object]:
    return {
        "held_on": meeting.held_on,
        "kind": meeting.kind.value,
        "title": meeting.title,
        "place": meeting.place,
        "chair": meeting.chair,
        "others": meeting.others,
        "attendees": [i for i, _name in meeting.attendees],
    }


@dataclass(frozen=True)
class MeetingSaved:
    """What adding a meeting did: its id, or why it was refused (nothing written)."""

    meeting_id: int | None
    errors: list[PartnerFieldError]


def create_meeting(
    connection: Connection, scope: Scope, user: UserInfo | Actor, typed: MeetingInput
) -> MeetingSaved:
    """Record a meeting with the institutions present (audited) and commit."""
    require_tpps(scope)
    with writing(connection):
        errors = _attendee_errors(connection, typed)
        if errors:
            return MeetingSaved(None, errors)
        now = datetime.now(UTC)
        values = _columns(typed)
        created_by = user.id if isinstance(user, UserInfo) else None
        meeting_id = insert_meeting(
            connection, {**values, "created_by": created_by, "created_at": now, "updated_at": now}
        )
        set_attendees(connection, meeting_id, typed.attendees)
        after = {**values, "attendees": list(typed.attendees)}
        write_audit(
            connection, user, AuditAction.CREATE, ENTITY, meeting_id, before=None, after=after
        )
    return MeetingSaved(meeting_id, [])


def update_meeting_of(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    meeting_id: int,
    typed: MeetingInput,
) -> list[PartnerFieldError]:
    """Store the meeting's new values and attendees (audited when anything changed)."""
    require_tpps(scope)
    with writing(connection):
        lock_row(connection, Meeting, meeting_id)
        old = _meeting(connection, scope, meeting_id)
        errors = _attendee_errors(connection, typed)
        if errors:
            return errors
        before = _record(old)
        values = _columns(typed)
        after = {**values, "attendees": list(typed.attendees)}
        if after != before:
            update_meeting(connection, meeting_id, {**values, "updated_at": datetime.now(UTC)})
            set_attendees(connection, meeting_id, typed.attendees)
            write_audit(
                connection, user, AuditAction.UPDATE, ENTITY, meeting_id, before=before, after=after
            )
    return []


def add_decision(
    connection: Connection, scope: Scope, user: UserInfo | Actor, meeting_id: int, text: str
) -> int:
    """Add a decision to the meeting (audited); its id."""
    with writing(connection):
        _meeting(connection, scope, meeting_id)
        decision_id = insert_decision(connection, meeting_id, text, datetime.now(UTC))
        after = {"meeting_id": meeting_id, "text": text}
        write_audit(
            connection,
            user,
            AuditAction.CREATE,
            "meeting_decision",
            decision_id,
            before=None,
            after=after,
        )
    return decision_id


def _decision(connection: Connection, meeting_id: int, decision_id: int) -> DecisionRow:
    found = [d for d in decision_rows(connection, meeting_id=meeting_id) if d.id == decision_id]
    if not found:
        raise OutOfScope
    return found[0]


def link_decision(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    meeting_id: int,
    decision_id: int,
    action_id: int,
) -> None:
    """Link a decision of the meeting to an existing action (audited); OutOfScope for a
    decision of another meeting or an action that does not exist."""
    with writing(connection):
        _meeting(connection, scope, meeting_id)
        _decision(connection, meeting_id, decision_id)
        if action_row(connection, action_id) is None:
            raise OutOfScope
        if link_action(connection, decision_id, action_id):
            after = {"decision_id": decision_id, "action_id": action_id}
            write_audit(
                connection,
                user,
                AuditAction.CREATE,
                "decision_action",
                action_id,
                before=None,
                after=after,
            )


def commitment_from_decision(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    meeting_id: int,
    decision_id: int,
    typed: CommitmentInput,
    *,
    city_code: str,
) -> ActionSaved:
    """Add a commitment that the decision gave rise to, linked to it (audited)."""
    _meeting(connection, scope, meeting_id)
    _decision(connection, meeting_id, decision_id)
    return create_commitment(
        connection, scope, user, typed, city_code=city_code, decision_id=decision_id
    )


def add_meeting_evidence(
    connection: Connection, scope: Scope, user: UserInfo, meeting_id: int, upload: EvidenceUpload
) -> int:
    """Keep the minutes or an attendance list of the meeting (audited); its id."""
    with writing(connection):
        lock_row(connection, Meeting, meeting_id)
        _meeting(connection, scope, meeting_id)
        return attach_evidence(
            connection, user, EvidenceSubject.MEETING, meeting_id, upload, datetime.now(UTC)
        )


def meeting_evidence(
    connection: Connection, scope: Scope, meeting_id: int, document_id: int
) -> EvidenceFile:
    """A file of the meeting (the TPPS only); OutOfScope when it is not the meeting's."""
    _meeting(connection, scope, meeting_id)
    kept = evidence_rows(connection, EvidenceSubject.MEETING, [meeting_id])
    if all(e.id != document_id for e in kept):
        raise OutOfScope
    return evidence_file(connection, EvidenceSubject.MEETING, document_id)
