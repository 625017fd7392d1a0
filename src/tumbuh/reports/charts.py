"""Trend line chart of prevalences per period, as SVG markup.

Input is plain data: the periods (labels such as ``Feb 2024``), one or more
:class:`TrendSeries` of :class:`Estimate` values in percent with optional interval
bounds, and optional target lines. Bar charts and histograms are in
:mod:`tumbuh.reports.bars`, growth charts in :mod:`tumbuh.reports.growth_charts`, maps in
:mod:`tumbuh.reports.choropleth`.
"""

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from tumbuh.growth.targets import TargetScale, check_comparable
from tumbuh.i18n import Language, translations
from tumbuh.reports import style
from tumbuh.reports.axes import (
    LegendEntry,
    LinearScale,
    horizontal_grid,
    label,
    legend_height,
    legend_row,
    level_line,
    nice_ticks,
    title_text,
    value_axis,
)
from tumbuh.reports.svg import Element, document, element, points, text_width

# Up to this many periods an interval is drawn as a whisker per point; beyond, as a band.
WHISKER_LIMIT = 24
NATIONAL_DASH = "7 4"
LOCAL_DASH = "2 3"


@dataclass(frozen=True)
class Estimate:
    """A value with an optional interval (``low`` <= ``value`` <= ``high``), same unit."""

    value: float
    low: float | None = None
    high: float | None = None

    @property
    def has_interval(self) -> bool:
        """Both bounds are known numbers."""
        return _finite(self.low) and _finite(self.high)


@dataclass(frozen=True)
class TrendSeries:
    """One line: its name, one estimate (or None for no data) per period, and the scale
    its figures are on (register, survey, administrative; None: not a prevalence, such as
    a z-score)."""

    name: str
    values: tuple[Estimate | None, ...]
    scale: TargetScale | None = None


@dataclass(frozen=True)
class TargetLine:
    """A horizontal (or, in bar charts, vertical) reference line and its label; a target
    carries its scale, and a trend chart draws it only beside series of that scale
    (:func:`check_scales`). A line without a scale is a plain reference (a cut-off)."""

    value: float
    label: str
    scale: TargetScale | None = None


def check_scales(series: Sequence[TrendSeries], *targets: TargetLine | None) -> None:
    """Refuse (``ValueError``, a programmer error) to draw a target beside a series of
    another scale: a survey-scale target never stands beside register figures
    (:func:`tumbuh.growth.targets.comparable`). A line without a scale may only stand
    beside series without one (a cut-off beside z-scores)."""
    for target in targets:
        if target is None:
            continue
        for line in series:
            if target.scale is None and line.scale is None:
                continue
            if target.scale is None or line.scale is None:
                raise ValueError(
                    f"target {target.label!r} and series {line.name!r}: both must declare a "
                    "scale, or neither"
                )
            check_comparable(target.scale, line.scale, f"target {target.label!r}")


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def usable(estimate: Estimate | None) -> Estimate | None:
    """The estimate if its value is a finite number, else None."""
    return estimate if estimate is not None and _finite(estimate.value) else None


def estimate_text(estimate: Estimate, places: int, language: Language, unit: str = "%") -> str:
    """``2,62%`` or, with an interval, ``2,62% (2,45-2,80)`` for tooltips and tables."""
    text = with_unit(estimate.value, places, language, unit)
    if estimate.has_interval and estimate.low is not None and estimate.high is not None:
        low = style.format_number(estimate.low, places, language)
        high = style.format_number(estimate.high, places, language)
        text += f" ({low}\u2013{high})"
    return text


def with_unit(value: float, places: int, language: Language, unit: str) -> str:
    """``2,62%`` for percent, ``12,5 kg`` for other units, the bare number without one."""
    if unit == "%":
        return style.format_percent(value, places, language)
    number = style.format_number(value, places, language)
    return f"{number} {unit}" if unit else number


def trend_chart(  # noqa: PLR0913 - keyword-only options, one per input
    periods: Sequence[str],
    series: Sequence[TrendSeries],
    *,
    title: str,
    description: str | None = None,
    y_label: str | None = None,
    target: TargetLine | None = None,
    local_target: TargetLine | None = None,
    places: int = 2,
    label_values: bool | None = None,
    language: Language = Language.ID,
    unit: str = "%",
    width: float = 720,
    height: float = 380,
    show_title: bool = True,
    ident: str | None = None,
) -> str:
    """A line chart of percentages per period, with intervals and target lines.

    ``target`` is drawn dashed red (e.g. the national target of the year),
    ``local_target`` dotted orange (e.g. the city's own target); each only beside series
    of its own scale (:func:`check_scales` raises otherwise). Values are labelled on
    the points when there is one series of at most 12 periods, unless ``label_values``
    says otherwise. ``unit`` is written after each value (``%``; ``""`` for z-scores).
    """
    for line in series:
        if len(line.values) != len(periods):
            raise ValueError(
                f"series {line.name!r} has {len(line.values)} values for {len(periods)} periods"
            )
    check_scales(series, target, local_target)
    _ = translations(language).gettext
    if label_values is None:
        label_values = len(series) == 1 and len(periods) <= 12
    heading, top = _heading(title if show_title else None, [s.name for s in series], width)
    y_ticks = nice_ticks(*_value_range(series, target, local_target))
    tick_text, left = value_axis(y_ticks, lambda v, p: with_unit(v, p, language, unit))
    right, bottom = width - 16, height - 30
    y = LinearScale(y_ticks[0], y_ticks[-1], bottom, top)
    step = (right - left) / max(len(periods), 1)
    xs = [left + step * (i + 0.5) for i in range(len(periods))]
    parts: list[Element | None] = [
        element("rect", x=0, y=0, width=width, height=height, fill=style.BACKGROUND),
        *heading,
        label(16, top - 12, y_label or _("Prevalence (%)"), colour=style.MUTED),
        horizontal_grid(y_ticks, y, left=left, right=right, tick_label=tick_text),
        _period_labels(periods, xs, step, bottom),
        element("line", x1=left, y1=bottom, x2=right, y2=bottom, stroke=style.AXIS),
        _target(target, y, left, right, (style.NATIONAL_TARGET, NATIONAL_DASH), language, unit),
        _target(local_target, y, left, right, (style.LOCAL_TARGET, LOCAL_DASH), language, unit),
    ]
    for i, line in enumerate(series):
        colour = style.SERIES_COLOURS[i % len(style.SERIES_COLOURS)]
        drawn = _series(line, periods, xs, y, colour, places, label_values, (language, unit), i)
        parts.append(drawn)
    text = description or _trend_description(periods, series, places, language, unit)
    return document(width, height, title=title, description=text, children=parts, ident=ident)


def _heading(title: str | None, names: list[str], width: float) -> tuple[list[Element], float]:
    """The visible title and, for several series, their legend; and where the plot starts
    (below them and the y-axis title)."""
    parts = [] if title is None else [title_text(16, 22, title)]
    top = 34.0 if title is not None else 10.0
    if len(names) > 1:
        colours = style.SERIES_COLOURS
        entries = [LegendEntry(name, colours[i % len(colours)]) for i, name in enumerate(names)]
        parts.append(legend_row(entries, x=16, y=top + 8, width=width - 32))
        top += legend_height(entries, width - 32) + 6
    return parts, top + 22


def _value_range(series: Sequence[TrendSeries], *targets: TargetLine | None) -> tuple[float, float]:
    values = [0.0]
    for line in series:
        for estimate in filter(None, map(usable, line.values)):
            values.append(estimate.value)
            if estimate.has_interval:
                values.extend((estimate.low or 0.0, estimate.high or 0.0))
    values.extend(t.value for t in targets if t is not None and _finite(t.value))
    high = max(values)
    return min(values), (high * 1.05 if high > 0 else 1.0)


def _period_labels(periods: Sequence[str], xs: list[float], step: float, bottom: float) -> Element:
    # 15 % slack for fonts wider than Helvetica (see axes._item_width).
    widest = max((text_width(p, style.LABEL_SIZE) for p in periods), default=0.0) * 1.15 + 10
    every = max(1, math.ceil(widest / step)) if step > 0 else 1
    labels = [
        label(x, bottom + 17, period, anchor="middle", colour=style.MUTED)
        for i, (x, period) in enumerate(zip(xs, periods, strict=True))
        if i % every == 0
    ]
    return element("g", *labels, class_="periods")


def _target(
    target: TargetLine | None,
    y: LinearScale,
    left: float,
    right: float,
    look: tuple[str, str],  # colour, dash
    language: Language,
    unit: str,
) -> Element | None:
    if target is None or not _finite(target.value):
        return None
    colour, dash = look
    places = min(2, style.places_for_step(abs(target.value)))
    text = f"{target.label} {with_unit(target.value, places, language, unit)}"
    return level_line(
        y(target.value),
        left,
        right,
        text,
        colour=colour,
        dash=dash,
        stroke_width=1.8,
        class_="target",
    )


def _series(  # noqa: PLR0913, PLR0917 - one series' drawing inputs
    line: TrendSeries,
    periods: Sequence[str],
    xs: list[float],
    y: LinearScale,
    colour: str,
    places: int,
    label_values: bool,
    language_unit: tuple[Language, str],
    index: int,
) -> Element:
    language, unit = language_unit
    known = [(x, e, p) for x, e, p in zip(xs, map(usable, line.values), periods, strict=True)]
    parts: list[Element] = []
    if len(periods) > WHISKER_LIMIT:
        parts.extend(_bands(known, y, colour))
    runs = _runs(known)
    for run in runs:
        if len(run) > 1:
            xy = [(x, y(e.value)) for x, e, _ in run]
            parts.append(
                element("polyline", points=points(xy), fill="none", stroke=colour, stroke_width=2.2)
            )
    # Periods without data are bridged by a thin dashed line, so the trend stays readable
    # while the gap stays visible (e.g. surveys held every other period).
    for before, after in itertools.pairwise(runs):
        (x1, e1, _), (x2, e2, _) = before[-1], after[0]
        parts.append(
            element(
                "line",
                x1=x1,
                y1=y(e1.value),
                x2=x2,
                y2=y(e2.value),
                stroke=colour,
                stroke_width=1.4,
                stroke_dasharray="4 4",
                class_="gap",
            )
        )
    for x, estimate, period in known:
        if estimate is None:
            continue
        if estimate.has_interval and len(periods) <= WHISKER_LIMIT:
            parts.append(_whisker(x, estimate, y, colour))
        tip = f"{line.name}, {period}: {estimate_text(estimate, places, language, unit)}"
        parts.append(
            element(
                "circle",
                element("title", tip),
                cx=x,
                cy=y(estimate.value),
                r=3.6,
                fill=colour,
                stroke=style.BACKGROUND,
                stroke_width=1,
            )
        )
        if label_values:
            text = with_unit(estimate.value, places, language, unit)
            parts.append(label(x + 6, y(estimate.value) - 7, text, size=style.SMALL_SIZE))
    return element("g", *parts, class_=f"series series-{index}")


def _runs(
    known: list[tuple[float, Estimate | None, str]],
) -> list[list[tuple[float, Estimate, str]]]:
    """Consecutive periods with data: a line is broken where a period has none."""
    runs: list[list[tuple[float, Estimate, str]]] = [[]]
    for x, estimate, period in known:
        if estimate is None:
            runs.append([])
        else:
            runs[-1].append((x, estimate, period))
    return [run for run in runs if run]


def _bands(
    known: list[tuple[float, Estimate | None, str]], y: LinearScale, colour: str
) -> list[Element]:
    bands = []
    for run in _runs([(x, e if e and e.has_interval else None, p) for x, e, p in known]):
        upper = [(x, y(e.high or 0.0)) for x, e, _ in run]
        lower = [(x, y(e.low or 0.0)) for x, e, _ in reversed(run)]
        bands.append(
            element("polygon", points=points(upper + lower), fill=colour, fill_opacity=0.18)
        )
    return bands


def _whisker(x: float, estimate: Estimate, y: LinearScale, colour: str) -> Element:
    low, high = y(estimate.low or 0.0), y(estimate.high or 0.0)
    cap = 4.0
    path = f"M{x - cap:.2f} {low:.2f}H{x + cap:.2f}M{x:.2f} {low:.2f}V{high:.2f}"
    path += f"M{x - cap:.2f} {high:.2f}H{x + cap:.2f}"
    return element("path", d=path, stroke=colour, stroke_width=1.3, fill="none")


def _trend_description(
    periods: Sequence[str],
    series: Sequence[TrendSeries],
    places: int,
    language: Language,
    unit: str = "%",
) -> str:
    _ = translations(language).gettext
    sentences = []
    for line in series:
        known = [(p, e) for p, e in zip(periods, map(usable, line.values), strict=True) if e]
        if not known:
            sentences.append(_("{name}: no data.").format(name=line.name))
            continue
        (first_period, first), (last_period, last) = known[0], known[-1]
        sentences.append(
            _("{name}: {first} in {first_period}, {last} in {last_period}.").format(
                name=line.name,
                first=with_unit(first.value, places, language, unit),
                first_period=first_period,
                last=with_unit(last.value, places, language, unit),
                last_period=last_period,
            )
        )
    return " ".join(sentences)
