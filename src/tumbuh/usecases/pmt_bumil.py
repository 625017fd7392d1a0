"""PMT lokal for pregnant women with KEK, for a user: who may be fed, and enrolling them
at a kitchen (docs/pmt.md, "Pregnant women with KEK").

The list holds the pregnancies of the user's area that have not ended and whose latest
LiLA is under 23.5 cm (:func:`tumbuh.growth.pmt_bumil.bumil_eligibility`); those already
fed stay on it, marked, as children do. The roles that read pregnancies see it (the
administrator, nutritionist, bidan, TPK); the nutritionist and the administrator enrol.
An enrolment is all or nothing, audited per episode (``pmt_episode``, ``create``) with
its columns and no name or NIK; the planned days are those of the start year's rules.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.models_access import AuditAction
from tumbuh.db.pmt_bumil import (
    OpenPregnancy,
    insert_pregnancy_episode,
    open_pregnancies,
    open_pregnancy_episodes,
)
from tumbuh.db.pmt_episodes import EpisodeTaken
from tumbuh.growth import maternal
from tumbuh.growth.pmt import Funding, Indication, rules_for
from tumbuh.growth.pmt_bumil import BumilRefusal, bumil_eligibility, latest_muac
from tumbuh.growth.pmt_episodes import EpisodeError, EpisodeProblem, start_errors
from tumbuh.privacy import mask_nik
from tumbuh.usecases.access import NotAllowed, OutOfScope, Scope, UserInfo
from tumbuh.usecases.pmt_eligibility import may_enrol
from tumbuh.usecases.pmt_enrolment import ENTITY, Enrolled, actor_id, kitchen_errors
from tumbuh.usecases.pregnancy_views import found_pregnancy, readable
from tumbuh.usecases.transactions import end_read, writing

__all__ = [
    "BumilEnrolment",
    "BumilList",
    "EligiblePregnancy",
    "NotAllowed",
    "OutOfScope",
    "bumil_list",
    "covers_pregnancy",
    "enrol_pregnancies",
]

REFUSAL_PROBLEMS = {
    BumilRefusal.ENDED: EpisodeProblem.REFUSED_PREGNANCY_ENDED,
    BumilRefusal.NO_MUAC: EpisodeProblem.REFUSED_NO_MUAC,
    BumilRefusal.NOT_KEK: EpisodeProblem.REFUSED_NOT_KEK,
    BumilRefusal.ENROLLED: EpisodeProblem.ALREADY_ENROLLED,
}


@dataclass(frozen=True)
class EligiblePregnancy:
    """A pregnant woman with KEK as the list shows her."""

    pregnancy_id: int
    mother_name: str
    mother_nik: str | None  # as the role may see it
    posyandu_name: str | None
    kelurahan_code: str
    weeks: int | None  # completed weeks today
    due_date: date | None  # HPL
    muac_cm: float  # the latest LiLA
    planned_days: int
    episode_id: int | None  # the open episode (None: not fed yet)


@dataclass(frozen=True)
class BumilList:
    """The area's pregnant women with KEK: eligible ones first, then those fed; and how
    many open pregnancies the area has."""

    pregnancies: list[EligiblePregnancy]
    open_pregnancies: int
    eligible: int  # not fed yet
    enrolled: int
    may_enrol: bool


def covers_pregnancy(scope: Scope, posyandu_id: int | None, kelurahan_code: str | None) -> bool:
    """Whether a pregnancy at the posyandu (None: not known) of the kelurahan lies in the
    scope: a kader's only at her posyandu, the others' in their kelurahan."""
    if scope.posyandu is not None or posyandu_id is not None:
        return scope.covers_posyandu(posyandu_id, kelurahan_code)
    return kelurahan_code is not None and scope.covers_kelurahan(kelurahan_code)


def _in_scope(scope: Scope, found: list[OpenPregnancy]) -> list[OpenPregnancy]:
    return [p for p in found if covers_pregnancy(scope, p.posyandu_id, p.kelurahan_code)]


def _judged(
    found: Sequence[OpenPregnancy], episodes: dict[int, tuple[int, date]]
) -> tuple[list[float], list[int]]:
    muac = [latest_muac(p.registration_muac_cm, p.visit_muac) for p in found]
    codes = bumil_eligibility(
        ended=[False] * len(found), muac_cm=muac, enrolled=[p.id in episodes for p in found]
    )
    return muac, [int(c) for c in codes.tolist()]


def bumil_list(connection: Connection, scope: Scope, *, today: date) -> BumilList:
    """The pregnant women with KEK of the user's area on ``today``: NotAllowed for a role
    that does not read pregnancies."""
    readable(scope)
    found = _in_scope(scope, open_pregnancies(connection, scope.kelurahan, on=today))
    episodes = open_pregnancy_episodes(connection, [p.id for p in found])
    end_read(connection)
    muac, codes = _judged(found, episodes)
    weeks = maternal.gestational_weeks([p.hpht for p in found], [today] * len(found))
    planned = rules_for(today.year).planned_days[Indication.PREGNANT_KEK] or 0
    listed = [
        EligiblePregnancy(
            pregnancy_id=p.id,
            mother_name=p.mother_name,
            mother_nik=p.mother_nik if scope.may_see_nik else mask_nik(p.mother_nik),
            posyandu_name=p.posyandu_name,
            kelurahan_code=p.kelurahan_code,
            weeks=None if math.isnan(weeks[i]) else int(weeks[i]),
            due_date=p.due_date,
            muac_cm=muac[i],
            planned_days=planned,
            episode_id=episodes[p.id][0] if p.id in episodes else None,
        )
        for i, p in enumerate(found)
        if codes[i] in (BumilRefusal.NONE, BumilRefusal.ENROLLED)
    ]
    listed.sort(key=lambda e: (e.episode_id is not None, e.due_date or date.max, e.pregnancy_id))
    fed = sum(e.episode_id is not None for e in listed)
    return BumilList(listed, len(found), len(listed) - fed, fed, may_enrol(scope))


@dataclass(frozen=True)
class BumilEnrolment:
    """Pregnant women to enrol at a kitchen from a day, with the source of funds."""

    pregnancy_ids: tuple[int, ...]
    kitchen_id: int
    started_on: date
    funding: Funding


def _refusal(
    pregnancy: OpenPregnancy | None,
    name: str,
    muac: float,
    episode: tuple[int, date] | None,
    ended_on: date | None,
) -> list[EpisodeError]:
    if pregnancy is None:  # ended (or not registered yet) by today
        value = "-" if ended_on is None else ended_on.isoformat()
        return [EpisodeError(EpisodeProblem.REFUSED_PREGNANCY_ENDED, name, value, "")]
    code = int(bumil_eligibility(ended=[False], muac_cm=[muac], enrolled=[episode is not None])[0])
    if code == BumilRefusal.NONE:
        return []
    problem = REFUSAL_PROBLEMS[BumilRefusal(code)]
    if episode is not None and code == BumilRefusal.ENROLLED:
        return [EpisodeError(problem, name, str(episode[0]), episode[1].isoformat())]
    value = "-" if np.isnan(muac) else f"{muac:g}"
    return [EpisodeError(problem, name, value, f"{maternal.KEK_MUAC_CM:g}")]


def _start_errors(started_on: date, k1_on: date | None, today: date) -> list[EpisodeError]:
    """The start day's refusals, the first visit (K1) standing for the measurement that
    made the woman a target."""
    errors = start_errors(started_on, k1_on, today=today)
    return [
        EpisodeError(EpisodeProblem.START_BEFORE_K1, e.field, e.value, e.accepted)
        if e.problem is EpisodeProblem.START_BEFORE_BASELINE
        else e
        for e in errors
    ]


def _values(
    connection: Connection, scope: Scope, pregnancy_id: int, enrolment: BumilEnrolment, today: date
) -> tuple[dict[str, object] | None, list[EpisodeError]]:
    """The new episode's columns for one pregnancy, or why it is refused."""
    found = found_pregnancy(connection, scope, pregnancy_id)
    area = frozenset({found.kelurahan_code or ""})
    pregnancy = next(
        (p for p in open_pregnancies(connection, area, on=today) if p.id == found.id), None
    )
    muac = math.nan
    name = str(pregnancy_id)
    if pregnancy is not None:
        name = pregnancy.mother_name
        muac = latest_muac(pregnancy.registration_muac_cm, pregnancy.visit_muac)
    episode = open_pregnancy_episodes(connection, [pregnancy_id]).get(pregnancy_id)
    errors = _refusal(pregnancy, name, muac, episode, found.end.ended_on if found.end else None)
    k1 = found.registration.k1_on if found.registration else None
    errors += _start_errors(enrolment.started_on, k1, today)
    if errors:
        return None, errors
    rules = rules_for(enrolment.started_on.year)
    return {
        "pregnancy_id": pregnancy_id,
        "kitchen_id": enrolment.kitchen_id,
        "indication": Indication.PREGNANT_KEK.value,
        "rules_version": rules.version,
        "started_on": enrolment.started_on,
        "planned_days": rules.planned_days[Indication.PREGNANT_KEK],
        "funding": enrolment.funding.value,
        "start_muac_cm": muac,
    }, []


def _insert(
    connection: Connection, user: UserInfo | Actor, rows: list[dict[str, object]]
) -> list[int]:
    now, user_id = datetime.now(UTC), actor_id(user)
    ids = []
    for values in rows:
        stamped = {**values, "created_at": now, "updated_at": now}
        episode_id = insert_pregnancy_episode(
            connection, {**stamped, "created_by": user_id, "updated_by": user_id}
        )
        write_audit(
            connection, user, AuditAction.CREATE, ENTITY, episode_id, before=None, after=values
        )
        ids.append(episode_id)
    return ids


class _Taken(Exception):  # noqa: N818 - rolls an enrolment back, never seen outside
    pass


def enrol_pregnancies(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    enrolment: BumilEnrolment,
    *,
    today: date,
) -> Enrolled:
    """Enrol the pregnant women at the kitchen (one audited episode each) and commit; or
    return every reason to refuse, nothing written. OutOfScope for a pregnancy outside
    the scope, NotAllowed for a role that does not enrol."""
    readable(scope)
    if not may_enrol(scope):
        raise NotAllowed
    try:
        with writing(connection):
            errors = kitchen_errors(connection, scope, enrolment.kitchen_id)
            if not enrolment.pregnancy_ids:
                errors.append(EpisodeError(EpisodeProblem.NO_PREGNANCY, "pregnancy_ids", "", ""))
            rows = []
            for pregnancy_id in dict.fromkeys(enrolment.pregnancy_ids):
                values, refused = _values(connection, scope, pregnancy_id, enrolment, today)
                errors += refused
                if values is not None:
                    rows.append(values)
            if errors:
                return Enrolled([], errors)
            try:
                return Enrolled(_insert(connection, user, rows), [])
            except EpisodeTaken:  # another user enrolled her meanwhile
                raise _Taken from None
    except _Taken:
        error = EpisodeError(EpisodeProblem.ALREADY_ENROLLED, "pregnancy_ids", "-", "-")
        return Enrolled([], [error])
