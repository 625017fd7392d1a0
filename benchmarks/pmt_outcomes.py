"""Speed of the PMT outcome evaluation for a whole city (issue 14, item 4).

Run: .venv/bin/python benchmarks/pmt_outcomes.py [--episodes N] [--candidates M] [--repeats K]

Builds, with a fixed seed, N enrolled episodes (default 5,000) and M comparison rows
(default 30,000: children eligible and not enrolled, one row per later weighing) over 24
months, three indications and the 2023 and 2025 rule versions, 43 kelurahan, 40 kitchens
and 5 funding lines. Baseline z-scores are drawn low (children selected for low z) and
everyone drifts up; fed children gain 0.3 z more. Then it times, best of K runs:

1. the naive before/after summary: each episode's outcomes and their means by kitchen,
   kelurahan, funding, indication and city, no comparison (the baseline);
2. ``evaluate_city``: outcomes, matching, bias adjustment and every summary with its
   intervals, and its ratio to the baseline.
"""

import argparse

import numpy as np

from _timing import best_of
from tumbuh.growth.grouping import everyone, group_by
from tumbuh.growth.pmt import Indication
from tumbuh.growth.pmt_comparison import evaluate_city
from tumbuh.growth.pmt_outcomes import Candidates, Episodes, Measure, episode_outcomes

MONTHS = 24
FIRST_MONTH = 2024 * 12  # January 2024: the 2023 rules for a year, then the 2025 ones
DAYS = {Indication.WASTED: 56, Indication.UNDERWEIGHT: 28, Indication.FALTERING: 14}


def _children(rng: np.random.Generator, n: int, fed: bool) -> dict[str, np.ndarray]:
    """The fields every row has; fed rows gain 0.3 z more than the others."""
    kind = rng.choice(3, n, p=[0.3, 0.5, 0.2])  # wasted, underweight, faltering
    month = rng.integers(0, MONTHS, n)
    version = np.where(month < 12, "2023", "2025")
    z0 = np.round(rng.uniform(-2.99, -2.01, n), 2)
    planned = np.array([DAYS[k] for k in list(Indication)[:3]])[kind]
    day = (
        planned + rng.integers(-3, 4, n)
        if fed
        else rng.choice([30, 60], n) + rng.integers(-5, 6, n)
    )
    z1 = np.round(z0 + 0.25 + 0.1 * day / 56 + (0.3 if fed else 0.0) + rng.normal(0, 0.4, n), 2)
    w0 = np.round(rng.normal(10.0, 1.5, n), 1)
    w1 = np.round(w0 * (1 + 0.0005 * day) * (1 + 0.09 * (z1 - z0)), 2)
    return {
        "child_id": rng.permutation(10 * n)[:n],
        "indication": kind,
        "version": version,
        "sex": rng.integers(1, 3, n),
        "age_months": rng.integers(6, 60, n),
        "baseline_month": FIRST_MONTH + month,
        "baseline_whz": z0,
        "baseline_waz": z0,
        "baseline_haz": np.round(rng.normal(-1.5, 1.0, n), 2),
        "baseline_weight_kg": w0,
        "followup_day": day.astype(np.float64),
        "followup_whz": z1,
        "followup_waz": z1,
        "followup_haz": np.round(rng.normal(-1.5, 1.0, n), 2),
        "followup_weight_kg": w1,
    }


def make_city(n_episodes: int, n_candidates: int, seed: int = 1) -> tuple[Episodes, Candidates]:
    """Constructed episodes and comparison rows of a city."""
    rng = np.random.default_rng(seed)
    fed = _children(rng, n_episodes, fed=True)
    episodes = Episodes(
        **fed,
        episode_id=np.arange(n_episodes),
        kitchen_id=rng.integers(1, 41, n_episodes),
        kelurahan=np.array([f"36.72.0{k // 10}.{1000 + k}" for k in range(43)])[
            rng.integers(0, 43, n_episodes)
        ],
        funding=np.array(["APBD", "DAK", "Baznas", "Bapak Asuh", "CSR"])[
            rng.integers(0, 5, n_episodes)
        ],
        planned_days=np.full(n_episodes, 56),
        served_days=rng.integers(20, 57, n_episodes),
        exit_outcome=np.array(["recovered", "not_recovered", "dropped_out"])[
            rng.integers(0, 3, n_episodes)
        ],
    )
    return episodes, Candidates(**_children(rng, n_candidates, fed=False))


def naive_summary(episodes: Episodes) -> object:
    """Before/after means of the fed by every grouping: what a report without a comparison
    shows."""
    outcomes = episode_outcomes(episodes)
    groupings = [
        group_by(keys)
        for keys in (episodes.kitchen_id, episodes.kelurahan, episodes.funding, episodes.indication)
    ]
    groupings.append(everyone(outcomes.recovered.shape[0]))
    means = []
    for grouping in groupings:
        for measure in Measure:
            values = outcomes.of(measure)
            known = ~np.isnan(values) & (grouping.codes >= 0)
            total = np.bincount(grouping.codes[known], values[known], grouping.n_groups)
            means.append(total / np.bincount(grouping.codes[known], minlength=grouping.n_groups))
    return means


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--episodes", type=int, default=5_000)
    parser.add_argument("--candidates", type=int, default=30_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    episodes, candidates = make_city(args.episodes, args.candidates)
    city = evaluate_city(episodes, candidates)
    whole = city.city
    change = whole.comparisons[Measure.WHZ_CHANGE]
    print(
        f"episodes: {args.episodes:,}, comparison rows: {args.candidates:,}; "
        f"matched {int(whole.n_matched[0]):,} with {int(whole.n_controls[0]):,} children"
    )
    print(
        f"WHZ change, fed minus matched: {change.difference[0]:+.2f} "
        f"({change.lower[0]:+.2f} to {change.upper[0]:+.2f}; built in: +0.30); "
        f"naive before/after: {whole.before_after[Measure.WHZ_CHANGE][0]:+.2f}"
    )
    baseline = best_of(args.repeats, lambda: naive_summary(episodes))
    full = best_of(args.repeats, lambda: evaluate_city(episodes, candidates))
    print(f"{'naive before/after summary (baseline)':44s} {baseline:7.3f} s")
    print(
        f"{'evaluate_city (matched, every grouping)':44s} {full:7.3f} s   {full / baseline:5.1f}x"
    )


if __name__ == "__main__":
    main()
