"""Data-quality checks on routine growth data (issue 6; docs/data-quality.md).

Pure and vectorised: arrays in (one element per measurement or per child, plus an integer
group code per element such as posyandu x round), frozen dataclasses out (one element per
group). Methods, thresholds and sources: ``docs/methods-quality.md``.

* :mod:`.flags` WHO, SMART and raw-MUAC flags;  :mod:`.missing` missing values, duplicates;
* :mod:`.demography` sex ratio, age ratio, age distribution and heaping;
* :mod:`.position` position against age;  :mod:`.digits` digit preference and heaping;
* :mod:`.distribution` SD, skewness, kurtosis, Poisson dispersion;
* :mod:`.longitudinal` / :mod:`.cleaning` copied values and growthcleanr-style cleaning;
* :mod:`.score` SMART plausibility score;  :mod:`.who_report` the unscored WHO report;
* :mod:`.coverage` D/S and register vs survey;  :mod:`.ranking` ranking with reasons.
"""

from tumbuh.growth.quality.cleaning import clean_parameter
from tumbuh.growth.quality.codes import (
    DEFAULT_SETTINGS,
    NOT_AVAILABLE,
    SMART_CRITERIA,
    Band,
    QualitySettings,
    Reason,
    ScoreStatus,
)
from tumbuh.growth.quality.coverage import coverage, survey_comparison
from tumbuh.growth.quality.longitudinal import (
    Cleaning,
    CleaningSettings,
    Parameter,
    cleaning_summary,
    copied_values,
)
from tumbuh.growth.quality.ranking import quality_checks, rank_units
from tumbuh.growth.quality.score import smart_plausibility
from tumbuh.growth.quality.who_report import who_report

__all__ = [
    "DEFAULT_SETTINGS",
    "NOT_AVAILABLE",
    "SMART_CRITERIA",
    "Band",
    "Cleaning",
    "CleaningSettings",
    "Parameter",
    "QualitySettings",
    "Reason",
    "ScoreStatus",
    "clean_parameter",
    "cleaning_summary",
    "copied_values",
    "coverage",
    "quality_checks",
    "rank_units",
    "smart_plausibility",
    "survey_comparison",
    "who_report",
]
