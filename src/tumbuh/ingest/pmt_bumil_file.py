"""e-PPGBM's file of pregnant women with KEK turned into plain episode rows, with every
problem of every row in the import report's form (docs/pmt.md, "Importing e-PPGBM's file
of pregnant women with KEK").

:func:`read_bumil_file` reads one file (.csv, .xlsx, .xls, .ods or an HTML table saved as
.xls: the content decides) within the import's limits, in a worker with a memory limit
when the limits set one, and returns a :class:`BumilFile`: the rows without errors and the
report. Nothing is written. Cells are read as stored values; a formula cell (an .xlsx
``<f>``, or text starting with ``=``, ``+``, ``-`` or ``@``) is refused, never evaluated.
A file over a limit raises :class:`~tumbuh.ingest.limits.FileLimitError`. The NIK column's
value never appears in the report.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tumbuh.errors import InputError
from tumbuh.growth.maternal import KEK_MUAC_CM
from tumbuh.growth.pmt import Funding
from tumbuh.growth.pmt_bumil_sources import BumilFileStatus, status_from_text
from tumbuh.growth.pmt_sources import funding_from_text
from tumbuh.ingest import import_messages as import_msg
from tumbuh.ingest import messages as check_msg
from tumbuh.ingest import pmt_bumil_messages as msg
from tumbuh.ingest import pmt_messages as history_msg
from tumbuh.ingest.checks import date_cell, nik_cell, number_cell
from tumbuh.ingest.limits import FileLimitError, FileLimits
from tumbuh.ingest.pmt_bumil_layout import (
    REQUIRED,
    BumilField,
    BumilHeader,
    BumilSheet,
    read_bumil_sheet,
)
from tumbuh.ingest.reading import read_file
from tumbuh.ingest.report import ImportReport, ReportLine, Severity, Word, line_order
from tumbuh.ingest.tabular import FileFormat, Row
from tumbuh.ingest.values import CellIssue, is_missing
from tumbuh.sheet_text import starts_like_formula

F = BumilField
MUAC_CM = (10.0, 50.0)  # a LiLA Tumbuh stores (as the pregnancy's own, models_maternal)
MAX_DAYS = 366
TEXT_LIMITS: dict[BumilField, int] = {F.NAME: 100, F.PARTNER: 200}
TEXT_LIMIT = 200
SHOWN_CHARACTERS = 40
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NUMBER_MESSAGES = {
    CellIssue.JUNK: check_msg.NOT_A_NUMBER,
    CellIssue.DOUBLE_SEPARATOR: check_msg.DOUBLE_SEPARATOR,
    CellIssue.TRAILING_TEXT: check_msg.TRAILING_TEXT,
    CellIssue.PLACEHOLDER: check_msg.PLACEHOLDER,
    CellIssue.SPREADSHEET_ERROR: check_msg.SPREADSHEET_ERROR,
    CellIssue.NEGATIVE: check_msg.NEGATIVE,
}
_DATE_MESSAGES = {
    CellIssue.NOT_A_DATE: check_msg.NOT_A_DATE,
    CellIssue.IMPOSSIBLE_DATE: check_msg.IMPOSSIBLE_DATE,
    CellIssue.MONTH_FIRST: check_msg.MONTH_FIRST,
    CellIssue.SPREADSHEET_ERROR: check_msg.SPREADSHEET_ERROR,
}
_NIK_MESSAGES = {  # none of them shows the NIK
    CellIssue.SCIENTIFIC: check_msg.NIK_TRUNCATED,
    CellIssue.NUMBER_TRUNCATED: check_msg.NIK_TRUNCATED,
    CellIssue.WRONG_LENGTH: check_msg.NIK_WRONG_LENGTH,
    CellIssue.NOT_DIGITS: check_msg.NIK_NOT_DIGITS,
    CellIssue.PLACEHOLDER: check_msg.NIK_NOT_DIGITS,
}


@dataclass(frozen=True)
class BumilFileRow:
    """One row of the file without errors: an episode of a pregnant woman with KEK."""

    row: int  # as the spreadsheet shows it
    nik: str  # the mother's
    name: str | None
    birth_date: date | None
    kelurahan_code: str | None  # as written
    kelurahan: str | None
    posyandu: str | None
    started_on: date
    ended_on: date | None
    start_muac_cm: float | None
    end_muac_cm: float | None
    days: int | None  # days fed, as the file says
    funding: Funding
    funding_text: str | None
    partner: str | None
    cycle: int | None
    status: BumilFileStatus


@dataclass(frozen=True)
class BumilFile:
    """One file read: its format and hash, its rows without errors and the report."""

    name: str
    format: FileFormat | None
    sha256: str | None
    header_row: int | None  # spreadsheet row of the header; None: not a file of this kind
    rows: tuple[BumilFileRow, ...]
    report: ImportReport
    labels: Mapping[BumilField, str] = field(default_factory=dict)

    def label(self, name: BumilField) -> str:
        """The header of ``name`` as the file wrote it (or as docs/pmt.md names it)."""
        return self.labels.get(name) or BumilHeader(0, {}, {}).label(name)


def read_bumil_file(
    path: Path, *, name: str | None = None, today: date, limits: FileLimits | None = None
) -> BumilFile:
    """Read and check one file (``name``: as the user called it); ``today`` bounds the
    dates."""
    shown = name or path.name
    try:
        sheet = read_file(path, limits or FileLimits(), read_bumil_sheet)
    except FileLimitError:
        raise
    except InputError as error:
        line = _file_line(shown, error.template, error.params)
        return BumilFile(shown, None, None, None, (), _report([line], 0, 0))
    header = sheet.header
    if header is None:
        line = _file_line(shown, msg.NOT_A_BUMIL_FILE)
        return BumilFile(shown, sheet.format, sheet.sha256, None, (), _report([line], 0, 0))
    missing = [f for f in REQUIRED if f not in header.columns]
    if missing:
        word = Word(msg.BUMIL_FILE_WORD)
        lines = [
            _file_line(
                shown,
                history_msg.MISSING_HISTORY_COLUMN,
                {"column": header.label(f), "kind": word},
                row=header.row_index + 1,
            )
            for f in missing
        ]
        return _read(shown, sheet, header, lines, ())
    reader = _RowReader(shown, header, sheet, today)
    found = reader.read()
    return _read(shown, sheet, header, reader.lines, tuple(found), reader.rows_read)


def _read(
    name: str,
    sheet: BumilSheet,
    header: BumilHeader,
    lines: list[ReportLine],
    rows: tuple[BumilFileRow, ...],
    read: int = 0,
) -> BumilFile:
    errors = {ln.row for ln in lines if ln.severity is Severity.ERROR and ln.row}
    report = _report(lines, read, read - len(errors))
    return BumilFile(
        name, sheet.format, sheet.sha256, header.row_index + 1, rows, report, dict(header.labels)
    )


def _file_line(
    name: str, template: str, params: Mapping[str, object] | None = None, row: int | None = None
) -> ReportLine:
    return ReportLine(name, row, None, None, Severity.ERROR, template, dict(params or {}))


def _report(lines: list[ReportLine], read: int, valid: int) -> ImportReport:
    return ImportReport(tuple(sorted(lines, key=line_order)), read, max(valid, 0))


@dataclass
class _Draft:
    row: int
    cells: dict[BumilField, object]
    has_error: bool = False
    refused: set[BumilField] = field(default_factory=set)  # formula or too long: not read


class _RowReader:
    """Reads the data rows below the header, collecting report lines."""

    def __init__(self, name: str, header: BumilHeader, sheet: BumilSheet, today: date) -> None:
        self.name = name
        self.header = header
        self.sheet = sheet
        self.formulas = set(sheet.formulas)
        self.today = today
        self.lines: list[ReportLine] = []
        self.rows_read = 0

    def read(self) -> list[BumilFileRow]:
        """Every data row's episode (rows with errors left out; exact repeats read once)."""
        groups: dict[tuple[str, date], list[tuple[BumilFileRow, _Draft]]] = {}
        columns = self.header.columns
        rows: list[Row] = self.sheet.rows
        for index in range(self.header.row_index + 1, len(rows)):
            raw = rows[index]
            if all(is_missing(c) for c in raw):
                continue
            cells = {f: raw[c] if c < len(raw) else None for f, c in columns.items()}
            draft = _Draft(index + 1, cells)
            self.rows_read += 1
            found = self._row(draft)
            if found is not None and not draft.has_error:
                groups.setdefault((found.nik, found.started_on), []).append((found, draft))
        return [kept for members in groups.values() if (kept := self._once(members))]

    def _once(self, members: list[tuple[BumilFileRow, _Draft]]) -> BumilFileRow | None:
        first, first_draft = members[0]
        if all(_same(first, other) for other, _ in members[1:]):
            for _, draft in members[1:]:
                self._line(draft, None, history_msg.REPEATED_ROW, warning=True, other=first.row)
            return first
        for found, draft in members:
            other = members[1][0] if draft is first_draft else first
            names = ", ".join(sorted(self._differing(found, other)))
            self._line(draft, None, history_msg.REPEATED_CONFLICT, other=other.row, fields=names)
        return None

    def _differing(self, a: BumilFileRow, b: BumilFileRow) -> set[str]:
        return {
            self.header.label(BumilField(n))
            for n in BumilField
            if hasattr(a, n.value) and getattr(a, n.value) != getattr(b, n.value)
        }

    def _line(
        self,
        draft: _Draft,
        where: BumilField | None,
        template: str,
        *,
        warning: bool = False,
        **params: object,
    ) -> None:
        if not warning:
            draft.has_error = True
        value = draft.cells.get(where) if where else None
        if where is F.NIK:
            value = Word(import_msg.NIK_NOT_SHOWN)
        elif isinstance(value, str) and len(value) > SHOWN_CHARACTERS:
            value = value[:SHOWN_CHARACTERS] + "…"
        self.lines.append(
            ReportLine(
                self.name,
                draft.row,
                self.header.label(where) if where else None,
                value,
                Severity.WARNING if warning else Severity.ERROR,
                template,
                params,
                column_index=self.header.columns.get(where, -1) if where else -1,
            )
        )

    # --- one row -------------------------------------------------------------------------

    def _row(self, draft: _Draft) -> BumilFileRow | None:
        """The row's episode; every cell is checked before a row with an error gives None."""
        self._refuse_formulas(draft)
        self._check_lengths(draft)
        nik = self._nik(draft)
        started = self._start(draft)
        ended = self._date(draft, F.ENDED)
        if started is not None and ended is not None and ended < started:
            self._line(draft, F.ENDED, history_msg.END_BEFORE_START, value=ended, start=started)
        born = self._date(draft, F.BIRTH_DATE, warning=True)
        muac = self._muac(draft, F.START_MUAC), self._muac(draft, F.END_MUAC)
        days = self._count(draft, F.DAYS, low=1, high=MAX_DAYS)
        cycle = self._count(draft, F.CYCLE, low=1, high=99)
        status = self._status(draft, ended)
        funding, funding_text = self._funding(draft)
        self._days_within(draft, days, started, ended)
        if muac[0] is not None and muac[0] >= KEK_MUAC_CM:
            self._line(draft, F.START_MUAC, msg.START_MUAC_NOT_KEK, warning=True, value=muac[0])
        if draft.has_error or nik is None or started is None or status is None:
            return None
        return BumilFileRow(
            row=draft.row,
            nik=nik,
            name=_text(draft, F.NAME),
            birth_date=born,
            kelurahan_code=_text(draft, F.KELURAHAN_CODE),
            kelurahan=_text(draft, F.KELURAHAN),
            posyandu=_text(draft, F.POSYANDU),
            started_on=started,
            ended_on=ended,
            start_muac_cm=muac[0],
            end_muac_cm=muac[1],
            days=days,
            funding=funding,
            funding_text=funding_text,
            partner=_text(draft, F.PARTNER),
            cycle=cycle,
            status=status,
        )

    def _refuse_formulas(self, draft: _Draft) -> None:
        for name, column in self.header.columns.items():
            raw = draft.cells.get(name)
            text = raw.strip() if isinstance(raw, str) and not is_missing(raw) else ""
            if (draft.row, column + 1) in self.formulas or starts_like_formula(text):
                self._line(draft, name, msg.FORMULA)
                draft.cells[name] = None
                draft.refused.add(name)

    def _check_lengths(self, draft: _Draft) -> None:
        for name, raw in draft.cells.items():
            limit = TEXT_LIMITS.get(name, TEXT_LIMIT)
            if isinstance(raw, str) and len(raw) > limit:
                column = self.header.label(name)
                self._line(
                    draft, name, history_msg.TOO_LONG, column=column, length=len(raw), limit=limit
                )
                draft.cells[name] = None
                draft.refused.add(name)

    def _nik(self, draft: _Draft) -> str | None:
        raw = draft.cells.get(F.NIK)
        if F.NIK in draft.refused:
            return None
        if is_missing(raw):
            self._line(draft, F.NIK, msg.NIK_REQUIRED)
            return None
        nik = nik_cell(raw)
        if nik.issue is not None:
            self._line(draft, F.NIK, _NIK_MESSAGES[nik.issue], digits=nik.digits)
            return None
        return nik.value

    def _start(self, draft: _Draft) -> date | None:
        if F.STARTED in draft.refused:
            return None
        if is_missing(draft.cells.get(F.STARTED)):
            column = self.header.label(F.STARTED)
            self._line(draft, F.STARTED, history_msg.START_REQUIRED, column=column)
            return None
        return self._date(draft, F.STARTED)

    def _date(self, draft: _Draft, name: BumilField, *, warning: bool = False) -> date | None:
        raw = draft.cells.get(name)
        if is_missing(raw):
            return None
        cell = date_cell(raw)
        if cell.issue is not None:
            template = _DATE_MESSAGES[cell.issue]
            self._line(draft, name, template, warning=warning, value=raw, guess=cell.swapped)
            return None
        if cell.value is not None and cell.value > self.today and name is not F.BIRTH_DATE:
            self._line(draft, name, history_msg.START_IN_FUTURE, value=cell.value, today=self.today)
            return None
        return cell.value

    def _number(self, draft: _Draft, name: BumilField) -> float | None:
        raw = draft.cells.get(name)
        if is_missing(raw):
            return None
        cell = number_cell(raw)
        if cell.issue is not None:
            self._line(draft, name, _NUMBER_MESSAGES[cell.issue], value=raw, guess=cell.guess)
            return None
        return cell.value

    def _muac(self, draft: _Draft, name: BumilField) -> float | None:
        value = self._number(draft, name)
        if value is None:
            return None
        low, high = MUAC_CM
        if low <= value <= high:
            return value
        if low <= value / 10 <= high:
            self._line(
                draft, name, msg.MUAC_IN_MM, value=value, low=low, high=high, guess=value / 10
            )
        else:
            self._line(draft, name, msg.MUAC_NOT_PLAUSIBLE, value=value, low=low, high=high)
        return None

    def _count(self, draft: _Draft, name: BumilField, *, low: int, high: int) -> int | None:
        raw = draft.cells.get(name)
        if is_missing(raw):
            return None
        cell = number_cell(raw)
        value = cell.value
        if cell.issue is not None or value is None or not value.is_integer():
            self._line(draft, name, msg.DAYS_NOT_A_COUNT, value=raw, high=high)
            return None
        if not low <= value <= high:
            self._line(draft, name, msg.DAYS_NOT_A_COUNT, value=raw, high=high)
            return None
        return int(value)

    def _days_within(
        self, draft: _Draft, days: int | None, started: date | None, ended: date | None
    ) -> None:
        if days is None or started is None or ended is None or ended < started:
            return
        span = (ended - started).days + 1
        if days > span:
            self._line(draft, F.DAYS, msg.DAYS_BEYOND_SPAN, warning=True, value=days, span=span)

    def _status(self, draft: _Draft, ended: date | None) -> BumilFileStatus | None:
        text = _text(draft, F.STATUS)
        found = status_from_text(text)
        if found is None:
            self._line(draft, F.STATUS, msg.UNKNOWN_STATUS, value=text)
            return None
        if found is not BumilFileStatus.RUNNING and ended is None:
            if not is_missing(draft.cells.get(F.ENDED)):
                return found  # the end date's own problem is reported
            column = self.header.label(F.ENDED)
            self._line(draft, F.STATUS, msg.ENDED_NEEDS_END_DATE, status=text, column=column)
        elif found is BumilFileStatus.RUNNING and ended is not None:
            self._line(draft, F.STATUS, msg.END_WITHOUT_STATUS, warning=True)
        return found

    def _funding(self, draft: _Draft) -> tuple[Funding, str | None]:
        text = _text(draft, F.FUNDING)
        if text is None:
            return Funding.OTHER, None
        found = funding_from_text(text)
        if found is None:
            self._line(draft, F.FUNDING, history_msg.UNKNOWN_FUNDING, warning=True, value=text)
            return Funding.OTHER, text
        return found, text


def _text(draft: _Draft, name: BumilField) -> str | None:
    """A cell as text (control characters made spaces, spaces collapsed; None when empty)."""
    raw = draft.cells.get(name)
    if is_missing(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return " ".join(_CONTROL.sub(" ", str(raw)).split()) or None


def _same(a: BumilFileRow, b: BumilFileRow) -> bool:
    """Whether two rows say the same (but for their row number)."""
    return _key(a) == _key(b)


def _key(r: BumilFileRow) -> tuple[object, ...]:
    return tuple(v for k, v in r.__dict__.items() if k != "row")
