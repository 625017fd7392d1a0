"""PMT lokal in the JSON API (``/api/v1/pmt``), scoped as the pages: the month's
eligibility list, the episodes (list, enrol, one, close). An episode or a child outside
the user's area answers 404, an enrolment or a closing by a role that does not make them
403, a refused one 422 with one message per field or child in the user's language
(docs/pmt.md)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tumbuh.i18n import translations
from tumbuh.usecases import pmt_eligibility, pmt_enrolment, pmt_episodes, pmt_register
from tumbuh.usecases.pmt_register import EpisodeRow
from tumbuh.usecases.referrals import referral_rules
from tumbuh.web.deps import CurrentViewer, Db, csrf_protected, records_changed, web_state
from tumbuh.web.pmt.forms import error_texts, read_closing, read_enrolment
from tumbuh.web.pmt.register import RegisterQuery, where
from tumbuh.web.surveillance.area_choice import chosen_area
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.surveillance.pages import AreaQuery, MonthQuery, PosyanduQuery, parse_month

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class EligibleChildOut(BaseModel):
    """A child of the month's lists, as the eligibility list judges it."""

    child_id: int
    name: str
    sex: str
    posyandu_name: str | None
    kelurahan_code: str | None
    age_months: int
    measured_on: date
    weight_kg: float | None
    haz: float | None
    waz: float | None
    whz: float | None
    reasons: list[str]
    indication: str | None = Field(description="None: refused by a rule (see refusal).")
    refusal: str | None = Field(description="age, severe or no_indication; None: eligible.")
    planned_days: int | None
    open_case_id: int | None
    episode_id: int | None = Field(description="The open episode (None: not enrolled).")


class EligibleListOut(BaseModel):
    """One page of the month's eligibility list."""

    month: str | None
    measured: bool
    rules_version: str | None
    total: int
    eligible: int
    enrolled: int
    refused: int
    page: int
    pages: int
    children: list[EligibleChildOut]


class EpisodeOut(BaseModel):
    """An episode: the child, the kitchen, the rule version, the days and how it ended."""

    id: int
    child_id: int
    child_name: str
    posyandu_name: str | None
    kitchen_id: int | None
    kitchen_name: str | None
    indication: str
    rules_version: str
    funding: str
    started_on: date
    planned_days: int
    served_days: int
    case_id: int | None
    override_reason: str | None
    ended_on: date | None
    exit: str | None
    exit_note: str | None


class EpisodeListOut(BaseModel):
    """One page of the register."""

    total: int
    page: int
    pages: int
    episodes: list[EpisodeOut]


class CheckpointOut(BaseModel):
    """A checkpoint of weeks 2, 4 and 8 (no measurement yet: the values are None)."""

    week: int
    target_on: date
    measured_on: date | None
    day: int | None
    weight_kg: float | None
    waz: float | None
    whz: float | None
    haz: float | None


class EpisodeDetailOut(EpisodeOut):
    """An episode with its checkpoints and progress."""

    planned_end: date
    adherence: float | None
    checkpoints: list[CheckpointOut]
    weight_gain_g_per_kg_day: float | None
    waz_change: float | None
    whz_change: float | None
    haz_change: float | None
    completed_now: str | None = Field(
        description="The exit closing as completed today would record (None: undecided)."
    )


class EnrolIn(BaseModel):
    """Children to enrol on the data of ``month`` (YYYY-MM) at a kitchen (dates as
    YYYY-MM-DD); ``override_reason`` enrols the children a rule refuses."""

    child_ids: list[int] = Field(max_length=500)
    month: str = Field(max_length=7)
    kitchen_id: int
    started_on: str = Field(max_length=10)
    funding: str = Field(max_length=20)
    indication: str | None = Field(default=None, max_length=20)
    override_reason: str | None = Field(default=None, max_length=2000)


class EnrolledOut(BaseModel):
    """The episodes opened."""

    episodes: list[EpisodeOut]


class CloseIn(BaseModel):
    """How the episode ended (completed, dropped_out, moved, referred), the end date
    (YYYY-MM-DD, default today), a note, and whether to record the PMT on the case."""

    closing: str = Field(max_length=20)
    ended_on: str | None = Field(default=None, max_length=10)
    note: str | None = Field(default=None, max_length=2000)
    advance_case: bool = True


class ErrorsOut(BaseModel):
    """Why the request was refused: one message per field or child."""

    errors: list[str]


ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"description": "Refused: one message per field or child", "model": ErrorsOut}
}


def _episode(row: EpisodeRow) -> EpisodeOut:
    return EpisodeOut(
        id=row.id,
        child_id=row.child_id,
        child_name=row.child_name,
        posyandu_name=row.posyandu_name,
        kitchen_id=row.kitchen_id,
        kitchen_name=row.kitchen_name,
        indication=row.indication.value,
        rules_version=row.rules_version,
        funding=row.funding.value,
        started_on=row.started_on,
        planned_days=row.planned_days,
        served_days=row.served_days,
        case_id=row.case_id,
        override_reason=row.override_reason,
        ended_on=row.ended_on,
        exit=row.exit.value if row.exit else None,
        exit_note=row.exit_note,
    )


def _eligible_child(c: pmt_eligibility.EligibleChild) -> EligibleChildOut:
    return EligibleChildOut(
        child_id=c.child_id,
        name=c.name,
        sex=c.sex.value,
        posyandu_name=c.posyandu_name,
        kelurahan_code=c.kelurahan_code,
        age_months=c.age_months,
        measured_on=c.measured_on,
        weight_kg=c.weight_kg,
        haz=c.haz,
        waz=c.waz,
        whz=c.whz,
        reasons=[r.value for r in c.reasons],
        indication=c.indication.value if c.indication else None,
        refusal=c.refusal.name.lower() if c.indication is None else None,
        planned_days=c.planned_days,
        open_case_id=c.open_case.id if c.open_case else None,
        episode_id=c.episode_id,
    )


@router.get("/pmt/eligible", response_model=EligibleListOut)
def eligible(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    *,
    month: MonthQuery = None,
    area: AreaQuery = None,
    posyandu: PosyanduQuery = None,
    refused: Annotated[bool, Query()] = False,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> EligibleListOut:
    """The month's children who may be fed PMT lokal in the area (``refused``: also those
    a rule refuses), 50 a page; 403 for roles that see figures only."""
    state = web_state(request)
    figures = state.figures.snapshot(connection)
    place = chosen_area(figures.places, current.scope, area or None, posyandu)
    asked = parse_month(month) if month else None
    query = pmt_eligibility.EligibilityQuery(asked, None, refused, page)
    found = pmt_eligibility.eligibility_list(
        connection,
        figures.places,
        figures.memo,
        place,
        current.scope,
        referral_rules(state.settings),
        query,
        today=date.today(),
    )
    return EligibleListOut(
        month=found.month.label if found.month else None,
        measured=found.measured,
        rules_version=found.rules_version,
        total=found.total,
        eligible=found.eligible,
        enrolled=found.enrolled,
        refused=found.refused,
        page=found.page,
        pages=found.pages,
        children=[_eligible_child(c) for c in found.children],
    )


@router.get("/pmt/episodes", response_model=EpisodeListOut)
def list_episodes(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    asked: RegisterQuery,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> EpisodeListOut:
    """The episodes of the user's area with the filters (``kitchen``, ``indication``,
    ``state`` open or ended, ``month`` running in it, ``area`` or ``posyandu``), open ones
    first; 404 for roles that see figures only."""
    place = where(request, connection, current, asked)
    listed = pmt_register.episode_list(
        connection,
        current.scope,
        query=asked.episode_query(),
        places=place.places,
        area=place.filter,
        page=page,
    )
    episodes = [_episode(r) for r in listed.episodes]
    return EpisodeListOut(
        total=listed.total, page=listed.page, pages=listed.pages, episodes=episodes
    )


def _detail(view: pmt_episodes.EpisodeView) -> EpisodeDetailOut:
    checkpoints = [
        CheckpointOut(
            week=c.week,
            target_on=c.target_on,
            measured_on=c.point.measured_on if c.point else None,
            day=c.day,
            weight_kg=c.point.weight_kg if c.point else None,
            waz=c.point.waz if c.point else None,
            whz=c.point.whz if c.point else None,
            haz=c.point.haz if c.point else None,
        )
        for c in view.checkpoints
    ]
    p = view.progress
    return EpisodeDetailOut(
        **_episode(view.episode).model_dump(),
        planned_end=view.planned_end,
        adherence=view.adherence,
        checkpoints=checkpoints,
        weight_gain_g_per_kg_day=p.gain_g_per_kg_day if p else None,
        waz_change=p.waz_change if p else None,
        whz_change=p.whz_change if p else None,
        haz_change=p.haz_change if p else None,
        completed_now=view.completed_now.value if view.completed_now else None,
    )


@router.get("/pmt/episodes/{episode_id}", response_model=EpisodeDetailOut)
def show_episode(connection: Db, current: CurrentViewer, episode_id: Id) -> EpisodeDetailOut:
    """One episode with its checkpoints and progress (404 outside the user's area)."""
    return _detail(pmt_episodes.find_episode(connection, current.scope, episode_id, date.today()))


@router.post(
    "/pmt/episodes",
    response_model=EnrolledOut,
    status_code=201,
    dependencies=[Depends(csrf_protected)],
    responses={**ERRORS, 403: {"description": "Not this role's work"}},
)
def enrol(
    request: Request, connection: Db, current: CurrentViewer, sent: EnrolIn
) -> EnrolledOut | JSONResponse:
    """Enrol the children at the kitchen (audited; all or none); 422 with every reason."""
    raw = {
        k: "" if v is None else str(v) for k, v in sent.model_dump(exclude={"child_ids"}).items()
    }
    enrolment, errors = read_enrolment(raw, [str(i) for i in sent.child_ids])
    ids: list[int] = []
    if enrolment is not None:
        done = pmt_enrolment.enrol(
            connection,
            current.scope,
            current.user,
            enrolment,
            today=date.today(),
            rules=referral_rules(web_state(request).settings),
        )
        errors, ids = done.errors, done.episode_ids
    if errors:
        texts = error_texts(errors, translations(current.language).gettext)
        return JSONResponse(ErrorsOut(errors=texts).model_dump(), status_code=422)
    records_changed(request)
    today = date.today()
    views = [pmt_episodes.find_episode(connection, current.scope, i, today) for i in ids]
    return EnrolledOut(episodes=[_episode(v.episode) for v in views])


@router.post(
    "/pmt/episodes/{episode_id}/close",
    response_model=EpisodeDetailOut,
    dependencies=[Depends(csrf_protected)],
    responses={**ERRORS, 403: {"description": "Not this role's work"}},
)
def close(
    request: Request, connection: Db, current: CurrentViewer, episode_id: Id, sent: CloseIn
) -> EpisodeDetailOut | JSONResponse:
    """Close the episode (audited): "completed" is judged by the rule of its version at
    its last checkpoint; 422 with the reasons it was refused."""
    raw = {
        "closing": sent.closing,
        "ended_on": sent.ended_on or "",
        "note": sent.note or "",
        "advance_case": "true" if sent.advance_case else "false",
    }
    today = date.today()
    closing, errors = read_closing(raw, today)
    if closing is not None:
        errors = pmt_episodes.close_episode(
            connection, current.scope, current.user, episode_id, closing, today=today
        ).errors
    if errors:
        texts = error_texts(errors, translations(current.language).gettext)
        return JSONResponse(ErrorsOut(errors=texts).model_dump(), status_code=422)
    records_changed(request)
    return _detail(pmt_episodes.find_episode(connection, current.scope, episode_id, today))
