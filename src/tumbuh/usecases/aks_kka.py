"""One case's worksheet (KKA) of the Audit Kasus Stunting (docs/aks.md, "The
worksheet"): the subject's identity, nutritional status and history pulled from Tumbuh's
own records when the page is opened (a child's growth, referrals and PMT; a pregnancy's
visits, LiLA and Hb; the family's KRS facts; a catin's screening), and the Tim Pakar's
findings, which only its members (or an administrator) write, audited before and after.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from tumbuh.db import aks as store
from tumbuh.db import aks_sources as sources
from tumbuh.db.aks import AuditRow, CaseRow
from tumbuh.db.aks_sources import (
    CatinIdentity,
    ChildIdentity,
    Feeding,
    Growth,
    PregnancyIdentity,
    Referral,
    Visit,
)
from tumbuh.db.audit import write_audit
from tumbuh.db.models_access import AuditAction
from tumbuh.growth.aks import Cause, Reason, audit_day, causes_of, causes_text, reasons_of
from tumbuh.usecases.access import NotAllowed, OutOfScope, Scope
from tumbuh.usecases.aks import CASE_ENTITY, Membership, User, membership, user_id_of
from tumbuh.usecases.transactions import writing

__all__ = ["KkaInput", "KkaView", "kka_view", "save_kka"]


@dataclass(frozen=True)
class KkaView:
    """A case's worksheet: the records as of the semester's last day and the findings."""

    audit: AuditRow
    case: CaseRow
    membership: Membership
    reasons: tuple[Reason, ...]
    causes: tuple[Cause, ...]
    as_of: date
    child: ChildIdentity | None = None
    growth: list[Growth] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    feedings: list[Feeding] = field(default_factory=list)
    pregnancy: PregnancyIdentity | None = None
    visits: list[Visit] = field(default_factory=list)
    catin: CatinIdentity | None = None
    krs: dict[str, bool | None] = field(default_factory=dict)


def _case(
    connection: Connection, scope: Scope, user: User, audit_id: int, case_id: int
) -> tuple[Membership, AuditRow, CaseRow]:
    member = membership(connection, scope, user, audit_id)
    audit = store.audit_row(connection, audit_id)
    case = store.case_row(connection, case_id)
    if audit is None or case is None or case.audit_id != audit_id:
        raise OutOfScope
    return member, audit, case


def _child_part(connection: Connection, child_id: int, as_of: date) -> dict[str, object]:
    identity = sources.child_identity(connection, child_id)
    return {
        "child": identity,
        "growth": sources.growth_history(connection, child_id, as_of),
        "referrals": sources.referrals(connection, child_id),
        "feedings": sources.feedings(connection, child_id=child_id),
        "krs": sources.family_krs(connection, None if identity is None else identity.family_id),
    }


def _pregnancy_part(connection: Connection, pregnancy_id: int) -> dict[str, object]:
    identity = sources.pregnancy_identity(connection, pregnancy_id)
    return {
        "pregnancy": identity,
        "visits": sources.anc_visits(connection, pregnancy_id),
        "feedings": sources.feedings(connection, pregnancy_id=pregnancy_id),
        "krs": sources.family_krs(connection, None if identity is None else identity.family_id),
    }


def kka_view(
    connection: Connection, scope: Scope, user: User, audit_id: int, case_id: int
) -> KkaView:
    """The case's worksheet for a member of its audit (or an administrator); else
    OutOfScope. The records are read now, up to the semester's last day."""
    member, audit, case = _case(connection, scope, user, audit_id, case_id)
    period = store.audit_period(audit)
    as_of = audit_day(period)
    parts: dict[str, object] = {}
    if case.pregnancy_id is not None:
        parts |= _pregnancy_part(connection, case.pregnancy_id)
    if case.child_id is not None:
        child = _child_part(connection, case.child_id, as_of)
        if case.pregnancy_id is not None:
            child.pop("krs")
        parts |= child
    if case.catin_id is not None:
        parts["catin"] = sources.catin_identity(connection, case.catin_id)
    return KkaView(
        audit,
        case,
        member,
        reasons_of(case.reasons),
        causes_of(case.causes),
        as_of,
        **parts,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class KkaInput:
    """The Tim Pakar's findings as the form gives them (checked by the adapter with
    :mod:`tumbuh.growth.aks`'s helpers)."""

    risk_factors: str | None
    services: str | None
    causes: tuple[Cause, ...]
    analysis: str | None
    should_have: str | None
    recommendation: str | None


def _findings(case: CaseRow) -> dict[str, object]:
    return {
        "risk_factors": case.risk_factors,
        "services": case.services,
        "causes": case.causes,
        "analysis": case.analysis,
        "should_have": case.should_have,
        "recommendation": case.recommendation,
    }


def save_kka(
    connection: Connection,
    scope: Scope,
    user: User,
    audit_id: int,
    case_id: int,
    kka: KkaInput,
    today: date,
) -> None:
    """Store the worksheet's findings (Tim Pakar or administrators; audited before and
    after when anything changed) and commit. A worksheet with causes and an analysis is
    reviewed (dated today)."""
    with writing(connection):
        member, _audit, _ = _case(connection, scope, user, audit_id, case_id)
        if not member.may_review:
            raise NotAllowed
        case = store.case_row(connection, case_id, lock=True)
        if case is None:  # pragma: no cover - checked above
            raise OutOfScope
        before = _findings(case)
        after: dict[str, object] = {
            "risk_factors": kka.risk_factors,
            "services": kka.services,
            "causes": causes_text(kka.causes) or None,
            "analysis": kka.analysis,
            "should_have": kka.should_have,
            "recommendation": kka.recommendation,
        }
        if after == before:
            return
        reviewed = bool(kka.causes) and kka.analysis is not None
        stamp = {"reviewed_by": user_id_of(user), "reviewed_on": today} if reviewed else {}
        store.update_case(connection, case_id, {**after, **stamp, "updated_at": datetime.now(UTC)})
        write_audit(
            connection, user, AuditAction.UPDATE, CASE_ENTITY, case_id, before=before, after=after
        )
