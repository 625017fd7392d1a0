"""Coverage (D/S) and the register prevalence beside a survey figure (docs/domain.md §4).

* Coverage = children measured (D, distinct children per group and round) / target (S,
  from Dinkes or the registry). Perpres 72/2021 targets D/S >= 90 % in 2024 (the 2006
  growth-monitoring standard asked 80 %);
  BKKBN says e-PPGBM prevalence needs about 95 % coverage to be trusted. Always shown
  beside any score, because a register covers only the children who attend.
* Register point prevalence = children with HAZ < -2 / children with a valid HAZ, WHO-
  flagged values left out (docs/data-quality.md §7). Beside it, an entered survey figure
  (SSGI/SKI) for the same area and year, and the gap in percentage points (survey minus
  register) and as a ratio. The two are shown labelled, never merged or averaged.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.growth.enums import Indicator
from tumbuh.growth.quality._grouped import as_float, count, distinct, group_codes, share
from tumbuh.growth.quality.codes import DEFAULT_SETTINGS, QualitySettings
from tumbuh.growth.quality.flags import who_flags
from tumbuh.growth.types import BoolArray, FloatArray, IntArray

STUNTING_CUT = -2.0


@dataclass(frozen=True)
class Coverage:
    """Per group: D, S, D/S and whether it falls short of the target and of 'trusted'."""

    measured: IntArray  # D
    target: FloatArray  # S; NaN where unknown
    ratio: FloatArray  # D / S; NaN where S is unknown or 0
    below_target: BoolArray  # D/S under the target (90 %)
    below_trusted: BoolArray  # D/S < 95 %


@dataclass(frozen=True)
class SurveyComparison:
    """Per group: register prevalence, the survey figure and the gap between them."""

    n_valid: IntArray
    n_cases: IntArray
    register_percent: FloatArray
    survey_percent: FloatArray  # NaN where no survey figure was entered
    gap_points: FloatArray  # survey - register, in percentage points
    ratio: FloatArray  # survey / register


def coverage(
    child: IntArray,
    group: IntArray,
    target: FloatArray,
    *,
    n_groups: int | None = None,
    settings: QualitySettings = DEFAULT_SETTINGS,
) -> Coverage:
    """D/S per group: ``child`` codes of the measurements, ``target`` S per group."""
    children = np.asarray(child, dtype=np.int64)
    codes, n_groups = group_codes(group, children.size, n_groups)
    measured = distinct(children, codes, children >= 0, n_groups)
    s = as_float(target, n_groups, "target")
    ratio = share(measured, s)
    with np.errstate(invalid="ignore"):
        return Coverage(
            measured=measured,
            target=s,
            ratio=ratio,
            below_target=ratio < settings.coverage_target,
            below_trusted=ratio < settings.coverage_trusted,
        )


def survey_comparison(
    z: FloatArray,
    group: IntArray,
    survey_percent: FloatArray,
    *,
    indicator: Indicator = Indicator.HAZ,
    cut: float = STUNTING_CUT,
    n_groups: int | None = None,
) -> SurveyComparison:
    """Register prevalence of z < ``cut`` per group beside the survey figure (percent).

    With the defaults this is stunting (HAZ < -2); pass WHZ or WAZ for wasting or
    underweight. ``survey_percent`` has one element per group (NaN where none).
    """
    zz = np.asarray(z, dtype=np.float64)
    codes, n_groups = group_codes(group, zz.size, n_groups)
    valid = ~np.isnan(zz) & ~who_flags(zz, indicator)
    with np.errstate(invalid="ignore"):
        cases = valid & (zz < cut)
    n_valid = count(codes, valid, n_groups)
    n_cases = count(codes, cases, n_groups)
    register = 100.0 * share(n_cases, n_valid)
    survey = as_float(survey_percent, n_groups, "survey_percent")
    return SurveyComparison(
        n_valid=n_valid,
        n_cases=n_cases,
        register_percent=register,
        survey_percent=survey,
        gap_points=survey - register,
        ratio=share(survey, register),
    )
