"""A young child's monthly record on the web (docs/child-months.md): the section
"Pemantauan bulanan" of the child page (:func:`section`), one month's form
(``/children/{id}/months/{YYYY-MM}``) and the day of complete basic immunisation
(``/children/{id}/immunisation``). The form shows only the questions that apply at the
child's age in that month; a refused answer comes back on the month's page with 422."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from tumbuh.i18n import translations
from tumbuh.usecases import child_months
from tumbuh.usecases.child_month_input import (
    FIELD_NAMES,
    NO,
    YES,
    KpspResult,
    MonthFieldError,
    read_day,
    read_month,
    read_record,
)
from tumbuh.web.deps import CurrentViewer, Db, NotFound, Viewer, csrf_protected
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Month = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
KPSP_NAMES = {
    KpspResult.SESUAI.value: "as expected (sesuai)",
    KpspResult.MERAGUKAN.value: "doubtful (meragukan)",
    KpspResult.PENYIMPANGAN.value: "possible deviation (penyimpangan)",
}
CAPSULE_NAMES = {"blue": "blue capsule, 100,000 IU", "red": "red capsule, 200,000 IU"}
SECTION = "#monthly-monitoring"


def typed(record: child_months.MonthRecord) -> dict[str, str]:
    """A stored record as the form's fields (``yes``, ``no``, a KPSP result, empty)."""
    raw = {}
    for key, value in vars(record).items():
        if isinstance(value, bool):
            raw[key] = YES if value else NO
        else:
            raw[key] = "" if value is None else str(value)
    return raw


def section(
    months: child_months.ChildMonths,
    raw: dict[str, str] | None = None,
    error: str | None = None,
) -> dict[str, object]:
    """What ``_child_months.html`` needs: the months, the form's fields and labels."""
    current = months.current
    stored = typed(current.record) if current else {}
    return {
        "months": months,
        "month_raw": stored if raw is None else raw,
        "month_error": error,
        "question_labels": FIELD_NAMES,
        "kpsp_names": KPSP_NAMES,
        "capsule_names": CAPSULE_NAMES,
    }


def child_section(connection: Connection, current: Viewer, child_id: int) -> dict[str, object]:
    """The section of the child page, for this month."""
    return section(
        child_months.child_months(connection, current.scope, child_id, today=date.today())
    )


async def _raw(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(value) for key, value in form.items() if key != "csrf_token"}


def _month_page(
    request: Request,
    connection: Connection,
    current: Viewer,
    child_id: int,
    month: date,
    raw: dict[str, str] | None = None,
    error: MonthFieldError | None = None,
) -> HTMLResponse:
    """One month's form: the month shown as the section's "current" month."""
    months = child_months.child_months(connection, current.scope, child_id, today=date.today())
    if not months.may_record:
        raise NotFound
    try:
        found = child_months.month_view(months, month)
    except MonthFieldError:  # before the birth: no such month of this child
        raise NotFound from None
    message = None if error is None else error.translated(translations(current.language).gettext)
    values = section(months, raw, message) | {"months": months.with_current(found)}
    if raw is None:
        values["month_raw"] = typed(found.record)
    context = {"request": request, "viewer": current, "csrf": csrf_token(request), **values}
    page = render(current.language, "child_month.html", context)
    return HTMLResponse(page, status_code=422 if error else 200)


@router.get("/children/{child_id}/months/{month}", response_class=HTMLResponse)
def month_form(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id, month: Month
) -> HTMLResponse:
    """The form of one month of the child, to record or correct it."""
    try:
        start = read_month(month, date.today())
    except MonthFieldError:
        raise NotFound from None
    return _month_page(request, connection, current, child_id, start)


@router.post("/children/{child_id}/months/{month}", dependencies=[Depends(csrf_protected)])
async def save_month(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id, month: Month
) -> Response:
    """Store the month's answers (audited); back to the child's page."""
    raw = await _raw(request)
    try:
        start = read_month(month, date.today())
    except MonthFieldError:
        raise NotFound from None
    try:
        record = read_record(raw)
        child_months.record_month(connection, current.user, current.scope, child_id, start, record)
    except MonthFieldError as error:
        return _month_page(request, connection, current, child_id, start, raw, error)
    return RedirectResponse(f"/children/{child_id}?month-saved={month}{SECTION}", status_code=303)


@router.post("/children/{child_id}/immunisation", dependencies=[Depends(csrf_protected)])
async def save_immunisation(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id
) -> Response:
    """Set or clear the day basic immunisation was complete (audited)."""
    raw = await _raw(request)
    today = date.today()
    try:
        day = read_day(raw.get("completed_on", ""))
        child_months.set_immunisation(
            connection, current.user, current.scope, child_id, day, today=today
        )
    except MonthFieldError as error:
        return _month_page(
            request, connection, current, child_id, today.replace(day=1), None, error
        )
    return RedirectResponse(f"/children/{child_id}{SECTION}", status_code=303)
