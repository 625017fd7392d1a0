"""SD, skewness, kurtosis (nipnTK skewKurt) and the Poisson index of dispersion."""

import math

import numpy as np
import pytest

from tumbuh.growth.quality.bands import poisson_band, sd_band, shape_band
from tumbuh.growth.quality.codes import NOT_AVAILABLE, Band
from tumbuh.growth.quality.distribution import moments, poisson_dispersion


def test_moments_of_a_lopsided_set_worked_by_hand() -> None:
    # z = 0, 0, 0, 3: mean 0.75; d = -0.75 (x3), 2.25.
    # sum d^2 = 3 * 0.5625 + 5.0625 = 6.75; sum d^3 = 3 * -0.421875 + 11.390625 = 10.125;
    # sum d^4 = 3 * 0.31640625 + 25.62890625 = 26.578125.
    # skew = sqrt(4) * 10.125 / 6.75^1.5; Pearson kurtosis = 4 * 26.578125 / 6.75^2 = 2.3333.
    result = moments(np.array([0.0, 0.0, 0.0, 3.0]), np.zeros(4, dtype=np.int64))
    assert result.mean[0] == pytest.approx(0.75)
    assert result.sd[0] == pytest.approx(math.sqrt(6.75 / 3))
    assert result.skewness[0] == pytest.approx(2 * 10.125 / 6.75**1.5)
    assert result.pearson_kurtosis[0] == pytest.approx(4 * 26.578125 / 6.75**2)
    assert result.excess_kurtosis[0] == pytest.approx(4 * 26.578125 / 6.75**2 - 3)
    # SE(skew) = sqrt(6*4*3 / (2*5*7)); SE(kurt) = 2 SE(skew) sqrt(15 / (1*9)).
    se_skew = math.sqrt(72 / 70)
    assert result.se_skewness[0] == pytest.approx(se_skew)
    assert result.se_kurtosis[0] == pytest.approx(2 * se_skew * math.sqrt(15 / 9))
    assert shape_band(result.skewness)[0] == Band.PROBLEMATIC  # |1.15| >= 0.6


def test_symmetric_set_has_zero_skewness() -> None:
    # z = -1, 0, 1: SD 1, skewness 0, Pearson kurtosis 3 * 2 / 2^2 = 1.5.
    result = moments(np.array([-1.0, 0.0, 1.0]), np.zeros(3, dtype=np.int64))
    assert result.sd[0] == pytest.approx(1.0)
    assert result.skewness[0] == pytest.approx(0.0)
    assert result.pearson_kurtosis[0] == pytest.approx(1.5)
    assert shape_band(result.skewness)[0] == Band.EXCELLENT
    assert sd_band(result.sd)[0] == Band.EXCELLENT


def test_excluded_and_missing_values_are_left_out() -> None:
    z = np.array([-1.0, 0.0, 1.0, 9.0, np.nan])
    exclude = np.array([False, False, False, True, False])
    result = moments(z, np.zeros(5, dtype=np.int64), exclude=exclude)
    assert result.n.tolist() == [3]
    assert result.mean[0] == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("sd", "band"),
    [
        (0.90, Band.EXCELLENT),
        (1.10, Band.EXCELLENT),
        (0.85, Band.GOOD),
        (1.15, Band.GOOD),
        (0.849, Band.ACCEPTABLE),
        (1.19, Band.ACCEPTABLE),
        (0.80, Band.PROBLEMATIC),
        (1.20, Band.PROBLEMATIC),
        (0.5, Band.PROBLEMATIC),
    ],
)
def test_sd_bands_are_inclusive_inside_and_problematic_from_the_outer_edges(
    sd: float, band: Band
) -> None:
    assert sd_band(np.array([sd]))[0] == band


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.19, Band.EXCELLENT),
        (-0.2, Band.GOOD),
        (0.39, Band.GOOD),
        (-0.4, Band.ACCEPTABLE),
        (0.6, Band.PROBLEMATIC),
        (-0.9, Band.PROBLEMATIC),
    ],
)
def test_skewness_and_kurtosis_are_judged_by_absolute_value(value: float, band: Band) -> None:
    assert shape_band(np.array([value]))[0] == band


def _clustered(
    cases_per_cluster: list[int], children_per_cluster: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    z, cluster = [], []
    for index, cases in enumerate(cases_per_cluster):
        z += [-2.5] * cases + [0.0] * (children_per_cluster - cases)
        cluster += [index] * children_per_cluster
    return np.array(z), np.array(cluster)


def test_cases_piled_in_one_posyandu_trigger_the_poisson_test() -> None:
    # c = 0, 0, 6: mean 2, variance (4 + 4 + 16) / 2 = 12, ID = 6, chi2 = 6 * 2 = 12 with
    # 2 df: p = exp(-12 / 2) = 0.00248 -> acceptable (3 points). Green's = (6-1)/(6-1) = 1.
    z, cluster = _clustered([0, 0, 6])
    result = poisson_dispersion(z, np.zeros(z.size, dtype=np.int64), cluster)
    assert result.n_clusters.tolist() == [3]
    assert result.n_cases.tolist() == [6]
    assert result.index_of_dispersion[0] == pytest.approx(6.0)
    assert result.statistic[0] == pytest.approx(12.0)
    assert result.p_value[0] == pytest.approx(math.exp(-6.0))
    assert result.greens_index[0] == pytest.approx(1.0)
    assert poisson_band(result.p_value)[0] == Band.ACCEPTABLE


def test_evenly_spread_cases_do_not_trigger_the_poisson_test() -> None:
    # c = 2, 2, 2: variance 0, ID 0, chi2 0, p = 1; Green's (0 - 1) / 5 = -0.2.
    z, cluster = _clustered([2, 2, 2])
    result = poisson_dispersion(z, np.zeros(z.size, dtype=np.int64), cluster)
    assert result.p_value[0] == pytest.approx(1.0)
    assert result.greens_index[0] == pytest.approx(-0.2)
    assert poisson_band(result.p_value)[0] == Band.EXCELLENT


def test_poisson_test_is_not_available_with_one_cluster_or_no_case() -> None:
    z, cluster = _clustered([3, 0, 0])
    group = np.array([0] * 10 + [1] * 20)  # group 0 has one cluster; group 1 no case
    result = poisson_dispersion(z, group, cluster)
    assert result.n_clusters.tolist() == [1, 2]
    assert np.isnan(result.p_value).all()
    assert poisson_band(result.p_value).tolist() == [NOT_AVAILABLE, NOT_AVAILABLE]


def test_poisson_cases_leave_out_flagged_values_and_use_a_strict_cut() -> None:
    z = np.array([-2.0, -2.01, -6.0, 0.0])
    exclude = np.array([False, False, True, False])
    result = poisson_dispersion(
        z, np.zeros(4, dtype=np.int64), np.array([0, 0, 1, 1]), exclude=exclude
    )
    assert result.n_cases.tolist() == [1]  # -2.0 is not < -2; -6.0 is flagged
