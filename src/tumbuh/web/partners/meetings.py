"""The meetings' pages (docs/tpps.md, docs/web.md): the list (``/meetings``), one meeting
with its decisions, the commitments made from them and its minutes (``/meetings/{id}``),
and the forms that record them; for the TPPS."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.errors import InputError
from tumbuh.growth.partners import (
    COMMITMENT_FIELDS,
    MEETING_FIELDS,
    MeetingKind,
    read_commitment,
    read_decision,
    read_meeting,
)
from tumbuh.i18n import translations
from tumbuh.usecases import institutions, meetings
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state
from tumbuh.web.partners.forms import attachment, context, errors_text, fields, upload_of
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/meetings", response_class=HTMLResponse)
def meetings_page(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """Every meeting, the latest first (the TPPS)."""
    listed = meetings.meeting_list(connection, current.scope)
    values = context(request, current, listed=listed)
    return HTMLResponse(render(current.language, "meetings.html", values))


def _form_page(
    request: Request,
    connection: Db,
    current: Viewer,
    raw: dict[str, str],
    present: list[str],
    errors: list[str],
    meeting_id: int | None = None,
) -> HTMLResponse:
    choices = institutions.institution_choices(connection, current.scope)
    values = context(
        request,
        current,
        raw=raw,
        present=present,
        errors=errors,
        choices=choices,
        kinds=list(MeetingKind),
        meeting_id=meeting_id,
    )
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "meeting_form.html", values), status_code=status)


@router.get("/meetings/new", response_class=HTMLResponse)
def new_meeting_form(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The form for a new meeting."""
    institutions.require_tpps(current.scope)
    return _form_page(request, connection, current, {"kind": "tpps"}, [], [])


@router.post("/meetings/new", dependencies=[Depends(csrf_protected)])
async def new_meeting(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Record the meeting (audited), then show it; 422 with the errors."""
    form = await request.form()
    raw, present = fields(form, MEETING_FIELDS), [str(v) for v in form.getlist("attendees")]
    typed, errors = read_meeting(raw, present)
    if typed is not None:
        saved = meetings.create_meeting(connection, current.scope, current.user, typed)
        if saved.meeting_id is not None:
            return RedirectResponse(f"/meetings/{saved.meeting_id}", status_code=303)
        errors = saved.errors
    texts = errors_text(errors, current)
    return _form_page(request, connection, current, raw, present, texts)


def _meeting_page(
    request: Request,
    connection: Db,
    current: Viewer,
    meeting_id: int,
    errors: list[str] | None = None,
    raw: dict[str, str] | None = None,
) -> HTMLResponse:
    view = meetings.find_meeting(connection, current.scope, meeting_id)
    regions = institutions.region_choices(connection, web_state(request).settings.city_code)
    choices = institutions.institution_choices(connection, current.scope)
    values = context(
        request,
        current,
        view=view,
        errors=errors or [],
        raw=raw or {},
        regions=regions,
        choices=choices,
    )
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "meeting.html", values), status_code=status)


@router.get("/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_page(
    request: Request, connection: Db, current: CurrentViewer, meeting_id: Id
) -> HTMLResponse:
    """One meeting: who was there, its decisions and their actions, its files."""
    return _meeting_page(request, connection, current, meeting_id)


@router.get("/meetings/{meeting_id}/edit", response_class=HTMLResponse)
def edit_meeting_form(
    request: Request, connection: Db, current: CurrentViewer, meeting_id: Id
) -> HTMLResponse:
    """The meeting's edit form."""
    m = meetings.find_meeting(connection, current.scope, meeting_id).meeting
    raw = {
        "held_on": m.held_on.isoformat(),
        "kind": m.kind.value,
        "title": m.title,
        "place": m.place or "",
        "chair": m.chair or "",
        "others": m.others or "",
    }
    present = [str(i) for i, _name in m.attendees]
    return _form_page(request, connection, current, raw, present, [], meeting_id)


@router.post("/meetings/{meeting_id}/edit", dependencies=[Depends(csrf_protected)])
async def edit_meeting(
    request: Request, connection: Db, current: CurrentViewer, meeting_id: Id
) -> Response:
    """Store the meeting's new values (audited), then show it; 422 with the errors."""
    form = await request.form()
    raw, present = fields(form, MEETING_FIELDS), [str(v) for v in form.getlist("attendees")]
    typed, errors = read_meeting(raw, present)
    if typed is not None:
        errors = meetings.update_meeting_of(
            connection, current.scope, current.user, meeting_id, typed
        )
        if not errors:
            return RedirectResponse(f"/meetings/{meeting_id}", status_code=303)
    texts = errors_text(errors, current)
    return _form_page(request, connection, current, raw, present, texts, meeting_id)


@router.post("/meetings/{meeting_id}/decisions", dependencies=[Depends(csrf_protected)])
async def add_decision(
    request: Request, connection: Db, current: CurrentViewer, meeting_id: Id
) -> Response:
    """Add a decision (audited); 422 with the error."""
    text, errors = read_decision(fields(await request.form(), ("decision",)))
    if text is None:
        return _meeting_page(request, connection, current, meeting_id, errors_text(errors, current))
    meetings.add_decision(connection, current.scope, current.user, meeting_id, text)
    return RedirectResponse(f"/meetings/{meeting_id}#decisions", status_code=303)


@router.post(
    "/meetings/{meeting_id}/decisions/{decision_id}/commitment",
    dependencies=[Depends(csrf_protected)],
)
async def commitment_from_decision(
    request: Request, connection: Db, current: CurrentViewer, meeting_id: Id, decision_id: Id
) -> Response:
    """Add a commitment the decision gave rise to (agreed on the meeting's day), linked to
    it; 422 with the errors."""
    raw = fields(await request.form(), COMMITMENT_FIELDS)
    typed, errors = read_commitment(raw)
    if typed is not None:
        city = web_state(request).settings.city_code
        saved = meetings.commitment_from_decision(
            connection, current.scope, current.user, meeting_id, decision_id, typed, city_code=city
        )
        if saved.action_id is not None:
            return RedirectResponse(f"/meetings/{meeting_id}#decision-{decision_id}", 303)
        errors = saved.errors
    texts = errors_text(errors, current)
    return _meeting_page(request, connection, current, meeting_id, texts, raw)


@router.post(
    "/meetings/{meeting_id}/decisions/{decision_id}/link", dependencies=[Depends(csrf_protected)]
)
async def link_decision(
    request: Request, connection: Db, current: CurrentViewer, meeting_id: Id, decision_id: Id
) -> Response:
    """Link the decision to an existing commitment or RTL item (audited)."""
    chosen = str((await request.form()).get("action_id") or "")
    if not chosen.isdigit():
        gettext = translations(current.language).gettext
        texts = [gettext("Action: choose a commitment or an RTL item of the list")]
        return _meeting_page(request, connection, current, meeting_id, texts)
    meetings.link_decision(
        connection, current.scope, current.user, meeting_id, decision_id, int(chosen)
    )
    return RedirectResponse(f"/meetings/{meeting_id}#decision-{decision_id}", status_code=303)


@router.post("/meetings/{meeting_id}/evidence", dependencies=[Depends(csrf_protected)])
async def add_evidence(
    request: Request, connection: Db, current: CurrentViewer, meeting_id: Id
) -> Response:
    """Keep the minutes or an attendance list (audited); 422 with why it is refused."""
    upload = await upload_of(await request.form())
    gettext = translations(current.language).gettext
    if upload is None:
        texts = [gettext("File: choose a file to upload; accepted: PDF, JPG, PNG, XLSX, DOCX")]
        return _meeting_page(request, connection, current, meeting_id, texts)
    try:
        meetings.add_meeting_evidence(connection, current.scope, current.user, meeting_id, upload)
    except InputError as error:
        return _meeting_page(request, connection, current, meeting_id, [error.translated(gettext)])
    return RedirectResponse(f"/meetings/{meeting_id}#evidence", status_code=303)


@router.get("/meetings/{meeting_id}/evidence/{document_id}")
def evidence_download(
    connection: Db, current: CurrentViewer, meeting_id: Id, document_id: Id
) -> Response:
    """A file of the meeting (the TPPS)."""
    found = meetings.meeting_evidence(connection, current.scope, meeting_id, document_id)
    headers = {"Content-Disposition": attachment(found.filename)}
    return Response(found.content, media_type=found.media_type, headers=headers)
