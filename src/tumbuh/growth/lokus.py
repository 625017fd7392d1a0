"""Tumbuh's rule for proposing the lokus kelurahan of a year (aksi 1, the analisis situasi;
docs/aksi.md, "Lokus"): rank the kelurahan by the number and by the rate of stunted
children of one bulan timbang round.

The juknis of the aksi konvergensi (docs/domain.md §9) has the kab/kota choose its lokus
by the number and the prevalence of stunted children, then the other data of the
situation analysis. Tumbuh turns that into one rule the TPPS can check by hand:

1. **number rank**: the kelurahan with the most stunted children is 1; equal numbers
   share the better rank (1, 1, 3);
2. **rate rank**: the same over the stunting rate (stunted / measured x 100), counted
   only where at least :data:`MIN_MEASURED` children were measured: below that one child
   more or less moves the rate by over 3 points. A kelurahan with too few measured gets
   the rank after the last ranked rate;
3. **score** = number rank + rate rank; the lowest score is proposed first;
4. ties: more keluarga risiko stunting (KRS) first, then lower coverage (D/S: weighed
   over registered balita of the round; a kelurahan whose children are less often weighed
   knows less of its stunting), then the kelurahan code.

The TPPS confirms the choice; the rule only proposes.

Pure: the caller passes the figures in.
"""

from collections.abc import Sequence
from dataclasses import dataclass

MIN_MEASURED = 30  # children measured below which a rate is not ranked


def percent(part: int | None, whole: int | None) -> float | None:
    """``part`` per 100 of ``whole``; None when either is missing or ``whole`` is 0."""
    if part is None or whole is None or whole <= 0:
        return None
    return 100.0 * part / whole


@dataclass(frozen=True)
class KelurahanFigures:
    """What the analysis knows of one kelurahan for one round."""

    code: str
    name: str
    stunted: int  # children stunted (TB/U below -2 SD) in the round
    measured: int  # children measured validly for TB/U in the round
    krs_families: int | None  # families at risk of stunting in the register
    weighed: int | None  # D of the round
    registered: int | None  # S of the round

    @property
    def stunted_percent(self) -> float | None:
        """The stunting rate, percent (None: nobody measured)."""
        return percent(self.stunted, self.measured)

    @property
    def coverage_percent(self) -> float | None:
        """D/S, percent (None: no S)."""
        return percent(self.weighed, self.registered)

    @property
    def rate_ranked(self) -> bool:
        """Whether enough children were measured to rank the rate."""
        return self.measured >= MIN_MEASURED


@dataclass(frozen=True)
class LokusRank:
    """A kelurahan's place in the proposal and how it was reached."""

    figures: KelurahanFigures
    rank: int  # 1 = proposed first
    number_rank: int
    rate_rank: int

    @property
    def score(self) -> int:
        """Number rank plus rate rank: lower is proposed earlier."""
        return self.number_rank + self.rate_rank


def competition_ranks(values: Sequence[float]) -> list[int]:
    """Rank 1 for the largest value; equal values share the better rank (1, 1, 3)."""
    return [1 + sum(other > value for other in values) for value in values]


def _rate_ranks(figures: Sequence[KelurahanFigures]) -> list[int]:
    ranked = [f for f in figures if f.rate_ranked]
    rates = [f.stunted_percent or 0.0 for f in ranked]
    by_code = dict(zip((f.code for f in ranked), competition_ranks(rates), strict=True))
    last = len(ranked) + 1
    return [by_code.get(f.code, last) for f in figures]


def rank_lokus(figures: Sequence[KelurahanFigures]) -> tuple[LokusRank, ...]:
    """Every kelurahan in the order proposed (module doc), each with its ranks."""
    number = competition_ranks([float(f.stunted) for f in figures])
    rate = _rate_ranks(figures)
    scored = [
        (n + r, -(f.krs_families or 0), _coverage_key(f), f.code, f, n, r)
        for f, n, r in zip(figures, number, rate, strict=True)
    ]
    scored.sort(key=lambda item: item[:4])
    return tuple(
        LokusRank(f, position, n, r) for position, (*_, f, n, r) in enumerate(scored, start=1)
    )


def _coverage_key(figures: KelurahanFigures) -> float:
    """Lower coverage first; an unknown coverage after every known one."""
    found = figures.coverage_percent
    return float("inf") if found is None else found
