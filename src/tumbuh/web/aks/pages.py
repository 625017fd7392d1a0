"""The Audit Kasus Stunting's pages (docs/aks.md, docs/web.md): the list of audits
(``/aks``), one audit with its team, locus, proposed and confirmed cases,
recommendations, RTL items, the previous audit's items to evaluate and the
dissemination (``/aks/{id}``), and a case's worksheet (``/aks/{id}/cases/{case_id}``).
Each form posts to its own path, calls one use case and returns to the page."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from tumbuh import case_labels
from tumbuh.aks_labels import (
    CAUSE_NAMES,
    FIELD_NAMES,
    GROUP_NAMES,
    REASON_NAMES,
    ROLE_NAMES,
    STATUS_NAMES,
    TEAM_NAMES,
    error_text,
)
from tumbuh.growth.aks import (
    LINE_MAX,
    NAME_MAX,
    REQUIRED,
    AksError,
    Cause,
    ExpertRole,
    TargetGroup,
    Team,
    checked_causes,
    checked_date,
    checked_text,
)
from tumbuh.i18n import translations
from tumbuh.usecases import aks
from tumbuh.usecases.aks_kka import KkaInput, kka_view, save_kka
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
PROTECTED = [Depends(csrf_protected)]


def _context(request: Request, current: Viewer, **values: object) -> dict[str, object]:
    return {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "groups": list(TargetGroup),
        "teams": list(Team),
        "roles": list(ExpertRole),
        "all_causes": list(Cause),
        "group_names": GROUP_NAMES,
        "team_names": TEAM_NAMES,
        "role_names": ROLE_NAMES,
        "cause_names": CAUSE_NAMES,
        "reason_names": REASON_NAMES,
        "status_names": STATUS_NAMES,
        "field_names": FIELD_NAMES,
        "case_problem_names": case_labels.PROBLEM_NAMES,
        "case_status_names": case_labels.STATUS_NAMES,
        **values,
    }


def _texts(errors: list[AksError], current: Viewer) -> list[str]:
    gettext = translations(current.language).gettext
    return [error_text(e, gettext) for e in errors]


def _field(form: FormData, name: str) -> str:
    return str(form.get(name) or "")


def _id(form: FormData, name: str) -> int | None:
    text = _field(form, name).strip()
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_ID else None


@router.get("/aks", response_class=HTMLResponse)
def audits_page(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The audits the user is on (an administrator: all, and the form for a new one)."""
    return _audits_page(request, connection, current)


def _audits_page(
    request: Request,
    connection: Db,
    current: Viewer,
    raw: dict[str, object] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    listed = aks.audit_list(connection, current.scope, current.user)
    kelurahan: dict[str, str] = {}
    if listed.may_create:
        city = web_state(request).settings.city_code
        kelurahan = aks.city_kelurahan(connection, current.scope, city)
    values = _context(
        request, current, listed=listed, kelurahan=kelurahan, raw=raw or {}, errors=errors or []
    )
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "aks_list.html", values), status_code=status)


@router.post("/aks", dependencies=PROTECTED)
async def new_audit(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Start a semester's audit (administrators), then show it; 422 with the errors."""
    form = await request.form()
    errors: list[AksError] = []
    started = checked_date("started_on", _field(form, "started_on"), errors)
    locus = tuple(str(v) for v in form.getlist("locus"))
    audit = aks.AuditInput(_field(form, "semester").strip(), started, locus)
    if not errors:
        city = web_state(request).settings.city_code
        kelurahan = aks.city_kelurahan(connection, current.scope, city)
        saved = aks.create_audit(connection, current.scope, current.user, audit, kelurahan)
        if saved.audit_id is not None:
            return RedirectResponse(f"/aks/{saved.audit_id}", status_code=303)
        errors = saved.errors
    raw: dict[str, object] = {
        "semester": audit.semester,
        "started_on": _field(form, "started_on"),
        "locus": locus,
    }
    return _audits_page(request, connection, current, raw, _texts(errors, current))


def _audit_page(
    request: Request,
    connection: Db,
    current: Viewer,
    audit_id: int,
    errors: list[str] | None = None,
) -> HTMLResponse:
    view = aks.audit_view(connection, current.scope, current.user, audit_id, date.today())
    accounts = (
        aks.account_choices(connection, current.scope) if current.scope.may_administer else []
    )
    values = _context(request, current, view=view, accounts=accounts, errors=errors or [])
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "aks_audit.html", values), status_code=status)


@router.get("/aks/{audit_id}", response_class=HTMLResponse)
def audit_page(
    request: Request, connection: Db, current: CurrentViewer, audit_id: Id
) -> HTMLResponse:
    """One audit: its team, locus, cases, recommendations, RTL items and dissemination."""
    return _audit_page(request, connection, current, audit_id)


def _back(audit_id: int, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/aks/{audit_id}#{anchor}", status_code=303)


@router.post("/aks/{audit_id}/members", dependencies=PROTECTED)
async def add_member(
    request: Request, connection: Db, current: CurrentViewer, audit_id: Id
) -> Response:
    """Add a member to the audit's team (administrators)."""
    form = await request.form()
    errors: list[AksError] = []
    name = checked_text("name", _field(form, "name"), errors, limit=NAME_MAX, required=True)
    team, role = _field(form, "team"), _field(form, "role")
    if team not in set(Team) or role not in set(ExpertRole):
        errors.append(AksError(REQUIRED, "team"))
    if errors or name is None:
        return _audit_page(request, connection, current, audit_id, _texts(errors, current))
    member = aks.MemberInput(
        Team(team), ExpertRole(role), name, _id(form, "institution_id"), _id(form, "user_id")
    )
    aks.add_member(connection, current.scope, current.user, audit_id, member)
    return _back(audit_id, "team")


@router.post("/aks/{audit_id}/cases", dependencies=PROTECTED)
async def pick_case(
    request: Request, connection: Db, current: CurrentViewer, audit_id: Id
) -> Response:
    """Confirm a proposed candidate as a case (Tim Teknis); unknown picks are not found."""
    form = await request.form()
    group = _field(form, "group")
    if group not in set(TargetGroup):
        raise aks.OutOfScope
    pick = aks.Pick(
        TargetGroup(group),
        _id(form, "child_id"),
        _id(form, "pregnancy_id"),
        _id(form, "catin_id"),
    )
    aks.confirm_case(connection, current.scope, current.user, audit_id, pick, date.today())
    return _back(audit_id, "cases")


@router.post("/aks/{audit_id}/recommendations", dependencies=PROTECTED)
async def add_recommendation(
    request: Request, connection: Db, current: CurrentViewer, audit_id: Id
) -> Response:
    """Add a recommendation for the system (Tim Koordinasi)."""
    form = await request.form()
    errors: list[AksError] = []
    text = checked_text("text", _field(form, "text"), errors, required=True)
    if errors or text is None:
        return _audit_page(request, connection, current, audit_id, _texts(errors, current))
    aks.add_recommendation(connection, current.scope, current.user, audit_id, text)
    return _back(audit_id, "recommendations")


@router.post("/aks/{audit_id}/rtl", dependencies=PROTECTED)
async def add_rtl(
    request: Request, connection: Db, current: CurrentViewer, audit_id: Id
) -> Response:
    """Add an RTL item from a recommendation (Tim Koordinasi)."""
    form = await request.form()
    errors: list[AksError] = []
    action = checked_text("action", _field(form, "action"), errors, limit=LINE_MAX, required=True)
    due_on = checked_date("due_on", _field(form, "due_on"), errors)
    institution = _id(form, "institution_id")
    if institution is None:
        errors.append(AksError(REQUIRED, "institution"))
    if errors or action is None or institution is None:
        return _audit_page(request, connection, current, audit_id, _texts(errors, current))
    item = aks.RtlInput(
        _id(form, "recommendation_id"),
        action,
        institution,
        _field(form, "kelurahan_code").strip() or None,
        due_on,
    )
    aks.add_rtl(connection, current.scope, current.user, audit_id, item, date.today())
    return _back(audit_id, "rtl")


@router.post("/aks/{audit_id}/rtl/{action_id}/evaluation", dependencies=PROTECTED)
async def evaluate_rtl(
    request: Request, connection: Db, current: CurrentViewer, audit_id: Id, action_id: Id
) -> Response:
    """Write the evaluation of the previous audit's RTL item (Tim Koordinasi)."""
    form = await request.form()
    errors: list[AksError] = []
    text = checked_text("evaluation", _field(form, "evaluation"), errors, required=True)
    if errors or text is None:
        return _audit_page(request, connection, current, audit_id, _texts(errors, current))
    aks.evaluate_rtl(
        connection, current.scope, current.user, audit_id, action_id, text, date.today()
    )
    return _back(audit_id, "previous-rtl")


@router.post("/aks/{audit_id}/dissemination", dependencies=PROTECTED)
async def dissemination(
    request: Request, connection: Db, current: CurrentViewer, audit_id: Id
) -> Response:
    """Record the dissemination meeting (Tim Koordinasi)."""
    form = await request.form()
    errors: list[AksError] = []
    held_on = checked_date("held_on", _field(form, "held_on"), errors)
    place = checked_text("place", _field(form, "place"), errors, limit=200)
    note = checked_text("note", _field(form, "note"), errors)
    if errors:
        return _audit_page(request, connection, current, audit_id, _texts(errors, current))
    meeting = aks.Dissemination(held_on, place, note)
    aks.save_dissemination(connection, current.scope, current.user, audit_id, meeting)
    return _back(audit_id, "dissemination")


def _case_page(
    request: Request,
    connection: Db,
    current: Viewer,
    ids: tuple[int, int],
    raw: dict[str, object] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    view = kka_view(connection, current.scope, current.user, *ids)
    values = _context(request, current, view=view, raw=raw, errors=errors or [])
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "aks_case.html", values), status_code=status)


@router.get("/aks/{audit_id}/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request, connection: Db, current: CurrentViewer, audit_id: Id, case_id: Id
) -> HTMLResponse:
    """A case's worksheet (KKA): the records and the expert panel's findings."""
    return _case_page(request, connection, current, (audit_id, case_id))


KKA_TEXTS = ("risk_factors", "services", "analysis", "should_have", "recommendation")


@router.post("/aks/{audit_id}/cases/{case_id}", dependencies=PROTECTED)
async def save_case(
    request: Request, connection: Db, current: CurrentViewer, audit_id: Id, case_id: Id
) -> Response:
    """Store the worksheet's findings (Tim Pakar), then show it; 422 with the errors."""
    form = await request.form()
    errors: list[AksError] = []
    texts = {name: checked_text(name, _field(form, name), errors) for name in KKA_TEXTS}
    causes = checked_causes([str(v) for v in form.getlist("causes")], errors)
    if errors:
        raw: dict[str, object] = {name: _field(form, name) for name in KKA_TEXTS}
        raw["causes"] = [c.value for c in causes]
        ids = (audit_id, case_id)
        return _case_page(request, connection, current, ids, raw, _texts(errors, current))
    kka = KkaInput(
        texts["risk_factors"],
        texts["services"],
        causes,
        texts["analysis"],
        texts["should_have"],
        texts["recommendation"],
    )
    save_kka(connection, current.scope, current.user, audit_id, case_id, kka, date.today())
    return RedirectResponse(f"/aks/{audit_id}/cases/{case_id}#findings", status_code=303)
