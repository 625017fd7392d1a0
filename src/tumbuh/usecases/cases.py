"""Cases for a user: opening them from the referral list, each step of their life cycle,
the register and its counts, always inside the user's scope and audited (docs/cases.md).

Who may do what (applied here, once):

- kader: read the cases of her posyandu with the rujukan balik, and record the referral
  (dirujuk);
- nutritionist: every step for the cases of her puskesmas working area;
- admin: everything; the command line acts as a tool (:class:`Actor`) for the whole city;
- analyst and partner: counts only (:func:`case_counts`), never a child.

A case outside the scope is "not found" (:class:`OutOfScope`); a step the role does not
take on a case it may read is :class:`NotAllowed`.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.audit import Actor, write_audit, write_audits
from tumbuh.db.cases import (
    CaseFilter,
    CaseRow,
    CaseTaken,
    StepRow,
    case_row,
    case_rows,
    case_steps,
    child_open_cases,
    insert_case,
    insert_cases,
    insert_step,
    insert_steps,
    latest_measured,
    latest_months_of_run,
    lock_case,
    measurement_on,
    measurements_on,
    update_case,
)
from tumbuh.db.cases import case_counts as count_cases
from tumbuh.db.cases import open_problems as stored_open_problems
from tumbuh.db.models_access import AuditAction
from tumbuh.db.surveillance.referrals import Referral, referral_list
from tumbuh.growth.ages import (
    BALITA_MONTHS,  # a case opens for a balita only
    completed_months,
)
from tumbuh.growth.cases import (
    NEXT_STATUSES,
    OPEN_STATUSES,
    CaseState,
    CaseStatus,
    Problem,
    StepError,
    StepInput,
    next_due,
    overdue,
    problems_of,
    severity_of,
    step_errors,
)
from tumbuh.growth.periods import Period, month_period
from tumbuh.growth.referrals import DEFAULT_RULES, ReferralRules
from tumbuh.privacy import mask_name, mask_nik
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, UserInfo
from tumbuh.usecases.areas import Area, AreaKind
from tumbuh.usecases.places import Places, posyandu_codes
from tumbuh.usecases.transactions import writing

__all__ = [
    "COMMAND_LINE_SCOPE",
    "CaseCounts",
    "CaseExport",
    "CasePage",
    "CaseRow",
    "CaseView",
    "ExportRow",
    "NotAllowed",
    "OpenedCases",
    "OutOfScope",
    "StepError",
    "StepRow",
    "case_counts",
    "case_export",
    "case_list",
    "child_cases",
    "find_case",
    "open_cases",
    "open_from_referrals",
    "open_problems",
    "record_child_cases",
    "record_import_cases",
    "record_open_cases",
    "record_step",
    "take_step",
]

ENTITY = "case"
KADER_STEPS = frozenset({CaseStatus.DIRUJUK})
# The command line acts for the whole city, as an administrator (its changes are audited
# as "cli:<user>").
COMMAND_LINE_SCOPE = Scope(Role.ADMIN, None, None, True, True, True, True, True)
PER_PAGE = 50


@dataclass(frozen=True)
class OpenedCases:
    """What opening the month's cases did."""

    opened: int
    already_open: int  # (child, problem) pairs with an open case: nothing opened
    not_latest: int  # children measured again after the month: judged on a later month
    aged_out: int  # children 60 months or older


def _case_audit(row: CaseRow | dict[str, object]) -> dict[str, object]:
    values = asdict(row) if isinstance(row, CaseRow) else dict(row)
    for key in ("child_name", "nik", "sex", "birth_date", "posyandu_name", "last_step_on"):
        values.pop(key, None)  # the child's identity is the child's audit, not the case's
    return values


def _actor(user: UserInfo | Actor) -> tuple[int | None, str]:
    if isinstance(user, UserInfo):
        return user.id, user.username
    return user.user_id, user.name


def _open_one(
    connection: Connection,
    user: UserInfo | Actor,
    referral: Referral,
    month: Period,
    opening: tuple[Problem, tuple[str, ...]],
) -> bool:
    problem, reasons = opening
    severity = severity_of(reasons)
    now = datetime.now(UTC)
    user_id, actor = _actor(user)
    values: dict[str, object] = {
        "child_id": referral.child_id,
        "problem": problem.value,
        "status": CaseStatus.PERLU_DIRUJUK.value,
        "opened_on": referral.measured_on,
        "opened_month": month.start,
        "reasons": " ".join(reasons),
        "measurement_id": measurement_on(connection, referral.child_id, referral.measured_on),
        "severity": severity,
        "next_due_on": next_due(CaseStatus.PERLU_DIRUJUK, referral.measured_on, severity=severity),
        "created_at": now,
        "updated_at": now,
        "created_by": user_id,
        "updated_by": user_id,
    }
    try:
        case_id = insert_case(connection, values)
    except CaseTaken:
        return False
    fields = {"reasons": list(reasons)}
    insert_step(
        connection,
        case_id,
        CaseStatus.PERLU_DIRUJUK,
        referral.measured_on,
        user_id=user_id,
        actor=actor,
        fields=fields,
        at=now,
    )
    audit = {k: v for k, v in values.items() if k not in ("created_at", "updated_at")}
    write_audit(connection, user, AuditAction.CREATE, ENTITY, case_id, before=None, after=audit)
    return True


def record_open_cases(
    connection: Connection,
    month: Period,
    *,
    area: Area,
    user: UserInfo | Actor,
    rules: ReferralRules = DEFAULT_RULES,
    children: Iterable[int] | None = None,
    inside: frozenset[str] | None = None,
    latest_only: bool = True,
) -> OpenedCases:
    """The work of :func:`open_cases` in the caller's transaction (uncommitted): a
    perlu-dirujuk case for each (child, problem) of the month's referral list of ``area``
    (only ``children`` when given, only at the posyandu codes ``inside`` when given) with
    no open case, when the month is the child's latest month with a measurement and the
    child is a balita (``latest_only`` False: also when the child was measured later, for
    the demo city's history)."""
    listed = referral_list(connection, month, area=area, rules=rules)
    if children is not None:
        wanted = set(children)
        listed = [r for r in listed if r.child_id in wanted]
    if inside is not None:
        listed = [r for r in listed if r.posyandu_code in inside]
    return open_from_referrals(connection, month, listed, user=user, latest_only=latest_only)


def open_from_referrals(
    connection: Connection,
    month: Period,
    listed: list[Referral],
    *,
    user: UserInfo | Actor,
    latest_only: bool = True,
) -> OpenedCases:
    """Open the cases of ``listed`` (the month's referral list, or part of it) in the
    caller's transaction: the rules of :func:`record_open_cases`."""
    ids = [r.child_id for r in listed]
    latest = latest_measured(connection, ids)
    existing = stored_open_problems(connection, ids)
    wanted: list[tuple[Referral, Problem, tuple[str, ...]]] = []
    already = not_latest = aged = 0
    for referral in listed:
        if referral.age_months >= BALITA_MONTHS:
            aged += 1
            continue
        if latest_only and latest.get(referral.child_id, month.start) >= month.end:
            not_latest += 1
            continue
        for problem, reasons in problems_of(referral.reasons).items():
            if problem in existing.get(referral.child_id, set()):
                already += 1
                continue
            wanted.append((referral, problem, tuple(r.name for r in reasons)))
    opened = _open_many(connection, user, month, wanted)
    return OpenedCases(opened, already + len(wanted) - opened, not_latest, aged)


def _open_many(
    connection: Connection,
    user: UserInfo | Actor,
    month: Period,
    wanted: list[tuple[Referral, Problem, tuple[str, ...]]],
) -> int:
    """Open the cases ``wanted`` in a few statements (cases, steps, audit rows); one by
    one, each in its savepoint, when another transaction opened one of them meanwhile.
    How many were opened."""
    if not wanted:
        return 0
    now = datetime.now(UTC)
    user_id, actor = _actor(user)
    measured = measurements_on(connection, [(r.child_id, r.measured_on) for r, _, _ in wanted])
    rows: list[dict[str, object]] = []
    for referral, problem, reasons in wanted:
        severity = severity_of(reasons)
        rows.append(
            {
                "child_id": referral.child_id,
                "problem": problem.value,
                "status": CaseStatus.PERLU_DIRUJUK.value,
                "opened_on": referral.measured_on,
                "opened_month": month.start,
                "reasons": " ".join(reasons),
                "measurement_id": measured.get((referral.child_id, referral.measured_on)),
                "severity": severity,
                "next_due_on": next_due(
                    CaseStatus.PERLU_DIRUJUK, referral.measured_on, severity=severity
                ),
                "created_at": now,
                "updated_at": now,
                "created_by": user_id,
                "updated_by": user_id,
            }
        )
    case_ids = insert_cases(connection, rows)
    if case_ids is None:  # a race: one by one, each in its savepoint
        return sum(
            _open_one(connection, user, referral, month, (problem, reasons))
            for referral, problem, reasons in wanted
        )
    insert_steps(
        connection,
        [
            {
                "case_id": case_id,
                "status": CaseStatus.PERLU_DIRUJUK.value,
                "taken_on": row["opened_on"],
                "user_id": user_id,
                "actor": actor[:80],
                "fields": {"reasons": str(row["reasons"]).split()},
                "at": now,
            }
            for case_id, row in zip(case_ids, rows, strict=True)
        ],
    )
    audits = [
        (case_id, None, {k: v for k, v in row.items() if k not in ("created_at", "updated_at")})
        for case_id, row in zip(case_ids, rows, strict=True)
    ]
    write_audits(connection, user, AuditAction.CREATE, ENTITY, audits, at=now)
    return len(case_ids)


def open_cases(
    connection: Connection,
    scope: Scope,
    month: Period,
    *,
    places: Places,
    area: Area,
    user: UserInfo | Actor,
    rules: ReferralRules = DEFAULT_RULES,
) -> OpenedCases:
    """Open the month's cases of ``area`` at the posyandu inside the scope (roles that
    write: admin, nutritionist, kader; OutOfScope for the others) and commit."""
    if not scope.may_write:
        raise OutOfScope
    inside = None if scope.whole_city else posyandu_codes(places, area, scope)
    with writing(connection):
        return record_open_cases(
            connection, month, area=area, user=user, rules=rules, inside=inside
        )


def _sum(parts: Iterable[OpenedCases]) -> OpenedCases:
    done = list(parts)
    return OpenedCases(
        sum(p.opened for p in done),
        sum(p.already_open for p in done),
        sum(p.not_latest for p in done),
        sum(p.aged_out for p in done),
    )


def record_import_cases(
    connection: Connection,
    run_id: int,
    *,
    city: Area,
    user: UserInfo | Actor,
    rules: ReferralRules = DEFAULT_RULES,
) -> OpenedCases:
    """Open the cases of the children an import run measured, each judged on its latest
    month, in the import's transaction (uncommitted; one referral list per such month)."""
    months = latest_months_of_run(connection, run_id)
    return _sum(
        record_open_cases(
            connection,
            month_period(start.year, start.month),
            area=city,
            user=user,
            rules=rules,
            children=children,
        )
        for start, children in sorted(months.items())
    )


def record_child_cases(
    connection: Connection,
    child_id: int,
    measured_on: date,
    *,
    kelurahan_code: str | None,
    user: UserInfo | Actor,
    rules: ReferralRules = DEFAULT_RULES,
) -> OpenedCases:
    """Open the cases of one child just measured on ``measured_on`` (the entry form and
    the API), in the caller's transaction: judged on the referral list of that month in
    the child's kelurahan, with the installation's cut-offs ``rules`` as an import
    (docs/cases.md)."""
    if kelurahan_code is None:
        return OpenedCases(0, 0, 0, 0)
    area = Area(kelurahan_code, kelurahan_code, AreaKind.KELURAHAN)
    month = month_period(measured_on.year, measured_on.month)
    return record_open_cases(
        connection, month, area=area, user=user, rules=rules, children=[child_id]
    )


def open_problems(connection: Connection, child_ids: Iterable[int]) -> dict[int, set[Problem]]:
    """The problems each child has an open case of: the referral list leaves out the
    reasons of these problems (the follow-up of the case shows instead)."""
    return stored_open_problems(connection, list(child_ids))


def _covers(scope: Scope, row: CaseRow) -> bool:
    return scope.may_see_children and scope.covers_posyandu(row.posyandu_id, row.kelurahan_code)


def steps_for(scope: Scope, status: CaseStatus) -> tuple[CaseStatus, ...]:
    """The next statuses this role may record on a case in ``status``."""
    allowed = NEXT_STATUSES[status]
    if scope.role is Role.KADER:
        return tuple(s for s in allowed if s in KADER_STEPS)
    return allowed if scope.may_write else ()


@dataclass(frozen=True)
class CaseView:
    """One case as its page shows it: the case, its history, the steps the user may
    record next, and whether its follow-up is overdue."""

    case: CaseRow
    steps: list[StepRow]
    next_steps: tuple[CaseStatus, ...]
    overdue: bool
    nik: str | None  # shown as the role may see it


def find_case(connection: Connection, scope: Scope, case_id: int, today: date) -> CaseView:
    """The case if it lies in the scope and the role may see children; else OutOfScope."""
    row = case_row(connection, case_id)
    if row is None or not _covers(scope, row):
        raise OutOfScope
    return CaseView(
        row,
        case_steps(connection, case_id),
        steps_for(scope, row.status),
        overdue(row.next_due_on, today),
        row.nik if scope.may_see_nik else mask_nik(row.nik),
    )


def child_cases(connection: Connection, scope: Scope, child_id: int) -> list[CaseRow]:
    """The open cases of a child the user may see (an empty list otherwise)."""
    return [r for r in child_open_cases(connection, child_id) if _covers(scope, r)]


def _step_columns(step: StepInput, severity: int) -> dict[str, object]:
    columns: dict[str, object] = {"status": step.status.value}
    if step.status is CaseStatus.DIRUJUK:
        columns |= {"referred_on": step.on, "referred_to": (step.referred_to or "").strip()}
    elif step.status is CaseStatus.DIPERIKSA:
        columns |= {
            "examined_on": step.on,
            "diagnosis_confirmed": step.diagnosis_confirmed,
            "comorbidity": step.comorbidity,
            "given": step.given,
        }
    elif step.status is CaseStatus.DITANGANI:
        columns |= {"treated_on": step.on, "intervention": step.intervention}
    else:
        columns |= {"closed_on": step.on, "outcome": step.outcome}
    if step.note is not None:
        columns["note"] = step.note
    columns["next_due_on"] = next_due(step.status, step.on, severity=severity)
    return columns


def take_step(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    case_id: int,
    step: StepInput,
    today: date,
) -> list[StepError]:
    """Record ``step`` on a case (audited, with its history row) and commit; the reasons
    it is refused otherwise (nothing written). OutOfScope for a case outside the scope,
    NotAllowed for a step the role does not take."""
    with writing(connection):
        lock_case(connection, case_id)
        row = case_row(connection, case_id)
        if row is None or not _covers(scope, row):
            raise OutOfScope
        if step.status in NEXT_STATUSES[row.status] and step.status not in steps_for(
            scope, row.status
        ):
            raise NotAllowed
        return record_step(connection, user, row, step, today)


def record_step(
    connection: Connection, user: UserInfo | Actor, row: CaseRow, step: StepInput, today: date
) -> list[StepError]:
    """The work of :func:`take_step` on a case already read (and locked) in the caller's
    transaction, uncommitted: the step with its history row and audit, or the reasons it
    is refused (nothing written). The caller has applied the scope and the role."""
    state = CaseState(row.status, row.last_step_on, row.birth_date)
    errors = step_errors(state, step, today)
    if errors:
        return errors
    columns = _step_columns(step, row.severity)
    user_id, actor = _actor(user)
    now = datetime.now(UTC)
    update_case(connection, row.id, {**columns, "updated_at": now, "updated_by": user_id})
    fields = {k: v for k, v in asdict(step).items() if v is not None and k != "on"}
    insert_step(
        connection,
        row.id,
        step.status,
        step.on,
        user_id=user_id,
        actor=actor,
        fields=fields,
        at=now,
    )
    before = _case_audit(row)
    write_audit(
        connection,
        user,
        AuditAction.UPDATE,
        ENTITY,
        row.id,
        before=before,
        after={**before, **columns},
    )
    return []


@dataclass(frozen=True)
class CasePage:
    """One page of the case register."""

    cases: list[CaseRow]
    total: int
    page: int
    pages: int
    overdue: frozenset[int]  # ids of the cases on this page whose follow-up is overdue


def _scope_filter(
    scope: Scope, places: Places | None, area: Area | None, **filters: object
) -> CaseFilter:
    codes = None
    if area is not None and places is not None:
        codes = posyandu_codes(places, area, scope)
    return CaseFilter(scope.kelurahan, scope.posyandu, codes, **filters)  # type: ignore[arg-type]


def _statuses(status: CaseStatus | None, closed: bool) -> tuple[CaseStatus, ...]:
    if status is not None:
        return (status,)
    return () if closed else OPEN_STATUSES


def case_list(  # noqa: PLR0913 - the register's filters, keyword-only
    connection: Connection,
    scope: Scope,
    *,
    today: date,
    places: Places | None = None,
    area: Area | None = None,
    status: CaseStatus | None = None,
    problem: Problem | None = None,
    only_overdue: bool = False,
    opened_after: datetime | None = None,
    closed: bool = False,
    page: int = 1,
    per_page: int | None = PER_PAGE,
) -> CasePage:
    """The cases of the scope (open ones unless ``closed`` or a status is asked for), most
    severe first, then the youngest; only those stored after ``opened_after`` when given;
    ``per_page`` None: every case on one page. Roles that may not see children get
    OutOfScope (they have :func:`case_counts`)."""
    if not scope.may_see_children:
        raise OutOfScope
    where = _scope_filter(
        scope,
        places,
        area,
        statuses=_statuses(status, closed),
        problem=problem,
        due_before=today if only_overdue else None,
        created_after=opened_after,
    )
    offset = 0 if per_page is None else (max(page, 1) - 1) * per_page
    rows, total = case_rows(connection, where, limit=per_page, offset=offset)
    pages = 1 if per_page is None else max(1, -(-total // per_page))
    late = frozenset(r.id for r in rows if overdue(r.next_due_on, today))
    return CasePage(rows, total, max(page, 1), pages, late)


@dataclass(frozen=True)
class CaseCounts:
    """Cases of an area by problem and status (no child is named)."""

    by_problem_status: dict[tuple[Problem, CaseStatus], int]
    overdue: int

    @property
    def open(self) -> int:
        """Open cases in all."""
        return sum(n for (_, s), n in self.by_problem_status.items() if s is not CaseStatus.SELESAI)


def case_counts(
    connection: Connection,
    scope: Scope,
    *,
    today: date,
    places: Places | None = None,
    area: Area | None = None,
) -> CaseCounts:
    """How many cases the area inside the scope has, by problem and status, and how many
    open ones are overdue (every role; reads no name, NIK or birth date)."""
    where = _scope_filter(scope, places, area)
    counts = count_cases(connection, where)
    late_filter = _scope_filter(scope, places, area, statuses=OPEN_STATUSES, due_before=today)
    late = sum(count_cases(connection, late_filter).values())
    return CaseCounts(
        {(Problem(p), CaseStatus(s)): n for (p, s), n in counts.items()},
        late,
    )


@dataclass(frozen=True)
class ExportRow:
    """A case of the downloaded or printed register: the child's name as initials, the NIK
    masked and no birth date unless asked (:mod:`tumbuh.privacy`), the case's dates and
    the rujukan balik."""

    case_id: int
    posyandu_name: str | None
    name: str
    nik: str | None
    sex: str  # a Sex value
    birth_date: date | None
    age_months: int  # completed months on the day of the export
    problem: Problem
    status: CaseStatus
    reasons: tuple[str, ...]  # ReferralReason member names
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
    next_due_on: date | None
    overdue: bool


@dataclass(frozen=True)
class CaseExport:
    """Every case of the register with the filters asked for, and whether identities are
    shown in full."""

    area: Area | None  # None: the user's whole scope
    rows: list[ExportRow]
    unmask: bool
    today: date


def _age_months(born: date, today: date) -> int:
    days = np.array([born, today], dtype="datetime64[D]")
    return int(completed_months(days[:1], days[1:])[0])


def _export_row(row: CaseRow, today: date, unmask: bool, nik: bool) -> ExportRow:
    return ExportRow(
        case_id=row.id,
        posyandu_name=row.posyandu_name,
        name=row.child_name if unmask else mask_name(row.child_name),
        nik=row.nik if unmask and nik else mask_nik(row.nik),
        sex=row.sex.value,
        birth_date=row.birth_date if unmask else None,
        age_months=_age_months(row.birth_date, today),
        problem=row.problem,
        status=row.status,
        reasons=row.reasons,
        opened_on=row.opened_on,
        referred_on=row.referred_on,
        referred_to=row.referred_to,
        examined_on=row.examined_on,
        diagnosis_confirmed=row.diagnosis_confirmed,
        comorbidity=row.comorbidity,
        given=row.given,
        treated_on=row.treated_on,
        intervention=row.intervention,
        closed_on=row.closed_on,
        outcome=row.outcome,
        next_due_on=row.next_due_on,
        overdue=overdue(row.next_due_on, today),
    )


def case_export(  # noqa: PLR0913 - the register's filters, keyword-only
    connection: Connection,
    scope: Scope,
    *,
    today: date,
    places: Places | None = None,
    area: Area | None = None,
    status: CaseStatus | None = None,
    problem: Problem | None = None,
    only_overdue: bool = False,
    closed: bool = False,
    unmask: bool = False,
) -> CaseExport:
    """Every case of :func:`case_list` with these filters (all pages, in its order) for a
    download or a printed sheet; :class:`NotAllowed` for roles that see counts only.
    Names and birth dates are written in full only when ``unmask``, the NIK only for a
    role that may see it (docs/cases.md)."""
    if not scope.may_see_children:
        raise NotAllowed
    listed = case_list(
        connection,
        scope,
        today=today,
        places=places,
        area=area,
        status=status,
        problem=problem,
        only_overdue=only_overdue,
        closed=closed,
        per_page=None,
    )
    rows = [_export_row(r, today, unmask, scope.may_see_nik) for r in listed.cases]
    return CaseExport(area, rows, unmask, today)
