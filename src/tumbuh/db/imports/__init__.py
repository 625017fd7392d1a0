"""The database step of ``tumbuh import eppgbm``: match checked rows to children and
posyandu, and write them in one transaction (docs/import-format.md, section 11).

``import_eppgbm(files, engine, settings)`` does it all; the web app uses ``prepare``,
``dry_run`` and ``commit`` with a :class:`CheckedImports` store between them.
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
    commit,
    dry_run,
    import_eppgbm,
    prepare,
)
from tumbuh.db.imports.checked import CheckedImports
from tumbuh.db.imports.lock import ImportBusyError
from tumbuh.db.imports.plan import Conflict, Difference

__all__ = [
    "Actor",
    "CheckedImports",
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
    "commit",
    "dry_run",
    "import_eppgbm",
    "prepare",
]
