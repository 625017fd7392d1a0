"""Row checks, first pass: every cell of every row is read and checked on its own.

Each distinct cell value is parsed once (parsers are cached), then each row collects
its problems in a :class:`LineSink`; nothing stops at the first problem. Checks that
need the whole batch (plausibility by age, z-scores, duplicates) run afterwards in
:mod:`tumbuh.ingest.pipeline` on the parsed :class:`RowDraft` objects.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from tumbuh.growth.child_months import KpspResult
from tumbuh.growth.enums import Indicator, Position, Sex
from tumbuh.ingest import messages as msg
from tumbuh.ingest.child_month_cells import check_kpsp
from tumbuh.ingest.family import check_family, masked
from tumbuh.ingest.layouts import REQUIRED, Field, HeaderMatch, Layout, default_header
from tumbuh.ingest.matching import normalise_name
from tumbuh.ingest.places import check_regions
from tumbuh.ingest.plausibility import PMT_GRAMS_FROM, PMT_MAX_KG
from tumbuh.ingest.regions import RegionMatcher, RegionRecord
from tumbuh.ingest.report import ReportLine, Severity
from tumbuh.ingest.values import (
    CellIssue,
    DateCell,
    NikCell,
    NumberCell,
    is_missing,
    parse_date,
    parse_nik,
    parse_number,
    parse_oedema,
    parse_position,
    parse_sex,
)

_CACHE = 1 << 16
number_cell = lru_cache(maxsize=_CACHE, typed=True)(parse_number)
date_cell = lru_cache(maxsize=_CACHE, typed=True)(parse_date)
nik_cell = lru_cache(maxsize=_CACHE, typed=True)(parse_nik)
sex_cell = lru_cache(maxsize=256, typed=True)(parse_sex)
position_cell = lru_cache(maxsize=256, typed=True)(parse_position)

# A row with none of these is not about a child (a footer such as "Dicetak oleh ..." in
# the first column, a page total): it is skipped with a warning.
_CHILD_FIELDS = (
    Field.NAME,
    Field.BIRTH_DATE,
    Field.MEASURED_ON,
    Field.WEIGHT,
    Field.HEIGHT,
)
_NUMBER_MESSAGES = {
    CellIssue.JUNK: msg.NOT_A_NUMBER,
    CellIssue.DOUBLE_SEPARATOR: msg.DOUBLE_SEPARATOR,
    CellIssue.TRAILING_TEXT: msg.TRAILING_TEXT,
    CellIssue.PLACEHOLDER: msg.PLACEHOLDER,
    CellIssue.SPREADSHEET_ERROR: msg.SPREADSHEET_ERROR,
    CellIssue.NEGATIVE: msg.NEGATIVE,
}
_PMT_MESSAGES = {
    CellIssue.JUNK: msg.PMT_NOT_A_NUMBER,
    CellIssue.NEGATIVE: msg.PMT_NEGATIVE,
}
_DATE_MESSAGES = {
    CellIssue.NOT_A_DATE: msg.NOT_A_DATE,
    CellIssue.IMPOSSIBLE_DATE: msg.IMPOSSIBLE_DATE,
    CellIssue.MONTH_FIRST: msg.MONTH_FIRST,
    CellIssue.SPREADSHEET_ERROR: msg.SPREADSHEET_ERROR,
}
_NIK_MESSAGES = {
    CellIssue.SCIENTIFIC: msg.NIK_SCIENTIFIC,
    CellIssue.NUMBER_TRUNCATED: msg.NIK_TRUNCATED,
    CellIssue.WRONG_LENGTH: msg.NIK_WRONG_LENGTH,
    CellIssue.NOT_DIGITS: msg.NIK_NOT_DIGITS,
    CellIssue.PLACEHOLDER: msg.NIK_PLACEHOLDER,
}
# Units a column is in, and the factor from each unit people write into it.
_UNITS: dict[Field, tuple[str, dict[str, float]]] = {
    Field.WEIGHT: ("kg", {"kg": 1.0, "g": 0.001}),
    Field.BIRTH_WEIGHT: ("kg", {"kg": 1.0, "g": 0.001}),
    Field.HEIGHT: ("cm", {"cm": 1.0, "mm": 0.1, "m": 100.0}),
    Field.BIRTH_LENGTH: ("cm", {"cm": 1.0, "mm": 0.1, "m": 100.0}),
    Field.MUAC: ("cm", {"cm": 1.0, "mm": 0.1}),
}
WEIGHT_TRENDS = frozenset("NTOB")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # never part of a name; PostgreSQL refuses NUL


@dataclass
class CheckContext:
    """What the checks compare against: the region list, today, known posyandu."""

    matcher: RegionMatcher
    today: date
    known_posyandu: dict[str, set[str]] | None = None  # kelurahan code -> posyandu keys
    region_spellings: dict[tuple[str, str], str] = field(default_factory=dict)


class LineSink:
    """Collects the report lines of one file."""

    def __init__(self, file: str, file_index: int, header: HeaderMatch | None) -> None:
        self.file = file
        self.file_index = file_index
        self.labels = header.labels if header else {}
        self.layout = header.layout if header else Layout.A
        self.columns = header.columns if header else {}
        self.lines: list[ReportLine] = []

    def label(self, name: Field) -> str:
        """The field's header as the file wrote it (or as its layout names it)."""
        return self.labels.get(name) or default_header(name, self.layout)

    def add(
        self,
        severity: Severity,
        row: int | None,
        where: Field | None,
        value: object,
        template: str,
        /,
        **params: object,
    ) -> None:
        """Add one line; ``where`` is the field the problem is about."""
        self.lines.append(
            ReportLine(
                file=self.file,
                row=row,
                column=self.label(where) if where else None,
                value=value,
                severity=severity,
                template=template,
                params=params,
                file_index=self.file_index,
                column_index=self.columns.get(where, -1) if where else -1,
            )
        )


@dataclass(slots=True)
class RowDraft:
    """One row after the first pass: parsed values (None where unusable)."""

    row: int
    cells: dict[Field, Any]
    sink: LineSink
    has_error: bool = False
    nik: str | None = None
    name: str | None = None
    sex: Sex | None = None
    birth_date: date | None = None
    birth_swapped: date | None = None
    measured_on: date | None = None
    measured_swapped: date | None = None
    parent_name: str | None = None
    kecamatan: RegionRecord | None = None
    kelurahan: RegionRecord | None = None
    posyandu: str | None = None
    position: Position | None = None
    oedema: bool = False  # bilateral oedema (an empty cell: none)
    numbers: dict[Field, float] = field(default_factory=dict)
    age_days: int | None = None  # set when both dates are valid and in order
    repeated: bool = False  # an exact repeat of an earlier row (imported once)
    zscores: dict[Indicator, float] = field(default_factory=dict)  # filled by scoring
    flags: dict[Indicator, bool] = field(default_factory=dict)
    eppgbm: dict[Indicator, float] = field(default_factory=dict)
    nomor_kk: str | None = None  # layout B's family columns (tumbuh.ingest.family)
    parent_nik: str | None = None
    gestational_weeks: int | None = None
    kpsp: KpspResult | None = None  # the KPSP cell (tumbuh.ingest.child_month_cells)

    def error(self, where: Field | None, template: str, /, **params: object) -> None:
        """Report an error about field ``where`` of this row."""
        self.has_error = True
        value = self.cells.get(where) if where else None
        self.sink.add(Severity.ERROR, self.row, where, value, template, **params)

    def warn(self, where: Field | None, template: str, /, **params: object) -> None:
        """Report a warning about field ``where`` of this row."""
        value = self.cells.get(where) if where else None
        self.sink.add(Severity.WARNING, self.row, where, value, template, **params)

    def text(self, name: Field) -> str | None:
        """The cell as trimmed text (None when empty)."""
        raw = self.cells.get(name)
        if is_missing(raw):
            return None
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return " ".join(_CONTROL.sub(" ", str(raw)).split()) or None


def draft_rows(
    rows: Sequence[Sequence[object]], header: HeaderMatch, sink: LineSink, context: CheckContext
) -> list[RowDraft]:
    """First pass over the data rows below the header: parse and check every cell."""
    drafts = []
    columns = header.columns
    for index in range(header.row_index + 1, len(rows)):
        raw = rows[index]
        if all(c is None for c in raw):
            continue
        cells = {f: raw[c] if c < len(raw) else None for f, c in columns.items()}
        draft = RowDraft(row=index + 1, cells=cells, sink=sink)
        if all(is_missing(cells.get(f)) for f in _CHILD_FIELDS):
            draft.warn(None, msg.IGNORED_ROW)
            continue
        _check_required(draft, header)
        _check_identity(draft)
        check_family(draft)
        _check_dates(draft, context.today)
        check_regions(draft, context)
        _check_numbers(draft)
        _check_codes(draft)
        check_kpsp(draft)
        drafts.append(draft)
    return drafts


def _check_required(draft: RowDraft, header: HeaderMatch) -> None:
    for name in REQUIRED:
        if name in header.columns and draft.text(name) is None:
            draft.error(name, msg.EMPTY_REQUIRED, column=draft.sink.label(name))
    has_weight = not is_missing(draft.cells.get(Field.WEIGHT))
    has_height = not is_missing(draft.cells.get(Field.HEIGHT))
    has_column = Field.WEIGHT in header.columns or Field.HEIGHT in header.columns
    if has_column and not has_weight and not has_height:
        column = Field.WEIGHT if Field.WEIGHT in header.columns else None
        draft.error(
            column,
            msg.NO_MEASUREMENT,
            weight=draft.sink.label(Field.WEIGHT),
            height=draft.sink.label(Field.HEIGHT),
        )


def _check_identity(draft: RowDraft) -> None:
    draft.name = draft.text(Field.NAME)
    draft.parent_name = draft.text(Field.PARENT_NAME)
    raw_nik = draft.cells.get(Field.NIK)
    # A masked export: the masked cells are the row's only identity errors.
    if not masked(draft):
        nik: NikCell = nik_cell(raw_nik) if not is_missing(raw_nik) else NikCell()
        if nik.issue is not None:
            draft.error(Field.NIK, _NIK_MESSAGES[nik.issue], value=raw_nik, digits=nik.digits)
        draft.nik = nik.value
        if nik.issue is None and nik.value is None and draft.parent_name is None:
            parent = draft.sink.label(Field.PARENT_NAME)
            draft.error(Field.NIK, msg.NOT_IDENTIFIABLE, parent=parent)
        elif nik.issue is None and nik.value is None:
            _check_names_compare(draft)
    raw_sex = draft.cells.get(Field.SEX)
    if not is_missing(raw_sex):
        draft.sex = sex_cell(raw_sex)
        if draft.sex is None:
            draft.error(Field.SEX, msg.UNKNOWN_SEX, value=raw_sex)


def _check_names_compare(draft: RowDraft) -> None:
    """Without a NIK a row is matched on the names (``child_key``): a name with no letter
    (``123``, ``-``) normalises to nothing, so the row could not be matched."""
    for which, name in ((Field.NAME, draft.name), (Field.PARENT_NAME, draft.parent_name)):
        if name is not None and not normalise_name(name):
            column = draft.sink.label(which)
            draft.error(which, msg.NOT_IDENTIFIABLE_NAME, column=column)
            return


def _date(draft: RowDraft, name: Field) -> DateCell:
    raw = draft.cells.get(name)
    cell: DateCell = date_cell(raw) if not is_missing(raw) else DateCell()
    if cell.issue is not None:
        draft.error(name, _DATE_MESSAGES[cell.issue], value=raw, guess=cell.swapped)
    return cell


def _check_dates(draft: RowDraft, today: date) -> None:
    born = _date(draft, Field.BIRTH_DATE)
    measured = _date(draft, Field.MEASURED_ON)
    draft.birth_date, draft.birth_swapped = born.value, born.swapped
    draft.measured_on, draft.measured_swapped = measured.value, measured.swapped
    if measured.value is not None and measured.value > today:
        swapped = measured.swapped if measured.swapped and measured.swapped <= today else None
        draft.error(
            Field.MEASURED_ON,
            msg.IN_FUTURE_SWAPPED if swapped else msg.IN_FUTURE,
            value=measured.value,
            today=today,
            guess=swapped,
        )
        return
    if born.value is None or measured.value is None:
        return
    if measured.value >= born.value:
        draft.age_days = (measured.value - born.value).days
    if measured.value < born.value:
        swapped = born.swapped if born.swapped and born.swapped <= measured.value else None
        draft.error(
            Field.BIRTH_DATE,
            msg.BEFORE_BIRTH_SWAPPED if swapped else msg.BEFORE_BIRTH,
            measured=measured.value,
            born=born.value,
            guess=swapped,
        )
    elif measured.value > add_years(born.value, 5):
        years, months, _ = calendar_age(born.value, measured.value)
        draft.error(Field.BIRTH_DATE, msg.TOO_OLD, years=years, months=months)


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 1 March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def calendar_age(born: date, on: date) -> tuple[int, int, int]:
    """Completed years, months and days from ``born`` to ``on`` (Permenkes 2/2020)."""
    months = (on.year - born.year) * 12 + on.month - born.month
    if on.day < born.day:
        months -= 1
    anchor_year, anchor_month = divmod(born.month - 1 + months, 12)
    anchor = _clamped(born.year + anchor_year, anchor_month + 1, born.day)
    return months // 12, months % 12, (on - anchor).days


def _clamped(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def _check_numbers(draft: RowDraft) -> None:
    for name in (Field.WEIGHT, Field.HEIGHT, Field.MUAC, Field.BIRTH_WEIGHT, Field.BIRTH_LENGTH):
        raw = draft.cells.get(name)
        if is_missing(raw):
            continue
        cell: NumberCell = number_cell(raw)
        if cell.issue is not None:
            draft.error(name, _NUMBER_MESSAGES[cell.issue], value=raw, guess=cell.guess)
            continue
        if cell.value is None:
            continue
        unit, factors = _UNITS[name]
        if cell.unit is not None and cell.unit != unit:
            if cell.unit not in factors:
                draft.error(name, msg.NOT_A_NUMBER, value=raw)
            else:
                guess = round(cell.value * factors[cell.unit], 3)
                draft.error(name, msg.WRONG_UNIT, unit=cell.unit, expected=unit, guess=guess)
            continue
        if cell.value == 0:
            draft.error(name, msg.PLACEHOLDER, value=raw)
            continue
        draft.numbers[name] = cell.value
    for name in (Field.EPPGBM_WAZ, Field.EPPGBM_HAZ, Field.EPPGBM_WHZ):
        _optional_number(draft, name)
    _check_pmt(draft)


def _optional_number(draft: RowDraft, name: Field) -> None:
    raw = draft.cells.get(name)
    if is_missing(raw):
        return
    cell: NumberCell = number_cell(raw)
    if cell.issue is CellIssue.PLACEHOLDER:
        return  # e-PPGBM writes 999.99 where it computed no z-score
    if cell.issue is CellIssue.NEGATIVE and cell.guess is not None:
        if cell.guess < 999:  # z-scores may be negative; -999.99 is a placeholder too
            draft.numbers[name] = -cell.guess
        return
    if cell.value is None:
        draft.warn(name, msg.OPTIONAL_NOT_A_NUMBER, value=raw)
        return
    draft.numbers[name] = cell.value


def _check_pmt(draft: RowDraft) -> None:
    """PMT received, in kg: 0 (none) up to :data:`PMT_MAX_KG`; anything else blocks the
    row with what is accepted (grams named as such)."""
    raw = draft.cells.get(Field.PMT_KG)
    if is_missing(raw):
        return
    cell: NumberCell = number_cell(raw)
    if cell.issue is not None:
        template = _PMT_MESSAGES.get(cell.issue, _NUMBER_MESSAGES[cell.issue])
        draft.error(Field.PMT_KG, template, value=raw, guess=cell.guess)
        return
    if cell.value is None:
        return
    if cell.unit is not None and cell.unit != "kg":
        if cell.unit == "g":
            guess = round(cell.value / 1000, 3)
            draft.error(Field.PMT_KG, msg.WRONG_UNIT, unit="g", expected="kg", guess=guess)
        else:
            draft.error(Field.PMT_KG, msg.PMT_NOT_A_NUMBER, value=raw)
        return
    if cell.value > PMT_MAX_KG:
        grams = cell.value >= PMT_GRAMS_FROM
        draft.error(
            Field.PMT_KG,
            msg.PMT_GRAMS if grams else msg.PMT_TOO_MUCH,
            value=cell.value,
            high=PMT_MAX_KG,
            guess=round(cell.value / 1000, 3) if grams else None,
        )
        return
    draft.numbers[Field.PMT_KG] = cell.value


def _check_codes(draft: RowDraft) -> None:
    raw_position = draft.cells.get(Field.POSITION)
    if not is_missing(raw_position):
        draft.position = position_cell(raw_position)
        if draft.position is None:
            draft.warn(Field.POSITION, msg.UNKNOWN_POSITION, value=raw_position)
    raw_oedema = draft.cells.get(Field.OEDEMA)
    if not is_missing(raw_oedema):
        oedema = parse_oedema(raw_oedema)
        if oedema is None:
            draft.error(Field.OEDEMA, msg.UNKNOWN_OEDEMA, value=raw_oedema)
        else:
            draft.oedema = oedema
    trend = draft.text(Field.WEIGHT_TREND)
    if trend and trend[0].upper() not in WEIGHT_TRENDS:
        draft.warn(Field.WEIGHT_TREND, msg.UNKNOWN_TREND, value=trend)
    vitamin = draft.cells.get(Field.VITAMIN_A)
    if not is_missing(vitamin):
        cell: NumberCell = number_cell(vitamin)
        if cell.value is None or not cell.value.is_integer():
            draft.warn(Field.VITAMIN_A, msg.OPTIONAL_NOT_A_NUMBER, value=vitamin)
        else:
            draft.numbers[Field.VITAMIN_A] = cell.value
