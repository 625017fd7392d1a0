"""A young child's monthly record besides its measurement (docs/child-months.md): exclusive
breastfeeding, MP-ASI, vitamin A and KPSP per month, and the day its basic immunisation
was complete. Read a child's months; record or correct one month; set or clear the day.

Who writes: those who write measurements (kader of the posyandu, nutritionist, admin:
``Scope.may_write``) and the bidan of the area, who gives the immunisations, the vitamin A
capsules and the KPSP screening herself (docs/security.md, "The bidan and the TPK"); the
TPK reads. A child outside the scope is "not found" (:class:`OutOfScope`); a role that
does not write these is :class:`NotAllowed`.

Each write is one transaction with its audit row. An answer that does not apply at the
child's age in that month is refused, naming the field, the value and what is accepted;
the rules are :mod:`tumbuh.growth.child_months`' (docs/domain.md §14).
"""

from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from tumbuh.db.audit import write_audit
from tumbuh.db.maternal import child_months as rows
from tumbuh.db.maternal.child_months import MonthRecord
from tumbuh.db.maternal.refusals import MonthTaken
from tumbuh.db.models_access import AuditAction
from tumbuh.growth.child_months import (
    ImmunisationDay,
    MonthQuestion,
    VitaminACapsule,
    ages_in_month,
    capsule_in_month,
    immunisation_day_problem,
    questions_in_month,
)
from tumbuh.usecases.access import NotAllowed, Role, Scope, UserInfo
from tumbuh.usecases.child_month_input import NO, YES, MonthFieldError
from tumbuh.usecases.registry import ChildRecord, find_child
from tumbuh.usecases.transactions import end_read, writing

__all__ = [
    "ChildMonths",
    "MonthFieldError",
    "MonthRecord",
    "MonthView",
    "child_months",
    "month_view",
    "record_month",
    "set_immunisation",
]

HISTORY_MONTHS = 72  # the months shown: from the birth, at most six years back


@dataclass(frozen=True)
class MonthView:
    """One month of a child: what was recorded, the questions that apply at its ages in
    the month, and the vitamin A capsule of that age (None: vitamin A not asked)."""

    month: date  # first day
    ages: tuple[int, int]  # completed months on the first and last day
    record: MonthRecord
    questions: tuple[MonthQuestion, ...]
    capsule: VitaminACapsule | None
    recorded: bool  # a row is stored

    @property
    def shown(self) -> tuple[MonthQuestion, ...]:
        """The questions to show: those that apply, and any other answer stored."""
        return tuple(
            q
            for q in MonthQuestion
            if q in self.questions or getattr(self.record, q.value) is not None
        )


@dataclass(frozen=True)
class ChildMonths:
    """A child's recorded months (newest first), this month's form and the day its basic
    immunisation was complete; ``may_record``: the user may write them."""

    child: ChildRecord
    months: list[MonthView]
    current: MonthView | None  # None before the birth month (a date typed wrong)
    immunisation_completed_on: date | None
    may_record: bool

    def with_current(self, view: MonthView) -> "ChildMonths":
        """The same, with ``view`` as the month whose form is shown."""
        return replace(self, current=view)


def may_record(scope: Scope) -> bool:
    """Whether the role records a child's months (see the module's docstring)."""
    return scope.may_write or scope.role is Role.BIDAN


def _view(child: ChildRecord, month: date, record: MonthRecord | None) -> MonthView:
    return MonthView(
        month=month,
        ages=ages_in_month(child.birth_date, month),
        record=record or MonthRecord(),
        questions=questions_in_month(child.birth_date, month),
        capsule=capsule_in_month(child.birth_date, month),
        recorded=record is not None,
    )


def _first_day(day: date) -> date:
    return day.replace(day=1)


def _stored(connection: Connection, child_id: int, month: date) -> MonthRecord | None:
    found = rows.child_month_rows(connection, (month, month), child_ids=[child_id])
    return found[0].record if found else None


def child_months(
    connection: Connection, scope: Scope, child_id: int, *, today: date
) -> ChildMonths:
    """The child's months from its birth to ``today``'s month (OutOfScope outside)."""
    child = find_child(connection, scope, child_id)
    this_month, born = _first_day(today), _first_day(child.birth_date)
    found = rows.child_month_rows(connection, (born, this_month), child_ids=[child.id])
    day = rows.basic_immunisation(connection, [child.id]).get(child.id)
    end_read(connection)
    stored = {r.month: r.record for r in found}
    current = None if born > this_month else _view(child, this_month, stored.get(this_month))
    return ChildMonths(
        child=child,
        months=[_view(child, r.month, r.record) for r in reversed(found)],
        current=current,
        immunisation_completed_on=day,
        may_record=may_record(scope),
    )


def month_view(months: ChildMonths, month: date) -> MonthView:
    """``month`` of the child (its first day): the one stored, or an empty one;
    :class:`MonthFieldError` before the child's birth month."""
    stored = next((m for m in months.months if m.month == month), None)
    if stored is not None:
        return stored
    check_ages(months.child.birth_date, month, MonthRecord())
    return _view(months.child, month, None)


_OUT_OF_AGE = {
    MonthQuestion.EXCLUSIVE_BREASTFEEDING: "{field}: '{value}' is not accepted at {age} months; "
    "exclusive breastfeeding is asked of infants 0 to 5 months old; leave it empty",
    MonthQuestion.COMPLEMENTARY_FEEDING: "{field}: '{value}' is not accepted at {age} months; "
    "MP-ASI is asked of children 6 to 23 months old; leave it empty",
    MonthQuestion.VITAMIN_A: "{field}: '{value}' is not accepted in {month} at {age} months; "
    "vitamin A is recorded in February and August for children 6 to 59 months old; "
    "leave it empty",
    MonthQuestion.KPSP: "{field}: '{value}' is not accepted at {age} months; KPSP is recorded "
    "at 3, 6, 9, 12, 15, 18, 21, 24, 30, 36, 42, 48, 54, 60, 66 and 72 months; leave it empty",
}


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    return str(value)


def check_ages(birth_date: date, month: date, record: MonthRecord) -> None:
    """:class:`MonthFieldError` for the first answer that does not apply at the child's
    age in ``month`` (the questions not asked must stay empty)."""
    if _first_day(birth_date) > month:
        raise MonthFieldError(
            "{field}: {value} is before the child was born; choose a month from its birth on",
            field="month",
            value=month.strftime("%Y-%m"),
        )
    asked = questions_in_month(birth_date, month)
    low, high = ages_in_month(birth_date, month)
    for question in MonthQuestion:
        value = getattr(record, question.value)
        if value is None or question in asked:
            continue
        raise MonthFieldError(
            _OUT_OF_AGE[question],
            field=question.value,
            value=_shown(value),
            age=str(low) if low == high else f"{low}-{high}",
            month=month.strftime("%Y-%m"),
        )


def _writable(scope: Scope) -> None:
    if not may_record(scope):
        raise NotAllowed("this role does not record a child's months")


def record_month(
    connection: Connection,
    user: UserInfo,
    scope: Scope,
    child_id: int,
    month: date,
    record: MonthRecord,
) -> int:
    """Store the child's record of ``month`` (its first day), replacing the one there is;
    audited and committed. The row's id."""
    _writable(scope)
    now = datetime.now(UTC)
    with writing(connection):
        child = find_child(connection, scope, child_id)
        check_ages(child.birth_date, month, record)
        before = _stored(connection, child.id, month)
        try:
            row_id = rows.save_child_month(connection, child.id, month, record, by=user.id, now=now)
        except MonthTaken:  # saved by someone else meanwhile: this save replaces it
            row_id = rows.save_child_month(connection, child.id, month, record, by=user.id, now=now)
        key = {"child_id": child.id, "month": month}
        write_audit(
            connection,
            user,
            AuditAction.CREATE if before is None else AuditAction.UPDATE,
            "child_month",
            row_id,
            before=None if before is None else key | asdict(before),
            after=key | asdict(record),
        )
    return row_id


def set_immunisation(
    connection: Connection,
    user: UserInfo,
    scope: Scope,
    child_id: int,
    completed_on: date | None,
    *,
    today: date,
) -> None:
    """Set (or clear, None) the day the child's basic immunisation was complete: not
    before the birth, not after ``today``; audited and committed."""
    _writable(scope)
    with writing(connection):
        child = find_child(connection, scope, child_id)
        shown = "" if completed_on is None else completed_on.isoformat()
        problem = None
        if completed_on is not None:
            problem = immunisation_day_problem(completed_on, child.birth_date, today)
        if problem is ImmunisationDay.BEFORE_BIRTH:
            raise MonthFieldError(
                "{field}: {value} is before the child was born; write a day from the birth on",
                field="completed_on",
                value=shown,
            )
        if problem is ImmunisationDay.IN_FUTURE:
            raise MonthFieldError(
                "{field}: {value} is after today; write a day that has come",
                field="completed_on",
                value=shown,
            )
        before = rows.basic_immunisation(connection, [child.id]).get(child.id)
        rows.set_basic_immunisation(connection, child.id, child.version, completed_on)
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            "child",
            child.id,
            before={"basic_immunisation_completed_on": before},
            after={"basic_immunisation_completed_on": completed_on},
        )
