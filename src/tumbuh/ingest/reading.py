"""Reading one user's file down to the sheet that holds the e-PPGBM table, optionally in a
worker process with a memory limit, so that a hostile file cannot take the caller down.

:func:`read_sheet` opens the file (:class:`~tumbuh.ingest.tabular.Workbook`, which checks
the limits of :mod:`tumbuh.ingest.limits` before parsing) and picks the sheet whose header
names the most e-PPGBM columns. :func:`read_file` does the same in a child process when
``limits.worker_memory_bytes`` is set: the child's address space is limited
(``RLIMIT_AS``), so a parser that runs out of memory, or aborts as a Rust library does
when an allocation fails, ends the child only; the caller gets :data:`OUT_OF_MEMORY` as a
:class:`~tumbuh.ingest.limits.FileLimitError`. Children come from a ``forkserver`` that has
already imported the readers (never ``fork`` from a threaded web server), one child per
file, at most :data:`CONCURRENT_READS` at a time per process.
"""

import multiprocessing
import resource
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, TypeVar, overload

from tumbuh.ingest.layouts import HeaderMatch, match_header
from tumbuh.ingest.limits import (
    MEMORY_SETTING,
    OUT_OF_MEMORY,
    FileLimitError,
    FileLimits,
    megabytes,
)
from tumbuh.ingest.tabular import HEADER_SEARCH_ROWS, FileFormat, Row, Workbook

T = TypeVar("T")
CONCURRENT_READS = 2  # files read at once per process; more wait (memory: 2 x the limit)
_SLOTS = threading.BoundedSemaphore(CONCURRENT_READS)


@dataclass(frozen=True)
class SheetRead:
    """The file's format and hash, and its best sheet: name, header and rows (no rows when
    no sheet has an e-PPGBM header)."""

    format: FileFormat
    sha256: str
    sheet: str
    header: HeaderMatch | None
    rows: list[Row]


def read_sheet(path: Path, limits: FileLimits) -> SheetRead:
    """Open ``path`` within ``limits`` and read its best sheet, in this process."""
    book = Workbook(path, limits)
    best: tuple[int, int, HeaderMatch | None] = (-1, 0, None)
    for i in range(len(book.sheet_names)):
        header = match_header(book.rows(i, HEADER_SEARCH_ROWS))
        score = len(header.columns) if header else 0
        if score > best[0]:
            best = (score, i, header)
    _, index, header = best
    rows = book.rows(index) if header is not None else []
    sheet = book.sheet_names[index] if book.sheet_names else ""
    return SheetRead(book.format, book.sha256, sheet, header, rows)


@overload
def read_file(path: Path, limits: FileLimits) -> SheetRead: ...


@overload
def read_file(path: Path, limits: FileLimits, reader: Callable[[Path, FileLimits], T]) -> T: ...


def read_file(
    path: Path, limits: FileLimits, reader: Callable[[Path, FileLimits], Any] = read_sheet
) -> Any:
    """``reader`` (default :func:`read_sheet`; a module-level function, so that a worker
    can find it), in a worker process with a memory limit when the limits set one.

    Errors the reading raises (``InputError``) come back as they are; a worker that runs
    out of memory or dies raises :data:`OUT_OF_MEMORY`.
    """
    memory = limits.worker_memory_bytes
    if memory is None:
        return reader(path, limits)
    with (
        _SLOTS,
        ProcessPoolExecutor(
            max_workers=1, mp_context=_context(), initializer=limit_memory, initargs=(memory,)
        ) as pool,
    ):
        try:
            return pool.submit(reader, path, limits).result()
        except (BrokenProcessPool, MemoryError) as error:
            raise FileLimitError(
                OUT_OF_MEMORY, name=path.name, limit=megabytes(memory), setting=MEMORY_SETTING
            ) from error


def limit_memory(size: int) -> None:
    """Limit this process's address space to ``size`` bytes (or the hard limit, if lower)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = size if hard == resource.RLIM_INFINITY else min(size, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@cache
def _context() -> BaseContext:
    """The forkserver context, its server importing the readers once for all workers."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context
