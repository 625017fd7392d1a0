"""What the TPK reads: the families of the area with their KRS assessment (target family,
at risk, which criteria) and their visits, one family with its mothers, children under
five, pregnancies and visits (docs/families.md). The KRS rule is
:mod:`tumbuh.growth.krs`'s (docs/domain.md §10, §14); the writes are
:mod:`tumbuh.usecases.families`'.

A family outside the user's area is "not found" (:class:`OutOfScope`); a role that does
not see families is :class:`NotAllowed`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import Connection

from tumbuh.db import families as rows
from tumbuh.db.indicators import FamilyFacts
from tumbuh.db.maternal.mothers import posyandu_names
from tumbuh.db.maternal.tpk_visits import (
    TpkVisitRow,
    VisitCount,
    tpk_visit_rows,
    visit_counts,
)
from tumbuh.db.models_maternal import TpkAction
from tumbuh.db.regions import regions
from tumbuh.growth import krs
from tumbuh.growth.ages import BADUTA_MONTHS, BALITA_MONTHS, completed_months_or_nan
from tumbuh.growth.tristate import TriState
from tumbuh.ingest.regions import RegionLevel
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope
from tumbuh.usecases.family_input import FamilyFilter, FieldError
from tumbuh.usecases.transactions import end_read

READERS = frozenset({Role.ADMIN, Role.NUTRITIONIST, Role.BIDAN, Role.TPK})
WRITERS = frozenset({Role.ADMIN, Role.NUTRITIONIST, Role.TPK})
PER_PAGE = 50


@dataclass(frozen=True)
class FamilySummary:
    """One family as the list and its page show it (None: not known)."""

    id: int
    kelurahan_code: str
    kelurahan_name: str
    address: str | None
    rt: str | None
    rw: str | None
    nomor_kk: str | None  # None for a role that does not see NIK
    mothers: tuple[str, ...]  # names
    children_under_five: int
    pregnant: bool  # a pregnancy of the family going on today
    target: bool | None  # a PK21 target family today
    at_risk: bool | None  # KRS
    criteria: tuple[krs.KrsCriterion, ...]  # holding
    unknown: tuple[krs.KrsCriterion, ...]  # not assessed
    krs_assessed_on: date | None
    visits: int
    last_visited_on: date | None


@dataclass(frozen=True)
class FamilyList:
    """One page of the filtered list, how many families match, and the kelurahan of the
    user's area to filter by (code, name)."""

    families: list[FamilySummary]
    total: int
    page: int
    pages: int
    kelurahan: list[tuple[str, str]]


@dataclass(frozen=True)
class ChildLine:
    """A child under five of the family; ``linked``: the user may open its page."""

    id: int
    name: str
    birth_date: date
    months: int
    linked: bool


@dataclass(frozen=True)
class VisitLine:
    """A TPK visit as the family's page shows it: who came (the member's name, else the
    user's) and whether this user may change it."""

    id: int
    visited_on: date
    member: str
    actions: tuple[TpkAction, ...]
    note: str | None
    editable: bool


@dataclass(frozen=True)
class FamilyPage:
    """One family: its summary, stored criteria, children under five, pregnancies and visits."""

    summary: FamilySummary
    facts: FamilyFacts
    children: list[ChildLine]
    pregnancies: list[rows.PregnancyOfFamily]
    visits: list[VisitLine]
    may_write: bool


def readable(scope: Scope) -> None:
    if scope.role not in READERS or not scope.may_see_children:
        raise NotAllowed("this role does not see families")


def writable(scope: Scope) -> None:
    if scope.role not in WRITERS:
        raise NotAllowed("this role does not record TPK visits")


def found_family(connection: Connection, scope: Scope, family_id: int) -> rows.FamilyRow:
    """The family, when it lies in the scope; else :class:`OutOfScope`."""
    found = rows.family_row(connection, family_id)
    code = None if found is None else found.facts.kelurahan_code
    if found is None or code is None or not scope.covers_kelurahan(code):
        raise OutOfScope(family_id)
    return found


def assess_facts(facts: Sequence[FamilyFacts]) -> krs.KrsAssessment:
    """The KRS judgement of stored criteria (one row per family)."""
    return krs.assess(
        **{name: [getattr(f, name) for f in facts] for name in rows.CRITERIA},
    )


def _any(states: TriState, owners: np.ndarray, count: int) -> list[bool | None]:
    """Per family (0..count-1): any of its people's states holds (unknown when none holds
    and one is unknown; no when it has none)."""
    result: list[bool | None] = [False] * count
    for owner, yes, known in zip(owners.tolist(), states.yes, states.known, strict=True):
        if yes:
            result[owner] = True
        elif not known and result[owner] is False:
            result[owner] = None
    return result


@dataclass(frozen=True)
class _Ages:
    """The people of some families judged on one day: each child's completed months and
    whether each pregnancy is going on."""

    child_months: list[int]  # -1: not born yet
    pregnant: list[bool]


def _ages(people: rows.FamilyPeople, today: date) -> _Ages:
    on = np.datetime64(today, "D")
    born = np.array([c.birth_date for c in people.children], dtype="datetime64[D]")
    months = completed_months_or_nan(born, np.full(born.shape, on))
    going = krs.pregnant_on(
        [p.hpht for p in people.pregnancies], [p.ended_on for p in people.pregnancies], on=on
    )
    return _Ages(np.nan_to_num(months, nan=-1).astype(int).tolist(), going.yes.tolist())


def _targets(
    people: rows.FamilyPeople, ages: _Ages, index: dict[int, int], today: date
) -> TriState:
    """Whether each family is a PK21 target family today (docs/domain.md §10)."""
    count = len(index)
    on = np.datetime64(today, "D")
    mothers = [m for m in people.mothers if m.family_id in index]
    born = np.array([m.birth_date for m in mothers], dtype="datetime64[D]")
    years = np.floor(completed_months_or_nan(born, np.full(born.shape, on)) / 12)
    pus = _any(krs.is_pus_age(years), np.array([index[m.family_id] for m in mothers], int), count)
    pregnant: list[bool | None] = [False] * count
    young, older = [False] * count, [False] * count
    for p, going in zip(people.pregnancies, ages.pregnant, strict=True):
        if going and p.family_id in index:
            pregnant[index[p.family_id]] = True
    for child, months in zip(people.children, ages.child_months, strict=True):
        if child.family_id in index and 0 <= months < BALITA_MONTHS:
            (young if months < BADUTA_MONTHS else older)[index[child.family_id]] = True
    return krs.is_target_family(
        has_pus=pus, has_pregnant_woman=pregnant,
        has_child_0_23_months=young, has_child_24_59_months=older,
    )  # fmt: skip


def _months(born: date, today: date) -> int:
    months = completed_months_or_nan(
        np.array([born], "datetime64[D]"), np.array([today], "datetime64[D]")
    )[0]
    return -1 if np.isnan(months) else int(months)


def _tri(state: TriState, i: int) -> bool | None:
    return bool(state.holds[i]) if bool(state.known[i]) else None


def _bits(value: int) -> tuple[krs.KrsCriterion, ...]:
    return tuple(c for c in krs.KrsCriterion if value & int(c))


def summaries(
    connection: Connection,
    scope: Scope,
    found: list[rows.FamilyRow],
    today: date,
    counts: dict[int, VisitCount],
) -> list[FamilySummary]:
    """The facts of the families ``found`` (a page of the list, or one family), with their
    visit ``counts``."""
    ids = [f.id for f in found]
    index = {family_id: i for i, family_id in enumerate(ids)}
    people = rows.family_people(connection, kelurahan=scope.kelurahan, family_ids=ids)
    names = _kelurahan_names(connection)
    judged = assess_facts([f.facts for f in found])
    ages = _ages(people, today)
    target = _targets(people, ages, index, today)
    mothers: dict[int, list[str]] = {}
    for m in people.mothers:
        mothers.setdefault(m.family_id, []).append(m.name)
    under_five = dict.fromkeys(ids, 0)
    for child, months in zip(people.children, ages.child_months, strict=True):
        if child.family_id in under_five and 0 <= months < BALITA_MONTHS:
            under_five[child.family_id] += 1
    pregnant = {
        p.family_id for p, going in zip(people.pregnancies, ages.pregnant, strict=True) if going
    }
    result = []
    for i, f in enumerate(found):
        code = f.facts.kelurahan_code or ""
        seen = counts.get(f.id)
        result.append(
            FamilySummary(
                f.id,
                code,
                names.get(code, code),
                f.address,
                f.rt,
                f.rw,
                f.nomor_kk if scope.may_see_nik else None,
                tuple(mothers.get(f.id, [])),
                under_five[f.id],
                f.id in pregnant,
                _tri(target, i),
                _tri(judged.at_risk, i),
                _bits(int(judged.criteria[i])),
                _bits(int(judged.unknown[i])),
                f.krs_assessed_on,
                0 if seen is None else seen.visits,
                None if seen is None else seen.last_visited_on,
            )
        )
    return result


def _kelurahan_names(connection: Connection) -> dict[str, str]:
    return {r.code: r.display_name for r in regions(connection, RegionLevel.KELURAHAN)}


@dataclass(frozen=True)
class _Key:
    """What the list filters and sorts by, known before the page is read."""

    at_risk: bool | None
    last_visited_on: date | None
    family_id: int


def _order(key: _Key) -> tuple[int, date, int]:
    """At risk first, then not known; within each, the longest without a visit first."""
    risk = 0 if key.at_risk else (1 if key.at_risk is None else 2)
    return risk, key.last_visited_on or date.min, key.family_id


def _kept(key: _Key, wanted: FamilyFilter, today: date) -> bool:
    if wanted.at_risk_only and not key.at_risk:
        return False
    if wanted.not_visited_days is not None and key.last_visited_on is not None:
        return key.last_visited_on < today - timedelta(days=wanted.not_visited_days)
    return True


def family_list(
    connection: Connection, scope: Scope, wanted: FamilyFilter, *, today: date, page: int = 1
) -> FamilyList:
    """The families of the user's area (or of one kelurahan of it) as ``wanted``: those at
    risk first, the longest without a visit first; :data:`PER_PAGE` a page."""
    readable(scope)
    names = _kelurahan_names(connection)
    own = sorted(c for c in names if scope.covers_kelurahan(c))
    if wanted.kelurahan is not None and wanted.kelurahan not in own:
        raise FieldError(
            "{field}: '{value}' is not a kelurahan of your area; choose one from the list",
            field="kelurahan",
            value=wanted.kelurahan,
        )
    area = frozenset({wanted.kelurahan}) if wanted.kelurahan else scope.kelurahan
    found = rows.family_rows(connection, kelurahan=area)
    counts = visit_counts(connection, kelurahan=area)
    at_risk = assess_facts([f.facts for f in found]).at_risk
    keys = [
        _Key(_tri(at_risk, i), counts[f.id].last_visited_on if f.id in counts else None, f.id)
        for i, f in enumerate(found)
    ]
    listed = sorted((k for k in keys if _kept(k, wanted, today)), key=_order)
    pages = max(1, -(-len(listed) // PER_PAGE))
    page = min(max(page, 1), pages)
    chosen = listed[(page - 1) * PER_PAGE : page * PER_PAGE]
    shown = {k.family_id for k in chosen}
    page_rows = [f for f in found if f.id in shown]
    by_id = {s.id: s for s in summaries(connection, scope, page_rows, today, counts)}
    end_read(connection)
    ordered = [by_id[k.family_id] for k in chosen]
    return FamilyList(ordered, len(listed), page, pages, [(c, names[c]) for c in own])


def may_change(scope: Scope, user_id: int, visit: TpkVisitRow) -> bool:
    """A visit is changed by the TPK who recorded it, a nutritionist or an administrator."""
    if scope.role is Role.TPK:
        return visit.visit.user_id == user_id
    return scope.role in WRITERS


def _visit_lines(
    connection: Connection, scope: Scope, user_id: int, visits: list[TpkVisitRow]
) -> list[VisitLine]:
    users = rows.user_names(connection, [v.visit.user_id for v in visits if v.visit.user_id])
    return [
        VisitLine(
            v.id,
            v.visit.visited_on,
            v.visit.tpk_member or users.get(v.visit.user_id or 0, ""),
            tuple(sorted(v.visit.actions, key=list(TpkAction).index)),
            v.visit.note,
            may_change(scope, user_id, v),
        )
        for v in sorted(visits, key=lambda v: (v.visit.visited_on, v.id), reverse=True)
    ]


def _child_lines(
    connection: Connection, scope: Scope, people: rows.FamilyPeople, today: date
) -> list[ChildLine]:
    places = posyandu_names(connection, [c.posyandu_id for c in people.children if c.posyandu_id])
    lines = []
    for child in people.children:
        months = _months(child.birth_date, today)
        if not 0 <= months < BALITA_MONTHS:
            continue
        place = places.get(child.posyandu_id or 0)
        seen = scope.covers_posyandu(child.posyandu_id, None if place is None else place[1])
        lines.append(ChildLine(child.id, child.name, child.birth_date, months, seen))
    return lines


def family_page(
    connection: Connection, scope: Scope, user_id: int, family_id: int, *, today: date
) -> FamilyPage:
    """One family of the user's area with its people and its TPK visits (latest first)."""
    readable(scope)
    family = found_family(connection, scope, family_id)
    area = frozenset({family.facts.kelurahan_code or ""})
    counts = visit_counts(connection, kelurahan=area)
    summary = summaries(connection, scope, [family], today, counts)[0]
    people = rows.family_people(connection, kelurahan=area, family_ids=[family_id])
    children = _child_lines(connection, scope, people, today)
    visits = _visit_lines(
        connection, scope, user_id, tpk_visit_rows(connection, family_ids=[family_id])
    )
    end_read(connection)
    may_write = scope.role in WRITERS
    return FamilyPage(summary, family.facts, children, people.pregnancies, visits, may_write)
