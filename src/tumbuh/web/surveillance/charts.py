"""The SVG charts and map data of the pages, from :mod:`tumbuh.reports` (no drawing here).

Choropleths are cached by their exact input (level, values, highlighted area, language):
the same map is drawn once per change of the figures, not once per page view.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tumbuh.growth.enums import Sex
from tumbuh.growth.targets import FigureKind, Target, figure_scale
from tumbuh.growth.who2006 import LENGTH_HEIGHT_SWITCH_DAYS
from tumbuh.i18n import Language, translations
from tumbuh.reports import style
from tumbuh.reports.charts import Estimate, TrendSeries, trend_chart
from tumbuh.reports.choropleth import MapLevel, choropleth_map, class_limits, class_of, load_areas
from tumbuh.reports.growth_charts import (
    AgeMeasurement,
    BodyMeasurement,
    bmi_for_age_chart,
    length_height_for_age_chart,
    weight_for_age_chart,
    weight_for_length_height_chart,
)
from tumbuh.reports.target_lines import survey_chart, target_lines
from tumbuh.usecases.figures import RoundFigure
from tumbuh.usecases.places import AreaKind, boundaries
from tumbuh.usecases.registry import MeasurementView
from tumbuh.usecases.targets import SurveyEstimate
from tumbuh.web.templating import short_month

MapValues = tuple[tuple[str, float | None], ...]  # (Kemendagri code, percent)


REGISTER = figure_scale(FigureKind.REGISTER_PREVALENCE)


@lru_cache(maxsize=512)
def trend_svg(
    trend: tuple[RoundFigure, ...],
    *,
    area_name: str,
    targets: tuple[Target, ...],
    year: int,
    language: Language,
    age_label: str | None = None,
) -> str:
    """Register prevalence per round with 95 % Wilson intervals (cached: the same figures
    give the same chart) and the **register-scale** targets of ``year``, if any: a
    survey-scale target (the national path, a city's 9 %) is drawn on the survey chart
    (:func:`survey_svg`), never here. With ``age_label`` (an age group's name, translated),
    the figures are of that group: the targets, which are of all balita, are not drawn."""
    _ = translations(language).gettext
    periods = [short_month(f.round.month, language) for f in trend]
    values = tuple(None if f.percent is None else Estimate(f.percent, f.low, f.high) for f in trend)
    title = _("Stunting prevalence, {area}").format(area=area_name)
    national, local = (
        target_lines(targets, scale=REGISTER, year=year, language=language)
        if age_label is None
        else (None, None)
    )
    return trend_chart(
        periods,
        [TrendSeries(_("Register (e-PPGBM)"), values, REGISTER)],
        title=title if age_label is None else f"{title}, {age_label}",
        target=national,
        local_target=local,
        language=language,
        ident="trend",
    )


@lru_cache(maxsize=256)
def survey_svg(
    surveys: tuple[SurveyEstimate, ...],
    targets: tuple[Target, ...],
    *,
    area_name: str,
    year: int,
    language: Language,
) -> str | None:
    """The area's survey figures per year up to ``year`` with the survey-scale targets
    (:func:`tumbuh.reports.target_lines.survey_chart`); None without a survey figure."""
    _ = translations(language).gettext
    return survey_chart(
        surveys,
        targets,
        title=_("Surveys and the targets, {area}").format(area=area_name),
        year=year,
        language=language,
        ident="surveys",
    )


@lru_cache(maxsize=256)
def map_svg(
    level: MapLevel,
    values: MapValues,
    within: str | None,
    title: str,
    language: Language,
) -> str:
    """Choropleth of the latest round (the no-JavaScript map), areas carrying ``data-kode``."""
    _ = translations(language).gettext
    areas = [a for a in load_areas(level) if within is None or a.kode.startswith(within + ".")]
    boundaries: Sequence[Any] = ()
    if level is MapLevel.KELURAHAN and within is None:
        boundaries = load_areas(MapLevel.KECAMATAN)
    return choropleth_map(
        areas,
        dict(values),
        title=title,
        legend_title=_("Stunting (%)"),
        boundaries=boundaries,
        labels=len(areas) <= 12,
        language=language,
        ident="map",
    )


@dataclass(frozen=True)
class MapFeature:
    """What the interactive map needs of one area besides its outline."""

    code: str
    name: str
    percent: float | None
    measured: int
    stunted: int
    url: str | None  # the area's page, when the user may open it


def map_geojson(
    level: MapLevel, within: str | None, features: Sequence[MapFeature]
) -> dict[str, Any]:
    """The packaged boundaries with figures and fill colours (the same classes as the SVG)."""
    kind = AreaKind.KECAMATAN if level is MapLevel.KECAMATAN else AreaKind.KELURAHAN
    collection = boundaries(kind)
    by_code = {f.code: f for f in features}
    limits = class_limits([f.percent for f in features if f.percent is not None])
    colours = style.SEQUENTIAL[len(limits) - 1]
    kept = []
    for feature in collection["features"]:
        code = str(feature["properties"]["kode"])
        if within is not None and not code.startswith(within + "."):
            continue
        found = by_code.get(code)
        percent = found.percent if found else None
        kept.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "kode": code,
                    "nama": found.name if found else str(feature["properties"].get("nama")),
                    "percent": percent,
                    "measured": found.measured if found else 0,
                    "stunted": found.stunted if found else 0,
                    "url": found.url if found else None,
                    "fill": style.NO_DATA
                    if percent is None
                    else colours[class_of(percent, limits)],
                },
            }
        )
    return {"type": "FeatureCollection", "features": kept}


def growth_svgs(
    sex: Sex, measurements: Sequence[MeasurementView], language: Language
) -> list[tuple[str, str]]:
    """(key, SVG) of every KMS chart the child's measurements fill: BB/U, PB/U-TB/U,
    BB/PB and/or BB/TB, IMT/U. Points use the length/height after WHO's 0.7 cm
    adjustment, so a point on a curve has that z-score."""
    weights: list[AgeMeasurement] = []
    heights: list[AgeMeasurement] = []
    bmis: list[AgeMeasurement] = []
    lying: list[BodyMeasurement] = []
    standing: list[BodyMeasurement] = []
    for m in measurements:
        if m.age_days is None:
            continue
        age = float(m.age_days)
        if m.values.weight_kg is not None:
            weights.append(AgeMeasurement(age, m.values.weight_kg, m.flags.get("waz", False)))
        if m.height_used_cm is not None:
            heights.append(AgeMeasurement(age, m.height_used_cm, m.flags.get("haz", False)))
        if m.bmi is not None:
            bmis.append(AgeMeasurement(age, m.bmi, m.flags.get("baz", False)))
        if m.height_used_cm is not None and m.values.weight_kg is not None:
            point = BodyMeasurement(m.height_used_cm, m.values.weight_kg, m.flags.get("whz", False))
            # WHO: weight-for-length below 731 days, weight-for-height from then on
            (lying if m.age_days < LENGTH_HEIGHT_SWITCH_DAYS else standing).append(point)
    charts: list[tuple[str, str]] = []
    if weights:
        charts.append(
            ("waz", weight_for_age_chart(sex, weights, language=language, ident="kms-waz"))
        )
    if heights:
        charts.append(
            ("haz", length_height_for_age_chart(sex, heights, language=language, ident="kms-haz"))
        )
    if lying:
        charts.append(
            (
                "whz-l",
                weight_for_length_height_chart(
                    sex, lying, lying=True, language=language, ident="kms-wfl"
                ),
            )
        )
    if standing:
        charts.append(
            (
                "whz-h",
                weight_for_length_height_chart(
                    sex, standing, lying=False, language=language, ident="kms-wfh"
                ),
            )
        )
    if bmis:
        charts.append(("baz", bmi_for_age_chart(sex, bmis, language=language, ident="kms-baz")))
    return charts
