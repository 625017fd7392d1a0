"""The labels users see for the anthropometric indicators: one mapping (STYLE.md section 4).

Code uses WHO's codes (``haz``, ``waz``, ``whz``, ``baz``); users read the abbreviations
of Permenkes 2/2020, Standar Antropometri Anak, which are the same in Bahasa Indonesia
and English (docs/glossary.md). The regulation names length-for-age and
weight-for-length PB/U and BB/PB for a child measured lying (0-24 months) and TB/U and
BB/TB standing (24-60 months); ``lying`` picks those, and :func:`both_labels` writes the
pair when a table covers every age.
"""

from collections.abc import Callable

from tumbuh.growth.enums import Indicator

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
