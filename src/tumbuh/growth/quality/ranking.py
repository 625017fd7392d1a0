"""Ranking of posyandu (or any unit) by data quality, with machine-readable reasons.

Every check becomes a :class:`Check`: one value per unit in display units (percent for
shares), the limit it is judged against, whether it is triggered and its SMART points.
Units are ranked best first by: enough children for a score (units with fewer than
``min_children`` come last), then the SMART penalty total (partial totals as they are,
never rescaled), then the number of triggered unscored warnings, then the unit code.
For units with too few children the SMART criteria and the TEAM shape rules are not
reported as reasons (they are unstable there, docs/data-quality.md §0); counts such as
flagged shares, missing values, copied heights and coverage still are.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from tumbuh.growth.enums import Indicator
from tumbuh.growth.quality._grouped import share
from tumbuh.growth.quality.codes import (
    DEFAULT_SETTINGS,
    NOT_AVAILABLE,
    Band,
    QualitySettings,
    Reason,
    ScoreStatus,
)
from tumbuh.growth.quality.coverage import Coverage
from tumbuh.growth.quality.longitudinal import IMPLAUSIBLE, CleaningSummary, CopiedReport
from tumbuh.growth.quality.score import SmartReport
from tumbuh.growth.quality.who_report import WhoReport
from tumbuh.growth.types import BoolArray, FloatArray, Int8Array, IntArray

_TEAM_FLAGS = {
    Indicator.HAZ: Reason.WHO_FLAGGED_HAZ,
    Indicator.WAZ: Reason.WHO_FLAGGED_WAZ,
    Indicator.WHZ: Reason.WHO_FLAGGED_WHZ,
}
_TEAM_SHAPE = {
    Indicator.HAZ: (Reason.SKEWNESS_HAZ, Reason.KURTOSIS_HAZ),
    Indicator.WAZ: (Reason.SKEWNESS_WAZ, Reason.KURTOSIS_WAZ),
}


@dataclass(frozen=True)
class Check:
    """One check for every unit: value, limit, whether it is triggered, SMART points."""

    reason: Reason
    value: FloatArray  # display units: percent for shares, p, DPS, SD, skewness, ...
    limit: float  # the excellent/acceptable edge the value is judged against
    triggered: BoolArray
    points: Int8Array  # SMART penalty points; 0 for unscored checks, -1 n/a


class ReasonItem(NamedTuple):
    """One triggered reason of one unit, ready to be rendered by an adapter."""

    reason: Reason
    value: float
    limit: float
    points: int


@dataclass(frozen=True)
class Ranking:
    """Units ordered best first, with the triggered checks of each."""

    order: IntArray  # unit codes, best first
    rank: IntArray  # per unit: 1 = best
    status: Int8Array  # ScoreStatus per unit
    total_points: FloatArray  # SMART total per unit (NaN when too few children)
    n_warnings: IntArray  # triggered unscored checks per unit
    checks: tuple[Check, ...]

    def reasons(self, unit: int) -> list[ReasonItem]:
        """The triggered checks of ``unit``, most penalty points first, then check order."""
        items = [
            ReasonItem(c.reason, float(c.value[unit]), c.limit, int(max(c.points[unit], 0)))
            for c in self.checks
            if c.triggered[unit]
        ]
        return sorted(items, key=lambda item: -item.points)


def _unscored(reason: Reason, value: FloatArray, limit: float, triggered: BoolArray) -> Check:
    zeros = np.zeros(value.shape, dtype=np.int8)
    return Check(reason, value, limit, np.asarray(triggered, dtype=bool), zeros)


def _smart_checks(smart: SmartReport, too_few: BoolArray) -> list[Check]:
    checks = []
    for reason, criterion in smart.criteria.items():
        triggered = (criterion.band > Band.EXCELLENT) & ~too_few
        points = np.where(too_few, NOT_AVAILABLE, criterion.points).astype(np.int8)
        excellent_edge = criterion.limits[2] if reason is Reason.SD_WHZ else criterion.limits[0]
        checks.append(Check(reason, criterion.value, excellent_edge, triggered, points))
    return checks


def _who_checks(who: WhoReport, too_few: BoolArray, s: QualitySettings) -> list[Check]:
    checks = []
    for indicator, reason in _TEAM_FLAGS.items():
        if indicator in who.indices:
            summary = who.indices[indicator]
            value = 100.0 * summary.flags.share_of_rows
            checks.append(
                _unscored(reason, value, 100.0 * s.team_flagged_share, summary.many_flagged)
            )
    for indicator, (skew_reason, kurt_reason) in _TEAM_SHAPE.items():
        if indicator in who.indices:
            summary = who.indices[indicator]
            checks.append(
                _unscored(
                    skew_reason,
                    summary.moments.skewness,
                    s.team_skewness,
                    summary.asymmetric & ~too_few,
                )
            )
            checks.append(
                _unscored(
                    kurt_reason,
                    summary.moments.pearson_kurtosis,
                    s.team_kurtosis_high,
                    summary.odd_tails & ~too_few,
                )
            )
    with np.errstate(invalid="ignore"):
        missing = 100.0 * who.missing.worst_share
        mismatch = 100.0 * who.position.mismatch_share
        checks.append(
            _unscored(
                Reason.MISSING_VALUES,
                missing,
                100.0 * s.missing_share,
                missing > 100.0 * s.missing_share,
            )
        )
        checks.append(
            _unscored(
                Reason.POSITION_MISMATCH,
                mismatch,
                100.0 * s.position_mismatch_share,
                mismatch > 100.0 * s.position_mismatch_share,
            )
        )
    return checks


def quality_checks(
    smart: SmartReport,
    who: WhoReport | None = None,
    *,
    coverage: Coverage | None = None,
    copied: CopiedReport | None = None,
    cleaning: Sequence[CleaningSummary] = (),
    settings: QualitySettings = DEFAULT_SETTINGS,
) -> tuple[Check, ...]:
    """Every available check per unit, from reports computed with the same unit codes."""
    too_few = smart.status == ScoreStatus.TOO_FEW
    checks = _smart_checks(smart, too_few)
    if who is not None:
        checks += _who_checks(who, too_few, settings)
    with np.errstate(invalid="ignore"):
        if copied is not None:
            value = 100.0 * copied.height_repeated_share
            limit = 100.0 * settings.carried_forward_share
            checks.append(_unscored(Reason.HEIGHT_CARRIED_FORWARD, value, limit, value > limit))
        if cleaning:
            columns = [int(x) for x in IMPLAUSIBLE]
            implausible = np.sum([c.counts[:, columns].sum(axis=1) for c in cleaning], axis=0)
            checked = np.sum([c.n_checked for c in cleaning], axis=0)
            value = 100.0 * share(implausible, checked)
            limit = 100.0 * settings.implausible_share
            checks.append(_unscored(Reason.LONGITUDINAL_IMPLAUSIBLE, value, limit, value > limit))
        if coverage is not None:
            checks.append(
                _unscored(
                    Reason.COVERAGE_LOW,
                    100.0 * coverage.ratio,
                    100.0 * settings.coverage_target,
                    coverage.below_target,
                )
            )
    checks.append(
        _unscored(
            Reason.TOO_FEW_CHILDREN,
            smart.n_children.astype(np.float64),
            float(settings.min_children),
            too_few,
        )
    )
    n_groups = smart.n_children.size
    for check in checks:
        if check.value.shape != (n_groups,):
            raise ValueError(f"{check.reason} has {check.value.shape} values, expected {n_groups}")
    return tuple(checks)


def rank_units(smart: SmartReport, checks: Sequence[Check]) -> Ranking:
    """Order units best first (see the module docstring) and keep their reasons."""
    n_groups = smart.n_children.size
    too_few = smart.status == ScoreStatus.TOO_FEW
    unscored = [
        c
        for c in checks
        if c.reason not in smart.criteria and c.reason is not Reason.TOO_FEW_CHILDREN
    ]
    n_warnings = (
        np.sum([c.triggered for c in unscored], axis=0).astype(np.int64)
        if unscored
        else np.zeros(n_groups, dtype=np.int64)
    )
    total = np.where(np.isnan(smart.total_points), np.inf, smart.total_points)
    units = np.arange(n_groups)
    order = np.lexsort((units, n_warnings, total, too_few))
    rank = np.empty(n_groups, dtype=np.int64)
    rank[order] = np.arange(1, n_groups + 1)
    return Ranking(
        order=order.astype(np.int64),
        rank=rank,
        status=smart.status,
        total_points=smart.total_points,
        n_warnings=n_warnings,
        checks=tuple(checks),
    )
