"""The case register (``/cases``) and one case (``/cases/{id}``) with the form for the
next step the user's role may record (docs/cases.md)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.case_labels import (
    INTERVENTION_NAMES,
    OUTCOME_NAMES,
    PROBLEM_NAMES,
    STATUS_NAMES,
    STEP_FIELD_NAMES,
    reason_name,
)
from tumbuh.growth.cases import CaseStatus, Problem
from tumbuh.i18n import translations
from tumbuh.reports.case_register import answer_summary
from tumbuh.usecases import cases
from tumbuh.web.cases import register
from tumbuh.web.cases.forms import STEP_FIELDS, error_text, read_step
from tumbuh.web.cases.register import RegisterQuery
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, records_changed
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import format_date, render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def _context(request: Request, current: Viewer, **values: object) -> dict[str, object]:
    gettext = translations(current.language).gettext
    return {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "problem_names": PROBLEM_NAMES,
        "status_names": STATUS_NAMES,
        "intervention_names": INTERVENTION_NAMES,
        "outcome_names": OUTCOME_NAMES,
        "field_names": STEP_FIELD_NAMES,
        "reasons_text": lambda codes: ", ".join(reason_name(c, gettext) for c in codes),
        **values,
    }


@router.get("/cases", response_class=HTMLResponse)
def register_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    asked: RegisterQuery,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The cases of the user's area (or of the area chosen inside it), most severe first,
    then the youngest, with the next follow-up (overdue ones flagged); roles that see
    figures only get the counts."""
    today = date.today()
    place = register.where(request, connection, current, asked)
    counts = cases.case_counts(
        connection, current.scope, today=today, places=place.places, area=place.filter
    )
    listed = None
    if current.scope.may_see_children:
        listed = cases.case_list(
            connection,
            current.scope,
            today=today,
            places=place.places,
            area=place.filter,
            status=asked.status,
            problem=asked.problem,
            only_overdue=asked.overdue,
            page=page,
        )
    context = _context(
        request,
        current,
        counts=counts,
        listed=listed,
        chosen=asked,
        options=place.options,
        area=place.shown,
        filters=asked.query(),
        page_query=lambda n: asked.query(page=n),
        statuses=list(CaseStatus),
        problems=list(Problem),
    )
    return HTMLResponse(render(current.language, "cases.html", context))


@router.get("/cases/print", response_class=HTMLResponse)
def print_page(
    request: Request, connection: Db, current: CurrentViewer, asked: RegisterQuery
) -> HTMLResponse:
    """Every case with the filters, as a table to print on A4 landscape (names in full:
    the sheet stays at the posyandu)."""
    found, place = register.export(request, connection, current, asked, unmask=True)
    gettext = translations(current.language).gettext
    context = _context(
        request,
        current,
        found=found,
        area=place.shown,
        chosen=asked,
        back=f"/cases?{asked.query()}",
        answer=lambda row: answer_summary(
            row, gettext, lambda day: format_date(day, current.language)
        ),
    )
    return HTMLResponse(render(current.language, "cases_print.html", context))


@router.post("/cases/download", dependencies=[Depends(csrf_protected)])
def download(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    asked: register.RegisterForm,
    unmask: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The register with the filters (all pages) as .xlsx; names masked unless asked."""
    return register.download(request, connection, current, asked, bool(unmask))


def _case_page(
    request: Request,
    connection: Db,
    current: Viewer,
    case_id: int,
    raw: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    view = cases.find_case(connection, current.scope, case_id, date.today())
    context = _context(
        request, current, view=view, raw=raw or {}, errors=errors or [], today=date.today()
    )
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "case.html", context), status_code=status)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request, connection: Db, current: CurrentViewer, case_id: Id
) -> HTMLResponse:
    """One case: the child, the reasons, the history with the rujukan balik, and the
    form for the next step the user may record."""
    return _case_page(request, connection, current, case_id)


@router.post("/cases/{case_id}/steps", dependencies=[Depends(csrf_protected)])
async def record_step(
    request: Request, connection: Db, current: CurrentViewer, case_id: Id
) -> Response:
    """Record the next step (audited), then show the case again; 422 with the errors."""
    form = await request.form()
    raw = {key: str(form.get(key) or "") for key in STEP_FIELDS}
    gettext = translations(current.language).gettext
    step, errors = read_step(raw, date.today())
    if step is not None:  # NotAllowed (a step the role does not take): 403
        errors = cases.take_step(
            connection, current.scope, current.user, case_id, step, date.today()
        )
    if errors:
        texts = [error_text(e, gettext) for e in errors]
        return _case_page(request, connection, current, case_id, raw, texts)
    records_changed(request)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)
