"""``tumbuh prevalence``: WHO anthro's prevalence table for a file of measurements."""

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from tumbuh.cli import app
from tumbuh.cli._common import (
    AgeInMonthsOption,
    InputFileArgument,
    OutputFileOption,
    StandardOption,
)
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.formatting import format_decimal_places, format_integer
from tumbuh.growth.enums import Indicator, Standard
from tumbuh.growth.frame import WHO2006_INPUT_COLUMNS, WHO2007_INPUT_COLUMNS
from tumbuh.growth.prevalence import (
    OVERWEIGHT,
    STUNTING,
    UNDERWEIGHT,
    WASTING,
    Outcome,
    PrevalenceTable,
    cutoff,
)
from tumbuh.growth.prevalence_frame import (
    AnthroOptions,
    ColumnProblem,
    PrevalenceRun,
    anthro_prevalence,
    design_problems,
)
from tumbuh.growth.prevalence_groups import DERIVED_KEYS, OPTIONAL_GROUPINGS
from tumbuh.growth.survey import Estimator
from tumbuh.growth.types import UInt32Array
from tumbuh.i18n import Language, translations
from tumbuh.ingest import eppgbm
from tumbuh.ingest.tabular import normalise_header, read_table, write_table

_INPUTS = {
    Standard.WHO2006: (*WHO2006_INPUT_COLUMNS, "age_days"),
    Standard.WHO2007: WHO2007_INPUT_COLUMNS,
}
# Headline figures printed after a run: outcome and its label (a message id).
_WHO2006_HEADLINES: tuple[tuple[Outcome, str], ...] = (
    (STUNTING, "Stunting (HAZ < -2)"),
    (WASTING, "Wasting (WHZ < -2)"),
    (UNDERWEIGHT, "Underweight (WAZ < -2)"),
    (OVERWEIGHT, "Overweight (WHZ > +2)"),
)
_WHO2007_HEADLINES: tuple[tuple[Outcome, str], ...] = (
    (cutoff(Indicator.HAZ, -2), "Stunting (HAZ < -2)"),
    (cutoff(Indicator.BAZ, -2), "Thinness (BAZ < -2)"),
    (cutoff(Indicator.BAZ, 1), "Overweight (BAZ > +1)"),
)
_ESTIMATORS = {
    Estimator.SIMPLE: "every child counts once (no sampling weights, strata or clusters)",
    Estimator.WEIGHTED: "sampling weights, no strata or clusters",
    Estimator.DESIGN: "stratified cluster design (Taylor linearisation)",
}


@app.command("prevalence")
def prevalence_command(  # noqa: PLR0913, PLR0917 - Typer: one parameter per option
    input_file: InputFileArgument,
    output: OutputFileOption,
    standard: StandardOption = Standard.WHO2006,
    age_in_months: AgeInMonthsOption = False,
    weights: Annotated[
        str | None, typer.Option("--weights", help="Column of sampling weights (anthro's sw).")
    ] = None,
    strata: Annotated[str | None, typer.Option(help="Column of strata.")] = None,
    cluster: Annotated[
        str | None, typer.Option(help="Column of clusters (primary sampling units).")
    ] = None,
    typeres: Annotated[
        str | None, typer.Option(help="Column of the type of residence (rows 'Area: ...').")
    ] = None,
    gregion: Annotated[
        str | None, typer.Option(help="Column of the region (rows 'Geographical region: ...').")
    ] = None,
    wealthq: Annotated[
        str | None,
        typer.Option(help="Column of wealth quintiles 1-5 or Q1-Q5 (rows 'Wealth quintile: ...')."),
    ] = None,
    mothered: Annotated[
        str | None,
        typer.Option(help="Column of the mother's education (rows 'Maternal education: ...')."),
    ] = None,
    othergr: Annotated[
        str | None, typer.Option(help="Column of any other grouping (rows 'Other grouping: ...').")
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            help="Also estimate by this column (repeatable); 'a,b' for each combination. "
            "'sex' and 'age_group' mean anthro's sex and age groups.",
        ),
    ] = None,
) -> None:
    """Prevalence of stunting, wasting, underweight and overweight, as WHO anthro computes it.

    Reads anthro's input columns (or anthroplus's with --standard who2007, or an
    e-PPGBM export), computes z-scores, and writes anthro_prevalence's table: for each
    group (All, age groups, sex, and the optional groupings) the share of children
    below -3, -2, -1 and above +1, +2, +3 SD of each indicator with its standard error
    and 95% confidence interval (percent), and the mean and SD of the z-scores. With
    --weights, --strata or --cluster the estimates follow the survey design.
    """
    language = Language(load_settings().language)
    known = {normalise_header(c) for c in _INPUTS[standard]} | {
        key for keys in eppgbm.EPPGBM_HEADERS.values() for key in keys
    }
    table = read_table(input_file, known_headers=known)
    frame, problems = _anthro_frame(table, standard)
    named = {"weights": weights, "strata": strata, "cluster": cluster}
    named |= {"typeres": typeres, "gregion": gregion, "wealthq": wealthq}
    named |= {"mothered": mothered, "othergr": othergr}
    columns = {option: _column(frame, value) for option, value in named.items() if value}
    options = AnthroOptions(
        standard=standard,
        age_in_months=age_in_months,
        sw=columns.get("weights"),
        cluster=columns.get("cluster"),
        strata=columns.get("strata"),
        groupings={k: columns[k] for k in OPTIONAL_GROUPINGS if k in columns},
        by=[_by_keys(frame, spec) for spec in by or []],
    )
    _raise_first(design_problems(frame, options), list(table.columns), columns, input_file)
    run = anthro_prevalence(frame, options, problems=problems)
    if run.used == 0:
        raise InputError(
            "{name}: no row can be used (rows with problems: {refused}, outside the age "
            "range: {out_of_age}); check the column names and the ages",
            name=input_file.name,
            refused=run.refused,
            out_of_age=run.out_of_age,
        )
    write_table(run.table, output, sheet_name="prevalensi")
    _print_summary(Console(), run, standard, output, language)


def _by_keys(frame: pd.DataFrame, spec: str) -> list[str]:
    """The columns of one --by option ('kecamatan,sex'); sex and age_group are anthro's."""
    keys = [key.strip() for key in spec.split(",") if key.strip()]
    return [key if key in DERIVED_KEYS else _column(frame, key) for key in keys]


def _column(frame: pd.DataFrame, name: str) -> str:
    """The frame's column called ``name``, ignoring case, spaces and punctuation."""
    name = name.strip()
    if name in frame.columns:
        return name
    wanted = normalise_header(name)
    for column in frame.columns:
        if normalise_header(column) == wanted:
            return str(column)
    return name  # absent: design_problems reports it with the file's columns


def _anthro_frame(
    table: pd.DataFrame, standard: Standard
) -> tuple[pd.DataFrame, UInt32Array | None]:
    """anthro's input columns (renamed from e-PPGBM or from other spellings) plus the rest."""
    if standard is Standard.WHO2006 and eppgbm.is_eppgbm(table.columns):
        converted = eppgbm.to_anthro_inputs(table)
        rest = table.drop(columns=list(converted.labels.values()), errors="ignore")
        return pd.concat([converted.frame, rest], axis=1), converted.problems
    renames = {}
    for name in _INPUTS[standard]:
        if name not in table.columns:
            match = _column(table, name)
            if match in table.columns:
                renames[match] = name
    return table.rename(columns=renames), None


def _raise_first(
    problems: list[ColumnProblem],
    header: Sequence[object],
    columns: Mapping[str, str],
    input_file: Path,
) -> None:
    """Turn the first column problem into an error message that says what to fix."""
    if not problems:
        return
    problem = problems[0]
    option = next((f"--{o}" for o, c in columns.items() if c == problem.column), "--by")
    if problem.kind == "missing":
        raise InputError(
            "option {option}: {name} has no column '{column}'; write the column's name as "
            "in the file's header row ({columns})",
            option=option,
            name=input_file.name,
            column=problem.column,
            columns=", ".join(str(c) for c in header),
        )
    rows = ", ".join(str(r) for r in problem.rows)
    values = ", ".join(f"'{v}'" for v in problem.values)
    if problem.kind == "not_a_number":
        raise InputError(
            "column {column}, rows {rows}: {values} is not a number; sampling weights are "
            "numbers such as 1250.5",
            column=problem.column,
            rows=rows,
            values=values,
        )
    raise InputError(
        "column {column}, rows {rows}: {values} is negative; sampling weights cannot be below 0",
        column=problem.column,
        rows=rows,
        values=values,
    )


def _print_summary(
    console: Console, run: PrevalenceRun, standard: Standard, output: Path, language: Language
) -> None:
    """Rows used and left out, the estimator, and the headline prevalences of All."""
    gettext = translations(language).gettext

    def number(value: int) -> str:
        return format_integer(value, language)

    def percent(value: float) -> str:
        return "-" if math.isnan(value) else format_decimal_places(value * 100, 1, language)

    summary = Table(title=gettext("Summary"), show_header=False)
    summary.add_row(gettext("Rows"), number(run.rows))
    summary.add_row(gettext("Rows in the analysis"), number(run.used))
    left_out = (
        ("Rows with problems (no z-scores)", run.refused),
        ("Rows outside the age range", run.out_of_age),
        ("Rows without cluster or stratum (left out)", run.missing_design),
        ("Rows without a sampling weight (weight 0)", run.missing_weights),
        ("Wealth quintiles other than 1-5 or Q1-Q5 (treated as missing)", run.invalid_wealthq),
    )
    for label, count in left_out:
        if count:
            summary.add_row(gettext(label), number(count))
    summary.add_row(gettext("Estimator"), gettext(_ESTIMATORS[run.estimator]))
    everyone: PrevalenceTable = run.tables[0][1]
    headlines = _WHO2007_HEADLINES if standard is Standard.WHO2007 else _WHO2006_HEADLINES
    for outcome, label in headlines:
        estimate = everyone.proportions[outcome]
        interval = f"{percent(estimate.lower[0])}-{percent(estimate.upper[0])}"
        summary.add_row(
            gettext(label),
            f"{percent(estimate.proportion[0])}% ({interval}; n = {number(int(estimate.n[0]))})",
        )
    summary.add_row(gettext("Written to"), str(output))
    console.print(summary)
