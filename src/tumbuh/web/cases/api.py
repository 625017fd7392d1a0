"""The cases in the JSON API (``/api/v1/cases``), scoped as the pages: a case outside the
user's area answers 404, a step the role does not take 403, a refused step 422 with one
message per field in the user's language (docs/cases.md)."""

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tumbuh.i18n import translations
from tumbuh.usecases import cases
from tumbuh.web.cases.forms import error_text, read_step
from tumbuh.web.cases.register import RegisterQuery, where
from tumbuh.web.deps import CurrentViewer, Db, csrf_protected, records_changed
from tumbuh.web.surveillance.areas import MAX_ID

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class CaseOut(BaseModel):
    """A case: the child, the problem and where the case stands (findings included: the
    rujukan balik)."""

    id: int
    child_id: int
    child_name: str
    posyandu_name: str | None
    problem: str
    status: str
    severity: int
    reasons: list[str]
    opened_on: date
    referred_on: date | None
    referred_to: str | None
    examined_on: date | None
    diagnosis_confirmed: bool | None
    comorbidity: str | None
    given: str | None
    treated_on: date | None
    intervention: str | None
    closed_on: date | None
    outcome: str | None
    note: str | None
    next_due_on: date | None
    overdue: bool


class StepOut(BaseModel):
    """One step of a case's history."""

    status: str
    on: date
    actor: str
    at: datetime
    fields: dict[str, Any]


class CaseDetailOut(CaseOut):
    """A case with its history and the steps the user may record next."""

    steps: list[StepOut]
    next_steps: list[str]


class CaseListOut(BaseModel):
    """One page of the register."""

    total: int
    page: int
    pages: int
    cases: list[CaseOut]


class StepIn(BaseModel):
    """The next step: ``status`` and that step's fields (dates as YYYY-MM-DD)."""

    status: str
    on: str | None = None
    referred_to: str | None = None
    diagnosis_confirmed: bool | None = None
    comorbidity: str | None = None
    given: str | None = None
    intervention: str | None = None
    outcome: str | None = None
    note: str | None = None


class StepErrorsOut(BaseModel):
    """Why a step was refused: one message per field."""

    errors: list[str]


def _case(row: cases.CaseRow, late: bool) -> dict[str, Any]:
    return {
        "id": row.id,
        "child_id": row.child_id,
        "child_name": row.child_name,
        "posyandu_name": row.posyandu_name,
        "problem": row.problem.value,
        "status": row.status.value,
        "severity": row.severity,
        "reasons": list(row.reasons),
        "opened_on": row.opened_on,
        "referred_on": row.referred_on,
        "referred_to": row.referred_to,
        "examined_on": row.examined_on,
        "diagnosis_confirmed": row.diagnosis_confirmed,
        "comorbidity": row.comorbidity,
        "given": row.given,
        "treated_on": row.treated_on,
        "intervention": row.intervention,
        "closed_on": row.closed_on,
        "outcome": row.outcome,
        "note": row.note,
        "next_due_on": row.next_due_on,
        "overdue": late,
    }


@router.get("/cases", response_model=CaseListOut)
def list_cases(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    asked: RegisterQuery,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> CaseListOut:
    """The cases of the user's area (open ones unless a status is asked for), most severe
    first, then the youngest; ``area`` (a kecamatan or kelurahan code) or ``posyandu``
    (an id) keeps those of that area inside the user's (404 outside it); 404 for roles
    that see figures only."""
    place = where(request, connection, current, asked)
    listed = cases.case_list(
        connection,
        current.scope,
        today=date.today(),
        places=place.places,
        area=place.filter,
        status=asked.status,
        problem=asked.problem,
        only_overdue=asked.overdue,
        page=page,
    )
    return CaseListOut(
        total=listed.total,
        page=listed.page,
        pages=listed.pages,
        cases=[CaseOut(**_case(r, r.id in listed.overdue)) for r in listed.cases],
    )


def _detail(view: cases.CaseView) -> CaseDetailOut:
    steps = [
        StepOut(status=s.status.value, on=s.taken_on, actor=s.actor, at=s.at, fields=s.fields)
        for s in view.steps
    ]
    return CaseDetailOut(
        **_case(view.case, view.overdue),
        steps=steps,
        next_steps=[s.value for s in view.next_steps],
    )


@router.get("/cases/{case_id}", response_model=CaseDetailOut)
def show_case(connection: Db, current: CurrentViewer, case_id: Id) -> CaseDetailOut:
    """One case with its history (404 outside the user's area)."""
    return _detail(cases.find_case(connection, current.scope, case_id, date.today()))


@router.post(
    "/cases/{case_id}/steps",
    response_model=CaseDetailOut,
    dependencies=[Depends(csrf_protected)],
    responses={422: {"model": StepErrorsOut}, 403: {"description": "Not this role's step"}},
)
def add_step(
    request: Request, connection: Db, current: CurrentViewer, case_id: Id, sent: StepIn
) -> CaseDetailOut | JSONResponse:
    """Record the next step of a case (audited); 422 with the reasons it was refused."""
    raw = {
        k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
        for k, v in sent.model_dump().items()
    }
    today = date.today()
    step, errors = read_step(raw, today)
    if step is not None:
        errors = cases.take_step(connection, current.scope, current.user, case_id, step, today)
    if errors:
        gettext = translations(current.language).gettext
        out = StepErrorsOut(errors=[error_text(e, gettext) for e in errors])
        return JSONResponse(out.model_dump(), status_code=422)
    records_changed(request)  # the referral list leaves a referred case's child off
    return _detail(cases.find_case(connection, current.scope, case_id, today))
