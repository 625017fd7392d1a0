"""The demo city's cases (docs/cases.md, docs/demo-city.md): opened from the referral
lists of its last months, then walked through their steps with dates and findings drawn
from a seeded generator, so every status is shown and the dates agree with each other.

Month by month, each child on the referral list gets the cases of its problems (as
``tumbuh cases open`` would, but for past months too). Then, judged on the city's last
day: most cases are referred within a week (some later), most referred ones examined
within two weeks (9 in 10 confirmed), most confirmed ones treated within a week (PMT for
wasting and underweight, counselling otherwise, the hospital for a few gizi buruk); a case
treated or examined whose child was measured again later without the problem is closed
as recovered on that day; a few are closed as refused or moved. A step is never dated
after the city's last measurement. The openings are audited (actor ``demo``); the later
steps are written in bulk (one ``case_step`` row each), as the demo's measurements are.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any

import numpy as np
from sqlalchemy import Connection, bindparam, func, select, update

from tumbuh.db.audit import Actor
from tumbuh.db.bulk import insert_columns
from tumbuh.db.models import Measurement, table_of
from tumbuh.db.models_cases import CaseStep, NutritionCase
from tumbuh.db.surveillance.areas import Area, AreaKind
from tumbuh.db.surveillance.referrals import Referral, referral_list
from tumbuh.growth.cases import (
    SEVERE_WASTING_RANK,
    CaseStatus,
    Intervention,
    Outcome,
    Problem,
    next_due,
    problems_of,
)
from tumbuh.growth.periods import Period, month_period
from tumbuh.usecases.cases import open_from_referrals

DEMO_ACTOR = Actor("demo")
CASE_MONTHS = 6  # cases open from the referral lists of the city's last six months
PUSKESMAS_TEXT = "Puskesmas wilayah posyandu"
COMORBIDITY = ("", "", "", "ISPA", "Diare", "Kecacingan", "Anemia")
GIVEN = {
    Problem.WASTING: "F-75/F-100 dan konseling gizi",
    Problem.UNDERWEIGHT: "PMT pemulihan dan konseling gizi",
    Problem.STUNTING: "Konseling gizi dan obat cacing",
    Problem.FALTERING: "Konseling pemberian makan",
    Problem.OVERWEIGHT: "Konseling pola makan",
}


@dataclass
class _Case:
    id: int
    child_id: int
    problem: Problem
    severity: int
    opened_on: date


def _months(connection: Connection) -> tuple[list[Period], date]:
    m = table_of(Measurement)
    last = connection.execute(select(func.max(m.c.measured_on))).scalar_one()
    end = month_period(last.year, last.month)
    return [end.shifted(-k) for k in range(CASE_MONTHS - 1, -1, -1)], last


def _problems_by_month(
    connection: Connection, months: list[Period], listed: list[list[Referral]]
) -> dict[int, dict[int, set[Problem]]]:
    """Per child: its problems in each month it was measured (empty set: none)."""
    m = table_of(Measurement)
    found: dict[int, dict[int, set[Problem]]] = defaultdict(dict)
    first = months[0].start
    rows = connection.execute(select(m.c.child_id, m.c.measured_on).where(m.c.measured_on >= first))
    index = {(p.start.year, p.start.month): i for i, p in enumerate(months)}
    for child, day in rows:
        found[int(child)].setdefault(index[(day.year, day.month)], set())
    for i, referrals in enumerate(listed):
        for referral in referrals:
            found[referral.child_id][i] = set(problems_of(referral.reasons))
    return found


def _measured_days(connection: Connection, since: date) -> dict[int, list[date]]:
    m = table_of(Measurement)
    days: dict[int, list[date]] = defaultdict(list)
    query = select(m.c.child_id, m.c.measured_on).where(m.c.measured_on > since)
    for child, day in connection.execute(query.order_by(m.c.measured_on)):
        days[int(child)].append(day)
    return days


def _later(start: date, rng: np.random.Generator, low: int, high: int, late: float) -> date:
    days = int(rng.integers(low, high + 1))
    if rng.random() < late:
        days += int(rng.integers(5, 15))
    return start + timedelta(days=days)


def _recovered_on(
    case: _Case,
    after: date,
    days: list[date],
    problems: dict[int, set[Problem]],
    months: list[Period],
) -> date | None:
    """The first later measurement day on which the child no longer has the problem."""
    for day in days:
        if day <= after:
            continue
        i = next((k for k, p in enumerate(months) if p.contains(day)), None)
        if i is not None and case.problem not in problems.get(i, {case.problem}):
            return day
    return None


def _walk(
    case: _Case, rng: np.random.Generator, end: date, recovery: date | None
) -> list[tuple[CaseStatus, date, dict[str, Any]]]:
    """The steps of one case after its opening, none after ``end``."""
    steps: list[tuple[CaseStatus, date, dict[str, Any]]] = []
    draw = rng.random()
    if draw < 0.03:  # refused before the referral
        on = case.opened_on + timedelta(days=int(rng.integers(3, 20)))
        if on <= end:
            steps.append((CaseStatus.SELESAI, on, {"outcome": Outcome.REFUSED}))
        return steps
    referred = _later(case.opened_on, rng, 0, 6, 0.1)
    if referred > end or draw < 0.12:
        return steps
    steps.append((CaseStatus.DIRUJUK, referred, {"referred_to": PUSKESMAS_TEXT}))
    if draw < 0.15:  # moved away after the referral
        on = referred + timedelta(days=int(rng.integers(5, 30)))
        if on <= end:
            steps.append((CaseStatus.SELESAI, on, {"outcome": Outcome.MOVED}))
        return steps
    examined = _later(referred, rng, 2, 12, 0.1)
    if examined > end or draw < 0.25:
        return steps
    confirmed = bool(rng.random() < 0.9)
    steps.append(
        (
            CaseStatus.DIPERIKSA,
            examined,
            {
                "diagnosis_confirmed": confirmed,
                "comorbidity": str(rng.choice(COMORBIDITY)) or None,
                "given": GIVEN[case.problem],
            },
        )
    )
    last = examined
    if confirmed and draw < 0.85:
        treated = _later(examined, rng, 1, 6, 0.05)
        if treated <= end:
            steps.append(
                (CaseStatus.DITANGANI, treated, {"intervention": _intervention(case, rng)})
            )
            last = treated
    if recovery is not None and recovery >= last and recovery <= end:
        steps.append((CaseStatus.SELESAI, recovery, {"outcome": Outcome.RECOVERED}))
    return steps


def _intervention(case: _Case, rng: np.random.Generator) -> Intervention:
    if case.severity == SEVERE_WASTING_RANK and rng.random() < 0.2:
        return Intervention.HOSPITAL_REFERRAL
    if case.problem in (Problem.WASTING, Problem.UNDERWEIGHT):
        return Intervention.PMT
    return Intervention.COUNSELLING


_COLUMNS = {
    CaseStatus.DIRUJUK: {"referred_to": "referred_to"},
    CaseStatus.DIPERIKSA: {
        "diagnosis_confirmed": "diagnosis_confirmed",
        "comorbidity": "comorbidity",
        "given": "given",
    },
    CaseStatus.DITANGANI: {"intervention": "intervention"},
    CaseStatus.SELESAI: {"outcome": "outcome"},
}
_DATES = {
    CaseStatus.DIRUJUK: "referred_on",
    CaseStatus.DIPERIKSA: "examined_on",
    CaseStatus.DITANGANI: "treated_on",
    CaseStatus.SELESAI: "closed_on",
}


def store_demo_cases(connection: Connection, city_code: str, seed: int) -> int:
    """Open and walk the demo city's cases in the caller's transaction; how many."""
    months, end = _months(connection)
    city = Area(city_code, city_code, AreaKind.KOTA)
    listed = [referral_list(connection, month, area=city) for month in months]
    for month, referrals in zip(months, listed, strict=True):
        open_from_referrals(connection, month, referrals, user=DEMO_ACTOR, latest_only=False)
    problems = _problems_by_month(connection, months, listed)
    days = _measured_days(connection, months[0].start)
    k = table_of(NutritionCase)
    rows = connection.execute(
        select(k.c.id, k.c.child_id, k.c.problem, k.c.severity, k.c.opened_on).order_by(k.c.id)
    )
    cases = [_Case(int(r[0]), int(r[1]), Problem(r[2]), int(r[3]), r[4]) for r in rows]
    rng = np.random.default_rng(seed + 13)
    updates: list[dict[str, Any]] = []
    history: dict[str, list[Any]] = defaultdict(list)
    for case in cases:
        recovery = _recovered_on(
            case, case.opened_on, days[case.child_id], problems[case.child_id], months
        )
        steps = _walk(case, rng, end, recovery)
        if not steps:
            continue
        values: dict[str, Any] = {"case_id": case.id}
        for status, on, fields in steps:
            values[_DATES[status]] = on
            for key, column in _COLUMNS[status].items():
                values[column] = fields.get(key)
            history["case_id"].append(case.id)
            history["status"].append(status.value)
            history["taken_on"].append(on)
            history["actor"].append(DEMO_ACTOR.name)
            history["fields"].append(_json(fields))
            history["at"].append(_at(on))
        status, on, _ = steps[-1]
        values["status"] = status.value
        values["next_due_on"] = next_due(status, on, severity=case.severity)
        updates.append(values)
    _write(connection, updates, history)
    return len(cases)


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


def _json(fields: dict[str, Any]) -> str:
    plain = {k: _plain(v) for k, v in fields.items() if v is not None}
    return json.dumps(plain, sort_keys=True, ensure_ascii=False)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def _write(
    connection: Connection, updates: list[dict[str, Any]], history: dict[str, list[Any]]
) -> None:
    k = table_of(NutritionCase)
    columns = sorted({c for u in updates for c in u} - {"case_id"})
    full = [{f"b_{c}": _plain(u.get(c)) for c in ("case_id", *columns)} for u in updates]
    if full:
        statement = (
            update(k)
            .where(k.c.id == bindparam("b_case_id"))
            .values({c: bindparam(f"b_{c}") for c in columns})
        )
        connection.execute(statement, full)
    if history["case_id"]:
        insert_columns(connection, table_of(CaseStep), dict(history))
