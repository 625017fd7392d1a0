"""The SMART plausibility score on constructed units of 200 children."""

import math
from statistics import NormalDist

import numpy as np
import pytest

from tests.unit.quality.helpers import smart_of
from tumbuh.growth.quality.bands import overall_band
from tumbuh.growth.quality.codes import NOT_AVAILABLE, SMART_CRITERIA, Band, Reason, ScoreStatus
from tumbuh.growth.quality.score import SmartReport

N = 200


def _clean_unit() -> dict[str, np.ndarray]:
    """A unit that meets every criterion.

    WHZ = normal quantiles (i + 0.5) / 200: symmetric (skewness 0), SD 0.999, excess
    kurtosis -0.10, none beyond 3 of the mean 0. Boys and girls alternate (100 : 100).
    92 children aged 6-29 and 108 aged 30-59 (100 p = 91.9, |92 - 91.9| < 0.5: chi2 = 0).
    Every decimal digit appears 20 times in weight, height and MUAC. Four posyandu
    (i mod 4); the 5 children with WHZ < -2 (i = 0..4) fall into clusters 0, 1, 2, 3, 0:
    c = 2, 1, 1, 1, variance 0.25 / mean 1.25 = ID 0.2, chi2 = 0.6 with 3 df, p = 0.90.
    """
    i = np.arange(N)
    return {
        "whz": np.array([NormalDist().inv_cdf((k + 0.5) / N) for k in range(N)]),
        "age_months": np.where(i < 92, 6 + i % 24, 30 + i % 30).astype(np.float64),
        "sex": np.where(i % 2 == 0, 1, 2),
        "weight_kg": 8.0 + i // 10 * 0.3 + (i % 10) / 10,
        "height_cm": 70.0 + i // 10 + (i % 10) / 10,
        "muac_cm": 13.0 + (i % 10) / 10,
        "cluster": i % 4,
    }


def _score(data: dict[str, np.ndarray], *, with_cluster: bool = True) -> SmartReport:
    group = np.zeros(data["whz"].size, dtype=np.int64)
    return smart_of(data, group, cluster=data["cluster"] if with_cluster else None)


def test_a_clean_unit_scores_zero_and_excellent() -> None:
    report = _score(_clean_unit())
    assert report.status.tolist() == [ScoreStatus.SCORED]
    assert report.n_children.tolist() == [N]
    assert report.n_criteria.tolist() == [10]
    assert report.total_points.tolist() == [0.0]
    assert report.band.tolist() == [Band.EXCELLENT]
    # chi-squared(3) tail: erfc(sqrt(x/2)) + sqrt(2x/pi) exp(-x/2) at x = 0.6 is 0.8964.
    x = 0.6
    tail = math.erfc(math.sqrt(x / 2)) + math.sqrt(2 * x / math.pi) * math.exp(-x / 2)
    assert report.poisson.statistic[0] == pytest.approx(x)
    assert report.poisson.p_value[0] == pytest.approx(tail)
    for reason in SMART_CRITERIA:
        assert report.criteria[reason].band.tolist() == [Band.EXCELLENT], reason


def test_heaped_digits_and_skewed_sex_and_age_make_a_unit_problematic() -> None:
    data = _clean_unit()
    i = np.arange(N)
    # Weights end in .0 or .5 (100 each): chi2 = (2 * 80^2 + 8 * 20^2) / 20 = 800,
    # DPS = 100 * sqrt(800 / 1800) = 66.7 -> 10 points. Heights all end in .0: DPS 100 -> 10.
    data["weight_kg"] = 8.0 + i // 10 + np.where(i % 2 == 0, 0.0, 0.5)
    data["height_cm"] = 70.0 + i // 2
    # 120 boys, 80 girls: chi2 = 19.5^2 / 50 = 7.605, p = 0.0058 -> acceptable, 4 points.
    data["sex"] = np.where(i < 120, 1, 2)
    # All children 6-29 months: p far below 0.001 -> 10 points.
    data["age_months"] = (6 + i % 24).astype(np.float64)
    report = _score(data)
    points = {r: int(report.criteria[r].points[0]) for r in SMART_CRITERIA}
    assert points[Reason.DPS_WEIGHT] == 10
    assert report.criteria[Reason.DPS_WEIGHT].value[0] == round(100 * math.sqrt(800 / 1800))
    assert points[Reason.DPS_HEIGHT] == 10
    assert report.sex_ratio.p_value[0] == pytest.approx(math.erfc(math.sqrt(7.605 / 2)))
    assert points[Reason.SEX_RATIO] == 4
    assert points[Reason.AGE_RATIO] == 10
    assert report.total_points.tolist() == [34.0]
    assert report.band.tolist() == [Band.PROBLEMATIC]


def test_six_children_far_from_the_mean_give_three_percent_flagged() -> None:
    data = _clean_unit()
    # Replace the six values nearest 0 by +-4: the mean stays 0, so 6 of 200 (3.0 %) are
    # SMART-flagged -> "good", 5 points.
    centre = np.argsort(np.abs(data["whz"]))[:6]
    data["whz"][centre] = [4.0, -4.0, 4.0, -4.0, 4.0, -4.0]
    report = _score(data)
    criterion = report.criteria[Reason.SMART_FLAGGED_WHZ]
    assert report.n_flagged.tolist() == [6]
    assert criterion.value[0] == pytest.approx(3.0)
    assert criterion.band.tolist() == [Band.GOOD]
    assert criterion.points.tolist() == [5]
    assert report.whz_moments.n.tolist() == [194]  # SD etc. computed without the flags


def test_fewer_than_min_children_gets_no_score() -> None:
    data = {key: value[:99] for key, value in _clean_unit().items()}
    report = _score(data)
    assert report.status.tolist() == [ScoreStatus.TOO_FEW]
    assert np.isnan(report.total_points[0])
    assert report.band.tolist() == [NOT_AVAILABLE]


def test_missing_muac_and_clusters_give_a_partial_score_never_rescaled() -> None:
    data = _clean_unit()
    data["muac_cm"] = np.full(N, np.nan)
    report = _score(data, with_cluster=False)
    assert report.status.tolist() == [ScoreStatus.PARTIAL]
    assert report.n_criteria.tolist() == [8]
    missing = [r for k, r in enumerate(SMART_CRITERIA) if not report.available[0, k]]
    assert missing == [Reason.DPS_MUAC, Reason.POISSON_WHZ]
    assert report.total_points.tolist() == [0.0]


def test_children_outside_6_to_59_months_are_left_out() -> None:
    data = _clean_unit()
    extra = {key: np.concatenate([value, value[:3]]) for key, value in data.items()}
    extra["age_months"][-3:] = [5.0, 60.0, np.nan]
    extra["whz"][-3:] = 9.0  # would be flagged if they counted
    report = _score(extra)
    assert report.n_children.tolist() == [N]
    assert report.n_flagged.tolist() == [0]
    assert not report.smart_flag[-3:].any()


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, Band.EXCELLENT),
        (9, Band.EXCELLENT),
        (10, Band.GOOD),
        (14, Band.GOOD),
        (15, Band.ACCEPTABLE),
        (24, Band.ACCEPTABLE),
        (25, Band.PROBLEMATIC),
        (105, Band.PROBLEMATIC),
    ],
)
def test_overall_bands(total: int, band: Band) -> None:
    assert overall_band(np.array([float(total)]))[0] == band


def test_units_are_scored_separately() -> None:
    data = _clean_unit()
    both = {key: np.concatenate([value, value]) for key, value in data.items()}
    both["sex"][N:] = 1  # the second unit has only boys: p far below 0.001 -> 10 points
    report = smart_of(both, np.repeat([0, 1], N), cluster=both["cluster"])
    assert report.total_points.tolist() == [0.0, 10.0]
    assert report.band.tolist() == [Band.EXCELLENT, Band.GOOD]
