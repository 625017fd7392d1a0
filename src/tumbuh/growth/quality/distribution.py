"""Shape of the z-score distribution and clustering of cases (docs/data-quality.md §2 and §4).

With d = z - mean over the n values of a group (flagged values removed first):

* SD = sqrt(sum d^2 / (n - 1));
* skewness = sqrt(n) sum d^3 / (sum d^2)^1.5 (nipnTK ``skewKurt``, R ``moments``);
* excess kurtosis = n sum d^4 / (sum d^2)^2 - 3 (SMART scale, normal = 0); Pearson
  kurtosis is the same without "- 3" (WHO report and TEAM scale, normal = 3);
* SE(skewness) = sqrt(6n(n-1) / ((n-2)(n+1)(n+3)));
  SE(kurtosis) = 2 SE(skewness) sqrt((n^2 - 1) / ((n-3)(n+5))).

Poisson test (index of dispersion, ENA for SMART): c_i is the number of cases (WHZ < -2,
non-flagged) in cluster i of a unit; ID = var(c) / mean(c) with the n-1 variance;
chi^2 = ID (k - 1) with k - 1 df, p the upper tail; n/a with fewer than 2 clusters or no
case. Green's index (ID - 1) / (sum c - 1) is shown as extra information.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.growth.quality._grouped import (
    as_float,
    as_int,
    count,
    group_codes,
    pair_codes,
    share,
    total,
)
from tumbuh.growth.quality.stats import chi2_sf
from tumbuh.growth.types import BoolArray, FloatArray, IntArray

MIN_CLUSTERS = 2


@dataclass(frozen=True)
class Moments:
    """Per group: n, mean, SD, skewness, kurtosis (both scales) and their standard errors."""

    n: IntArray
    mean: FloatArray
    sd: FloatArray
    skewness: FloatArray
    excess_kurtosis: FloatArray  # SMART scale: normal = 0
    pearson_kurtosis: FloatArray  # WHO/TEAM scale: normal = 3
    se_skewness: FloatArray
    se_kurtosis: FloatArray


@dataclass(frozen=True)
class PoissonTest:
    """Per group (unit): clusters, cases and the index-of-dispersion test."""

    n_clusters: IntArray  # clusters with at least one usable z-score
    n_cases: IntArray  # sum of c_i
    index_of_dispersion: FloatArray
    statistic: FloatArray  # ID * (k - 1)
    p_value: FloatArray  # upper tail with k - 1 df; NaN when not applicable
    greens_index: FloatArray  # (ID - 1) / (sum c - 1)


def _usable(z: FloatArray, exclude: BoolArray | None) -> BoolArray:
    usable = ~np.isnan(z)
    if exclude is not None:
        usable &= ~np.asarray(exclude, dtype=bool)
    return usable


def moments(
    z: FloatArray,
    group: IntArray,
    *,
    exclude: BoolArray | None = None,
    n_groups: int | None = None,
) -> Moments:
    """Distribution summary of z per group, leaving out missing and ``exclude``d values."""
    zz = as_float(z, np.asarray(group).size, "z")
    codes, n_groups = group_codes(group, zz.size, n_groups)
    usable = _usable(zz, exclude)
    n = count(codes, usable, n_groups)
    mean = share(total(codes, zz, usable, n_groups), n)
    centre = np.where(codes >= 0, mean[np.clip(codes, 0, None)], np.nan)
    d = np.where(usable, zz - centre, 0.0)
    s2, s3, s4 = (total(codes, d**p, usable, n_groups) for p in (2, 3, 4))
    nf = n.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.where(n > 1, np.sqrt(s2 / (nf - 1.0)), np.nan)
        spread = n > 1
        skewness = np.where(spread & (s2 > 0), np.sqrt(nf) * s3 / s2**1.5, np.nan)
        pearson = np.where(spread & (s2 > 0), nf * s4 / s2**2, np.nan)
        se_skew = np.where(
            n > 2, np.sqrt(6.0 * nf * (nf - 1) / ((nf - 2) * (nf + 1) * (nf + 3))), np.nan
        )
        se_kurt = np.where(
            n > 3, 2.0 * se_skew * np.sqrt((nf**2 - 1) / ((nf - 3) * (nf + 5))), np.nan
        )
    return Moments(
        n=n,
        mean=mean,
        sd=sd,
        skewness=skewness,
        excess_kurtosis=pearson - 3.0,
        pearson_kurtosis=pearson,
        se_skewness=se_skew,
        se_kurtosis=se_kurt,
    )


def poisson_dispersion(
    z: FloatArray,
    group: IntArray,
    cluster: IntArray,
    *,
    case_cut: float = -2.0,
    exclude: BoolArray | None = None,
    n_groups: int | None = None,
) -> PoissonTest:
    """Index-of-dispersion test of cases (z < ``case_cut``) across the clusters of each group.

    ``cluster`` holds the cluster (posyandu) code of each row; a cluster counts in a group
    when it has at least one usable z-score there.
    """
    zz = as_float(z, np.asarray(group).size, "z")
    codes, n_groups = group_codes(group, zz.size, n_groups)
    clusters = as_int(cluster, zz.size, "cluster")
    usable = _usable(zz, exclude) & (codes >= 0)
    with np.errstate(invalid="ignore"):
        case = usable & (zz < case_cut)
    pair_group, pair_of_row = pair_codes(codes[usable], clusters[usable])
    cases = np.bincount(pair_of_row, weights=case[usable], minlength=pair_group.size)
    k = np.bincount(pair_group, minlength=n_groups).astype(np.int64)
    sum_c = np.bincount(pair_group, weights=cases, minlength=n_groups)
    sum_c2 = np.bincount(pair_group, weights=cases**2, minlength=n_groups)
    kf = k.astype(np.float64)
    applicable = (k >= MIN_CLUSTERS) & (sum_c > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_c = sum_c / kf
        var_c = (sum_c2 - sum_c**2 / kf) / (kf - 1.0)
        index = np.where(applicable, var_c / mean_c, np.nan)
        statistic = index * (kf - 1.0)
        greens = np.where(applicable & (sum_c > 1), (index - 1.0) / (sum_c - 1.0), np.nan)
    p_value = chi2_sf(statistic, np.where(applicable, kf - 1.0, np.nan))
    return PoissonTest(
        n_clusters=k,
        n_cases=np.rint(sum_c).astype(np.int64),
        index_of_dispersion=index,
        statistic=statistic,
        p_value=p_value,
        greens_index=greens,
    )
