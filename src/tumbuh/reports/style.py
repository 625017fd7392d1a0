"""Colours, type sizes and number formatting shared by every chart and map.

Series colours are the Okabe-Ito palette, distinguishable with the common forms of
colour blindness (Okabe and Ito, *Color Universal Design*, 2008). Map classes use
ColorBrewer's sequential YlOrRd scheme (Brewer, colorbrewer2.org; Harrower and Brewer,
*The Cartographic Journal* 40:27-37, 2003): light means low, dark red means high.
The growth-chart colours follow the Indonesian KMS in the Buku KIA: blue pages for boys,
pink for girls, green bands around the median and yellow bands towards +/-3 SD; the SD
lines follow WHO's own charts (0 green, +/-2 red, +/-3 black).
"""

import math
from dataclasses import dataclass

from tumbuh.formatting import format_decimal_places
from tumbuh.growth.enums import Sex
from tumbuh.i18n import Language

TEXT = "#222222"
MUTED = "#5f6368"
AXIS = "#7a7a7a"
GRID = "#e3e3e3"
BACKGROUND = "#ffffff"
NO_DATA = "#d9d9d9"
HALO = "#ffffff"

TITLE_SIZE = 15.0
LABEL_SIZE = 11.0
SMALL_SIZE = 9.5

# Okabe-Ito, in the order series are drawn.
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
NATIONAL_TARGET = "#C62828"
LOCAL_TARGET = "#E69F00"
BAR = "#5DA5DA"  # a lighter blue, so interval whiskers stay visible on the bars
FLAGGED = "#C62828"

# ColorBrewer YlOrRd, by number of classes (1 and 2 picked from the 5-class scheme).
SEQUENTIAL: dict[int, tuple[str, ...]] = {
    1: ("#fd8d3c",),
    2: ("#fecc5c", "#f03b20"),
    3: ("#ffeda0", "#feb24c", "#f03b20"),
    4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
    5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
    7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
}


@dataclass(frozen=True)
class KmsPalette:
    """Colours of one KMS card: page tint, frame and text, the child's line."""

    page: str  # background outside the +/-3 SD curves
    frame: str  # border, axes titles, heading
    child: str  # the child's line and points


KMS_PALETTES = {
    Sex.MALE: KmsPalette(page="#e3effb", frame="#1f5fa8", child="#0b2f66"),
    Sex.FEMALE: KmsPalette(page="#fce6f0", frame="#c2185b", child="#6d0f3a"),
}
# Bands between SD curves, by the larger |SD| of the two curves bounding them.
KMS_BANDS = {1: "#8fcf7a", 2: "#cdebbd", 3: "#fff09a"}
# SD lines by |SD|.
KMS_LINES = {0: "#1b7f3a", 1: "#e69f00", 2: "#c62828", 3: "#111111", 4: "#111111"}


def places_for_step(step: float) -> int:
    """Decimals needed to tell ticks ``step`` apart: 0.5 -> 1, 0.25 -> 2, 5 -> 0."""
    if step <= 0 or not math.isfinite(step):
        return 0
    places = 0
    while places < 6 and abs(round(step, places) - step) > step * 1e-9:
        places += 1
    return places


def format_number(value: float, places: int, language: Language) -> str:
    """A number as the user reads it (``2,62`` in Indonesian)."""
    return format_decimal_places(value, places, language)


def format_percent(value: float, places: int, language: Language) -> str:
    """A percentage: ``2,62%`` (no space, as Indonesian reports write it)."""
    return format_decimal_places(value, places, language) + "%"
