"""Writing the import report: ``.csv`` (the problem lines) or ``.xlsx`` (lines, the
original rows with their problems beside them, and a summary).

The .xlsx copy of each file keeps every row where it was (title block and header
included), so ``baris`` in the report is also the row in the copy, and the copy can be
corrected and imported again: the two columns Tumbuh adds are not e-PPGBM headers and
are ignored on import. Problem cells are filled red (error) or yellow (warning).

Cells as written in users' files are never formulas (:mod:`tumbuh.sheet_text`): in the
.xlsx they are string cells (quote prefix where they start like a formula), in the
.csv such text gets a leading ``'``.
"""

import csv
import re
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from tumbuh.errors import InputError
from tumbuh.i18n import Language, translations
from tumbuh.ingest.report import (
    REPORT_COLUMNS,
    ImportReport,
    OriginalSheet,
    ReportLine,
    Severity,
    format_value,
)
from tumbuh.ingest.tabular import EXCEL_MAX_ROWS
from tumbuh.labels import INDICATOR_LABELS
from tumbuh.sheet_text import csv_cell, starts_like_formula

ADDED_COLUMNS = ("Tumbuh: tingkat", "Tumbuh: masalah")
QUOTED = "quoted"  # second part of the key of a quote-prefix style
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def write_report(report: ImportReport, path: Path, language: Language = Language.ID) -> None:
    """Write ``report`` as .csv or .xlsx, chosen by the extension of ``path``."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        _write_csv(report, path, language)
    elif suffix == ".xlsx":
        _write_xlsx(report, path, language)
    else:
        raise InputError("{name}: unsupported report type; use .csv or .xlsx", name=path.name)


def _write_csv(report: ImportReport, path: Path, language: Language) -> None:
    # UTF-8 with a byte-order mark, so that Excel shows Indonesian text correctly.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_COLUMNS)
        for line in report.lines:
            writer.writerow(["" if c is None else csv_cell(c) for c in line.cells(language)])


def _write_xlsx(report: ImportReport, path: Path, language: Language) -> None:
    gettext = translations(language).gettext
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False}
    )
    fills: dict[Severity | None, dict[str, str]] = {
        None: {},
        Severity.ERROR: {"bg_color": "#F8CBAD"},
        Severity.WARNING: {"bg_color": "#FFE699"},
    }
    styles: dict[Any, Any] = {
        "bold": workbook.add_format({"bold": True}),
        "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
    }
    for level, fill in fills.items():  # (level, QUOTED): text that starts like a formula
        styles[level] = workbook.add_format(fill) if fill else None
        styles[level, QUOTED] = workbook.add_format({**fill, "quote_prefix": True})
    lines = workbook.add_worksheet(gettext("Problems"))
    lines.freeze_panes(1, 0)
    lines.set_column(0, 0, 24)
    lines.set_column(1, 3, 12)
    lines.set_column(4, 4, 10)
    lines.set_column(5, 5, 100)
    for col, name in enumerate(REPORT_COLUMNS):
        lines.write_string(0, col, name, styles["bold"])
    for row, line in enumerate(report.lines, start=1):
        for col, cell in enumerate(line.cells(language)):
            if isinstance(cell, int):
                lines.write_number(row, col, cell)
            elif cell:
                _write_cell(lines, row, col, cell, None, styles)
    lines.autofilter(0, 0, max(len(report.lines), 1), len(REPORT_COLUMNS) - 1)
    names: set[str] = {gettext("Problems"), gettext("Summary")}
    for original in report.originals:
        by_row = defaultdict(list)
        for line in report.lines:
            if line.file_index == original.file_index and line.row is not None:
                by_row[line.row].append(line)
        _write_original(workbook, original, by_row, styles, _sheet_name(original, names), language)
    _write_summary(workbook.add_worksheet(gettext("Summary")), report, styles, language)
    workbook.close()


def _sheet_name(original: OriginalSheet, taken: set[str]) -> str:
    base = _SHEET_NAME.sub("_", Path(original.file).stem)[:28] or "Data"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base[:26]} {n}"
    taken.add(name)
    return name


def _write_original(
    workbook: xlsxwriter.Workbook,
    original: OriginalSheet,
    by_row: dict[int, list[ReportLine]],
    styles: dict[Any, Any],
    name: str,
    language: Language,
) -> None:
    """The file's rows as read, each with its problems in two added columns."""
    if len(original.rows) >= EXCEL_MAX_ROWS:
        raise InputError(
            "{rows} rows do not fit in one Excel sheet (at most {limit}); "
            "write a .csv file instead",
            rows=len(original.rows),
            limit=EXCEL_MAX_ROWS - 1,
        )
    sheet = workbook.add_worksheet(name)
    header = list(original.rows[original.header_index])
    width = len(header)
    positions = {str(c).strip(): i for i, c in enumerate(header) if c is not None}
    sheet.freeze_panes(original.header_index + 1, 0)
    for index, row in enumerate(original.rows):
        problems = by_row.get(index + 1, [])
        marked = {
            positions.get(line.column or ""): line.severity
            for line in sorted(problems, key=lambda ln: ln.severity is Severity.ERROR)
        }
        for col, cell in enumerate(row):
            _write_cell(sheet, index, col, cell, marked.get(col), styles)
        if index == original.header_index:
            for offset, added in enumerate(ADDED_COLUMNS):
                sheet.write_string(index, width + offset, added, styles["bold"])
        elif problems:
            worst = Severity.ERROR if any(p.severity is Severity.ERROR for p in problems) else None
            level = translations(language).gettext((worst or Severity.WARNING).value)
            text = "\n".join(_located(p, language) for p in problems)
            sheet.write_string(index, width, level, styles[worst or Severity.WARNING])
            sheet.write_string(index, width + 1, text)


def _located(line: ReportLine, language: Language) -> str:
    return f"{line.column}: {line.message(language)}" if line.column else line.message(language)


def _write_cell(
    sheet: Any, row: int, col: int, cell: object, level: Severity | None, styles: dict[Any, Any]
) -> None:
    """One cell as read, filled for its problem ``level``; text stays text."""
    style = styles[level]
    if cell is None:
        if style is not None:
            sheet.write_blank(row, col, None, style)
    elif isinstance(cell, bool):
        sheet.write_boolean(row, col, cell, style)
    elif isinstance(cell, int | float):
        sheet.write_number(row, col, cell, style)
    elif isinstance(cell, datetime | date):
        value = cell if isinstance(cell, datetime) else datetime(cell.year, cell.month, cell.day)
        sheet.write_datetime(row, col, value, style or styles["date"])
    else:
        text = str(cell)
        quoted = styles[level, QUOTED] if starts_like_formula(text) else style
        sheet.write_string(row, col, text, quoted)


def _write_summary(
    sheet: Any, report: ImportReport, styles: dict[Any, Any], lang: Language
) -> None:
    gettext = translations(lang).gettext
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 7, 16)
    rows: list[list[object]] = [
        [gettext("Rows read"), report.rows_read],
        [gettext("Rows without errors"), report.rows_valid],
        [gettext("Rows with errors"), report.rows_with_errors],
        [gettext("Errors"), len(report.errors)],
        [gettext("Warnings"), len(report.warnings)],
        [],
        [
            gettext("e-PPGBM z-scores compared with Tumbuh's"),
            gettext("Rows compared"),
            gettext("Differ by more than 0.1"),
            gettext("Largest difference"),
            gettext("Mean difference (e-PPGBM minus Tumbuh)"),
            gettext("Category differs"),
            gettext("e-PPGBM has no z-score"),
        ],
    ]
    for summary in report.comparisons:
        rows.append(
            [
                INDICATOR_LABELS[summary.indicator],
                summary.compared,
                summary.differing,
                summary.max_difference,
                summary.mean_difference,
                summary.category_disagreements,
                summary.eppgbm_missing,
            ]
        )
    if report.region_spellings:
        rows += [[], [gettext("Region name as written"), gettext("Read as")]]
        rows += [[w, official] for (_, w), official in sorted(report.region_spellings.items())]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value is not None:  # labels, and region names as the files wrote them
                text = format_value(value, lang)
                style = styles["bold"] if c == 0 else None
                quoted = starts_like_formula(text)
                sheet.write_string(r, c, text, styles[None, QUOTED] if quoted else style)
