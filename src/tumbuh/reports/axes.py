"""Scales, tick values and the pieces every chart draws: axes, grid lines, legends.

Tick steps are "nice numbers", 1, 2, 2.5 or 5 times a power of ten (after Heckbert, *Nice
numbers for graph labels*, Graphics Gems, 1990), so an axis reads 0 - 2,5 - 5 - 7,5,
never 0 - 2,37 - 4,74.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tumbuh.reports import style
from tumbuh.reports.svg import Attribute, Element, element, text_width


@dataclass(frozen=True)
class LinearScale:
    """Maps ``domain`` (data units) linearly onto ``range`` (SVG user units)."""

    domain_low: float
    domain_high: float
    range_low: float
    range_high: float

    def __call__(self, value: float) -> float:
        span = self.domain_high - self.domain_low
        fraction = (value - self.domain_low) / span if span else 0.0
        return self.range_low + fraction * (self.range_high - self.range_low)


NICE_MULTIPLES = (1.0, 2.0, 2.5, 5.0)


def nice_step(span: float, max_ticks: int, multiples: tuple[float, ...] = NICE_MULTIPLES) -> float:
    """The smallest step of ``multiples`` x 10^k giving at most ``max_ticks`` intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(max_ticks, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for multiple in (*multiples, 10.0):
        if multiple * power >= raw * (1 - 1e-9):
            return multiple * power
    return 10.0 * power


def nice_ticks(
    low: float, high: float, max_ticks: int = 6, multiples: tuple[float, ...] = NICE_MULTIPLES
) -> list[float]:
    """Ticks from a multiple of the step at or below ``low`` to one at or above ``high``."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"ticks need finite limits, got {low!r} and {high!r}")
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = nice_step(high - low, max_ticks, multiples)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def title_text(x: float, y: float, text: str, *, colour: str = style.TEXT) -> Element:
    """A chart heading, bold, left-aligned at ``x``."""
    return element(
        "text", text, x=x, y=y, font_size=style.TITLE_SIZE, font_weight="bold", fill=colour
    )


def label(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: float = style.LABEL_SIZE,
    colour: str = style.TEXT,
    bold: bool = False,
    rotate: float | None = None,
) -> Element:
    """A text label; ``rotate`` turns it (degrees) around its anchor point."""
    return element(
        "text",
        text,
        x=x,
        y=y,
        font_size=size,
        fill=colour,
        text_anchor=None if anchor == "start" else anchor,
        font_weight="bold" if bold else None,
        transform=None if rotate is None else f"rotate({rotate:g} {x:.2f} {y:.2f})",
    )


def haloed_label(x: float, y: float, text: str, *, size: float, anchor: str = "middle") -> Element:
    """A label with a white outline drawn underneath, readable over any fill.

    Two copies instead of ``paint-order``, which PDF converters do not all honour.
    """
    common: dict[str, Attribute] = {"x": x, "y": y, "font_size": size, "text_anchor": anchor}
    return element(
        "g",
        element(
            "text",
            text,
            fill=style.HALO,
            stroke=style.HALO,
            stroke_width=2.5,
            stroke_linejoin="round",
            aria_hidden="true",
            **common,
        ),
        element("text", text, fill=style.TEXT, **common),
    )


def level_line(
    at: float,
    left: float,
    right: float,
    text: str,
    *,
    colour: str,
    dash: str,
    stroke_width: float,
    class_: str,
) -> Element:
    """A dashed horizontal line across the plot at ``at`` (a target, an expected count),
    labelled in bold at its right end."""
    return element(
        "g",
        element(
            "line",
            x1=left,
            y1=at,
            x2=right,
            y2=at,
            stroke=colour,
            stroke_width=stroke_width,
            stroke_dasharray=dash,
        ),
        label(right - 4, at - 5, text, anchor="end", colour=colour, bold=True),
        class_=class_,
    )


def value_axis(
    ticks: Sequence[float], formatted: Callable[[float, int], str]
) -> tuple[Callable[[float], str], float]:
    """The labels of a vertical value axis (``formatted(value, places)``, with the places
    the step between ticks needs) and the plot's left edge, which leaves room for the
    widest label."""
    places = style.places_for_step(ticks[1] - ticks[0])

    def tick_text(value: float) -> str:
        return formatted(value, places)

    return tick_text, 14 + max(text_width(tick_text(t), style.LABEL_SIZE) for t in ticks)


def horizontal_grid(
    ticks: Sequence[float],
    scale: LinearScale,
    *,
    left: float,
    right: float,
    tick_label: Callable[[float], str],
) -> Element:
    """Horizontal grid lines with their value labels right-aligned left of the plot."""
    lines: list[Element] = []
    for tick in ticks:
        y = scale(tick)
        lines.append(element("line", x1=left, y1=y, x2=right, y2=y, stroke=style.GRID))
        lines.append(label(left - 6, y + 3.5, tick_label(tick), anchor="end", colour=style.MUTED))
    return element("g", *lines, class_="grid")


def vertical_grid(
    ticks: Sequence[float],
    scale: LinearScale,
    *,
    top: float,
    bottom: float,
    tick_label: Callable[[float], str],
) -> Element:
    """Vertical grid lines with their value labels centred below the plot."""
    lines: list[Element] = []
    for tick in ticks:
        x = scale(tick)
        lines.append(element("line", x1=x, y1=top, x2=x, y2=bottom, stroke=style.GRID))
        lines.append(label(x, bottom + 14, tick_label(tick), anchor="middle", colour=style.MUTED))
    return element("g", *lines, class_="grid")


@dataclass(frozen=True)
class LegendEntry:
    """One legend item: a swatch (line, dashed line, box or dot) and its text."""

    text: str
    colour: str
    kind: str = "line"  # "line", "box", "dot" or "cross"
    dash: str | None = None


def legend_row(entries: Sequence[LegendEntry], *, x: float, y: float, width: float) -> Element:
    """Legend items left to right, wrapping onto a new line when ``width`` is used up."""
    items: list[Element] = []
    cursor_x, cursor_y = x, y
    for entry in entries:
        item_width = _item_width(entry)
        if cursor_x > x and cursor_x + item_width > x + width:
            cursor_x, cursor_y = x, cursor_y + 18
        items.append(_swatch(entry, cursor_x, cursor_y))
        items.append(label(cursor_x + 26, cursor_y + 4, entry.text))
        cursor_x += item_width
    return element("g", *items, class_="legend")


def legend_height(entries: Sequence[LegendEntry], width: float) -> float:
    """Height that :func:`legend_row` needs for ``entries`` in ``width``."""
    if not entries:
        return 0.0
    rows, cursor = 1, 0.0
    for entry in entries:
        item_width = _item_width(entry)
        if cursor > 0 and cursor + item_width > width:
            rows, cursor = rows + 1, 0.0
        cursor += item_width
    return rows * 18.0


def _item_width(entry: LegendEntry) -> float:
    # 15 % slack: browsers without Helvetica or Arial fall back to wider fonts (DejaVu Sans).
    return 26 + text_width(entry.text, style.LABEL_SIZE) * 1.15 + 18


def _swatch(entry: LegendEntry, x: float, y: float) -> Element:
    if entry.kind == "box":
        return element("rect", x=x + 4, y=y - 5, width=14, height=10, fill=entry.colour)
    if entry.kind == "dot":
        return element("circle", cx=x + 11, cy=y, r=4, fill=entry.colour)
    if entry.kind == "cross":
        d = f"M{x + 7:.2f} {y - 4:.2f}l8 8m0 -8l-8 8"
        return element("path", d=d, stroke=entry.colour, stroke_width=2.4, fill="none")
    return element(
        "line",
        x1=x,
        y1=y,
        x2=x + 22,
        y2=y,
        stroke=entry.colour,
        stroke_width=2.5,
        stroke_dasharray=entry.dash,
    )
