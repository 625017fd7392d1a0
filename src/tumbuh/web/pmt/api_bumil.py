"""PMT lokal for pregnant women with KEK in the JSON API (``/api/v1/pmt``), scoped as the
pages (:mod:`tumbuh.web.pmt.bumil`): the area's pregnant women with KEK, enrolling them
at a kitchen, one episode, and closing it with the LiLA at the end. A pregnancy or an
episode outside the user's area answers 404, a role that does not read pregnancies (the
list) or does not enrol (enrolment, closing) 403, a refused request 422 with one message
per field or woman in the user's language and the field it is about (docs/pmt.md)."""

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tumbuh.growth.pmt_episodes import EpisodeError
from tumbuh.i18n import translations
from tumbuh.usecases import pmt_bumil, pmt_bumil_episodes
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, records_changed
from tumbuh.web.pmt.api import Id
from tumbuh.web.pmt.forms import error_texts, read_bumil_closing, read_bumil_enrolment

router = APIRouter()


class EligiblePregnancyOut(BaseModel):
    """A pregnant woman with KEK of the area (NIK as the role may see it)."""

    pregnancy_id: int
    mother_name: str
    mother_nik: str | None
    posyandu_name: str | None
    kelurahan_code: str
    weeks: int | None = Field(description="Completed weeks of pregnancy today.")
    due_date: date | None = Field(description="HPL.")
    muac_cm: float = Field(description="The latest LiLA (cm), under 23.5: KEK.")
    planned_days: int
    episode_id: int | None = Field(description="The open episode (None: not fed yet).")


class BumilListOut(BaseModel):
    """The area's pregnant women with KEK: not fed yet first, then those fed."""

    open_pregnancies: int
    eligible: int
    enrolled: int
    may_enrol: bool
    pregnancies: list[EligiblePregnancyOut]


class BumilEpisodeOut(BaseModel):
    """A pregnancy's episode: the mother, the kitchen, the rules, the days and LiLA."""

    id: int
    pregnancy_id: int
    mother_name: str
    mother_nik: str | None
    posyandu_name: str | None
    due_date: date | None
    kitchen_id: int | None
    kitchen_name: str | None
    indication: str
    rules_version: str
    funding: str
    started_on: date
    planned_days: int
    served_days: int
    start_muac_cm: float | None
    end_muac_cm: float | None
    ended_on: date | None
    exit: str | None
    exit_note: str | None


class BumilEpisodeDetailOut(BumilEpisodeOut):
    """An episode with its last day of feeding, adherence and the latest LiLA."""

    last_day: date = Field(description="The planned days' last, or the day before birth/HPL.")
    adherence: float | None
    latest_muac_cm: float | None
    completed_now: str | None = Field(
        description="The exit closing as completed with that LiLA would record."
    )


class BumilEnrolIn(BaseModel):
    """Pregnant women to enrol at a kitchen from a day (YYYY-MM-DD) with the funding."""

    pregnancy_ids: list[int] = Field(max_length=500)
    kitchen_id: int
    started_on: str = Field(max_length=10)
    funding: str = Field(max_length=20)


class BumilEnrolledOut(BaseModel):
    """The episodes opened."""

    episodes: list[BumilEpisodeOut]


class BumilCloseIn(BaseModel):
    """How the episode ended (completed, dropped_out, moved, referred), the end date
    (YYYY-MM-DD, default today), the LiLA at the end (cm; needed for completed), a note."""

    closing: str = Field(max_length=20)
    ended_on: str | None = Field(default=None, max_length=10)
    end_muac_cm: str | float | None = Field(default=None)
    note: str | None = Field(default=None, max_length=2000)


class FieldErrorOut(BaseModel):
    """One refused field (or woman, by her name) and why, in the user's language."""

    field: str
    message: str


class BumilErrorsOut(BaseModel):
    """Why the request was refused: ``errors`` the messages, ``fields`` with each field."""

    errors: list[str]
    fields: list[FieldErrorOut]


ERRORS: dict[int | str, dict[str, object]] = {
    422: {"description": "Refused: one message per field or woman", "model": BumilErrorsOut},
    403: {"description": "Not this role's work"},
}


def _refused(current: Viewer, errors: list[EpisodeError]) -> JSONResponse:
    texts = error_texts(errors, translations(current.language).gettext)
    fields = [FieldErrorOut(field=e.field, message=t) for e, t in zip(errors, texts, strict=True)]
    body = BumilErrorsOut(errors=texts, fields=fields)
    return JSONResponse(body.model_dump(), status_code=422)


def _episode(row: pmt_bumil_episodes.BumilEpisodeRow) -> BumilEpisodeOut:
    return BumilEpisodeOut(
        id=row.id,
        pregnancy_id=row.pregnancy_id,
        mother_name=row.mother_name,
        mother_nik=row.mother_nik,
        posyandu_name=row.posyandu_name,
        due_date=row.due_date,
        kitchen_id=row.kitchen_id,
        kitchen_name=row.kitchen_name,
        indication=row.indication.value,
        rules_version=row.rules_version,
        funding=row.funding.value,
        started_on=row.started_on,
        planned_days=row.planned_days,
        served_days=row.served_days,
        start_muac_cm=row.start_muac_cm,
        end_muac_cm=row.end_muac_cm,
        ended_on=row.ended_on,
        exit=row.exit.value if row.exit else None,
        exit_note=row.exit_note,
    )


def _detail(view: pmt_bumil_episodes.BumilEpisodeView) -> BumilEpisodeDetailOut:
    return BumilEpisodeDetailOut(
        **_episode(view.episode).model_dump(),
        last_day=view.last_day,
        adherence=view.adherence,
        latest_muac_cm=view.latest_muac_cm,
        completed_now=view.completed_now.value if view.completed_now else None,
    )


@router.get("/pmt/eligible/bumil", response_model=BumilListOut, responses=ERRORS)
def eligible_bumil(connection: Db, current: CurrentViewer) -> BumilListOut:
    """The pregnant women with KEK of the user's area who may be fed PMT lokal (latest
    LiLA under 23.5 cm, pregnancy not ended), those fed already last; 403 for roles that
    do not read pregnancies."""
    found = pmt_bumil.bumil_list(connection, current.scope, today=date.today())
    return BumilListOut(
        open_pregnancies=found.open_pregnancies,
        eligible=found.eligible,
        enrolled=found.enrolled,
        may_enrol=found.may_enrol,
        pregnancies=[EligiblePregnancyOut(**vars(p)) for p in found.pregnancies],
    )


@router.post(
    "/pmt/bumil/episodes",
    response_model=BumilEnrolledOut,
    status_code=201,
    dependencies=[Depends(csrf_protected)],
    responses=ERRORS,
)
def enrol_bumil(
    request: Request, connection: Db, current: CurrentViewer, sent: BumilEnrolIn
) -> BumilEnrolledOut | JSONResponse:
    """Enrol the pregnant women at the kitchen (audited; all or none); 422 with every
    reason, 404 for a pregnancy outside the area."""
    raw = {"kitchen_id": str(sent.kitchen_id), "started_on": sent.started_on}
    raw["funding"] = sent.funding
    enrolment, errors = read_bumil_enrolment(raw, [str(i) for i in sent.pregnancy_ids])
    ids: list[int] = []
    if enrolment is not None:
        done = pmt_bumil.enrol_pregnancies(
            connection, current.scope, current.user, enrolment, today=date.today()
        )
        errors, ids = done.errors, done.episode_ids
    if errors:
        return _refused(current, errors)
    records_changed(request)
    today = date.today()
    views = [
        pmt_bumil_episodes.find_bumil_episode(connection, current.scope, i, today) for i in ids
    ]
    return BumilEnrolledOut(episodes=[_episode(v.episode) for v in views])


@router.get("/pmt/bumil/episodes/{episode_id}", response_model=BumilEpisodeDetailOut)
def show_bumil_episode(
    connection: Db, current: CurrentViewer, episode_id: Id
) -> BumilEpisodeDetailOut:
    """A pregnancy's episode with its last day, adherence and latest LiLA (404 outside
    the user's area, and for a child's episode)."""
    view = pmt_bumil_episodes.find_bumil_episode(
        connection, current.scope, episode_id, date.today()
    )
    return _detail(view)


@router.post(
    "/pmt/bumil/episodes/{episode_id}/close",
    response_model=BumilEpisodeDetailOut,
    dependencies=[Depends(csrf_protected)],
    responses=ERRORS,
)
def close_bumil(
    request: Request, connection: Db, current: CurrentViewer, episode_id: Id, sent: BumilCloseIn
) -> BumilEpisodeDetailOut | JSONResponse:
    """Close the episode with the LiLA at the end (audited): "completed" is recovered at
    23.5 cm or more, else not recovered; 422 with the reasons it was refused."""
    muac = sent.end_muac_cm
    raw = {
        "closing": sent.closing,
        "ended_on": sent.ended_on or "",
        "end_muac_cm": "" if muac is None else str(muac),
        "note": sent.note or "",
    }
    today = date.today()
    closing, errors = read_bumil_closing(raw, today)
    if closing is not None:
        errors = pmt_bumil_episodes.close_bumil_episode(
            connection, current.scope, current.user, episode_id, closing, today=today
        ).errors
    if errors:
        return _refused(current, errors)
    records_changed(request)
    return _detail(
        pmt_bumil_episodes.find_bumil_episode(connection, current.scope, episode_id, today)
    )
