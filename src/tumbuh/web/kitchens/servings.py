"""The serving log of a kitchen (``/kitchens/{id}/servings``), filled on a phone in a
minute: a day's tick list by kelurahan and posyandu, saved in one tap; and the week
(``/kitchens/{id}/week``): the days each person was served and the adherence so far
(docs/kitchens.md).

The form sends the ticked episodes (``served``) and those the page showed as served
(``known``); the use case adds and takes back the difference, so a save never undoes
what someone else saved meanwhile. A serving logged twice on one day is refused (409)
and the page shows the day as it now stands, with this user's changes still ticked.
"""

from dataclasses import replace
from datetime import date, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.growth.kitchens import read_day
from tumbuh.usecases import servings
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected
from tumbuh.web.kitchens.forms import context, errors_text
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
DayQuery = Annotated[str | None, Query(alias="date", max_length=20)]
PlaceQuery = Annotated[int | None, Query(ge=0, le=MAX_ID)]
CountQuery = Annotated[int | None, Query(ge=0, le=100_000)]
CONFLICT = 409


def _ids(values: list[str]) -> frozenset[int]:
    return frozenset(int(v) for v in values if v.isdigit() and 0 < int(v) <= MAX_ID)


def _render(
    request: Request,
    current: Viewer,
    day: servings.ServingDay,
    place: int | None,
    status: int = 200,
    *,
    texts: list[str] | None = None,
    ticked: frozenset[int] | None = None,
    saved: tuple[int, int] | None = None,
) -> HTMLResponse:
    """The tick list (of one posyandu when ``place`` is given): boxes ticked as stored,
    or as ``ticked`` after a refused save; the stored state goes back as ``known``."""
    rows = [r for r in day.rows if place is None or (r.posyandu_id or 0) == place]
    places = {(r.posyandu_id or 0): label for label, group in day.groups for r in group}
    one_day = timedelta(days=1)
    page = context(
        request,
        current,
        day=replace(day, rows=rows),
        ticked=ticked if ticked is not None else frozenset(r.episode_id for r in rows if r.served),
        place=place,
        places=sorted(places.items(), key=lambda item: item[1]),
        previous=day.day - one_day,
        following=day.day + one_day if day.day < day.today else None,
        errors=errors_text(day.errors, current) + (texts or []),
        saved=saved,
    )
    return HTMLResponse(render(current.language, "servings.html", page), status_code=status)


@router.get("/kitchens/{kitchen_id}/servings", response_class=HTMLResponse)
def serving_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    kitchen_id: Id,
    day: DayQuery = None,
    place: PlaceQuery = None,
    added: CountQuery = None,
    removed: CountQuery = None,
) -> HTMLResponse:
    """The tick list of a day (today unless ``date`` is given), by kelurahan and
    posyandu (``place``: one posyandu, 0 for the pregnant women)."""
    today = date.today()
    on, errors = read_day(day, today)
    found = servings.serving_day(connection, current.scope, kitchen_id, on, today)
    found = replace(found, errors=errors + found.errors)
    saved = None if added is None or removed is None else (added, removed)
    status = 422 if found.errors else 200
    return _render(request, current, found, place, status, saved=saved)


def _proposed(
    day: servings.ServingDay, ticked: frozenset[int], known: frozenset[int]
) -> frozenset[int]:
    """The boxes to tick after a refused save: the day as it now stands with this
    user's changes on top (what they added ticked, what they took back unticked)."""
    stored = {r.episode_id for r in day.rows if r.served}
    return frozenset((stored | (ticked - known)) - (known - ticked))


@router.post("/kitchens/{kitchen_id}/servings", dependencies=[Depends(csrf_protected)])
async def save_servings(
    request: Request, connection: Db, current: CurrentViewer, kitchen_id: Id
) -> Response:
    """Save the day's ticks (audited), then show the day again with what was saved;
    409 for a serving logged twice, 422 for another refusal, nothing saved."""
    form = await request.form()
    today = date.today()
    on, errors = read_day(str(form.get("date") or ""), today)
    ticked = _ids([str(v) for v in form.getlist("served")])
    known = _ids([str(v) for v in form.getlist("known")])
    place_text = str(form.get("place") or "")
    place = int(place_text) if place_text.isdigit() else None
    if errors:
        found = servings.serving_day(connection, current.scope, kitchen_id, today, today)
        return _render(request, current, replace(found, errors=errors), place, 422)
    done = servings.save_day(
        connection,
        current.scope,
        current.user,
        kitchen_id,
        on,
        served=ticked,
        known=known,
        today=today,
    )
    if not done.errors:
        query = {"date": on.isoformat(), "added": done.added, "removed": done.removed}
        if place is not None:
            query["place"] = place
        return RedirectResponse(f"/kitchens/{kitchen_id}/servings?{urlencode(query)}", 303)
    found = servings.serving_day(connection, current.scope, kitchen_id, on, today)
    status = CONFLICT if done.double else 422
    texts = errors_text(done.errors, current)
    proposed = _proposed(found, ticked, known)
    return _render(request, current, found, place, status, texts=texts, ticked=proposed)


@router.get("/kitchens/{kitchen_id}/week", response_class=HTMLResponse)
def week_page(
    request: Request, connection: Db, current: CurrentViewer, kitchen_id: Id, day: DayQuery = None
) -> HTMLResponse:
    """The week of a day (this week unless ``date`` is given): per person, the days
    served, the days planned this week and the adherence so far."""
    today = date.today()
    on, errors = read_day(day, today)
    week = servings.serving_week(connection, current.scope, kitchen_id, min(on, today), today)
    seven = timedelta(days=7)
    values = context(
        request,
        current,
        week=week,
        errors=errors_text(errors, current),
        previous=week.days[0] - seven,
        following=week.days[0] + seven if week.days[-1] < today else None,
    )
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "serving_week.html", values), status_code=status)
