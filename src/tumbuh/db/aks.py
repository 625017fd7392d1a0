"""The Audit Kasus Stunting's records as rows: audits, locus, team members, cases with
their KKA, recommendations and the RTL items' link to the audit (docs/aks.md).

Queries take explicit filters (ids, a user's id) and know nothing of roles: the use case
(:mod:`tumbuh.usecases.aks`) decides who sees and changes what.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, select, update

from tumbuh.db.models import Child, Mother, Pregnancy, Region, table_of
from tumbuh.db.models_aks import (
    AksAudit,
    AksCase,
    AksLocus,
    AksMember,
    AksRecommendation,
    AksRtl,
)
from tumbuh.db.models_maternal import Catin
from tumbuh.db.models_tpps import Institution
from tumbuh.db.rows import lock_row
from tumbuh.growth.aks import ExpertRole, TargetGroup, Team
from tumbuh.growth.periods import Period, parse_period


@dataclass(frozen=True)
class AuditRow:
    """One semester's audit."""

    id: int
    semester: str  # 2024-S2
    started_on: date
    disseminated_on: date | None
    dissemination_place: str | None
    dissemination_note: str | None


@dataclass(frozen=True)
class MemberRow:
    """A member of an audit's team, with their institution's name."""

    id: int
    audit_id: int
    team: Team
    role: ExpertRole
    name: str
    institution_id: int | None
    institution_name: str | None
    user_id: int | None


@dataclass(frozen=True)
class CaseRow:
    """A case of an audit with its KKA and the subject's name (a child, a mother or a
    catin: personal data, for the audit team only)."""

    id: int
    audit_id: int
    number: int
    target_group: TargetGroup
    child_id: int | None
    pregnancy_id: int | None
    catin_id: int | None
    subject_name: str
    kelurahan_code: str | None
    kelurahan_name: str | None
    reasons: str
    confirmed_by: int | None
    confirmed_on: date
    risk_factors: str | None
    services: str | None
    causes: str | None
    analysis: str | None
    should_have: str | None
    recommendation: str | None
    reviewed_by: int | None
    reviewed_on: date | None


def _audit(r: Any) -> AuditRow:
    return AuditRow(
        int(r.id),
        r.semester,
        r.started_on,
        r.disseminated_on,
        r.dissemination_place,
        r.dissemination_note,
    )


def insert_audit(connection: Connection, values: Mapping[str, object]) -> int:
    """Add an audit; its id."""
    table = table_of(AksAudit)
    return int(
        connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    )


def update_audit(connection: Connection, audit_id: int, values: Mapping[str, object]) -> None:
    """Change the given columns of an audit."""
    table = table_of(AksAudit)
    connection.execute(update(table).where(table.c.id == audit_id).values(**values))


def audit_row(connection: Connection, audit_id: int, *, lock: bool = False) -> AuditRow | None:
    """One audit (locked for the caller's write when ``lock``), or None."""
    if lock:
        lock_row(connection, AksAudit, audit_id)
    table = table_of(AksAudit)
    found = connection.execute(select(table).where(table.c.id == audit_id)).first()
    return None if found is None else _audit(found)


def audit_rows(connection: Connection, ids: Iterable[int] | None = None) -> list[AuditRow]:
    """Audits (those of ``ids`` when given), latest semester first."""
    table = table_of(AksAudit)
    query = select(table).order_by(table.c.semester.desc())
    if ids is not None:
        query = query.where(table.c.id.in_(sorted(set(ids))))
    return [_audit(r) for r in connection.execute(query)]


def audit_of_semester(connection: Connection, semester: str) -> AuditRow | None:
    """The audit of a semester (``2024-S2``), or None."""
    table = table_of(AksAudit)
    found = connection.execute(select(table).where(table.c.semester == semester)).first()
    return None if found is None else _audit(found)


def set_locus(connection: Connection, audit_id: int, codes: Iterable[str]) -> None:
    """The audit's locus kelurahan become ``codes``."""
    table = table_of(AksLocus)
    connection.execute(delete(table).where(table.c.audit_id == audit_id))
    rows = [{"audit_id": audit_id, "kelurahan_code": c} for c in sorted(set(codes))]
    if rows:
        connection.execute(insert(table), rows)


def locus_of(connection: Connection, audit_id: int) -> list[tuple[str, str]]:
    """The audit's locus kelurahan (code, name), by name."""
    locus, r = table_of(AksLocus), table_of(Region)
    name = func.coalesce(r.c.local_name, r.c.name)
    rows = connection.execute(
        select(locus.c.kelurahan_code, name)
        .join(r, r.c.code == locus.c.kelurahan_code)
        .where(locus.c.audit_id == audit_id)
        .order_by(name)
    )
    return [(str(code), str(label)) for code, label in rows]


def insert_member(connection: Connection, values: Mapping[str, object]) -> int:
    """Add a team member; their id."""
    table = table_of(AksMember)
    return int(
        connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    )


def delete_member(connection: Connection, member_id: int) -> None:
    """Remove a team member."""
    table = table_of(AksMember)
    connection.execute(delete(table).where(table.c.id == member_id))


def member_rows(connection: Connection, audit_id: int) -> list[MemberRow]:
    """The audit's members, by team then id."""
    m, i = table_of(AksMember), table_of(Institution)
    rows = connection.execute(
        select(m, i.c.name.label("institution_name"))
        .outerjoin(i, i.c.id == m.c.institution_id)
        .where(m.c.audit_id == audit_id)
        .order_by(m.c.team, m.c.id)
    )
    return [
        MemberRow(
            int(r.id),
            int(r.audit_id),
            Team(r.team),
            ExpertRole(r.role),
            r.name,
            r.institution_id,
            r.institution_name,
            r.user_id,
        )
        for r in rows
    ]


def teams_of_user(connection: Connection, user_id: int) -> dict[int, frozenset[Team]]:
    """The audits a user's account is linked to, with the teams they are on."""
    m = table_of(AksMember)
    found: dict[int, set[Team]] = {}
    for audit_id, team in connection.execute(
        select(m.c.audit_id, m.c.team).where(m.c.user_id == user_id)
    ):
        found.setdefault(int(audit_id), set()).add(Team(team))
    return {k: frozenset(v) for k, v in found.items()}


def link_members_named(connection: Connection, name: str, user_id: int) -> int:
    """Link the members called ``name`` who have no account yet to ``user_id`` (the demo's
    accounts); how many."""
    m = table_of(AksMember)
    result = connection.execute(
        update(m).where(m.c.name == name, m.c.user_id.is_(None)).values(user_id=user_id)
    )
    return int(result.rowcount or 0)


def _case_query() -> Select[Any]:
    c, r = table_of(AksCase), table_of(Region)
    ch, p, mo, k = table_of(Child), table_of(Pregnancy), table_of(Mother), table_of(Catin)
    return (
        select(
            c,
            func.coalesce(mo.c.name, k.c.name, ch.c.name).label("subject_name"),
            func.coalesce(r.c.local_name, r.c.name).label("kelurahan_name"),
        )
        .outerjoin(ch, ch.c.id == c.c.child_id)
        .outerjoin(p, p.c.id == c.c.pregnancy_id)
        .outerjoin(mo, mo.c.id == p.c.mother_id)
        .outerjoin(k, k.c.id == c.c.catin_id)
        .outerjoin(r, r.c.code == c.c.kelurahan_code)
    )


def _case(r: Any) -> CaseRow:
    return CaseRow(
        id=int(r.id),
        audit_id=int(r.audit_id),
        number=int(r.number),
        target_group=TargetGroup(r.target_group),
        child_id=r.child_id,
        pregnancy_id=r.pregnancy_id,
        catin_id=r.catin_id,
        subject_name=r.subject_name or "",
        kelurahan_code=r.kelurahan_code,
        kelurahan_name=r.kelurahan_name,
        reasons=r.reasons,
        confirmed_by=r.confirmed_by,
        confirmed_on=r.confirmed_on,
        risk_factors=r.risk_factors,
        services=r.services,
        causes=r.causes,
        analysis=r.analysis,
        should_have=r.should_have,
        recommendation=r.recommendation,
        reviewed_by=r.reviewed_by,
        reviewed_on=r.reviewed_on,
    )


def case_rows(connection: Connection, audit_id: int) -> list[CaseRow]:
    """The audit's cases by number."""
    c = table_of(AksCase)
    query = _case_query().where(c.c.audit_id == audit_id).order_by(c.c.number)
    return [_case(r) for r in connection.execute(query)]


def case_row(connection: Connection, case_id: int, *, lock: bool = False) -> CaseRow | None:
    """One case (locked for the caller's write when ``lock``), or None."""
    if lock:
        lock_row(connection, AksCase, case_id)
    found = connection.execute(_case_query().where(table_of(AksCase).c.id == case_id)).first()
    return None if found is None else _case(found)


def next_case_number(connection: Connection, audit_id: int) -> int:
    """The number the audit's next case gets."""
    c = table_of(AksCase)
    found = connection.execute(
        select(func.max(c.c.number)).where(c.c.audit_id == audit_id)
    ).scalar()
    return int(found or 0) + 1


def insert_case(connection: Connection, values: Mapping[str, object]) -> int:
    """Add a case; its id."""
    table = table_of(AksCase)
    return int(
        connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    )


def update_case(connection: Connection, case_id: int, values: Mapping[str, object]) -> None:
    """Change the given columns of a case."""
    table = table_of(AksCase)
    connection.execute(update(table).where(table.c.id == case_id).values(**values))


def insert_recommendation(connection: Connection, audit_id: int, text: str, at: datetime) -> int:
    """Add a recommendation for the system; its id."""
    table = table_of(AksRecommendation)
    return int(
        connection.execute(
            insert(table).values(audit_id=audit_id, text=text, created_at=at).returning(table.c.id)
        ).scalar_one()
    )


def recommendation_rows(connection: Connection, audit_id: int) -> list[tuple[int, str]]:
    """The audit's recommendations for the system (id, text), in the order written."""
    table = table_of(AksRecommendation)
    rows = connection.execute(
        select(table.c.id, table.c.text).where(table.c.audit_id == audit_id).order_by(table.c.id)
    )
    return [(int(i), str(t)) for i, t in rows]


def link_rtl(
    connection: Connection, action_id: int, audit_id: int, recommendation_id: int | None
) -> None:
    """Record that an RTL item comes from the audit (and its recommendation)."""
    connection.execute(
        insert(table_of(AksRtl)).values(
            action_id=action_id, audit_id=audit_id, recommendation_id=recommendation_id
        )
    )


def rtl_links(connection: Connection, audit_id: int) -> dict[int, int | None]:
    """The audit's RTL items: action id -> recommendation id (or None)."""
    table = table_of(AksRtl)
    rows = connection.execute(
        select(table.c.action_id, table.c.recommendation_id).where(table.c.audit_id == audit_id)
    )
    return {int(a): (None if r is None else int(r)) for a, r in rows}


def audit_period(audit: AuditRow) -> Period:
    """The semester of a stored audit."""
    period = parse_period(audit.semester)
    if period is None:  # pragma: no cover - stored from a checked semester
        raise ValueError(f"bad semester {audit.semester!r}")
    return period
