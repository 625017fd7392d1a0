"""Limits on the files users hand us, checked before a parser sees them (docs/security.md, 2).

A spreadsheet is a zip archive whose sheet XML may unpack to thousands of times its size
(a "decompression bomb"), and a text or HTML file may hold millions of rows or one endless
line. So :func:`check_file` looks at a file cheaply first: its size; for .xlsx and .ods the
zip directory (unpacked sizes and compression ratios, nothing extracted) and then, streamed
a megabyte at a time, each sheet's declared ``<dimension>`` and its rows; for HTML the
``<tr>`` tags; for CSV the lines and their length. A file over a limit raises
:class:`FileLimitError` naming the file, what was found, the limit and the setting that sets
it. The parsers stop at the same limits (:mod:`tumbuh.ingest.tabular`), because a
dimension can lie; and the import reads each file in a worker process with a memory limit
(:mod:`tumbuh.ingest.worker`), for whatever gets past both.
"""

import math
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tumbuh.errors import InputError

MB = 1024 * 1024
KB = 1024
MAX_COLUMNS = 1_000  # e-PPGBM's widest layout has fewer than 100 columns
RATIO_CHECKED_FROM = MB  # small parts (styles, themes) may be packed tightly: not checked
CHUNK = MB
# Elements whose name begins with a row element's: <rowBreaks>; <table:table-rows>,
# <table:table-row-group>.
_OTHER_ELEMENTS = {b"row": (b"B",), b"table:table-row": (b"s", b"-")}
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s+ref="([A-Z]*)(\d*)(?::([A-Z]+)(\d+))?"')
_ROOT_PREFIX = re.compile(rb"<([\w.-]+:)?worksheet[\s>]")

# The settings an administrator changes to raise each limit (docs/configuration.md).
FILE_SETTING = "TUMBUH_IMPORT_MAX_FILE_MB"
ROWS_SETTING = "TUMBUH_IMPORT_MAX_ROWS"
UNPACKED_SETTING = "TUMBUH_IMPORT_MAX_UNPACKED_MB"
RATIO_SETTING = "TUMBUH_IMPORT_MAX_RATIO"
LINE_SETTING = "TUMBUH_IMPORT_MAX_LINE_KB"
MEMORY_SETTING = "TUMBUH_IMPORT_WORKER_MEMORY_MB"

FILE_TOO_LARGE = (
    "{name}: the file is {size} MB, more than the limit of {limit} MB (setting {setting}). "
    "Split it, for example one file per kecamatan, or ask the administrator to raise the limit."
)
PART_TOO_LARGE = (
    "{name}: the part {part} of the file unpacks to {size} MB, more than the limit of {limit} "
    "MB (setting {setting}). Split the file, or ask the administrator to raise the limit."
)
UNPACKED_TOO_LARGE = (
    "{name}: the file unpacks to {size} MB, more than the limit of {limit} MB (setting "
    "{setting}). Split the file, or ask the administrator to raise the limit."
)
RATIO_TOO_HIGH = (
    "{name}: the part {part} of the file unpacks to {ratio} times its packed size, more than "
    "the limit of {limit} times (setting {setting}); a real spreadsheet is rarely packed so "
    "tightly. Open the file in a spreadsheet program, save it again as .xlsx and upload that, "
    "or ask the administrator to raise the limit."
)
TOO_MANY_ROWS = (
    "{name}: the file has {rows} rows, more than the limit of {limit} rows (setting "
    "{setting}). Split it, for example one file per kecamatan, or ask the administrator to "
    "raise the limit."
)
TOO_MANY_COLUMNS = (
    "{name}: a sheet has {columns} columns, more than the {limit} columns Tumbuh reads. Delete "
    "the empty columns to the right of the table and save the file again."
)
LINE_TOO_LONG = (
    "{name}: line {line} is longer than the limit of {limit} KB (setting {setting}); the lines "
    "of an e-PPGBM table are far shorter. Check that this is the right file, or ask the "
    "administrator to raise the limit."
)
OUT_OF_MEMORY = (
    "{name}: the file could not be read within the memory limit of {limit} MB (setting "
    "{setting}); it may be damaged, or much larger inside than on disk. Open it in a "
    "spreadsheet program, save it again as .xlsx and upload that, split it, or ask the "
    "administrator to raise the limit."
)
MESSAGES = (
    FILE_TOO_LARGE,
    PART_TOO_LARGE,
    UNPACKED_TOO_LARGE,
    RATIO_TOO_HIGH,
    TOO_MANY_ROWS,
    TOO_MANY_COLUMNS,
    LINE_TOO_LONG,
    OUT_OF_MEMORY,
)


class FileLimitError(InputError):
    """A file over one of the limits: the whole import is refused, nothing is parsed."""


@dataclass(frozen=True)
class FileLimits:
    """How large a file may be, in every sense that costs memory (defaults: the settings')."""

    max_file_bytes: int = 50 * MB
    max_rows: int = 200_000
    max_unpacked_bytes: int = 512 * MB
    max_ratio: int = 100
    max_line_bytes: int = 64 * KB
    worker_memory_bytes: int | None = None  # None: read in the calling process


def megabytes(size: int) -> int:
    """``size`` bytes in whole megabytes, rounded up (so that 50.2 MB is "51 MB")."""
    return math.ceil(size / MB)


def check_size(path: Path, limits: FileLimits) -> None:
    """Refuse a file larger than ``max_file_bytes``."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise FileLimitError(
            FILE_TOO_LARGE,
            name=path.name,
            size=megabytes(size),
            limit=megabytes(limits.max_file_bytes),
            setting=FILE_SETTING,
        )


def check_rows(name: str, rows: int, limits: FileLimits) -> None:
    """Refuse ``rows`` above ``max_rows``."""
    if rows > limits.max_rows:
        raise FileLimitError(
            TOO_MANY_ROWS, name=name, rows=rows, limit=limits.max_rows, setting=ROWS_SETTING
        )


def check_columns(name: str, columns: int) -> None:
    """Refuse a sheet wider than :data:`MAX_COLUMNS`."""
    if columns > MAX_COLUMNS:
        raise FileLimitError(TOO_MANY_COLUMNS, name=name, columns=columns, limit=MAX_COLUMNS)


def check_archive(path: Path, limits: FileLimits) -> None:
    """.xlsx/.ods: unpacked sizes and ratios from the zip directory, then each sheet's
    dimension and rows, streamed. A damaged archive is left to the parser to report."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        members = archive.infolist()
        for info in members:
            _check_part(path.name, info, limits)
        total = sum(info.file_size for info in members)
        if total > limits.max_unpacked_bytes:
            raise FileLimitError(
                UNPACKED_TOO_LARGE,
                name=path.name,
                size=megabytes(total),
                limit=megabytes(limits.max_unpacked_bytes),
                setting=UNPACKED_SETTING,
            )
        for info in members:
            tag = _row_tag(info.filename)
            if tag is None:
                continue
            try:
                with archive.open(info) as stream:
                    _check_sheet(path.name, stream, tag, limits)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
                return  # damaged, encrypted or an unknown packing: the parser says so


def _check_part(name: str, info: zipfile.ZipInfo, limits: FileLimits) -> None:
    if info.file_size > limits.max_unpacked_bytes:
        raise FileLimitError(
            PART_TOO_LARGE,
            name=name,
            part=info.filename,
            size=megabytes(info.file_size),
            limit=megabytes(limits.max_unpacked_bytes),
            setting=UNPACKED_SETTING,
        )
    ratio = info.file_size // max(info.compress_size, 1)
    if info.file_size > RATIO_CHECKED_FROM and ratio > limits.max_ratio:
        raise FileLimitError(
            RATIO_TOO_HIGH,
            name=name,
            part=info.filename,
            ratio=ratio,
            limit=limits.max_ratio,
            setting=RATIO_SETTING,
        )


def _row_tag(part: str) -> bytes | None:
    """The row element of a sheet part (None for other parts)."""
    if part.startswith("xl/worksheets/") and part.endswith(".xml"):
        return b"row"
    if part == "content.xml":
        return b"table:table-row"
    return None


def _check_sheet(name: str, stream: IO[bytes], tag: bytes, limits: FileLimits) -> None:
    """The sheet's declared dimension (in its first bytes), then its rows, counted to the
    end (at most ``max_unpacked_bytes`` are streamed) so the message gives the real count."""
    chunks = _chunks(stream)
    first = next(chunks, b"")
    prefix = b""
    if tag == b"row":
        root = _ROOT_PREFIX.search(first)
        prefix = (root.group(1) or b"") if root is not None else b""
        _check_dimension(name, first, limits)
    counter = TagCounter(b"<" + prefix + tag, _OTHER_ELEMENTS.get(tag, ()))
    counter.feed(first)
    for chunk in chunks:
        counter.feed(chunk)
    check_rows(name, counter.finish(), limits)


def _check_dimension(name: str, head: bytes, limits: FileLimits) -> None:
    """``<dimension ref="A1:AG100004"/>``: refuse a declared size over the limits."""
    found = _DIMENSION.search(head)
    if found is None:
        return
    first_column, first_row, last_column, last_row = found.groups()
    rows = int(last_row or first_row or 0)
    check_rows(name, rows, limits)
    check_columns(name, column_number((last_column or first_column or b"A").decode()))


def column_number(letters: str) -> int:
    """Spreadsheet column letters as a number: A -> 1, Z -> 26, AA -> 27."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


class TagCounter:
    """Counts the ``<tag`` openings over chunks of a stream, without copying them: every
    ``<tag`` less the other elements whose name starts with it (``others``, e.g. ``B`` for
    ``<rowBreaks``). A tag cut in two by a chunk boundary is counted once."""

    def __init__(self, tag: bytes, others: tuple[bytes, ...] = ()) -> None:
        self.signed = [(tag, 1), *((tag + other, -1) for other in others)]
        self.count = 0
        self._edge = max(len(p) for p, _ in self.signed) - 1  # what a cut can split
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        """Count the tags in ``chunk`` and those across its boundary with the last one."""
        head = chunk[: self._edge]
        joint = self._tail + head
        for pattern, sign in self.signed:
            across = joint.count(pattern) - self._tail.count(pattern) - head.count(pattern)
            self.count += sign * (chunk.count(pattern) + across)
        whole = chunk if len(chunk) >= self._edge else self._tail + chunk
        self._tail = whole[-self._edge :]

    def finish(self) -> int:
        """The count so far: a tag is counted as soon as its name is complete."""
        return self.count


def check_html(path: Path, limits: FileLimits) -> None:
    """Count the ``<tr>`` tags of an HTML file, streamed; refuse more than ``max_rows``."""
    counter = TagCounter(b"<tr", (b"a", b"e"))  # not <track>, <tref>
    with path.open("rb") as stream:
        parity = _utf16_parity(stream)
        for chunk in _chunks(stream):
            counter.feed(_narrow(chunk, parity).lower())
    check_rows(path.name, counter.finish(), limits)


def check_text(path: Path, limits: FileLimits) -> None:
    """Count the lines of a CSV/text file and refuse one longer than ``max_line_bytes``,
    streamed (an over-long line is never held in memory whole)."""
    lines = LineCounter(path.name, limits)
    with path.open("rb") as stream:
        parity = _utf16_parity(stream)
        for chunk in _chunks(stream):
            lines.feed(_narrow(chunk, parity))
    check_rows(path.name, lines.finish(), limits)


class LineCounter:
    """Line count and length over chunks, refusing a line over the limit as soon as seen.
    Lines end at LF; a file with no LF in its first chunk is taken to end them with CR."""

    def __init__(self, name: str, limits: FileLimits) -> None:
        self.name = name
        self.limit = limits.max_line_bytes
        self.lines = 0
        self._current = 0  # length of the unfinished line
        self._end: bytes | None = None

    def feed(self, chunk: bytes) -> None:
        """Count the lines ending in ``chunk``; refuse an over-long one."""
        if self._end is None:
            self._end = b"\r" if b"\n" not in chunk and b"\r" in chunk else b"\n"
        parts = chunk.split(self._end)
        self._current += len(parts[0])
        for part in parts[1:]:
            self._refuse_if_long()
            self.lines += 1
            self._current = len(part)
        self._refuse_if_long()

    def finish(self) -> int:
        """The number of lines (a last line without its end counts)."""
        return self.lines + (self._current > 0)

    def _refuse_if_long(self) -> None:
        if self._current > self.limit:
            raise FileLimitError(
                LINE_TOO_LONG,
                name=self.name,
                line=self.lines + 1,
                limit=self.limit // KB,
                setting=LINE_SETTING,
            )


def _utf16_parity(stream: IO[bytes]) -> int | None:
    """For UTF-16 with a byte-order mark, which byte of each pair holds ASCII (0 for little
    endian, 1 for big); None otherwise. The stream is left at its start."""
    mark = stream.read(2)
    stream.seek(0)
    return {b"\xff\xfe": 0, b"\xfe\xff": 1}.get(mark)


def _narrow(chunk: bytes, parity: int | None) -> bytes:
    """UTF-16 text as one byte per character (ASCII stays ASCII), else unchanged. Chunks
    have an even length, so the parity holds across them."""
    return chunk if parity is None else chunk[parity::2]
