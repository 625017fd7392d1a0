"""PMT lokal for pregnant women with KEK on the web: the area's list with the enrolment
form (``/pmt/eligible/bumil``, ``POST /pmt/enrol-bumil``) and closing a pregnancy's
episode with the LiLA at the end (``POST /pmt/episodes/{id}/close-bumil``); the episode's
page is ``/pmt/episodes/{id}`` (:mod:`tumbuh.web.pmt.pages`) (docs/pmt.md)."""

from collections.abc import Mapping
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from tumbuh.growth.pmt import Funding
from tumbuh.i18n import translations
from tumbuh.usecases import pmt_bumil, pmt_bumil_episodes, pmt_register
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, records_changed, web_state
from tumbuh.web.pmt.forms import error_texts, read_bumil_closing, read_bumil_enrolment
from tumbuh.web.pmt.pages import Id, episode_page_response, labels
from tumbuh.web.security import csrf_token
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
ENROL_FIELDS = ("kitchen_id", "started_on", "funding")
CLOSE_FIELDS = ("closing", "ended_on", "end_muac_cm", "note")


def list_page(
    request: Request,
    connection: Connection,
    current: Viewer,
    raw: Mapping[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    found = pmt_bumil.bumil_list(connection, current.scope, today=date.today())
    kitchens = pmt_register.kitchen_choices(connection, current.scope) if found.may_enrol else []
    figures = web_state(request).figures.snapshot(connection)
    context = labels(
        current,
        request=request,
        viewer=current,
        csrf=csrf_token(request),
        found=found,
        kitchens=[k for k in kitchens if k.active],
        kelurahan=figures.places.kelurahan,
        fundings=list(Funding),
        raw=raw or {"started_on": date.today().isoformat()},
        errors=errors or [],
    )
    html = render(current.language, "pmt_eligible_bumil.html", context)
    return HTMLResponse(html, status_code=422 if errors else 200)


@router.get("/pmt/eligible/bumil", response_class=HTMLResponse)
def eligible_bumil(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The area's pregnant women with KEK who may be fed PMT lokal, and the enrolment form
    for the roles that enrol (403 for roles that do not read pregnancies)."""
    return list_page(request, connection, current)


@router.post("/pmt/enrol-bumil", dependencies=[Depends(csrf_protected)])
async def enrol_bumil(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Enrol the pregnant women ticked (audited): one opens her episode's page, several
    the register; refused, the list again with every reason (422)."""
    form = await request.form()
    raw = {key: str(form.get(key) or "") for key in ENROL_FIELDS}
    enrolment, errors = read_bumil_enrolment(raw, [str(v) for v in form.getlist("pregnancy_id")])
    if enrolment is not None:
        done = pmt_bumil.enrol_pregnancies(
            connection, current.scope, current.user, enrolment, today=date.today()
        )
        errors = done.errors
    if errors or enrolment is None:
        texts = error_texts(errors, translations(current.language).gettext)
        return list_page(request, connection, current, raw, texts)
    records_changed(request)
    if len(done.episode_ids) == 1:
        return RedirectResponse(f"/pmt/episodes/{done.episode_ids[0]}", status_code=303)
    return RedirectResponse("/pmt/episodes?state=open#bumil", status_code=303)


@router.post("/pmt/episodes/{episode_id}/close-bumil", dependencies=[Depends(csrf_protected)])
async def close_bumil(
    request: Request, connection: Db, current: CurrentViewer, episode_id: Id
) -> Response:
    """Close a pregnancy's episode with the LiLA at the end (audited); 422 with the
    reasons refused."""
    form = await request.form()
    raw = {key: str(form.get(key) or "") for key in CLOSE_FIELDS}
    today = date.today()
    closing, errors = read_bumil_closing(raw, today)
    if closing is not None:
        errors = pmt_bumil_episodes.close_bumil_episode(
            connection, current.scope, current.user, episode_id, closing, today=today
        ).errors
    if errors:
        texts = error_texts(errors, translations(current.language).gettext)
        return episode_page_response(request, connection, current, episode_id, raw, texts)
    records_changed(request)
    return RedirectResponse(f"/pmt/episodes/{episode_id}", status_code=303)
