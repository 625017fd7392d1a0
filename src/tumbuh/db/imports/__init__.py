"""The persistence of ``tumbuh import eppgbm`` and the web import: match checked rows to
children and posyandu, and write them in the caller's transaction (docs/import-format.md,
section 11), one import at a time (:mod:`tumbuh.db.imports.lock`).

The steps a user asks for (check a file, dry run, commit, the web's checked uploads) are
the use cases of :mod:`tumbuh.usecases.imports`.
"""

from tumbuh.db.audit import Actor
from tumbuh.db.imports.api import (
    CreatedPosyandu,
    ImportCounts,
    ImportOutcome,
    ImportProgress,
    ImportResult,
    ImportStage,
    PreparedImport,
    UploadedFile,
    checking_data,
    file_limits,
    match_and_write,
    no_progress,
)
from tumbuh.db.imports.lock import MAX_WAIT_SECONDS, ImportBusyError, import_transaction
from tumbuh.db.imports.plan import Conflict, Difference
from tumbuh.db.imports.planner import refresh_statistics

__all__ = [
    "MAX_WAIT_SECONDS",
    "Actor",
    "Conflict",
    "CreatedPosyandu",
    "Difference",
    "ImportBusyError",
    "ImportCounts",
    "ImportOutcome",
    "ImportProgress",
    "ImportResult",
    "ImportStage",
    "PreparedImport",
    "UploadedFile",
    "checking_data",
    "file_limits",
    "import_transaction",
    "match_and_write",
    "no_progress",
    "refresh_statistics",
]
