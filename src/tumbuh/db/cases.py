"""Cases and their steps as rows: the open problems of children, a new case, a step, one
case with its child, and the register a page at a time (docs/cases.md).

A case lies where its child lies: the child's posyandu and that posyandu's kelurahan;
:class:`CaseFilter` carries the area the use case allows. **One open case per child and
problem** is the partial unique index ``uq_nutrition_case_open_child_problem``: a second
open case is refused by the database (:class:`CaseTaken`), inside a savepoint so the
caller's transaction goes on.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Connection, Select, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from tumbuh.db.bulk import chunks
from tumbuh.db.models import Child, ImportFile, Measurement, Posyandu, table_of
from tumbuh.db.models_cases import CaseStep, NutritionCase
from tumbuh.db.rows import Taken, insert_open_row, lock_row
from tumbuh.growth.cases import CaseStatus, Problem
from tumbuh.growth.enums import Sex

ID_CHUNK = 5_000
OPEN_INDEX = "uq_nutrition_case_open_child_problem"


class CaseTaken(Exception):  # noqa: N818 - a signal to the caller
    """The child already has an open case of this problem."""


@dataclass(frozen=True)
class CaseFilter:
    """Which cases to read: an area (None: no limit) and the register's filters."""

    kelurahan: frozenset[str] | None = None
    posyandu: frozenset[int] | None = None
    posyandu_codes: frozenset[str] | None = None  # an area chosen inside the scope
    statuses: tuple[CaseStatus, ...] = ()
    problem: Problem | None = None
    due_before: date | None = None  # overdue: next_due_on < this day
    created_after: datetime | None = None  # opened (stored) after this moment


@dataclass(frozen=True)
class CaseRow:
    """A case with its child's identity and place."""

    id: int
    child_id: int
    child_name: str
    nik: str | None
    sex: Sex
    birth_date: date
    posyandu_id: int | None
    posyandu_name: str | None
    kelurahan_code: str | None
    problem: Problem
    status: CaseStatus
    opened_on: date
    opened_month: date
    reasons: tuple[str, ...]
    severity: int
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
    last_step_on: date


@dataclass(frozen=True)
class StepRow:
    """One step of a case's history."""

    status: CaseStatus
    taken_on: date
    actor: str
    at: datetime
    fields: dict[str, Any]


def _query() -> Select[Any]:
    k, c, p = table_of(NutritionCase), table_of(Child), table_of(Posyandu)
    last = func.coalesce(k.c.closed_on, k.c.treated_on, k.c.examined_on, k.c.referred_on)
    return (
        select(
            k,
            c.c.name.label("child_name"),
            c.c.nik,
            c.c.sex,
            c.c.birth_date,
            c.c.posyandu_id,
            p.c.name.label("posyandu_name"),
            p.c.code.label("posyandu_code"),
            p.c.kelurahan_code,
            func.coalesce(last, k.c.opened_on).label("last_step_on"),
        )
        .join(c, c.c.id == k.c.child_id)
        .outerjoin(p, p.c.id == c.c.posyandu_id)
    )


def _row(r: Any) -> CaseRow:
    return CaseRow(
        id=int(r.id),
        child_id=int(r.child_id),
        child_name=r.child_name,
        nik=r.nik,
        sex=Sex(r.sex),
        birth_date=r.birth_date,
        posyandu_id=r.posyandu_id,
        posyandu_name=r.posyandu_name,
        kelurahan_code=r.kelurahan_code,
        problem=Problem(r.problem),
        status=CaseStatus(r.status),
        opened_on=r.opened_on,
        opened_month=r.opened_month,
        reasons=tuple(r.reasons.split()),
        severity=int(r.severity),
        referred_on=r.referred_on,
        referred_to=r.referred_to,
        examined_on=r.examined_on,
        diagnosis_confirmed=r.diagnosis_confirmed,
        comorbidity=r.comorbidity,
        given=r.given,
        treated_on=r.treated_on,
        intervention=r.intervention,
        closed_on=r.closed_on,
        outcome=r.outcome,
        note=r.note,
        next_due_on=r.next_due_on,
        last_step_on=r.last_step_on,
    )


def _conditions(where: CaseFilter) -> list[ColumnElement[bool]]:
    k, c, p = table_of(NutritionCase), table_of(Child), table_of(Posyandu)
    found: list[ColumnElement[bool]] = []
    if where.kelurahan is not None:
        found.append(p.c.kelurahan_code.in_(sorted(where.kelurahan)))
    if where.posyandu is not None:
        found.append(c.c.posyandu_id.in_(sorted(where.posyandu)))
    if where.posyandu_codes is not None:
        found.append(p.c.code.in_(sorted(where.posyandu_codes)))
    if where.statuses:
        found.append(k.c.status.in_([s.value for s in where.statuses]))
    if where.problem is not None:
        found.append(k.c.problem == where.problem.value)
    if where.due_before is not None:
        found.append(and_(k.c.next_due_on.is_not(None), k.c.next_due_on < where.due_before))
    if where.created_after is not None:
        found.append(k.c.created_at > where.created_after)
    return found


def case_row(connection: Connection, case_id: int) -> CaseRow | None:
    """One case with its child, or None."""
    k = table_of(NutritionCase)
    found = connection.execute(_query().where(k.c.id == case_id)).first()
    return None if found is None else _row(found)


def case_rows(
    connection: Connection, where: CaseFilter, *, limit: int | None, offset: int = 0
) -> tuple[list[CaseRow], int]:
    """Cases matching ``where``, most severe first, then the youngest child first (the
    most vulnerable), then id; and how many match in all."""
    k, c = table_of(NutritionCase), table_of(Child)
    conditions = _conditions(where)
    query = (
        _query()
        .where(*conditions)
        .order_by(k.c.severity, c.c.birth_date.desc(), k.c.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = [_row(r) for r in connection.execute(query)]
    counted = _query().where(*conditions).subquery()
    total = connection.execute(select(func.count()).select_from(counted)).scalar_one()
    return rows, int(total)


def case_counts(connection: Connection, where: CaseFilter) -> dict[tuple[str, str], int]:
    """Cases matching ``where`` per (problem, status); reads no name, NIK or birth date."""
    k, c, p = table_of(NutritionCase), table_of(Child), table_of(Posyandu)
    query = (
        select(k.c.problem, k.c.status, func.count())
        .join(c, c.c.id == k.c.child_id)
        .outerjoin(p, p.c.id == c.c.posyandu_id)
        .where(*_conditions(where))
        .group_by(k.c.problem, k.c.status)
    )
    return {(str(r[0]), str(r[1])): int(r[2]) for r in connection.execute(query)}


def open_problems(connection: Connection, child_ids: Sequence[int]) -> dict[int, set[Problem]]:
    """The problems each child has an open case of (children without one are absent)."""
    k = table_of(NutritionCase)
    found: dict[int, set[Problem]] = {}
    for chunk in chunks(sorted(set(child_ids)), ID_CHUNK):
        query = select(k.c.child_id, k.c.problem).where(
            k.c.child_id.in_(chunk), k.c.status != CaseStatus.SELESAI.value
        )
        for row in connection.execute(query):
            found.setdefault(int(row.child_id), set()).add(Problem(row.problem))
    return found


def open_case_statuses(
    connection: Connection, child_ids: Sequence[int]
) -> dict[int, dict[Problem, CaseStatus]]:
    """The status of each open case per child and problem (children without one absent)."""
    k = table_of(NutritionCase)
    found: dict[int, dict[Problem, CaseStatus]] = {}
    for chunk in chunks(sorted(set(child_ids)), ID_CHUNK):
        query = select(k.c.child_id, k.c.problem, k.c.status).where(
            k.c.child_id.in_(chunk), k.c.status != CaseStatus.SELESAI.value
        )
        for row in connection.execute(query):
            found.setdefault(int(row.child_id), {})[Problem(row.problem)] = CaseStatus(row.status)
    return found


def child_open_cases(connection: Connection, child_id: int) -> list[CaseRow]:
    """The open cases of one child, most severe first."""
    k = table_of(NutritionCase)
    query = (
        _query()
        .where(k.c.child_id == child_id, k.c.status != CaseStatus.SELESAI.value)
        .order_by(k.c.severity, k.c.id)
    )
    return [_row(r) for r in connection.execute(query)]


def latest_measured(connection: Connection, child_ids: Sequence[int]) -> dict[int, date]:
    """Each child's latest measurement date."""
    m = table_of(Measurement)
    found: dict[int, date] = {}
    for chunk in chunks(sorted(set(child_ids)), ID_CHUNK):
        query = (
            select(m.c.child_id, func.max(m.c.measured_on))
            .where(m.c.child_id.in_(chunk))
            .group_by(m.c.child_id)
        )
        found.update({int(r[0]): r[1] for r in connection.execute(query)})
    return found


def latest_months_of_run(connection: Connection, run_id: int) -> dict[date, list[int]]:
    """The children an import run measured, by the first day of their latest month with a
    measurement, for the children whose latest measurement is one of this run's months."""
    m, f = table_of(Measurement), table_of(ImportFile)
    query = (
        select(m.c.child_id, func.max(m.c.measured_on))
        .join(f, f.c.id == m.c.import_file_id)
        .where(f.c.import_run_id == run_id)
        .group_by(m.c.child_id)
    )
    in_run = {int(r[0]): r[1] for r in connection.execute(query)}
    latest = latest_measured(connection, list(in_run))
    found: dict[date, list[int]] = {}
    for child, day in in_run.items():
        last = latest.get(child, day)
        if (last.year, last.month) == (day.year, day.month):
            found.setdefault(date(day.year, day.month, 1), []).append(child)
    return found


def measurement_on(connection: Connection, child_id: int, day: date) -> int | None:
    """The child's last entered measurement of ``day`` (the one a case opens on)."""
    m = table_of(Measurement)
    query = select(func.max(m.c.id)).where(m.c.child_id == child_id, m.c.measured_on == day)
    found = connection.execute(query).scalar_one_or_none()
    return None if found is None else int(found)


def measurements_on(
    connection: Connection, wanted: Sequence[tuple[int, date]]
) -> dict[tuple[int, date], int]:
    """For each (child, day): the child's last entered measurement of that day."""
    m = table_of(Measurement)
    days = set(wanted)
    found: dict[tuple[int, date], int] = {}
    for chunk in chunks(sorted({child for child, _ in days}), ID_CHUNK):
        query = (
            select(m.c.child_id, m.c.measured_on, func.max(m.c.id))
            .where(m.c.child_id.in_(chunk))
            .group_by(m.c.child_id, m.c.measured_on)
        )
        for child, day, last in connection.execute(query):
            key = (int(child), _date(day))
            if key in days:
                found[key] = int(last)
    return found


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def insert_cases(connection: Connection, rows: Sequence[Mapping[str, object]]) -> list[int] | None:
    """Add many cases at once (in a savepoint), their ids in the order of ``rows``; None,
    and nothing added, when one of them meets an open case of its child and problem (the
    caller then adds them one by one with :func:`insert_case`)."""
    if not rows:
        return []
    k = table_of(NutritionCase)
    statement = insert(k).returning(k.c.id, sort_by_parameter_order=True)
    try:
        with connection.begin_nested():
            result = connection.execute(statement, [dict(r) for r in rows])
            ids = [int(row[0]) for row in result]
    except IntegrityError as error:
        if OPEN_INDEX in str(error.orig) or "nutrition_case.child_id" in str(error.orig):
            return None
        raise
    return ids


def insert_steps(connection: Connection, rows: Sequence[Mapping[str, object]]) -> None:
    """Add many steps to the cases' histories (``fields`` as a mapping)."""
    if rows:
        values = [
            {
                **row,
                "fields": json.dumps(
                    dict(cast(Mapping[str, object], row["fields"])),
                    sort_keys=True,
                    ensure_ascii=False,
                    default=str,
                ),
            }
            for row in rows
        ]
        connection.execute(insert(table_of(CaseStep)), values)


def insert_case(connection: Connection, values: Mapping[str, object]) -> int:
    """Add a case (in a savepoint); :class:`CaseTaken` when the child already has an open
    case of this problem."""
    try:
        return insert_open_row(connection, NutritionCase, values, index=OPEN_INDEX)
    except Taken:
        raise CaseTaken from None


def update_case(connection: Connection, case_id: int, values: Mapping[str, object]) -> None:
    """Change a case's columns."""
    k = table_of(NutritionCase)
    connection.execute(update(k).where(k.c.id == case_id).values(**values))


def lock_case(connection: Connection, case_id: int) -> None:
    """Take the case's row lock, so two steps of one case go one after the other."""
    lock_row(connection, NutritionCase, case_id)


def insert_step(
    connection: Connection,
    case_id: int,
    status: CaseStatus,
    taken_on: date,
    *,
    user_id: int | None,
    actor: str,
    fields: Mapping[str, object],
    at: datetime,
) -> None:
    """Add one step to a case's history."""
    connection.execute(
        insert(table_of(CaseStep)).values(
            case_id=case_id,
            status=status.value,
            taken_on=taken_on,
            user_id=user_id,
            actor=actor[:80],
            fields=json.dumps(dict(fields), sort_keys=True, ensure_ascii=False, default=str),
            at=at,
        )
    )


def case_steps(connection: Connection, case_id: int) -> list[StepRow]:
    """A case's history, oldest first."""
    s = table_of(CaseStep)
    query = select(s).where(s.c.case_id == case_id).order_by(s.c.taken_on, s.c.id)
    return [
        StepRow(CaseStatus(r.status), r.taken_on, r.actor, r.at, json.loads(r.fields))
        for r in connection.execute(query)
    ]
