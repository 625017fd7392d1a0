"""Importing e-PPGBM files into the database: what an import is, matching and writing.

The steps of an import (check, dry run, commit; :mod:`tumbuh.usecases.imports`) use
this persistence: :func:`checking_data` reads what the checks compare a file with,
:func:`match_and_write` matches checked rows to children and posyandu (the database may
have changed since the check) and, in a commit, writes everything or nothing in the
caller's transaction (with the import's run, :mod:`tumbuh.db.imports.trace`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import Connection

from tumbuh.config import Settings
from tumbuh.db.audit import Actor
from tumbuh.db.imports.entities import Entities, EntityPlanner
from tumbuh.db.imports.lines import Lines
from tumbuh.db.imports.plan import Conflict, Plan, build_plan
from tumbuh.db.imports.planner import plan_for_each_batch
from tumbuh.db.imports.stored import region_records, registered_posyandu
from tumbuh.db.imports.write import STEPS, RunStart, Writer, Written
from tumbuh.growth.weight_gain import KbmTable
from tumbuh.ingest.batch import ImportBatch
from tumbuh.ingest.limits import KB, MB, FileLimits
from tumbuh.ingest.regions import RegionRecord
from tumbuh.ingest.report import ImportReport


class ImportStage(StrEnum):
    """Stages reported to a progress callback."""

    READ = "read"  # reading and checking the files (done, total = files)
    MATCH = "match"  # matching rows to children and stored measurements
    WRITE = "write"  # writing (done, total = tables)


ImportProgress = Callable[[ImportStage, int, int], None]


class ImportOutcome(StrEnum):
    """What an import did."""

    IMPORTED = "imported"  # written (possibly nothing new)
    BLOCKED = "blocked"  # errors and no skip_invalid: nothing written
    DRY_RUN = "dry_run"  # checked only


@dataclass(frozen=True)
class UploadedFile:
    """A file received by the web app: its name as uploaded and its bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class PreparedImport:
    """Checked files, ready to match and write (``key``: SHA-256 of the files)."""

    key: str
    batch: ImportBatch
    report: ImportReport
    today: date
    city_code: str


@dataclass(frozen=True)
class CreatedPosyandu:
    """A posyandu an import created (or would create)."""

    kelurahan_code: str
    name: str
    code: str | None  # None in a dry run


@dataclass(frozen=True)
class ImportCounts:
    """Rows and records of one import.

    ``rows_read`` = ``rows_with_errors`` + ``rows_ready`` + ``rows_already_present`` +
    ``rows_repeated`` (rows that conflict with the database count among the rows with
    errors). Children, posyandu, mothers, families and NIKs are those written, or, in a
    dry run or a blocked import, those that would be (with ``skip_invalid`` for a blocked
    one).
    """

    rows_read: int
    rows_with_errors: int
    rows_ready: int  # rows that are (or would be) written
    rows_imported: int  # rows written: rows_ready, or 0 when blocked or a dry run
    rows_already_present: int
    rows_repeated: int
    conflicts: int
    children_created: int
    children_matched: int
    matched_by_nik: int
    matched_by_identity: int
    niks_attached: int
    posyandu_created: int
    mothers_created: int
    families_created: int
    eppgbm_compared: int
    eppgbm_differing: int  # |e-PPGBM z - Tumbuh z| > 0.1, summed over indicators
    eppgbm_category_differs: int


@dataclass(frozen=True)
class ImportResult:
    """The outcome, the counts, the full report and the conflicts of one import."""

    outcome: ImportOutcome
    counts: ImportCounts
    report: ImportReport
    conflicts: tuple[Conflict, ...]
    posyandu_created: tuple[CreatedPosyandu, ...]
    files_imported_before: tuple[str, ...]  # names of files whose bytes were imported before
    import_run_id: int | None = None  # the run an import wrote (None: nothing written)

    @property
    def ok(self) -> bool:
        """False when errors blocked the import (or would, for a dry run)."""
        return self.outcome is ImportOutcome.IMPORTED or (
            self.outcome is ImportOutcome.DRY_RUN and not self.report.has_errors
        )


def no_progress(stage: ImportStage, done: int, total: int) -> None:
    """Progress callback that does nothing."""


def file_limits(settings: Settings) -> FileLimits:
    """The limits of ``settings`` on files to import, each read in a worker process with
    a memory limit (docs/security.md, section 2)."""
    return FileLimits(
        max_file_bytes=settings.import_max_file_mb * MB,
        max_rows=settings.import_max_rows,
        max_unpacked_bytes=settings.import_max_unpacked_mb * MB,
        max_ratio=settings.import_max_ratio,
        max_line_bytes=settings.import_max_line_kb * KB,
        worker_memory_bytes=settings.import_worker_memory_mb * MB,
    )


def checking_data(
    connection: Connection, city_code: str
) -> tuple[list[RegionRecord], dict[str, list[str]]]:
    """What the checks of a file compare it with: the city's regions, and the names of the
    registered posyandu by kelurahan code."""
    regions = region_records(connection, city_code)
    known: dict[str, list[str]] = {}
    for posyandu in registered_posyandu(connection):
        known.setdefault(posyandu.kelurahan_code, []).append(posyandu.name)
    return regions, known


def match_and_write(
    connection: Connection,
    prepared: PreparedImport,
    kbm: KbmTable | None,
    progress: ImportProgress,
    *,
    skip_invalid: bool,
    actor: Actor,
    started_at: datetime | None = None,
) -> ImportResult:
    """Match ``prepared`` with the database and, when ``kbm`` is given (a commit) and
    nothing blocks, write it on ``connection`` (the caller's transaction, not committed)."""
    plan_for_each_batch(connection)
    progress(ImportStage.MATCH, 0, 1)
    lines = Lines()
    plan = build_plan(connection, prepared.batch, lines)
    entities = EntityPlanner(connection, plan, registered_posyandu(connection)).run()
    report = prepared.report.with_lines(lines.lines)
    progress(ImportStage.MATCH, 1, 1)
    if kbm is None:
        outcome = ImportOutcome.DRY_RUN
    elif report.has_errors and not skip_invalid:
        outcome = ImportOutcome.BLOCKED
    else:
        outcome = ImportOutcome.IMPORTED
    written: Written | None = None
    if outcome is ImportOutcome.IMPORTED and kbm is not None:
        step = lambda d, t: progress(ImportStage.WRITE, d, t)  # noqa: E731
        run = RunStart(
            started_at or datetime.now(UTC),
            report.rows_read,
            report.rows_read - report.rows_valid,
            tuple(prepared.batch.files),
        )
        written = Writer(connection, plan, entities, step, actor, run).write(kbm)
        created = tuple(CreatedPosyandu(*p) for p in written.posyandu_created)
    else:
        progress(ImportStage.WRITE, STEPS, STEPS)
        planned = entities.new_posyandu.values()
        created = tuple(CreatedPosyandu(p.kelurahan_code, p.name, None) for p in planned)
    return ImportResult(
        outcome=outcome,
        counts=_counts(prepared, report, plan, entities, written),
        report=report,
        conflicts=tuple(plan.conflicts),
        posyandu_created=created,
        files_imported_before=tuple(
            f.path.name for f in prepared.batch.files if f.sha256 in plan.imported_before
        ),
        import_run_id=written.import_run_id if written is not None else None,
    )


def _counts(
    prepared: PreparedImport,
    report: ImportReport,
    plan: Plan,
    entities: Entities,
    written: Written | None,
) -> ImportCounts:
    comparisons = report.comparisons
    return ImportCounts(
        rows_read=report.rows_read,
        rows_with_errors=report.rows_read - report.rows_valid,
        rows_ready=len(plan.write),
        rows_imported=written.measurements if written is not None else 0,
        rows_already_present=plan.present,
        rows_repeated=plan.repeated + _check_repeats(prepared),
        conflicts=len(plan.conflicts),
        children_created=len(entities.new_children),
        children_matched=plan.matched_children,
        matched_by_nik=plan.matching.by_nik,
        matched_by_identity=plan.matching.by_identity,
        niks_attached=sum("nik" in c for c in entities.child_updates.values()),
        posyandu_created=len(entities.new_posyandu),
        mothers_created=len(entities.new_mothers),
        families_created=len(entities.new_families),
        eppgbm_compared=sum(c.compared for c in comparisons),
        eppgbm_differing=sum(c.differing for c in comparisons),
        eppgbm_category_differs=sum(c.category_disagreements for c in comparisons),
    )


def _check_repeats(prepared: PreparedImport) -> int:
    """Rows the checks found to repeat an earlier row exactly (not in the batch)."""
    return prepared.report.rows_valid - len(prepared.batch.rows)
