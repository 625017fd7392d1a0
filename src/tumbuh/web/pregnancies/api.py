"""The bidan's work in the JSON API (``/api/v1/pregnancies``), scoped as the pages: the
area's list, one pregnancy, and the writes (register, ANC visit, end with the birth, KF
visit). A refused write answers 422 with the field and what to fix in the user's
language; a pregnancy outside the area 404 (docs/pregnancies.md)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tumbuh.usecases import pregnancies
from tumbuh.usecases.pregnancy_input import FieldError, read_birth, read_pregnancy, read_visit
from tumbuh.web.deps import CurrentViewer, Db, csrf_protected
from tumbuh.web.field_errors import REFUSED, refused, sent_raw
from tumbuh.web.surveillance.areas import MAX_ID

router = APIRouter()
CSRF = [Depends(csrf_protected)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class PregnancyOut(BaseModel):
    """A pregnancy of the area (None: not known); NIK only for roles that see it."""

    id: int
    mother_name: str
    mother_nik: str | None
    posyandu_name: str | None
    hpht: date | None
    due_date: date | None
    weeks: int | None
    ended_on: date | None
    outcome: str | None
    birth_place: str | None  # puskesmas, pustu, praktik_bidan, hospital, home, other
    k_visits: int
    k6_met: bool | None
    kek: bool | None
    anaemia: str | None
    iron_tablets: int
    ttd_complete: bool
    terlalu_muda: bool | None = None  # 4 Terlalu as registered: under 20
    terlalu_tua: bool | None = None  # 35 or older
    terlalu_dekat: bool | None = None  # less than 2 years since her last birth
    terlalu_banyak: bool | None = None  # more than 3 children born before


class PregnancyIn(BaseModel):
    """A registration: the mother's NIK (16 digits, text), her name when new, the posyandu,
    HPHT and K1 (YYYY-MM-DD), LiLA (cm) and Hb (g/dL) at K1, the children she bore alive
    before (paritas) and the birth date of the last of them."""

    nik: str
    mother_name: str | None = None
    mother_birth_date: str | None = None
    posyandu_id: int
    hpht: str | None = None
    k1_on: str | None = None
    muac_cm: float | None = None
    hb_g_dl: float | None = None
    weight_before_kg: float | None = None
    height_cm: float | None = None
    previous_live_births: int | None = None
    previous_birth_on: str | None = None


class VisitIn(BaseModel):
    """An ANC visit: day, place, weight, LiLA, Hb, TTD tablets given, note."""

    visited_on: str
    place: str | None = None
    weight_kg: float | None = None
    muac_cm: float | None = None
    hb_g_dl: float | None = None
    iron_tablets_given: int | None = None
    note: str | None = None


class EndIn(BaseModel):
    """The end: day, outcome (live_birth, stillbirth, miscarriage), place, weeks, and the
    baby of a live birth: name, sex (male, female), weight in grams, length in cm."""

    ended_on: str
    outcome: str = "live_birth"
    birth_place: str | None = None
    weeks: int | None = None
    child_name: str | None = None
    sex: str | None = None
    birth_weight_g: int | None = None
    birth_length_cm: float | None = None


class KfIn(BaseModel):
    """A post-partum visit: its number (1-4) and day."""

    visit_number: int
    visited_on: str
    note: str | None = None


def _out(s: pregnancies.PregnancySummary) -> PregnancyOut:
    values = vars(s) | {
        "outcome": None if s.outcome is None else s.outcome.value,
        "anaemia": None if s.anaemia is None else s.anaemia.value,
        "birth_place": None if s.birth_place is None else s.birth_place.value,
    }
    return PregnancyOut.model_validate(values)


@router.get("/pregnancies", response_model=list[PregnancyOut])
def list_pregnancies(connection: Db, current: CurrentViewer) -> list[PregnancyOut]:
    """The pregnancies of the user's area, open ones first."""
    listed = pregnancies.pregnancy_list(connection, current.scope, today=date.today())
    return [_out(s) for s in listed]


@router.get("/pregnancies/{pregnancy_id}", response_model=PregnancyOut)
def one_pregnancy(connection: Db, current: CurrentViewer, pregnancy_id: Id) -> PregnancyOut:
    """One pregnancy of the user's area."""
    page = pregnancies.pregnancy_page(connection, current.scope, pregnancy_id, today=date.today())
    return _out(page.summary)


@router.post(
    "/pregnancies",
    status_code=201,
    response_model=dict[str, int],
    dependencies=CSRF,
    responses=REFUSED,
)
def register(
    connection: Db, current: CurrentViewer, sent: PregnancyIn
) -> dict[str, int] | JSONResponse:
    """Register a pregnancy (audited); its id."""
    today = date.today()
    try:
        new = read_pregnancy(sent_raw(sent), today)
        found = pregnancies.register_pregnancy(
            connection, current.user, current.scope, new, today=today
        )
    except FieldError as error:
        return refused(error, current)
    return {"id": found}


@router.post(
    "/pregnancies/{pregnancy_id}/visits",
    status_code=201,
    response_model=dict[str, int],
    dependencies=CSRF,
    responses=REFUSED,
)
def visit(
    connection: Db, current: CurrentViewer, pregnancy_id: Id, sent: VisitIn
) -> dict[str, int] | JSONResponse:
    """Record an ANC visit (audited); its id."""
    try:
        new = read_visit(sent_raw(sent), date.today())
        found = pregnancies.record_visit(connection, current.user, current.scope, pregnancy_id, new)
    except FieldError as error:
        return refused(error, current)
    return {"id": found}


@router.post(
    "/pregnancies/{pregnancy_id}/end",
    response_model=dict[str, int | None],
    dependencies=CSRF,
    responses=REFUSED,
)
def end(
    connection: Db, current: CurrentViewer, pregnancy_id: Id, sent: EndIn
) -> dict[str, int | None] | JSONResponse:
    """Record the end of the pregnancy (audited); the child born (None: none)."""
    try:
        birth = read_birth(sent_raw(sent), date.today())
        child = pregnancies.record_birth(
            connection, current.user, current.scope, pregnancy_id, birth
        )
    except FieldError as error:
        return refused(error, current)
    return {"child_id": child}


@router.post(
    "/pregnancies/{pregnancy_id}/kf",
    status_code=201,
    response_model=dict[str, int],
    dependencies=CSRF,
    responses=REFUSED,
)
def kf_visit(
    connection: Db, current: CurrentViewer, pregnancy_id: Id, sent: KfIn
) -> dict[str, int] | JSONResponse:
    """Record a post-partum visit KF1-KF4 (audited); its id."""
    try:
        new = read_visit(sent_raw(sent), date.today())
        if not 1 <= sent.visit_number <= 4:  # KF1 to KF4
            raise FieldError(
                "{field}: '{value}' is not accepted; write a whole number from {low} to {high}",
                field="visit_number",
                value=sent.visit_number,
                low=1,
                high=4,
            )
        found = pregnancies.record_kf_visit(
            connection,
            current.user,
            current.scope,
            pregnancy_id,
            sent.visit_number,
            new.visited_on,
            new.note,
        )
    except FieldError as error:
        return refused(error, current)
    return {"id": found}
