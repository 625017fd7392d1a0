"""Importing BKKBN's family data (KRS) in Tumbuh's layout (docs/krs-import.md).

:func:`import_krs` reads one file (:mod:`tumbuh.ingest.krs`, in a worker within the
import limits), then, in one write transaction under the import lock, writes every row
or nothing:

* a row's family is found by its **Nomor KK**: a new number creates the family, a known
  one gets its KRS record (kelurahan, address, RT/RW, the six criteria, the day of the
  assessment) replaced;
* **scope**: the row's kelurahan must be in the user's area (a kelurahan outside the city
  is refused too), and so must the kelurahan of a family already stored; a role that does
  not import (a TPK, a kader: docs/security.md) gets :class:`NotAllowed`;
* **all or nothing**: any error in the file (a row, a column, a formula) writes nothing;
  ``dry_run`` checks and writes nothing;
* audited as an import: an ``import_run`` with its ``import_file`` and its own audit row,
  and one audit row per family created or changed, with its kelurahan, RT/RW, criteria
  and day, never its Nomor KK or address (personal data stays out of the audit summary).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Connection

from tumbuh.config import Settings
from tumbuh.db.audit import Actor, actor_of, write_audits
from tumbuh.db.imports import file_limits
from tumbuh.db.imports.lock import ImportBusyError, import_transaction
from tumbuh.db.imports.stored import imported_files, region_records
from tumbuh.db.imports.trace import FileTrace, RunCounts, finish_run, start_run
from tumbuh.db.imports.write import reserve_ids
from tumbuh.db.krs_families import StoredFamily, add_families, families_by_kk, update_family
from tumbuh.db.models import ImportRun, RegionLevel, table_of
from tumbuh.db.models_access import AuditAction
from tumbuh.db.pmt_imports import add_import_file
from tumbuh.db.users import UserInfo
from tumbuh.ingest import krs
from tumbuh.ingest.reading import read_file
from tumbuh.ingest.report import ImportReport, ReportLine, Severity
from tumbuh.usecases.access import NotAllowed, Scope

__all__ = ["FAMILY_ENTITY", "ImportBusyError", "KrsImportResult", "KrsOutcome", "import_krs"]

FAMILY_ENTITY = "family"  # audit_log.entity of a family
NOT_A_KELURAHAN = (
    "{column}: {value} is not a kelurahan of this city; write the Kemendagri code of a "
    "kelurahan (see the list of regions)"
)
OUTSIDE_AREA = "{column}: {value} is outside your area; import only the families of your kelurahan"
STORED_OUTSIDE_AREA = (
    "the family with this Nomor KK is recorded in a kelurahan outside your area; it "
    "cannot be changed from here"
)
ALREADY_IMPORTED = "this file was imported already on {date}; nothing new in it"


class KrsOutcome(StrEnum):
    """What an import of a family file did."""

    IMPORTED = "imported"
    BLOCKED = "blocked"  # errors: nothing written
    DRY_RUN = "dry_run"


@dataclass(frozen=True)
class KrsImportResult:
    """The outcome, counts and report of one family file's import."""

    file: str
    outcome: KrsOutcome
    rows_read: int
    families_added: int
    families_changed: int
    report: ImportReport
    import_run_id: int | None = None

    @property
    def ok(self) -> bool:
        """Imported, or a dry run without errors."""
        return self.outcome is KrsOutcome.IMPORTED or (
            self.outcome is KrsOutcome.DRY_RUN and not self.report.has_errors
        )


def import_krs(  # noqa: PLR0913 - the import's options, all keyword-only
    connection: Connection,
    scope: Scope,
    path: Path,
    *,
    settings: Settings,
    actor: Actor | UserInfo,
    name: str | None = None,
    dry_run: bool = False,
    today: date | None = None,
    wait_seconds: float = 0.0,
) -> KrsImportResult:
    """Read ``path`` (called ``name`` in the report) and import its families for ``actor``
    within ``scope`` (a web user is audited as themselves); see the module doc."""
    if not scope.may_import:
        raise NotAllowed("this role does not import families")
    day = today or date.today()
    shown = name or path.name
    kelurahan = {
        r.code for r in region_records(connection, settings.city_code)
        if r.level is RegionLevel.KELURAHAN
    }  # fmt: skip
    connection.rollback()  # the file is read outside any transaction
    sheet = read_file(path, file_limits(settings), krs.read_krs_sheet)
    read = krs.read_krs(sheet, shown, day)
    with import_transaction(connection, wait_seconds=wait_seconds):
        stored = families_by_kk(connection, [f.nomor_kk for f in read.families])
        lines = [*_scope_lines(read, scope, kelurahan, stored)]
        before = imported_files(connection, [read.sha256] if read.sha256 else [])
        if read.sha256 in before:
            when = before[read.sha256].date()
            lines.append(ReportLine(shown, None, None, None, Severity.WARNING, ALREADY_IMPORTED,
                                    {"date": when}))  # fmt: skip
        report = read.report.with_lines(lines)
        new = sum(f.nomor_kk not in stored for f in read.families)
        changed = len(read.families) - new
        if dry_run or report.has_errors:
            outcome = KrsOutcome.DRY_RUN if dry_run else KrsOutcome.BLOCKED
            added, changed = (new, changed) if dry_run else (0, 0)
            return KrsImportResult(shown, outcome, report.rows_read, added, changed, report)
        who = actor_of(actor) if isinstance(actor, UserInfo) else actor
        run_id = _write(connection, read, stored, who)
        connection.commit()
    return KrsImportResult(
        shown, KrsOutcome.IMPORTED, report.rows_read, new, changed, report, run_id
    )


def _scope_lines(
    read: krs.KrsFile,
    scope: Scope,
    kelurahan: set[str],
    stored: dict[str, StoredFamily],
) -> list[ReportLine]:
    """Rows whose kelurahan is not the city's or not the user's, or whose stored family
    lies outside the user's area."""
    lines: list[ReportLine] = []
    label = read.labels.get(krs.KrsColumn.KELURAHAN, "Kode Kelurahan")
    kk_label = read.labels.get(krs.KrsColumn.NOMOR_KK, "Nomor KK")
    for family in read.families:
        code = family.kelurahan_code
        template = None
        if code not in kelurahan:
            template = NOT_A_KELURAHAN
        elif not scope.covers_kelurahan(code):
            template = OUTSIDE_AREA
        if template is not None:
            params = {"column": label, "value": code}
            lines.append(ReportLine(read.name, family.row, label, code, Severity.ERROR, template,
                                    params))  # fmt: skip
            continue
        found = stored.get(family.nomor_kk)
        place = None if found is None else found.kelurahan_code
        if place is not None and not scope.covers_kelurahan(place):
            lines.append(ReportLine(read.name, family.row, kk_label, None, Severity.ERROR,
                                    STORED_OUTSIDE_AREA, {}))  # fmt: skip
    return lines


def _record(family: krs.KrsFamily) -> dict[str, object]:
    """The family's KRS record as the ``family`` columns hold it."""
    return {
        "kelurahan_code": family.kelurahan_code,
        "address": family.address,
        "rt": family.rt,
        "rw": family.rw,
        **family.criteria,
        "krs_assessed_on": family.assessed_on,
    }


def _audited(record: dict[str, object], run_id: int | None = None) -> dict[str, object]:
    """What the audit keeps of a record: no Nomor KK, and of the address only whether
    there is one."""
    kept = {k: v for k, v in record.items() if k != "address"}
    kept["has_address"] = record.get("address") is not None
    return kept if run_id is None else kept | {"import_run_id": run_id}


def _write(
    connection: Connection,
    read: krs.KrsFile,
    stored: dict[str, StoredFamily],
    actor: Actor,
) -> int:
    """Write the run, the file and the families; the run's id."""
    new = [f for f in read.families if f.nomor_kk not in stored]
    known = [f for f in read.families if f.nomor_kk in stored]
    counts = RunCounts(
        rows_read=read.report.rows_read,
        rows_skipped=0,
        measurements_added=0,
        children_added=0,
        children_changed=0,
        mothers_added=0,
        families_added=len(new),
        posyandu_added=0,
    )
    now = datetime.now(UTC)
    run_id = reserve_ids(connection, table_of(ImportRun), 1)[0]
    start_run(connection, run_id, actor, now, counts)
    rows = len(read.families)
    add_import_file(connection, run_id, read.name, read.sha256 or "", krs.LAYOUT, rows)
    ids = add_families(connection, [(f.nomor_kk, _record(f)) for f in new])
    created = [(i, None, _audited(_record(f), run_id)) for i, f in zip(ids, new, strict=True)]
    write_audits(connection, actor, AuditAction.CREATE, FAMILY_ENTITY, created,
                 import_run_id=run_id)  # fmt: skip
    changes = []
    for family in known:
        before = stored[family.nomor_kk]
        record = _record(family)
        update_family(connection, before.id, record)
        changes.append((before.id, _audited(before.record), _audited(record, run_id)))
    write_audits(connection, actor, AuditAction.UPDATE, FAMILY_ENTITY, changes,
                 import_run_id=run_id)  # fmt: skip
    trace = FileTrace(read.name, read.sha256 or "", krs.LAYOUT, rows)
    finish_run(connection, run_id, actor, [trace], counts)
    return run_id
