"""Targets as chart lines, only beside figures of their own scale (issue 16).

The register trend draws only register-scale targets (usually there are none); the survey
chart (:func:`survey_chart`) draws the survey figures (SSGI, SKI) per year with the
survey-scale targets: the national target of the chart's last year (Perpres 72/2021,
RPJMN 2025-2029; a year without one draws none) and the area's latest own target within
the chart's years. :func:`scale_note` is the sentence that says why a register chart has
no target line. Rules: :mod:`tumbuh.growth.targets`; docs/surveillance.md, "Targets and
their scale".
"""

from collections.abc import Sequence
from typing import Protocol

from tumbuh.growth.targets import (
    FigureKind,
    Target,
    TargetOrigin,
    TargetScale,
    figure_scale,
    latest_target,
    target_of_year,
)
from tumbuh.i18n import Language, translations
from tumbuh.reports.charts import Estimate, TargetLine, TrendSeries, trend_chart

STUNTING = "stunting"
SURVEY = figure_scale(FigureKind.SURVEY_ESTIMATE)


class SurveyPoint(Protocol):
    """A survey figure of an area for a year (SSGI, SKI), in percent."""

    @property
    def year(self) -> int: ...
    @property
    def survey(self) -> str: ...
    @property
    def percent(self) -> float: ...
    @property
    def low_percent(self) -> float | None: ...
    @property
    def high_percent(self) -> float | None: ...


def target_lines(
    targets: Sequence[Target],
    *,
    scale: TargetScale,
    year: int,
    years: Sequence[int] = (),
    language: Language = Language.ID,
    indicator: str = STUNTING,
) -> tuple[TargetLine | None, TargetLine | None]:
    """(national, local) lines on ``scale``: the national target of exactly ``year``, and
    the latest local target of ``years`` (default: ``year`` alone); each None when there
    is none. The lines carry ``scale``, so a chart refuses them beside other figures."""
    _ = translations(language).gettext
    national = target_of_year(
        [t for t in targets if t.origin is TargetOrigin.NATIONAL],
        year,
        indicator=indicator,
        scale=scale,
    )
    local = latest_target(
        [t for t in targets if t.origin is TargetOrigin.LOCAL],
        years or [year],
        indicator=indicator,
        scale=scale,
    )
    return (
        None
        if national is None
        else TargetLine(
            national.percent, _("National target {year}").format(year=national.year), scale
        ),
        None
        if local is None
        else TargetLine(local.percent, _("Local target {year}").format(year=local.year), scale),
    )


def survey_chart(
    surveys: Sequence[SurveyPoint],
    targets: Sequence[Target],
    *,
    title: str,
    year: int,
    language: Language = Language.ID,
    ident: str | None = None,
) -> str | None:
    """The survey figures per year (one line per survey) up to ``year`` with the
    survey-scale targets; None when there is no survey figure."""
    if not surveys:
        return None
    first = min(s.year for s in surveys)
    years = list(range(first, max(year, *(s.year for s in surveys)) + 1))
    series = []
    for name in sorted({s.survey for s in surveys}):
        found = {s.year: s for s in surveys if s.survey == name}
        values = tuple(
            Estimate(found[y].percent, found[y].low_percent, found[y].high_percent)
            if y in found
            else None
            for y in years
        )
        series.append(TrendSeries(name, values, SURVEY))
    national, local = target_lines(
        targets, scale=SURVEY, year=years[-1], years=years, language=language
    )
    return trend_chart(
        [str(y) for y in years],
        series,
        title=title,
        target=national,
        local_target=local,
        places=1,
        language=language,
        ident=ident,
    )


def scale_note(
    targets: Sequence[Target], *, scale: TargetScale, language: Language = Language.ID
) -> str | None:
    """Why a chart of ``scale`` figures draws no target: the targets are on another scale
    (None when every target is on ``scale`` or there is none)."""
    _ = translations(language).gettext
    others = {t.scale for t in targets if t.scale is not scale}
    if TargetScale.SURVEY in others:
        return _(
            "The targets are on the survey scale (SSGI/SKI), not the register's, so they are "
            "not drawn here: see the survey chart."
        )
    if others:
        return _("The targets are on another scale, so they are not drawn here.")
    return None
