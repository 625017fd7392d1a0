"""ENA for SMART plausibility check: the ten criteria and the penalty score (WHZ-based).

Run on children of 6-59 completed months with one valid measurement per child per round
(docs/data-quality.md §0); rows outside that age are left out here. "Incl" criteria use
every child, "excl" criteria remove SMART-flagged WHZ first (flags: |WHZ - unit mean| > 3).

* Units with fewer than ``min_children`` children with a WHZ get ``TOO_FEW`` and no total.
* Units where a criterion cannot be computed (no MUAC, fewer than 2 clusters, ...) get a
  ``PARTIAL`` score: the sum of the available points, never rescaled, with the missing
  criteria listed in ``available``.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tumbuh.growth.quality import bands
from tumbuh.growth.quality._grouped import as_float, as_int, count, group_codes, share
from tumbuh.growth.quality.codes import (
    DEFAULT_SETTINGS,
    NOT_AVAILABLE,
    SMART_CRITERIA,
    QualitySettings,
    Reason,
    ScoreStatus,
)
from tumbuh.growth.quality.demography import (
    SMART_AGE_MONTHS,
    RatioTest,
    age_ratio_test,
    sex_ratio_test,
)
from tumbuh.growth.quality.digits import DigitPreference, digit_preference
from tumbuh.growth.quality.distribution import Moments, PoissonTest, moments, poisson_dispersion
from tumbuh.growth.quality.flags import smart_flags
from tumbuh.growth.types import BoolArray, FloatArray, Int8Array, IntArray


@dataclass(frozen=True)
class Criterion:
    """One SMART criterion per group: the judged value, its band and its penalty points."""

    reason: Reason
    value: FloatArray  # %, p, rounded DPS, SD, |skewness| or |excess kurtosis|; NaN = n/a
    band: Int8Array  # Band code, NOT_AVAILABLE = -1
    points: Int8Array  # penalty points, NOT_AVAILABLE = -1
    limits: tuple[float, ...]  # band edges as published, for display


@dataclass(frozen=True)
class SmartReport:
    """The plausibility check per group, with the statistics behind each criterion."""

    n_children: IntArray  # children 6-59 months with a WHZ
    criteria: dict[Reason, Criterion]  # in SMART_CRITERIA order
    available: BoolArray  # shape (n_groups, 10): criterion could be computed
    n_criteria: IntArray
    total_points: FloatArray  # sum of available points; NaN when TOO_FEW
    band: Int8Array  # overall band of total_points; NOT_AVAILABLE when TOO_FEW
    status: Int8Array  # ScoreStatus
    smart_flag: BoolArray  # per row: SMART-flagged WHZ (False outside 6-59 months)
    n_flagged: IntArray
    sex_ratio: RatioTest
    age_ratio: RatioTest
    digits: dict[Reason, DigitPreference]
    whz_moments: Moments  # after removing SMART flags
    poisson: PoissonTest


def _criterion(
    reason: Reason,
    value: FloatArray,
    band_of: Callable[[FloatArray], Int8Array],
    table: tuple[int, int, int, int],
    limits: tuple[float, ...],
) -> Criterion:
    band = band_of(value)
    return Criterion(reason, value, band, bands.points(band, table), limits)


def smart_plausibility(  # noqa: PLR0913 - keyword-only options, one per input
    *,
    whz: FloatArray,
    age_months: FloatArray,
    sex: IntArray,
    weight_kg: FloatArray,
    height_cm: FloatArray,
    muac_cm: FloatArray,
    group: IntArray,
    cluster: IntArray | None = None,
    n_groups: int | None = None,
    settings: QualitySettings = DEFAULT_SETTINGS,
) -> SmartReport:
    """All ten SMART criteria, the total penalty and its band, per group (unit x round).

    One element per child: ``age_months`` in completed months, ``sex`` 1 boy / 2 girl /
    0 missing, measures in kg and cm (MUAC in cm; NaN where not measured), ``cluster`` the
    posyandu code for the Poisson test (without it the Poisson criterion is n/a).
    """
    z = np.asarray(whz, dtype=np.float64)
    size = z.size
    codes, n_groups = group_codes(group, size, n_groups)
    months = np.floor(as_float(age_months, size, "age_months"))
    with np.errstate(invalid="ignore"):
        in_age = (months >= SMART_AGE_MONTHS[0]) & (months <= SMART_AGE_MONTHS[1])
    unit = np.where(in_age, codes, -1)
    flags = smart_flags(z, unit, n_groups=n_groups, distance=settings.smart_flag_distance)
    flags &= in_age
    has_whz = ~np.isnan(z) & in_age
    n_children = count(unit, has_whz, n_groups)
    n_flagged = count(unit, flags, n_groups)
    sex_test = sex_ratio_test(
        as_int(sex, size, "sex"),
        unit,
        expected_male_share=settings.expected_male_share,
        n_groups=n_groups,
    )
    age_test = age_ratio_test(
        months, unit, expected_ratio=settings.expected_age_ratio, n_groups=n_groups
    )
    digits = {
        Reason.DPS_WEIGHT: digit_preference(
            as_float(weight_kg, size, "weight_kg"), unit, n_groups=n_groups
        ),
        Reason.DPS_HEIGHT: digit_preference(
            as_float(height_cm, size, "height_cm"), unit, n_groups=n_groups
        ),
        Reason.DPS_MUAC: digit_preference(
            as_float(muac_cm, size, "muac_cm"), unit, n_groups=n_groups
        ),
    }
    shape = moments(z, unit, exclude=flags, n_groups=n_groups)
    if cluster is None:
        cluster = np.zeros(size, dtype=np.int64)
        poisson_unit = np.full(size, -1, dtype=np.int64)
    else:
        poisson_unit = unit
    poisson = poisson_dispersion(
        z,
        poisson_unit,
        as_int(cluster, size, "cluster"),
        case_cut=settings.poisson_case_cut,
        exclude=flags,
        n_groups=n_groups,
    )
    ratio_limits = (0.1, 0.05, 0.001)
    dps_limits = (7.0, 12.0, 20.0)
    shape_limits = (0.2, 0.4, 0.6)
    criteria = [
        _criterion(
            Reason.SMART_FLAGGED_WHZ,
            100.0 * share(n_flagged, n_children),
            bands.flagged_percent_band,
            bands.FLAGGED_POINTS,
            (2.5, 5.0, 7.5),
        ),
        _criterion(
            Reason.SEX_RATIO, sex_test.p_value, bands.p_value_band, bands.RATIO_POINTS, ratio_limits
        ),
        _criterion(
            Reason.AGE_RATIO, age_test.p_value, bands.p_value_band, bands.RATIO_POINTS, ratio_limits
        ),
        *(
            _criterion(reason, np.rint(result.dps), bands.dps_band, bands.DPS_POINTS, dps_limits)
            for reason, result in digits.items()
        ),
        _criterion(
            Reason.SD_WHZ,
            shape.sd,
            bands.sd_band,
            bands.SD_POINTS,
            (0.80, 0.85, 0.90, 1.10, 1.15, 1.20),
        ),
        _criterion(
            Reason.SKEWNESS_WHZ,
            np.abs(shape.skewness),
            bands.shape_band,
            bands.SHAPE_POINTS,
            shape_limits,
        ),
        _criterion(
            Reason.KURTOSIS_WHZ,
            np.abs(shape.excess_kurtosis),
            bands.shape_band,
            bands.SHAPE_POINTS,
            shape_limits,
        ),
        _criterion(
            Reason.POISSON_WHZ,
            poisson.p_value,
            bands.poisson_band,
            bands.POISSON_POINTS,
            (0.05, 0.01, 0.001),
        ),
    ]
    by_reason = {c.reason: c for c in criteria}
    point_matrix = np.stack([by_reason[r].points for r in SMART_CRITERIA], axis=1)
    available = point_matrix != NOT_AVAILABLE
    n_criteria = available.sum(axis=1).astype(np.int64)
    too_few = n_children < settings.min_children
    total = np.where(available, point_matrix, 0).sum(axis=1).astype(np.float64)
    total = np.where(too_few | (n_criteria == 0), np.nan, total)
    status = np.select(
        [too_few, n_criteria < len(SMART_CRITERIA)],
        [ScoreStatus.TOO_FEW, ScoreStatus.PARTIAL],
        ScoreStatus.SCORED,
    ).astype(np.int8)
    return SmartReport(
        n_children=n_children,
        criteria={r: by_reason[r] for r in SMART_CRITERIA},
        available=available,
        n_criteria=n_criteria,
        total_points=total,
        band=bands.overall_band(total),
        status=status,
        smart_flag=flags,
        n_flagged=n_flagged,
        sex_ratio=sex_test,
        age_ratio=age_test,
        digits=digits,
        whz_moments=shape,
        poisson=poisson,
    )
