"""Child search, the child page, registering a new child and correcting a child's
details; the posyandu session and measurement pages are in
:mod:`tumbuh.web.children.entry_pages`."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from tumbuh.case_labels import PROBLEM_NAMES, STATUS_NAMES
from tumbuh.i18n import translations
from tumbuh.reports.case_register import answer_summary
from tumbuh.usecases import cases, pregnancies, registry
from tumbuh.web.children import entry_pages as pages_entry
from tumbuh.web.children import lists as child_lists
from tumbuh.web.children import months as child_months_web
from tumbuh.web.children import registration
from tumbuh.web.children.correction import Correction, correct_child, field_label, shown_value
from tumbuh.web.children.entry import category_label, trend_clause_label
from tumbuh.web.deps import (
    CurrentViewer,
    Db,
    NotFound,
    Viewer,
    csrf_protected,
    records_changed,
    web_state,
)
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.surveillance.charts import growth_svgs
from tumbuh.web.templating import format_date, render

router = APIRouter(include_in_schema=False)
router.include_router(pages_entry.router)
router.include_router(child_months_web.router)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def _context(request: Request, current: Viewer, **values: object) -> dict[str, object]:
    return {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "category_label": lambda kind, code: category_label(kind, code, current.language),
        "trend_clause_label": lambda code: trend_clause_label(code, current.language),
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
    result = child_lists.search_children(connection, current.scope, in_scope, query)
    return _search_page(request, connection, current, query, result)


def _search_page(
    request: Request,
    connection: Connection,
    current: Viewer,
    query: str,
    result: child_lists.SearchResult | None,
) -> HTMLResponse:
    places = web_state(request).figures.snapshot(connection).places
    context = _context(
        request,
        current,
        query=query,
        result=result,
        limit=child_lists.SEARCH_LIMIT,
        kelurahan={code: area.name for code, area in places.kelurahan.items()},
        nik_of=lambda nik: registry.shown_nik(nik, current.scope),
    )
    status = 422 if result is not None and result.problem else 200
    return HTMLResponse(render(current.language, "search.html", context), status_code=status)


@router.get("/children/{child_id}", response_class=HTMLResponse)
def child_page(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id
) -> HTMLResponse:
    """Profile, measurement history, KMS growth charts, categories and N/T of one child."""
    child = registry.find_child(connection, current.scope, child_id)
    measurements = registry.history(connection, child.id)
    context = _context(
        request,
        current,
        child=child,
        nik=registry.shown_nik(child.nik, current.scope),
        measurements=list(reversed(measurements)),
        charts=growth_svgs(child.sex, measurements, current.language),
        today=date.today(),
        open_cases=cases.child_cases(connection, current.scope, child.id),
        birth=pregnancies.birth_of_child(connection, current.scope, child.id),
        case_problem_names=PROBLEM_NAMES,
        case_status_names=STATUS_NAMES,
        case_answer=lambda case: answer_summary(
            case,
            translations(current.language).gettext,
            lambda day: format_date(day, current.language),
        ),
        **child_months_web.child_section(connection, current, child.id),
    )
    return HTMLResponse(render(current.language, "child.html", context))


@router.get("/posyandu/{posyandu_id}/children/new", response_class=HTMLResponse)
def new_child_form(
    request: Request, connection: Db, current: CurrentViewer, posyandu_id: Id
) -> HTMLResponse:
    """Register a child who comes to the posyandu for the first time."""
    area = pages_entry.writable_posyandu_area(request, connection, current, posyandu_id)
    context = _context(request, current, area=area, raw={}, errors=[], same_nik=None, same_child=())
    return HTMLResponse(render(current.language, "child_new.html", context))


@router.post("/posyandu/{posyandu_id}/children/new", dependencies=[Depends(csrf_protected)])
async def new_child(
    request: Request, connection: Db, current: CurrentViewer, posyandu_id: Id
) -> Response:
    """Check and store the new child (audited), then open its page; a child that may
    already be registered (same name, sex, birth date and mother in the kelurahan, no
    NIK) answers 409 with that child until the user confirms it is another one."""
    area = pages_entry.writable_posyandu_area(request, connection, current, posyandu_id)
    raw = await _profile_form(request)
    place = (posyandu_id, area.parent_code or "")
    new_id, form = registration.create_child(
        connection, current.scope, current.user, place, raw, current.language
    )
    if new_id is None:
        context = _context(
            request,
            current,
            area=area,
            raw=raw,
            errors=form.errors,
            same_nik=form.same_nik,
            same_child=form.same_child,
        )
        status = 409 if form.same_child else 422
        page = render(current.language, "child_new.html", context)
        return HTMLResponse(page, status_code=status)
    records_changed(request)
    return RedirectResponse(f"/children/{new_id}", status_code=303)


async def _profile_form(request: Request) -> dict[str, str]:
    form = await request.form()
    fields = (*registration.PROFILE_FIELDS, "posyandu_id", "version", registration.CONFIRM_FIELD)
    return {key: str(form.get(key) or "").strip() for key in fields}


def _editable_child(
    request: Request, connection: Connection, current: Viewer, child_id: int
) -> tuple[registry.ChildRecord, list[registration.PosyanduChoice]]:
    """The child (in the scope, for users who may write) and the posyandu it may move to."""
    child = registry.find_child(connection, current.scope, child_id)
    if not current.scope.may_write:
        raise NotFound
    places = web_state(request).figures.snapshot(connection).places
    return child, registration.writable_posyandu(places, current.scope)


def _stored_form(child: registry.ChildRecord) -> dict[str, str]:
    """The edit form's fields filled from the stored child, with its version."""
    raw = registration.typed_profile(registration.profile_of(child))
    raw["posyandu_id"] = str(child.posyandu_id or "")
    raw["version"] = str(child.version)
    return raw


def _edit_page(
    request: Request,
    current: Viewer,
    child: registry.ChildRecord,
    posyandu: list[registration.PosyanduChoice],
    raw: dict[str, str],
    status: int = 200,
    result: Correction | None = None,
) -> HTMLResponse:
    labels = {p.place.id: p.label for p in posyandu}
    language, scope = current.language, current.scope
    conflict = [
        (
            field_label(c.field, language),
            shown_value(c.field, c.stored, language, scope, labels),
            shown_value(c.field, c.yours, language, scope, labels),
        )
        for c in (result.conflict if result else [])
    ]
    context = _context(
        request,
        current,
        child=child,
        posyandu=posyandu,
        raw=raw,
        errors=result.errors if result else [],
        same_nik=result.same_nik if result else None,
        same_child=result.same_child if result else (),
        conflict=conflict,
    )
    return HTMLResponse(render(current.language, "child_edit.html", context), status_code=status)


@router.get("/children/{child_id}/edit", response_class=HTMLResponse)
def child_edit_form(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id
) -> HTMLResponse:
    """Correct a child's details: name, NIK, sex, birth date, birth size, posyandu."""
    child, posyandu = _editable_child(request, connection, current, child_id)
    return _edit_page(request, current, child, posyandu, _stored_form(child))


@router.post("/children/{child_id}/edit", dependencies=[Depends(csrf_protected)])
async def child_edit(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id
) -> Response:
    """Store the corrected details (audited; a new sex or birth date recomputes every
    z-score of the child), then open the child's page. Refused, with the fields that
    differ, when someone else saved the child after the form was opened."""
    child, posyandu = _editable_child(request, connection, current, child_id)
    raw = await _profile_form(request)
    result = correct_child(
        connection,
        current.scope,
        current.user,
        child,
        raw,
        posyandu,
        current.language,
        web_state(request).kbm,
    )
    if result.stored is not None:  # someone else saved first: show what is stored now
        stored = result.stored
        return _edit_page(request, current, stored, posyandu, _stored_form(stored), 409, result)
    if result.errors:
        return _edit_page(request, current, child, posyandu, raw, 422, result)
    if result.same_child:
        return _edit_page(request, current, child, posyandu, raw, 409, result)
    if result.changed:
        records_changed(request)
    return RedirectResponse(f"/children/{child.id}", status_code=303)
