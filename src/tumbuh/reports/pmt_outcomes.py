"""The PMT outcome evaluation as tables for the .xlsx download (web and command line):
one sheet per grouping (the whole area, kitchens, kelurahan, funding, indications), a row
per group with its counts, the naive before/after figure of all the fed children, and for
each measure the fed, the comparable children not fed, the difference and its 95 %
interval; a row with too few children has its counts and the sentence saying so, and no
figure (docs/pmt.md, "Outcomes").

The rows are plain data (:class:`OutcomeSheetRow`: any object with these attributes, such
as :class:`tumbuh.usecases.pmt_outcomes.OutcomeRow`). Recovery is written in percent and
its difference in percentage points.
"""

import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from tumbuh.episode_labels import (
    EXIT_NAMES,
    GROUP_COLUMNS,
    GROUP_NAMES,
    MEASURE_NAMES,
    group_label,
    too_few_text,
)
from tumbuh.growth.pmt import EpisodeExit
from tumbuh.growth.pmt_comparison import OutcomeGroup, SampleSize
from tumbuh.growth.pmt_outcomes import Measure
from tumbuh.i18n import Language, translations
from tumbuh.reports.tables import Cell, Column, ColumnKind, Table
from tumbuh.reports.xlsx import write_workbook

Gettext = Callable[[str], str]


class EstimateLike(Protocol):
    """One measure of a row."""

    @property
    def fed(self) -> float | None: ...
    @property
    def comparison(self) -> float | None: ...
    @property
    def difference(self) -> float | None: ...
    @property
    def lower(self) -> float | None: ...
    @property
    def upper(self) -> float | None: ...


class OutcomeSheetRow(Protocol):
    """What the sheet reads of a group."""

    @property
    def grouping(self) -> OutcomeGroup: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def n_enrolled(self) -> int: ...
    @property
    def n_followed(self) -> int: ...
    @property
    def n_matched(self) -> int: ...
    @property
    def n_controls(self) -> int: ...
    @property
    def reason(self) -> SampleSize: ...
    @property
    def adherence(self) -> float | None: ...
    @property
    def exits(self) -> Mapping[EpisodeExit, int]: ...
    @property
    def before_after(self) -> Mapping[Measure, float | None]: ...
    @property
    def compared(self) -> Mapping[Measure, EstimateLike]: ...


def _scale(measure: Measure) -> float:
    return 100.0 if measure is Measure.RECOVERED else 1.0


def _columns(group: OutcomeGroup, _: Gettext) -> tuple[Column, ...]:
    whole = ColumnKind.INTEGER
    columns = [
        Column(_(GROUP_COLUMNS[group])),
        Column(_("Fed children"), whole),
        Column(_("With a follow-up weighing"), whole),
        Column(_("Compared"), whole),
        Column(_("Comparable children not fed"), whole),
        Column(_("Adherence (%)"), ColumnKind.DECIMAL, places=0),
        Column(_("Outcomes as recorded")),
    ]
    parts = (
        _("all fed, before/after"),
        _("fed"),
        _("comparable children not fed"),
        _("difference"),
        _("95 % interval from"),
        _("95 % interval to"),
    )
    for measure in Measure:
        places = 1 if measure is Measure.RECOVERED else 2
        name = _(MEASURE_NAMES[measure]) + (" (%)" if measure is Measure.RECOVERED else "")
        columns += [Column(f"{name}: {part}", ColumnKind.DECIMAL, places=places) for part in parts]
    columns.append(Column(_("Note")))
    return tuple(columns)


def _times(value: float | None, scale: float) -> float | None:
    return None if value is None else value * scale


def _row(row: OutcomeSheetRow, limits: tuple[int, int], _: Gettext) -> tuple[Cell, ...]:
    exits = ", ".join(f"{_(EXIT_NAMES[e])} {n}" for e, n in row.exits.items() if n)
    cells: list[Cell] = [
        group_label(row.grouping, row.code, row.name, _),
        row.n_enrolled,
        row.n_followed,
        row.n_matched,
        row.n_controls,
        _times(row.adherence, 100.0),
        exits or None,
    ]
    for measure in Measure:
        scale = _scale(measure)
        found = row.compared[measure]
        cells += [
            _times(row.before_after[measure], scale),
            _times(found.fed, scale),
            _times(found.comparison, scale),
            _times(found.difference, scale),
            _times(found.lower, scale),
            _times(found.upper, scale),
        ]
    cells.append(too_few_text(row.reason, limits, _) or None)
    return tuple(cells)


def outcome_tables(
    rows: Mapping[OutcomeGroup, Sequence[OutcomeSheetRow]],
    *,
    title: str,
    limits: tuple[int, int],
    gettext: Gettext,
) -> list[Table]:
    """One sheet per grouping, in the order of ``rows``; ``limits`` the least matched
    episodes and comparison children a row needs for a figure."""
    _ = gettext
    note = _(
        "Fed children compared with children eligible in the same month who were not fed, "
        "alike in indication, sex, age band and starting z-score (within 0.25); 95 % "
        "intervals. Recovery in percent, its difference in percentage points."
    )
    return [
        Table(
            f"{title}: {_(GROUP_NAMES[group])}",
            _columns(group, gettext),
            tuple(_row(r, limits, gettext) for r in found),
            note,
            _(GROUP_NAMES[group]),
        )
        for group, found in rows.items()
    ]


def write_outcome_workbook(
    rows: Mapping[OutcomeGroup, Sequence[OutcomeSheetRow]],
    target: Path | io.BytesIO,
    *,
    title: str,
    limits: tuple[int, int],
    language: Language,
) -> None:
    """The evaluation as an .xlsx workbook, one sheet per grouping."""
    gettext = translations(language).gettext
    tables = outcome_tables(rows, title=title, limits=limits, gettext=gettext)
    write_workbook(tables, target, language=language)
