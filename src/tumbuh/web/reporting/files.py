"""Semester reports built in the background and kept on disk (docs/web.md, "Reports").

Reading every figure of a semester report takes tens of seconds on a whole city
(docs/semester-report.md, "Speed"), far too long for a request. So a request only asks
for a report: one background thread per application builds the requested reports one
after the other (the figures are read once per semester and data version, then both
formats are composed from them), and each finished file is kept in the report folder
(``TUMBUH_REPORT_CACHE_DIR``) under a name that holds the semester, language and the
**data version**: a fingerprint of the records (largest measurement, audit and posyandu
ids, every target and survey figure) and the day. When the records change or a day
passes, the name changes and the report is built again; older files of the same report
are deleted once the new one is written.

Several worker processes share the folder: a ``.building`` marker created exclusively
tells the others that a report is being made (a marker older than
:data:`STALE_SECONDS` is a crashed build and ignored), and files are written under a
temporary name and renamed, so nobody ever serves half a file.
"""

import logging
import os
import queue
import threading
import time
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Connection, Engine

from tumbuh.config import Settings
from tumbuh.growth.periods import Period
from tumbuh.i18n import Language
from tumbuh.reports.semester import semester_pdf, write_semester_workbook
from tumbuh.usecases.reporting import (
    SemesterData,
    data_version,
    database_folder,
    read_semester,
    report_letterhead,
    report_signature,
)

logger = logging.getLogger(__name__)
DEFAULT_FOLDER = "tumbuh-reports"
STALE_SECONDS = 15 * 60  # a build marker older than this belongs to a crashed process


class ReportFormat(StrEnum):
    """The two forms of the semester report."""

    PDF = "pdf"
    XLSX = "xlsx"

    @property
    def media_type(self) -> str:
        """The HTTP content type."""
        if self is ReportFormat.PDF:
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportState(StrEnum):
    """Where a requested report stands."""

    ABSENT = "absent"  # not built for this data version, not requested
    BUILDING = "building"  # queued or being built (here or by another worker)
    READY = "ready"
    FAILED = "failed"  # the last build raised; logged with its traceback


@dataclass(frozen=True)
class ReportStatus:
    """A report's state, its file when ready, and when its build started."""

    state: ReportState
    path: Path | None = None
    started: float | None = None  # time.time() when queued

    @property
    def seconds_running(self) -> int:
        """Seconds since the build was asked for (0 when not building)."""
        return max(0, round(time.time() - self.started)) if self.started else 0

    @property
    def size_kib(self) -> int:
        """Size of the finished file in KiB (0 when not ready)."""
        return round(self.path.stat().st_size / 1024) if self.path else 0


@dataclass(frozen=True)
class _Job:
    semester: Period
    format: ReportFormat
    language: Language
    version: str
    target: Path


def report_folder(settings: Settings) -> Path:
    """``TUMBUH_REPORT_CACHE_DIR``, else ``tumbuh-reports`` beside the SQLite file (or in
    the working directory with PostgreSQL)."""
    if settings.report_cache_dir is not None:
        return settings.report_cache_dir
    return (database_folder(settings.database_url) or Path.cwd()) / DEFAULT_FOLDER


class SemesterReports:
    """The semester reports of one application: requested, built in a background thread,
    kept in :func:`report_folder`."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.folder = report_folder(settings)
        self._lock = threading.Lock()
        self._jobs: dict[Path, float] = {}  # target -> time queued (this process)
        self._failed: set[Path] = set()
        self._queue: queue.Queue[_Job] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._data: tuple[tuple[str, str], SemesterData] | None = None  # last figures read

    def _target(
        self, semester: Period, fmt: ReportFormat, language: Language, version: str
    ) -> Path:
        return self.folder / f"semester-{semester.label}-{language.value}-{version}.{fmt.value}"

    def status(
        self, connection: Connection, semester: Period, fmt: ReportFormat, language: Language
    ) -> ReportStatus:
        """Where the report of the current data stands."""
        target = self._target(
            semester, fmt, language, data_version(connection, date.today(), self.settings)
        )
        return self._status(target)

    def _status(self, target: Path) -> ReportStatus:
        with self._lock:
            if target.is_file():
                return ReportStatus(ReportState.READY, target)
            if target in self._jobs:
                return ReportStatus(ReportState.BUILDING, started=self._jobs[target])
            if target in self._failed:
                return ReportStatus(ReportState.FAILED)
        marker = _marker(target)
        if marker.exists() and time.time() - marker.stat().st_mtime < STALE_SECONDS:
            return ReportStatus(ReportState.BUILDING, started=marker.stat().st_mtime)
        return ReportStatus(ReportState.ABSENT)

    def request(
        self, connection: Connection, semester: Period, fmt: ReportFormat, language: Language
    ) -> ReportStatus:
        """Queue the report unless it is ready or being built; returns its state."""
        version = data_version(connection, date.today(), self.settings)
        target = self._target(semester, fmt, language, version)
        found = self._status(target)
        if found.state in (ReportState.READY, ReportState.BUILDING):
            return found
        with self._lock:
            self._failed.discard(target)
            self._jobs[target] = time.time()
            self._queue.put(_Job(semester, fmt, language, version, target))
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="semester-reports")
                self._worker.daemon = True  # a build in progress must not hold up shutdown
                self._worker.start()
            return ReportStatus(ReportState.BUILDING, started=self._jobs[target])

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            try:
                self._build(job)
            except Exception:  # reported to the user as "failed"; the thread carries on
                logger.exception("semester report %s (%s) failed", job.semester.label, job.format)
                with self._lock:
                    self._failed.add(job.target)
            finally:
                with self._lock:
                    self._jobs.pop(job.target, None)
                self._queue.task_done()

    def _build(self, job: _Job) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        marker = _marker(job.target)
        try:
            with marker.open("x"):
                pass
        except FileExistsError:
            if time.time() - marker.stat().st_mtime < STALE_SECONDS:
                return  # another worker process is building it
            marker.touch()
        try:
            data = self._figures(job)
            partial = job.target.with_name(f".{job.target.name}.{os.getpid()}.part")
            if job.format is ReportFormat.PDF:
                pdf = semester_pdf(
                    data,
                    generated_on=date.today(),
                    language=job.language,
                    letterhead=report_letterhead(self.settings),
                    signature=report_signature(self.settings),
                )
                partial.write_bytes(pdf.content)
            else:
                write_semester_workbook(data, partial, language=job.language)
            partial.replace(job.target)
            _remove_older(job.target, job.semester, job.format, job.language)
        finally:
            marker.unlink(missing_ok=True)

    def _figures(self, job: _Job) -> SemesterData:
        """The semester's figures, read once per data version for both formats."""
        key = (job.semester.label, job.version)
        cached = self._data
        if cached is not None and cached[0] == key:
            return cached[1]
        data = read_semester(self.engine, job.semester, self.settings, cut_off=date.today())
        self._data = (key, data)
        return data


def _marker(target: Path) -> Path:
    return target.with_name(f".{target.name}.building")


def _remove_older(target: Path, semester: Period, fmt: ReportFormat, language: Language) -> None:
    """Delete the files of the same report made from older data."""
    pattern = f"semester-{semester.label}-{language.value}-*.{fmt.value}"
    for path in target.parent.glob(pattern):
        if path != target:
            path.unlink(missing_ok=True)
