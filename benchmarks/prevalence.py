"""Speed of the prevalence engine with a survey design, against R anthro's 121 s.

Run: .venv/bin/python benchmarks/prevalence.py [--rows N] [--repeats K]

Builds N rows (default 100,000) by resampling, with a fixed seed, the rows of anthro's
design reference input (``tests/data/anthro/anthro-prevalence-public-design-input.csv``:
sampling weights, 8 strata, 240 clusters, and the five optional groupings), as a CSV
reader gives them (numbers as numbers, text as text). Then it times, best of K runs:

1. end to end: z-scores + anthro's row rules + every prevalence table, as
   ``anthro_prevalence(sw, cluster, strata, typeres, gregion, wealthq, mothered, othergr)``
   computes it (135 columns x 38 groups);
2. the prevalence step alone (design-based estimates for the 9 groupings, inputs ready);
3. for information, ``tumbuh prevalence`` on a CSV file of the same rows (reading every
   cell as text, parsing it, and writing the table).

R anthro 1.1.0 with survey 4.5 needs 121 s for the same 100,000 rows on this machine.
"""

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from _timing import best_of
from tumbuh.growth.prevalence import survey_prevalence_tables
from tumbuh.growth.prevalence_frame import AnthroOptions, anthro_prevalence, prepare_prevalence

R_SECONDS_100K = 121.0
SOURCE = (
    Path(__file__).resolve().parents[1]
    / "tests"
    / "data"
    / "anthro"
    / "anthro-prevalence-public-design-input.csv"
)
OPTIONS = AnthroOptions(
    sw="sw",
    cluster="cluster",
    strata="strata",
    groupings={name: name for name in ("typeres", "gregion", "wealthq", "mothered", "othergr")},
)


def make_rows(n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` rows resampled from the design reference input."""
    source = pd.read_csv(SOURCE, keep_default_na=False, na_values=[""])
    rng = np.random.default_rng(seed)
    return source.iloc[rng.integers(0, len(source), n)].reset_index(drop=True)


def cli_run(frame: pd.DataFrame) -> Callable[[], object]:
    """``tumbuh prevalence`` on a CSV of ``frame`` (through Typer, as a user runs it)."""
    from typer.testing import CliRunner

    from tumbuh.cli import app, register_commands

    register_commands()
    folder = Path(tempfile.mkdtemp(prefix="tumbuh-bench-"))
    source, output = folder / "rows.csv", folder / "prevalence.csv"
    frame.to_csv(source, index=False)
    args = ["prevalence", str(source), "-o", str(output), "--weights", "sw"]
    args += ["--strata", "strata", "--cluster", "cluster"]
    for name in ("typeres", "gregion", "wealthq", "mothered", "othergr"):
        args += [f"--{name}", name]

    def run() -> object:
        result = CliRunner().invoke(app, args)
        if result.exit_code != 0:
            raise RuntimeError(result.output)
        return result

    return run


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    frame = make_rows(args.rows)
    prepared = prepare_prevalence(frame, OPTIONS)
    groupings = [grouping for _, grouping in prepared.groupings]

    def end_to_end() -> object:
        return anthro_prevalence(frame, OPTIONS)

    def prevalence_only() -> object:
        return survey_prevalence_tables(
            prepared.scores, prepared.design, groupings, indicators=prepared.indicators
        )

    r_seconds = R_SECONDS_100K * args.rows / 100_000
    print(
        f"rows: {args.rows:,} (design: {prepared.design.estimator.value}, "
        f"{len(groupings)} groupings, {len(anthro_prevalence(frame, OPTIONS).table)} groups)"
    )
    print(f"R anthro 1.1.0 + survey 4.5: {r_seconds:.0f} s (121 s per 100,000 rows)")
    for label, run in (
        ("end to end (z-scores + prevalence)", end_to_end),
        ("prevalence step alone", prevalence_only),
        ("tumbuh prevalence on a CSV file", cli_run(frame)),
    ):
        seconds = best_of(args.repeats, run)
        print(f"{label:36s} {seconds:7.3f} s   {r_seconds / seconds:7.0f}x faster than R")


if __name__ == "__main__":
    main()
