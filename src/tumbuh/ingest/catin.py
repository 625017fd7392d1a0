"""A catin list (Elsimil, KUA or hand-made, in the layout of docs/catin.md) turned into
plain records, with every problem of every row named: row, column, value and what is
accepted.

:func:`read_catin_file` reads one file within the import's limits (in a worker with a
memory limit when the limits set one); a file over a limit raises
:class:`~tumbuh.ingest.limits.FileLimitError`. Cells are read as stored values; a cell
holding a formula (an .xlsx ``<f>``, or text starting with ``=``, ``+``, ``-`` or ``@``
as a CSV carries one) is refused, never evaluated. A NIK is never repeated in a problem:
the message says what is wrong with it (and the row), not its digits.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tumbuh.errors import InputError
from tumbuh.growth.enums import Sex
from tumbuh.ingest.catin_layout import CatinField, CatinHeader, CatinSheet, read_catin_sheet
from tumbuh.ingest.checks import date_cell, nik_cell, number_cell, sex_cell
from tumbuh.ingest.limits import FileLimitError, FileLimits
from tumbuh.ingest.reading import read_file
from tumbuh.ingest.tabular import FileFormat, Row
from tumbuh.ingest.values import CellIssue, is_missing
from tumbuh.sheet_text import starts_like_formula

F = CatinField
Bounds = Mapping[CatinField, tuple[float, float]]  # of LiLA, Hb, BB and TB: the caller's
TEXT_LIMITS = {F.NAME: 100, F.FOLLOW_UP: 500, F.KELURAHAN: 100, F.KECAMATAN: 100}
SHOWN_CHARACTERS = 40
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Problems (English message ids; catin.po has them in Indonesian).
NO_HEADER = (
    "{name}: no header row with the catin columns was found in the first 30 rows; the "
    "first row must name the columns, for example NIK, Nama, Jenis Kelamin, Tanggal Lahir, "
    "Kode Kelurahan, Tanggal Rencana Nikah, Tanggal Daftar"
)
MISSING_COLUMN = "{name}: the column '{column}' is missing; it is required"
MISSING_PLACE = "{name}: a column 'Kode Kelurahan' or 'Kelurahan' is required; neither was found"
NO_ROWS = "{name}: no catin rows below the header"
EMPTY = "Row {row}, column '{column}': empty; fill it in"
FORMULA = (
    "Row {row}, column '{column}': the cell holds a formula; Tumbuh does not read formulas. "
    "Write the value itself (copy, then paste values only)"
)
NOT_A_DATE = (
    "Row {row}, column '{column}': '{value}' is not a date; write it as DD/MM/YYYY, for "
    "example 16/11/2024"
)
AFTER_TODAY = "Row {row}, column '{column}': {value} is after today; write a day that has come"
NOT_A_NUMBER = (
    "Row {row}, column '{column}': '{value}' is not accepted; write a number from {low} to {high}"
)
NIK_WRONG = (
    "Row {row}, column '{column}': a NIK has 16 digits and nothing else; {digits} digits "
    "were found (the value is not shown). Leave it empty when it is not known"
)
NIK_NUMBER = (
    "Row {row}, column '{column}': the spreadsheet turned the NIK into a number (3.67E+15, "
    "or its last digit made 0); format the column as text and write the NIK again"
)
NIK_REPEATED = "Row {row}, column '{column}': the same NIK as row {other}; one row per catin"
NOT_A_SEX = "Row {row}, column '{column}': '{value}' is not accepted; write L or P"
TOO_LONG = "Row {row}, column '{column}': longer than {limit} characters; shorten it"
WEDDING_BEFORE_BIRTH = (
    "Row {row}, column '{column}': {value} is not after the birth date; check the year"
)
FOLLOW_UP_WITHOUT_WHAT = (
    "Row {row}, column '{column}': a day without what was given; fill in the column "
    "'Tindak Lanjut' too"
)
NO_MEASURE_ON_SCREENING = (
    "Row {row}, column '{column}': a screening day without any measure; fill in LiLA, Hb, BB "
    "or TB, or leave the day empty"
)


@dataclass(frozen=True)
class Problem:
    """One problem of the file (``row`` None: the file as a whole)."""

    row: int | None
    template: str
    params: Mapping[str, object]

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The problem in the language of ``gettext``."""
        return gettext(self.template).format(**self.params)

    def __str__(self) -> str:
        return self.template.format(**self.params)


@dataclass(frozen=True)
class CatinRecord:
    """One row of the list without problems."""

    row: int
    nik: str | None
    name: str
    sex: Sex
    birth_date: date | None
    kelurahan_code: str | None  # as written
    kelurahan: str | None  # the name, as written
    kecamatan: str | None
    wedding_planned_on: date | None
    registered_on: date
    screened_on: date | None
    muac_cm: float | None
    hb_g_dl: float | None
    weight_kg: float | None
    height_cm: float | None
    follow_up: str | None
    follow_up_on: date | None


@dataclass(frozen=True)
class CatinFile:
    """A catin list read: what it is, its records (rows without problems) and the problems."""

    name: str
    format: FileFormat | None
    sha256: str | None
    records: tuple[CatinRecord, ...]
    problems: tuple[Problem, ...]
    rows_read: int
    labels: Mapping[CatinField, str] = field(default_factory=dict)


def read_catin_file(
    path: Path,
    *,
    bounds: Bounds,
    today: date,
    name: str | None = None,
    limits: FileLimits | None = None,
) -> CatinFile:
    """Read and check one catin list (``name``: as the user called it); ``bounds`` are
    the values each measure may take (the registry's, passed by the use case)."""
    shown = name or path.name
    try:
        sheet = read_file(path, limits or FileLimits(), read_catin_sheet)
    except FileLimitError:
        raise
    except InputError as error:
        return CatinFile(shown, None, None, (), (Problem(None, error.template, error.params),), 0)
    header = sheet.header
    if header is None:
        problem = Problem(None, NO_HEADER, {"name": shown})
        return CatinFile(shown, sheet.format, sheet.sha256, (), (problem,), 0)
    missing = _missing(shown, header)
    if missing:
        return CatinFile(shown, sheet.format, sheet.sha256, (), tuple(missing), 0, header.labels)
    reader = _Rows(header, sheet, today, bounds)
    records = reader.read()
    problems = reader.problems
    if reader.rows_read == 0:
        problems.append(Problem(None, NO_ROWS, {"name": shown}))
    return CatinFile(
        shown,
        sheet.format,
        sheet.sha256,
        tuple(records),
        tuple(problems),
        reader.rows_read,
        header.labels,
    )


def _missing(name: str, header: CatinHeader) -> list[Problem]:
    found = [
        Problem(None, MISSING_COLUMN, {"name": name, "column": header.label(f)})
        for f in (F.NAME, F.SEX, F.REGISTERED)
        if f not in header.columns
    ]
    if F.KELURAHAN_CODE not in header.columns and F.KELURAHAN not in header.columns:
        found.append(Problem(None, MISSING_PLACE, {"name": name}))
    return found


class _Rows:
    """Reads the data rows below the header, collecting problems."""

    def __init__(self, header: CatinHeader, sheet: CatinSheet, today: date, bounds: Bounds) -> None:
        self.header = header
        self.bounds = bounds
        self.rows = sheet.rows
        self.formulas = set(sheet.formulas)
        self.today = today
        self.problems: list[Problem] = []
        self.rows_read = 0
        self.row = 0
        self.bad = False
        self.cells: dict[CatinField, object] = {}
        self.refused: set[CatinField] = set()  # formula cells: named once, not read

    def read(self) -> list[CatinRecord]:
        records: list[CatinRecord] = []
        niks: dict[str, int] = {}
        for index in range(self.header.row_index + 1, len(self.rows)):
            raw = self.rows[index]
            if all(is_missing(c) for c in raw):
                continue
            self.rows_read += 1
            record = self._record(index + 1, raw)
            if record is None:
                continue
            if record.nik is not None and record.nik in niks:
                self._problem(F.NIK, NIK_REPEATED, other=niks[record.nik])
                continue
            if record.nik is not None:
                niks[record.nik] = record.row
            records.append(record)
        return records

    def _problem(self, name: CatinField | None, template: str, **params: object) -> None:
        self.bad = True
        column = self.header.label(name) if name is not None else ""
        self.problems.append(
            Problem(self.row, template, {"row": self.row, "column": column} | params)
        )

    def _record(self, row: int, raw: Row) -> CatinRecord | None:
        self.row, self.bad, self.refused = row, False, set()
        columns = self.header.columns
        self.cells = {f: raw[c] if c < len(raw) else None for f, c in columns.items()}
        for f, c in columns.items():
            cell = self.cells[f]
            formula = (row, c + 1) in self.formulas
            if formula or (isinstance(cell, str) and starts_like_formula(cell.strip())):
                self._problem(f, FORMULA)
                self.refused.add(f)
                self.cells[f] = None
        record = CatinRecord(
            row=row,
            nik=self._nik(),
            name=self._text(F.NAME, required=True) or "",
            sex=self._sex(),
            birth_date=self._date(F.BIRTH_DATE),
            kelurahan_code=self._text(F.KELURAHAN_CODE),
            kelurahan=self._text(F.KELURAHAN),
            kecamatan=self._text(F.KECAMATAN),
            wedding_planned_on=self._date(F.WEDDING, future=True),
            registered_on=self._date(F.REGISTERED, required=True) or self.today,
            screened_on=self._date(F.SCREENED),
            muac_cm=self._number(F.MUAC),
            hb_g_dl=self._number(F.HB),
            weight_kg=self._number(F.WEIGHT),
            height_cm=self._number(F.HEIGHT),
            follow_up=self._text(F.FOLLOW_UP),
            follow_up_on=self._date(F.FOLLOW_UP_ON),
        )
        self._consistent(record)
        return None if self.bad else record

    def _consistent(self, r: CatinRecord) -> None:
        if r.kelurahan_code is None and r.kelurahan is None:
            place = F.KELURAHAN_CODE if F.KELURAHAN_CODE in self.header.columns else F.KELURAHAN
            if place not in self.refused:
                self._problem(place, EMPTY)
        if r.birth_date and r.wedding_planned_on and r.wedding_planned_on <= r.birth_date:
            value = r.wedding_planned_on.isoformat()
            self._problem(F.WEDDING, WEDDING_BEFORE_BIRTH, value=value)
        if r.follow_up_on is not None and r.follow_up is None:
            self._problem(F.FOLLOW_UP_ON, FOLLOW_UP_WITHOUT_WHAT)
        measures = (r.muac_cm, r.hb_g_dl, r.weight_kg, r.height_cm)
        if r.screened_on is not None and all(m is None for m in measures):
            self._problem(F.SCREENED, NO_MEASURE_ON_SCREENING)

    def _shown(self, cell: object) -> str:
        text = " ".join(_CONTROL.sub(" ", str(cell)).split())
        return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…"

    def _text(self, name: CatinField, *, required: bool = False) -> str | None:
        cell = self.cells.get(name)
        if is_missing(cell):
            if required and name not in self.refused:
                self._problem(name, EMPTY)
            return None
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        text = " ".join(_CONTROL.sub(" ", str(cell)).split())
        limit = TEXT_LIMITS.get(name, 40)
        if len(text) > limit:
            self._problem(name, TOO_LONG, limit=limit)
            return None
        return text or None

    def _nik(self) -> str | None:
        cell = self.cells.get(F.NIK)
        if is_missing(cell):
            return None
        nik = nik_cell(cell)
        if nik.issue in (CellIssue.SCIENTIFIC, CellIssue.NUMBER_TRUNCATED):
            self._problem(F.NIK, NIK_NUMBER)
        elif nik.value is None:
            self._problem(F.NIK, NIK_WRONG, digits=nik.digits)
        return nik.value

    def _sex(self) -> Sex:
        cell = self.cells.get(F.SEX)
        if is_missing(cell):
            if F.SEX not in self.refused:
                self._problem(F.SEX, EMPTY)
            return Sex.FEMALE
        found = sex_cell(cell)
        if found is None:
            self._problem(F.SEX, NOT_A_SEX, value=self._shown(cell))
            return Sex.FEMALE
        return found

    def _date(
        self, name: CatinField, *, required: bool = False, future: bool = False
    ) -> date | None:
        cell = self.cells.get(name)
        if is_missing(cell):
            if required and name not in self.refused:
                self._problem(name, EMPTY)
            return None
        found = date_cell(cell)
        if found.value is None:
            self._problem(name, NOT_A_DATE, value=self._shown(cell))
            return None
        if not future and found.value > self.today:
            self._problem(name, AFTER_TODAY, value=found.value.isoformat())
            return None
        return found.value

    def _number(self, name: CatinField) -> float | None:
        cell = self.cells.get(name)
        if is_missing(cell):
            return None
        low, high = self.bounds[name]
        found = number_cell(cell)
        if found.value is None or not low <= found.value <= high:
            self._problem(name, NOT_A_NUMBER, value=self._shown(cell), low=low, high=high)
            return None
        return found.value
