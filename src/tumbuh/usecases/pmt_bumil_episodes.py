"""A pregnant woman's PMT episode for a user: its page, closing it with the LiLA at the
end, and the area's episodes for the register and the pregnancy's page (docs/pmt.md,
"Pregnant women with KEK").

An episode lies where its pregnancy lies; one outside the user's area is "not found"
(:class:`OutOfScope`). The roles that read pregnancies see the mother's name; a kader
(who reads her posyandu's episodes) sees her initials; the NIK only a role that sees
NIK. Closing as "completed" is judged by the LiLA at the end
(:func:`tumbuh.growth.pmt_bumil.bumil_recovered`); every closing is audited.
"""

import math
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.maternal.pregnancies import anc_visit_rows
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_maternal import MUAC_CM
from tumbuh.db.pmt_bumil import BumilEpisodeRow, pregnancy_episode_row, pregnancy_episode_rows
from tumbuh.db.pmt_episodes import lock_episode, update_episode
from tumbuh.growth.pmt import EpisodeExit, adherence
from tumbuh.growth.pmt_bumil import bumil_last_day, bumil_recovered, latest_muac
from tumbuh.growth.pmt_episodes import (
    CLOSING_EXITS,
    Closing,
    EpisodeError,
    EpisodeProblem,
    closing_errors,
)
from tumbuh.privacy import mask_name, mask_nik
from tumbuh.usecases import pmt_episodes
from tumbuh.usecases.access import NotAllowed, OutOfScope, Scope, UserInfo
from tumbuh.usecases.pmt_bumil import covers_pregnancy
from tumbuh.usecases.pmt_eligibility import may_enrol
from tumbuh.usecases.pmt_enrolment import ENTITY, actor_id
from tumbuh.usecases.pregnancy_views import READERS
from tumbuh.usecases.transactions import end_read, writing

__all__ = [
    "BumilClosing",
    "BumilEpisodeRow",
    "BumilEpisodeView",
    "Closed",
    "NotAllowed",
    "OutOfScope",
    "any_episode",
    "area_bumil_episodes",
    "close_bumil_episode",
    "find_bumil_episode",
]

Closed = pmt_episodes.Closed


@dataclass(frozen=True)
class BumilEpisodeView:
    """A pregnancy's episode as its page shows it (names as the role may see them)."""

    episode: BumilEpisodeRow
    last_day: date  # the planned days' last, or the day before birth (or HPL)
    adherence: float | None
    latest_muac_cm: float | None  # the pregnancy's latest LiLA up to today or the end
    completed_now: EpisodeExit | None  # what "completed" with that LiLA would record
    may_close: bool
    may_open_pregnancy: bool  # the role reads pregnancies (a link to the pregnancy's page)


def _shown(scope: Scope, row: BumilEpisodeRow) -> BumilEpisodeRow:
    name = row.mother_name if scope.role in READERS else mask_name(row.mother_name)
    nik = row.mother_nik if scope.may_see_nik else mask_nik(row.mother_nik)
    return replace(row, mother_name=name, mother_nik=nik)


def _found(connection: Connection, scope: Scope, episode_id: int) -> BumilEpisodeRow:
    row = pregnancy_episode_row(connection, episode_id)
    if row is None or not scope.may_see_children:
        raise OutOfScope
    if not covers_pregnancy(scope, row.posyandu_id, row.kelurahan_code):
        raise OutOfScope
    return row


def _exit(end_muac_cm: float | None) -> EpisodeExit | None:
    verdict = float(bumil_recovered([math.nan if end_muac_cm is None else end_muac_cm])[0])
    if math.isnan(verdict):
        return None
    return EpisodeExit.RECOVERED if verdict == 1.0 else EpisodeExit.NOT_RECOVERED


def _latest(connection: Connection, row: BumilEpisodeRow, up_to: date) -> float | None:
    visits = [
        (v.visit.visited_on, v.visit.muac_cm)
        for v in anc_visit_rows(connection, [row.pregnancy_id])
        if v.visit.muac_cm is not None and row.started_on <= v.visit.visited_on <= up_to
    ]
    value = latest_muac(None, [(d, float(x)) for d, x in visits if x is not None])
    return None if math.isnan(value) else value


def find_bumil_episode(
    connection: Connection, scope: Scope, episode_id: int, today: date
) -> BumilEpisodeView:
    """A pregnancy's episode in the user's area, or OutOfScope (also for a child's)."""
    row = _found(connection, scope, episode_id)
    latest = _latest(connection, row, row.ended_on or today)
    end_read(connection)
    share = float(adherence([row.served_days], [row.planned_days])[0])
    return BumilEpisodeView(
        episode=_shown(scope, row),
        last_day=bumil_last_day(
            row.started_on, row.planned_days, row.pregnancy_ended_on or row.due_date
        ),
        adherence=None if math.isnan(share) else share,
        latest_muac_cm=latest,
        completed_now=_exit(latest) if row.ended_on is None else None,
        may_close=row.ended_on is None and may_enrol(scope),
        may_open_pregnancy=scope.role in READERS,
    )


def any_episode(
    connection: Connection, scope: Scope, episode_id: int, today: date
) -> pmt_episodes.EpisodeView | BumilEpisodeView:
    """The episode's page, a child's or a pregnancy's, in the user's area."""
    if pregnancy_episode_row(connection, episode_id) is not None:
        return find_bumil_episode(connection, scope, episode_id, today)
    return pmt_episodes.find_episode(connection, scope, episode_id, today)


def area_bumil_episodes(
    connection: Connection, scope: Scope, *, pregnancy_id: int | None = None, limit: int = 200
) -> list[BumilEpisodeRow]:
    """The pregnancies' episodes of the user's area (or of one pregnancy), open ones
    first, names as the role may see them; none for roles that see no one."""
    if not scope.may_see_children:
        return []
    rows = pregnancy_episode_rows(
        connection, scope.kelurahan, pregnancy_id=pregnancy_id, limit=limit
    )
    end_read(connection)
    return [
        _shown(scope, r) for r in rows if covers_pregnancy(scope, r.posyandu_id, r.kelurahan_code)
    ]


@dataclass(frozen=True)
class BumilClosing:
    """How a pregnancy's episode ended, on which day, the LiLA then (cm) and a note."""

    closing: Closing
    ended_on: date
    end_muac_cm: float | None
    note: str | None = None


def _closing_errors(row: BumilEpisodeRow, closing: BumilClosing, today: date) -> list[EpisodeError]:
    errors = closing_errors(
        row.started_on, closing.ended_on, closing.note, today=today, ended=row.ended_on
    )
    muac = closing.end_muac_cm
    if muac is not None and not MUAC_CM[0] <= muac <= MUAC_CM[1]:
        accepted = f"{MUAC_CM[0]}-{MUAC_CM[1]}"
        errors.append(
            EpisodeError(EpisodeProblem.MUAC_OUT_OF_RANGE, "end_muac_cm", f"{muac:g}", accepted)
        )
    elif muac is None and closing.closing is Closing.COMPLETED:
        errors.append(EpisodeError(EpisodeProblem.NO_END_MUAC, "end_muac_cm", "", ""))
    return errors


def close_bumil_episode(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    episode_id: int,
    closing: BumilClosing,
    *,
    today: date,
) -> pmt_episodes.Closed:
    """Close the pregnancy's episode with the LiLA at the end (audited) and commit, or
    return why not (nothing written)."""
    with writing(connection):
        lock_episode(connection, episode_id)
        row = _found(connection, scope, episode_id)
        if not may_enrol(scope):
            raise NotAllowed
        errors = _closing_errors(row, closing, today)
        exit_ = CLOSING_EXITS.get(closing.closing) or _exit(closing.end_muac_cm)
        if errors or exit_ is None:
            return pmt_episodes.Closed(errors, None, False)
        columns = {
            "ended_on": closing.ended_on,
            "exit": exit_.value,
            "exit_note": closing.note,
            "end_muac_cm": closing.end_muac_cm,
        }
        update_episode(
            connection,
            episode_id,
            {**columns, "updated_at": datetime.now(UTC), "updated_by": actor_id(user)},
        )
        before = {"ended_on": None, "exit": None, "exit_note": row.exit_note, "end_muac_cm": None}
        after = {**columns, "closing": closing.closing.value}
        write_audit(
            connection, user, AuditAction.UPDATE, ENTITY, episode_id, before=before, after=after
        )
    return pmt_episodes.Closed([], exit_, False)
