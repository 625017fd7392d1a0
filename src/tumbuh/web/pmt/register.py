"""The register of PMT episodes (``/pmt/episodes``): filtered by area, kitchen,
indication, open or ended, and month; downloaded as .xlsx (``POST
/pmt/episodes/download``, names masked unless asked). Roles that see figures only get
the counts per indication and outcome. The log line of a download holds no name or NIK.
"""

import io
import logging
from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from tumbuh.errors import InputError
from tumbuh.growth.periods import PeriodKind, parse_period
from tumbuh.growth.pmt import EpisodeExit, Indication
from tumbuh.i18n import translations
from tumbuh.reports.pmt_register import episode_register_table
from tumbuh.reports.xlsx import write_workbook
from tumbuh.usecases import pmt_bumil_episodes, pmt_register
from tumbuh.usecases.places import Area, AreaKind, Places
from tumbuh.usecases.pmt_register import EpisodeQuery, EpisodeState
from tumbuh.web.deps import CurrentViewer, Db, NotFound, Viewer, csrf_protected, web_state
from tumbuh.web.pmt.forms import filter_choice, filter_id
from tumbuh.web.pmt.pages import FilterText, labels
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.area_choice import AreaOption, area_options, chosen_area
from tumbuh.web.surveillance.areas import AREA_CODE, MAX_ID
from tumbuh.web.surveillance.pages import AreaQuery, PosyanduQuery
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
logger = logging.getLogger(__name__)
BUMIL_SHOWN = 50  # the latest episodes of pregnant women the page lists
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class RegisterAsked:
    """The register's filters as they came: kept in the page's links and forms."""

    area: str | None = None
    posyandu: int | None = None
    kitchen: int | None = None
    indication: Indication | None = None
    state: EpisodeState | None = None
    month: str | None = None

    def query(self, **extra: object) -> str:
        """The query string of these filters."""
        values: dict[str, object] = {}
        if self.area:
            values["area"] = self.area
        elif self.posyandu is not None:
            values["posyandu"] = self.posyandu
        for name in ("kitchen", "month"):
            if getattr(self, name):
                values[name] = getattr(self, name)
        if self.indication is not None:
            values["indication"] = self.indication.value
        if self.state is not None:
            values["state"] = self.state.value
        values.update(extra)
        return urlencode(values)

    def episode_query(self) -> EpisodeQuery:
        """The use case's filters (the month parsed; InputError when it is not one)."""
        month = None
        if self.month:
            month = parse_period(self.month)
            if month is None or month.kind is not PeriodKind.MONTH:
                raise InputError(
                    "'{value}' is not a month; write the month as YYYY-MM, for example 2024-08",
                    value=self.month,
                )
        return EpisodeQuery(self.kitchen, self.indication, self.state, month)


def _asked(
    area: str | None,
    posyandu: int | None,
    kitchen: str | None,
    indication: str | None,
    state: str | None,
    month: str | None,
) -> RegisterAsked:
    return RegisterAsked(
        area or None,
        posyandu,
        filter_id(kitchen, "kitchen"),
        filter_choice(Indication, indication, "indication"),
        filter_choice(EpisodeState, state, "state"),
        month or None,
    )


def asked_in_query(
    area: AreaQuery = None,
    posyandu: PosyanduQuery = None,
    kitchen: FilterText = None,
    indication: FilterText = None,
    state: FilterText = None,
    month: FilterText = None,
) -> RegisterAsked:
    """The filters of the register's query ("" from the form's "all": no filter)."""
    return _asked(area, posyandu, kitchen, indication, state, month)


def asked_in_form(
    area: Annotated[str | None, Form(pattern=AREA_CODE)] = None,
    posyandu: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    kitchen: Annotated[str | None, Form(max_length=20)] = None,
    indication: Annotated[str | None, Form(max_length=20)] = None,
    state: Annotated[str | None, Form(max_length=20)] = None,
    month: Annotated[str | None, Form(max_length=20)] = None,
) -> RegisterAsked:
    """The filters of the download form (the page's, kept in hidden fields)."""
    return _asked(area, posyandu, kitchen, indication, state, month)


RegisterQuery = Annotated[RegisterAsked, Depends(asked_in_query)]
RegisterForm = Annotated[RegisterAsked, Depends(asked_in_form)]


@dataclass(frozen=True)
class Where:
    """The area the register shows and the filter it means (None: the whole scope)."""

    shown: Area
    filter: Area | None
    options: list[AreaOption]
    places: Places


def where(request: Request, connection: Connection, current: Viewer, asked: RegisterAsked) -> Where:
    """The area asked for inside the scope (NotFound outside it)."""
    places = web_state(request).figures.snapshot(connection).places
    shown = chosen_area(places, current.scope, asked.area, asked.posyandu)
    asked_any = asked.area is not None or asked.posyandu is not None
    chosen = shown if asked_any and shown.kind is not AreaKind.KOTA else None
    return Where(shown, chosen, area_options(places, current.scope), places)


@router.get("/pmt/episodes", response_class=HTMLResponse)
def register_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    asked: RegisterQuery,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The episodes of the user's area with the filters, open ones first; the counts per
    indication and outcome for every role."""
    place = where(request, connection, current, asked)
    query = asked.episode_query()
    scope = current.scope
    tally = pmt_register.episode_tally(
        connection, scope, query=query, places=place.places, area=place.filter
    )
    listed, bumil = None, []
    if scope.may_see_children:
        listed = pmt_register.episode_list(
            connection, scope, query=query, places=place.places, area=place.filter, page=page
        )
    if query.indication in (None, Indication.PREGNANT_KEK):
        bumil = pmt_bumil_episodes.area_bumil_episodes(connection, scope, limit=BUMIL_SHOWN)
    context = labels(
        current,
        request=request,
        viewer=current,
        csrf=csrf_token(request),
        tally=tally,
        listed=listed,
        bumil=bumil,
        bumil_shown=BUMIL_SHOWN,
        chosen=asked,
        options=place.options,
        area=place.shown,
        kitchens=pmt_register.kitchen_choices(connection, scope),
        indications=list(Indication),
        exits=[None, *EpisodeExit],
        states=list(EpisodeState),
        page_query=lambda n: asked.query(page=n),
        today=date.today(),
    )
    return HTMLResponse(render(current.language, "pmt_episodes.html", context))


@router.post("/pmt/episodes/download", dependencies=[Depends(csrf_protected)])
def download(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    asked: RegisterForm,
    unmask: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The register with the filters (all pages) as .xlsx; names masked unless asked."""
    place = where(request, connection, current, asked)
    try:
        found = pmt_register.episode_export(
            connection,
            current.scope,
            query=asked.episode_query(),
            today=date.today(),
            places=place.places,
            area=place.filter,
            unmask=bool(unmask),
        )
    except pmt_register.NotAllowed:
        raise NotFound from None
    gettext = translations(current.language).gettext
    title = gettext("PMT episodes: {count}").format(count=len(found.rows))
    where_text = f"{place.shown.name} ({place.shown.code})"
    table = episode_register_table(
        found.rows,
        title=f"{title}, {found.today.isoformat()}: {where_text}",
        masked=not found.unmask,
        gettext=gettext,
    )
    buffer = io.BytesIO()
    write_workbook([table], buffer, language=current.language)
    logger.info(
        "pmt register download by user %d: %s, %d episodes, unmask=%s",
        current.user.id,
        place.shown.code,
        len(found.rows),
        found.unmask,
    )
    name = f"register-pmt-{place.shown.code}-{found.today.isoformat()}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(buffer.getvalue(), media_type=XLSX, headers=headers)
