"""Sampling designs for prevalence estimates, as WHO anthro builds them with R survey.

A :class:`SurveyDesign` holds the weights, primary sampling units (PSUs) and strata of
the rows of an analysis: ``svydesign(ids = ~cluster, strata = ~strata, weights = ~sw,
nest = TRUE)`` in anthro's R code (R/prevalence.R of anthro 1.1.0). Three estimators
match anthro's three computation paths (R/prevalence-simple.R, R/prevalence-hybrid-sw.R,
R/prevalence-survey.R): every row its own PSU with weight 1, every row its own PSU with
sampling weights, and the full cluster/strata design. The estimates themselves are in
:mod:`tumbuh.growth.domains`.
"""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.types import FloatArray, IntArray


class Estimator(StrEnum):
    """Which of anthro's three estimators a design follows."""

    SIMPLE = "simple"  # no weights, strata or clusters: every row counts once
    WEIGHTED = "weighted"  # sampling weights only (anthro's "hybrid" path)
    DESIGN = "design"  # clusters and/or strata, with or without weights (survey package)


@dataclass(frozen=True)
class SurveyDesign:
    """Weights, PSUs and strata of the rows an analysis uses."""

    estimator: Estimator
    weights: FloatArray  # sampling weight per row, >= 0 (0: the row adds nothing)
    psu: IntArray | None  # PSU code per row (0..n_psu-1); None: every row is its own PSU
    stratum: IntArray  # stratum code per row (0..n_strata-1)
    psu_stratum: IntArray  # stratum of each PSU (when psu is given)
    psus_in_stratum: IntArray  # PSUs of each stratum in the whole design

    @property
    def n_rows(self) -> int:
        """Rows in the design (all of them count for the degrees of freedom of SIMPLE)."""
        return int(self.weights.shape[0])

    @property
    def n_strata(self) -> int:
        """Number of strata."""
        return int(self.psus_in_stratum.shape[0])

    @property
    def degrees_of_freedom(self) -> float:
        """R survey's ``degf``: PSUs minus strata among rows with a non-zero weight."""
        weighted = self.weights != 0
        strata = np.unique(self.stratum[weighted]).size
        psus = int(weighted.sum()) if self.psu is None else np.unique(self.psu[weighted]).size
        return float(psus - strata)

    @property
    def row_degrees_of_freedom(self) -> float:
        """Rows minus one: anthro's closed-form estimators use it for the z-score means."""
        return float(self.n_rows - 1)


def _codes(values: ArrayLike, name: str) -> IntArray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if array.dtype.kind == "f" and np.isnan(array).any():
        raise ValueError(f"{name} has missing values; drop those rows first (anthro does)")
    if array.dtype.kind == "O" and any(v is None for v in array.tolist()):
        raise ValueError(f"{name} has missing values; drop those rows first (anthro does)")
    if array.dtype.kind == "O":
        array = array.astype(str)
    _, inverse = np.unique(array, return_inverse=True)
    return np.asarray(inverse, dtype=np.int64).ravel()


def _weights(weights: ArrayLike | None, n_rows: int) -> FloatArray:
    if weights is None:
        return np.ones(n_rows, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n_rows,):
        raise ValueError(f"weights must have {n_rows} values, got shape {w.shape}")
    if not np.all(np.isfinite(w) & (w >= 0)):
        raise ValueError("weights must be finite and not negative (anthro sets missing ones to 0)")
    return w


def simple_design(n_rows: int) -> SurveyDesign:
    """Every row counts once (anthro without ``sw``, ``cluster`` and ``strata``)."""
    return _row_design(Estimator.SIMPLE, np.ones(n_rows, dtype=np.float64))


def weighted_design(weights: ArrayLike) -> SurveyDesign:
    """Sampling weights, no clusters or strata (anthro with ``sw`` only)."""
    w = np.asarray(weights, dtype=np.float64)
    return _row_design(Estimator.WEIGHTED, _weights(w, w.shape[0] if w.ndim == 1 else -1))


def _row_design(estimator: Estimator, weights: FloatArray) -> SurveyDesign:
    n = weights.shape[0]
    return SurveyDesign(
        estimator=estimator,
        weights=weights,
        psu=None,
        stratum=np.zeros(n, dtype=np.int64),
        psu_stratum=np.zeros(0, dtype=np.int64),
        psus_in_stratum=np.array([n], dtype=np.int64),
    )


def cluster_design(
    n_rows: int,
    *,
    weights: ArrayLike | None = None,
    strata: ArrayLike | None = None,
    cluster: ArrayLike | None = None,
) -> SurveyDesign:
    """A stratified cluster sample, as anthro builds it with R's ``svydesign``.

    Clusters are nested in strata (``nest = TRUE``: a PSU is a stratum-cluster pair). No
    clusters, or a single cluster value for all rows, makes every row its own PSU (anthro
    then uses ``ids = ~1``). Without strata there is one stratum. Missing cluster or
    stratum values are a programming error here: anthro drops those rows before.
    """
    w = _weights(weights, n_rows)
    stratum = np.zeros(n_rows, dtype=np.int64) if strata is None else _codes(strata, "strata")
    cluster_codes = None if cluster is None else _codes(cluster, "cluster")
    if stratum.shape[0] != n_rows or (
        cluster_codes is not None and cluster_codes.shape[0] != n_rows
    ):
        raise ValueError(f"strata and cluster must have {n_rows} values")
    n_strata = int(stratum.max()) + 1 if n_rows else 0
    if cluster_codes is None or np.unique(cluster_codes).size <= 1:
        return SurveyDesign(
            estimator=Estimator.DESIGN,
            weights=w,
            psu=None,
            stratum=stratum,
            psu_stratum=np.zeros(0, dtype=np.int64),
            psus_in_stratum=np.bincount(stratum, minlength=n_strata).astype(np.int64),
        )
    pairs, psu = np.unique(
        stratum * (int(cluster_codes.max()) + 1) + cluster_codes, return_inverse=True
    )
    psu_stratum = pairs // (int(cluster_codes.max()) + 1)
    return SurveyDesign(
        estimator=Estimator.DESIGN,
        weights=w,
        psu=np.asarray(psu, dtype=np.int64).ravel(),
        stratum=stratum,
        psu_stratum=psu_stratum.astype(np.int64),
        psus_in_stratum=np.bincount(psu_stratum, minlength=n_strata).astype(np.int64),
    )
