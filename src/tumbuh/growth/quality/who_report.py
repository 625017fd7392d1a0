"""The unscored WHO/UNICEF data-quality report (WHO Anthro Survey Analyser, TEAM annex).

Shown beside the SMART score, never merged into it (docs/data-quality.md §4). Covers
children 0-59 months (rows with a missing age stay in, so that they count as missing):

* missing data per variable; duplicates;
* % outside the WHO flags per index with **all rows** as denominator (TEAM (v): > 1 % may
  signal problems);
* N, mean, SD, skewness and **Pearson** kurtosis per index with WHO-flagged values removed
  (TEAM (vii): skewness beyond +/-0.5 is asymmetric, kurtosis < 2 or > 4 light/heavy tails);
* position mismatches; terminal-digit and whole-number preference of weight and height;
* sex ratio and age distribution (the tests are given for information: TEAM runs none).
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tumbuh.growth.enums import Indicator
from tumbuh.growth.quality._grouped import as_float, as_int, group_codes
from tumbuh.growth.quality.codes import DEFAULT_SETTINGS, QualitySettings
from tumbuh.growth.quality.demography import (
    AgeDistribution,
    RatioTest,
    age_distribution,
    sex_ratio_test,
)
from tumbuh.growth.quality.digits import (
    HEIGHT_WHOLE_RANGE_CM,
    WEIGHT_WHOLE_RANGE_KG,
    DigitPreference,
    WholeNumberCounts,
    digit_preference,
    whole_number_counts,
)
from tumbuh.growth.quality.distribution import Moments, moments
from tumbuh.growth.quality.flags import FlagShare, flag_share, who_flags
from tumbuh.growth.quality.missing import MissingReport, missing_values
from tumbuh.growth.quality.position import PositionReport, position_mismatch
from tumbuh.growth.types import BoolArray, FloatArray, IntArray
from tumbuh.growth.who2006 import DAYS_PER_MONTH, MAX_AGE_MONTHS


@dataclass(frozen=True)
class IndexSummary:
    """One index per group: WHO flags, the summary without them, and the TEAM rules."""

    flags: FlagShare
    moments: Moments  # WHO-flagged values removed; kurtosis on both scales
    many_flagged: BoolArray  # TEAM (v): flagged share of all rows > 1 %
    asymmetric: BoolArray  # TEAM (vii): |skewness| > 0.5
    odd_tails: BoolArray  # TEAM (vii): Pearson kurtosis < 2 or > 4


@dataclass(frozen=True)
class WhoReport:
    """The unscored report per group."""

    missing: MissingReport
    indices: dict[Indicator, IndexSummary]
    position: PositionReport
    digits_weight: DigitPreference
    digits_height: DigitPreference
    whole_weight: WholeNumberCounts
    whole_height: WholeNumberCounts
    sex_ratio: RatioTest
    ages: AgeDistribution


def _index_summary(
    z: FloatArray, indicator: Indicator, unit: IntArray, n_groups: int, s: QualitySettings
) -> IndexSummary:
    flagged = who_flags(z, indicator)
    shares = flag_share(flagged, z, unit, n_groups=n_groups)
    summary = moments(z, unit, exclude=flagged, n_groups=n_groups)
    with np.errstate(invalid="ignore"):
        return IndexSummary(
            flags=shares,
            moments=summary,
            many_flagged=shares.share_of_rows > s.team_flagged_share,
            asymmetric=np.abs(summary.skewness) > s.team_skewness,
            odd_tails=(summary.pearson_kurtosis < s.team_kurtosis_low)
            | (summary.pearson_kurtosis > s.team_kurtosis_high),
        )


def who_report(  # noqa: PLR0913 - keyword-only options, one per input
    *,
    zscores: Mapping[Indicator, FloatArray],
    age_days: FloatArray,
    sex: IntArray,
    weight_kg: FloatArray,
    height_cm: FloatArray,
    position: IntArray,
    group: IntArray,
    birth_date: np.ndarray | None = None,
    child: IntArray | None = None,
    n_groups: int | None = None,
    settings: QualitySettings = DEFAULT_SETTINGS,
) -> WhoReport:
    """The WHO/UNICEF report per group, one element per measurement (0-59 months kept).

    ``zscores`` maps each index to report (usually HAZ, WAZ, WHZ, BAZ) to its z-scores as
    WHO ``anthro`` gives them; ``sex`` 1/2/0 and ``position`` 1 lying/2 standing/0 missing.
    """
    days = np.asarray(age_days, dtype=np.float64)
    size = days.size
    codes, n_groups = group_codes(group, size, n_groups)
    with np.errstate(invalid="ignore"):
        months = days / DAYS_PER_MONTH
        keep = np.isnan(days) | ((days >= 0) & (months < MAX_AGE_MONTHS))
    unit = np.where(keep, codes, -1)
    sexes = as_int(sex, size, "sex")
    weights = as_float(weight_kg, size, "weight_kg")
    heights = as_float(height_cm, size, "height_cm")
    positions = as_int(position, size, "position")
    columns: dict[str, np.ndarray] = {
        "age": days,
        "sex": sexes,
        "weight_kg": weights,
        "height_cm": heights,
        "position": positions,
    }
    return WhoReport(
        missing=missing_values(columns, unit, child=child, n_groups=n_groups),
        indices={
            indicator: _index_summary(
                as_float(z, size, indicator.value), indicator, unit, n_groups, settings
            )
            for indicator, z in zscores.items()
        },
        position=position_mismatch(positions, days, unit, height_cm=heights, n_groups=n_groups),
        digits_weight=digit_preference(weights, unit, n_groups=n_groups),
        digits_height=digit_preference(heights, unit, n_groups=n_groups),
        whole_weight=whole_number_counts(
            weights,
            unit,
            low=WEIGHT_WHOLE_RANGE_KG[0],
            high=WEIGHT_WHOLE_RANGE_KG[1],
            n_groups=n_groups,
        ),
        whole_height=whole_number_counts(
            heights,
            unit,
            low=HEIGHT_WHOLE_RANGE_CM[0],
            high=HEIGHT_WHOLE_RANGE_CM[1],
            n_groups=n_groups,
        ),
        sex_ratio=sex_ratio_test(
            sexes, unit, expected_male_share=settings.expected_male_share, n_groups=n_groups
        ),
        ages=age_distribution(
            np.floor(months), sexes, unit, birth_date=birth_date, n_groups=n_groups
        ),
    )
