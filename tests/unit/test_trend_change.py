"""The change between two rounds and its interval (Newcombe 1998, method 10)."""

import pytest

from tumbuh.growth.intervals import wilson_interval
from tumbuh.growth.trend import Change, difference_interval

# Newcombe RG (1998), Interval estimation for the difference between independent
# proportions: comparison of eleven methods. Statistics in Medicine 17:873-890, Table II,
# method 10 (score interval from Wilson limits, no continuity correction): the interval
# of p1 - p2 for the pairs (m/n1, k/n2) of the paper's examples (a), (b), (d)-(h).
NEWCOMBE = [
    ((56, 70), (48, 80), 0.0524, 0.3339),
    ((9, 10), (3, 10), 0.1705, 0.8090),
    ((5, 56), (0, 29), -0.0381, 0.1926),
    ((0, 10), (0, 20), -0.1611, 0.2775),
    ((0, 10), (0, 10), -0.2775, 0.2775),
    ((10, 10), (0, 20), 0.6791, 1.0000),
    ((10, 10), (0, 10), 0.6075, 1.0000),
]


def _estimate(cases: int, n: int) -> tuple[float, float, float]:
    lower, upper = wilson_interval(cases, n)
    return cases / n, float(lower), float(upper)


@pytest.mark.parametrize(("first", "second", "lower", "upper"), NEWCOMBE)
def test_the_interval_of_the_change_is_newcombes_method_10(
    first: tuple[int, int], second: tuple[int, int], lower: float, upper: float
) -> None:
    # Newcombe's difference is the first sample minus the second: the "later" round here.
    result = difference_interval(_estimate(*second), _estimate(*first))
    assert result.change[0] == pytest.approx(first[0] / first[1] - second[0] / second[1])
    assert result.lower[0] == pytest.approx(lower, abs=5e-5)
    assert result.upper[0] == pytest.approx(upper, abs=5e-5)


def test_a_change_is_called_only_when_its_interval_excludes_zero() -> None:
    # 56/70 after 48/80: interval 0.0524 to 0.3339, above zero: up. Reversed: down.
    up = difference_interval(_estimate(48, 80), _estimate(56, 70))
    down = difference_interval(_estimate(56, 70), _estimate(48, 80))
    unclear = difference_interval(_estimate(5, 56), _estimate(0, 29))  # -0.0381 to 0.1926
    assert [up.verdict_of(0), down.verdict_of(0), unclear.verdict_of(0)] == [
        Change.UP,
        Change.DOWN,
        Change.UNCLEAR,
    ]


def test_overlapping_intervals_can_still_be_a_clear_change() -> None:
    # 120/1000 then 85/1000, by hand: Wilson intervals 0.101299-0.141610 and
    # 0.069263-0.103913 overlap. d = -0.035; lower = d - sqrt(0.015737^2 + 0.021610^2)
    # = -0.061733, upper = d + sqrt(0.018913^2 + 0.018701^2) = -0.008403: a fall.
    before, after = _estimate(120, 1000), _estimate(85, 1000)
    assert after[2] > before[1]  # the two intervals overlap
    result = difference_interval(before, after)
    assert result.verdict_of(0) is Change.DOWN
    assert 100 * result.lower[0] == pytest.approx(-6.17, abs=0.01)
    assert 100 * result.upper[0] == pytest.approx(-0.84, abs=0.01)


def test_cilegons_fall_from_february_to_august_2024_is_within_the_uncertainty() -> None:
    # 876/30485 (2.874 %) then 818/31221 (2.620 %), docs/domain.md §12: d = -0.254
    # points; by hand with the Wilson half-widths u2 - p2 = 0.183 and p1 - l1 = 0.182
    # points, upper = -0.254 + sqrt(0.183^2 + 0.182^2) = +0.004: zero is inside.
    result = difference_interval(_estimate(876, 30485), _estimate(818, 31221))
    assert result.verdict_of(0) is Change.UNCLEAR
    assert 100 * result.upper[0] == pytest.approx(0.004, abs=0.002)


def test_a_round_without_children_gives_no_verdict() -> None:
    nobody = (float("nan"), float("nan"), float("nan"))
    result = difference_interval(nobody, _estimate(3, 10))
    assert result.verdict_of(0) is Change.UNKNOWN
