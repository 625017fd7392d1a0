"""The work list in the JSON API (``/api/v1/work-list``), the home page's twin: the same
scope and the same sections (docs/web.md, "Home pages")."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from tumbuh.growth.work_lists import follow_up_due
from tumbuh.usecases import work_lists
from tumbuh.usecases.cases import CasePage, CaseRow
from tumbuh.web.deps import CurrentViewer, Db
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.surveillance.pages import MonthQuery
from tumbuh.web.work_lists.pages import find_work_list

router = APIRouter()


class CaseOut(BaseModel):
    """An open case as the work list shows it, with the rujukan balik when recorded (the
    whole case: ``/api/v1/cases/{id}``)."""

    id: int
    child_id: int
    child_name: str
    posyandu_name: str | None
    problem: str
    status: str
    severity: int
    opened_on: date
    next_due_on: date | None
    overdue: bool
    due: bool  # within the coming week, or overdue
    examined_on: date | None
    diagnosis_confirmed: bool | None
    comorbidity: str | None
    given: str | None


def _case(row: CaseRow, *, late: bool, due: bool) -> CaseOut:
    return CaseOut(
        id=row.id,
        child_id=row.child_id,
        child_name=row.child_name,
        posyandu_name=row.posyandu_name,
        problem=row.problem.value,
        status=row.status.value,
        severity=row.severity,
        opened_on=row.opened_on,
        next_due_on=row.next_due_on,
        overdue=late,
        due=due,
        examined_on=row.examined_on,
        diagnosis_confirmed=row.diagnosis_confirmed,
        comorbidity=row.comorbidity,
        given=row.given,
    )


class WorkChildOut(BaseModel):
    """A child of the session: age, weighed or not, the lists it is on, its open cases."""

    child_id: int
    name: str
    age_months: int
    measured_on: date | None
    weighed: bool
    remeasure: list[str]
    counsel: list[str]
    refer: list[str]
    cases: list[CaseOut]


class SessionOut(BaseModel):
    """A posyandu's session: the children due and each section, with counts."""

    posyandu_id: int
    posyandu_name: str
    month: str
    children_due: int
    weighed: int
    follow_ups_due: int
    overdue: int
    not_weighed: list[WorkChildOut]
    remeasure: list[WorkChildOut]
    counsel: list[WorkChildOut]
    refer: list[WorkChildOut]
    with_cases: list[WorkChildOut]


class CasesOut(BaseModel):
    """One page of cases and how many there are."""

    total: int
    page: int
    pages: int
    cases: list[CaseOut]


class PuskesmasOut(BaseModel):
    """A puskesmas area's cases: new since the last visit, overdue, open (paged)."""

    last_visit: str | None
    new: CasesOut
    overdue: CasesOut
    open_cases: CasesOut


class WorkListOut(BaseModel):
    """The work list of the user's role: ``session`` (kader) or ``cases``
    (nutritionist); both None for an administrator who chose neither."""

    session: SessionOut | None = None
    cases: PuskesmasOut | None = None


def _child(child: work_lists.WorkChild) -> WorkChildOut:
    return WorkChildOut(
        child_id=child.child_id,
        name=child.name,
        age_months=child.age_months,
        measured_on=child.measured_on,
        weighed=child.weighed,
        remeasure=[r.value for r in child.remeasure],
        counsel=[r.value for r in child.counsel],
        refer=[r.value for r in child.refer],
        cases=[_case(i.case, late=i.overdue, due=i.due) for i in child.cases],
    )


def _session(found: work_lists.KaderWorkList) -> SessionOut:
    def listed(children: list[work_lists.WorkChild]) -> list[WorkChildOut]:
        return [_child(c) for c in children]

    return SessionOut(
        posyandu_id=found.posyandu.posyandu_id or 0,
        posyandu_name=found.posyandu.name,
        month=found.month.label,
        children_due=len(found.children),
        weighed=found.weighed,
        follow_ups_due=found.follow_ups_due,
        overdue=found.overdue,
        not_weighed=listed(found.not_weighed),
        remeasure=listed(found.remeasure),
        counsel=listed(found.counsel),
        refer=listed(found.refer),
        with_cases=listed(found.with_cases),
    )


def _cases(page: CasePage, today: date) -> CasesOut:
    cases = [
        _case(r, late=r.id in page.overdue, due=follow_up_due(r.next_due_on, today))
        for r in page.cases
    ]
    return CasesOut(total=page.total, page=page.page, pages=page.pages, cases=cases)


@router.get("/work-list", response_model=WorkListOut)
def work_list(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    posyandu: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    puskesmas: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    month: MonthQuery = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> WorkListOut:
    """The kader's session (``month`` YYYY-MM, default the latest with weighings) or the
    nutritionist's cases (``page`` of the open ones; the visit is stored); an
    administrator chooses ``posyandu`` or ``puskesmas``; 403 for roles that see no names."""
    found = find_work_list(request, connection, current, posyandu, puskesmas, month, page)
    if isinstance(found, work_lists.KaderWorkList):
        return WorkListOut(session=_session(found))
    if isinstance(found, work_lists.PuskesmasWorkList):
        today = date.today()
        seen = found.last_visit.isoformat() if found.last_visit else None
        return WorkListOut(
            cases=PuskesmasOut(
                last_visit=seen,
                new=_cases(found.new, today),
                overdue=_cases(found.overdue, today),
                open_cases=_cases(found.open_cases, today),
            )
        )
    return WorkListOut()
