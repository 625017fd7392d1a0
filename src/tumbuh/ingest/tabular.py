"""Reading and writing the tables users hand us: CSV (any common dialect) and Excel.

Cells are read as written (text, or Excel's own numbers and dates), never guessed into
types, so that NIKs keep their leading zeros and a typo stays visible in reports.
"""

import csv
import io
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pandas as pd

from tumbuh.errors import InputError

CSV_SUFFIXES = {".csv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
EXCEL_MAX_ROWS = 1_048_576
HEADER_SEARCH_ROWS = 30


def normalise_header(name: object) -> str:
    """Header key that ignores case, spacing and punctuation: ``"Tgl. Lahir"`` -> ``tgllahir``."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, the two encodings Excel writes."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _header_row(rows: list[list[Any]], known: Collection[str]) -> int:
    """Index of the first row holding at least two known headers (0 if none does)."""
    wanted = set(known)
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(normalise_header(cell) in wanted for cell in row if cell is not None) >= 2:
            return i
    return 0


def read_table(path: Path, *, known_headers: Collection[str] = ()) -> pd.DataFrame:
    """Read a CSV or Excel file into a frame of raw cells, with empty cells as missing.

    A title block above the header row is skipped when ``known_headers`` (normalised
    names) identify the header row. The frame's index is the row number as the
    spreadsheet shows it (header row = its own number, first data row = next).
    """
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError("file not found: {path}", path=path)
    if suffix in CSV_SUFFIXES:
        text = _decode(path.read_bytes())
        grid = list(csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(text)))
        rows: list[list[Any]] = [[cell if cell.strip() != "" else None for cell in r] for r in grid]
    elif suffix in EXCEL_SUFFIXES:
        raw = pd.read_excel(path, engine="calamine", header=None, dtype=object)
        rows = raw.astype(object).where(raw.notna(), None).values.tolist()
        rows = [[None if isinstance(c, str) and not c.strip() else c for c in r] for r in rows]
    else:
        raise InputError("{name}: unsupported file type; use .csv or .xlsx", name=path.name)
    if not rows:
        raise InputError("{name} is empty", name=path.name)
    start = _header_row(rows, known_headers)
    header = [
        str(c).strip() if c is not None else f"column_{i + 1}" for i, c in enumerate(rows[start])
    ]
    body = [r + [None] * (len(header) - len(r)) for r in rows[start + 1 :]]
    body = [r[: len(header)] for r in body if any(c is not None for c in r)]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.index = pd.RangeIndex(start + 2, start + 2 + len(frame), name="row")
    return frame


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as CSV (UTF-8) or .xlsx, chosen by the file's extension."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8")
    elif suffix == ".xlsx":
        if len(frame) >= EXCEL_MAX_ROWS:
            raise InputError(
                "{rows} rows do not fit in one Excel sheet (at most {limit}); "
                "write a .csv file instead",
                rows=len(frame),
                limit=EXCEL_MAX_ROWS - 1,
            )
        with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
            frame.to_excel(writer, index=False, sheet_name="zscores")
    else:
        raise InputError("{name}: unsupported output type; use .csv or .xlsx", name=path.name)
