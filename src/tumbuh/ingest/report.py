"""The import report: one line per problem, in the user's language, as .csv or .xlsx.

Lines keep an English message template and its parameters (like ``TumbuhError``); the
text is made only when the report is rendered, so the same report reads in Bahasa
Indonesia or English. Columns: ``berkas`` (file), ``baris`` (row as the spreadsheet
shows it), ``kolom`` (the header as the file wrote it), ``nilai`` (the cell as written),
``tingkat`` (error or warning) and ``masalah`` (the problem and what to do).
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from babel.numbers import format_decimal

from tumbuh.growth.enums import Indicator
from tumbuh.i18n import Language, translations

REPORT_COLUMNS = ("berkas", "baris", "kolom", "nilai", "tingkat", "masalah")
_LOCALES = {Language.ID: "id_ID", Language.EN: "en_US"}


class Severity(StrEnum):
    """Errors block the import (unless rows with errors are skipped); warnings never do."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class ReportLine:
    """One problem: where, what was found, how bad, and the message (template + params)."""

    file: str
    row: int | None  # None for a problem of the whole file
    column: str | None
    value: object
    severity: Severity
    template: str
    params: Mapping[str, object] = field(default_factory=dict)
    file_index: int = 0
    column_index: int = -1  # position of the column in the file, for ordering

    def message(self, language: Language = Language.ID) -> str:
        """The problem and what to do, in ``language`` (numbers and dates formatted)."""
        gettext = translations(language).gettext
        params = {k: format_value(v, language) for k, v in self.params.items()}
        return gettext(self.template).format(**params)

    def cells(self, language: Language = Language.ID) -> tuple[str, int | None, str, str, str, str]:
        """The report's six columns for this line."""
        gettext = translations(language).gettext
        return (
            self.file,
            self.row,
            self.column or "",
            format_value(self.value, language),
            gettext(self.severity.value),
            self.message(language),
        )


class Word(str):
    """A message parameter that is itself a message id (translated when rendered)."""

    __slots__ = ()


@dataclass(frozen=True)
class Labelled:
    """A message parameter ``label value`` (``Berat 11,2``); None renders as "empty"."""

    label: str
    value: object


@dataclass(frozen=True)
class Listing:
    """A message parameter listing several values, rendered joined by ``"; "``."""

    items: tuple[object, ...]


def format_value(  # noqa: PLR0911 - one return per kind of value
    value: object, language: Language = Language.ID
) -> str:
    """A cell or parameter as users write it: ``10,5`` (id), ``17/08/2024``, text as is."""
    if value is None:
        return ""
    if isinstance(value, Word):
        return translations(language).gettext(str(value))
    if isinstance(value, Listing):
        return "; ".join(format_value(item, language) for item in value.items)
    if isinstance(value, Labelled):
        shown = Word("empty") if value.value is None else value.value
        return f"{value.label} {format_value(shown, language)}"
    label = getattr(value, "label", None)
    if callable(label):  # a Permenkes category: its label in the reader's language
        return str(label(language.value))
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            value = int(value)
        else:
            return str(format_decimal(value, format="#,##0.###", locale=_LOCALES[language]))
    if isinstance(value, int):
        return str(value)
    return str(value)


@dataclass(frozen=True)
class ComparisonSummary:
    """How e-PPGBM's own z-scores in the file agree with Tumbuh's, for one indicator."""

    indicator: Indicator
    compared: int  # rows where both have a z-score
    differing: int  # |difference| > 0.1
    max_difference: float | None
    mean_difference: float | None  # e-PPGBM minus Tumbuh
    category_disagreements: int  # Permenkes category differs
    eppgbm_missing: int  # e-PPGBM wrote 999.99 or nothing where Tumbuh has a z-score


@dataclass(frozen=True)
class OriginalSheet:
    """The rows of one file as read (title block and header included), for the report's
    copy of the file with the problems beside each row."""

    file: str
    file_index: int
    sheet: str
    rows: Sequence[Sequence[object]]
    header_index: int  # index of the header row in ``rows``


@dataclass(frozen=True)
class ImportReport:
    """Every problem found, plus the counts a summary needs."""

    lines: tuple[ReportLine, ...]
    rows_read: int
    rows_valid: int  # rows without errors (they may have warnings)
    comparisons: tuple[ComparisonSummary, ...] = ()
    region_spellings: Mapping[tuple[str, str], str] = field(default_factory=dict)
    originals: tuple[OriginalSheet, ...] = ()

    @property
    def errors(self) -> tuple[ReportLine, ...]:
        """The lines that block an import."""
        return tuple(line for line in self.lines if line.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[ReportLine, ...]:
        """The lines that do not block an import."""
        return tuple(line for line in self.lines if line.severity is Severity.WARNING)

    @property
    def has_errors(self) -> bool:
        """True when at least one line is an error."""
        return any(line.severity is Severity.ERROR for line in self.lines)

    @property
    def rows_with_errors(self) -> int:
        """Rows that have at least one error."""
        return len({(ln.file_index, ln.row) for ln in self.errors if ln.row is not None})

    def counts(self) -> Counter[tuple[Severity, str]]:
        """Lines per (severity, message template), for a short summary."""
        return Counter((line.severity, line.template) for line in self.lines)

    def with_lines(self, extra: Sequence[ReportLine]) -> "ImportReport":
        """This report with ``extra`` lines (found later, e.g. against the database) added
        in their place; rows that now have an error no longer count as valid."""
        if not extra:
            return self
        before = {(ln.file_index, ln.row) for ln in self.errors if ln.row is not None}
        added = {
            (ln.file_index, ln.row)
            for ln in extra
            if ln.severity is Severity.ERROR and ln.row is not None
        }
        return replace(
            self,
            lines=tuple(sorted((*self.lines, *extra), key=line_order)),
            rows_valid=self.rows_valid - len(added - before),
        )


def line_order(line: ReportLine) -> tuple[int, int, int, bool]:
    """Report order: file, row (whole-file lines first), column, errors before warnings."""
    return (
        line.file_index,
        -1 if line.row is None else line.row,
        line.column_index,
        line.severity is not Severity.ERROR,
    )
