"""Run every data-quality check on 1,000,000 synthetic measurements in 2,000 posyandu.

Synthetic data only (no real children): 40,000 children measured monthly for 25 months,
so that the longitudinal checks have trajectories; the cross-sectional checks run on the
whole table grouped by posyandu (as one round would be, but 25 times larger). Prints the
seconds and rows per second of each check and of the whole run.
"""

from collections.abc import Callable
from typing import TypeVar

import numpy as np

from _timing import timed as run_timed
from tumbuh.growth.enums import Indicator
from tumbuh.growth.quality import (
    Parameter,
    clean_parameter,
    cleaning_summary,
    copied_values,
    coverage,
    quality_checks,
    rank_units,
    smart_plausibility,
    survey_comparison,
    who_report,
)
from tumbuh.growth.quality.score import SmartReport

T = TypeVar("T")
N_CHILDREN = 40_000
N_VISITS = 25
N_POSYANDU = 2_000


def synthetic(seed: int = 6) -> dict[str, np.ndarray]:
    """One row per measurement: child, age, sex, measures, z-scores, position, posyandu."""
    rng = np.random.default_rng(seed)
    child = np.repeat(np.arange(N_CHILDREN), N_VISITS)
    start = rng.integers(0, 35 * 30, N_CHILDREN)
    age = (np.repeat(start, N_VISITS) + np.tile(np.arange(N_VISITS) * 30.4, N_CHILDREN)).astype(
        float
    )
    sex = np.repeat(rng.integers(1, 3, N_CHILDREN), N_VISITS)
    level = np.repeat(rng.normal(-0.9, 1.0, N_CHILDREN), N_VISITS)
    haz = np.round(level + rng.normal(0, 0.25, child.size), 2)
    waz = np.round(level * 0.8 + rng.normal(0, 0.3, child.size), 2)
    whz = np.round(rng.normal(-0.4, 1.05, child.size), 2)
    height = np.round(50 + 0.9 * np.sqrt(age) + 3 * haz / 2, 1)
    weight = np.round(3.3 + 0.45 * np.sqrt(age) + waz / 2, 1)
    copied = rng.random(child.size) < 0.03
    height[1:][copied[1:]] = height[:-1][copied[1:]]
    return {
        "child": child,
        "age": age,
        "age_months": np.floor(age / 30.4375),
        "sex": sex,
        "haz": haz,
        "waz": waz,
        "whz": whz,
        "height": height,
        "weight": weight,
        "muac": np.round(rng.normal(14.5, 1.0, child.size), 1),
        "position": np.where(age < 731, 1, 2) * (rng.random(child.size) > 0.01),
        "posyandu": np.repeat(rng.integers(0, N_POSYANDU, N_CHILDREN), N_VISITS),
    }


def timed(label: str, rows: int, work: Callable[[], T]) -> tuple[T, float]:
    """Run ``work`` once and print its seconds and rows per second."""
    result, seconds = run_timed(work)
    print(f"{label:<34} {seconds:8.2f} s {rows / seconds:14,.0f} rows/s")
    return result, seconds


def smart_score(
    d: dict[str, np.ndarray], group: np.ndarray, n_groups: int, cluster: np.ndarray | None = None
) -> SmartReport:
    """The SMART score of the synthetic children per ``group``."""
    return smart_plausibility(
        whz=d["whz"],
        age_months=d["age_months"],
        sex=d["sex"],
        weight_kg=d["weight"],
        height_cm=d["height"],
        muac_cm=d["muac"],
        group=group,
        cluster=cluster,
        n_groups=n_groups,
    )


def main() -> None:
    d = synthetic()
    rows = d["child"].size
    group = d["posyandu"]
    print(f"{rows:,} measurements, {N_CHILDREN:,} children, {N_POSYANDU:,} posyandu")
    smart, t1 = timed(
        "SMART plausibility (10 criteria)",
        rows,
        lambda: smart_score(d, np.zeros(rows, dtype=np.int64), 1, cluster=group),
    )
    smart_posyandu, t2 = timed(
        "SMART per posyandu",
        rows,
        lambda: smart_score(d, group, N_POSYANDU),
    )
    who, t3 = timed(
        "WHO/UNICEF report per posyandu",
        rows,
        lambda: who_report(
            zscores={Indicator.HAZ: d["haz"], Indicator.WAZ: d["waz"], Indicator.WHZ: d["whz"]},
            age_days=d["age"],
            sex=d["sex"],
            weight_kg=d["weight"],
            height_cm=d["height"],
            position=d["position"],
            group=group,
            child=d["child"],
            n_groups=N_POSYANDU,
        ),
    )
    copied, t4 = timed(
        "Copied values",
        rows,
        lambda: copied_values(d["child"], d["age"], d["weight"], d["height"], group),
    )
    heights, t5 = timed(
        "Cleaning heights (growthcleanr)",
        rows,
        lambda: clean_parameter(
            d["child"], d["age"], d["height"], d["haz"], parameter=Parameter.HEIGHT, sex=d["sex"]
        ),
    )
    weights, t6 = timed(
        "Cleaning weights (growthcleanr)",
        rows,
        lambda: clean_parameter(
            d["child"], d["age"], d["weight"], d["waz"], parameter=Parameter.WEIGHT, sex=d["sex"]
        ),
    )
    target = np.full(N_POSYANDU, 25.0)
    survey, t7 = timed(
        "Coverage and register vs survey",
        rows,
        lambda: (
            coverage(d["child"], group, target, n_groups=N_POSYANDU),
            survey_comparison(d["haz"], group, np.full(N_POSYANDU, 20.0), n_groups=N_POSYANDU),
        ),
    )
    ranking, t8 = timed(
        "Ranking with reasons",
        rows,
        lambda: rank_units(
            smart_posyandu,
            quality_checks(
                smart_posyandu,
                who,
                coverage=survey[0],
                copied=copied,
                cleaning=[
                    cleaning_summary(heights, group, n_groups=N_POSYANDU),
                    cleaning_summary(weights, group, n_groups=N_POSYANDU),
                ],
            ),
        ),
    )
    total = t1 + t2 + t3 + t4 + t5 + t6 + t7 + t8
    print(f"{'All checks':<34} {total:8.2f} s {rows / total:14,.0f} rows/s")
    worst = int(ranking.order[-1])
    print(
        f"SMART total, whole table: {smart.total_points[0]:.0f}; worst posyandu: {worst}, "
        f"reasons: {[r.reason.value for r in ranking.reasons(worst)]}"
    )


if __name__ == "__main__":
    main()
