"""Child page, measurement edits, and the posyandu session: who is due, entry, new child."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from tumbuh.web import children as service
from tumbuh.web import registration
from tumbuh.web.charts import growth_svgs
from tumbuh.web.deps import (
    CurrentViewer,
    Db,
    NotFound,
    Viewer,
    commit_change,
    csrf_protected,
    web_state,
)
from tumbuh.web.entry import EntryForm, category_label, preview, read_form, typed_in
from tumbuh.web.pages_areas import MAX_ID
from tumbuh.web.places import Area
from tumbuh.web.security import csrf_token
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Month = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
FORM_FIELDS = ("measured_on", "weight_kg", "height_cm", "position", "muac_cm")


def _context(request: Request, current: Viewer, **values: object) -> dict[str, object]:
    return {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "category_label": lambda kind, code: category_label(kind, code, current.language),
        **values,
    }


async def _search_form(request: Request) -> str:
    form = await request.form()
    return str(form.get("q") or "")[:SEARCH_QUERY_MAX]


SEARCH_QUERY_MAX = 100


@router.get("/children", response_class=HTMLResponse)
def search_page(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """Find a child of the user's area by name, mother's name or NIK."""
    if not current.scope.may_see_children:
        raise NotFound
    return _search_page(request, connection, current, "", None)


@router.post("/children", response_class=HTMLResponse, dependencies=[Depends(csrf_protected)])
def search(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    query: Annotated[str, Depends(_search_form)],
) -> HTMLResponse:
    """The children found (sent as a form, so no name or NIK lands in a URL or an access
    log)."""
    places = web_state(request).figures.snapshot(connection).places
    in_scope = places.posyandu_ids(places.city, current.scope)
    result = service.search_children(connection, current.scope, in_scope, query)
    return _search_page(request, connection, current, query, result)


def _search_page(
    request: Request,
    connection: Connection,
    current: Viewer,
    query: str,
    result: service.SearchResult | None,
) -> HTMLResponse:
    places = web_state(request).figures.snapshot(connection).places
    context = _context(
        request,
        current,
        query=query,
        result=result,
        limit=service.SEARCH_LIMIT,
        kelurahan={code: area.name for code, area in places.kelurahan.items()},
        nik_of=lambda nik: service.shown_nik(nik, current.scope),
    )
    status = 422 if result is not None and result.problem else 200
    return HTMLResponse(render(current.language, "search.html", context), status_code=status)


@router.get("/children/{child_id}", response_class=HTMLResponse)
def child_page(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id
) -> HTMLResponse:
    """Profile, measurement history, KMS growth charts, categories and N/T of one child."""
    child = service.find_child(connection, current.scope, child_id)
    measurements = service.history(connection, child.id)
    context = _context(
        request,
        current,
        child=child,
        nik=service.shown_nik(child.nik, current.scope),
        measurements=list(reversed(measurements)),
        charts=growth_svgs(child.sex, measurements, current.language),
        today=date.today(),
    )
    return HTMLResponse(render(current.language, "child.html", context))


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(form.get(key) or "") for key in FORM_FIELDS}


Typed = Annotated[dict[str, str], Depends(_form)]


def _month_start(month: str) -> date:
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1)


def _session_child(
    connection: Connection, current: Viewer, posyandu_id: int, child_id: int
) -> service.ChildRecord:
    child = service.find_child(connection, current.scope, child_id)
    if child.posyandu_id != posyandu_id:
        raise NotFound
    return child


@router.get("/posyandu/{posyandu_id}/bulan-timbang/{month}", response_class=HTMLResponse)
def session_page(
    request: Request, connection: Db, current: CurrentViewer, posyandu_id: Id, month: Month
) -> HTMLResponse:
    """The children of the posyandu due this month (0-59 months), measured or not yet."""
    figures = web_state(request).figures.snapshot(connection)
    area = figures.places.posyandu_area(posyandu_id)
    if area is None or not current.scope.may_write:
        raise NotFound
    start = _month_start(month)
    due = service.children_due(connection, current.scope, posyandu_id, start)
    context = _context(request, current, area=area, month=month, start=start, due=due)
    return HTMLResponse(render(current.language, "session.html", context))


@router.get(
    "/posyandu/{posyandu_id}/bulan-timbang/{month}/children/{child_id}", response_class=HTMLResponse
)
def entry_form(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    posyandu_id: Id,
    month: Month,
    child_id: Id,
) -> HTMLResponse:
    """Entry of one child's weight, length/height, position and MUAC."""
    if not current.scope.may_write:
        raise NotFound
    child = _session_child(connection, current, posyandu_id, child_id)
    today = date.today()
    start = _month_start(month)
    day = today if today.strftime("%Y-%m") == month else start
    age_days = (day - child.birth_date).days
    raw = {"measured_on": day.isoformat(), "position": "l" if age_days < 731 else "h"}
    return _entry_page(request, connection, current, child, posyandu_id, month, raw, None)


def _entry_page(
    request: Request,
    connection: Connection,
    current: Viewer,
    child: service.ChildRecord,
    posyandu_id: int,
    month: str,
    raw: dict[str, str],
    form: object,
    status: int = 200,
) -> HTMLResponse:
    history = service.history(connection, child.id)
    context = _context(
        request,
        current,
        child=child,
        posyandu_id=posyandu_id,
        month=month,
        raw=raw,
        form=form,
        last=history[-1] if history else None,
        preview=None,
    )
    return HTMLResponse(render(current.language, "entry.html", context), status_code=status)


def _typed_entry(
    connection: Connection, current: Viewer, posyandu_id: int, child_id: int, raw: dict[str, str]
) -> tuple[service.ChildRecord, EntryForm]:
    """The child of a session (for users who may write) and what was typed for it."""
    if not current.scope.may_write:
        raise NotFound
    child = _session_child(connection, current, posyandu_id, child_id)
    return child, read_form(raw, child, date.today(), current.language)


@router.post(
    "/posyandu/{posyandu_id}/bulan-timbang/{month}/children/{child_id}/preview",
    response_class=HTMLResponse,
    dependencies=[Depends(csrf_protected)],
)
def entry_preview(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    posyandu_id: Id,
    month: Month,
    child_id: Id,
    raw: Typed,
) -> HTMLResponse:
    """HTMX: z-scores, categories, N/T and warnings of the typed values, before saving."""
    child, form = _typed_entry(connection, current, posyandu_id, child_id, raw)
    result = None
    if form.values is not None and not form.errors:
        rows = service.stored_values(connection, child.id)
        result = preview(rows, child, form.values, web_state(request).kbm)
    context = _context(request, current, form=form, preview=result, child=child)
    return HTMLResponse(render(current.language, "_preview.html", context))


@router.post(
    "/posyandu/{posyandu_id}/bulan-timbang/{month}/children/{child_id}",
    dependencies=[Depends(csrf_protected)],
)
def entry_save(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    posyandu_id: Id,
    month: Month,
    child_id: Id,
    raw: Typed,
) -> Response:
    """Save the measurement (refused while the values have errors), then the next child."""
    child, form = _typed_entry(connection, current, posyandu_id, child_id, raw)
    if form.values is None or form.errors:
        return _entry_page(request, connection, current, child, posyandu_id, month, raw, form, 422)
    service.add_measurement(
        connection, current.scope, current.user, child, form.values, web_state(request).kbm
    )
    commit_change(request, connection)
    due = service.children_due(connection, current.scope, posyandu_id, _month_start(month))
    following = next((d for d in due if d.measured_on is None and d.child.id != child.id), None)
    base = f"/posyandu/{posyandu_id}/bulan-timbang/{month}"
    target = f"{base}/children/{following.child.id}" if following else base
    return RedirectResponse(target + "?saved=" + str(child.id), status_code=303)


@router.get("/children/{child_id}/measurements/{measurement_id}", response_class=HTMLResponse)
def measurement_form(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id, measurement_id: Id
) -> HTMLResponse:
    """Correct or delete a stored measurement."""
    child = service.find_child(connection, current.scope, child_id)
    if not current.scope.may_write:
        raise NotFound
    found = service.find_measurement(connection, current.scope, child, measurement_id)
    raw = typed_in(found.values)
    context = _context(request, current, child=child, measurement=found, raw=raw, form=None)
    return HTMLResponse(render(current.language, "measurement.html", context))


@router.post(
    "/children/{child_id}/measurements/{measurement_id}", dependencies=[Depends(csrf_protected)]
)
def measurement_update(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    child_id: Id,
    measurement_id: Id,
    raw: Typed,
) -> Response:
    """Store the corrected values (audited)."""
    child = service.find_child(connection, current.scope, child_id)
    found = service.find_measurement(connection, current.scope, child, measurement_id)
    form = read_form(raw, child, date.today(), current.language)
    if form.values is None or form.errors:
        context = _context(request, current, child=child, measurement=found, raw=raw, form=form)
        return HTMLResponse(render(current.language, "measurement.html", context), status_code=422)
    service.change_measurement(
        connection,
        current.scope,
        current.user,
        child,
        measurement_id,
        form.values,
        web_state(request).kbm,
    )
    commit_change(request, connection)
    return RedirectResponse(f"/children/{child.id}", status_code=303)


@router.post(
    "/children/{child_id}/measurements/{measurement_id}/delete",
    dependencies=[Depends(csrf_protected)],
)
def measurement_delete(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id, measurement_id: Id
) -> Response:
    """Delete a measurement (audited, with its values in the audit row)."""
    child = service.find_child(connection, current.scope, child_id)
    service.change_measurement(
        connection, current.scope, current.user, child, measurement_id, None, web_state(request).kbm
    )
    commit_change(request, connection)
    return RedirectResponse(f"/children/{child.id}", status_code=303)


@router.get("/posyandu/{posyandu_id}/children/new", response_class=HTMLResponse)
def new_child_form(
    request: Request, connection: Db, current: CurrentViewer, posyandu_id: Id
) -> HTMLResponse:
    """Register a child who comes to the posyandu for the first time."""
    area = _writable_posyandu(request, connection, current, posyandu_id)
    context = _context(request, current, area=area, raw={}, errors=[])
    return HTMLResponse(render(current.language, "child_new.html", context))


def _writable_posyandu(
    request: Request, connection: Connection, current: Viewer, posyandu_id: int
) -> Area:
    figures = web_state(request).figures.snapshot(connection)
    area = figures.places.posyandu_area(posyandu_id)
    if area is None or not current.scope.may_write:
        raise NotFound
    if not current.scope.covers_posyandu(posyandu_id, area.parent_code):
        raise NotFound
    return area


@router.post("/posyandu/{posyandu_id}/children/new", dependencies=[Depends(csrf_protected)])
async def new_child(
    request: Request, connection: Db, current: CurrentViewer, posyandu_id: Id
) -> Response:
    """Check and store the new child (audited), then open its page."""
    area = _writable_posyandu(request, connection, current, posyandu_id)
    raw = await _profile_form(request)
    child, errors = registration.read_child(connection, raw, current.language)
    if child is None:
        context = _context(request, current, area=area, raw=raw, errors=errors)
        return HTMLResponse(render(current.language, "child_new.html", context), status_code=422)
    new_id = registration.register_child(
        connection, current.scope, current.user, posyandu_id, area.parent_code or "", child
    )
    commit_change(request, connection)
    return RedirectResponse(f"/children/{new_id}", status_code=303)


async def _profile_form(request: Request) -> dict[str, str]:
    form = await request.form()
    fields = (*registration.PROFILE_FIELDS, "posyandu_id")
    return {key: str(form.get(key) or "").strip() for key in fields}


def _editable_child(
    request: Request, connection: Connection, current: Viewer, child_id: int
) -> tuple[service.ChildRecord, list[registration.PosyanduChoice]]:
    """The child (in the scope, for users who may write) and the posyandu it may move to."""
    child = service.find_child(connection, current.scope, child_id)
    if not current.scope.may_write:
        raise NotFound
    places = web_state(request).figures.snapshot(connection).places
    return child, registration.writable_posyandu(places, current.scope)


def _edit_page(
    request: Request,
    current: Viewer,
    child: service.ChildRecord,
    posyandu: list[registration.PosyanduChoice],
    raw: dict[str, str],
    errors: list[str],
    status: int = 200,
) -> HTMLResponse:
    context = _context(request, current, child=child, posyandu=posyandu, raw=raw, errors=errors)
    return HTMLResponse(render(current.language, "child_edit.html", context), status_code=status)


@router.get("/children/{child_id}/edit", response_class=HTMLResponse)
def child_edit_form(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id
) -> HTMLResponse:
    """Correct a child's details: name, NIK, sex, birth date, birth size, posyandu."""
    child, posyandu = _editable_child(request, connection, current, child_id)
    raw = registration.typed_profile(registration.profile_of(child))
    raw["posyandu_id"] = str(child.posyandu_id or "")
    return _edit_page(request, current, child, posyandu, raw, [])


@router.post("/children/{child_id}/edit", dependencies=[Depends(csrf_protected)])
async def child_edit(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id
) -> Response:
    """Store the corrected details (audited; a new sex or birth date recomputes every
    z-score of the child), then open the child's page."""
    child, posyandu = _editable_child(request, connection, current, child_id)
    raw = await _profile_form(request)
    changed, errors = registration.correct_child(
        connection,
        current.scope,
        current.user,
        child,
        raw,
        posyandu,
        current.language,
        web_state(request).kbm,
    )
    if errors:
        return _edit_page(request, current, child, posyandu, raw, errors, 422)
    if changed:
        commit_change(request, connection)
    return RedirectResponse(f"/children/{child.id}", status_code=303)
