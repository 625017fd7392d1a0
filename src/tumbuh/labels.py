"""The labels users see: one mapping per concept (docs/style.md §4).

Every label here is an English message id; translate it with ``gettext`` where it is
shown (the Indonesian text is in the catalogs). Where the CLI, the web pages and the
semester report word a concept differently (a short name on a page, the cut-off in a
CLI table, a column heading in the report), each wording is its own mapping here, side
by side, so that a new reason or flow is named everywhere in one edit.

Indicators. Code uses WHO's codes (``haz``, ``waz``, ``whz``, ``baz``); users read the abbreviations
of Permenkes 2/2020, Standar Antropometri Anak, which are the same in Bahasa Indonesia
and English (docs/glossary.md). The regulation names length-for-age and
weight-for-length PB/U and BB/PB for a child measured lying (0-24 months) and TB/U and
BB/TB standing (24-60 months); ``lying`` picks those, and :func:`both_labels` writes the
pair when a table covers every age.
"""

from collections.abc import Callable, Mapping
from enum import Enum
from typing import TypeVar

from tumbuh.growth.enums import Indicator
from tumbuh.growth.flows import Flow
from tumbuh.growth.referrals import ReferralReason
from tumbuh.growth.trend import Change

K = TypeVar("K", bound=Enum)

INDICATOR_LABELS: dict[Indicator, str] = {
    Indicator.WAZ: "BB/U",
    Indicator.HAZ: "TB/U",
    Indicator.WHZ: "BB/TB",
    Indicator.BAZ: "IMT/U",
    Indicator.HCZ: "LK/U",
    Indicator.ACZ: "LiLA/U",
}
LYING_LABELS: dict[Indicator, str] = {Indicator.HAZ: "PB/U", Indicator.WHZ: "BB/PB"}


def indicator_label(indicator: Indicator | str, *, lying: bool = False) -> str:
    """``TB/U`` for ``haz`` (``PB/U`` when ``lying``); the WHO code itself when the
    regulation has no abbreviation for it (the skinfolds)."""
    code = Indicator(indicator)
    if lying and code in LYING_LABELS:
        return LYING_LABELS[code]
    return INDICATOR_LABELS.get(code, code.value.upper())


def both_labels(indicator: Indicator | str, gettext: Callable[[str], str]) -> str:
    """``PB/U atau TB/U`` for ``haz``; a single label where lying and standing share it."""
    code = Indicator(indicator)
    if code not in LYING_LABELS:
        return indicator_label(code)
    return gettext("{lying} or {standing}").format(
        lying=indicator_label(code, lying=True), standing=indicator_label(code)
    )


# Full names of the indicators with a growth chart, as chart titles (message ids).
INDICATOR_TITLES: dict[Indicator, str] = {
    Indicator.HAZ: "Length/height-for-age (PB/U, TB/U)",
    Indicator.WAZ: "Weight-for-age (BB/U)",
    Indicator.BAZ: "BMI-for-age (IMT/U)",
    Indicator.HCZ: "Head circumference-for-age (LK/U)",
}
# Weight for length (lying, under 2 years) and weight for height (standing).
WEIGHT_FOR_LENGTH_TITLE = "Weight-for-length (BB/PB)"
WEIGHT_FOR_HEIGHT_TITLE = "Weight-for-height (BB/TB)"

# Referral reasons. T, 2T and BGM are the programme's own codes, the same in every
# language (the catalogs do not translate them).
PROGRAMME_CODES = frozenset({ReferralReason.T, ReferralReason.TWO_T, ReferralReason.BGM})
# Short names, on the web pages.
REASON_NAMES: dict[ReferralReason, str] = {
    ReferralReason.T: "T",
    ReferralReason.TWO_T: "2T",
    ReferralReason.BGM: "BGM",
    ReferralReason.ABOVE_ORANGE: "Above the orange line",
    ReferralReason.SEVERE_WASTING: "Severe wasting",
    ReferralReason.WASTED: "Wasting",
    ReferralReason.STUNTED: "Stunted",
    ReferralReason.UNDERWEIGHT: "Underweight",
    ReferralReason.FLAGGED_WAZ: "Implausible weight-for-age",
    ReferralReason.FLAGGED_HAZ: "Implausible length/height-for-age",
    ReferralReason.FLAGGED_WHZ: "Implausible weight-for-length/height",
    ReferralReason.FLAGGED_MUAC: "Implausible MUAC",
}
# With the cut-off, in running text (tumbuh report referrals).
REASON_RULES: dict[ReferralReason, str] = {
    ReferralReason.T: "T",
    ReferralReason.TWO_T: "2T",
    ReferralReason.BGM: "BGM",
    ReferralReason.ABOVE_ORANGE: "above the orange line",
    ReferralReason.SEVERE_WASTING: "severe wasting (WHZ < -3, MUAC < 11.5 cm or oedema)",
    ReferralReason.WASTED: "wasted (WHZ < -2 or MUAC < 12.5 cm)",
    ReferralReason.STUNTED: "stunted (HAZ < -2)",
    ReferralReason.UNDERWEIGHT: "underweight (WAZ < -2)",
    ReferralReason.FLAGGED_WAZ: "weight-for-age outside WHO's plausible range",
    ReferralReason.FLAGGED_HAZ: "length/height-for-age outside WHO's plausible range",
    ReferralReason.FLAGGED_WHZ: "weight-for-length/height outside WHO's plausible range",
    ReferralReason.FLAGGED_MUAC: "MUAC below 10 cm or above 20 cm",
}
# Column headings of the semester report.
REASON_HEADINGS: dict[ReferralReason, str] = {
    ReferralReason.T: "T",
    ReferralReason.TWO_T: "2T",
    ReferralReason.BGM: "BGM",
    ReferralReason.ABOVE_ORANGE: "Above the orange line",
    ReferralReason.SEVERE_WASTING: "Severely wasted (WHZ < -3)",
    ReferralReason.WASTED: "Wasted (WHZ < -2)",
    ReferralReason.STUNTED: "Stunted (HAZ < -2)",
    ReferralReason.UNDERWEIGHT: "Underweight (WAZ from -3 to below -2)",
    ReferralReason.FLAGGED_WAZ: "Implausible WAZ",
    ReferralReason.FLAGGED_HAZ: "Implausible HAZ",
    ReferralReason.FLAGGED_WHZ: "Implausible WHZ",
    ReferralReason.FLAGGED_MUAC: "Implausible MUAC",
}

# Cohort flows of stunting between two rounds: column headings (report, web pages).
FLOW_NAMES: dict[Flow, str] = {
    Flow.STILL_STUNTED: "Still stunted",
    Flow.NEWLY_STUNTED: "Newly stunted",
    Flow.RECOVERED: "Recovered",
    Flow.NEVER_STUNTED: "Never stunted",
    Flow.NO_LONGER_MEASURED: "No longer measured",
    Flow.AGED_OUT: "Aged out (60 months)",
    Flow.NEWLY_MEASURED: "Newly measured",
}
# The CLI's headings: the flows of one round show the stunted among them in brackets.
FLOW_NAMES_CLI: dict[Flow, str] = FLOW_NAMES | {
    Flow.NO_LONGER_MEASURED: "No longer measured (stunted)",
    Flow.AGED_OUT: "Aged out (stunted)",
    Flow.NEWLY_MEASURED: "Newly measured (stunted)",
}
FLOW_DEFINITIONS: dict[Flow, str] = {
    Flow.STILL_STUNTED: "Measured in both rounds, stunted in both.",
    Flow.NEWLY_STUNTED: "Measured in both rounds, stunted only in the second.",
    Flow.RECOVERED: "Measured in both rounds, stunted only in the first.",
    Flow.NEVER_STUNTED: "Measured in both rounds, stunted in neither.",
    Flow.NO_LONGER_MEASURED: "Measured in the first round only, and still a balita at the end "
    "of the second.",
    Flow.AGED_OUT: "Measured in the first round only, and 60 completed months or older on the "
    "last day of the second round: no longer a balita.",
    Flow.NEWLY_MEASURED: "Measured in the second round only (born since, moved in, or missed "
    "in the first).",
}

# How a prevalence moved since the previous period (empty: not known).
CHANGE_NAMES: dict[Change, str] = {
    Change.UP: "up",
    Change.DOWN: "down",
    Change.UNCLEAR: "within the uncertainty",
    Change.UNKNOWN: "",
}


def translated(names: Mapping[K, str], gettext: Callable[[str], str]) -> dict[K, str]:
    """``names`` in the user's language; an empty name stays empty."""
    return {key: gettext(name) if name else "" for key, name in names.items()}


# The counts of an import run (fields of tumbuh.db.import_runs.ImportRunInfo and keys of
# an import's audit row), as the import review pages, the audit log and
# `tumbuh import show` name them, in this order.
RUN_COUNT_LABELS: dict[str, str] = {
    "rows_read": "Rows read",
    "rows_skipped": "Rows with errors skipped",
    "measurements_added": "Measurements added",
    "children_added": "Children new",
    "children_changed": "Registered children completed",
    "mothers_added": "Mothers new",
    "families_added": "Families new",
    "posyandu_added": "Posyandu created",
}
