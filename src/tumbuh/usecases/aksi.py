"""The 8 aksi konvergensi of a year for a user: the scorecard, a change to one aksi, its
evidence files; and the report's lines (docs/aksi.md).

Who may do what (applied here, once):

- admin and analyst (the TPPS): read every year, change any aksi and add evidence;
- partner: reads the scorecard and the evidence;
- every other role: :class:`NotAllowed`.

Every change is audited (entity ``aksi``; an evidence file as ``evidence``) and written in
one transaction with the change it belongs to: a refused value or file writes nothing.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import ClassVar

from sqlalchemy import Connection

from tumbuh.db.aksi import (
    AksiRow,
    aksi_row,
    aksi_rows,
    aksi_years,
    insert_aksi,
    update_aksi,
)
from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.evidence import EvidenceRow, evidence_counts, evidence_rows
from tumbuh.db.institutions import institution_choices
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_tpps import EvidenceSubject
from tumbuh.errors import NamedFieldError
from tumbuh.growth.aksi import AKSI_COUNT, Aksi, aksi_points, aksi_score, check_aksi
from tumbuh.growth.tpps import ActionStatus
from tumbuh.reports.tpps_data import AksiLine
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, UserInfo
from tumbuh.usecases.evidence import EvidenceFile, EvidenceUpload, attach_evidence, evidence_file
from tumbuh.usecases.transactions import writing

__all__ = [
    "AKSI_COUNT",
    "AksiEntry",
    "AksiFieldError",
    "AksiForm",
    "Scorecard",
    "add_aksi_evidence",
    "aksi_evidence",
    "aksi_lines",
    "save_aksi",
    "scorecard",
    "years",
]

ENTITY = "aksi"
EDITORS = frozenset({Role.ADMIN, Role.ANALYST})
READERS = EDITORS | {Role.PARTNER}
NOTE_MAX = 1000
FIRST_YEAR, LAST_YEAR = 2018, 2100  # the table's check (aksi_record.year)


class AksiFieldError(NamedFieldError):
    """A refused value of the aksi form, naming the field."""

    FIELD_NAMES: ClassVar[Mapping[str, str]] = {
        "year": "Year",
        "status": "Status",
        "done_on": "Date done",
        "institution": "Owning office",
        "note": "Note",
    }


def may_edit(scope: Scope) -> bool:
    """True when the role changes the aksi (the TPPS)."""
    return scope.role in EDITORS


def _readable(scope: Scope) -> None:
    if scope.role not in READERS:
        raise NotAllowed


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise AksiFieldError(
            "{field}: {value} is not accepted; give a year from {first} to {last}",
            field="year",
            value=year,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    return year


def years(connection: Connection, scope: Scope, today: date) -> list[int]:
    """The years to list: every year with records, and this year, latest first."""
    _readable(scope)
    return sorted({*aksi_years(connection), today.year}, reverse=True)


@dataclass(frozen=True)
class AksiEntry:
    """One aksi of the year as the scorecard shows it; ``row`` None: not recorded."""

    aksi: Aksi
    row: AksiRow | None
    evidence: tuple[EvidenceRow, ...]

    @property
    def status(self) -> ActionStatus | None:
        """The stored status (None: not recorded)."""
        return None if self.row is None else self.row.status

    @property
    def points(self) -> float:
        """The aksi's points on the scorecard (:func:`tumbuh.growth.aksi.aksi_points`)."""
        return aksi_points(self.status)


@dataclass(frozen=True)
class Scorecard:
    """The 8 aksi of a year, the score out of 8, and what the user may change."""

    year: int
    entries: tuple[AksiEntry, ...]
    score: float
    may_edit: bool
    institutions: tuple[tuple[int, str], ...]  # owners to choose from (editors only)

    @property
    def recorded(self) -> bool:
        """Whether any aksi of the year is recorded."""
        return any(e.row is not None for e in self.entries)


def scorecard(connection: Connection, scope: Scope, year: int) -> Scorecard:
    """The year's 8 aksi in the juknis' order, each with its evidence files."""
    _readable(scope)
    rows = {row.aksi: row for row in aksi_rows(connection, _year(year))}
    files = evidence_rows(connection, EvidenceSubject.AKSI, [r.id for r in rows.values()])
    entries = tuple(
        AksiEntry(
            aksi,
            rows.get(aksi),
            tuple(f for f in files if aksi in rows and f.subject_id == rows[aksi].id),
        )
        for aksi in Aksi
    )
    score = aksi_score({aksi: row.status for aksi, row in rows.items()})
    owners = tuple(institution_choices(connection)) if may_edit(scope) else ()
    return Scorecard(year, entries, score, may_edit(scope), owners)


@dataclass(frozen=True)
class AksiForm:
    """The aksi form as typed: status, date done (YYYY-MM-DD), owner id, note."""

    status: str
    done_on: str = ""
    institution: str = ""
    note: str = ""


def _status(typed: str) -> ActionStatus:
    try:
        return ActionStatus(typed.strip())
    except ValueError:
        accepted = ", ".join(s.value for s in ActionStatus)
        raise AksiFieldError(
            "{field}: {value} is not accepted; choose one of {accepted}",
            field="status",
            value=typed,
            accepted=accepted,
        ) from None


def _date(typed: str) -> date | None:
    text = typed.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise AksiFieldError(
            "{field}: {value} is not a date; write it as YYYY-MM-DD, e.g. 2024-07-25",
            field="done_on",
            value=typed,
        ) from None


def _owner(connection: Connection, typed: str) -> int | None:
    text = typed.strip()
    if not text:
        return None
    known = dict(institution_choices(connection))
    if text.isdigit() and int(text) in known:
        return int(text)
    raise AksiFieldError(
        "{field}: {value} is not a known office; choose one from the list",
        field="institution",
        value=typed,
    )


def _values(connection: Connection, year: int, form: AksiForm, today: date) -> dict[str, object]:
    status, done_on = _status(form.status), _date(form.done_on)
    problem = check_aksi(status, done_on, year, today)
    if problem is not None:
        raise AksiFieldError(problem.message, field="done_on", **problem.values)
    note = form.note.strip()
    if len(note) > NOTE_MAX:
        raise AksiFieldError(
            "{field}: {value} characters; at most {limit}",
            field="note",
            value=len(note),
            limit=NOTE_MAX,
        )
    return {
        "status": status,
        "done_on": done_on,
        "institution_id": _owner(connection, form.institution),
        "note": note or None,
    }


def _record(row: AksiRow) -> dict[str, object]:
    return {
        "year": row.year,
        "aksi": row.aksi.value,
        "status": row.status.value,
        "done_on": row.done_on,
        "institution_id": row.institution_id,
        "note": row.note,
    }


def _stored(
    connection: Connection, user: UserInfo | Actor, year: int, aksi: Aksi, values: dict[str, object]
) -> int:
    """Add or change the aksi of the year (audited when anything changed); its id."""
    now = datetime.now(UTC)
    user_id = user.id if isinstance(user, UserInfo) else None
    before = aksi_row(connection, year, aksi, lock=True)
    after = {"year": year, "aksi": aksi.value, **values}
    after["status"] = ActionStatus(str(after["status"])).value
    if before is None:
        columns = {**values, "year": year, "aksi": aksi, "updated_by": user_id, "updated_at": now}
        aksi_id = insert_aksi(connection, columns)
        write_audit(connection, user, AuditAction.CREATE, ENTITY, aksi_id, before=None, after=after)
        return aksi_id
    if _record(before) != after:
        update_aksi(connection, before.id, {**values, "updated_by": user_id, "updated_at": now})
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            ENTITY,
            before.id,
            before=_record(before),
            after=after,
        )
    return before.id


def save_aksi(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    year: int,
    aksi: Aksi,
    form: AksiForm,
    *,
    today: date,
) -> int:
    """Store the aksi's status, date, owner and note for ``year`` (audited) and commit;
    its id. :class:`AksiFieldError` names a refused field (nothing written)."""
    if not may_edit(scope):
        raise NotAllowed
    with writing(connection):
        values = _values(connection, _year(year), form, today)
        return _stored(connection, user, year, aksi, values)


def add_aksi_evidence(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    year: int,
    aksi: Aksi,
    upload: EvidenceUpload,
) -> int:
    """Keep ``upload`` as evidence of the aksi (recorded as planned first if it was not
    recorded yet; both audited) and commit; the file's id. An empty, too large or unknown
    file is refused with an :class:`~tumbuh.errors.InputError` and nothing is written."""
    if not may_edit(scope):
        raise NotAllowed
    with writing(connection):
        found = aksi_row(connection, _year(year), aksi, lock=True)
        if found is None:
            values: dict[str, object] = {
                "status": ActionStatus.PLANNED,
                "done_on": None,
                "institution_id": None,
                "note": None,
            }
            aksi_id = _stored(connection, user, year, aksi, values)
        else:
            aksi_id = found.id
        return attach_evidence(
            connection, user, EvidenceSubject.AKSI, aksi_id, upload, datetime.now(UTC)
        )


def aksi_evidence(
    connection: Connection, scope: Scope, year: int, aksi: Aksi, document_id: int
) -> EvidenceFile:
    """One evidence file of the aksi of ``year``; :class:`OutOfScope` when it is not one."""
    _readable(scope)
    found = aksi_row(connection, _year(year), aksi)
    if found is None:
        raise OutOfScope(document_id)
    kept = evidence_rows(connection, EvidenceSubject.AKSI, [found.id])
    if document_id not in {e.id for e in kept}:
        raise OutOfScope(document_id)
    return evidence_file(connection, EvidenceSubject.AKSI, document_id)


def aksi_lines(connection: Connection, year: int, cut_off: date) -> tuple[AksiLine, ...] | None:
    """The report's 8 aksi of ``year`` in order (an aksi not recorded is planned, without
    owner); None when nothing is recorded for the year. The status is the stored one: the
    report is made from the records as they are on its cut-off day."""
    del cut_off  # the stored status is the status on the cut-off (docs/aksi.md)
    rows = {row.aksi: row for row in aksi_rows(connection, year)}
    if not rows:
        return None
    counts = evidence_counts(connection, EvidenceSubject.AKSI, [r.id for r in rows.values()])
    return tuple(_line(aksi, rows.get(aksi), counts) for aksi in Aksi)


def _line(aksi: Aksi, row: AksiRow | None, counts: dict[int, int]) -> AksiLine:
    if row is None:
        return AksiLine(aksi, ActionStatus.PLANNED, None, None, 0)
    return AksiLine(
        aksi,
        row.status,
        row.done_on,
        row.institution_name,
        counts.get(row.id, 0),
        row.note,
    )
