"""Importing an e-PPGBM file from the web: where uploads are kept, and their sweeping.

The import itself (check, dry run, confirm or cancel, within the user's working area) is
the use case :class:`tumbuh.usecases.import_desk.ImportDesk`; this module gives it its
folder: ``TUMBUH_UPLOAD_DIR``, else ``tumbuh-uploads`` beside the report folder
(:func:`upload_folder`, owner-only). Uploads hold names and NIK (UU 27/2022): they are
deleted after the commit, on cancel, and at the latest ``TUMBUH_UPLOAD_KEEP_MINUTES``
after the upload, by :class:`Sweeper` (at start-up and every :data:`SWEEP_SECONDS`),
whether or not anyone uploads again.
"""

import logging
import threading
from pathlib import Path

from sqlalchemy import Engine

from tumbuh.config import Settings
from tumbuh.errors import ConfigError
from tumbuh.usecases import import_desk
from tumbuh.usecases.import_desk import KEY, Checked, OutsideRow, own_folder, rows_outside
from tumbuh.web.reporting.files import report_folder

__all__ = [
    "KEY",
    "Checked",
    "ImportDesk",
    "OutsideRow",
    "Sweeper",
    "own_folder",
    "rows_outside",
    "upload_folder",
]

logger = logging.getLogger(__name__)
DEFAULT_FOLDER = "tumbuh-uploads"
SWEEP_SECONDS = 300.0  # expired uploads are deleted within this long


def upload_folder(settings: Settings) -> Path:
    """``TUMBUH_UPLOAD_DIR``, else ``tumbuh-uploads`` beside the report folder (never the
    shared temporary directory, where another local user could have made it first)."""
    if settings.upload_dir is not None:
        return settings.upload_dir
    return report_folder(settings).parent / DEFAULT_FOLDER


class ImportDesk(import_desk.ImportDesk):
    """The checked uploads of one application, in ``folder`` (default:
    :func:`upload_folder`)."""

    def __init__(self, engine: Engine, settings: Settings, folder: Path | None = None) -> None:
        super().__init__(engine, settings, folder or upload_folder(settings))


class Sweeper:
    """Deletes expired uploads at start-up and every ``period`` seconds, in a thread of
    its own, until :meth:`stop`."""

    def __init__(self, desk: ImportDesk, period: float = SWEEP_SECONDS) -> None:
        self.desk = desk
        self.period = period
        self.sweeps = 0  # completed sweeps, for tests and logs
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tumbuh-upload-sweep", daemon=True)

    def start(self) -> "Sweeper":
        """Sweep once now (an unsafe upload folder stops the start-up), then periodically."""
        self.desk.sweep()
        self.sweeps += 1
        self._thread.start()
        return self

    def stop(self) -> None:
        """End the thread (it is between sweeps, or finishes the one it is in)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            try:
                deleted = self.desk.sweep()
            except (OSError, ConfigError):
                logger.exception("could not delete expired uploads in %s", self.desk.folder)
                continue
            self.sweeps += 1
            if deleted:
                logger.info("deleted %d expired uploads", deleted)
