"""Importing an e-PPGBM file from the web: check (dry run), report, confirm or cancel.

The database step is :mod:`tumbuh.db.imports` (docs/import-format.md, section 11):
:func:`~tumbuh.db.imports.prepare` reads and checks the file, :func:`~tumbuh.db.imports.
dry_run` matches it against the database without writing, and
:func:`~tumbuh.db.imports.commit` matches again inside one write transaction and writes
everything or nothing, with the user as the actor of its audit rows.

**Keyed by the file's hash.** A checked upload is kept under its key (SHA-256 of the city
code and the file) in memory (:class:`~tumbuh.db.imports.CheckedImports`) and on disk, in
a folder readable by the server's user only, one per user and key. The commit takes the
checked import from memory, or, when another worker process or an hour has passed,
checks the file on disk again; the commit re-validates against the database either way.
Uploads hold names and NIK (UU 27/2022): they are deleted after the commit, on cancel,
and at the latest :data:`KEEP_SECONDS` after the upload.

**Working area.** A nutritionist may import only rows of the kelurahan of her puskesmas'
working area; a file with any row elsewhere is refused as a whole, with the rows named
(:func:`rows_outside`), so that no file is half imported by one puskesmas.
"""

import re
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from tumbuh.config import Settings
from tumbuh.db.imports import (
    Actor,
    CheckedImports,
    ImportResult,
    PreparedImport,
    UploadedFile,
    commit,
    dry_run,
    prepare,
)
from tumbuh.web.places import Places
from tumbuh.web.scope import Scope

UPLOADS = Path(tempfile.gettempdir()) / "tumbuh-import"
KEEP_SECONDS = 3600.0  # uploads and checks are kept an hour, as CheckedImports keeps them
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
KEY = r"^[0-9a-f]{64}$"


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


def rows_outside(prepared: PreparedImport, scope: Scope, places: Places) -> list[OutsideRow]:
    """Rows to be written whose kelurahan lies outside the scope (none for whole-city
    roles), in file order."""
    if scope.kelurahan is None:
        return []
    found = []
    for row in prepared.batch.rows:
        if row.kelurahan_code not in scope.kelurahan:
            area = places.kelurahan.get(row.kelurahan_code)
            name = area.name if area is not None else row.kelurahan_code
            found.append(OutsideRow(row.source.path.name, row.row, name))
    return found


class ImportDesk:
    """The checked uploads of one application (thread-safe)."""

    def __init__(self, engine: Engine, settings: Settings, folder: Path = UPLOADS) -> None:
        self.engine = engine
        self.settings = settings
        self.folder = folder
        self.checked = CheckedImports(size=16, seconds=KEEP_SECONDS)
        self._results: OrderedDict[tuple[int, str], ImportResult] = OrderedDict()
        self._lock = threading.Lock()

    def upload_folder(self, user_id: int, key: str) -> Path:
        """Where the upload of ``key`` by ``user_id`` is kept."""
        return self.folder / f"{user_id}-{key}"

    def check(
        self, user_id: int, name: str, content: bytes, scope: Scope, places: Places
    ) -> Checked:
        """Keep the upload, check it and, unless refused, dry-run it against the database."""
        self._sweep()
        clean = re.sub(r"[\x00-\x1f\x7f/\\]", "_", Path(name).name)[:200].strip(" .")
        clean = clean or "upload.xlsx"
        prepared = prepare([UploadedFile(clean, content)], self.engine, self.settings)
        folder = self.upload_folder(user_id, prepared.key)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for old in folder.iterdir():
            old.unlink()
        (folder / clean).write_bytes(content)
        self.checked.put(prepared)
        outside = rows_outside(prepared, scope, places)
        result = None if outside else dry_run(prepared, self.engine)
        if result is not None:
            self._remember(user_id, prepared.key, result)
        return Checked(prepared.key, clean, result, tuple(outside))

    def load(self, user_id: int, key: str) -> tuple[PreparedImport, str] | None:
        """The checked import of an upload kept for ``user_id`` (checked again from disk
        when this process no longer has it), and the file's name; None when gone."""
        folder = self.upload_folder(user_id, key)
        if not folder.is_dir() or folder.stat().st_mtime < time.time() - KEEP_SECONDS:
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

    def result(self, user_id: int, key: str, prepared: PreparedImport) -> ImportResult:
        """The dry run of the upload (again, when this process did not keep it)."""
        with self._lock:
            found = self._results.get((user_id, key))
        if found is None:
            found = dry_run(prepared, self.engine)
            self._remember(user_id, key, found)
        return found

    def commit(
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

    def _sweep(self) -> None:
        """Delete uploads older than :data:`KEEP_SECONDS` (personal data kept no longer)."""
        if not self.folder.is_dir():
            return
        limit = time.time() - KEEP_SECONDS
        for folder in self.folder.iterdir():
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
