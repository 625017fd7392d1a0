"""e-PPGBM's PMT history files turned into plain episode records, with every problem of
every row in the import report's form (docs/import-format.md §13).

:func:`read_pmt_history` reads one file (HTML saved as ``.xls``, or a real .xls/.xlsx:
the content decides, :mod:`tumbuh.ingest.pmt_history_layout`) within the import's limits,
in a worker with a memory limit when the limits set one, and returns a
:class:`PmtHistoryFile`: the episodes of the rows without errors and the report. Nothing
is written and nothing is evaluated (cells are read as text or as the spreadsheet's
stored values, never as formulas). A file over a limit raises
:class:`~tumbuh.ingest.limits.FileLimitError`; any other unreadable file is an error line.

Whom a row is about, which PMT, and its numbers:

* **who**: the NIK (16 digits, checked as the e-PPGBM import checks it; required, since
  rows are matched by NIK only), name, sex, birth date, parent, places as written (the
  kelurahan's code when a region list is given);
* **which PMT**: a toddler file's indication comes from its name
  (:func:`tumbuh.growth.pmt_sources.indication_from_file_name`) unless the caller gives
  it; a pregnancy file is always :attr:`Indication.PREGNANT_KEK`, with the reason it
  gives (KEK or at risk of it);
* **when**: a toddler file's start is its first measurement (``Tanggal Pengukuran
  Awal``; it has no end date); a pregnancy file has its first giving and its end;
* **money**: ``Sumber Anggaran`` mapped by :func:`~tumbuh.growth.pmt_sources.funding_from_text`
  (unknown text: other, with a warning), ``Mitra``, ``Siklus PMT``, ``Jumlah Pemantauan``;
* **numbers**: start and end weight and height, checked against what a child under five
  (or a pregnant woman) can weigh and measure, with grams for kg and mm for cm named;
  e-PPGBM's z-scores (``999.99``: none) and categories are kept for comparison only.
"""

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from tumbuh.errors import InputError
from tumbuh.growth.enums import Indicator, Sex
from tumbuh.growth.pmt import Funding, Indication
from tumbuh.growth.pmt_sources import funding_from_text, indication_from_file_name
from tumbuh.ingest import messages as check_msg
from tumbuh.ingest import pmt_messages as msg
from tumbuh.ingest.checks import date_cell, nik_cell, number_cell, sex_cell
from tumbuh.ingest.limits import FileLimitError, FileLimits
from tumbuh.ingest.plausibility import LENGTH, WEIGHT, MeasureRule, judge
from tumbuh.ingest.pmt_history_layout import (
    CATEGORY_FIELDS,
    HISTORY_HEADERS,
    REQUIRED,
    ZSCORE_FIELDS,
    HistoryField,
    HistoryHeader,
    HistoryKind,
    HistorySheet,
    read_history_sheet,
)
from tumbuh.ingest.reading import read_file
from tumbuh.ingest.regions import RegionMatcher, RegionRecord
from tumbuh.ingest.report import ImportReport, ReportLine, Severity, Word, line_order
from tumbuh.ingest.tabular import FileFormat, Row
from tumbuh.ingest.values import CellIssue, is_missing

F = HistoryField
# A pregnant woman weighs this much (kg): wide, so that no real woman is refused; grams
# written for kg (52000) land far above it.
MOTHER_WEIGHT_KG = (25.0, 200.0)
# Characters a cell of a field may hold (names as the registry keeps them); others 200.
TEXT_LIMITS: dict[HistoryField, int] = {F.NAME: 100, F.PARENT_NAME: 100, F.PARTNER: 200}
TEXT_LIMIT = 200
SHOWN_CHARACTERS = 40  # of an over-long cell, in the report
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
_NIK_MESSAGES = {
    CellIssue.SCIENTIFIC: check_msg.NIK_SCIENTIFIC,
    CellIssue.NUMBER_TRUNCATED: check_msg.NIK_TRUNCATED,
    CellIssue.WRONG_LENGTH: check_msg.NIK_WRONG_LENGTH,
    CellIssue.NOT_DIGITS: check_msg.NIK_NOT_DIGITS,
    CellIssue.PLACEHOLDER: check_msg.NIK_PLACEHOLDER,
}
_KIND_WORDS = {
    HistoryKind.TODDLER: msg.TODDLER_HISTORY,
    HistoryKind.PREGNANCY: msg.PREGNANCY_HISTORY,
}
_INDICATION_WORDS = {
    Indication.WASTED: "gizi kurang",
    Indication.UNDERWEIGHT: "BB kurang",
    Indication.FALTERING: "T",
    Indication.PREGNANT_KEK: "ibu hamil KEK",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ONE_NUMBER = re.compile(r"^\D*?(\d{1,4})\D*$")


class PregnancyReason(StrEnum):
    """``Alasan Diberi`` of a pregnancy history: KEK or at risk of it."""

    KEK = "kek"  # Kurang Energi Kronis
    RISK_KEK = "risk_kek"  # Risiko KEK


@dataclass(frozen=True)
class HistoryEpisode:
    """One row of a PMT history file without errors: an episode as e-PPGBM recorded it."""

    row: int  # as the spreadsheet shows it
    kind: HistoryKind
    indication: Indication
    nik: str
    name: str | None
    sex: Sex | None
    birth_date: date | None
    parent_name: str | None
    kecamatan: str | None  # as written
    kelurahan: str | None
    kelurahan_code: str | None  # when a region list was given and the name is known
    posyandu: str | None
    puskesmas: str | None
    started_on: date  # toddler: first measurement; pregnancy: first giving
    ended_on: date | None  # pregnancy only
    completed: bool | None  # pregnancy Status PMT: Selesai (True) or - (False)
    reason: PregnancyReason | None
    funding: Funding
    funding_text: str | None  # Sumber Anggaran as written
    partner: str | None
    cycle: int | None
    follow_ups: int | None
    start_weight_kg: float | None
    end_weight_kg: float | None
    start_height_cm: float | None
    end_height_cm: float | None
    eppgbm_start: dict[Indicator, float] = field(default_factory=dict)  # comparison only
    eppgbm_end: dict[Indicator, float] = field(default_factory=dict)
    start_categories: dict[Indicator, str] = field(default_factory=dict)  # as written
    end_categories: dict[Indicator, str] = field(default_factory=dict)
    growth_status: str | None = None  # Status Pertumbuhan, as written
    gain_status: str | None = None  # Status Kenaikan BB, as written
    result: str | None = None  # Hasil Pemberian MT, as written


@dataclass(frozen=True)
class PmtHistoryFile:
    """One PMT history file read: what it is, its episodes (rows without errors) and the
    report of every problem (the e-PPGBM import's form, so it is written the same way)."""

    name: str
    format: FileFormat | None
    sha256: str | None
    kind: HistoryKind | None
    indication: Indication | None
    header_row: int | None  # spreadsheet row of the header
    episodes: tuple[HistoryEpisode, ...]
    report: ImportReport
    labels: Mapping[HistoryField, str] = field(default_factory=dict)  # headers as written

    def label(self, name: HistoryField) -> str:
        """The header of ``name`` as the file wrote it (or as e-PPGBM names it)."""
        return self.labels.get(name) or HISTORY_HEADERS[name][0]


def read_pmt_history(
    path: Path,
    *,
    name: str | None = None,
    regions: Iterable[RegionRecord] = (),
    indication: Indication | None = None,
    today: date | None = None,
    limits: FileLimits | None = None,
) -> PmtHistoryFile:
    """Read and check one PMT history file (``name``: as the user called it, default the
    path's). ``indication`` overrides the file name's for a toddler file; ``regions``
    (the kota's) resolve kelurahan names to codes; ``today`` bounds the dates."""
    shown = name or path.name
    try:
        sheet = read_file(path, limits or FileLimits(), read_history_sheet)
    except FileLimitError:
        raise
    except InputError as error:
        line = _file_line(shown, error.template, error.params)
        return PmtHistoryFile(shown, None, None, None, None, None, (), _report([line], 0, 0))
    header = sheet.header
    if header is None or header.kind is None:
        line = _file_line(shown, msg.NOT_A_HISTORY)
        return _empty(shown, sheet, header, [line])
    chosen, problem = _indication(shown, header.kind, indication)
    if chosen is None:
        return _empty(shown, sheet, header, [problem] if problem else [])
    missing = [f for f in REQUIRED[header.kind] if f not in header.columns]
    if missing:
        lines = [
            _file_line(
                shown,
                msg.MISSING_HISTORY_COLUMN,
                {"column": header.label(f), "kind": Word(_KIND_WORDS[header.kind])},
                row=header.row_index + 1,
            )
            for f in missing
        ]
        return _empty(shown, sheet, header, lines, indication=chosen)
    reader = _RowReader(shown, header, chosen, RegionMatcher(regions), today or date.today())
    episodes = reader.read(sheet.rows)
    errors = {ln.row for ln in reader.lines if ln.severity is Severity.ERROR and ln.row}
    report = _report(reader.lines, reader.rows_read, reader.rows_read - len(errors))
    return PmtHistoryFile(
        shown,
        sheet.format,
        sheet.sha256,
        header.kind,
        chosen,
        header.row_index + 1,
        tuple(episodes),
        report,
        dict(header.labels),
    )


def _indication(
    name: str, kind: HistoryKind, given: Indication | None
) -> tuple[Indication | None, ReportLine | None]:
    if kind is HistoryKind.PREGNANCY:
        return Indication.PREGNANT_KEK, None
    found = given or indication_from_file_name(name)
    if found is None:
        return None, _file_line(name, msg.UNKNOWN_INDICATION)
    if found is Indication.PREGNANT_KEK:
        line = _file_line(
            name, msg.INDICATION_NOT_FOR_TODDLERS, {"indication": _INDICATION_WORDS[found]}
        )
        return None, line
    return found, None


def _empty(
    name: str,
    sheet: HistorySheet,
    header: HistoryHeader | None,
    lines: list[ReportLine],
    *,
    indication: Indication | None = None,
) -> PmtHistoryFile:
    return PmtHistoryFile(
        name,
        sheet.format,
        sheet.sha256,
        header.kind if header else None,
        indication,
        header.row_index + 1 if header else None,
        (),
        _report(lines, 0, 0),
    )


def _file_line(
    name: str, template: str, params: Mapping[str, object] | None = None, row: int | None = None
) -> ReportLine:
    return ReportLine(name, row, None, None, Severity.ERROR, template, dict(params or {}))


def _report(lines: list[ReportLine], read: int, valid: int) -> ImportReport:
    return ImportReport(tuple(sorted(lines, key=line_order)), read, valid)


@dataclass
class _Draft:
    """One row being read: its cells by field, and whether it has an error yet."""

    row: int
    cells: dict[HistoryField, object]
    has_error: bool = False
    too_long: set[HistoryField] = field(default_factory=set)  # cells not read further


# The column each attribute of an episode comes from (for the message naming them).
_ATTRIBUTE_FIELDS: dict[str, HistoryField] = {
    "name": F.NAME,
    "sex": F.SEX,
    "birth_date": F.BIRTH_DATE,
    "parent_name": F.PARENT_NAME,
    "kecamatan": F.KECAMATAN,
    "kelurahan": F.KELURAHAN,
    "kelurahan_code": F.KELURAHAN,
    "posyandu": F.POSYANDU,
    "puskesmas": F.PUSKESMAS,
    "ended_on": F.ENDED,
    "completed": F.STATUS,
    "reason": F.REASON,
    "funding": F.FUNDING,
    "funding_text": F.FUNDING,
    "partner": F.PARTNER,
    "cycle": F.CYCLE,
    "follow_ups": F.FOLLOW_UPS,
    "start_weight_kg": F.START_WEIGHT,
    "end_weight_kg": F.END_WEIGHT,
    "start_height_cm": F.START_HEIGHT,
    "end_height_cm": F.END_HEIGHT,
    "eppgbm_start": F.START_WAZ,
    "eppgbm_end": F.END_WAZ,
    "start_categories": F.START_WAZ_CATEGORY,
    "end_categories": F.END_WAZ_CATEGORY,
    "growth_status": F.GROWTH_STATUS,
    "gain_status": F.GAIN_STATUS,
    "result": F.RESULT,
}


class _RowReader:
    """Reads the data rows below the header, collecting report lines."""

    def __init__(
        self,
        name: str,
        header: HistoryHeader,
        indication: Indication,
        matcher: RegionMatcher,
        today: date,
    ) -> None:
        self.name = name
        self.header = header
        self.kind = header.kind or HistoryKind.TODDLER
        self.indication = indication
        self.matcher = matcher
        self.today = today
        self.lines: list[ReportLine] = []
        self.rows_read = 0

    def read(self, rows: list[Row]) -> list[HistoryEpisode]:
        """Every data row's episode (rows with errors left out; exact repeats read once)."""
        groups: dict[tuple[str, date], list[tuple[HistoryEpisode, _Draft]]] = {}
        columns = self.header.columns
        for index in range(self.header.row_index + 1, len(rows)):
            raw = rows[index]
            if all(c is None for c in raw):
                continue
            cells = {f: raw[c] if c < len(raw) else None for f, c in columns.items()}
            draft = _Draft(index + 1, cells)
            if all(is_missing(cells.get(f)) for f in (F.NIK, F.NAME, *REQUIRED[self.kind])):
                self._line(draft, None, check_msg.IGNORED_ROW, warning=True)
                continue
            self.rows_read += 1
            episode = self._episode(draft)
            if episode is not None and not draft.has_error:
                groups.setdefault((episode.nik, episode.started_on), []).append((episode, draft))
        return [kept for members in groups.values() if (kept := self._once(members))]

    def _once(self, members: list[tuple[HistoryEpisode, _Draft]]) -> HistoryEpisode | None:
        """The one episode of rows with one NIK and start: exact repeats are read once;
        rows that differ are all refused."""
        first, first_draft = members[0]
        if not any(_differences(first, other) for other, _ in members[1:]):
            for _, draft in members[1:]:
                self._line(draft, None, msg.REPEATED_ROW, warning=True, other=first.row)
            return first
        for episode, draft in members:
            other = members[1][0] if draft is first_draft else first
            labels = {self.header.label(_ATTRIBUTE_FIELDS[a]) for a in _differences(episode, other)}
            names = ", ".join(sorted(labels))
            self._line(draft, None, msg.REPEATED_CONFLICT, other=other.row, fields=names)
        return None

    # --- report lines --------------------------------------------------------------------

    def _line(
        self,
        draft: _Draft,
        where: HistoryField | None,
        template: str,
        *,
        warning: bool = False,
        **params: object,
    ) -> None:
        if not warning:
            draft.has_error = True
        value = draft.cells.get(where) if where else None
        if isinstance(value, str) and len(value) > SHOWN_CHARACTERS:
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

    def _episode(self, draft: _Draft) -> HistoryEpisode | None:
        """The row's episode; every cell is checked (all problems reported) before a row
        with an error gives None."""
        self._check_lengths(draft)
        nik = self._nik(draft)
        started = self._start(draft)
        ended = self._date(draft, F.ENDED) if self.kind is HistoryKind.PREGNANCY else None
        if started is not None and ended is not None and ended < started:
            self._line(draft, F.ENDED, msg.END_BEFORE_START, value=ended, start=started)
        born = self._date(draft, F.BIRTH_DATE, warning=True)
        if self.kind is HistoryKind.TODDLER and born and started and started < born:
            self._line(draft, F.BIRTH_DATE, check_msg.BEFORE_BIRTH, measured=started, born=born)
        weights = [self._weight(draft, f) for f in (F.START_WEIGHT, F.END_WEIGHT)]
        heights = [self._measure(draft, f, LENGTH, "cm") for f in (F.START_HEIGHT, F.END_HEIGHT)]
        funding, funding_text = self._funding(draft)
        sex, completed, reason = self._sex(draft), self._completed(draft), self._reason(draft)
        counts = self._count(draft, F.CYCLE, minimum=1), self._count(draft, F.FOLLOW_UPS, minimum=0)
        zscores = self._zscores(draft, "start"), self._zscores(draft, "end")
        if draft.has_error or nik is None or started is None:
            return None
        return HistoryEpisode(
            row=draft.row,
            kind=self.kind,
            indication=self.indication,
            nik=nik,
            name=_text(draft, F.NAME),
            sex=sex,
            birth_date=born,
            parent_name=_text(draft, F.PARENT_NAME),
            kecamatan=_text(draft, F.KECAMATAN),
            kelurahan=_text(draft, F.KELURAHAN),
            kelurahan_code=self._kelurahan_code(draft),
            posyandu=_text(draft, F.POSYANDU),
            puskesmas=_text(draft, F.PUSKESMAS),
            started_on=started,
            ended_on=ended,
            completed=completed,
            reason=reason,
            funding=funding,
            funding_text=funding_text,
            partner=_text(draft, F.PARTNER),
            cycle=counts[0],
            follow_ups=counts[1],
            start_weight_kg=weights[0],
            end_weight_kg=weights[1],
            start_height_cm=heights[0],
            end_height_cm=heights[1],
            eppgbm_start=zscores[0],
            eppgbm_end=zscores[1],
            start_categories=_categories(draft, "start"),
            end_categories=_categories(draft, "end"),
            growth_status=_text(draft, F.GROWTH_STATUS),
            gain_status=_text(draft, F.GAIN_STATUS),
            result=_text(draft, F.RESULT),
        )

    def _check_lengths(self, draft: _Draft) -> None:
        for name, raw in draft.cells.items():
            if isinstance(raw, str) and len(raw) > TEXT_LIMITS.get(name, TEXT_LIMIT):
                limit = TEXT_LIMITS.get(name, TEXT_LIMIT)
                column = self.header.label(name)
                self._line(draft, name, msg.TOO_LONG, column=column, length=len(raw), limit=limit)
                draft.cells[name] = None  # read no further
                draft.too_long.add(name)

    def _nik(self, draft: _Draft) -> str | None:
        raw = draft.cells.get(F.NIK)
        if F.NIK in draft.too_long:
            return None
        if is_missing(raw):
            self._line(draft, F.NIK, msg.NIK_REQUIRED)
            return None
        nik = nik_cell(raw)
        if nik.issue is not None:
            template = _NIK_MESSAGES[nik.issue]
            self._line(draft, F.NIK, template, value=raw, digits=nik.digits)
            return None
        return nik.value

    def _start(self, draft: _Draft) -> date | None:
        column = F.MEASURED_FIRST if self.kind is HistoryKind.TODDLER else F.GIVEN_FIRST
        if column in draft.too_long:
            return None
        if is_missing(draft.cells.get(column)):
            self._line(draft, column, msg.START_REQUIRED, column=self.header.label(column))
            return None
        return self._date(draft, column)

    def _date(self, draft: _Draft, name: HistoryField, *, warning: bool = False) -> date | None:
        raw = draft.cells.get(name)
        if is_missing(raw):
            return None
        cell = date_cell(raw)
        if cell.issue is not None:
            template = _DATE_MESSAGES[cell.issue]
            self._line(draft, name, template, warning=warning, value=raw, guess=cell.swapped)
            return None
        if cell.value is not None and cell.value > self.today and name is not F.BIRTH_DATE:
            self._line(draft, name, msg.START_IN_FUTURE, value=cell.value, today=self.today)
            return None
        return cell.value

    def _number(self, draft: _Draft, name: HistoryField) -> float | None:
        raw = draft.cells.get(name)
        if is_missing(raw):
            return None
        cell = number_cell(raw)
        if cell.issue is not None:
            self._line(draft, name, _NUMBER_MESSAGES[cell.issue], value=raw, guess=cell.guess)
            return None
        if cell.value == 0:
            self._line(draft, name, check_msg.PLACEHOLDER, value=raw)
            return None
        return cell.value

    def _measure(
        self, draft: _Draft, name: HistoryField, rule: MeasureRule, unit: str
    ) -> float | None:
        """A child's weight or length/height, judged by the envelope (no date: no age)."""
        value = self._number(draft, name)
        if value is None:
            return None
        verdict = judge(value, rule, math.nan, math.nan)
        if verdict is None:
            return value
        low, high = rule.envelope
        if verdict.guess is not None:
            self._line(
                draft, name, check_msg.SLIP_UNKNOWN_AGE, value=value, unit=unit, guess=verdict.guess
            )
        else:
            self._line(
                draft, name, check_msg.OUTSIDE_ENVELOPE, value=value, unit=unit, low=low, high=high
            )
        return None

    def _weight(self, draft: _Draft, name: HistoryField) -> float | None:
        if self.kind is HistoryKind.TODDLER:
            return self._measure(draft, name, WEIGHT, "kg")
        value = self._number(draft, name)
        low, high = MOTHER_WEIGHT_KG
        if value is None or low <= value <= high:
            return value
        grams = value / 1000
        if low <= grams <= high:
            template = msg.WEIGHT_GRAMS_MOTHER
            self._line(draft, name, template, value=value, low=low, high=high, guess=grams)
        else:
            self._line(
                draft, name, msg.WEIGHT_NOT_PLAUSIBLE_MOTHER, value=value, low=low, high=high
            )
        return None

    def _zscores(self, draft: _Draft, time: str) -> dict[Indicator, float]:
        """e-PPGBM's own z-scores: 999.99 (none) skipped, anything else unreadable warned."""
        found: dict[Indicator, float] = {}
        for indicator, name in ZSCORE_FIELDS[time].items():
            raw = draft.cells.get(name)
            if is_missing(raw):
                continue
            cell = number_cell(raw)
            if cell.issue is CellIssue.PLACEHOLDER:
                continue
            if cell.issue is CellIssue.NEGATIVE and cell.guess is not None:
                if cell.guess < 999:
                    found[indicator] = -cell.guess
                continue
            if cell.value is None:
                self._line(draft, name, check_msg.OPTIONAL_NOT_A_NUMBER, warning=True, value=raw)
                continue
            found[indicator] = cell.value
        return found

    def _funding(self, draft: _Draft) -> tuple[Funding, str | None]:
        text = _text(draft, F.FUNDING)
        if text is None:
            return Funding.OTHER, None
        funding = funding_from_text(text)
        if funding is None:
            self._line(draft, F.FUNDING, msg.UNKNOWN_FUNDING, warning=True, value=text)
            return Funding.OTHER, text
        return funding, text

    def _count(self, draft: _Draft, name: HistoryField, *, minimum: int) -> int | None:
        raw = draft.cells.get(name)
        if is_missing(raw):
            return None
        cell = number_cell(raw)
        value: float | None = cell.value
        if value is None and (found := _ONE_NUMBER.match(str(raw).strip())):
            value = float(found[1])  # "Siklus 2", "2 kali"
        if value is None or not value.is_integer() or value < minimum:
            column = self.header.label(name)
            self._line(draft, name, msg.NOT_A_COUNT, warning=True, value=raw, column=column)
            return None
        return int(value)

    def _sex(self, draft: _Draft) -> Sex | None:
        raw = draft.cells.get(F.SEX)
        if is_missing(raw):
            return None
        sex = sex_cell(raw)
        if sex is None:
            self._line(draft, F.SEX, check_msg.UNKNOWN_SEX, warning=True, value=raw)
        return sex

    def _reason(self, draft: _Draft) -> PregnancyReason | None:
        text = _text(draft, F.REASON)
        if text is None:
            return None
        words = text.lower()
        if "risiko" in words or "resiko" in words:
            return PregnancyReason.RISK_KEK
        if "kek" in words.split() or "kurang energi kronis" in " ".join(words.split()):
            return PregnancyReason.KEK
        self._line(draft, F.REASON, msg.UNKNOWN_REASON, warning=True, value=text)
        return None

    def _completed(self, draft: _Draft) -> bool | None:
        if self.kind is not HistoryKind.PREGNANCY:
            return None
        text = _text(draft, F.STATUS)
        if text is None:
            return False  # "-" or empty: still running, or not marked
        if text.lower() == "selesai":
            return True
        self._line(draft, F.STATUS, msg.UNKNOWN_STATUS, warning=True, value=text)
        return None

    def _kelurahan_code(self, draft: _Draft) -> str | None:
        name = _text(draft, F.KELURAHAN)
        if name is None or not self.matcher.regions:
            return None
        kecamatan_name = _text(draft, F.KECAMATAN)
        parent = self.matcher.kecamatan(kecamatan_name).region if kecamatan_name else None
        found = self.matcher.kelurahan(name, parent.code if parent else None).region
        return found.code if found else None


def _text(draft: _Draft, name: HistoryField) -> str | None:
    """The cell as trimmed text without control characters (None when empty)."""
    raw = draft.cells.get(name)
    if is_missing(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return " ".join(_CONTROL.sub(" ", str(raw)).split()) or None


def _categories(draft: _Draft, time: str) -> dict[Indicator, str]:
    found = {i: _text(draft, name) for i, name in CATEGORY_FIELDS[time].items()}
    return {i: text for i, text in found.items() if text is not None}


def _differences(a: HistoryEpisode, b: HistoryEpisode) -> list[str]:
    """The attributes (other than the row) in which two episodes differ."""
    return [name for name in _ATTRIBUTE_FIELDS if getattr(a, name) != getattr(b, name)]
