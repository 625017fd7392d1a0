"""``tumbuh zscore``: WHO z-scores for every row of a CSV or Excel file."""

from collections import Counter
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from tumbuh.cli import app
from tumbuh.cli._common import (
    AgeInMonthsOption,
    InputFileArgument,
    OutputFileOption,
    StandardOption,
)
from tumbuh.config import load_settings
from tumbuh.formatting import format_integer
from tumbuh.growth.enums import Indicator, Problem, Standard
from tumbuh.growth.frame import (
    PROBLEM_COLUMN,
    WHO2006_INPUT_COLUMNS,
    WHO2007_INPUT_COLUMNS,
    scored_frame,
)
from tumbuh.growth.problems import PROBLEM_COLUMNS, PROBLEM_SHORT_NAMES
from tumbuh.i18n import Language, translations
from tumbuh.ingest import eppgbm
from tumbuh.ingest.tabular import normalise_header, read_table, write_table

CHUNK_ROWS = 100_000
_KNOWN_HEADERS = {
    normalise_header(h) for h in (*WHO2006_INPUT_COLUMNS, *WHO2007_INPUT_COLUMNS, "age_days")
} | {key for keys in eppgbm.EPPGBM_HEADERS.values() for key in keys}


@app.command("zscore")
def zscore_command(
    input_file: InputFileArgument,
    output: OutputFileOption,
    standard: StandardOption = Standard.WHO2006,
    age_in_months: AgeInMonthsOption = False,
    unrounded: Annotated[
        bool, typer.Option("--unrounded", help="Write z-scores without the 2-decimal rounding.")
    ] = False,
) -> None:
    """Compute WHO z-scores, flags and Permenkes 2/2020 categories for every row.

    Accepts WHO anthro's input columns (sex, age, is_age_in_month or age_days, weight,
    lenhei, measure, oedema, headc, armc, triskin, subskin), anthroplus's with
    --standard who2007 (sex, age_in_months, oedema, height_in_cm, weight_in_kg), or an
    e-PPGBM export (JK, Tgl Lahir, Tanggal Pengukuran, Berat, Tinggi, Cara Ukur, LiLA,
    Edema as ya/tidak).
    Writes every input column, then anthro's output columns, the categories and a
    'problem' column for rows that could not be scored.
    """
    language = Language(load_settings().language)
    gettext = translations(language).gettext
    console = Console()
    table = read_table(input_file, known_headers=_KNOWN_HEADERS)
    inputs, labels, problems = table, None, None
    if standard is Standard.WHO2006 and eppgbm.is_eppgbm(table.columns):
        converted = eppgbm.to_anthro_inputs(table)
        inputs, labels, problems = converted.frame, converted.labels, converted.problems
    parts: list[pd.DataFrame] = []
    problem_bits: list[np.ndarray] = []
    with Progress(console=console, transient=True, disable=len(table) <= CHUNK_ROWS) as bar:
        task = bar.add_task(gettext("Computing z-scores"), total=len(table))
        for start in range(0, max(len(table), 1), CHUNK_ROWS):
            chunk = slice(start, start + CHUNK_ROWS)
            scored, bits = scored_frame(
                inputs.iloc[chunk],
                standard=standard,
                age_in_months=age_in_months,
                unrounded=unrounded,
                language=language.value,
                translate=gettext,
                column_labels=labels,
                problems=None if problems is None else problems[chunk],
            )
            parts.append(scored)
            problem_bits.append(bits)
            bar.advance(task, len(scored))
    result = pd.concat(parts)
    # Input columns named like an output column (a file that was scored before) are
    # replaced by the new values rather than repeated.
    kept = table.drop(columns=[c for c in table.columns if c in result.columns])
    write_table(pd.concat([kept, result], axis=1), output, sheet_name="zscores")
    counts = _problem_counts(np.concatenate(problem_bits), labels or {})
    _print_summary(console, result, counts, standard, output, language)


def _problem_counts(bits: np.ndarray, labels: dict[str, str]) -> Counter[tuple[str, str]]:
    """Rows per (column as the user named it, kind of problem)."""
    counts: Counter[tuple[str, str]] = Counter()
    for problem in Problem:
        n = int(np.count_nonzero(bits & np.uint32(problem)))
        if n:
            column = PROBLEM_COLUMNS[problem]
            counts[(labels.get(column, column), PROBLEM_SHORT_NAMES[problem])] += n
    return counts


def _print_summary(
    console: Console,
    result: pd.DataFrame,
    counts: Counter[tuple[str, str]],
    standard: Standard,
    output: Path,
    language: Language,
) -> None:
    """Rows, rows refused by kind of problem, flagged z-scores per indicator."""
    gettext = translations(language).gettext

    def number(value: int) -> str:
        return format_integer(value, language)

    summary = Table(title=gettext("Summary"), show_header=False)
    summary.add_row(gettext("Rows"), number(len(result)))
    refused = result[PROBLEM_COLUMN].notna()
    summary.add_row(gettext("Rows with problems (no z-scores)"), number(int(refused.sum())))
    for (column, kind), count in sorted(counts.items()):
        summary.add_row(f"  {column}: {gettext(kind)}", number(count))
    names = (
        [i.anthro_name for i in Indicator]
        if standard is Standard.WHO2006
        else [i.anthroplus_name for i in (Indicator.HAZ, Indicator.WAZ, Indicator.BAZ)]
    )
    for name in names:
        flags = result[f"f{name}"]
        flagged = int(np.nansum(flags.to_numpy(dtype=float, na_value=np.nan)))
        summary.add_row(
            gettext("Flagged z{name}").format(name=name),
            f"{number(flagged)} / {number(int(flags.notna().sum()))}",
        )
    summary.add_row(gettext("Written to"), str(output))
    console.print(summary)
