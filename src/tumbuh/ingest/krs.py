"""Reading a file of BKKBN family data (KRS: PK21, SIGA, Elsimil verval) in Tumbuh's own
layout (docs/krs-import.md): one row per family, its Nomor KK, kelurahan, address and the
six KRS criteria as Ya/Tidak.

BKKBN publishes no file layout, so the columns are Tumbuh's (:data:`COLUMNS`), matched by
their names whatever their order, case or spacing. The file is read within the import
limits (:mod:`tumbuh.ingest.limits`: size, rows, zip bombs) in a worker
(:func:`tumbuh.ingest.reading.read_file`); a spreadsheet with formulas is refused whole
(:data:`FORMULAS`), and so is any cell whose text starts like one. Every problem of every
row is a :class:`~tumbuh.ingest.report.ReportLine` naming row, column, value and what is
accepted; a Nomor KK is never repeated in one (it identifies a household).
"""

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from tumbuh.ingest.limits import FileLimits
from tumbuh.ingest.report import ImportReport, ReportLine, Severity
from tumbuh.ingest.tabular import FileFormat, Row, Workbook, header_row, normalise_header
from tumbuh.sheet_text import starts_like_formula

LAYOUT = "krs-keluarga"  # import_file.layout of these files
EXCEL_EPOCH = date(1899, 12, 30)
ADDRESS_LENGTH = 200  # family.address


class KrsColumn(StrEnum):
    """The columns of the layout, by their ``family`` column (or meaning)."""

    NOMOR_KK = "nomor_kk"
    KELURAHAN = "kelurahan_code"
    ADDRESS = "address"
    RT = "rt"
    RW = "rw"
    WATER = "has_safe_drinking_water"
    LATRINE = "has_safe_latrine"
    UNDER_20 = "wife_under_20"
    AGE_35 = "wife_35_or_older"
    SPACING = "birth_spacing_under_2_years"
    CHILDREN = "more_than_3_children"
    ASSESSED_ON = "krs_assessed_on"


# The header of each column as the layout writes it, and other spellings accepted.
COLUMNS: dict[KrsColumn, tuple[str, ...]] = {
    KrsColumn.NOMOR_KK: ("Nomor KK", "No KK", "No. KK"),
    KrsColumn.KELURAHAN: ("Kode Kelurahan", "Kode Desa/Kelurahan"),
    KrsColumn.ADDRESS: ("Alamat",),
    KrsColumn.RT: ("RT",),
    KrsColumn.RW: ("RW",),
    KrsColumn.WATER: ("Sumber Air Minum Layak",),
    KrsColumn.LATRINE: ("Jamban Layak",),
    KrsColumn.UNDER_20: ("Istri Usia < 20",),
    KrsColumn.AGE_35: ("Istri Usia ≥ 35", "Istri Usia >= 35"),
    KrsColumn.SPACING: ("Jarak Kelahiran < 2 Tahun",),
    KrsColumn.CHILDREN: ("Anak > 3",),
    KrsColumn.ASSESSED_ON: ("Tanggal Pendataan",),
}
REQUIRED = (KrsColumn.NOMOR_KK, KrsColumn.KELURAHAN, KrsColumn.ASSESSED_ON)
CRITERIA = (
    KrsColumn.WATER,
    KrsColumn.LATRINE,
    KrsColumn.UNDER_20,
    KrsColumn.AGE_35,
    KrsColumn.SPACING,
    KrsColumn.CHILDREN,
)
_KEYS = {normalise_header(name): column for column, names in COLUMNS.items() for name in names}
YES = frozenset({"ya", "y", "yes", "1", "true", "benar"})
NO = frozenset({"tidak", "t", "no", "0", "false", "tdk", "bukan"})
_KELURAHAN_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
_RT_RW = re.compile(r"\d{1,3}")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")

# Messages (English templates; Indonesian in krs.po).
NO_HEADER = (
    "no header row of a family (KRS) file found in the first 30 rows; the file needs the "
    "columns Nomor KK, Kode Kelurahan and Tanggal Pendataan (see the layout)"
)
MISSING_COLUMN = "the column {column} is missing; add it with this name (see the layout)"
FORMULAS = (
    "the spreadsheet holds formulas; a family file holds values only: copy the cells and "
    "paste them as values, then save and upload it again"
)
FORMULA_CELL = "{column}: the cell starts like a formula (=, +, - or @); write the value itself"
EMPTY = "{column} is empty; fill it in"
KK_FORMAT = (
    "{column}: a Nomor KK has 16 digits and nothing else; {count} characters were found "
    "(write it as text, so that the spreadsheet keeps every digit)"
)
KK_TWICE = "{column}: the same Nomor KK is in row {first} too; one row per family"
KELURAHAN_FORMAT = (
    "{column}: '{value}' is not a kelurahan code; write the Kemendagri code, for example "
    "36.72.01.1001"
)
TOO_LONG = "{column}: use at most {limit} characters"
RT_RW_FORMAT = "{column}: '{value}' is not accepted; write a number of 1 to 3 digits, e.g. 004"
YES_NO = "{column}: '{value}' is not accepted; write Ya or Tidak, or leave it empty (not asked)"
DATE_FORMAT = "{column}: '{value}' is not a date; write it as YYYY-MM-DD (2024-06-30) or DD/MM/YYYY"
DATE_AFTER_TODAY = "{column}: {value} is after today; write the day the family was visited"


@dataclass(frozen=True)
class KrsFamily:
    """One row of the file, read: the family's card, place and criteria (None: not asked)."""

    row: int  # 1-based row of the file
    nomor_kk: str
    kelurahan_code: str
    address: str | None
    rt: str | None
    rw: str | None
    criteria: dict[str, bool | None]  # by family column
    assessed_on: date


@dataclass(frozen=True)
class KrsFile:
    """What a family file held: its rows read and every problem found in it."""

    name: str
    sha256: str | None
    families: tuple[KrsFamily, ...]
    report: ImportReport
    labels: dict[KrsColumn, str]  # each column as the file wrote its header


@dataclass(frozen=True)
class KrsSheet:
    """The raw sheet a worker reads: the header row's index and the rows, or a refusal."""

    sha256: str
    rows: list[Row]
    header_index: int | None
    has_formulas: bool


def read_krs_sheet(path: Path, limits: FileLimits) -> KrsSheet:
    """Open ``path`` within ``limits`` and find the sheet with the layout's header (a
    module-level function, for :func:`~tumbuh.ingest.reading.read_file`'s worker)."""
    book = Workbook(path, limits)
    formulas = book.format is FileFormat.XLSX and _has_formulas(path)
    for index in range(len(book.sheet_names)):
        rows = book.rows(index)
        found = header_row(rows, _KEYS.keys(), minimum=len(REQUIRED))
        if found is not None:
            return KrsSheet(book.sha256, rows, found, formulas)
    return KrsSheet(book.sha256, [], None, formulas)


def _has_formulas(path: Path) -> bool:
    """Whether a worksheet of the .xlsx has a formula cell (an ``<f>`` element); the
    archive's sizes were checked before (:func:`tumbuh.ingest.limits.check_archive`)."""
    pattern = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                tail = b""
                with archive.open(name) as stream:
                    while chunk := stream.read(1 << 20):
                        if pattern.search(tail + chunk):
                            return True
                        tail = chunk[-16:]
    return False


def read_krs(sheet: KrsSheet, name: str, today: date) -> KrsFile:
    """Check every row of ``sheet`` (read by :func:`read_krs_sheet`)."""
    lines: list[ReportLine] = []

    def whole(template: str, **params: object) -> KrsFile:
        line = ReportLine(name, None, None, None, Severity.ERROR, template, params)
        return KrsFile(name, sheet.sha256, (), ImportReport((line,), 0, 0), {})

    if sheet.has_formulas:
        return whole(FORMULAS)
    if sheet.header_index is None:
        return whole(NO_HEADER)
    header = sheet.rows[sheet.header_index]
    positions: dict[KrsColumn, int] = {}
    labels: dict[KrsColumn, str] = {}
    for i, cell in enumerate(header):
        column = _KEYS.get(normalise_header(cell)) if cell is not None else None
        if column is not None and column not in positions:
            positions[column], labels[column] = i, str(cell).strip()
    missing = [column for column in REQUIRED if column not in positions]
    if missing:
        return whole(MISSING_COLUMN, column=COLUMNS[missing[0]][0])
    families: list[KrsFamily] = []
    first_row: dict[str, int] = {}
    body = sheet.rows[sheet.header_index + 1 :]
    for offset, cells in enumerate(body):
        if all(c is None for c in cells):
            continue
        number = sheet.header_index + offset + 2
        reader = _RowReader(name, number, cells, positions, labels, today)
        family = reader.family()
        if family is not None and family.nomor_kk in first_row:
            reader.error(KrsColumn.NOMOR_KK, None, KK_TWICE, first=first_row[family.nomor_kk])
            family = None
        lines.extend(reader.lines)
        if family is not None:
            first_row[family.nomor_kk] = number
            families.append(family)
    read = len([c for c in body if any(x is not None for x in c)])
    report = ImportReport(tuple(lines), read, len(families))
    return KrsFile(name, sheet.sha256, tuple(families), report, labels)


class _RowReader:
    """The cells of one row, read into a :class:`KrsFamily` with every problem noted."""

    def __init__(
        self,
        name: str,
        row: int,
        cells: Sequence[object],
        positions: dict[KrsColumn, int],
        labels: dict[KrsColumn, str],
        today: date,
    ) -> None:
        self.name, self.row, self.cells, self.today = name, row, cells, today
        self.positions, self.labels = positions, labels
        self.lines: list[ReportLine] = []

    def error(self, column: KrsColumn, shown: object, template: str, **params: object) -> None:
        """Note an error in ``column``; ``shown`` is the cell's value in the report."""
        label = self.labels.get(column, COLUMNS[column][0])
        self.lines.append(
            ReportLine(
                self.name,
                self.row,
                label,
                shown,
                Severity.ERROR,
                template,
                {"column": label, **params},
                column_index=self.positions.get(column, -1),
            )
        )

    def cell(self, column: KrsColumn) -> str | None:
        """The cell as text (None when empty or absent); numbers keep their digits."""
        at = self.positions.get(column)
        value = None if at is None or at >= len(self.cells) else self.cells[at]
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime):
            value = value.date()
        text = value.isoformat() if isinstance(value, date) else str(value).strip()
        if text and starts_like_formula(text):
            shown = None if column is KrsColumn.NOMOR_KK else text
            self.error(column, shown, FORMULA_CELL)
            return None
        return text or None

    def family(self) -> KrsFamily | None:
        kk = self._kk()
        kelurahan = self._kelurahan()
        address = self.cell(KrsColumn.ADDRESS)
        if address is not None and len(address) > ADDRESS_LENGTH:
            self.error(KrsColumn.ADDRESS, None, TOO_LONG, limit=ADDRESS_LENGTH)
        rt, rw = self._rt_rw(KrsColumn.RT), self._rt_rw(KrsColumn.RW)
        criteria = {column.value: self._yes_no(column) for column in CRITERIA}
        assessed_on = self._day(KrsColumn.ASSESSED_ON)
        if self.lines or kk is None or kelurahan is None or assessed_on is None:
            return None
        return KrsFamily(self.row, kk, kelurahan, address, rt, rw, criteria, assessed_on)

    def _kk(self) -> str | None:
        text = self.cell(KrsColumn.NOMOR_KK)
        if text is None:
            if not self.lines:
                self.error(KrsColumn.NOMOR_KK, None, EMPTY)
            return None
        digits = text.replace(" ", "").replace("'", "")
        if not re.fullmatch(r"\d{16}", digits):
            self.error(KrsColumn.NOMOR_KK, None, KK_FORMAT, count=len(digits))
            return None
        return digits

    def _kelurahan(self) -> str | None:
        text = self.cell(KrsColumn.KELURAHAN)
        if text is None:
            self.error(KrsColumn.KELURAHAN, None, EMPTY)
            return None
        if not _KELURAHAN_CODE.fullmatch(text):
            self.error(KrsColumn.KELURAHAN, text, KELURAHAN_FORMAT, value=text)
            return None
        return text

    def _rt_rw(self, column: KrsColumn) -> str | None:
        text = self.cell(column)
        if text is None:
            return None
        if not _RT_RW.fullmatch(text):
            self.error(column, text, RT_RW_FORMAT, value=text)
            return None
        return text.zfill(3)

    def _yes_no(self, column: KrsColumn) -> bool | None:
        text = self.cell(column)
        if text is None:
            return None
        word = text.lower()
        if word in YES or word in NO:
            return word in YES
        self.error(column, text, YES_NO, value=text)
        return None

    def _day(self, column: KrsColumn) -> date | None:
        at = self.positions[column]
        raw = self.cells[at] if at < len(self.cells) else None
        text = self.cell(column)
        if text is None:
            self.error(column, None, EMPTY)
            return None
        found = _as_date(raw, text)
        if found is None:
            self.error(column, text, DATE_FORMAT, value=text)
        elif found > self.today:
            self.error(column, text, DATE_AFTER_TODAY, value=found)
            return None
        return found


def _as_date(raw: object, text: str) -> date | None:
    """A date cell, an ISO day, DD/MM/YYYY, or an Excel serial number (None: not a date)."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and 1 <= raw < 100_000:
        return EXCEL_EPOCH + timedelta(days=int(raw))
    match = _DAY_MONTH_YEAR.fullmatch(text)
    parts = (match[3], match[2], match[1]) if match else text.split("-")
    try:
        return date(*(int(p) for p in parts)) if len(parts) == 3 else None
    except ValueError:
        return None
