"""The TPK at work with the families at risk of stunting (KRS): record a visit (what was
advised or given), change or remove one, and update a family's KRS criteria
(docs/families.md). The reads (the area's list, one family) are
:mod:`.family_views`', re-exported here so the pages and the API call one module.

Each write is one transaction, audited, and checks the scope first: a family outside the
user's area is "not found" (:class:`OutOfScope`); a role that does not record visits is
:class:`NotAllowed`, and so is a TPK changing another member's visit. The KRS rule is
:mod:`tumbuh.growth.krs`'s (docs/domain.md §10, §14).
"""

from datetime import UTC, date, datetime

from sqlalchemy import Connection

from tumbuh.db import families as rows
from tumbuh.db.audit import write_audit
from tumbuh.db.indicators import FamilyFacts
from tumbuh.db.maternal import tpk_visits as visits
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_maternal import TpkAction
from tumbuh.db.users import UserInfo
from tumbuh.usecases.access import NotAllowed, OutOfScope, Scope
from tumbuh.usecases.family_input import FamilyFilter, FieldError, NewCriteria, NewTpkVisit
from tumbuh.usecases.family_views import (
    PER_PAGE,
    FamilyList,
    FamilyPage,
    FamilySummary,
    VisitLine,
    family_list,
    family_page,
    found_family,
    may_change,
    writable,
)
from tumbuh.usecases.transactions import writing

ACTIONS = tuple(TpkAction)  # what a TPK may tick, in the order the form shows them

__all__ = [
    "ACTIONS",
    "PER_PAGE",
    "FamilyFilter",
    "FamilyList",
    "FamilyPage",
    "FamilySummary",
    "VisitLine",
    "delete_visit",
    "edit_visit",
    "family_list",
    "family_page",
    "record_visit",
    "update_criteria",
]


def _audited(visit: visits.TpkVisitData, family_id: int) -> dict[str, object]:
    """What an audit row keeps of a visit: no note and no member's name (free text that
    may name people)."""
    actions = sorted(a.value for a in visit.actions)
    return {"family_id": family_id, "visited_on": visit.visited_on, "actions": actions}


def _data(new: NewTpkVisit, user_id: int | None) -> visits.TpkVisitData:
    return visits.TpkVisitData(new.visited_on, new.actions, new.tpk_member, user_id, new.note)


def record_visit(
    connection: Connection, user: UserInfo, scope: Scope, family_id: int, new: NewTpkVisit
) -> int:
    """Add a TPK visit to a family of the area, recorded by ``user`` (who came: the
    member named, else the user); audited and committed. Returns the visit's id."""
    writable(scope)
    data = _data(new, user.id)
    with writing(connection):
        found_family(connection, scope, family_id)
        visit_id = visits.add_tpk_visit(connection, family_id, data, now=datetime.now(UTC))
        after = _audited(data, family_id)
        write_audit(
            connection, user, AuditAction.CREATE, "tpk_visit", visit_id, before=None, after=after
        )
    return visit_id


def _found_visit(
    connection: Connection, user: UserInfo, scope: Scope, family_id: int, visit_id: int
) -> visits.TpkVisitRow:
    """The visit of the family in the scope that ``user`` may change."""
    found_family(connection, scope, family_id)
    visit = visits.tpk_visit_row(connection, visit_id)
    if visit is None or visit.family_id != family_id:
        raise OutOfScope(visit_id)
    if not may_change(scope, user.id, visit):
        raise NotAllowed("a TPK changes only the visits she recorded")
    return visit


def edit_visit(
    connection: Connection,
    user: UserInfo,
    scope: Scope,
    family_id: int,
    visit_id: int,
    new: NewTpkVisit,
) -> None:
    """Replace a visit's day, member, actions and note (who recorded it stays); audited."""
    writable(scope)
    with writing(connection):
        old = _found_visit(connection, user, scope, family_id, visit_id)
        data = _data(new, old.visit.user_id)
        visits.update_tpk_visit(connection, visit_id, data, now=datetime.now(UTC))
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            "tpk_visit",
            visit_id,
            before=_audited(old.visit, family_id),
            after=_audited(data, family_id),
        )


def delete_visit(
    connection: Connection, user: UserInfo, scope: Scope, family_id: int, visit_id: int
) -> None:
    """Remove a visit (with its actions); audited."""
    writable(scope)
    with writing(connection):
        old = _found_visit(connection, user, scope, family_id, visit_id)
        visits.delete_tpk_visit(connection, visit_id)
        before = _audited(old.visit, family_id)
        write_audit(
            connection, user, AuditAction.DELETE, "tpk_visit", visit_id, before=before, after=None
        )


def update_criteria(
    connection: Connection,
    user: UserInfo,
    scope: Scope,
    family_id: int,
    new: NewCriteria,
    *,
    today: date,
) -> None:
    """Replace a family's six KRS criteria and the day of the assessment; audited."""
    writable(scope)
    if new.assessed_on > today:
        raise FieldError(
            "{field}: {value} is after today; write a day that has come",
            field="krs_assessed_on",
            value=new.assessed_on.isoformat(),
        )
    with writing(connection):
        family = found_family(connection, scope, family_id)
        facts = FamilyFacts(family.facts.kelurahan_code, *(new.values[n] for n in rows.CRITERIA))
        rows.update_family_criteria(connection, family_id, facts, new.assessed_on)
        before = {name: getattr(family.facts, name) for name in rows.CRITERIA}
        before["krs_assessed_on"] = family.krs_assessed_on
        after: dict[str, object] = dict(new.values)
        after["krs_assessed_on"] = new.assessed_on
        write_audit(
            connection, user, AuditAction.UPDATE, "family", family_id, before=before, after=after
        )
