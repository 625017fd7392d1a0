"""The JSON API (``/api/v1``): the figures and records of the pages, scoped the same way.

Responses are pydantic models, so ``/openapi.json`` documents every field. Children are
reached by numeric id; one outside the user's area answers 404, as on the pages. Names
and NIK appear only for roles that may see them (NIK masked otherwise).
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from tumbuh.growth.enums import Position, Sex
from tumbuh.i18n import translations
from tumbuh.reports.choropleth import MapLevel
from tumbuh.web import children as service
from tumbuh.web import registration
from tumbuh.web.area_choice import chosen_area
from tumbuh.web.charts import MapFeature, map_geojson
from tumbuh.web.deps import (
    CurrentViewer,
    Db,
    NotFound,
    commit_change,
    csrf_protected,
    web_state,
)
from tumbuh.web.entry import read_form, typed_in
from tumbuh.web.figures import RoundFigure
from tumbuh.web.pages_areas import AREA_CODE, MAX_ID, area_url
from tumbuh.web.places import Area
from tumbuh.web.scope import Scope
from tumbuh.web.views import NATIONAL_TARGET_PERCENT, AreaRow, AreaView, area_view

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


class AreaRowOut(BaseModel):
    """A sub-area in the area table."""

    area: AreaOut
    latest: FigureOut | None
    previous: FigureOut | None
    change_points: float | None
    quality: QualityOut | None


class AreaFiguresOut(BaseModel):
    """What an area page shows, as data."""

    area: AreaOut
    partial: bool = Field(description="Only part of the area lies in the user's scope.")
    latest: FigureOut | None
    previous: FigureOut | None
    change_points: float | None
    trend: list[FigureOut]
    national_target_percent: float
    local_target_percent: float | None
    areas: list[AreaRowOut]


class MeasurementOut(BaseModel):
    """A measurement and what Tumbuh derived from it."""

    id: int
    measured_on: date
    weight_kg: float | None
    height_cm: float | None
    position: str | None
    muac_cm: float | None
    age_days: int | None
    zscores: dict[str, float | None]
    flags: dict[str, bool]
    haz_category: str | None
    waz_category: str | None
    whz_category: str | None
    weight_trend: str | None


class ChildOut(BaseModel):
    """A child (NIK masked unless the role may see it)."""

    id: int
    name: str
    nik: str | None
    sex: str
    birth_date: date
    mother_name: str | None
    posyandu_id: int | None
    measurements: list[MeasurementOut]


class MeasurementIn(BaseModel):
    """A new measurement (decimal numbers in kg and cm)."""

    measured_on: date
    weight_kg: float | None = Field(default=None, gt=0, lt=1e6)
    height_cm: float | None = Field(default=None, gt=0, lt=1e6)
    position: Position | None = None
    muac_cm: float | None = Field(default=None, gt=0, lt=1e6)


class ChildSummaryOut(BaseModel):
    """A child found by a search (NIK masked unless the role may see it)."""

    id: int
    name: str
    nik: str | None
    sex: str
    birth_date: date
    mother_name: str | None
    posyandu_id: int | None


class SearchIn(BaseModel):
    """A part of the child's or mother's name (3 characters or more), or a whole NIK."""

    q: str = Field(max_length=100)


class SearchOut(BaseModel):
    """The first 50 children found, by name, and how many were found in all."""

    total: int
    children: list[ChildSummaryOut]


class ChildIn(BaseModel):
    """Corrected details of a child: only the fields sent change (``null`` clears NIK,
    birth weight, birth length or mother's name). Checked by the same rules as the edit
    form."""

    name: str | None = Field(default=None, max_length=200)
    nik: str | None = Field(default=None, max_length=40, description="16 digits.")
    sex: Sex | None = None
    birth_date: date | None = None
    birth_weight_kg: float | None = Field(default=None, gt=0, lt=1e6)
    birth_length_cm: float | None = Field(default=None, gt=0, lt=1e6)
    mother_name: str | None = Field(default=None, max_length=200)
    posyandu_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class CreatedOut(BaseModel):
    """The id of what was created."""

    id: int


class ProblemsOut(BaseModel):
    """Why values were refused (the same messages as the entry form)."""

    errors: list[str]
    warnings: list[str]


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
        national_target_percent=NATIONAL_TARGET_PERCENT,
        local_target_percent=view.local_target.percent if view.local_target else None,
        areas=[_row(r) for r in view.rows],
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


def _measurement(m: service.MeasurementView) -> MeasurementOut:
    v = m.values
    return MeasurementOut(
        id=m.id,
        measured_on=v.measured_on,
        weight_kg=v.weight_kg,
        height_cm=v.height_cm,
        position=v.position.value if v.position else None,
        muac_cm=v.muac_cm,
        age_days=m.age_days,
        zscores=m.zscores,
        flags=m.flags,
        haz_category=m.haz_category,
        waz_category=m.waz_category,
        whz_category=m.whz_category,
        weight_trend=m.weight_trend,
    )


@router.post(
    "/children/search",
    response_model=SearchOut,
    dependencies=[Depends(csrf_protected)],
    responses={
        404: {"description": "The role may not see children"},
        422: {"model": ProblemsOut, "description": "Query refused"},
    },
)
def search_children(
    request: Request, connection: Db, current: CurrentViewer, body: SearchIn
) -> Any:
    """Children of the user's area by name, mother's name or whole NIK (a POST, so no
    name or NIK lands in a URL or an access log)."""
    places = web_state(request).figures.snapshot(connection).places
    in_scope = places.posyandu_ids(places.city, current.scope)
    found = service.search_children(connection, current.scope, in_scope, body.q)
    if found.problem:
        message = translations(current.language).gettext(found.problem)
        return JSONResponse(ProblemsOut(errors=[message], warnings=[]).model_dump(), 422)
    children = [
        ChildSummaryOut(
            id=c.id,
            name=c.name,
            nik=service.shown_nik(c.nik, current.scope),
            sex=c.sex.value,
            birth_date=c.birth_date,
            mother_name=c.mother_name,
            posyandu_id=c.posyandu_id,
        )
        for c in found.children
    ]
    return SearchOut(total=found.total, children=children)


@router.get("/children/{child_id}", response_model=ChildOut)
def child(connection: Db, current: CurrentViewer, child_id: Id) -> ChildOut:
    """A child and its measurements (404 outside the user's area or for figure-only roles)."""
    return _child_out(connection, current.scope, child_id)


@router.patch(
    "/children/{child_id}",
    response_model=ChildOut,
    dependencies=[Depends(csrf_protected)],
    responses={
        404: {"description": "No such child in the user's area"},
        422: {"model": ProblemsOut, "description": "Values refused"},
    },
)
def correct_child(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id, body: ChildIn
) -> Any:
    """Correct a child's details (audited; a new sex or birth date recomputes every
    z-score of the child); refused values answer 422 with the reasons."""
    found = service.find_child(connection, current.scope, child_id)
    if not current.scope.may_write:
        raise NotFound
    raw = registration.typed_profile(registration.profile_of(found))
    raw["posyandu_id"] = str(found.posyandu_id or "")
    for key, value in body.model_dump(exclude_unset=True).items():
        raw[key] = _typed(value)
    places = web_state(request).figures.snapshot(connection).places
    changed, errors = registration.correct_child(
        connection,
        current.scope,
        current.user,
        found,
        raw,
        registration.writable_posyandu(places, current.scope),
        current.language,
        web_state(request).kbm,
    )
    if errors:
        return JSONResponse(ProblemsOut(errors=errors, warnings=[]).model_dump(), status_code=422)
    if changed:
        commit_change(request, connection)
    return _child_out(connection, current.scope, child_id)


def _typed(value: object) -> str:
    """A JSON value as the form field it stands for."""
    if value is None:
        return ""
    if isinstance(value, Sex):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return registration.typed_number(value)
    return str(value)


def _child_out(connection: Connection, scope: Scope, child_id: int) -> ChildOut:
    found = service.find_child(connection, scope, child_id)
    return ChildOut(
        id=found.id,
        name=found.name,
        nik=service.shown_nik(found.nik, scope),
        sex=found.sex.value,
        birth_date=found.birth_date,
        mother_name=found.mother_name,
        posyandu_id=found.posyandu_id,
        measurements=[_measurement(m) for m in service.history(connection, found.id)],
    )


@router.post(
    "/children/{child_id}/measurements",
    response_model=CreatedOut,
    status_code=201,
    dependencies=[Depends(csrf_protected)],
    responses={
        404: {"description": "No such child in the user's area"},
        422: {"model": ProblemsOut, "description": "Values refused"},
    },
)
def add_measurement(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id, body: MeasurementIn
) -> Any:
    """Add a measurement (audited); refused values answer 422 with the reasons."""
    found = service.find_child(connection, current.scope, child_id)
    if not current.scope.may_write:
        raise NotFound
    typed = service.MeasurementValues(
        body.measured_on, body.weight_kg, body.height_cm, body.position, body.muac_cm
    )
    form = read_form(typed_in(typed), found, date.today(), current.language)
    if form.values is None or form.errors:
        problems = ProblemsOut(errors=form.errors, warnings=form.warnings)
        return JSONResponse(problems.model_dump(), status_code=422)
    new_id = service.add_measurement(
        connection, current.scope, current.user, found, form.values, web_state(request).kbm
    )
    commit_change(request, connection)
    return CreatedOut(id=new_id)


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
