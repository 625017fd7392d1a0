"""Actions the TPPS follows up (docs/tpps.md, "Actions"): RTL items of the Audit Kasus
Stunting and partners' commitments, in one list. The TPPS adds and changes commitments
and reads every action, overdue first; a partner reads and reports on its own
institution's actions only, with evidence files. Every change is audited; a refused file
writes nothing, not even the status that came with it.

Who may do what (applied here, once):

- the TPPS (admin, analyst): every action; adds and changes commitments; reports progress;
- a partner (with an institution): the actions of its institution; reports progress and
  adds evidence; another institution's action is "not found" (:class:`OutOfScope`);
- every other role (and a partner without an institution): :class:`NotAllowed`.

The report's lines (:func:`commitment_lines`, :func:`action_lines`) are plain data for the
semester report (:mod:`tumbuh.reports.tpps_data`).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from tumbuh.db.actions import ActionRow, action_row, action_rows, insert_action, update_action
from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.evidence import EvidenceRow, evidence_counts, evidence_rows
from tumbuh.db.institutions import institution_row
from tumbuh.db.meetings import DecisionRow, decision_rows, link_action, meeting_rows
from tumbuh.db.models import RegionLevel
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_tpps import EvidenceSubject
from tumbuh.db.regions import regions
from tumbuh.growth.partners import (
    CommitmentInput,
    PartnerFieldError,
    PartnerProblem,
    ProgressInput,
    overdue_first,
)
from tumbuh.growth.tpps import ActionKind, ActionStatus, is_overdue
from tumbuh.reports.tpps_data import ActionLine
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, UserInfo
from tumbuh.usecases.evidence import EvidenceFile, EvidenceUpload, attach_evidence, evidence_file
from tumbuh.usecases.institutions import TPPS_ROLES
from tumbuh.usecases.transactions import writing

__all__ = [
    "ActionCounts",
    "ActionDetail",
    "ActionFilter",
    "ActionList",
    "ActionSaved",
    "ActionView",
    "action_evidence",
    "action_lines",
    "action_list",
    "add_action_evidence",
    "commitment_lines",
    "create_commitment",
    "find_action",
    "report_progress",
    "sees_every_action",
    "subject_of",
    "update_commitment",
]

ENTITY = "action_item"
SUBJECTS = {
    ActionKind.RTL: EvidenceSubject.RTL_ITEM,
    ActionKind.COMMITMENT: EvidenceSubject.COMMITMENT,
}


def subject_of(kind: ActionKind) -> EvidenceSubject:
    """The evidence subject of an action of ``kind``."""
    return SUBJECTS[kind]


def _institution_of(scope: Scope) -> int | None:
    """None for the TPPS (every action); the partner's institution; NotAllowed otherwise."""
    if scope.role in TPPS_ROLES:
        return None
    if scope.role is Role.PARTNER and scope.institution_id is not None:
        return scope.institution_id
    raise NotAllowed


def _require_tpps(scope: Scope) -> None:
    if not sees_every_action(scope):
        raise NotAllowed


def sees_every_action(scope: Scope) -> bool:
    """Whether the user is the TPPS (an administrator or analyst): every action, not one
    institution's."""
    return scope.role in TPPS_ROLES


@dataclass(frozen=True)
class ActionView:
    """An action as a list shows it: overdue today or not, and its number of files."""

    row: ActionRow
    overdue: bool
    evidence_files: int


@dataclass(frozen=True)
class ActionCounts:
    """How many actions of a list are open, overdue (open and past due) and done."""

    open: int
    overdue: int
    done: int


@dataclass(frozen=True)
class ActionFilter:
    """What the TPPS narrows the list to (None: any)."""

    kind: ActionKind | None = None
    institution_id: int | None = None
    status: ActionStatus | None = None


@dataclass(frozen=True)
class ActionList:
    """The actions a user reads, overdue first, the counts, and whether they add some."""

    actions: list[ActionView]
    counts: ActionCounts
    may_add: bool
    institution_name: str | None  # a partner's own institution


def _views(connection: Connection, rows: list[ActionRow], today: date) -> list[ActionView]:
    files: Counter[tuple[ActionKind, int]] = Counter()
    for kind, subject in SUBJECTS.items():
        ids = [r.id for r in rows if r.kind is kind]
        if ids:
            for action_id, n in evidence_counts(connection, subject, ids).items():
                files[kind, action_id] = n
    views = [
        ActionView(r, is_overdue(r.status, r.due_on, today), files[r.kind, r.id]) for r in rows
    ]
    return sorted(
        views, key=lambda v: (*overdue_first(v.row.status, v.row.due_on, today), v.row.id)
    )


def action_list(
    connection: Connection, scope: Scope, today: date, wanted: ActionFilter | None = None
) -> ActionList:
    """The actions the user reads (the TPPS: all, narrowed by ``wanted``; a partner: its
    institution's), overdue first, then by due date; the counts are of the list shown."""
    own = _institution_of(scope)
    wanted = wanted or ActionFilter()
    institution = own if own is not None else wanted.institution_id
    rows = action_rows(connection, kind=wanted.kind, institution_id=institution)
    if wanted.status is not None:
        rows = [r for r in rows if r.status is wanted.status]
    views = _views(connection, rows, today)
    counts = ActionCounts(
        open=sum(
            1 for v in views if v.row.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
        ),
        overdue=sum(1 for v in views if v.overdue),
        done=sum(1 for v in views if v.row.status is ActionStatus.DONE),
    )
    name = None
    if own is not None:
        found = institution_row(connection, own)
        name = found.name if found else None
    return ActionList(views, counts, own is None, name)


@dataclass(frozen=True)
class ActionDetail:
    """One action with its evidence files, the decisions that link to it (with their
    meeting's day and title) and what the user may do."""

    row: ActionRow
    overdue: bool
    evidence: list[EvidenceRow]
    decisions: list[tuple[DecisionRow, date, str]]
    may_edit: bool  # the TPPS changes a commitment's terms
    may_report: bool  # the TPPS and the responsible partner report progress


def _action(
    connection: Connection, scope: Scope, action_id: int, *, lock: bool = False
) -> ActionRow:
    own = _institution_of(scope)
    found = action_row(connection, action_id, lock=lock)
    if found is None or (own is not None and found.institution_id != own):
        raise OutOfScope
    return found


def find_action(connection: Connection, scope: Scope, action_id: int, today: date) -> ActionDetail:
    """The action if the user reads it; else OutOfScope (NotAllowed for a role that reads
    no action)."""
    row = _action(connection, scope, action_id)
    files = evidence_rows(connection, subject_of(row.kind), [row.id])
    decisions = decision_rows(connection, action_ids=[row.id])
    meetings = {m.id: m for m in meeting_rows(connection, {d.meeting_id for d in decisions})}
    linked = [(d, meetings[d.meeting_id].held_on, meetings[d.meeting_id].title) for d in decisions]
    tpps = scope.role in TPPS_ROLES
    return ActionDetail(
        row,
        is_overdue(row.status, row.due_on, today),
        files,
        linked,
        tpps and row.kind is ActionKind.COMMITMENT,
        True,
    )


# --- the TPPS's commitments ------------------------------------------------------------


def _where_errors(
    connection: Connection, typed: CommitmentInput, city_code: str, current_institution: int | None
) -> list[PartnerFieldError]:
    errors: list[PartnerFieldError] = []
    found = institution_row(connection, typed.institution_id)
    if found is None or (not found.active and found.id != current_institution):
        value = str(typed.institution_id)
        errors.append(
            PartnerFieldError(PartnerProblem.UNKNOWN_INSTITUTION, "institution", value, "")
        )
    if typed.kelurahan is not None:
        codes = {r.code for r in regions(connection, RegionLevel.KELURAHAN, within=city_code)}
        if typed.kelurahan not in codes:
            errors.append(
                PartnerFieldError(
                    PartnerProblem.UNKNOWN_KELURAHAN, "kelurahan", typed.kelurahan, ""
                )
            )
    return errors


def _columns(typed: CommitmentInput) -> dict[str, object]:
    return {
        "action": typed.action,
        "institution_id": typed.institution_id,
        "kelurahan_code": typed.kelurahan,
        "agreed_on": typed.agreed_on,
        "starts_on": typed.starts_on,
        "due_on": typed.due_on,
        "budget_rupiah": typed.budget_rupiah,
        "budget_source": typed.budget_source,
    }


def _record(row: ActionRow) -> dict[str, object]:
    values = asdict(row)
    for key in (
        "id",
        "institution_name",
        "kelurahan_name",
        "created_by",
        "created_at",
        "updated_at",
    ):
        values.pop(key)
    values["kind"] = row.kind.value
    values["status"] = row.status.value
    return values


@dataclass(frozen=True)
class ActionSaved:
    """What adding a commitment did: its id, or why it was refused (nothing written)."""

    action_id: int | None
    errors: list[PartnerFieldError]


def create_commitment(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    typed: CommitmentInput,
    *,
    city_code: str,
    decision_id: int | None = None,
) -> ActionSaved:
    """Add a commitment, planned (audited; linked to the meeting's decision ``decision_id``
    when given, which the caller has found in the user's reach), and commit."""
    _require_tpps(scope)
    with writing(connection):
        errors = _where_errors(connection, typed, city_code, None)
        if errors:
            return ActionSaved(None, errors)
        now = datetime.now(UTC)
        values = {**_columns(typed), "kind": ActionKind.COMMITMENT, "status": ActionStatus.PLANNED}
        created_by = user.id if isinstance(user, UserInfo) else None
        action_id = insert_action(
            connection, {**values, "created_by": created_by, "created_at": now, "updated_at": now}
        )
        write_audit(
            connection, user, AuditAction.CREATE, ENTITY, action_id, before=None, after=values
        )
        if decision_id is not None:
            link_action(connection, decision_id, action_id)
            link = {"decision_id": decision_id, "action_id": action_id}
            write_audit(
                connection,
                user,
                AuditAction.CREATE,
                "decision_action",
                action_id,
                before=None,
                after=link,
            )
    return ActionSaved(action_id, [])


def update_commitment(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    action_id: int,
    typed: CommitmentInput,
    *,
    city_code: str,
) -> list[PartnerFieldError]:
    """Store a commitment's new terms (audited when anything changed) and commit; the
    errors otherwise. An RTL item's terms belong to its audit (NotAllowed here)."""
    _require_tpps(scope)
    with writing(connection):
        old = _action(connection, scope, action_id, lock=True)
        if old.kind is not ActionKind.COMMITMENT:
            raise NotAllowed
        errors = _where_errors(connection, typed, city_code, old.institution_id)
        if errors:
            return errors
        values = _columns(typed)
        before = _record(old)
        if any(before[k] != v for k, v in values.items()):
            update_action(connection, action_id, {**values, "updated_at": datetime.now(UTC)})
            write_audit(
                connection,
                user,
                AuditAction.UPDATE,
                ENTITY,
                action_id,
                before=before,
                after={**before, **values},
            )
    return []


# --- progress and evidence ------------------------------------------------------------------


def report_progress(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    action_id: int,
    progress: ProgressInput,
    upload: EvidenceUpload | None = None,
) -> None:
    """Store the action's status, what was delivered and when (audited), with an evidence
    file when given, in one transaction: a refused file (InputError) writes nothing."""
    with writing(connection):
        old = _action(connection, scope, action_id, lock=True)
        now = datetime.now(UTC)
        values = {
            "status": progress.status.value,
            "delivered": progress.delivered,
            "done_on": progress.done_on,
        }
        before = _record(old)
        if any(before[k] != v for k, v in values.items()):
            update_action(connection, action_id, {**values, "updated_at": now})
            write_audit(
                connection,
                user,
                AuditAction.UPDATE,
                ENTITY,
                action_id,
                before=before,
                after={**before, **values},
            )
        if upload is not None:
            attach_evidence(connection, user, subject_of(old.kind), action_id, upload, now)


def add_action_evidence(
    connection: Connection, scope: Scope, user: UserInfo, action_id: int, upload: EvidenceUpload
) -> int:
    """Keep a file as evidence of the action (audited); its id. InputError when refused."""
    with writing(connection):
        row = _action(connection, scope, action_id, lock=True)
        return attach_evidence(
            connection, user, subject_of(row.kind), action_id, upload, datetime.now(UTC)
        )


def action_evidence(
    connection: Connection, scope: Scope, action_id: int, document_id: int
) -> EvidenceFile:
    """A file of the action, for the TPPS and the responsible partner; OutOfScope when the
    file is not the action's."""
    row = _action(connection, scope, action_id)
    kept = evidence_rows(connection, subject_of(row.kind), [row.id])
    if all(e.id != document_id for e in kept):
        raise OutOfScope
    return evidence_file(connection, subject_of(row.kind), document_id)


# --- the semester report's lines -------------------------------------------------------------


def _status_at(row: ActionRow, cut_off: date) -> ActionStatus:
    """The status on the cut-off day: an action done after it was still in progress."""
    if row.status is ActionStatus.DONE and row.done_on is not None and row.done_on > cut_off:
        return ActionStatus.IN_PROGRESS
    return row.status


def _lines(
    connection: Connection, rows: Iterable[ActionRow], cut_off: date
) -> tuple[ActionLine, ...]:
    rows = [r for r in rows if r.agreed_on <= cut_off]
    files: dict[tuple[ActionKind, int], int] = {}
    for kind, subject in SUBJECTS.items():
        counted = evidence_counts(connection, subject, [r.id for r in rows if r.kind is kind])
        files.update({(kind, i): n for i, n in counted.items()})
    lines = []
    for r in rows:
        status = _status_at(r, cut_off)
        lines.append(
            ActionLine(
                kind=r.kind,
                action=r.action,
                responsible=r.institution_name,
                kelurahan=r.kelurahan_name or r.institution_region_name,
                area_code=r.kelurahan_code or r.institution_region_code,
                agreed_on=r.agreed_on,
                due_on=r.due_on,
                status=status,
                overdue=is_overdue(status, r.due_on, cut_off),
                evidence_files=files.get((r.kind, r.id), 0),
                budget_rupiah=r.budget_rupiah,
                delivered=r.delivered if status is r.status else None,
                evaluation=r.evaluation,
            )
        )
    order = sorted(
        zip(lines, rows, strict=True),
        key=lambda p: (
            *overdue_first(p[0].status, p[0].due_on, cut_off),
            p[0].responsible,
            p[1].id,
        ),
    )
    return tuple(line for line, _row in order)


def action_lines(
    connection: Connection, ids: Iterable[int], cut_off: date
) -> tuple[ActionLine, ...]:
    """The actions of ``ids`` (RTL items or commitments) agreed by ``cut_off``, as the
    report lists them: status and overdue on that day, overdue first, then by due date."""
    wanted = sorted(set(ids))
    if not wanted:
        return ()
    return _lines(connection, action_rows(connection, ids=wanted), cut_off)


def commitment_lines(connection: Connection, cut_off: date) -> tuple[ActionLine, ...]:
    """Every partner commitment agreed by ``cut_off``, as the report lists them (see
    :func:`action_lines`)."""
    return _lines(connection, action_rows(connection, kind=ActionKind.COMMITMENT), cut_off)
