"""Enrolling children in PMT lokal at a kitchen, for a user (docs/pmt.md, "Enrolment").

Each child is judged as the month's eligibility list judges it
(:func:`tumbuh.usecases.pmt_eligibility.judge_children`); its indication gives the planned
days of the rule version in force in the start's year (:func:`tumbuh.growth.pmt.rules_for`),
and the version is stored with the episode, with the open case of the child it feeds
against (issue 13) and the measurement it was found eligible on (the baseline).

An enrolment is all or nothing: when one child of several is refused (by an eligibility
rule without a reason for the exception, an open episode, a start before its
measurement), nothing is written and every refusal is returned, each naming its child
and its rule. A refusal overridden with a reason is stored (``override_reason``) and
audited with the rule it overrides (``refused_by``). The nutritionist enrols the
children of her puskesmas area at its kitchens; the administrator (and the command
line) everywhere; a kader does not enrol (:class:`NotAllowed`).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.models_access import AuditAction
from tumbuh.db.pmt_episodes import (
    EpisodeTaken,
    insert_episode,
    kitchens,
    open_cases_of,
    open_episodes_of,
)
from tumbuh.growth.periods import Period
from tumbuh.growth.pmt import PMT_AGE_MONTHS, Funding, Indication, Refusal, rules_for
from tumbuh.growth.pmt_episodes import (
    CHILD_INDICATIONS,
    NOTE_MAX,
    REFUSAL_PROBLEMS,
    EpisodeError,
    EpisodeProblem,
    linked_case,
    override_indication,
    start_errors,
)
from tumbuh.growth.referrals import DEFAULT_RULES, ReferralRules
from tumbuh.usecases.access import NotAllowed, OutOfScope, Scope, UserInfo
from tumbuh.usecases.pmt_eligibility import Judged, judge_children, may_enrol
from tumbuh.usecases.registry import ChildRecord, find_child
from tumbuh.usecases.transactions import writing

__all__ = ["ENTITY", "Enrolled", "Enrolment", "EpisodeError", "NotAllowed", "OutOfScope", "enrol"]

ENTITY = "pmt_episode"


def actor_id(user: UserInfo | Actor) -> int | None:
    """The user id of the one who makes a change (None: a tool)."""
    return user.id if isinstance(user, UserInfo) else user.user_id


class _Refused(Exception):  # noqa: N818 - rolls an enrolment back, never seen outside
    def __init__(self, errors: list[EpisodeError]) -> None:
        super().__init__("refused")
        self.errors = errors


@dataclass(frozen=True)
class Enrolment:
    """Children to enrol at a kitchen on the data of ``month``. ``indication`` only for a
    child whose refusal is overridden and whose reasons give none; ``override_reason``
    enrols the children a rule refuses."""

    child_ids: tuple[int, ...]
    month: Period
    kitchen_id: int
    started_on: date
    funding: Funding
    indication: Indication | None = None
    override_reason: str | None = None


@dataclass(frozen=True)
class Enrolled:
    """The episodes opened (in the order of the children), or why nothing was."""

    episode_ids: list[int]
    errors: list[EpisodeError]


def kitchen_errors(connection: Connection, scope: Scope, kitchen_id: int) -> list[EpisodeError]:
    """Why the kitchen cannot be chosen (none of the active kitchens of the user's area)."""
    choices = [k for k in kitchens(connection, scope.kelurahan) if k.active]
    if any(k.id == kitchen_id for k in choices):
        return []
    accepted = ", ".join(f"{k.id} ({k.name})" for k in choices) or "-"
    return [EpisodeError(EpisodeProblem.NOT_FOUND, "kitchen_id", str(kitchen_id), accepted)]


def _form_errors(connection: Connection, scope: Scope, enrolment: Enrolment) -> list[EpisodeError]:
    errors = []
    if not enrolment.child_ids:
        errors.append(EpisodeError(EpisodeProblem.NO_CHILD, "child_ids", "", ""))
    errors += kitchen_errors(connection, scope, enrolment.kitchen_id)
    reason = enrolment.override_reason
    if reason is not None and len(reason) > NOTE_MAX:
        errors.append(
            EpisodeError(
                EpisodeProblem.TOO_LONG, "override_reason", str(len(reason)), str(NOTE_MAX)
            )
        )
    if enrolment.indication is not None and enrolment.indication not in CHILD_INDICATIONS:
        accepted = ", ".join(i.value for i in CHILD_INDICATIONS)
        errors.append(
            EpisodeError(
                EpisodeProblem.NOT_A_CHOICE, "indication", enrolment.indication.value, accepted
            )
        )
    return errors


def _refusal(child: ChildRecord, judged: Judged) -> EpisodeError:
    reasons = " ".join(r.value for r in judged.reasons) or "-"
    value, accepted = reasons, ""
    if judged.refusal is Refusal.AGE:
        value, accepted = str(judged.age_months), f"{PMT_AGE_MONTHS[0]}-{PMT_AGE_MONTHS[1] - 1}"
    return EpisodeError(REFUSAL_PROBLEMS[judged.refusal], child.name, value, accepted)


def _indication(
    child: ChildRecord, judged: Judged, enrolment: Enrolment
) -> tuple[Indication | None, list[EpisodeError]]:
    """The child's indication, or why it cannot be enrolled."""
    asked = enrolment.indication
    if judged.indication is not None:
        if asked is not None and asked is not judged.indication:
            problem = EpisodeProblem.INDICATION_DIFFERS
            error = EpisodeError(problem, child.name, asked.value, judged.indication.value)
            return None, [error]
        return judged.indication, []
    if not enrolment.override_reason:
        return None, [_refusal(child, judged)]
    mask = sum(r.bit for r in judged.reasons)
    chosen = asked or override_indication(mask)
    if chosen is None:
        accepted = ", ".join(i.value for i in CHILD_INDICATIONS)
        return None, [EpisodeError(EpisodeProblem.NEEDS_INDICATION, child.name, "", accepted)]
    return chosen, []


def _values(
    connection: Connection,
    child: ChildRecord,
    judged: Judged,
    enrolment: Enrolment,
    today: date,
) -> tuple[dict[str, object] | None, list[EpisodeError]]:
    """The new episode's columns for one child, or why it is refused."""
    opened = open_episodes_of(connection, [child.id]).get(child.id)
    if opened is not None:
        problem, number, since = EpisodeProblem.ALREADY_ENROLLED, opened[0], opened[1]
        return None, [EpisodeError(problem, child.name, str(number), since.isoformat())]
    indication, errors = _indication(child, judged, enrolment)
    baseline_on = judged.baseline.measured_on if judged.baseline else None
    errors += start_errors(enrolment.started_on, baseline_on, today=today)
    if indication is None or errors:
        return None, errors
    rules = rules_for(enrolment.started_on.year)
    links = open_cases_of(connection, [child.id]).get(child.id, [])
    chosen = linked_case([c.problem for c in links], indication)
    overridden = judged.indication is None
    return {
        "child_id": child.id,
        "kitchen_id": enrolment.kitchen_id,
        "indication": indication.value,
        "rules_version": rules.version,
        "started_on": enrolment.started_on,
        "planned_days": rules.planned_days[indication],
        "funding": enrolment.funding.value,
        "case_id": links[chosen].id if chosen >= 0 else None,
        "baseline_measurement_id": judged.baseline.id if judged.baseline else None,
        "override_reason": enrolment.override_reason if overridden else None,
    }, []


def _insert(
    connection: Connection, user: UserInfo | Actor, rows: list[tuple[dict[str, object], Judged]]
) -> list[int]:
    now, user_id = datetime.now(UTC), actor_id(user)
    ids = []
    for values, judged in rows:
        stamped = {**values, "created_at": now, "updated_at": now}
        try:
            episode_id = insert_episode(
                connection, {**stamped, "created_by": user_id, "updated_by": user_id}
            )
        except EpisodeTaken:  # another user enrolled the child meanwhile
            error = EpisodeError(EpisodeProblem.ALREADY_ENROLLED, str(values["child_id"]), "-", "-")
            raise _Refused([error]) from None
        after = dict(values)
        if judged.indication is None:  # an override: the rule it overrides
            after["refused_by"] = judged.refusal.name.lower()
        write_audit(
            connection, user, AuditAction.CREATE, ENTITY, episode_id, before=None, after=after
        )
        ids.append(episode_id)
    return ids


def enrol(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    enrolment: Enrolment,
    *,
    today: date,
    rules: ReferralRules = DEFAULT_RULES,
) -> Enrolled:
    """Enrol the children at the kitchen (one audited episode each) and commit; or return
    every reason to refuse, nothing written. OutOfScope for a child outside the scope,
    NotAllowed for a role that does not enrol."""
    if not scope.may_see_children:
        raise OutOfScope
    if not may_enrol(scope):
        raise NotAllowed
    try:
        with writing(connection):
            errors = _form_errors(connection, scope, enrolment)
            children = [
                find_child(connection, scope, i) for i in dict.fromkeys(enrolment.child_ids)
            ]
            judged = judge_children(connection, enrolment.month, children, rules)
            rows = []
            for child in children:
                values, refused = _values(connection, child, judged[child.id], enrolment, today)
                errors += refused
                if values is not None:
                    rows.append((values, judged[child.id]))
            if errors:
                return Enrolled([], errors)
            return Enrolled(_insert(connection, user, rows), [])
    except _Refused as refused:
        return Enrolled([], refused.errors)
