"""The JSON API (``/api/v1``): the figures and records of the pages, scoped the same way.

Responses are pydantic models, so ``/openapi.json`` documents every field. Children are
reached by numeric id; one outside the user's area answers 404, as on the pages. Names
and NIK appear only for roles that may see them (NIK masked otherwise).
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from tumbuh.growth.targets import FigureKind, figure_scale
from tumbuh.reports.choropleth import MapLevel
from tumbuh.usecases.figures import RoundFigure
from tumbuh.usecases.places import Area
from tumbuh.web.asuh import api as api_asuh
from tumbuh.web.asuh import api_asuhan
from tumbuh.web.cases import api as api_cases
from tumbuh.web.catin import api as api_catin
from tumbuh.web.children import api as api_children
from tumbuh.web.children import months_api as api_child_months
from tumbuh.web.deps import (
    CurrentViewer,
    Db,
    web_state,
)
from tumbuh.web.families import api as api_families
from tumbuh.web.indicators import pages as indicator_pages
from tumbuh.web.kitchens import api as api_kitchens
from tumbuh.web.pmt import api as api_pmt
from tumbuh.web.pmt import api_bumil as api_pmt_bumil
from tumbuh.web.pmt import outcomes as pmt_outcomes
from tumbuh.web.pregnancies import api as api_pregnancies
from tumbuh.web.pregnancies import api_visits as api_pregnancy_visits
from tumbuh.web.surveillance.area_choice import chosen_area
from tumbuh.web.surveillance.areas import AREA_CODE, MAX_ID, area_url
from tumbuh.web.surveillance.charts import MapFeature, map_geojson
from tumbuh.web.views import AreaRow, AreaView, area_view
from tumbuh.web.work_lists import api as api_work_lists

router = APIRouter(prefix="/api/v1", tags=["api"])
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class FigureOut(BaseModel):
    """Stunting in one area and round: the register's count with a 95 % Wilson interval."""

    month: date
    kind: str
    measured: int
    stunted: int
    percent: float | None
    low_percent: float | None
    high_percent: float | None


class QualityOut(BaseModel):
    """ENA for SMART plausibility of the latest round."""

    status: str
    band: str | None
    total_points: float | None
    children: int
    criteria: int


class AreaOut(BaseModel):
    """An area: level, Kemendagri code (posyandu: its code) and name."""

    level: str
    code: str
    name: str
    url: str
    posyandu_id: int | None = None


class AgeFigureOut(BaseModel):
    """Stunting of one age group in the latest round (the groups add up to ``all``)."""

    age_group: str = Field(description="baduta (0-23 completed months), 24-59 or all.")
    figure: FigureOut


class AreaRowOut(BaseModel):
    """A sub-area in the area table."""

    area: AreaOut
    latest: FigureOut | None
    previous: FigureOut | None
    change_points: float | None
    quality: QualityOut | None


class TargetOut(BaseModel):
    """A stunting target with its year and scale: compare it only with figures of the same
    scale (``trend`` is on the register scale, ``surveys`` on the survey scale)."""

    year: int
    indicator: str
    percent: float
    scale: str = Field(description="survey (SSGI/SKI), register (e-PPGBM) or administrative.")
    origin: str = Field(description="national (Perpres/RPJMN) or local (the area's own).")
    source: str | None


class SurveyOut(BaseModel):
    """A survey figure entered for the area (survey scale)."""

    year: int
    survey: str
    percent: float
    low_percent: float | None
    high_percent: float | None
    source: str | None


class AreaFiguresOut(BaseModel):
    """What an area page shows, as data."""

    area: AreaOut
    partial: bool = Field(description="Only part of the area lies in the user's scope.")
    latest: FigureOut | None
    previous: FigureOut | None
    change_points: float | None
    trend: list[FigureOut] = Field(description="Register prevalence per round (register scale).")
    trend_scale: str = Field(description="The scale of latest, previous and trend: register.")
    targets: list[TargetOut] = Field(
        description="Every stunting target of the area, national and local, by year, each "
        "with its scale; a survey-scale target is not comparable with the register trend."
    )
    surveys: list[SurveyOut] = Field(description="Survey figures of the area (survey scale).")
    areas: list[AreaRowOut]
    by_age: list[AgeFigureOut] = Field(
        description="The latest round for baduta, balita 24-59 months and all balita."
    )


class MeOut(BaseModel):
    """The signed-in user."""

    username: str
    role: str
    home: AreaOut


def _figure(figure: RoundFigure | None) -> FigureOut | None:
    if figure is None:
        return None
    return FigureOut(
        month=figure.round.month,
        kind=figure.round.kind.value,
        measured=figure.measured,
        stunted=figure.stunted,
        percent=figure.percent,
        low_percent=figure.low,
        high_percent=figure.high,
    )


def area_out(area: Area) -> AreaOut:
    return AreaOut(
        level=area.kind.value,
        code=area.code,
        name=area.name,
        url=area_url(area),
        posyandu_id=area.posyandu_id,
    )


def _row(row: AreaRow) -> AreaRowOut:
    q = row.quality
    quality = None
    if q is not None:
        quality = QualityOut(
            status=q.status.name.lower(),
            band=q.band.name.lower() if q.band is not None else None,
            total_points=q.total_points,
            children=q.n_children,
            criteria=q.n_criteria,
        )
    return AreaRowOut(
        area=area_out(row.area),
        latest=_figure(row.latest),
        previous=_figure(row.previous),
        change_points=row.change,
        quality=quality,
    )


def _view(view: AreaView) -> AreaFiguresOut:
    return AreaFiguresOut(
        area=area_out(view.area),
        partial=view.partial,
        latest=_figure(view.latest),
        previous=_figure(view.previous),
        change_points=view.change,
        trend=[f for f in map(_figure, view.trend) if f is not None],
        trend_scale=figure_scale(FigureKind.REGISTER_PREVALENCE).value,
        targets=[
            TargetOut(
                year=t.year,
                indicator=t.indicator,
                percent=t.percent,
                scale=t.scale.value,
                origin=t.origin.value,
                source=t.source,
            )
            for t in view.targets.targets
        ],
        surveys=[
            SurveyOut(
                year=s.year,
                survey=s.survey,
                percent=s.percent,
                low_percent=s.low_percent,
                high_percent=s.high_percent,
                source=s.source,
            )
            for s in view.targets.surveys
        ],
        areas=[_row(r) for r in view.rows],
        by_age=[
            AgeFigureOut(age_group=age.value, figure=out)
            for age, figure in view.by_age
            if (out := _figure(figure)) is not None
        ],
    )


@router.get("/me", response_model=MeOut)
def me(request: Request, connection: Db, current: CurrentViewer) -> MeOut:
    """Who is signed in, and their home area."""
    figures = web_state(request).figures.snapshot(connection)
    return MeOut(
        username=current.user.username,
        role=current.user.role.value,
        home=area_out(figures.places.home(current.scope)),
    )


@router.get("/areas/{code}", response_model=AreaFiguresOut)
def area_figures(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    code: Annotated[str, Path(pattern=AREA_CODE)],
) -> AreaFiguresOut:
    """Kota, kecamatan or kelurahan figures (404 outside the user's area)."""
    figures = web_state(request).figures.snapshot(connection)
    area = chosen_area(figures.places, current.scope, code, None)
    return _view(area_view(connection, figures, area, current.scope))


@router.get("/posyandu/{posyandu_id}", response_model=AreaFiguresOut)
def posyandu_figures(
    request: Request, connection: Db, current: CurrentViewer, posyandu_id: Id
) -> AreaFiguresOut:
    """Figures of one posyandu (404 outside the user's area)."""
    figures = web_state(request).figures.snapshot(connection)
    area = chosen_area(figures.places, current.scope, None, posyandu_id)
    return _view(area_view(connection, figures, area, current.scope))


@router.get("/map/{level}")
def map_data(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    level: MapLevel,
    within: Annotated[str | None, Query(pattern=r"^\d{2}\.\d{2}(\.\d{2})?$")] = None,
) -> dict[str, Any]:
    """GeoJSON of kecamatan or kelurahan with the latest round's figures (for the map)."""
    figures = web_state(request).figures.snapshot(connection)
    latest, _ = figures.latest_two()
    places = figures.places
    pool = places.kecamatan if level is MapLevel.KECAMATAN else places.kelurahan
    features = []
    for code, area in pool.items():
        if within is not None and not code.startswith(within + "."):
            continue
        if latest is None or not places.visible(area, current.scope):
            features.append(MapFeature(code, area.name, None, 0, 0, None))
            continue
        f = figures.figure(area, current.scope, latest)
        features.append(
            MapFeature(code, area.name, f.percent, f.measured, f.stunted, area_url(area))
        )
    return map_geojson(level, within, features)


router.include_router(api_children.router)  # children and measurements, under /api/v1
router.include_router(api_cases.router)  # cases, under /api/v1
router.include_router(api_work_lists.router)  # the work list, under /api/v1
router.include_router(api_kitchens.router)  # kitchens and their serving log, under /api/v1
router.include_router(api_pmt.router)  # PMT lokal: eligibility and episodes, under /api/v1
router.include_router(api_pmt_bumil.router)  # PMT for pregnant women with KEK, under /api/v1
router.include_router(pmt_outcomes.api_router)  # PMT outcomes, under /api/v1
router.include_router(indicator_pages.api_router)  # intervention indicators, under /api/v1
router.include_router(api_asuh.router)  # Bapak Asuh, under /api/v1
router.include_router(api_asuhan.router)
router.include_router(api_pregnancies.router)  # the bidan's pregnancies, under /api/v1
router.include_router(api_pregnancy_visits.router)  # corrections of their visits
router.include_router(api_child_months.router)  # a young child's months, under /api/v1
router.include_router(api_families.router)  # the TPK's families and visits, under /api/v1
router.include_router(api_catin.router)  # catin, under /api/v1
