"""Drawing of the KMS-style growth charts: page, bands, grid, SD lines, the child's line.

The data come from :mod:`tumbuh.reports.growth_charts`, which explains the choices.
"""

import itertools
import math
from dataclasses import dataclass

from tumbuh.growth.enums import Sex
from tumbuh.growth.weight_gain import KMS_LINES
from tumbuh.i18n import Language, translations
from tumbuh.reports import style
from tumbuh.reports.axes import LegendEntry, LinearScale, label, legend_row, nice_ticks, title_text
from tumbuh.reports.svg import Element, document, element, points

SDS = KMS_LINES  # the lines drawn are the ones bounding the channels N/T is judged on
WIDTH, HEIGHT = 760.0, 540.0
LEFT, RIGHT_ROOM, BOTTOM_ROOM = 58.0, 34.0, 78.0


@dataclass(frozen=True)
class Plot:
    """What to draw, whatever the indicator: x in months or cm."""

    curves: dict[int, list[tuple[float, float]]]  # SD -> (x, value) along the curve
    measurements: list[tuple[float, float, bool, str]]  # x, value, flagged, tooltip
    x_range: tuple[float, float]
    x_unit: str  # "months" or "cm"
    x_label: str
    y_label: str


def draw(plot: Plot, sex: Sex, title: str, language: Language, ident: str | None) -> str:
    _ = translations(language).gettext
    palette = style.KMS_PALETTES[sex]
    top, bottom, right = 62.0, HEIGHT - BOTTOM_ROOM, WIDTH - RIGHT_ROOM
    y_values = [v for sd in (-3, 3) for _x, v in plot.curves[sd]]
    y_values += [m[1] for m in plot.measurements]
    y_ticks = nice_ticks(min(y_values), max(y_values), max_ticks=14, multiples=(1, 2, 5))
    x = LinearScale(plot.x_range[0], plot.x_range[1], LEFT, right)
    y = LinearScale(y_ticks[0], y_ticks[-1], bottom, top)
    flagged = sum(1 for m in plot.measurements if m[2])
    parts: list[Element | None] = [
        element("rect", x=0, y=0, width=WIDTH, height=HEIGHT, fill=style.BACKGROUND),
        element("rect", x=LEFT, y=top, width=right - LEFT, height=bottom - top, fill=palette.page),
        _bands(plot, x, y),
        _x_grid(plot, x, palette, language, top, bottom),
        _y_grid(y_ticks, y, right, palette, language),
        _sd_lines(plot, x, y, right),
        element(
            "rect",
            x=LEFT,
            y=top,
            width=right - LEFT,
            height=bottom - top,
            fill="none",
            stroke=palette.frame,
            stroke_width=1.5,
        ),
        title_text(16, 24, title, colour=palette.frame),
        label(
            16,
            42,
            _("Curves: WHO Child Growth Standards 2006 (Permenkes 2/2020)"),
            size=style.SMALL_SIZE,
            colour=style.MUTED,
        ),
        label(LEFT, top - 8, plot.y_label, colour=palette.frame, bold=True),
        label((LEFT + right) / 2, bottom + 34, plot.x_label, anchor="middle", colour=palette.frame),
        _child(plot, x, y, palette),
        _legend(palette, flagged > 0, language),
    ]
    description = _(
        "{count} measurements against the WHO curves at -3 to +3 SD; "
        "{flagged} flagged as implausible."
    ).format(count=len(plot.measurements), flagged=flagged)
    return document(
        WIDTH, HEIGHT, title=title, description=description, children=parts, ident=ident
    )


def _bands(plot: Plot, x: LinearScale, y: LinearScale) -> Element:
    bands = []
    for lower, upper in itertools.pairwise(SDS):
        colour = style.KMS_BANDS[max(abs(lower), abs(upper))]
        outline = [(x(a), y(b)) for a, b in plot.curves[upper]]
        outline += [(x(a), y(b)) for a, b in reversed(plot.curves[lower])]
        bands.append(element("polygon", points=points(outline, places=1), fill=colour))
    return element("g", *bands, class_="bands")


def _x_grid(
    plot: Plot,
    x: LinearScale,
    palette: style.KmsPalette,
    language: Language,
    top: float,
    bottom: float,
) -> Element:
    """White vertical lines over the bands (as printed on the KMS), every month or cm;
    stronger every year or 10 cm; labels every 3 months (1 on short charts) or 5 cm."""
    low, high = plot.x_range
    in_months = plot.x_unit == "months"
    major = 3 if in_months and high - low > 24 else (1 if in_months else 5)
    emphasis = 12 if in_months else 10
    lines: list[Element] = []
    for tick in range(math.ceil(low), math.floor(high) + 1):
        at = x(tick)
        strong = tick % emphasis == 0
        lines.append(
            element(
                "line",
                x1=at,
                y1=top,
                x2=at,
                y2=bottom,
                stroke=style.BACKGROUND,
                stroke_width=1.4 if strong else 0.6,
                stroke_opacity=0.9 if strong else 0.6,
            )
        )
        if tick % major == 0:
            text = style.format_number(tick, 0, language)
            lines.append(label(at, bottom + 15, text, anchor="middle", colour=palette.frame))
    return element("g", *lines, class_="grid x-axis")


def _y_grid(
    ticks: list[float], y: LinearScale, right: float, palette: style.KmsPalette, language: Language
) -> Element:
    """White horizontal lines at the value ticks, labels left of the frame."""
    places = style.places_for_step(ticks[1] - ticks[0])
    lines: list[Element] = []
    for value in ticks:
        at = y(value)
        lines.append(
            element(
                "line",
                x1=LEFT,
                y1=at,
                x2=right,
                y2=at,
                stroke=style.BACKGROUND,
                stroke_width=0.6,
                stroke_opacity=0.7,
            )
        )
        text = style.format_number(value, places, language)
        lines.append(label(LEFT - 6, at + 3.5, text, anchor="end", colour=palette.frame))
    return element("g", *lines, class_="grid y-axis")


def _sd_lines(plot: Plot, x: LinearScale, y: LinearScale, right: float) -> Element:
    lines: list[Element] = []
    for sd in SDS:
        colour = style.KMS_LINES[abs(sd)]
        xy = [(x(a), y(b)) for a, b in plot.curves[sd]]
        lines.append(
            element(
                "polyline",
                points=points(xy, places=1),
                fill="none",
                stroke=colour,
                stroke_width=0.9 if abs(sd) == 1 else 1.6,
                class_=f"sd sd-{sd}".replace("-", "m") if sd < 0 else f"sd sd-{sd}",
                data_sd=str(sd),
            )
        )
        lines.append(
            label(
                right + 4, xy[-1][1] + 3.5, str(sd), size=style.SMALL_SIZE, colour=colour, bold=True
            )
        )
    return element("g", *lines, class_="curves")


def _child(plot: Plot, x: LinearScale, y: LinearScale, palette: style.KmsPalette) -> Element:
    ordered = sorted(plot.measurements, key=lambda m: m[0])
    joined = [(x(m[0]), y(m[1])) for m in ordered if not m[2]]
    parts: list[Element] = []
    if len(joined) > 1:
        parts.append(
            element(
                "polyline",
                points=points(joined),
                fill="none",
                stroke=palette.child,
                stroke_width=2,
                stroke_linejoin="round",
            )
        )
    for mx, my, flagged, tip in ordered:
        cx, cy = x(mx), y(my)
        if flagged:
            d = f"M{cx - 4:.2f} {cy - 4:.2f}L{cx + 4:.2f} {cy + 4:.2f}"
            d += f"M{cx - 4:.2f} {cy + 4:.2f}L{cx + 4:.2f} {cy - 4:.2f}"
            parts.append(
                element(
                    "path",
                    element("title", tip),
                    d=d,
                    stroke=style.FLAGGED,
                    stroke_width=2.4,
                    class_="point flagged",
                )
            )
        else:
            parts.append(
                element(
                    "circle",
                    element("title", tip),
                    cx=cx,
                    cy=cy,
                    r=3.8,
                    fill=palette.child,
                    stroke=style.BACKGROUND,
                    stroke_width=1,
                    class_="point",
                )
            )
    return element("g", *parts, class_="child")


def _legend(palette: style.KmsPalette, any_flagged: bool, language: Language) -> Element:
    _ = translations(language).gettext
    entries = [LegendEntry(_("Measurement"), palette.child, kind="dot")]
    if any_flagged:
        entries.append(LegendEntry(_("Flagged as implausible"), style.FLAGGED, kind="cross"))
    entries += [
        LegendEntry(_("Median line"), style.KMS_LINES[0]),
        LegendEntry("-2 / +2 SD", style.KMS_LINES[2]),
        LegendEntry("-3 / +3 SD", style.KMS_LINES[3]),
    ]
    return legend_row(entries, x=LEFT, y=HEIGHT - 20, width=WIDTH - LEFT - 16)
