"""The web's import of an uploaded e-PPGBM file: check (dry run), confirm or cancel.

The steps are those of :mod:`tumbuh.usecases.imports`: :func:`~tumbuh.usecases.imports.
prepare` reads and checks the file, :func:`~tumbuh.usecases.imports.dry_run` matches it
against the database without writing, and :func:`~tumbuh.usecases.imports.commit`
matches again inside one write transaction and writes everything or nothing, with the
user as the actor of its audit rows.

**Keyed by the file's hash.** A checked upload is kept under its key (SHA-256 of the city
code and the file) in memory (:class:`~tumbuh.usecases.imports.CheckedImports`) and on
disk, in the upload folder (owner-only, :func:`own_folder`), one subfolder per user and
key. The commit takes the checked import from memory, or, when another worker process
has it, checks the file on disk again; the commit re-validates against the database
either way. Uploads hold names and NIK (UU 27/2022): they are deleted after the commit,
on cancel, and at the latest ``TUMBUH_UPLOAD_KEEP_MINUTES`` after the upload, by
:meth:`ImportDesk.sweep`.

**Working area.** The user's :class:`~tumbuh.usecases.access.Scope` is applied here, to
the check, its review and the commit alike: a nutritionist may import only rows of the
kelurahan of her puskesmas' working area; a file with any row elsewhere is refused as a
whole, with the rows named (:func:`rows_outside`), so that no file is half imported by
one puskesmas.
"""

import hashlib
import os
import re
import shutil
import stat
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from tumbuh.config import Settings
from tumbuh.db.regions import regions
from tumbuh.errors import ConfigError
from tumbuh.ingest.regions import RegionLevel
from tumbuh.ingest.tabular import FileFormat, sniff_format
from tumbuh.usecases.access import Scope
from tumbuh.usecases.imports import (
    Actor,
    CheckedImports,
    ImportBusyError,
    ImportResult,
    PreparedImport,
    UploadedFile,
    commit,
    dry_run,
    prepare,
)
from tumbuh.usecases.pmt_history import (
    HistoryImportResult,
    HistoryOutcome,
    history_kind_of,
    import_pmt_history,
)

__all__ = [
    "KEY",
    "Checked",
    "CheckedHistory",
    "Confirmation",
    "ImportDesk",
    "OutsideRow",
    "own_folder",
    "rows_outside",
]

KEY = r"^[0-9a-f]{64}$"  # the key of a checked upload: a SHA-256 in hexadecimal


def own_folder(folder: Path) -> None:
    """Create ``folder`` for this user only (0700), also when it existed with wider
    permissions; refuse one that is a link or belongs to another user."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = folder.lstat()
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
        raise ConfigError(
            "the upload folder {folder} is a link or belongs to another user; set "
            "TUMBUH_UPLOAD_DIR to a folder of the user that runs Tumbuh",
            folder=folder,
        )
    if stat.S_IMODE(info.st_mode) != 0o700:
        folder.chmod(0o700)


@dataclass(frozen=True)
class OutsideRow:
    """A row of the file in a kelurahan outside the user's working area."""

    file: str
    row: int
    kelurahan: str


@dataclass(frozen=True)
class Checked:
    """An upload after its check: the dry run's result, or the rows that refuse it."""

    key: str
    file_name: str
    result: ImportResult | None  # None when refused for rows outside the working area
    outside: tuple[OutsideRow, ...]


@dataclass(frozen=True)
class CheckedHistory:
    """An uploaded PMT history file after its check (a dry run of its import), or after
    its import; ``busy`` when another import held the lock and nothing was tried."""

    key: str
    file_name: str
    result: HistoryImportResult | None
    busy: bool = False


@dataclass(frozen=True)
class Confirmation:
    """What confirming a checked upload did: ``result`` None when nothing was tried
    (refused for rows outside the working area, or ``busy``: another import held the
    lock); ``checked`` is the check it was confirmed from."""

    checked: Checked
    result: ImportResult | None
    busy: bool = False


def rows_outside(
    prepared: PreparedImport, scope: Scope, kelurahan_names: dict[str, str]
) -> list[OutsideRow]:
    """Rows to be written whose kelurahan lies outside the scope (none for whole-city
    roles), in file order, each named by its kelurahan (``kelurahan_names``, else code)."""
    if scope.kelurahan is None:
        return []
    found = []
    for row in prepared.batch.rows:
        if row.kelurahan_code not in scope.kelurahan:
            name = kelurahan_names.get(row.kelurahan_code, row.kelurahan_code)
            found.append(OutsideRow(row.source.path.name, row.row, name))
    return found


class ImportDesk:
    """The checked uploads of one application (thread-safe), kept in ``folder``."""

    def __init__(self, engine: Engine, settings: Settings, folder: Path) -> None:
        self.engine = engine
        self.settings = settings
        self.folder = folder
        self.keep_seconds = settings.upload_keep_minutes * 60.0
        self.checked = CheckedImports(size=16, seconds=self.keep_seconds)
        self._results: OrderedDict[tuple[int, str], ImportResult] = OrderedDict()
        self._lock = threading.Lock()

    def upload_folder(self, user_id: int, key: str) -> Path:
        """Where the upload of ``key`` by ``user_id`` is kept."""
        return self.folder / f"{user_id}-{key}"

    def _outside(self, prepared: PreparedImport, scope: Scope) -> tuple[OutsideRow, ...]:
        """The rows of ``prepared`` outside ``scope`` (the kelurahan names read only when
        there are any)."""
        if scope.kelurahan is None or all(
            row.kelurahan_code in scope.kelurahan for row in prepared.batch.rows
        ):
            return ()
        city = self.settings.city_code
        with self.engine.connect() as connection:
            names = {
                r.code: r.display_name
                for r in regions(connection, RegionLevel.KELURAHAN, within=city)
            }
        return tuple(rows_outside(prepared, scope, names))

    def check(self, user_id: int, name: str, content: bytes, scope: Scope) -> Checked:
        """Keep the upload, check it and, unless refused, dry-run it against the database."""
        self.sweep()
        clean = re.sub(r"[\x00-\x1f\x7f/\\]", "_", Path(name).name)[:200].strip(" .")
        clean = clean or "upload.xlsx"
        prepared = prepare([UploadedFile(clean, content)], self.engine, self.settings)
        folder = self.upload_folder(user_id, prepared.key)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for old in folder.iterdir():
            old.unlink()
        (folder / clean).write_bytes(content)
        self.checked.put(prepared)
        outside = self._outside(prepared, scope)
        result = None if outside else dry_run(prepared, self.engine)
        if result is not None:
            self._remember(user_id, prepared.key, result)
        return Checked(prepared.key, clean, result, outside)

    def load(self, user_id: int, key: str) -> tuple[PreparedImport, str] | None:
        """The checked import of an upload kept for ``user_id`` (checked again from disk
        when this process no longer has it), and the file's name; None when gone."""
        folder = self.upload_folder(user_id, key)
        if not folder.is_dir() or _uploaded_at(folder) < time.time() - self.keep_seconds:
            self.forget(user_id, key)
            return None
        files = sorted(p for p in folder.glob("*") if p.is_file() and not p.name.startswith("."))
        if not files:
            return None
        prepared = self.checked.get(key)
        if prepared is None:
            uploaded = UploadedFile(files[0].name, files[0].read_bytes())
            prepared = prepare([uploaded], self.engine, self.settings)
            if prepared.key != key:
                return None
            self.checked.put(prepared)
        return prepared, files[0].name

    def review(self, user_id: int, key: str, scope: Scope) -> tuple[PreparedImport, Checked] | None:
        """The upload ``key`` of ``user_id`` and its check: refused for rows outside
        ``scope``, else the dry run (kept from the upload, or run again); None when the
        upload is gone."""
        found = self.load(user_id, key)
        if found is None:
            return None
        prepared = found[0]
        outside = self._outside(prepared, scope)
        name = prepared.batch.files[0].path.name if prepared.batch.files else ""
        result = None if outside else self.result(user_id, key, prepared)
        return prepared, Checked(key, name, result, outside)

    def result(self, user_id: int, key: str, prepared: PreparedImport) -> ImportResult:
        """The dry run of the upload (again, when this process did not keep it)."""
        with self._lock:
            found = self._results.get((user_id, key))
        if found is None:
            found = dry_run(prepared, self.engine)
            self._remember(user_id, key, found)
        return found

    def confirm(
        self, user_id: int, username: str, key: str, scope: Scope, *, skip_invalid: bool
    ) -> Confirmation | None:
        """Check the upload ``key`` again within ``scope`` and, unless refused, match again
        and write it in one transaction (:meth:`_commit`); None when the upload is gone."""
        found = self.review(user_id, key, scope)
        if found is None:
            return None
        prepared, checked = found
        if checked.result is None:
            return Confirmation(checked, None)
        try:
            result = self._commit(user_id, username, prepared, skip_invalid=skip_invalid)
        except ImportBusyError:
            return Confirmation(checked, None, busy=True)
        return Confirmation(checked, result)

    def _commit(
        self, user_id: int, username: str, prepared: PreparedImport, *, skip_invalid: bool
    ) -> ImportResult:
        """Match again and write in one transaction. Once written, the upload is forgotten,
        unless rows with errors were skipped: their report stays downloadable (until the
        upload expires)."""
        actor = Actor(username, user_id)
        result = commit(
            prepared, self.engine, self.settings, skip_invalid=skip_invalid, actor=actor
        )
        if result.ok and not result.report.has_errors:
            self.forget(user_id, prepared.key)
        return result

    # --- PMT history files (tumbuh.usecases.pmt_history) ----------------------------------

    def check_history(
        self, user_id: int, name: str, content: bytes, scope: Scope
    ) -> CheckedHistory | None:
        """Keep the upload and dry-run its import when it is a PMT history file (None:
        it is not; the e-PPGBM check takes it). Only an HTML table (as e-PPGBM saves these
        files) or a file named like one is opened to tell, so that an ordinary e-PPGBM
        workbook is not parsed twice."""
        named = re.search(r"riwayat|pmt", name, re.IGNORECASE) is not None
        if not named and sniff_format(content[:8192]) is not FileFormat.HTML:
            return None
        self.sweep()
        clean = re.sub(r"[\x00-\x1f\x7f/\\]", "_", Path(name).name)[:200].strip(" .")
        clean = clean or "upload.xls"
        digest = hashlib.sha256(content).hexdigest()
        key = hashlib.sha256((self.settings.city_code + digest).encode()).hexdigest()
        folder = self.upload_folder(user_id, key)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for old in folder.iterdir():
            old.unlink()
        path = folder / clean
        path.write_bytes(content)
        try:
            kind = history_kind_of(path, self.settings)
        except BaseException:  # over a limit: nothing of the upload is kept
            self.forget(user_id, key)
            raise
        if kind is None:
            self.forget(user_id, key)
            return None
        return CheckedHistory(key, clean, self._history(user_id, key, scope, dry_run=True))

    def history_upload(self, user_id: int, key: str) -> Path | None:
        """The kept PMT history upload ``key`` of ``user_id`` (None when gone or expired)."""
        folder = self.upload_folder(user_id, key)
        if not folder.is_dir() or _uploaded_at(folder) < time.time() - self.keep_seconds:
            self.forget(user_id, key)
            return None
        files = sorted(p for p in folder.glob("*") if p.is_file() and not p.name.startswith("."))
        return files[0] if files else None

    def confirm_history(
        self, user_id: int, username: str, key: str, scope: Scope, *, skip_invalid: bool
    ) -> CheckedHistory | None:
        """Import the kept PMT history upload ``key`` (its rows matched again, in one
        transaction); None when the upload is gone. Forgotten once written."""
        path = self.history_upload(user_id, key)
        if path is None:
            return None
        actor = Actor(username, user_id)
        try:
            result = self._history(
                user_id, key, scope, actor=actor, skip_invalid=skip_invalid, dry_run=False
            )
        except ImportBusyError:
            return CheckedHistory(key, path.name, None, busy=True)
        if result is not None and result.outcome is HistoryOutcome.IMPORTED:
            self.forget(user_id, key)
        return CheckedHistory(key, path.name, result)

    def _history(
        self,
        user_id: int,
        key: str,
        scope: Scope,
        *,
        dry_run: bool,
        actor: Actor | None = None,
        skip_invalid: bool = False,
    ) -> HistoryImportResult | None:
        path = self.history_upload(user_id, key)
        if path is None:
            return None
        with self.engine.connect() as connection:
            return import_pmt_history(
                connection,
                scope,
                path,
                settings=self.settings,
                actor=actor or Actor("web", user_id),
                skip_invalid=skip_invalid,
                dry_run=dry_run,
            )

    def forget(self, user_id: int, key: str) -> None:
        """Delete the upload and everything kept about it."""
        shutil.rmtree(self.upload_folder(user_id, key), ignore_errors=True)
        self.checked.pop(key)
        with self._lock:
            self._results.pop((user_id, key), None)

    def _remember(self, user_id: int, key: str, result: ImportResult) -> None:
        with self._lock:
            self._results[(user_id, key)] = result
            self._results.move_to_end((user_id, key))
            while len(self._results) > self.checked.size:
                self._results.popitem(last=False)

    def sweep(self, now: float | None = None) -> int:
        """Delete the uploads older than the keep time at ``now`` (a Unix time; default:
        the clock), and forget their checks; returns how many were deleted."""
        own_folder(self.folder)
        limit = (time.time() if now is None else now) - self.keep_seconds
        expired = [f for f in self.folder.iterdir() if f.is_dir() and _uploaded_at(f) < limit]
        for folder in expired:
            shutil.rmtree(folder, ignore_errors=True)
        self.checked.expire()
        with self._lock:
            for user_id, key in list(self._results):
                if self.checked.get(key) is None:
                    del self._results[(user_id, key)]
        return len(expired)


def _uploaded_at(folder: Path) -> float:
    """When the upload in ``folder`` was written: its oldest file (a report written later
    does not make the upload younger)."""
    times = [p.stat().st_mtime for p in folder.iterdir() if p.is_file()]
    return min(times, default=folder.stat().st_mtime)
