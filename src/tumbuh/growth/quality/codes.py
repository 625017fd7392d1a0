"""Codes shared by the data-quality checks: bands, criteria, reasons and the settings.

Results are arrays of small integers (one per group) so that thousands of posyandu are
judged at once; these enums name the codes. Reason codes are machine-readable: an adapter
turns them into Indonesian text through :data:`tumbuh.growth.quality.reasons.REASON_TEMPLATES`.
Thresholds are the defaults of docs/data-quality.md; those marked [project] are Tumbuh's own.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from tumbuh.growth.indicators import D_S_TARGET_2024

NOT_AVAILABLE = -1  # band or points code where a check could not be computed


class Band(IntEnum):
    """SMART's four quality classes (ENA for SMART plausibility check)."""

    EXCELLENT = 0
    GOOD = 1
    ACCEPTABLE = 2
    PROBLEMATIC = 3


class ScoreStatus(IntEnum):
    """Whether a unit's SMART score can be shown (docs/data-quality.md §0 and §2)."""

    SCORED = 0  # all 10 criteria available
    PARTIAL = 1  # "partial score, k of 10 criteria", never rescaled
    TOO_FEW = 2  # fewer children than dq_min_children: show "too few children"


class Reason(StrEnum):
    """Machine-readable code of one check, used in results and in the posyandu ranking."""

    # The ten SMART criteria, in the order of the published table.
    SMART_FLAGGED_WHZ = "smart_flagged_whz"
    SEX_RATIO = "sex_ratio"
    AGE_RATIO = "age_ratio"
    DPS_WEIGHT = "dps_weight"
    DPS_HEIGHT = "dps_height"
    DPS_MUAC = "dps_muac"
    SD_WHZ = "sd_whz"
    SKEWNESS_WHZ = "skewness_whz"
    KURTOSIS_WHZ = "kurtosis_whz"
    POISSON_WHZ = "poisson_whz"
    # The unscored WHO/UNICEF report (TEAM rules of thumb) and routine-data checks.
    WHO_FLAGGED_HAZ = "who_flagged_haz"
    WHO_FLAGGED_WAZ = "who_flagged_waz"
    WHO_FLAGGED_WHZ = "who_flagged_whz"
    SKEWNESS_HAZ = "skewness_haz"
    SKEWNESS_WAZ = "skewness_waz"
    KURTOSIS_HAZ = "kurtosis_haz"
    KURTOSIS_WAZ = "kurtosis_waz"
    MISSING_VALUES = "missing_values"
    POSITION_MISMATCH = "position_mismatch"
    HEIGHT_CARRIED_FORWARD = "height_carried_forward"
    LONGITUDINAL_IMPLAUSIBLE = "longitudinal_implausible"
    COVERAGE_LOW = "coverage_low"
    TOO_FEW_CHILDREN = "too_few_children"


SMART_CRITERIA: tuple[Reason, ...] = (
    Reason.SMART_FLAGGED_WHZ,
    Reason.SEX_RATIO,
    Reason.AGE_RATIO,
    Reason.DPS_WEIGHT,
    Reason.DPS_HEIGHT,
    Reason.DPS_MUAC,
    Reason.SD_WHZ,
    Reason.SKEWNESS_WHZ,
    Reason.KURTOSIS_WHZ,
    Reason.POISSON_WHZ,
)


@dataclass(frozen=True)
class QualitySettings:
    """Every threshold of the checks, with docs/data-quality.md's defaults ([project] = Tumbuh's).

    Adapters build this from configuration; the core never reads the environment.
    """

    min_children: int = 100  # dq_min_children [project]: fewer -> "too few children"
    smart_flag_distance: float = 3.0  # SMART flag: |z - unit mean| > 3
    expected_male_share: float = 0.5  # sex ratio test
    expected_age_ratio: float = 0.85  # 6-29 : 30-59 months
    poisson_case_cut: float = -2.0  # WHZ < -2 counted per cluster [project parameter]
    team_flagged_share: float = 0.01  # TEAM (v): > 1 % outside WHO flags may signal problems
    team_skewness: float = 0.5  # TEAM (vii): |skewness| > 0.5 is asymmetric
    team_kurtosis_low: float = 2.0  # TEAM (vii): Pearson kurtosis < 2 is light-tailed
    team_kurtosis_high: float = 4.0  # TEAM (vii): Pearson kurtosis > 4 is heavy-tailed
    coverage_target: float = D_S_TARGET_2024 / 100  # D/S: Perpres 72/2021's 2024 target
    coverage_trusted: float = 0.95  # BKKBN: e-PPGBM prevalence needs ~95 % coverage
    missing_share: float = 0.05  # [project] warn above 5 % missing in a key variable
    position_mismatch_share: float = 0.05  # [project] warn above 5 % mismatched positions
    carried_forward_share: float = 0.05  # [project] warn above 5 % copied heights
    implausible_share: float = 0.05  # [project] warn above 5 % longitudinal exclusions


DEFAULT_SETTINGS = QualitySettings()
