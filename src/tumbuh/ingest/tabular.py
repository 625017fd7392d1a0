"""Reading and writing the tables users hand us: CSV (any common dialect) and Excel.

Cells are read as written (text, or Excel's own numbers and dates), never guessed into
types, so that NIKs keep their leading zeros and a typo stays visible in reports.

The format is taken from the file's first bytes, not its name: e-PPGBM's PMT exports are
HTML tables saved as ``.xls``, and an ``.xls`` may also be a real BIFF workbook, an
``.xlsx`` renamed, or a text table. Row ``i`` of a sheet is spreadsheet row ``i + 1``.
"""

import csv
import hashlib
import io
import re
from collections.abc import Collection, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from tumbuh.errors import InputError
from tumbuh.ingest.limits import (
    MAX_COLUMNS,
    FileLimits,
    check_archive,
    check_columns,
    check_html,
    check_rows,
    check_size,
    check_text,
)
from tumbuh.sheet_text import csv_cell

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
HTML_SUFFIXES = {".htm", ".html"}
EXCEL_MAX_ROWS = 1_048_576
HEADER_SEARCH_ROWS = 30
HTML_MAX_DEPTH = 256  # libxml2's limits without XML_PARSE_HUGE, which lxml.html keeps
HTML_MAX_TEXT_MB = 10
_DELIMITERS = (",", ";", "\t", "|")

Row = list[Any]
DEFAULT_LIMITS = FileLimits()


class FileFormat(StrEnum):
    """What a file really is, whatever its extension says."""

    CSV = "csv"
    XLSX = "xlsx"  # also .xlsm
    XLS = "xls"  # BIFF8 inside an OLE2 compound file (Excel 97-2003)
    ODS = "ods"
    HTML = "html"  # an HTML table, often saved with an .xls extension


def normalise_header(name: object) -> str:
    """Header key that ignores case, spacing and punctuation: ``"Tgl. Lahir"`` -> ``tgllahir``."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def sniff_format(head: bytes) -> FileFormat | None:
    """The format of a file from its first bytes (None when it is no table we read)."""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return FileFormat.XLS
    if head.startswith(b"PK\x03\x04"):
        return FileFormat.ODS if b"opendocument.spreadsheet" in head[:100] else FileFormat.XLSX
    text = _decode(head[:4096]).lstrip().lower()
    if text.startswith(("<!doctype html", "<html", "<table", "<?xml")) or "<table" in text:
        return FileFormat.HTML
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    return FileFormat.CSV


def _decode(raw: bytes) -> str:
    """UTF-16 with BOM (Excel's "Unicode text"), UTF-8 with or without BOM, else cp1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _shared(rows: list[Row]) -> list[Row]:
    """``rows`` with equal texts as one object: a column repeats a few values (kecamatan,
    posyandu, "BANTEN") down 100,000 rows, and the rows are kept, and sent back from the
    reading worker, far smaller (a tenth of the text objects of a benchmark file)."""
    seen: dict[str, str] = {}
    for row in rows:
        for i, cell in enumerate(row):
            if type(cell) is str:
                row[i] = seen.setdefault(cell, cell)
    return rows


def _clean(cell: object) -> object:
    """Empty and blank cells become None; everything else is kept as read."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    return cell


class Workbook:
    """A file's sheets, read on demand. ``sha256`` identifies the file's exact bytes."""

    def __init__(self, path: Path, limits: FileLimits = DEFAULT_LIMITS) -> None:
        if not path.exists():
            raise InputError("file not found: {path}", path=path)
        self.path = path
        self.limits = limits
        check_size(path, limits)
        with path.open("rb") as stream:
            found = sniff_format(stream.read(8192))
        if found is not None:
            _check_before_parsing(path, found, limits)
        data = path.read_bytes()
        if not data.strip():
            raise InputError("{name} is empty", name=path.name)
        self.sha256 = hashlib.sha256(data).hexdigest()
        if found is None:
            raise InputError(
                "{name}: not a table Tumbuh can read; save it as .xlsx or .csv", name=path.name
            )
        self.format = found
        self._grids: list[list[Row]] = []
        self._calamine: CalamineWorkbook | None = None
        self._sheets: dict[int, list[Row]] = {}
        if found is FileFormat.CSV:
            self.sheet_names = [path.stem]
            self._grids = [_csv_rows(_decode(data), path.name, limits)]
        elif found is FileFormat.HTML:
            self._grids = _html_tables(data, path.name, limits)
            self.sheet_names = [f"table {i + 1}" for i in range(len(self._grids))]
        else:
            try:
                self._calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
            except CalamineError as error:
                raise InputError(
                    "{name}: cannot be read as a spreadsheet ({detail}); open it in a "
                    "spreadsheet program and save it again as .xlsx",
                    name=path.name,
                    detail=str(error),
                ) from error
            self.sheet_names = list(self._calamine.sheet_names)

    def rows(self, index: int, limit: int | None = None) -> list[Row]:
        """Rows of sheet ``index`` (at most ``limit``), empty cells as None.

        A sheet is parsed once (calamine parses all of it even for a few rows) and kept.
        """
        if self._calamine is not None and index not in self._sheets:
            self._sheets[index] = self._read_sheet(index)
        grid = self._grids[index] if self._calamine is None else self._sheets[index]
        return grid if limit is None else grid[:limit]

    def _read_sheet(self, index: int) -> list[Row]:
        if self._calamine is None:
            return self._grids[index]
        try:
            sheet = self._calamine.get_sheet_by_index(index)
            # The parsed sheet is checked before it becomes Python objects (most of the
            # memory): its declared dimension may have hidden its real size.
            last_row, last_column = sheet.end or (-1, -1)  # 0-based; None when empty
            check_rows(self.path.name, last_row + 1, self.limits)
            check_columns(self.path.name, last_column + 1)
            cells = sheet.to_python(skip_empty_area=False)
        except CalamineError as error:
            raise InputError(
                "{name}: sheet {sheet} cannot be read ({detail})",
                name=self.path.name,
                sheet=self.sheet_names[index],
                detail=str(error),
            ) from error
        return _shared([[_clean(c) for c in row] for row in cells])


def _check_before_parsing(path: Path, found: FileFormat, limits: FileLimits) -> None:
    """The cheap checks of :mod:`tumbuh.ingest.limits`, by format (.xls: its size only;
    a BIFF sheet has at most 65,536 rows of 256 columns)."""
    if found in (FileFormat.XLSX, FileFormat.ODS):
        check_archive(path, limits)
    elif found is FileFormat.HTML:
        check_html(path, limits)
    elif found is FileFormat.CSV:
        check_text(path, limits)


def _csv_rows(text: str, name: str, limits: FileLimits = DEFAULT_LIMITS) -> list[Row]:
    """Rows of a delimited text, split at the delimiter that splits its lines most evenly.

    A semicolon file with decimal commas splits its data lines at the commas too, but
    not its header line: the count of lines sharing the most common width decides.
    Reading stops at the row limit.
    """
    lines = [line for line in text.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()]

    def evenness(delimiter: str) -> tuple[int, int]:
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        wide = [w for w in widths if w > 1]
        if not wide:
            return (0, 0)
        common = max(set(wide), key=wide.count)
        return (wide.count(common), common)

    delimiter = max(_DELIMITERS, key=evenness)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    try:
        for row in reader:
            rows.append([_clean(c) for c in row])
            check_rows(name, len(rows), limits)
    except csv.Error as error:  # e.g. a quoted field longer than csv's field size limit
        raise InputError(
            "{name}: cannot be read as a spreadsheet ({detail}); open it in a "
            "spreadsheet program and save it again as .xlsx",
            name=name,
            detail=str(error),
        ) from error
    return rows


def _html_tables(data: bytes, name: str, limits: FileLimits) -> list[list[Row]]:
    """Every ``<table>`` of an HTML file as rows of text (colspan cells padded with None,
    a colspan counting at most :data:`MAX_COLUMNS`); reading stops at the row limit."""
    parser = lxml.html.HTMLParser()
    try:
        document = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.LxmlError, ValueError) as error:  # also libxml2 out of memory
        raise InputError(
            "{name}: cannot be read as a spreadsheet ({detail}); open it in a "
            "spreadsheet program and save it again as .xlsx",
            name=name,
            detail=str(error),
        ) from error
    _refuse_cut_short(parser, name)
    tables = []
    read = 0
    for table in document.iter("table"):
        rows: list[Row] = []
        for tr in _elements(table, "./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            row: Row = []
            for cell in _elements(tr, "./td|./th"):
                row.append(_clean(" ".join(cell.text_content().split())))
                span = str(cell.get("colspan", "1"))
                span_count = min(int(span), MAX_COLUMNS) if span.isdigit() else 1
                row.extend([None] * max(span_count - 1, 0))
            check_columns(name, len(row))
            rows.append(row)
            read += 1
            check_rows(name, read, limits)
        if rows:
            tables.append(rows)
    if not tables:
        raise InputError("{name}: the HTML file holds no table", name=name)
    return tables


def _refuse_cut_short(parser: "lxml.html.HTMLParser", name: str) -> None:
    """libxml2 stops at its resource limits (elements nested more than 256 deep, one text
    of more than 10 MB) with a fatal error, and its forgiving HTML parser then hands back
    what it read so far: the rest of the file would be lost in silence. Refuse instead."""
    if any(e.level_name == "FATAL" for e in parser.error_log):
        raise InputError(
            "{name}: the HTML file nests its elements more than {depth} deep or holds a text "
            "longer than {size} MB, unlike any table export, so it is not read at all rather "
            "than in part; open it in a spreadsheet program and save it again as .xlsx",
            name=name,
            depth=HTML_MAX_DEPTH,
            size=HTML_MAX_TEXT_MB,
        )


def _elements(parent: "lxml.html.HtmlElement", path: str) -> "list[lxml.html.HtmlElement]":
    found = parent.xpath(path)
    return (
        [e for e in found if isinstance(e, lxml.html.HtmlElement)]
        if isinstance(found, list)
        else []
    )


def header_row(rows: Sequence[Row], known: Collection[str], minimum: int = 2) -> int | None:
    """Index of the row (among the first 30) holding the most known headers, if >= minimum."""
    wanted = set(known)
    best, best_count = None, minimum - 1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        count = len({normalise_header(c) for c in row if c is not None} & wanted)
        if count > best_count:
            best, best_count = i, count
    return best


def read_table(path: Path, *, known_headers: Collection[str] = ()) -> pd.DataFrame:
    """Read a CSV or Excel file into a frame of raw cells, with empty cells as missing.

    A title block above the header row is skipped when ``known_headers`` (normalised
    names) identify the header row. The frame's index is the row number as the
    spreadsheet shows it (header row = its own number, first data row = next).
    """
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES | EXCEL_SUFFIXES | HTML_SUFFIXES:
        raise InputError("{name}: unsupported file type; use .csv or .xlsx", name=path.name)
    book = Workbook(path)
    rows = book.rows(0)
    if not rows:
        raise InputError("{name} is empty", name=path.name)
    start = header_row(rows, known_headers) or 0
    header = [
        str(c).strip() if c is not None else f"column_{i + 1}" for i, c in enumerate(rows[start])
    ]
    body = [r + [None] * (len(header) - len(r)) for r in rows[start + 1 :]]
    body = [r[: len(header)] for r in body if any(c is not None for c in r)]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.index = pd.RangeIndex(start + 2, start + 2 + len(frame), name="row")
    return frame


def write_table(frame: pd.DataFrame, path: Path, *, sheet_name: str = "data") -> None:
    """Write ``frame`` as CSV (UTF-8) or .xlsx (one sheet), chosen by the file's extension;
    text is never a formula (:mod:`tumbuh.sheet_text`), numbers stay numbers."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        safe = frame.rename(columns=csv_cell)
        for column in safe.columns:
            if _holds_text(safe[column]):
                safe[column] = safe[column].map(csv_cell)
        # RFC 4180's CRLF: the writer then quotes a cell holding a stray CR, which would
        # otherwise start a new row in a spreadsheet.
        safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")
    elif suffix == ".xlsx":
        if len(frame) >= EXCEL_MAX_ROWS:
            raise InputError(
                "{rows} rows do not fit in one Excel sheet (at most {limit}); "
                "write a .csv file instead",
                rows=len(frame),
                limit=EXCEL_MAX_ROWS - 1,
            )
        options = {"strings_to_formulas": False, "strings_to_urls": False}
        with pd.ExcelWriter(
            path, engine="xlsxwriter", engine_kwargs={"options": options}
        ) as writer:
            frame.to_excel(writer, index=False, sheet_name=sheet_name)
    else:
        raise InputError("{name}: unsupported output type; use .csv or .xlsx", name=path.name)


def _holds_text(column: "pd.Series[Any]") -> bool:
    return pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)
