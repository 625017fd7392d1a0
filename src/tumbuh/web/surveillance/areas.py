"""Dashboard and area pages: kota -> kecamatan -> kelurahan -> posyandu."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from tumbuh.i18n import translations
from tumbuh.reports.choropleth import MapLevel
from tumbuh.usecases.figures import AgeChoice, RoundFigure
from tumbuh.usecases.indicator_panel import may_see_panel
from tumbuh.usecases.places import Area, AreaKind
from tumbuh.usecases.registry import shown_nik
from tumbuh.web.children.lists import ChildPage, posyandu_children_page
from tumbuh.web.deps import CurrentViewer, Db, NotFound, Viewer, web_state
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.charts import map_svg, survey_svg, trend_svg
from tumbuh.web.surveillance.figures import Figures
from tumbuh.web.templating import render
from tumbuh.web.views import AreaView, SortKey, area_view

router = APIRouter(include_in_schema=False)
AREA_CODE = r"^\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?$"
MAX_ID = 2**31 - 1


def area_url(area: Area) -> str:
    """The page of an area."""
    if area.kind is AreaKind.POSYANDU:
        return f"/posyandu/{area.posyandu_id}"
    return f"/areas/{area.code}"


def home_url(request: Request, connection: Db, current: Viewer) -> str:
    """The user's own area page (read on the request's one connection)."""
    figures = web_state(request).figures.snapshot(connection)
    return area_url(figures.places.home(current.scope))


def map_for(
    figures: Figures, view: AreaView, current: Viewer, level: MapLevel | None
) -> tuple[MapLevel, str | None]:
    """Which map an area page shows: the kota's kecamatan (or kelurahan), a kecamatan's
    kelurahan, or for a kelurahan or posyandu the kelurahan of its kecamatan."""
    area = view.area
    if area.kind is AreaKind.KOTA:
        return (level or MapLevel.KECAMATAN), None
    if area.kind is AreaKind.KECAMATAN:
        return MapLevel.KELURAHAN, area.code
    kelurahan = area.code if area.kind is AreaKind.KELURAHAN else (area.parent_code or "")
    return MapLevel.KELURAHAN, kelurahan.rsplit(".", 1)[0]


def map_values(
    figures: Figures, current: Viewer, level: MapLevel, within: str | None
) -> tuple[tuple[str, float | None], ...]:
    """Latest-round prevalence of each map area, within the user's scope."""
    latest, _ = figures.latest_two()
    places = figures.places
    pool = places.kecamatan if level is MapLevel.KECAMATAN else places.kelurahan
    values = []
    for code, area in sorted(pool.items()):
        if within is not None and not code.startswith(within + "."):
            continue
        shown = latest is not None and places.visible(area, current.scope)
        values.append(
            (
                code,
                figures.figure(area, current.scope, latest).percent if shown and latest else None,
            )
        )
    return tuple(values)


def shows_panel(figures: Figures, current: Viewer, area: Area) -> bool:
    """Whether the page loads the indicators panel: the user's home area (the dashboard)
    for the roles with indicators."""
    if area.kind is AreaKind.POSYANDU or not may_see_panel(current.scope):
        return False
    return area == figures.places.home(current.scope)


def trend_of(
    figures: Figures, area: Area, current: Viewer, age: AgeChoice
) -> tuple[RoundFigure, ...]:
    """The area's figure in every round, of one age group (baduta, 24-59 or all)."""
    if age is AgeChoice.ALL:
        return tuple(figures.trend(area, current.scope))
    return tuple(dict(figures.age_figures(area, current.scope, r))[age] for r in figures.rounds)


@dataclass(frozen=True)
class AreaAsked:
    """What the address of an area page asks for."""

    sort: SortKey = SortKey.NAME
    order: str = "asc"
    level: MapLevel | None = None  # the map's areas
    page: int = 1  # of a posyandu's children
    age: AgeChoice = AgeChoice.ALL  # the trend's children


def render_area(
    request: Request, connection: Db, current: Viewer, area: Area, asked: AreaAsked
) -> HTMLResponse:
    """An area page (the dashboard is the user's home area); a posyandu's page lists its
    children, page ``asked.page`` of them, for roles that may see them."""
    sort, order, level, page, age = asked.sort, asked.order, asked.level, asked.page, asked.age
    figures = web_state(request).figures.snapshot(connection)
    if not figures.places.visible(area, current.scope):
        raise NotFound
    view = area_view(
        connection, figures, area, current.scope, sort=sort, descending=order == "desc"
    )
    map_level, within = map_for(figures, view, current, level)
    gettext = translations(current.language).gettext
    title = gettext("Stunting by {level}, latest round").format(level=gettext(map_level.value))
    children: ChildPage | None = None
    if area.kind is AreaKind.POSYANDU and current.scope.may_see_children:
        children = posyandu_children_page(
            connection, current.scope, area.posyandu_id or 0, area.parent_code or "", page
        )
    context = {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "view": view,
        "area_url": area_url,
        "trend_svg": trend_svg(
            trend_of(figures, area, current, age),
            area_name=area.name,
            targets=view.targets.targets,
            year=view.target_year,
            language=current.language,
            age_label=None if age is AgeChoice.ALL else gettext(age.label),
        ),
        "survey_svg": survey_svg(
            view.targets.surveys,
            view.targets.targets,
            area_name=area.name,
            year=view.target_year,
            language=current.language,
        ),
        "trend_age": age,
        "ages": tuple(AgeChoice),
        "map_svg": map_svg(
            map_level,
            map_values(figures, current, map_level, within),
            within,
            title,
            current.language,
        ),
        "map_level": map_level.value,
        "map_within": within or "",
        "map_toggle": area.kind is AreaKind.KOTA,
        "sort": sort.value,
        "order": order,
        "children": children,
        "panel": shows_panel(figures, current, area),
        "shown_nik": lambda nik: shown_nik(nik, current.scope),
        "this_month": date.today().strftime("%Y-%m"),
        "today": date.today(),
    }
    return HTMLResponse(render(current.language, "area.html", context))


Sort = Annotated[SortKey, Query()]
Order = Annotated[str, Query(pattern="^(asc|desc)$")]
Level = Annotated[MapLevel | None, Query(alias="map")]


@router.get("/areas/{code}", response_class=HTMLResponse)
def area_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    code: Annotated[str, Path(pattern=AREA_CODE)],
    sort: Sort = SortKey.NAME,
    order: Order = "asc",
    level: Level = None,
    age: Annotated[AgeChoice, Query()] = AgeChoice.ALL,
) -> HTMLResponse:
    """Kota, kecamatan or kelurahan: figures, trend (of all balita or one age group),
    map and the areas below."""
    figures = web_state(request).figures.snapshot(connection)
    area = figures.places.area(code)
    if area is None:
        raise NotFound
    return render_area(request, connection, current, area, AreaAsked(sort, order, level, age=age))


@router.get("/posyandu/{posyandu_id}", response_class=HTMLResponse)
def posyandu_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    posyandu_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    page: Annotated[int, Query(ge=1, le=MAX_ID)] = 1,
) -> HTMLResponse:
    """A posyandu: its figures and, for roles that may see them, its children (a page
    at a time)."""
    figures = web_state(request).figures.snapshot(connection)
    area = figures.places.posyandu_area(posyandu_id)
    if area is None:
        raise NotFound
    return render_area(request, connection, current, area, AreaAsked(page=page))
