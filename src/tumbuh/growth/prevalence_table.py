"""anthro's prevalence output table (a pandas DataFrame) from typed prevalence tables.

Columns exactly as ``anthro_prevalence`` writes them (R/prevalence.R of anthro 1.1.0):
``Group``, then per indicator ``HA``, ``WA``, ``BMI``, ``WH``: ``<I>Z_pop``,
``<I>Z_unwpop``, for each cut-off ``_3 _2 _1 1 2 3`` the prevalence ``_r``, ``_se``,
``_ll``, ``_ul`` in percent, then the z-score ``_r`` (mean), ``_se``, ``_ll``, ``_ul``,
``_stdev``; finally stunted-and-wasted ``HA_2_WH_2_*`` and stunted-and-overweight
``HA_2_WH2_*``. anthroplus adds ``Years`` and ``Months`` after ``Group`` and has no WH or
combined columns. pandas is imported when a function is called.
"""

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tumbuh.growth.enums import Indicator, Standard
from tumbuh.growth.grouping import ALL
from tumbuh.growth.prevalence import (
    ANTHRO_CUTOFFS,
    STUNTED_AND_OVERWEIGHT,
    STUNTED_AND_WASTED,
    PrevalenceTable,
    ProportionEstimates,
    cutoff,
)
from tumbuh.growth.types import FloatArray

if TYPE_CHECKING:
    import pandas as pd

PREFIXES = {Indicator.HAZ: "HA", Indicator.WAZ: "WA", Indicator.BAZ: "BMI", Indicator.WHZ: "WH"}
WHO2006_BLOCKS = (Indicator.HAZ, Indicator.WAZ, Indicator.BAZ, Indicator.WHZ)
WHO2007_BLOCKS = (Indicator.HAZ, Indicator.WAZ, Indicator.BAZ)
# anthroplus (GitHub master 799a7de): one-year groups 60-228 months and five-year groups.
PLUS_AGE_BREAKS = (60, 72, 84, 96, 108, 120, 132, 144, 156, 168, 180, 192, 204, 216, 228, 229)
PLUS_AGE_LABELS = tuple(
    f"{lo}-{hi - 1 if hi < 229 else 228} mo" for lo, hi in itertools.pairwise(PLUS_AGE_BREAKS)
)
PLUS_WIDER_BREAKS = (60, 120, 180, 229)
PLUS_WIDER_LABELS = ("60-119 mo", "120-179 mo", "180-228 mo")
PLUS_AGE_GROUPINGS = ("Age Group 1", "Age Group 2", "Age + Sex")


def anthro_table(
    tables: Sequence[tuple[str, PrevalenceTable]], standard: Standard
) -> "pd.DataFrame":
    """anthro's output columns (percent), one row per group, groupings in order."""
    import pandas as pd

    plus = standard is Standard.WHO2007
    indicators = WHO2007_BLOCKS if plus else WHO2006_BLOCKS
    parts = []
    for label, table in tables:
        groups = [ALL if label == ALL else f"{label}: {g}" for g in table.labels]
        columns: dict[str, Any] = {"Group": groups}
        if plus:
            columns |= _years_months(label, table)
        for indicator in indicators:
            columns |= _indicator_columns(table, indicator)
        if not plus:
            columns |= _combined_columns(table)
        part = pd.DataFrame(columns)
        if plus and label not in PLUS_AGE_GROUPINGS:
            # anthroplus: weight-for-age exists to 120 months only, so groups that are not
            # age groups get no WA figures.
            part.loc[:, [c for c in part.columns if c.startswith("WA")]] = np.nan
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _indicator_columns(table: PrevalenceTable, indicator: Indicator) -> dict[str, Any]:
    prefix = PREFIXES[indicator]
    first = table.proportions[cutoff(indicator, ANTHRO_CUTOFFS[0])]
    columns: dict[str, Any] = {
        f"{prefix}Z_pop": first.weighted_n,
        f"{prefix}Z_unwpop": first.n.astype(np.float64),
    }
    for threshold in ANTHRO_CUTOFFS:
        name = f"{prefix}{'_' if threshold < 0 else ''}{abs(threshold):g}"
        columns |= _percent(name, table.proportions[cutoff(indicator, threshold)])
    summary = table.zscores[indicator]
    columns |= {
        f"{prefix}_r": summary.mean,
        f"{prefix}_se": summary.se,
        f"{prefix}_ll": summary.lower,
        f"{prefix}_ul": summary.upper,
        f"{prefix}_stdev": summary.sd,
    }
    return columns


def _percent(name: str, estimates: ProportionEstimates) -> dict[str, FloatArray]:
    return {
        f"{name}_r": estimates.proportion * 100,
        f"{name}_se": estimates.se * 100,
        f"{name}_ll": estimates.lower * 100,
        f"{name}_ul": estimates.upper * 100,
    }


def _combined_columns(table: PrevalenceTable) -> dict[str, Any]:
    wasted = table.proportions[STUNTED_AND_WASTED]
    columns: dict[str, Any] = {
        "HA_2_WH_2_pop": wasted.weighted_n,
        "HA_2_WH_2_unwpop": wasted.n.astype(np.float64),
    }
    columns |= _percent("HA_2_WH_2", wasted)
    return columns | _percent("HA_2_WH2", table.proportions[STUNTED_AND_OVERWEIGHT])


def _years_months(label: str, table: PrevalenceTable) -> dict[str, list[str | None]]:
    """anthroplus's ``Years`` and ``Months`` label columns."""
    wider_years = {"60-119 mo": "Total (5-9)", "120-179 mo": "Total (10-14)"}
    wider_years["180-228 mo"] = "Total (15-19)"
    years: list[str | None] = []
    months: list[str | None] = []
    for key in table.grouping.keys:
        if label in (ALL, "Sex"):
            years.append("Total (5-19)")
            months.append("(60-228)")
        elif label == "Age Group 1":
            years.append(str(PLUS_AGE_LABELS.index(str(key[0])) + 5))
            months.append(f"({str(key[0]).removesuffix(' mo')})")
        elif label in ("Age Group 2", "Age + Sex"):
            wider = str(key[-1])
            years.append(wider_years[wider])
            months.append(f"({wider.removesuffix(' mo')})")
        else:
            years.append(None)
            months.append(None)
    return {"Years": years, "Months": months}
