"""One PMT episode for a user: its page with the checkpoints and the progress since the
baseline, and closing it, inside the user's scope and audited (docs/pmt.md).

The nutritionist and the administrator close the episodes they may read (the command
line acts as a tool for the whole city); a kader reads those of her posyandu. An
episode outside the scope is "not found" (:class:`OutOfScope`); a closing by a role that
does not close is :class:`NotAllowed`. Closing as "completed" is judged by the rule of
the episode's version at its last checkpoint (:mod:`tumbuh.growth.pmt_episodes`); a
closing may record "ditangani: PMT" on the episode's case (issue 13).
"""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection

from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.cases import case_row, lock_case
from tumbuh.db.models_access import AuditAction
from tumbuh.db.pmt_episodes import (
    CaseLink,
    EpisodeRow,
    MeasuredPoint,
    child_points,
    episode_row,
    lock_episode,
    measured_point,
    update_episode,
)
from tumbuh.growth.cases import CaseStatus, Intervention, StepInput
from tumbuh.growth.pmt import Checkpoint, EpisodeExit, adherence, rules_for
from tumbuh.growth.pmt_episodes import (
    CHECKPOINT_DAYS,
    CLOSING_EXITS,
    Closing,
    EpisodeError,
    EpisodeProblem,
    checkpoint_rows,
    closing_errors,
    completed_exit,
    planned_end,
    weight_gain_g_per_kg_day,
)
from tumbuh.privacy import mask_nik
from tumbuh.usecases import cases
from tumbuh.usecases.access import NotAllowed, OutOfScope, Scope, UserInfo
from tumbuh.usecases.pmt_eligibility import may_enrol
from tumbuh.usecases.pmt_enrolment import ENTITY, actor_id
from tumbuh.usecases.transactions import writing

__all__ = [
    "COMMAND_LINE_SCOPE",
    "CheckpointView",
    "Closed",
    "ClosingInput",
    "EpisodeError",
    "EpisodeView",
    "NotAllowed",
    "OutOfScope",
    "Progress",
    "close_episode",
    "find_episode",
]

COMMAND_LINE_SCOPE = cases.COMMAND_LINE_SCOPE
CASE_STEP_FROM = frozenset({CaseStatus.DIPERIKSA, CaseStatus.DITANGANI})


@dataclass(frozen=True)
class CheckpointView:
    """A checkpoint of weeks 2, 4 and 8: its day, the measurement taken for it (None: none
    yet) and the day it was taken, counted from the start."""

    week: int
    target_day: int
    target_on: date
    point: MeasuredPoint | None
    day: int | None


@dataclass(frozen=True)
class Progress:
    """From the baseline to the last checkpoint: the changes of the z-scores and the
    weight gain in g/kg/day (None where a value is missing)."""

    baseline: MeasuredPoint
    last: MeasuredPoint
    day: int  # of the last checkpoint, from the start
    waz_change: float | None
    whz_change: float | None
    haz_change: float | None
    gain_g_per_kg_day: float | None


@dataclass(frozen=True)
class EpisodeView:
    """One episode as its page shows it."""

    episode: EpisodeRow
    nik: str | None  # as the role may see it
    planned_end: date
    adherence: float | None
    baseline: MeasuredPoint | None
    checkpoints: list[CheckpointView]
    progress: Progress | None
    case: CaseLink | None
    completed_now: EpisodeExit | None  # what closing as completed today would record
    may_close: bool


def _found(connection: Connection, scope: Scope, episode_id: int) -> EpisodeRow:
    row = episode_row(connection, episode_id)
    if row is None or not scope.may_see_children:
        raise OutOfScope
    if not scope.covers_posyandu(row.posyandu_id, row.kelurahan_code):
        raise OutOfScope
    return row


def _change(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round(after - before, 2)


def _checkpoints(row: EpisodeRow, up_to: date, connection: Connection) -> list[CheckpointView]:
    points = child_points(connection, row.child_id, after=row.started_on, up_to=up_to)
    days = [(p.measured_on - row.started_on).days for p in points]
    chosen = checkpoint_rows(days).tolist()
    views = [
        CheckpointView(
            week=target // 7,
            target_day=target,
            target_on=row.started_on + timedelta(days=target),
            point=points[i] if i >= 0 else None,
            day=days[i] if i >= 0 else None,
        )
        for target, i in zip(CHECKPOINT_DAYS, chosen, strict=True)
    ]
    return views


def _last(views: list[CheckpointView]) -> tuple[MeasuredPoint, int] | None:
    """The measurement and day of the last checkpoint taken, or None."""
    taken = [(v.point, v.day) for v in views if v.point is not None and v.day is not None]
    if not taken:
        return None
    point, day = taken[-1]
    return (point, day) if point is not None and day is not None else None


def _progress(baseline: MeasuredPoint | None, views: list[CheckpointView]) -> Progress | None:
    last = _last(views)
    if baseline is None or last is None:
        return None
    point, day = last
    span = (point.measured_on - baseline.measured_on).days
    nan = float("nan")
    gain = weight_gain_g_per_kg_day(
        [nan if baseline.weight_kg is None else baseline.weight_kg],
        [nan if point.weight_kg is None else point.weight_kg],
        [span],
    )
    value = float(gain[0])
    return Progress(
        baseline,
        point,
        day,
        _change(baseline.waz, point.waz),
        _change(baseline.whz, point.whz),
        _change(baseline.haz, point.haz),
        None if math.isnan(value) else round(value, 1),
    )


def _completed(
    row: EpisodeRow, baseline: MeasuredPoint | None, views: list[CheckpointView]
) -> EpisodeExit | None:
    """The exit "completed" gives at the last checkpoint of ``views`` (None: undecided)."""
    rules = rules_for(int(row.rules_version))
    rule = rules.exits.get(row.indication)
    last = _last(views)
    if rule is None or last is None:
        return None
    point, day = last
    nan = float("nan")

    def z(p: MeasuredPoint | None) -> float:
        value = None if p is None else getattr(p, rule.indicator)
        return nan if value is None else float(value)

    at = Checkpoint(
        [day],
        [z(baseline)],
        [z(point)],
        [nan if baseline is None or baseline.weight_kg is None else baseline.weight_kg],
        [nan if point.weight_kg is None else point.weight_kg],
    )
    return completed_exit(rules, row.indication, at)


def _case_link(connection: Connection, case_id: int | None) -> CaseLink | None:
    found = None if case_id is None else case_row(connection, case_id)
    return None if found is None else CaseLink(found.id, found.problem, found.status)


def find_episode(connection: Connection, scope: Scope, episode_id: int, today: date) -> EpisodeView:
    """The episode if its child lies in the scope and the role may see children; else
    OutOfScope. Checkpoints are read up to its end (today while it is open)."""
    row = _found(connection, scope, episode_id)
    baseline = None
    if row.baseline_measurement_id is not None:
        baseline = measured_point(connection, row.baseline_measurement_id)
    views = _checkpoints(row, row.ended_on or today, connection)
    share = float(adherence([row.served_days], [row.planned_days])[0])
    return EpisodeView(
        episode=row,
        nik=row.nik if scope.may_see_nik else mask_nik(row.nik),
        planned_end=planned_end(row.started_on, row.planned_days),
        adherence=None if math.isnan(share) else share,
        baseline=baseline,
        checkpoints=views,
        progress=_progress(baseline, views),
        case=_case_link(connection, row.case_id),
        completed_now=_completed(row, baseline, views) if row.ended_on is None else None,
        may_close=row.ended_on is None and may_enrol(scope),
    )


@dataclass(frozen=True)
class ClosingInput:
    """How an episode ended, on which day, a note, and whether to record the PMT on the
    episode's open case (a "ditangani" step, when the case was examined already)."""

    closing: Closing
    ended_on: date
    note: str | None = None
    advance_case: bool = True


@dataclass(frozen=True)
class Closed:
    """What closing did: the exit recorded (None when refused, with the errors) and
    whether the case's step was recorded."""

    errors: list[EpisodeError]
    exit: EpisodeExit | None
    case_step: bool


def _exit(
    connection: Connection, row: EpisodeRow, closing: ClosingInput
) -> tuple[EpisodeExit | None, list[EpisodeError]]:
    if closing.closing is not Closing.COMPLETED:
        return CLOSING_EXITS[closing.closing], []
    baseline = None
    if row.baseline_measurement_id is not None:
        baseline = measured_point(connection, row.baseline_measurement_id)
    views = _checkpoints(row, closing.ended_on, connection)
    found = _completed(row, baseline, views)
    if found is not None:
        return found, []
    rule = rules_for(int(row.rules_version)).exits.get(row.indication)
    what = rule.indicator.upper() if rule else "-"
    problem = EpisodeProblem.NO_CHECKPOINT
    return None, [EpisodeError(problem, "closing", what, row.rules_version)]


def _advance_case(
    connection: Connection,
    user: UserInfo | Actor,
    row: EpisodeRow,
    closing: ClosingInput,
    today: date,
) -> bool:
    """Record "ditangani: PMT" on the episode's case when it is open and was examined
    already (docs/pmt.md, "Closing"); False when it was not."""
    if not closing.advance_case or row.case_id is None:
        return False
    lock_case(connection, row.case_id)
    found = case_row(connection, row.case_id)
    if found is None or found.status not in CASE_STEP_FROM:
        return False
    step = StepInput(
        CaseStatus.DITANGANI, closing.ended_on, intervention=Intervention.PMT, note=closing.note
    )
    return not cases.record_step(connection, user, found, step, today)


def close_episode(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    episode_id: int,
    closing: ClosingInput,
    *,
    today: date,
) -> Closed:
    """Close the episode (audited) and commit, or return why not (nothing written).
    OutOfScope outside the scope, NotAllowed for a role that does not close."""
    with writing(connection):
        lock_episode(connection, episode_id)
        row = _found(connection, scope, episode_id)
        if not may_enrol(scope):
            raise NotAllowed
        errors = closing_errors(
            row.started_on, closing.ended_on, closing.note, today=today, ended=row.ended_on
        )
        exit_, refused = (None, []) if errors else _exit(connection, row, closing)
        errors += refused
        if errors or exit_ is None:
            return Closed(errors, None, False)
        columns = {"ended_on": closing.ended_on, "exit": exit_.value, "exit_note": closing.note}
        now = datetime.now(UTC)
        update_episode(
            connection, episode_id, {**columns, "updated_at": now, "updated_by": actor_id(user)}
        )
        before = {"ended_on": None, "exit": None, "exit_note": row.exit_note}
        after = {**columns, "closing": closing.closing.value}
        write_audit(
            connection, user, AuditAction.UPDATE, ENTITY, episode_id, before=before, after=after
        )
        stepped = _advance_case(connection, user, row, closing, today)
    return Closed([], exit_, stepped)
