"""The data-quality results as users read them: names, values, bands and reasons.

Shared by ``tumbuh report quality``, the semester report and the web application. The
message ids are the English templates of :mod:`tumbuh.growth.quality.reasons`
(Indonesian in ``locale/id/LC_MESSAGES/quality.po``); numbers are written the user's way
(``2,6`` in Indonesian) with as many decimals as each kind of value needs.
"""

import math

from tumbuh.growth.quality import Band, Reason, ScoreStatus
from tumbuh.growth.quality.bands import MAX_TOTAL
from tumbuh.growth.quality.reasons import (
    BAND_LABELS,
    REASON_NAMES,
    REASON_TEMPLATES,
    STATUS_TEMPLATES,
)
from tumbuh.i18n import Language, translations
from tumbuh.reports.style import format_number

_PERCENTS = frozenset(
    {
        Reason.SMART_FLAGGED_WHZ,
        Reason.WHO_FLAGGED_HAZ,
        Reason.WHO_FLAGGED_WAZ,
        Reason.WHO_FLAGGED_WHZ,
        Reason.MISSING_VALUES,
        Reason.POSITION_MISMATCH,
        Reason.HEIGHT_CARRIED_FORWARD,
        Reason.LONGITUDINAL_IMPLAUSIBLE,
        Reason.COVERAGE_LOW,
    }
)
_P_VALUES = frozenset({Reason.SEX_RATIO, Reason.AGE_RATIO, Reason.POISSON_WHZ})
_WHOLE = frozenset({Reason.DPS_WEIGHT, Reason.DPS_HEIGHT, Reason.DPS_MUAC, Reason.TOO_FEW_CHILDREN})
SMALLEST_P = 0.001  # smaller p-values are written "< 0,001" in tables
SMALLEST_EXACT_P = 1e-6  # and "< 0,000001" in sentences


def is_percent(reason: Reason) -> bool:
    """The check's value and limit are percentages."""
    return reason in _PERCENTS


def value_text(
    reason: Reason, value: float | None, language: Language, *, exact: bool = False
) -> str:
    """A check's value: percent to 1 decimal, p to 3 (``< 0,001`` below), DPS whole,
    SD, skewness and kurtosis to 2; an en dash when it could not be computed.

    ``exact`` writes a p below 0.001 with two significant digits (``0,00011``) down to
    0.000001, for sentences that say "p = ...".
    """
    if value is None:
        return "\u2013"
    if reason in _P_VALUES and value < SMALLEST_P:
        if exact and value >= SMALLEST_EXACT_P:
            places = 1 - math.floor(math.log10(value))
            return format_number(value, places, language)
        floor = SMALLEST_EXACT_P if exact else SMALLEST_P
        return "< " + format_number(floor, round(-math.log10(floor)), language)
    return format_number(value, _places(reason), language)


def limit_text(reason: Reason, limit: float, language: Language) -> str:
    """A check's limit with no more decimals than it has (``0,1``, ``2,5``, ``80``)."""
    for places in range(4):
        if abs(round(limit, places) - limit) < 1e-9:
            return format_number(limit, places, language)
    return format_number(limit, 3, language)


def _places(reason: Reason) -> int:
    if reason in _PERCENTS:
        return 1
    if reason in _P_VALUES:
        return 3
    if reason in _WHOLE:
        return 0
    return 2


def reason_name(reason: Reason, language: Language) -> str:
    """The short name of a check (``Preferensi digit, berat badan``)."""
    return translations(language).gettext(REASON_NAMES[reason])


def reason_sentence(reason: Reason, value: float, limit: float, language: Language) -> str:
    """What was found and what to do, with the numbers filled in."""
    template = translations(language).gettext(REASON_TEMPLATES[reason])
    return template.format(
        value=value_text(reason, value, language, exact=True),
        limit=limit_text(reason, limit, language),
    )


def band_label(band: Band | None, language: Language) -> str:
    """``Sangat baik``, ``Baik``, ``Dapat diterima``, ``Bermasalah``; a dash for none."""
    return "\u2013" if band is None else translations(language).gettext(BAND_LABELS[band])


def status_text(
    status: ScoreStatus, total: float | None, n_criteria: int, language: Language
) -> str:
    """``Skor 22 dari 105``, ``Skor sebagian 6, 9 dari 10 kriteria`` or the too-few text."""
    template = translations(language).gettext(STATUS_TEMPLATES[status])
    shown = "\u2013" if total is None else format_number(total, 0, language)
    return template.format(total=shown, maximum=MAX_TOTAL, k=n_criteria)
