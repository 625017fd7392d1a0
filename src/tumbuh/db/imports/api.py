"""Importing e-PPGBM files into the database: check, then write in one transaction.

Three steps, usable together (``import_eppgbm``, the CLI) or apart (the web app):

1. :func:`prepare` reads and checks the files (``tumbuh.ingest.check_files``) against the
   regions and posyandu in the database; nothing is written.
2. :func:`dry_run` matches the checked rows to the database (children, posyandu, rows it
   already holds, conflicts) and reports what an import would do; still nothing written.
3. :func:`commit` does the matching again inside one write transaction (the database may
   have changed since the check) and writes everything, or nothing: by default any error
   blocks the whole import; ``skip_invalid`` writes the rows without errors.

A :class:`PreparedImport` is keyed by the SHA-256 of its files, so a web page can check
an upload, show the report, and commit it later from :class:`CheckedImports` without the
file being uploaded again.
"""

import hashlib
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Connection, Engine

from tumbuh.config import Settings
from tumbuh.db.audit import Actor
from tumbuh.db.derive import load_kbm_table
from tumbuh.db.imports.entities import Entities, EntityPlanner
from tumbuh.db.imports.lines import Lines
from tumbuh.db.imports.lock import import_transaction
from tumbuh.db.imports.plan import Conflict, Plan, build_plan
from tumbuh.db.imports.planner import plan_for_each_batch, refresh_statistics
from tumbuh.db.imports.stored import region_records, registered_posyandu
from tumbuh.db.imports.write import STEPS, RunStart, Writer, Written
from tumbuh.db.setup import require_current_schema
from tumbuh.growth.weight_gain import KbmTable
from tumbuh.ingest import check_files
from tumbuh.ingest.batch import ImportBatch
from tumbuh.ingest.limits import KB, MB, FileLimits
from tumbuh.ingest.report import ImportReport

# An import writing at least this many measurements refreshes PostgreSQL's statistics.
ANALYZE_AFTER_ROWS = 1_000


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


def _no_progress(stage: ImportStage, done: int, total: int) -> None:
    """Progress callback that does nothing."""


def prepare(
    files: Sequence[Path | UploadedFile],
    engine: Engine,
    settings: Settings,
    *,
    today: date | None = None,
    progress: ImportProgress = _no_progress,
) -> PreparedImport:
    """Read and check ``files`` against the database's regions and posyandu. Each file is
    read within :func:`file_limits` (a file over one raises ``FileLimitError``)."""
    require_current_schema(engine)
    with engine.connect() as connection:
        regions = region_records(connection, settings.city_code)
        known: dict[str, list[str]] = {}
        for posyandu in registered_posyandu(connection):
            known.setdefault(posyandu.kelurahan_code, []).append(posyandu.name)
    day = today or date.today()
    with tempfile.TemporaryDirectory(prefix="tumbuh-import-") as folder:
        paths = _paths(files, Path(folder))
        batch, report = check_files(
            paths,
            regions,
            today=day,
            known_posyandu=known,
            progress=lambda done, total: progress(ImportStage.READ, done, total),
            limits=file_limits(settings),
        )
    digest = hashlib.sha256(settings.city_code.encode())
    for source in batch.files:
        digest.update((source.sha256 or f"unreadable:{source.path.name}").encode())
    return PreparedImport(digest.hexdigest(), batch, report, day, settings.city_code)


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


def _paths(files: Sequence[Path | UploadedFile], folder: Path) -> list[Path]:
    """Uploaded files are written to ``folder`` under their own names (one folder each)."""
    paths = []
    for index, item in enumerate(files):
        if isinstance(item, Path):
            paths.append(item)
            continue
        name = re.sub(r"[\x00-\x1f\x7f/\\]", "_", Path(item.name).name)[:200]
        target = folder / str(index) / (name.strip(" .") or "upload")
        target.parent.mkdir()
        target.write_bytes(item.content)
        paths.append(target)
    return paths


def dry_run(
    prepared: PreparedImport,
    engine: Engine,
    *,
    progress: ImportProgress = _no_progress,
) -> ImportResult:
    """What :func:`commit` would do now, without writing anything."""
    with engine.connect() as connection:
        return _run(connection, prepared, None, progress, skip_invalid=False, actor=Actor())


def _started() -> datetime:
    return datetime.now(UTC)


def commit(
    prepared: PreparedImport,
    engine: Engine,
    settings: Settings,
    *,
    skip_invalid: bool = False,
    actor: Actor | None = None,
    progress: ImportProgress = _no_progress,
    wait_seconds: float = 0.0,
) -> ImportResult:
    """Match and write ``prepared`` in one transaction (nothing at all on any error unless
    ``skip_invalid``). An interruption leaves the database as it was. ``actor`` (default:
    the tool "import") is recorded in the import's run (``import_run``) and audit rows.

    One import at a time (:mod:`tumbuh.db.imports.lock`): raises
    :class:`~tumbuh.db.imports.lock.ImportBusyError` when another import still runs after
    ``wait_seconds`` (0: at once). The transaction begins as every write of Tumbuh does
    (:func:`~tumbuh.db.engine.begin_write`: on SQLite the write lock is taken before the
    matching reads), so an import waits for the web application's writes instead of
    failing when one lands between its reads and writes.
    """
    kbm = load_kbm_table(settings.kbm_table_file)
    started = _started()
    with engine.connect() as connection, import_transaction(connection, wait_seconds=wait_seconds):
        result = _run(
            connection,
            prepared,
            kbm,
            progress,
            skip_invalid=skip_invalid,
            actor=actor or Actor(),
            started_at=started,
        )
        connection.commit()
    if result.counts.rows_imported >= ANALYZE_AFTER_ROWS:
        refresh_statistics(engine)
    return result


def import_eppgbm(  # noqa: PLR0913 - the import's options
    files: Sequence[Path | UploadedFile],
    engine: Engine,
    settings: Settings,
    *,
    skip_invalid: bool = False,
    dry_run_only: bool = False,
    today: date | None = None,
    actor: Actor | None = None,
    progress: ImportProgress = _no_progress,
    wait_seconds: float = 0.0,
) -> ImportResult:
    """Check and import ``files`` (the whole of ``tumbuh import eppgbm``)."""
    prepared = prepare(files, engine, settings, today=today, progress=progress)
    if dry_run_only:
        return dry_run(prepared, engine, progress=progress)
    return commit(
        prepared,
        engine,
        settings,
        skip_invalid=skip_invalid,
        actor=actor,
        progress=progress,
        wait_seconds=wait_seconds,
    )


def _run(
    connection: Connection,
    prepared: PreparedImport,
    kbm: KbmTable | None,
    progress: ImportProgress,
    *,
    skip_invalid: bool,
    actor: Actor,
    started_at: datetime | None = None,
) -> ImportResult:
    """Plan, and write when ``kbm`` is given (a commit) and nothing blocks."""
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
            started_at or _started(),
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
