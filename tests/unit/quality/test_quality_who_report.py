"""The unscored WHO/UNICEF report: TEAM rules of thumb per index."""

import numpy as np
import pytest

from tumbuh.growth.enums import Indicator
from tumbuh.growth.quality.who_report import WhoReport, who_report

N = 100


def _report(haz: np.ndarray, *, age_days: np.ndarray | None = None) -> WhoReport:
    n = haz.size
    i = np.arange(n)
    return who_report(
        zscores={Indicator.HAZ: haz},
        age_days=np.full(n, 400.0) if age_days is None else age_days,
        sex=np.where(i % 2 == 0, 1, 2),
        weight_kg=9.0 + (i % 10) / 10,
        height_cm=75.0 + (i % 10) / 10,
        position=np.ones(n, dtype=np.int64),
        group=np.zeros(n, dtype=np.int64),
    )


def _spread(n: int) -> np.ndarray:
    return np.linspace(-2.0, 2.0, n)


def test_two_percent_outside_who_limits_breaks_the_team_rule() -> None:
    haz = _spread(N)
    haz[:2] = [-6.5, 6.5]  # 2 of 100 rows > 1 %
    summary = _report(haz).indices[Indicator.HAZ]
    assert summary.flags.share_of_rows[0] == pytest.approx(0.02)
    assert summary.many_flagged.tolist() == [True]
    assert summary.moments.n.tolist() == [98]  # flagged values left out of the summary


def test_one_percent_outside_who_limits_does_not() -> None:
    haz = _spread(N)
    haz[0] = -6.5  # 1 of 100 rows: "> 1 %" is strict
    assert _report(haz).indices[Indicator.HAZ].many_flagged.tolist() == [False]


def test_team_normality_rules_use_pearson_kurtosis() -> None:
    # 0 (x98), -3, +3: symmetric; sum d^2 = 18, sum d^4 = 162, Pearson = 100 * 162 / 324 = 50.
    heavy = np.concatenate([np.zeros(98), [-3.0, 3.0]])
    # Even spread on [-2, 2]: Pearson kurtosis of a uniform distribution is 9/5 (< 2).
    light = _spread(N)
    # 0 (x90), 3 (x10): mean 0.3; sum d^2 = 90 * 0.09 + 10 * 7.29 = 81;
    # sum d^3 = 90 * -0.027 + 10 * 19.683 = 194.4; skewness = 10 * 194.4 / 81^1.5 = 8/3.
    lopsided = np.concatenate([np.zeros(90), np.full(10, 3.0)])
    heavy_summary = _report(heavy).indices[Indicator.HAZ]
    assert heavy_summary.moments.pearson_kurtosis[0] == pytest.approx(50.0)
    assert heavy_summary.odd_tails.tolist() == [True]
    assert heavy_summary.asymmetric.tolist() == [False]
    assert _report(light).indices[Indicator.HAZ].odd_tails.tolist() == [True]
    lopsided_summary = _report(lopsided).indices[Indicator.HAZ]
    assert lopsided_summary.moments.skewness[0] == pytest.approx(8 / 3)
    assert lopsided_summary.asymmetric.tolist() == [True]


def test_a_normal_like_sample_breaks_no_team_rule() -> None:
    from statistics import NormalDist

    haz = np.array([NormalDist(-1.0, 1.1).inv_cdf((k + 0.5) / N) for k in range(N)])
    summary = _report(haz).indices[Indicator.HAZ]
    assert summary.many_flagged.tolist() == [False]
    assert summary.asymmetric.tolist() == [False]
    assert summary.odd_tails.tolist() == [False]


def test_children_of_60_months_and_more_are_left_out_but_missing_ages_stay() -> None:
    haz = _spread(4)
    ages = np.array([400.0, 1826.0, 1827.0, np.nan])  # 1827 days = 60.02 months
    report = _report(haz, age_days=ages)
    assert report.missing.n_rows.tolist() == [3]
    assert report.missing.n_missing["age"].tolist() == [1]
