"""A young child's monthly record in the JSON API (``/api/v1``), scoped as the pages
(docs/child-months.md): the months of a child, one month (GET, PUT) and the day of
complete basic immunisation (PUT). A refused answer is 422 with the field and what is
accepted, in the user's language; a child outside the area 404."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tumbuh.usecases import child_months
from tumbuh.usecases.child_month_input import (
    NO,
    YES,
    MonthFieldError,
    read_day,
    read_month,
    read_record,
)
from tumbuh.web.deps import CurrentViewer, Db, NotFound, csrf_protected
from tumbuh.web.field_errors import REFUSED, refused
from tumbuh.web.surveillance.areas import MAX_ID

router = APIRouter()
CSRF = [Depends(csrf_protected)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Month = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class MonthOut(BaseModel):
    """One month of a child (YYYY-MM): its ages in completed months on the first and last
    day, the questions that apply, the vitamin A capsule (blue, red; null: not asked) and
    the answers (null: not recorded)."""

    month: str
    ages: tuple[int, int]
    questions: list[str]
    vitamin_a_capsule: str | None
    recorded: bool
    exclusive_breastfeeding: bool | None
    complementary_feeding: bool | None
    vitamin_a_given: bool | None
    kpsp_result: str | None


class MonthsOut(BaseModel):
    """A child's recorded months (newest first) and the day its basic immunisation was
    complete (null: not recorded)."""

    basic_immunisation_completed_on: date | None
    months: list[MonthOut]


class MonthIn(BaseModel):
    """The answers of a month: true, false or null (not asked, not known); KPSP result
    sesuai, meragukan, penyimpangan or null. Questions that do not apply at the child's
    age must be null."""

    exclusive_breastfeeding: bool | None = None
    complementary_feeding: bool | None = None
    vitamin_a_given: bool | None = None
    kpsp_result: str | None = None


class ImmunisationIn(BaseModel):
    """The day basic immunisation was complete (YYYY-MM-DD); null clears it."""

    completed_on: str | None = None


def _out(view: child_months.MonthView) -> MonthOut:
    record = view.record
    return MonthOut(
        month=view.month.strftime("%Y-%m"),
        ages=view.ages,
        questions=[q.value for q in view.questions],
        vitamin_a_capsule=None if view.capsule is None else view.capsule.value,
        recorded=view.recorded,
        exclusive_breastfeeding=record.exclusive_breastfeeding,
        complementary_feeding=record.complementary_feeding,
        vitamin_a_given=record.vitamin_a_given,
        kpsp_result=None if record.kpsp_result is None else record.kpsp_result.value,
    )


def _month(text: str) -> date:
    try:
        return read_month(text, date.today())
    except MonthFieldError:
        raise NotFound from None


def _text(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


@router.get("/children/{child_id}/months", response_model=MonthsOut)
def months_of_child(connection: Db, current: CurrentViewer, child_id: Id) -> MonthsOut:
    """The child's recorded months, newest first."""
    found = child_months.child_months(connection, current.scope, child_id, today=date.today())
    return MonthsOut(
        basic_immunisation_completed_on=found.immunisation_completed_on,
        months=[_out(m) for m in found.months],
    )


@router.get("/children/{child_id}/months/{month}", response_model=MonthOut)
def one_month(connection: Db, current: CurrentViewer, child_id: Id, month: Month) -> MonthOut:
    """One month of the child: its questions and answers (404 before the birth)."""
    start = _month(month)
    found = child_months.child_months(connection, current.scope, child_id, today=date.today())
    try:
        return _out(child_months.month_view(found, start))
    except MonthFieldError:
        raise NotFound from None


@router.put(
    "/children/{child_id}/months/{month}",
    response_model=MonthOut,
    dependencies=CSRF,
    responses=REFUSED,
)
def put_month(
    connection: Db, current: CurrentViewer, child_id: Id, month: Month, sent: MonthIn
) -> MonthOut | JSONResponse:
    """Record or replace the month's answers (audited)."""
    start = _month(month)
    raw = {
        "exclusive_breastfeeding": _text(sent.exclusive_breastfeeding),
        "complementary_feeding": _text(sent.complementary_feeding),
        "vitamin_a_given": _text(sent.vitamin_a_given),
        "kpsp_result": sent.kpsp_result or "",
    }
    try:
        record = read_record(raw)
        child_months.record_month(connection, current.user, current.scope, child_id, start, record)
    except MonthFieldError as error:
        return refused(error, current)
    found = child_months.child_months(connection, current.scope, child_id, today=date.today())
    return _out(child_months.month_view(found, start))


@router.put(
    "/children/{child_id}/immunisation",
    response_model=dict[str, date | None],
    dependencies=CSRF,
    responses=REFUSED,
)
def put_immunisation(
    connection: Db, current: CurrentViewer, child_id: Id, sent: ImmunisationIn
) -> dict[str, date | None] | JSONResponse:
    """Set or clear the day basic immunisation was complete (audited)."""
    try:
        day = read_day(sent.completed_on or "")
        child_months.set_immunisation(
            connection, current.user, current.scope, child_id, day, today=date.today()
        )
    except MonthFieldError as error:
        return refused(error, current)
    return {"completed_on": day}
