"""Data quality of a weighing round: ``tumbuh report quality`` and the web's badges.

Both run one pipeline: the rows of :func:`tumbuh.db.quality_data.read_round`, the SMART
score of :func:`tumbuh.usecases.quality_checks.smart_report` (each child's last
measurement of the month, age in completed months, values a unit slip explains left out)
and the thresholds of the ``TUMBUH_DQ_*`` settings. So the badge of an area on the web
shows the score the report prints for the same area and month (issue 12); the badge once
had its own age rule and the default thresholds, and the two could disagree.
"""

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection

from tumbuh.config import Settings
from tumbuh.db.quality_data import read_round
from tumbuh.growth.periods import Period
from tumbuh.growth.quality import Band, CleaningSettings, QualitySettings, Reason, ScoreStatus
from tumbuh.growth.quality.score import SmartReport
from tumbuh.reports.quality_results import CheckValue, QualityReport, SurveyGap, UnitQuality
from tumbuh.usecases.areas import AreaLevel
from tumbuh.usecases.quality_checks import assess, assess_levels, smart_report

__all__ = [
    "AreaLevel",
    "AreaQuality",
    "CheckValue",
    "QualityReport",
    "SurveyGap",
    "UnitQuality",
    "area_badges",
    "assess",
    "assess_levels",
    "cleaning_settings",
    "quality_report",
    "quality_settings",
]

# The badge levels: the city (None), then every kecamatan, kelurahan and posyandu.
BADGE_LEVELS = (None, AreaLevel.KECAMATAN, AreaLevel.KELURAHAN, AreaLevel.POSYANDU)


@dataclass(frozen=True)
class AreaQuality:
    """The SMART result of one area in one round: what a badge shows."""

    status: ScoreStatus
    band: Band | None
    total_points: float | None
    n_children: int
    n_criteria: int
    triggered: tuple[Reason, ...]  # criteria worse than excellent, most points first


def quality_settings(settings: Settings) -> QualitySettings:
    """The checks' thresholds from the ``TUMBUH_DQ_*`` settings (docs/configuration.md)."""
    return QualitySettings(
        min_children=settings.dq_min_children,
        smart_flag_distance=settings.dq_smart_flag_distance,
        expected_male_share=settings.dq_expected_male_share,
        expected_age_ratio=settings.dq_expected_age_ratio,
        poisson_case_cut=settings.dq_poisson_case_cut,
        team_flagged_share=settings.dq_team_flagged_share,
        team_skewness=settings.dq_team_skewness,
        team_kurtosis_low=settings.dq_team_kurtosis_low,
        team_kurtosis_high=settings.dq_team_kurtosis_high,
        coverage_target=settings.dq_coverage_target,
        coverage_trusted=settings.dq_coverage_trusted,
        missing_share=settings.dq_missing_share,
        position_mismatch_share=settings.dq_position_mismatch_share,
        carried_forward_share=settings.dq_copied_height_share,
        implausible_share=settings.dq_implausible_share,
    )


def cleaning_settings(settings: Settings) -> CleaningSettings:
    """growthcleanr's parameters, with the height tolerance from the settings."""
    return CleaningSettings(height_tolerance_cm=settings.dq_height_tolerance_cm)


def quality_report(
    connection: Connection, period: Period, settings: Settings, by: AreaLevel | None = None
) -> QualityReport:
    """Every check of the month ``period`` for the city and, with ``by``, each area of that
    level, ranked (``tumbuh report quality``)."""
    data = read_round(connection, period, city_code=settings.city_code)
    return assess(
        data, by, settings=quality_settings(settings), cleaning=cleaning_settings(settings)
    )


def area_badges(
    connection: Connection, period: Period, settings: Settings
) -> dict[str, AreaQuality]:
    """The SMART result of the city and of every kecamatan, kelurahan and posyandu (by code)
    in the month ``period``, as the report scores it; areas where nobody was measured are
    left out (the page shows no badge)."""
    data = read_round(connection, period, city_code=settings.city_code, history=False)
    rows = data.smart_rows()
    thresholds = quality_settings(settings)
    result: dict[str, AreaQuality] = {}
    for level in BADGE_LEVELS:
        table = data.units(level)
        n = len(table.codes)
        group = table.of_posyandu(data.month.posyandu)
        report = smart_report(data, group, n, thresholds)
        chosen = group[rows]
        seen = np.bincount(chosen[chosen >= 0], minlength=n)
        for unit, code in enumerate(table.codes):
            if code is not None and seen[unit]:
                result[code] = _area_quality(report, unit)
    return result


def _area_quality(report: SmartReport, i: int) -> AreaQuality:
    status = ScoreStatus(int(report.status[i]))
    total = float(report.total_points[i])
    band = int(report.band[i])
    worse = [
        (int(c.points[i]), reason)
        for reason, c in report.criteria.items()
        if int(c.band[i]) > Band.EXCELLENT
    ]
    worse.sort(key=lambda item: -item[0])
    return AreaQuality(
        status=status,
        band=None if status is ScoreStatus.TOO_FEW or band < 0 else Band(band),
        total_points=None if np.isnan(total) else total,
        n_children=int(report.n_children[i]),
        n_criteria=int(report.n_criteria[i]),
        triggered=tuple(reason for _, reason in worse),
    )
