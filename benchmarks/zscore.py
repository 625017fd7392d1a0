"""Speed of the WHO 2006 z-score engine on 1,000,000 rows (prints rows/s and peak memory).

Run: .venv/bin/python benchmarks/zscore.py [--rows N]

Rows are drawn from the WHO distributions (ages 0-1856 days, plausible and implausible
measurements), like the anthro reference file. Three figures:
all eight indicators from arrays (``who2006.compute``), the four main indicators
(length/height-, weight-for-age, weight-for-length/height, BMI-for-age), and the
pandas adapter ``zscores(frame)`` from anthro's input columns.
R anthro 1.1.0 computes about 38,500 rows/s (all indicators) on this machine class.
"""

import argparse
import resource
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from _timing import best_of
from tumbuh.growth import who2006
from tumbuh.growth.enums import Indicator
from tumbuh.growth.frame import zscores

R_ANTHRO_ROWS_PER_SECOND = 38_500
MAIN_FOUR = (Indicator.HAZ, Indicator.WAZ, Indicator.WHZ, Indicator.BAZ)


def make_rows(n: int, seed: int = 1) -> dict[str, Any]:
    """Synthetic inputs with realistic spread and some missing or implausible values."""
    rng = np.random.default_rng(seed)
    age = rng.integers(0, 1857, n).astype(np.float64)
    age[rng.random(n) < 0.02] = np.nan
    months = age / 30.4375
    height = 50 + 40 * np.sqrt(months / 60) + rng.normal(0, 4, n)
    weight = 3.3 + 0.23 * months + rng.normal(0, 1.2, n)
    return {
        "sex": rng.integers(1, 3, n).astype(np.int8),
        "age": age,
        "age_in_months": np.zeros(n, dtype=bool),
        "weight_kg": np.clip(weight, 0.5, None),
        "lenhei_cm": height,
        "measure": np.where(age < 731, 1, 2).astype(np.int8),
        "oedema": rng.random(n) < 0.005,
        "headc_cm": 35 + 13 * np.sqrt(months / 60) + rng.normal(0, 1.5, n),
        "armc_cm": 14 + rng.normal(0, 1.3, n),
        "triskin_mm": 9 + rng.normal(0, 2, n),
        "subskin_mm": 7 + rng.normal(0, 1.8, n),
        "problems": np.zeros(n, dtype=np.uint32),
    }


def peak_memory(run: Callable[[], object]) -> int:
    """Peak bytes allocated (NumPy and Python, traced) while ``run`` executes."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = make_rows(args.rows)
    n = args.rows

    def all_indicators() -> object:
        return who2006.compute(**rows)

    def main_four() -> object:
        return who2006.compute(**rows, indicators=MAIN_FOUR)

    frame = pd.DataFrame(
        {
            "sex": rows["sex"],
            "age": rows["age"],
            "weight": rows["weight_kg"],
            "lenhei": rows["lenhei_cm"],
            "measure": np.where(rows["measure"] == 1, "l", "h"),
            "oedema": np.where(rows["oedema"], "y", "n"),
            "headc": rows["headc_cm"],
            "armc": rows["armc_cm"],
            "triskin": rows["triskin_mm"],
            "subskin": rows["subskin_mm"],
        }
    )

    def from_frame() -> object:
        return zscores(frame)

    print(f"rows: {n:,}")
    for label, run in (
        ("all 8 indicators, arrays", all_indicators),
        ("main 4 indicators, arrays", main_four),
        ("all 8 indicators, zscores(frame)", from_frame),
    ):
        seconds = best_of(args.repeats, run)
        peak = peak_memory(run)
        rate = n / seconds
        print(
            f"{label:34s} {seconds:7.3f} s  {rate / 1e6:6.2f} M rows/s"
            f"  ({rate / R_ANTHRO_ROWS_PER_SECOND:5.0f}x R anthro)"
            f"  peak {peak / 2**20:5.0f} MiB"
        )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole process (inputs included): {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
