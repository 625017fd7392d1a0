"""Importing a catin list (Elsimil, KUA or hand-made; docs/catin.md, "Importing a list"):
all rows or none.

:func:`import_catin` reads the file outside any transaction
(:func:`tumbuh.ingest.catin.read_catin_file`, within the settings' file limits), then, in
one write transaction under the import lock, places each row in its kelurahan (by code,
or by name within the city) and checks it lies in the user's area and its NIK is not
another catin's. Any problem in any row blocks the whole file, and every problem is named
(row, column, value, what is accepted; a NIK never). Otherwise every catin is written,
with the screening and the follow-up the list gives, and the import is recorded as every
import is: an ``import_run`` with its ``import_file`` and its own audit row, and one
audit row (entity ``catin``) per catin created. The same file twice is refused.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection

from tumbuh.config import Settings
from tumbuh.db.audit import Actor, actor_of, write_audits
from tumbuh.db.imports import file_limits
from tumbuh.db.imports.lock import ImportBusyError, import_transaction
from tumbuh.db.imports.stored import imported_files, region_records
from tumbuh.db.imports.trace import FileTrace, RunCounts, finish_run, start_run
from tumbuh.db.imports.write import reserve_ids
from tumbuh.db.maternal import catin as rows
from tumbuh.db.models import ImportRun, RegionLevel, table_of
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_maternal import ADULT_HEIGHT_CM, ADULT_WEIGHT_KG, HB_G_DL, MUAC_CM
from tumbuh.db.pmt_imports import add_import_file
from tumbuh.db.users import UserInfo
from tumbuh.ingest import catin as sheet
from tumbuh.ingest.catin_layout import CatinField
from tumbuh.ingest.regions import RegionMatcher, RegionRecord
from tumbuh.usecases.access import Scope
from tumbuh.usecases.catin import ENTITY, audited
from tumbuh.usecases.catin_views import writable

__all__ = ["LAYOUT", "CatinImportResult", "ImportBusyError", "import_catin"]
LAYOUT = "catin"  # import_file.layout
BOUNDS = {  # what the registry stores (the CHECKs of table catin)
    CatinField.MUAC: MUAC_CM,
    CatinField.HB: HB_G_DL,
    CatinField.WEIGHT: ADULT_WEIGHT_KG,
    CatinField.HEIGHT: ADULT_HEIGHT_CM,
}
NOT_A_KELURAHAN = (
    "Row {row}, column '{column}': '{value}' is not a kelurahan of this city; write its "
    "code (for example 36.72.01.1001) or its name as the region list has it"
)
OUTSIDE_AREA = "Row {row}, column '{column}': '{value}' is not in your area"
NIK_TAKEN = (
    "Row {row}, column '{column}': another catin already has this NIK (the value is not "
    "shown); leave the row out, or open that catin"
)
ALREADY_IMPORTED = "{name}: this file was imported on {date} already"


@dataclass(frozen=True)
class CatinImportResult:
    """What an import did: ``imported`` (all rows written) or not, and every problem."""

    name: str
    imported: bool
    rows_read: int
    added: int
    problems: tuple[sheet.Problem, ...]
    run_id: int | None = None


def import_catin(  # noqa: PLR0913 - the import's options, all keyword-only
    connection: Connection,
    user: UserInfo | Actor,
    scope: Scope,
    path: Path,
    *,
    settings: Settings,
    name: str | None = None,
    today: date | None = None,
    dry_run: bool = False,
    wait_seconds: float = 0.0,
) -> CatinImportResult:
    """Import the catin list at ``path`` (called ``name``) for ``user`` within ``scope``;
    ``NotAllowed`` for a role that does not write catin, ``ImportBusyError`` when another
    import runs (after ``wait_seconds``). ``dry_run`` checks and writes nothing."""
    writable(scope)
    day = today or date.today()
    regions = region_records(connection, settings.city_code)
    connection.rollback()  # the file is read outside any transaction
    limits = file_limits(settings)
    read = sheet.read_catin_file(path, bounds=BOUNDS, name=name, today=day, limits=limits)
    if read.problems:
        return CatinImportResult(read.name, False, read.rows_read, 0, read.problems)
    with import_transaction(connection, wait_seconds=wait_seconds):
        placed, problems = _placed(connection, scope, read, regions)
        before = imported_files(connection, [read.sha256] if read.sha256 else [])
        if read.sha256 in before:
            when = before[read.sha256].date().isoformat()
            problems.insert(
                0, sheet.Problem(None, ALREADY_IMPORTED, {"name": read.name, "date": when})
            )
        if problems or dry_run:
            return CatinImportResult(read.name, False, read.rows_read, 0, tuple(problems))
        run_id = _write(connection, user, read, placed)
        connection.commit()
    return CatinImportResult(read.name, True, read.rows_read, len(placed), (), run_id)


def _placed(
    connection: Connection, scope: Scope, read: sheet.CatinFile, regions: list[RegionRecord]
) -> tuple[list[rows.ImportedCatin], list[sheet.Problem]]:
    """Each record as a catin of its kelurahan, and the problems of place and NIK."""
    matcher = RegionMatcher(regions)
    codes = {r.code for r in regions if r.level is RegionLevel.KELURAHAN}
    taken = rows.niks_taken(connection, [r.nik for r in read.records if r.nik])
    label = {f: read.labels.get(f) or f.value for f in CatinField}
    problems: list[sheet.Problem] = []
    placed: list[rows.ImportedCatin] = []
    for r in read.records:
        column = label[CatinField.KELURAHAN_CODE if r.kelurahan_code else CatinField.KELURAHAN]
        written = r.kelurahan_code or r.kelurahan or ""
        where = {"row": r.row, "column": column, "value": written}
        code = r.kelurahan_code if r.kelurahan_code in codes else None
        if r.kelurahan_code is None and r.kelurahan:
            parent = matcher.kecamatan(r.kecamatan).region if r.kecamatan else None
            found = matcher.kelurahan(r.kelurahan, parent.code if parent else None).region
            code = found.code if found else None
        if code is None:
            problems.append(sheet.Problem(r.row, NOT_A_KELURAHAN, where))
            continue
        if not scope.covers_kelurahan(code):
            problems.append(sheet.Problem(r.row, OUTSIDE_AREA, where))
            continue
        if r.nik in taken:
            nik_where = {"row": r.row, "column": label[CatinField.NIK]}
            problems.append(sheet.Problem(r.row, NIK_TAKEN, nik_where))
            continue
        placed.append(_catin(r, code))
    return placed, problems


def _catin(r: sheet.CatinRecord, code: str) -> rows.ImportedCatin:
    person = rows.CatinPerson(
        name=r.name,
        sex=r.sex,
        kelurahan_code=code,
        registered_on=r.registered_on,
        nik=r.nik,
        birth_date=r.birth_date,
        wedding_planned_on=r.wedding_planned_on,
    )
    screening = None
    if r.screened_on is not None:
        screening = rows.Screening(r.screened_on, r.muac_cm, r.hb_g_dl, r.weight_kg, r.height_cm)
    return rows.ImportedCatin(person, screening, r.follow_up, r.follow_up_on)


def _write(
    connection: Connection,
    user: UserInfo | Actor,
    read: sheet.CatinFile,
    placed: list[rows.ImportedCatin],
) -> int:
    """Write the run, the file and the catin, each audited; the run's id."""
    actor = actor_of(user) if isinstance(user, UserInfo) else user
    counts = RunCounts(read.rows_read, 0, 0, 0, 0, 0, 0, 0)
    now = datetime.now(UTC)
    run_id = reserve_ids(connection, table_of(ImportRun), 1)[0]
    start_run(connection, run_id, actor, now, counts)
    add_import_file(connection, run_id, read.name, read.sha256 or "", LAYOUT, len(placed))
    ids = rows.add_imported(connection, placed, by=actor.user_id, now=now)
    changes = [
        (i, None, audited(c.person) | {"screened": c.screening is not None})
        for i, c in zip(ids, placed, strict=True)
    ]
    write_audits(connection, actor, AuditAction.CREATE, ENTITY, changes, import_run_id=run_id)
    trace = FileTrace(read.name, read.sha256 or "", LAYOUT, len(placed))
    finish_run(connection, run_id, actor, [trace], counts)
    return run_id
