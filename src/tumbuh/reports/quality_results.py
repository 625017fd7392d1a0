"""Data quality of one weighing round as plain results: what the quality reports draw from.

:mod:`tumbuh.usecases.quality` computes these from the register (every check of
:mod:`tumbuh.growth.quality` per area); ``tumbuh report quality`` and the semester report
(:mod:`tumbuh.reports.semester_quality`) only render them, so they live with the reports.
"""

from dataclasses import dataclass

from tumbuh.growth.enums import Indicator
from tumbuh.growth.quality import Band, Reason, ScoreStatus
from tumbuh.growth.quality.ranking import ReasonItem


@dataclass(frozen=True)
class CheckValue:
    """One check of one area: value (display units), limit, triggered, SMART points."""

    reason: Reason
    value: float | None  # None where it could not be computed
    limit: float
    triggered: bool
    points: int | None  # SMART penalty points; 0 for unscored checks; None n/a
    band: Band | None = None  # SMART criteria only: the criterion's band


@dataclass(frozen=True)
class SurveyGap:
    """A survey figure of the area and year beside the register prevalence."""

    survey: str  # SSGI, SKI, ...
    year: int
    percent: float
    low_percent: float | None
    high_percent: float | None
    source: str | None
    gap_points: float | None  # survey minus register, percentage points
    ratio: float | None  # survey / register


@dataclass(frozen=True)
class UnitQuality:
    """Every data-quality result of one area (the city, a kecamatan, kelurahan or posyandu)."""

    code: str | None  # Kemendagri code or posyandu code; None: measured at no posyandu
    name: str
    level: str  # kota, kecamatan, kelurahan, posyandu
    rank: int  # among the areas of its level, 1 = best
    n_measurements: int  # measurements in the month
    n_children: int  # D: distinct children measured in the month
    n_smart: int  # children 6-59 months with a WHZ (the SMART population)
    status: ScoreStatus
    total_points: float | None  # SMART total; None when too few children
    band: Band | None  # band of the total
    n_criteria: int  # SMART criteria that could be computed (of 10)
    sex_ratio: float | None  # boys : girls among the SMART children
    age_ratio: float | None  # 6-29 : 30-59 months among the SMART children
    criteria: tuple[CheckValue, ...]  # the 10 SMART criteria, in the published order
    checks: tuple[CheckValue, ...]  # the unscored checks (WHO/TEAM, warnings, coverage)
    reasons: tuple[ReasonItem, ...]  # triggered checks, most points first
    target: float | None  # S, the target number of balita
    coverage_percent: float | None  # D/S x 100
    n_valid_haz: int  # register: children with a valid HAZ
    n_stunted: int
    register_percent: float | None
    surveys: tuple[SurveyGap, ...]
    height_digits: tuple[int, ...]  # how many heights end in .0, .1, ... .9
    weight_digits: tuple[int, ...]
    n_position_checked: int
    n_position_mismatch: int  # standing under 24 months or lying from 24 months
    n_position_missing: int
    n_with_previous: int  # measurements with an earlier one of the same child
    n_height_repeated: int  # height identical to the previous one
    n_both_repeated: int  # weight and height identical: likely copied records
    n_cleaned: int  # weights and heights judged against the child's own curve
    n_implausible: int  # of those, excluded (SD cutoff, EWMA extremes, height decreases)
    n_who_flagged: dict[Indicator, int]
    n_unit_slips: int  # weights or heights that a unit slip explains

    def criterion(self, reason: Reason) -> CheckValue:
        """The SMART criterion or check with this reason."""
        for check in (*self.criteria, *self.checks):
            if check.reason is reason:
                return check
        raise KeyError(reason)


@dataclass(frozen=True)
class QualityReport:
    """Data quality of one month: the city, and the areas of one level ranked."""

    period: str  # YYYY-MM
    level: str | None  # kecamatan, kelurahan, posyandu; None: the city alone
    city: UnitQuality
    units: tuple[UnitQuality, ...]  # areas of ``level`` in code order

    def ranked(self) -> list[UnitQuality]:
        """The areas best first (see :func:`tumbuh.growth.quality.rank_units`)."""
        return sorted(self.units, key=lambda unit: unit.rank)

    def worst(self, count: int) -> list[UnitQuality]:
        """The ``count`` lowest-ranked areas with a quality problem, worst first.

        "Too few children" alone is not a problem of the data, so such areas are skipped.
        """
        flagged = [
            unit
            for unit in self.ranked()
            if any(item.reason is not Reason.TOO_FEW_CHILDREN for item in unit.reasons)
        ]
        return list(reversed(flagged))[:count]
