"""The Audit Kasus Stunting for a user (docs/aks.md): the audits, their teams, the cases
proposed from the registers and confirmed by the Tim Teknis, the recommendations, the
RTL items and their evaluation next semester, and the report's figures.

Who may do what (applied here, once):

- admin: every audit, everything on it;
- a member of an audit (an account linked to a member row, usually of the role
  ``auditor``): sees that audit with its cases' identities; the Tim Teknis confirms
  cases, the Tim Pakar fills the worksheets (:mod:`tumbuh.usecases.aks_kka`), the Tim
  Koordinasi writes recommendations, RTL items, evaluations and the dissemination;
- everyone else: "not found" (:class:`OutOfScope`). Roles that never see names
  (analyst, partner, kitchen, sponsor) get no audit page even when linked: they see the
  audit's figures in the semester report (:func:`audit_figures`), which name no one.

Every change is audited; a refused value is a list of
:class:`~tumbuh.growth.aks.AksError` and nothing is written.
"""

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from tumbuh.db import aks as store
from tumbuh.db.actions import ActionRow, action_rows, insert_action, update_action
from tumbuh.db.aks import AuditRow, CaseRow, MemberRow
from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.evidence import evidence_counts
from tumbuh.db.institutions import institution_choices
from tumbuh.db.models import RegionLevel
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_tpps import EvidenceSubject
from tumbuh.db.regions import regions
from tumbuh.db.users import list_users
from tumbuh.growth.aks import (
    NOT_A_SEMESTER,
    REQUIRED,
    AksError,
    Cause,
    ExpertRole,
    TargetGroup,
    Team,
    cause_counts,
    causes_of,
)
from tumbuh.growth.periods import Period, PeriodKind, parse_period
from tumbuh.growth.tpps import ActionKind, ActionStatus, is_overdue
from tumbuh.reports.tpps_data import AuditFigures
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, UserInfo
from tumbuh.usecases.actions import action_lines
from tumbuh.usecases.aks_candidates import CandidateLine, candidate_lines
from tumbuh.usecases.transactions import writing

__all__ = [
    "AuditList",
    "AuditView",
    "Membership",
    "NotAllowed",
    "OutOfScope",
    "RtlLine",
    "account_choices",
    "add_member",
    "add_recommendation",
    "add_rtl",
    "audit_figures",
    "audit_list",
    "audit_view",
    "city_kelurahan",
    "confirm_case",
    "create_audit",
    "evaluate_rtl",
    "membership",
    "save_dissemination",
]

AUDIT_ENTITY = "aks_audit"
MEMBER_ENTITY = "aks_member"
CASE_ENTITY = "aks_case"
RECOMMENDATION_ENTITY = "aks_recommendation"
RTL_ENTITY = "action_item"
# Roles that never see a child's, a mother's or a catin's name (docs/security.md)
NO_NAMES = frozenset({Role.ANALYST, Role.PARTNER, Role.KITCHEN, Role.SPONSOR})

User = UserInfo | Actor


@dataclass(frozen=True)
class Membership:
    """What the user is on one audit: an administrator, or a member of some teams."""

    admin: bool
    teams: frozenset[Team]

    def may(self, team: Team) -> bool:
        """True when the user works as ``team`` on the audit (administrators always)."""
        return self.admin or team in self.teams

    @property
    def may_select(self) -> bool:
        """Confirms the proposed cases (Tim Teknis)."""
        return self.may(Team.TECHNICAL)

    @property
    def may_review(self) -> bool:
        """Fills the worksheets (Tim Pakar)."""
        return self.may(Team.EXPERT)

    @property
    def may_manage(self) -> bool:
        """Recommendations, RTL items, evaluation, dissemination (Tim Koordinasi)."""
        return self.may(Team.COORDINATION)


def user_id_of(user: User) -> int | None:
    return user.id if isinstance(user, UserInfo) else user.user_id


def membership(connection: Connection, scope: Scope, user: User, audit_id: int) -> Membership:
    """The user's place on the audit; OutOfScope when they have none (or the audit does
    not exist, or their role never sees names)."""
    if store.audit_row(connection, audit_id) is None:
        raise OutOfScope
    if scope.may_administer:
        return Membership(True, frozenset())
    user_id = user_id_of(user)
    if scope.role in NO_NAMES or user_id is None:
        raise OutOfScope
    teams = store.teams_of_user(connection, user_id).get(audit_id)
    if not teams:
        raise OutOfScope
    return Membership(False, teams)


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed


# --- the list and a new audit ------------------------------------------------------------


@dataclass(frozen=True)
class AuditSummary:
    """An audit as the list shows it."""

    id: int
    semester: str
    started_on: date
    disseminated_on: date | None
    locus: list[str]
    cases: int


@dataclass(frozen=True)
class AuditList:
    """The audits a user sees, and whether they may start one."""

    audits: list[AuditSummary]
    may_create: bool


def audit_list(connection: Connection, scope: Scope, user: User) -> AuditList:
    """The audits of the user: all for an administrator, else those they are a member
    of; OutOfScope for a role that never sees names."""
    if scope.may_administer:
        rows = store.audit_rows(connection)
    else:
        user_id = user_id_of(user)
        if scope.role in NO_NAMES or user_id is None:
            raise OutOfScope
        rows = store.audit_rows(connection, store.teams_of_user(connection, user_id))
    summaries = [
        AuditSummary(
            a.id,
            a.semester,
            a.started_on,
            a.disseminated_on,
            [name for _, name in store.locus_of(connection, a.id)],
            len(store.case_rows(connection, a.id)),
        )
        for a in rows
    ]
    return AuditList(summaries, scope.may_administer)


@dataclass(frozen=True)
class AuditInput:
    """A new audit as its form gives it (the semester as typed, e.g. ``2024-S2``)."""

    semester: str
    started_on: date | None
    locus: tuple[str, ...]  # kelurahan codes


SEMESTER_TAKEN = "{field}: the semester {value} has an audit already"
UNKNOWN_KELURAHAN = "{field}: '{value}' is not one of {accepted}"


def _semester(typed: str, errors: list[AksError]) -> Period | None:
    period = parse_period(typed)
    if period is None or period.kind is not PeriodKind.SEMESTER:
        errors.append(AksError(NOT_A_SEMESTER, "semester", (("value", typed[:20]),)))
        return None
    return period


def _audit_errors(
    connection: Connection, audit: AuditInput, city_kelurahan: dict[str, str]
) -> tuple[Period | None, list[AksError]]:
    errors: list[AksError] = []
    period = _semester(audit.semester, errors)
    if period is not None and store.audit_of_semester(connection, period.label) is not None:
        errors.append(AksError(SEMESTER_TAKEN, "semester", (("value", period.label),)))
    if audit.started_on is None:
        errors.append(AksError(REQUIRED, "started_on"))
    if not audit.locus:
        errors.append(AksError(REQUIRED, "locus"))
    for code in audit.locus:
        if code not in city_kelurahan:
            accepted = ", ".join(sorted(city_kelurahan.values()))
            values = (("value", code[:20]), ("accepted", accepted))
            errors.append(AksError(UNKNOWN_KELURAHAN, "locus", values))
    return period, errors


@dataclass(frozen=True)
class AuditSaved:
    """What starting an audit did: its id, or why it was refused."""

    audit_id: int | None
    errors: list[AksError]


def create_audit(
    connection: Connection,
    scope: Scope,
    user: User,
    audit: AuditInput,
    city_kelurahan: dict[str, str],
) -> AuditSaved:
    """Start a semester's audit with its locus (administrators; audited) and commit.
    ``city_kelurahan``: the city's kelurahan (code -> name) the locus is chosen from."""
    _require(scope.may_administer)
    with writing(connection):
        period, errors = _audit_errors(connection, audit, city_kelurahan)
        if errors or period is None or audit.started_on is None:
            return AuditSaved(None, errors)
        now = datetime.now(UTC)
        values = {"semester": period.label, "started_on": audit.started_on}
        audit_id = store.insert_audit(connection, {**values, "created_at": now, "updated_at": now})
        store.set_locus(connection, audit_id, audit.locus)
        after = {**values, "locus": sorted(audit.locus)}
        write_audit(
            connection, user, AuditAction.CREATE, AUDIT_ENTITY, audit_id, before=None, after=after
        )
    return AuditSaved(audit_id, [])


# --- one audit's page --------------------------------------------------------------------


@dataclass(frozen=True)
class RtlLine:
    """An RTL item with its evidence count, its recommendation and whether it is late."""

    action: ActionRow
    recommendation_id: int | None
    evidence_files: int
    overdue: bool


@dataclass(frozen=True)
class AuditView:
    """One audit as its page shows it, and what the user may do there."""

    audit: AuditRow
    period: Period
    locus: list[tuple[str, str]]
    members: list[MemberRow]
    membership: Membership
    candidates: list[CandidateLine]  # proposed, not yet confirmed (Tim Teknis only)
    cases: list[CaseRow]
    recommendations: list[tuple[int, str]]
    rtl: list[RtlLine]
    previous: AuditRow | None  # the previous semester's audit
    previous_rtl: list[RtlLine]
    institutions: list[tuple[int, str]]

    @property
    def causes(self) -> dict[int, tuple[Cause, ...]]:
        """Each case's causes by case id."""
        return {c.id: causes_of(c.causes) for c in self.cases}


def _rtl_lines(connection: Connection, audit_id: int, today: date) -> list[RtlLine]:
    links = store.rtl_links(connection, audit_id)
    if not links:
        return []
    rows = action_rows(connection, kind=ActionKind.RTL, ids=links)
    files = evidence_counts(connection, EvidenceSubject.RTL_ITEM, links)
    return [
        RtlLine(r, links[r.id], files.get(r.id, 0), is_overdue(r.status, r.due_on, today))
        for r in rows
    ]


def audit_view(
    connection: Connection, scope: Scope, user: User, audit_id: int, today: date
) -> AuditView:
    """The audit if the user is on it (or an administrator); else OutOfScope."""
    member = membership(connection, scope, user, audit_id)
    audit = store.audit_row(connection, audit_id)
    if audit is None:  # pragma: no cover - membership checked it
        raise OutOfScope
    period = store.audit_period(audit)
    locus = store.locus_of(connection, audit_id)
    cases = store.case_rows(connection, audit_id)
    candidates = candidate_lines(connection, period, locus, cases) if member.may_select else []
    previous = store.audit_of_semester(connection, period.previous().label)
    return AuditView(
        audit,
        period,
        locus,
        store.member_rows(connection, audit_id),
        member,
        candidates,
        cases,
        store.recommendation_rows(connection, audit_id),
        _rtl_lines(connection, audit_id, today),
        previous,
        [] if previous is None else _rtl_lines(connection, previous.id, today),
        institution_choices(connection) if member.may_manage else [],
    )


# --- the team ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInput:
    """A team member as the form gives them."""

    team: Team
    role: ExpertRole
    name: str
    institution_id: int | None
    user_id: int | None


def add_member(
    connection: Connection, scope: Scope, user: User, audit_id: int, member: MemberInput
) -> int:
    """Add a member to the audit's team (administrators; audited) and commit; their id."""
    _require(scope.may_administer)
    with writing(connection):
        if store.audit_row(connection, audit_id, lock=True) is None:
            raise OutOfScope
        values = {"audit_id": audit_id, **asdict(member)}
        member_id = store.insert_member(connection, values)
        write_audit(
            connection,
            user,
            AuditAction.CREATE,
            MEMBER_ENTITY,
            member_id,
            before=None,
            after=values,
        )
    return member_id


# --- cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """The candidate the Tim Teknis picks: its group and subject."""

    group: TargetGroup
    child_id: int | None
    pregnancy_id: int | None
    catin_id: int | None

    @property
    def key(self) -> tuple[TargetGroup, int | None, int | None, int | None]:
        """As :attr:`tumbuh.growth.aks.Candidate.key`."""
        return (self.group, self.child_id, self.pregnancy_id, self.catin_id)


def confirm_case(
    connection: Connection, scope: Scope, user: User, audit_id: int, pick: Pick, today: date
) -> int:
    """Make a proposed candidate a case of the audit (Tim Teknis or administrators;
    audited) and commit; its id. Only a record the registers propose now, and not yet a
    case, can be picked (anything else is "not found")."""
    with writing(connection):
        member = membership(connection, scope, user, audit_id)
        _require(member.may_select)
        audit = store.audit_row(connection, audit_id, lock=True)
        if audit is None:  # pragma: no cover - membership checked it
            raise OutOfScope
        locus = store.locus_of(connection, audit_id)
        cases = store.case_rows(connection, audit_id)
        found = {
            c.candidate.key: c
            for c in candidate_lines(connection, store.audit_period(audit), locus, cases)
        }
        line = found.get(pick.key)
        if line is None:
            raise OutOfScope
        values = {
            "audit_id": audit_id,
            "number": store.next_case_number(connection, audit_id),
            "target_group": pick.group,
            "child_id": pick.child_id,
            "pregnancy_id": pick.pregnancy_id,
            "catin_id": pick.catin_id,
            "kelurahan_code": line.kelurahan_code,
            "reasons": " ".join(r.value for r in line.candidate.reasons),
            "confirmed_by": user_id_of(user),
            "confirmed_on": today,
        }
        case_id = store.insert_case(connection, {**values, "updated_at": datetime.now(UTC)})
        write_audit(
            connection, user, AuditAction.CREATE, CASE_ENTITY, case_id, before=None, after=values
        )
    return case_id


# --- recommendations, RTL, evaluation, dissemination -------------------------------------


def _managed(connection: Connection, scope: Scope, user: User, audit_id: int) -> AuditRow:
    member = membership(connection, scope, user, audit_id)
    _require(member.may_manage)
    audit = store.audit_row(connection, audit_id, lock=True)
    if audit is None:  # pragma: no cover - membership checked it
        raise OutOfScope
    return audit


def add_recommendation(
    connection: Connection, scope: Scope, user: User, audit_id: int, text: str
) -> int:
    """Add a recommendation for the system (Tim Koordinasi or administrators; audited)
    and commit; its id."""
    with writing(connection):
        _managed(connection, scope, user, audit_id)
        rec_id = store.insert_recommendation(connection, audit_id, text, datetime.now(UTC))
        after = {"audit_id": audit_id, "text": text}
        write_audit(
            connection,
            user,
            AuditAction.CREATE,
            RECOMMENDATION_ENTITY,
            rec_id,
            before=None,
            after=after,
        )
    return rec_id


@dataclass(frozen=True)
class RtlInput:
    """An RTL item as the form gives it."""

    recommendation_id: int | None
    action: str
    institution_id: int
    kelurahan_code: str | None
    due_on: date | None


def add_rtl(
    connection: Connection, scope: Scope, user: User, audit_id: int, item: RtlInput, today: date
) -> int:
    """Add an RTL item (an action of kind ``rtl``) from the audit's recommendation (Tim
    Koordinasi or administrators; audited) and commit; its id. The recommendation, the
    institution and the kelurahan must be the audit's and the city's (else not found)."""
    with writing(connection):
        audit = _managed(connection, scope, user, audit_id)
        recommendations = dict(store.recommendation_rows(connection, audit_id))
        institutions = dict(institution_choices(connection))
        locus = dict(store.locus_of(connection, audit_id))
        if (
            (item.recommendation_id is not None and item.recommendation_id not in recommendations)
            or item.institution_id not in institutions
            or (item.kelurahan_code is not None and item.kelurahan_code not in locus)
        ):
            raise OutOfScope
        now = datetime.now(UTC)
        values: dict[str, object] = {
            "kind": ActionKind.RTL,
            "action": item.action,
            "institution_id": item.institution_id,
            "kelurahan_code": item.kelurahan_code,
            "agreed_on": audit.disseminated_on or today,
            "due_on": item.due_on,
            "status": ActionStatus.PLANNED,
        }
        user_id = user_id_of(user)
        action_id = insert_action(
            connection, {**values, "created_by": user_id, "created_at": now, "updated_at": now}
        )
        store.link_rtl(connection, action_id, audit_id, item.recommendation_id)
        after = {**values, "audit_id": audit_id, "recommendation_id": item.recommendation_id}
        write_audit(
            connection, user, AuditAction.CREATE, RTL_ENTITY, action_id, before=None, after=after
        )
    return action_id


def evaluate_rtl(
    connection: Connection,
    scope: Scope,
    user: User,
    audit_id: int,
    action_id: int,
    evaluation: str,
    today: date,
) -> None:
    """Write the evaluation of an RTL item of the previous semester's audit on this
    audit's page (Tim Koordinasi or administrators; audited) and commit."""
    with writing(connection):
        audit = _managed(connection, scope, user, audit_id)
        previous = store.audit_of_semester(connection, store.audit_period(audit).previous().label)
        if previous is None or action_id not in store.rtl_links(connection, previous.id):
            raise OutOfScope
        before = action_rows(connection, ids=[action_id])[0]
        values = {"evaluation": evaluation, "evaluated_on": today}
        update_action(connection, action_id, {**values, "updated_at": datetime.now(UTC)})
        old = {"evaluation": before.evaluation, "evaluated_on": before.evaluated_on}
        write_audit(
            connection, user, AuditAction.UPDATE, RTL_ENTITY, action_id, before=old, after=values
        )


@dataclass(frozen=True)
class Dissemination:
    """The dissemination meeting of an audit."""

    held_on: date | None
    place: str | None
    note: str | None


def save_dissemination(
    connection: Connection, scope: Scope, user: User, audit_id: int, meeting: Dissemination
) -> None:
    """Record the dissemination meeting (Tim Koordinasi or administrators; audited when
    anything changed) and commit."""
    with writing(connection):
        audit = _managed(connection, scope, user, audit_id)
        before = {
            "disseminated_on": audit.disseminated_on,
            "dissemination_place": audit.dissemination_place,
            "dissemination_note": audit.dissemination_note,
        }
        after = {
            "disseminated_on": meeting.held_on,
            "dissemination_place": meeting.place,
            "dissemination_note": meeting.note,
        }
        if after == before:
            return
        store.update_audit(connection, audit_id, {**after, "updated_at": datetime.now(UTC)})
        write_audit(
            connection, user, AuditAction.UPDATE, AUDIT_ENTITY, audit_id, before=before, after=after
        )


# --- the report's figures ----------------------------------------------------------------


def audit_figures(
    connection: Connection,
    semester: Period,
    cut_off: date,
    kelurahan: frozenset[str] | None = None,
) -> AuditFigures | None:
    """The semester's audit without identities, for the semester report: cases per group
    (every group), causes, the system's recommendations, its RTL items and the previous
    audit's (overdue as of ``cut_off``); None when the semester has no audit. With
    ``kelurahan`` (a kecamatan's report) only the locus and cases there, and None when
    the audit worked elsewhere.

    No scope: it names no child, mother or catin (the report's readers see figures)."""
    audit = store.audit_of_semester(connection, semester.label)
    if audit is None:
        return None
    locus = [
        name
        for code, name in store.locus_of(connection, audit.id)
        if kelurahan is None or code in kelurahan
    ]
    if not locus:
        return None
    cases = [
        c
        for c in store.case_rows(connection, audit.id)
        if kelurahan is None or c.kelurahan_code in kelurahan
    ]
    experts = tuple(
        (m.name, m.role) for m in store.member_rows(connection, audit.id) if m.team is Team.EXPERT
    )
    previous = store.audit_of_semester(connection, semester.previous().label)
    return AuditFigures(
        semester=semester,
        locus=tuple(locus),
        experts=experts,
        cases=tuple((g, sum(1 for c in cases if c.target_group is g)) for g in TargetGroup),
        reviewed=sum(1 for c in cases if c.reviewed_on is not None),
        causes=cause_counts([causes_of(c.causes) for c in cases]),
        recommendations=tuple(t for _, t in store.recommendation_rows(connection, audit.id)),
        rtl=action_lines(connection, store.rtl_links(connection, audit.id), cut_off),
        disseminated_on=audit.disseminated_on,
        previous_rtl=()
        if previous is None
        else action_lines(connection, store.rtl_links(connection, previous.id), cut_off),
    )


# --- choices for the administrator's forms ------------------------------------------------


def city_kelurahan(connection: Connection, scope: Scope, city_code: str) -> dict[str, str]:
    """The city's kelurahan (code -> name, by name) a locus is chosen from
    (administrators only)."""
    _require(scope.may_administer)
    found = regions(connection, RegionLevel.KELURAHAN, within=city_code)
    return dict(sorted(((r.code, r.display_name) for r in found), key=lambda p: p[1].lower()))


def account_choices(connection: Connection, scope: Scope) -> list[tuple[int, str]]:
    """The active accounts (id, "name (username)") a member can be linked to
    (administrators only); roles that never see names are left out."""
    _require(scope.may_administer)
    return [
        (u.id, f"{u.full_name} ({u.username})")
        for u in list_users(connection)
        if u.is_active and u.role not in NO_NAMES
    ]
