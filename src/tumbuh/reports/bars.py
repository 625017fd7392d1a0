"""Horizontal bar charts (one bar per area, with intervals) and histograms, as SVG markup."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from tumbuh.i18n import Language, translations
from tumbuh.reports import style
from tumbuh.reports.axes import (
    LinearScale,
    horizontal_grid,
    label,
    level_line,
    nice_ticks,
    title_text,
    value_axis,
    vertical_grid,
)
from tumbuh.reports.charts import (
    NATIONAL_DASH,
    Estimate,
    TargetLine,
    estimate_text,
    usable,
    with_unit,
)
from tumbuh.reports.svg import Element, document, element, text_width

ROW_HEIGHT = 22.0
LABEL_SHARE = 0.4  # at most this share of the width goes to the bar labels


class BarOrder(StrEnum):
    """Order of the bars: as given, largest first, or smallest first."""

    GIVEN = "given"
    DESCENDING = "descending"
    ASCENDING = "ascending"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its estimate (None: no data) and the area's Kemendagri code."""

    label: str
    estimate: Estimate | None
    kode: str | None = None


@dataclass(frozen=True)
class HistogramBin:
    """One column of a histogram: its label (e.g. the digit ``7``) and its count."""

    label: str
    count: float


def sort_bars(bars: Sequence[Bar], order: BarOrder) -> list[Bar]:
    """Bars in ``order``; bars without data always come last, in their given order."""
    known = [bar for bar in bars if usable(bar.estimate)]
    missing = [bar for bar in bars if not usable(bar.estimate)]
    if order is not BarOrder.GIVEN:
        known.sort(
            key=lambda bar: bar.estimate.value if bar.estimate else 0.0,
            reverse=order is BarOrder.DESCENDING,
        )
    return known + missing


def bar_chart(  # noqa: PLR0913 - keyword-only options, one per input
    bars: Sequence[Bar],
    *,
    title: str,
    description: str | None = None,
    value_label: str | None = None,
    unit: str = "%",
    places: int = 2,
    order: BarOrder = BarOrder.DESCENDING,
    reference: TargetLine | None = None,
    language: Language = Language.ID,
    width: float = 720,
    show_title: bool = True,
    ident: str | None = None,
) -> str:
    """Horizontal bars with interval whiskers and value labels, e.g. prevalence per kecamatan.

    Bars start at 0 (values are shares or counts; negative ones are drawn as 0). The
    height follows the number of bars. ``reference`` draws a dashed vertical line, e.g.
    the city's prevalence. Each bar carries ``data-kode`` when its code is known.
    """
    _ = translations(language).gettext
    rows = sort_bars(bars, order)
    top = (34.0 if show_title else 10.0) + 22
    height = top + ROW_HEIGHT * max(len(rows), 1) + 34
    label_width = min(
        width * LABEL_SHARE,
        max((text_width(bar.label, style.LABEL_SIZE) for bar in rows), default=0.0) * 1.1 + 12,
    )
    left = 16 + label_width
    value_room = 12 + max(
        (text_width(_bar_value(bar, places, unit, language), style.SMALL_SIZE) for bar in rows),
        default=0.0,
    )
    right = width - 16 - value_room
    bottom = top + ROW_HEIGHT * max(len(rows), 1)
    ticks = nice_ticks(0.0, _largest(rows, reference), max_ticks=5)
    x = LinearScale(ticks[0], ticks[-1], left, right)
    tick_places = style.places_for_step(ticks[1] - ticks[0])
    parts: list[Element | None] = [
        element("rect", x=0, y=0, width=width, height=height, fill=style.BACKGROUND),
        title_text(16, 22, title) if show_title else None,
        label(left, top - 10, value_label or _("Prevalence (%)"), colour=style.MUTED),
        vertical_grid(
            ticks,
            x,
            top=top,
            bottom=bottom,
            tick_label=lambda t: with_unit(t, tick_places, language, unit),
        ),
    ]
    for i, bar in enumerate(rows):
        parts.append(_bar_row(bar, top + i * ROW_HEIGHT, x, left, places, unit, language))
    parts.append(element("line", x1=left, y1=top, x2=left, y2=bottom, stroke=style.AXIS))
    if reference is not None and math.isfinite(reference.value):
        parts.append(_reference(reference, x, top, bottom, places, unit, language))
    text = description or _bars_description(rows, places, unit, language)
    return document(width, height, title=title, description=text, children=parts, ident=ident)


def _largest(rows: Sequence[Bar], reference: TargetLine | None) -> float:
    values = [1e-9]
    for bar in rows:
        estimate = usable(bar.estimate)
        if estimate:
            values.append(estimate.value)
            if estimate.has_interval:
                values.append(estimate.high or 0.0)
    if reference is not None and math.isfinite(reference.value):
        values.append(reference.value)
    return max(values)


def _bar_value(bar: Bar, places: int, unit: str, language: Language) -> str:
    estimate = usable(bar.estimate)
    if estimate is None:
        return translations(language).gettext("no data")
    return with_unit(estimate.value, places, language, unit)


def _bar_row(
    bar: Bar,
    row_top: float,
    x: LinearScale,
    left: float,
    places: int,
    unit: str,
    language: Language,
) -> Element:
    middle = row_top + ROW_HEIGHT / 2
    name = _fit(bar.label, left - 24)
    parts: list[Element] = [label(left - 8, middle + 4, name, anchor="end")]
    estimate = usable(bar.estimate)
    if estimate is None:
        parts.append(
            label(left + 6, middle + 4, _bar_value(bar, places, unit, language), colour=style.MUTED)
        )
        return element("g", *parts, class_="bar", data_kode=bar.kode)
    tip = f"{bar.label}: {estimate_text(estimate, places, language, unit)}"
    end = x(max(estimate.value, 0.0))
    parts.append(
        element(
            "rect",
            element("title", tip),
            x=left,
            y=row_top + 4,
            width=max(end - left, 0.5),
            height=ROW_HEIGHT - 8,
            fill=style.BAR,
            data_kode=bar.kode,
        )
    )
    text_x = end
    if estimate.has_interval:
        low, high = x(max(estimate.low or 0.0, 0.0)), x(estimate.high or 0.0)
        path = f"M{low:.2f} {middle:.2f}H{high:.2f}"
        path += f"M{low:.2f} {middle - 4:.2f}V{middle + 4:.2f}"
        path += f"M{high:.2f} {middle - 4:.2f}V{middle + 4:.2f}"
        parts.append(element("path", d=path, stroke=style.TEXT, stroke_width=1.1, fill="none"))
        text_x = max(end, high)
    value = with_unit(estimate.value, places, language, unit)
    parts.append(label(text_x + 6, middle + 4, value, size=style.SMALL_SIZE))
    return element("g", *parts, class_="bar", data_kode=bar.kode)


def _fit(text: str, room: float) -> str:
    """``text``, cut short with an ellipsis if it is wider than ``room``."""
    if text_width(text, style.LABEL_SIZE) <= room:
        return text
    while text and text_width(text + "\u2026", style.LABEL_SIZE) > room:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def _reference(
    reference: TargetLine,
    x: LinearScale,
    top: float,
    bottom: float,
    places: int,
    unit: str,
    language: Language,
) -> Element:
    at = x(reference.value)
    text = f"{reference.label} {with_unit(reference.value, places, language, unit)}"
    return element(
        "g",
        element(
            "line",
            x1=at,
            y1=top - 4,
            x2=at,
            y2=bottom,
            stroke=style.NATIONAL_TARGET,
            stroke_width=1.6,
            stroke_dasharray=NATIONAL_DASH,
        ),
        label(at, bottom + 28, text, anchor="middle", colour=style.NATIONAL_TARGET, bold=True),
        class_="reference",
    )


def _bars_description(rows: Sequence[Bar], places: int, unit: str, language: Language) -> str:
    _ = translations(language).gettext
    known = [bar for bar in rows if usable(bar.estimate)]
    if not known:
        return _("No area has data.")
    high = max(known, key=lambda bar: bar.estimate.value if bar.estimate else 0.0)
    low = min(known, key=lambda bar: bar.estimate.value if bar.estimate else 0.0)
    return _("{count} areas; highest {high_name} ({high}), lowest {low_name} ({low}).").format(
        count=len(rows),
        high_name=high.label,
        high=_bar_value(high, places, unit, language),
        low_name=low.label,
        low=_bar_value(low, places, unit, language),
    )


def histogram(  # noqa: PLR0913 - keyword-only options, one per input
    bins: Sequence[HistogramBin],
    *,
    title: str,
    x_label: str,
    y_label: str,
    description: str | None = None,
    expected: TargetLine | None = None,
    language: Language = Language.ID,
    width: float = 560,
    height: float = 320,
    show_title: bool = True,
    ident: str | None = None,
) -> str:
    """Vertical columns with their counts, e.g. how often each last decimal 0-9 occurs.

    ``expected`` draws a dashed horizontal line, e.g. the count every digit would have
    without digit preference (a tenth of the total).
    """
    counts = [b.count if math.isfinite(b.count) else 0.0 for b in bins]
    whole = all(float(c).is_integer() for c in counts)
    places = 0 if whole else 1
    top = (34.0 if show_title else 10.0) + 22
    largest = max([*counts, expected.value if expected else 0.0, 1e-9])
    ticks = nice_ticks(0.0, largest * 1.08, max_ticks=5)
    tick_text, left = value_axis(ticks, lambda v, p: style.format_number(v, p, language))
    right, bottom = width - 16, height - 44
    y = LinearScale(ticks[0], ticks[-1], bottom, top)
    step = (right - left) / max(len(bins), 1)
    parts: list[Element | None] = [
        element("rect", x=0, y=0, width=width, height=height, fill=style.BACKGROUND),
        title_text(16, 22, title) if show_title else None,
        label(16, top - 12, y_label, colour=style.MUTED),
        horizontal_grid(ticks, y, left=left, right=right, tick_label=tick_text),
        label((left + right) / 2, height - 10, x_label, anchor="middle", colour=style.MUTED),
    ]
    for i, (column, count) in enumerate(zip(bins, counts, strict=True)):
        x0 = left + i * step + step * 0.12
        value = style.format_number(count, places, language)
        parts.append(
            element(
                "rect",
                element("title", f"{column.label}: {value}"),
                x=x0,
                y=y(count),
                width=step * 0.76,
                height=max(bottom - y(count), 0.0),
                fill=style.BAR,
            )
        )
        centre = x0 + step * 0.38
        parts.append(label(centre, y(count) - 4, value, anchor="middle", size=style.SMALL_SIZE))
        parts.append(label(centre, bottom + 16, column.label, anchor="middle"))
    parts.append(element("line", x1=left, y1=bottom, x2=right, y2=bottom, stroke=style.AXIS))
    if expected is not None and math.isfinite(expected.value):
        parts.append(_expected_line(expected, y, left, right, language))
    text = description or ", ".join(
        f"{b.label}: {style.format_number(c, places, language)}"
        for b, c in zip(bins, counts, strict=True)
    )
    return document(width, height, title=title, description=text, children=parts, ident=ident)


def _expected_line(
    expected: TargetLine, y: LinearScale, left: float, right: float, language: Language
) -> Element:
    places = 0 if float(expected.value).is_integer() else 1
    text = f"{expected.label} {style.format_number(expected.value, places, language)}"
    return level_line(
        y(expected.value),
        left,
        right,
        text,
        colour=style.NATIONAL_TARGET,
        dash=NATIONAL_DASH,
        stroke_width=1.6,
        class_="expected",
    )
