"""The command's error log: where ``tumbuh`` writes the traceback of a bug, for its owner
only (docs/security.md, section 4).

The file is ``$XDG_STATE_HOME/tumbuh/error.log`` (by default
``~/.local/state/tumbuh/error.log``): a folder of the user's own, not the shared
temporary folder where anyone could read it or plant a link in its place. The folder is
made ``0700`` and the file ``0600``; the file is created with those permissions (no
moment when others may read it), opened relative to the folder already checked, and
neither may be a symbolic link or belong to another user. When no such file can be had
(no home folder, a planted link, a platform without ``O_NOFOLLOW``), the traceback goes
to standard error instead, which belongs to whoever runs the command. The text itself
is safe either way (:mod:`tumbuh.safe_logs`).
"""

import logging
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

LOG_NAME = "error.log"
FOLDER_MODE = 0o700
FILE_MODE = 0o600
LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class UnsafeLogPlaceError(OSError):
    """The log folder or file is a link or belongs to another user."""


def log_folder() -> Path:
    """``$XDG_STATE_HOME/tumbuh``, else ``~/.local/state/tumbuh``."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "tumbuh"


def open_error_log(folder: Path) -> TextIO:
    """The log file in ``folder`` (created 0700), opened for appending and readable by its
    owner only; :class:`UnsafeLogPlaceError` (an ``OSError``) when it cannot be had safely."""
    no_follow = getattr(os, "O_NOFOLLOW", 0)
    if not no_follow or os.open not in os.supports_dir_fd:
        raise UnsafeLogPlaceError("this platform cannot open a file without following links")
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | no_follow)
    try:
        _own(folder_fd, FOLDER_MODE, stat.S_ISDIR)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC | no_follow
        file_fd = os.open(LOG_NAME, flags, FILE_MODE, dir_fd=folder_fd)
    finally:
        os.close(folder_fd)
    try:
        _own(file_fd, FILE_MODE, stat.S_ISREG)
    except OSError:
        os.close(file_fd)
        raise
    return os.fdopen(file_fd, "a", encoding="utf-8")


def _own(fd: int, mode: int, kind_is: Callable[[int], bool]) -> None:
    """Refuse what is not ours or not of the expected kind; narrow wider permissions."""
    info = os.fstat(fd)
    if info.st_uid != os.getuid() or not kind_is(info.st_mode):
        raise UnsafeLogPlaceError("the error log's folder or file is not this user's own")
    if stat.S_IMODE(info.st_mode) != mode:
        os.fchmod(fd, mode)


@contextmanager
def error_log_handler() -> Iterator[tuple[logging.Handler, Path | None]]:
    """A handler writing to the error log, and its path (None: standard error instead)."""
    stream: TextIO
    path: Path | None
    try:
        folder = log_folder()
        stream, path = open_error_log(folder), folder / LOG_NAME
    except (OSError, RuntimeError):  # RuntimeError: Path.home() without a home folder
        stream, path = sys.stderr, None
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    try:
        yield handler, path
    finally:
        handler.close()
        if path is not None:
            stream.close()


def log_bug(logger: logging.Logger, message: str) -> Path | None:
    """Log the exception being handled to the error log; the log's path (None when it
    went to standard error)."""
    with error_log_handler() as (handler, path):
        logger.addHandler(handler)
        try:
            logger.exception(message)
        finally:
            logger.removeHandler(handler)
    return path
