"""``anthro_prevalence`` on a pandas DataFrame: anthro's input columns in, its table out.

This adapter reproduces WHO anthro 1.1.0's ``anthro_prevalence`` (0-5 years) and
anthroplus's ``anthroplus_prevalence`` (5-19 years, ``Standard.WHO2007``): the same rows
kept, the same groups (``All``, ``Age group: 00-05 mo``, ``Sex: Female``, ``Age + sex:
...``, and ``Area``, ``Geographical region``, ``Wealth quintile``, ``Maternal
education``, ``Other grouping`` from anthro's ``typeres``, ``gregion``, ``wealthq``,
``mothered``, ``othergr``), the same estimator (simple, weights only, or stratified
cluster design) and the same output columns, in percent. Extra groupings (kecamatan,
posyandu, ...) are added with ``by``. pandas is imported when a function is called.

Where anthro stops the whole call on one bad value, the row is left out here and
counted (see :class:`PrevalenceRun`). Column checks the user can fix are returned by
:func:`design_problems`, which callers run first.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tumbuh.growth import survey
from tumbuh.growth.enums import Indicator, Standard
from tumbuh.growth.frame import OEDEMA_CODES, scored_frame
from tumbuh.growth.grouping import Grouping
from tumbuh.growth.prevalence import (
    PrevalenceScores,
    PrevalenceTable,
    prevalence_scores,
    survey_prevalence_tables,
)
from tumbuh.growth.prevalence_groups import DERIVED_KEYS, anthro_groupings, column_keys
from tumbuh.growth.prevalence_table import WHO2006_BLOCKS, WHO2007_BLOCKS, anthro_table
from tumbuh.growth.types import BoolArray, FloatArray, IntArray, UInt32Array
from tumbuh.growth.who2006 import DAYS_PER_MONTH, MAX_AGE_DAYS, age_days_and_months

if TYPE_CHECKING:
    import pandas as pd

# anthroplus (GitHub master 799a7de) keeps 60 to 228 months (its CRAN-era code said 61).
PLUS_AGE_RANGE_MONTHS = (60.0, 228.0)
PLUS_WFA_MAX_MONTHS = 120.0  # anthroplus counts oedema in weight-for-age up to 120 months
# anthro_prevalence passes these to anthro_zscores; anthroplus_prevalence its five inputs.
ANTHRO_INPUTS: tuple[str, ...] = ("sex", "age", "age_days", "is_age_in_month", "weight")
ANTHRO_INPUTS += ("lenhei", "measure", "oedema")
PLUS_INPUTS: tuple[str, ...] = ("sex", "age_in_months", "oedema", "height_in_cm", "weight_in_kg")
NUMBER_INPUTS = {"age", "age_days", "weight", "lenhei", "age_in_months"}
NUMBER_INPUTS |= {"height_in_cm", "weight_in_kg"}


@dataclass(frozen=True)
class AnthroOptions:
    """anthro_prevalence's optional arguments, as column names of the input frame."""

    standard: Standard = Standard.WHO2006
    age_in_months: bool = False  # WHO 2006: 'age' in months for every row
    sw: str | None = None  # sampling weights
    cluster: str | None = None
    strata: str | None = None
    groupings: Mapping[str, str] = field(default_factory=dict)  # typeres etc. -> column
    by: Sequence[Sequence[str]] = ()  # extra groupings: each a list of key columns


@dataclass(frozen=True)
class ColumnProblem:
    """A design or grouping column the user must fix before prevalence can run."""

    column: str
    kind: str  # "missing", "not_a_number" or "negative"
    rows: tuple[Any, ...] = ()  # row labels of the frame (first ones)
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrevalenceRun:
    """anthro's output table, the typed tables behind it, and what was left out."""

    table: "pd.DataFrame"
    tables: tuple[tuple[str, PrevalenceTable], ...]  # (grouping label, estimates)
    estimator: survey.Estimator
    rows: int  # rows of the input
    used: int  # rows in the analysis
    refused: int  # rows with an input problem (anthro would stop)
    out_of_age: int  # outside anthro's age range (or age missing, anthroplus)
    missing_design: int  # cluster or stratum missing (anthro drops them)
    missing_weights: int  # weight missing: set to 0, as anthro does
    invalid_wealthq: int  # wealthq not 1-5 or Q1-Q5: treated as missing, as anthro does


def _numbers(series: "pd.Series[Any]") -> tuple[FloatArray, BoolArray]:
    """Numbers of a column (decimal comma accepted) and where text is not a number."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return values, np.zeros(values.shape[0], dtype=bool)
    parsed = pd.to_numeric(series, errors="coerce")  # fast path: plain numbers
    values = np.array(parsed.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
    retry = (series.notna() & parsed.isna()).to_numpy(dtype=bool)
    bad = np.zeros(values.shape[0], dtype=bool)
    if retry.any():
        text = series[retry].astype("string").str.strip().str.replace(",", ".", regex=False)
        text = text.mask(text == "")
        again = pd.to_numeric(text, errors="coerce")
        values[retry] = again.to_numpy(dtype=np.float64, na_value=np.nan)
        bad[retry] = (text.notna() & again.isna()).to_numpy(dtype=bool)
    return values, bad


def design_problems(frame: "pd.DataFrame", options: AnthroOptions) -> list[ColumnProblem]:
    """Named columns that are absent, and weights that are not numbers or are negative."""
    named = [options.sw, options.cluster, options.strata, *options.groupings.values()]
    named += [key for keys in options.by for key in keys if key not in DERIVED_KEYS]
    problems = [ColumnProblem(c, "missing") for c in dict.fromkeys(named) if c and c not in frame]
    if options.sw and options.sw in frame:
        values, bad = _numbers(frame[options.sw])
        with np.errstate(invalid="ignore"):
            negative = values < 0
        for kind, mask in (("not_a_number", bad), ("negative", negative)):
            if mask.any():
                rows = tuple(frame.index[mask][:5])
                shown = tuple(str(v) for v in frame[options.sw][mask][:5])
                problems.append(ColumnProblem(options.sw, kind, rows, shown))
    return problems


def _parsed_numbers(inputs: "pd.DataFrame") -> "pd.DataFrame":
    """Number columns read as text, parsed once here (the fast way) when every cell parses.

    A column with a cell that is not a number is passed on as written, so that the
    z-score adapter reports that row's problem.
    """
    parsed = inputs.copy()
    for column in NUMBER_INPUTS.intersection(inputs.columns):
        values, bad = _numbers(inputs[column])
        if not bad.any():
            parsed[column] = values
    return parsed


def _age(frame: "pd.DataFrame", options: AnthroOptions) -> tuple[FloatArray, FloatArray]:
    """Age in whole days (WHO 2006, anthro's rounding) and unrounded months, per row."""
    if options.standard is Standard.WHO2007:
        months, _ = _numbers(frame["age_in_months"]) if "age_in_months" in frame else _empty(frame)
        return months * DAYS_PER_MONTH, months
    column = "age" if "age" in frame or "age_days" not in frame else "age_days"
    age, _ = _numbers(frame[column]) if column in frame else _empty(frame)
    in_months = np.full(len(frame), options.age_in_months)
    if column == "age" and "is_age_in_month" in frame:
        truth = {True: True, "TRUE": True, "true": True, "1": True}
        in_months = frame["is_age_in_month"].map(lambda v: truth.get(v, False)).to_numpy(bool)
    return age_days_and_months(age, in_months)


def _empty(frame: "pd.DataFrame") -> tuple[FloatArray, BoolArray]:
    return np.full(len(frame), np.nan), np.zeros(len(frame), dtype=bool)


@dataclass(frozen=True)
class PreparedPrevalence:
    """Everything the estimates need, after anthro's row rules: the slow, per-row part."""

    scores: PrevalenceScores
    design: survey.SurveyDesign
    groupings: tuple[tuple[str, Grouping], ...]  # (label, grouping), in anthro's order
    standard: Standard
    rows: int
    used: int
    refused: int
    out_of_age: int
    missing_design: int
    missing_weights: int
    invalid_wealthq: int

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """The z-scores of the table: four for WHO 2006, three for WHO 2007."""
        return WHO2007_BLOCKS if self.standard is Standard.WHO2007 else WHO2006_BLOCKS


def anthro_prevalence(
    frame: "pd.DataFrame", options: AnthroOptions, *, problems: UInt32Array | None = None
) -> PrevalenceRun:
    """anthro's (or anthroplus's) prevalence table for the rows of ``frame``.

    ``problems`` adds row problems the caller found (e.g. unreadable dates of an e-PPGBM
    export); those rows are left out like rows with unreadable codes.
    """
    prepared = prepare_prevalence(frame, options, problems=problems)
    estimates = survey_prevalence_tables(
        prepared.scores,
        prepared.design,
        [grouping for _, grouping in prepared.groupings],
        indicators=prepared.indicators,
    )
    labelled = zip(prepared.groupings, estimates, strict=True)
    tables = tuple((label, table) for (label, _), table in labelled)
    return PrevalenceRun(
        table=anthro_table(tables, prepared.standard),
        tables=tables,
        estimator=prepared.design.estimator,
        rows=prepared.rows,
        used=prepared.used,
        refused=prepared.refused,
        out_of_age=prepared.out_of_age,
        missing_design=prepared.missing_design,
        missing_weights=prepared.missing_weights,
        invalid_wealthq=prepared.invalid_wealthq,
    )


def prepare_prevalence(
    frame: "pd.DataFrame", options: AnthroOptions, *, problems: UInt32Array | None = None
) -> PreparedPrevalence:
    """z-scores, anthro's row rules, the design and the groupings (see anthro_prevalence)."""
    column_problems = design_problems(frame, options)
    if column_problems:
        raise ValueError(f"fix these columns first (see design_problems): {column_problems}")
    plus = options.standard is Standard.WHO2007
    inputs = PLUS_INPUTS if plus else ANTHRO_INPUTS
    scored, bits = scored_frame(
        _parsed_numbers(frame[[c for c in inputs if c in frame]]),
        standard=options.standard,
        age_in_months=options.age_in_months,
        language="en",
        problems=problems,
    )
    days, months = _age(frame, options)
    refused = bits != 0
    with np.errstate(invalid="ignore"):
        if plus:
            in_age = (months >= PLUS_AGE_RANGE_MONTHS[0]) & (months <= PLUS_AGE_RANGE_MONTHS[1])
        else:
            in_age = np.isnan(days) | (days <= MAX_AGE_DAYS)  # anthro keeps these rows
    keep = ~refused & in_age
    missing_design = np.zeros(len(frame), dtype=bool)
    for column in (c for c in (options.cluster, options.strata) if c):
        missing_design |= frame[column].isna().to_numpy(dtype=bool)
    missing_design &= keep
    rows = np.flatnonzero(keep & ~missing_design)
    weights = None
    missing_weights = 0
    if options.sw:
        sw, _ = _numbers(frame[options.sw])
        missing_weights = int(np.isnan(sw[rows]).sum())
        weights = np.nan_to_num(sw[rows], nan=0.0)  # anthro: missing weight -> 0
    kept, kept_scores = frame.iloc[rows], scored.iloc[rows]
    groupings, invalid_wealthq = anthro_groupings(
        kept,
        kept_scores,
        months[rows],
        standard=options.standard,
        optional=options.groupings,
        by=options.by,
    )
    return PreparedPrevalence(
        scores=_scores(kept_scores, frame, rows, months[rows], plus),
        design=_design(kept, options, weights, len(rows)),
        groupings=tuple(groupings),
        standard=options.standard,
        rows=len(frame),
        used=len(rows),
        refused=int(refused.sum()),
        out_of_age=int((~refused & ~in_age).sum()),
        missing_design=int(missing_design.sum()),
        missing_weights=missing_weights,
        invalid_wealthq=invalid_wealthq,
    )


def _design(
    kept: "pd.DataFrame", options: AnthroOptions, weights: FloatArray | None, n: int
) -> survey.SurveyDesign:
    if options.cluster is None and options.strata is None:
        return survey.simple_design(n) if weights is None else survey.weighted_design(weights)
    return survey.cluster_design(
        n,
        weights=weights,
        strata=None if options.strata is None else column_keys(kept, options.strata)[0],
        cluster=None if options.cluster is None else column_keys(kept, options.cluster)[0],
    )


def _scores(
    scored: "pd.DataFrame", frame: "pd.DataFrame", rows: IntArray, months: FloatArray, plus: bool
) -> PrevalenceScores:
    """z-scores with anthro's flag and oedema rules; oedema as standardised by anthro."""
    names = {Indicator.HAZ: "len", Indicator.WAZ: "wei", Indicator.BAZ: "bmi"}
    names[Indicator.WHZ] = "wfl"
    if plus:
        names = {i: i.anthroplus_name for i in WHO2007_BLOCKS}

    def column(name: str) -> FloatArray:
        return scored[name].to_numpy(dtype=np.float64, na_value=np.nan)

    if "oedema" in frame:
        oedema = frame["oedema"].iloc[rows].map(OEDEMA_CODES).fillna(False).to_numpy(dtype=bool)
    else:
        oedema = np.zeros(len(rows), dtype=bool)
    by_indicator: dict[Indicator, BoolArray] = dict.fromkeys((Indicator.WAZ, Indicator.BAZ), oedema)
    if plus:
        with np.errstate(invalid="ignore"):
            by_indicator[Indicator.WAZ] = oedema & (months <= PLUS_WFA_MAX_MONTHS)
    else:
        by_indicator[Indicator.WHZ] = oedema
    return prevalence_scores(
        {i: column(f"z{n}") for i, n in names.items()},
        flags={i: column(f"f{n}") for i, n in names.items()},
        oedema=by_indicator,
    )
