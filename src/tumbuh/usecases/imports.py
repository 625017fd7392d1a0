"""Importing e-PPGBM files: check, dry run, then write in one transaction.

Three steps, usable together (:func:`import_eppgbm`, the command line) or apart (the web
app, :mod:`tumbuh.usecases.import_desk`):

1. :func:`prepare` reads and checks the files (``tumbuh.ingest.check_files``) against the
   regions and posyandu in the database; nothing is written.
2. :func:`dry_run` matches the checked rows to the database (children, posyandu, rows it
   already holds, conflicts) and reports what an import would do; still nothing written.
3. :func:`commit` does the matching again inside one write transaction (the database may
   have changed since the check) and writes everything, or nothing: by default any error
   blocks the whole import; ``skip_invalid`` writes the rows without errors.

A :class:`PreparedImport` is keyed by the SHA-256 of its files, so a web page can check
an upload, show the report, and commit it later from :class:`CheckedImports` without the
file being uploaded again. The matching and writing are persistence
(:mod:`tumbuh.db.imports`); this module decides when they run, in which transaction and
under which lock.
"""

import hashlib
import re
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine

from tumbuh.config import Settings
from tumbuh.db.derive import load_kbm_table
from tumbuh.db.engine import open_engine
from tumbuh.db.imports import (
    MAX_WAIT_SECONDS,
    Actor,
    Conflict,
    CreatedPosyandu,
    ImportBusyError,
    ImportCounts,
    ImportOutcome,
    ImportProgress,
    ImportResult,
    ImportStage,
    PreparedImport,
    UploadedFile,
    checking_data,
    file_limits,
    import_transaction,
    match_and_write,
    no_progress,
    refresh_statistics,
)
from tumbuh.db.setup import require_current_schema
from tumbuh.db.surveillance.referrals import referral_rules
from tumbuh.ingest import check_files
from tumbuh.usecases.areas import Area, AreaKind
from tumbuh.usecases.cases import record_import_cases

__all__ = [
    "ANALYZE_AFTER_ROWS",
    "MAX_WAIT_SECONDS",
    "Actor",
    "CheckedImports",
    "Conflict",
    "CreatedPosyandu",
    "ImportBusyError",
    "ImportCounts",
    "ImportOutcome",
    "ImportProgress",
    "ImportResult",
    "ImportStage",
    "PreparedImport",
    "UploadedFile",
    "commit",
    "dry_run",
    "import_eppgbm",
    "import_into_configured",
    "prepare",
]

# An import writing at least this many measurements refreshes PostgreSQL's statistics.
ANALYZE_AFTER_ROWS = 1_000


def prepare(
    files: Sequence[Path | UploadedFile],
    engine: Engine,
    settings: Settings,
    *,
    today: date | None = None,
    progress: ImportProgress = no_progress,
) -> PreparedImport:
    """Read and check ``files`` against the database's regions and posyandu. Each file is
    read within :func:`~tumbuh.db.imports.file_limits` (a file over one raises
    ``FileLimitError``)."""
    require_current_schema(engine)
    with engine.connect() as connection:
        regions, known = checking_data(connection, settings.city_code)
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
    progress: ImportProgress = no_progress,
) -> ImportResult:
    """What :func:`commit` would do now, without writing anything."""
    with engine.connect() as connection:
        return match_and_write(
            connection, prepared, None, progress, skip_invalid=False, actor=Actor()
        )


def commit(
    prepared: PreparedImport,
    engine: Engine,
    settings: Settings,
    *,
    skip_invalid: bool = False,
    actor: Actor | None = None,
    progress: ImportProgress = no_progress,
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
    started = datetime.now(UTC)
    with engine.connect() as connection, import_transaction(connection, wait_seconds=wait_seconds):
        result = match_and_write(
            connection,
            prepared,
            kbm,
            progress,
            skip_invalid=skip_invalid,
            actor=actor or Actor(),
            started_at=started,
        )
        if result.import_run_id is not None:  # open the cases of the children it measured
            record_import_cases(
                connection,
                result.import_run_id,
                city=Area(settings.city_code, settings.city_code, AreaKind.KOTA),
                user=actor or Actor(),
                rules=referral_rules(settings),
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
    progress: ImportProgress = no_progress,
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


def import_into_configured(
    files: Sequence[Path | UploadedFile],
    settings: Settings,
    *,
    skip_invalid: bool = False,
    dry_run_only: bool = False,
    actor: Actor | None = None,
    progress: ImportProgress = no_progress,
    wait_seconds: float = 0.0,
) -> ImportResult:
    """:func:`import_eppgbm` into the database of ``settings`` (its engine disposed of
    after): ``tumbuh import eppgbm``."""
    engine = open_engine(settings.database_url)
    try:
        return import_eppgbm(
            files,
            engine,
            settings,
            skip_invalid=skip_invalid,
            dry_run_only=dry_run_only,
            actor=actor,
            progress=progress,
            wait_seconds=wait_seconds,
        )
    finally:
        engine.dispose()


class CheckedImports:
    """Checked imports kept in memory between the check and the commit (web uploads).

    Bounded: at most ``size`` entries, each kept ``seconds`` long. One per process; a
    deployment with several worker processes must send the commit to the same worker
    (or check again, which needs the upload again).
    """

    def __init__(self, size: int = 8, seconds: float = 3600.0) -> None:
        self.size = size
        self.seconds = seconds
        self._items: OrderedDict[str, tuple[float, PreparedImport]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, prepared: PreparedImport) -> str:
        """Keep ``prepared``; returns its key."""
        with self._lock:
            self._expire()
            self._items[prepared.key] = (time.monotonic(), prepared)
            self._items.move_to_end(prepared.key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return prepared.key

    def get(self, key: str) -> PreparedImport | None:
        """The checked import with ``key``, or None when unknown or expired."""
        with self._lock:
            self._expire()
            item = self._items.get(key)
            return None if item is None else item[1]

    def pop(self, key: str) -> PreparedImport | None:
        """Like :meth:`get`, and forget it (after a commit)."""
        with self._lock:
            self._expire()
            item = self._items.pop(key, None)
            return None if item is None else item[1]

    def expire(self) -> None:
        """Forget the entries older than ``seconds`` now (every access does it too; an
        application calls this on a schedule, so nothing outlives its time unasked)."""
        with self._lock:
            self._expire()

    def _expire(self) -> None:
        limit = time.monotonic() - self.seconds
        for key in [k for k, (at, _) in self._items.items() if at < limit]:
            del self._items[key]
