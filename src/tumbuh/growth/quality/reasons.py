"""English message templates for the quality reasons, bands and statuses.

The templates are message ids of the translation catalog (Indonesian in
``locale/id/LC_MESSAGES/quality.po``): an adapter translates the template, then fills
``{value}`` and ``{limit}`` with numbers it has formatted (percent values are already
percentages). The core itself never shows text to users.
"""

from tumbuh.growth.quality.codes import Band, Reason, ScoreStatus

REASON_TEMPLATES: dict[Reason, str] = {
    Reason.SMART_FLAGGED_WHZ: (
        "{value}% of WHZ values lie more than 3 from the mean (SMART flags); more than {limit}% "
        "lowers the score. Re-check weight, length/height and sex of these children"
    ),
    Reason.SEX_RATIO: (
        "boys and girls are out of balance (test p = {value}; p of {limit} or less lowers the "
        "score). Check that boys and girls are weighed alike"
    ),
    Reason.AGE_RATIO: (
        "children of 6-29 and 30-59 months are out of balance (test p = {value}; p of {limit} "
        "or less lowers the score). Check that older children still come to the posyandu"
    ),
    Reason.DPS_WEIGHT: (
        "weights end in some decimals far more often than others (digit preference score "
        "{value}; above {limit} lowers the score). Read the scale to 0.1 kg and write what it "
        "shows"
    ),
    Reason.DPS_HEIGHT: (
        "lengths/heights end in some decimals far more often than others (digit preference "
        "score {value}; above {limit} lowers the score). Read the board to 0.1 cm and write "
        "what it shows"
    ),
    Reason.DPS_MUAC: (
        "MUAC values end in some digits far more often than others (digit preference score "
        "{value}; above {limit} lowers the score). Read the tape to the whole millimetre"
    ),
    Reason.SD_WHZ: (
        "the spread of WHZ is unusual (SD {value}; 0.90 to 1.10 is excellent). Re-check "
        "weights and lengths/heights"
    ),
    Reason.SKEWNESS_WHZ: (
        "the WHZ distribution is lopsided (|skewness| {value}; below {limit} is excellent). "
        "Re-check the extreme values"
    ),
    Reason.KURTOSIS_WHZ: (
        "the WHZ distribution has unusual tails (|excess kurtosis| {value}; below {limit} is "
        "excellent). Re-check the extreme values"
    ),
    Reason.POISSON_WHZ: (
        "wasted children (WHZ below -2) are concentrated in some posyandu more than chance "
        "explains (Poisson test p = {value}; p of {limit} or less lowers the score). Compare "
        "scales and measuring practice between posyandu"
    ),
    Reason.WHO_FLAGGED_HAZ: (
        "{value}% of HAZ values are outside WHO's plausible limits (more than {limit}% may "
        "signal problems). Re-check length/height, birth date and sex"
    ),
    Reason.WHO_FLAGGED_WAZ: (
        "{value}% of WAZ values are outside WHO's plausible limits (more than {limit}% may "
        "signal problems). Re-check weight, birth date and sex"
    ),
    Reason.WHO_FLAGGED_WHZ: (
        "{value}% of WHZ values are outside WHO's plausible limits (more than {limit}% may "
        "signal problems). Re-check weight and length/height"
    ),
    Reason.SKEWNESS_HAZ: (
        "the HAZ distribution is asymmetric (skewness {value}; beyond plus or minus {limit} "
        "is asymmetric). Re-check lengths/heights and birth dates"
    ),
    Reason.SKEWNESS_WAZ: (
        "the WAZ distribution is asymmetric (skewness {value}; beyond plus or minus {limit} "
        "is asymmetric). Re-check weights and birth dates"
    ),
    Reason.KURTOSIS_HAZ: (
        "the HAZ distribution has unusual tails (kurtosis {value}; 2 to {limit} is expected). "
        "Re-check lengths/heights and birth dates"
    ),
    Reason.KURTOSIS_WAZ: (
        "the WAZ distribution has unusual tails (kurtosis {value}; 2 to {limit} is expected). "
        "Re-check weights and birth dates"
    ),
    Reason.MISSING_VALUES: (
        "{value}% of a key entry (birth date, sex, weight, length/height or position) is "
        "missing; more than {limit}% needs attention. Fill in the missing entries"
    ),
    Reason.POSITION_MISMATCH: (
        "{value}% of children were measured in the wrong position for their age; more than "
        "{limit}% needs attention. Measure children under 2 years lying down and older "
        "children standing"
    ),
    Reason.HEIGHT_CARRIED_FORWARD: (
        "{value}% of lengths/heights are identical to the child's previous one, probably "
        "copied; more than {limit}% needs attention. Measure length/height at every visit"
    ),
    Reason.LONGITUDINAL_IMPLAUSIBLE: (
        "{value}% of values do not fit the child's own growth curve; more than {limit}% needs "
        "attention. Re-check these measurements"
    ),
    Reason.COVERAGE_LOW: (
        "only {value}% of the target children were weighed (D/S); the target is {limit}%. "
        "Figures from this area describe only the children who came"
    ),
    Reason.TOO_FEW_CHILDREN: (
        "too few children ({value}) for a quality score; at least {limit} are needed"
    ),
}

BAND_LABELS: dict[Band, str] = {
    Band.EXCELLENT: "Excellent",
    Band.GOOD: "Good",
    Band.ACCEPTABLE: "Acceptable",
    Band.PROBLEMATIC: "Problematic",
}

STATUS_TEMPLATES: dict[ScoreStatus, str] = {
    ScoreStatus.SCORED: "Score {total} of {maximum}",
    ScoreStatus.PARTIAL: "Partial score {total}, {k} of 10 criteria",
    ScoreStatus.TOO_FEW: "Too few children",
}

REASON_NAMES: dict[Reason, str] = {
    Reason.SMART_FLAGGED_WHZ: "Flagged WHZ (SMART)",
    Reason.SEX_RATIO: "Sex ratio",
    Reason.AGE_RATIO: "Age ratio 6-29 : 30-59 months",
    Reason.DPS_WEIGHT: "Digit preference, weight",
    Reason.DPS_HEIGHT: "Digit preference, length/height",
    Reason.DPS_MUAC: "Digit preference, MUAC",
    Reason.SD_WHZ: "SD of WHZ",
    Reason.SKEWNESS_WHZ: "Skewness of WHZ",
    Reason.KURTOSIS_WHZ: "Kurtosis of WHZ",
    Reason.POISSON_WHZ: "Clustering of wasting (Poisson test)",
    Reason.WHO_FLAGGED_HAZ: "HAZ outside WHO limits",
    Reason.WHO_FLAGGED_WAZ: "WAZ outside WHO limits",
    Reason.WHO_FLAGGED_WHZ: "WHZ outside WHO limits",
    Reason.SKEWNESS_HAZ: "Skewness of HAZ",
    Reason.SKEWNESS_WAZ: "Skewness of WAZ",
    Reason.KURTOSIS_HAZ: "Kurtosis of HAZ",
    Reason.KURTOSIS_WAZ: "Kurtosis of WAZ",
    Reason.MISSING_VALUES: "Missing values",
    Reason.POSITION_MISMATCH: "Measuring position",
    Reason.HEIGHT_CARRIED_FORWARD: "Copied lengths/heights",
    Reason.LONGITUDINAL_IMPLAUSIBLE: "Implausible growth curves",
    Reason.COVERAGE_LOW: "Coverage (D/S)",
    Reason.TOO_FEW_CHILDREN: "Too few children",
}
