"""The actions' pages (docs/tpps.md, docs/web.md): the TPPS's list of every RTL item and
commitment, overdue first (``/actions``), a partner's own (``/actions/mine``, its home
page), one action with its progress form and evidence files (``/actions/{id}``), and the
forms that add and change commitments."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.errors import InputError
from tumbuh.growth.partners import (
    COMMITMENT_FIELDS,
    PROGRESS_FIELDS,
    read_commitment,
    read_progress,
)
from tumbuh.growth.tpps import ActionKind, ActionStatus
from tumbuh.i18n import translations
from tumbuh.usecases import actions, institutions
from tumbuh.usecases.access import NotAllowed, Role
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state
from tumbuh.web.partners.forms import attachment, context, errors_text, fields, upload_of
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Choice = Annotated[str | None, Query(max_length=20)]


def _kind(text: str | None) -> ActionKind | None:
    return next((k for k in ActionKind if k.value == text), None)


def _status(text: str | None) -> ActionStatus | None:
    return next((s for s in ActionStatus if s.value == text), None)


@router.get("/actions", response_class=HTMLResponse)
def actions_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    kind: Choice = None,
    institution: Choice = None,
    status: Choice = None,
) -> Response:
    """Every action for the TPPS, overdue first, with the filters; a partner goes to its own."""
    if current.scope.role is Role.PARTNER:
        return RedirectResponse("/actions/mine", status_code=303)
    wanted = actions.ActionFilter(
        _kind(kind),
        int(institution) if institution and institution.isdigit() else None,
        _status(status),
    )
    listed = actions.action_list(connection, current.scope, date.today(), wanted)
    choices = institutions.institution_choices(connection, current.scope)
    values = context(
        request,
        current,
        listed=listed,
        wanted=wanted,
        choices=choices,
        mine=False,
        kinds=list(ActionKind),
        statuses=list(ActionStatus),
    )
    return HTMLResponse(render(current.language, "actions.html", values))


@router.get("/actions/mine", response_class=HTMLResponse)
def my_actions_page(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """A partner's own actions (both kinds), overdue first; the TPPS goes to every action."""
    if actions.sees_every_action(current.scope):
        return RedirectResponse("/actions", status_code=303)
    listed = actions.action_list(connection, current.scope, date.today())  # others: 403
    values = context(request, current, listed=listed, mine=True)
    return HTMLResponse(render(current.language, "actions.html", values))


def _form_page(
    request: Request,
    connection: Db,
    current: Viewer,
    raw: dict[str, str],
    errors: list[str],
    action_id: int | None = None,
) -> HTMLResponse:
    regions = institutions.region_choices(connection, web_state(request).settings.city_code)
    choices = institutions.institution_choices(connection, current.scope)
    values = context(
        request,
        current,
        raw=raw,
        errors=errors,
        regions=regions,
        choices=choices,
        action_id=action_id,
        target=f"/actions/{action_id}/edit" if action_id else "/actions/new",
    )
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "action_form.html", values), status_code=status)


@router.get("/actions/new", response_class=HTMLResponse)
def new_action_form(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The form for a new commitment (the TPPS)."""
    institutions.require_tpps(current.scope)
    return _form_page(request, connection, current, {"agreed_on": date.today().isoformat()}, [])


@router.post("/actions/new", dependencies=[Depends(csrf_protected)])
async def new_action(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Add the commitment (audited), then show it; 422 with the errors."""
    raw = fields(await request.form(), COMMITMENT_FIELDS)
    typed, errors = read_commitment(raw)
    if typed is not None:
        city = web_state(request).settings.city_code
        saved = actions.create_commitment(
            connection, current.scope, current.user, typed, city_code=city
        )
        if saved.action_id is not None:
            return RedirectResponse(f"/actions/{saved.action_id}", status_code=303)
        errors = saved.errors
    return _form_page(request, connection, current, raw, errors_text(errors, current))


def _action_page(
    request: Request,
    connection: Db,
    current: Viewer,
    action_id: int,
    raw: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    detail = actions.find_action(connection, current.scope, action_id, date.today())
    row = detail.row
    typed = raw or {
        "status": row.status.value,
        "delivered": row.delivered or "",
        "done_on": row.done_on.isoformat() if row.done_on else "",
    }
    values = context(
        request,
        current,
        detail=detail,
        raw=typed,
        errors=errors or [],
        statuses=list(ActionStatus),
        today=date.today().isoformat(),
    )
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "action.html", values), status_code=status)


@router.get("/actions/{action_id}", response_class=HTMLResponse)
def action_page(
    request: Request, connection: Db, current: CurrentViewer, action_id: Id
) -> HTMLResponse:
    """One action: its terms, progress form, decisions and evidence files."""
    return _action_page(request, connection, current, action_id)


@router.get("/actions/{action_id}/edit", response_class=HTMLResponse)
def edit_action_form(
    request: Request, connection: Db, current: CurrentViewer, action_id: Id
) -> HTMLResponse:
    """A commitment's terms, to change (the TPPS)."""
    detail = actions.find_action(connection, current.scope, action_id, date.today())
    if not detail.may_edit:
        raise NotAllowed
    r = detail.row
    raw = {
        "action": r.action,
        "institution": str(r.institution_id),
        "kelurahan": r.kelurahan_code or "",
        "agreed_on": r.agreed_on.isoformat(),
        "starts_on": r.starts_on.isoformat() if r.starts_on else "",
        "due_on": r.due_on.isoformat() if r.due_on else "",
        "budget_rupiah": "" if r.budget_rupiah is None else str(r.budget_rupiah),
        "budget_source": r.budget_source or "",
    }
    return _form_page(request, connection, current, raw, [], action_id)


@router.post("/actions/{action_id}/edit", dependencies=[Depends(csrf_protected)])
async def edit_action(
    request: Request, connection: Db, current: CurrentViewer, action_id: Id
) -> Response:
    """Store the commitment's new terms (audited), then show it; 422 with the errors."""
    raw = fields(await request.form(), COMMITMENT_FIELDS)
    typed, errors = read_commitment(raw)
    if typed is not None:
        city = web_state(request).settings.city_code
        errors = actions.update_commitment(
            connection, current.scope, current.user, action_id, typed, city_code=city
        )
        if not errors:
            return RedirectResponse(f"/actions/{action_id}", status_code=303)
    texts = errors_text(errors, current)
    return _form_page(request, connection, current, raw, texts, action_id)


@router.post("/actions/{action_id}/progress", dependencies=[Depends(csrf_protected)])
async def report_progress(
    request: Request, connection: Db, current: CurrentViewer, action_id: Id
) -> Response:
    """Store the status, what was done and when, with an evidence file when one is
    chosen (one transaction, audited); 422 with the errors, nothing written."""
    form = await request.form()
    raw = fields(form, PROGRESS_FIELDS)
    progress, errors = read_progress(raw, date.today())
    texts = errors_text(errors, current)
    if progress is not None:
        try:
            actions.report_progress(
                connection, current.scope, current.user, action_id, progress, await upload_of(form)
            )
            return RedirectResponse(f"/actions/{action_id}", status_code=303)
        except InputError as error:
            texts = [error.translated(translations(current.language).gettext)]
    return _action_page(request, connection, current, action_id, raw, texts)


@router.post("/actions/{action_id}/evidence", dependencies=[Depends(csrf_protected)])
async def add_evidence(
    request: Request, connection: Db, current: CurrentViewer, action_id: Id
) -> Response:
    """Keep an evidence file of the action (audited); 422 with the reason it is refused."""
    upload = await upload_of(await request.form())
    gettext = translations(current.language).gettext
    if upload is None:
        texts = [gettext("File: choose a file to upload; accepted: PDF, JPG, PNG, XLSX, DOCX")]
        return _action_page(request, connection, current, action_id, None, texts)
    try:
        actions.add_action_evidence(connection, current.scope, current.user, action_id, upload)
    except InputError as error:
        texts = [error.translated(gettext)]
        return _action_page(request, connection, current, action_id, None, texts)
    return RedirectResponse(f"/actions/{action_id}#evidence", status_code=303)


@router.get("/actions/{action_id}/evidence/{document_id}")
def evidence_download(
    connection: Db, current: CurrentViewer, action_id: Id, document_id: Id
) -> Response:
    """An evidence file of the action, for the TPPS and the responsible partner."""
    found = actions.action_evidence(connection, current.scope, action_id, document_id)
    disposition = attachment(found.filename)
    return Response(
        found.content, media_type=found.media_type, headers={"Content-Disposition": disposition}
    )
