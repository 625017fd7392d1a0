"""The catin in the JSON API (``/api/v1/catin``), scoped as the pages: the area's list
(with the page's filters), one catin, and the writes (register, edit, screening,
follow-up). A refused write answers 422 with the field and what to fix in the user's
language; a catin outside the area 404 (docs/catin.md)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tumbuh.usecases import catin
from tumbuh.usecases.catin_input import (
    CatinFieldError,
    read_follow_up,
    read_person,
    read_screening,
)
from tumbuh.web.catin.pages import read_filter
from tumbuh.web.deps import CurrentViewer, Db, csrf_protected, web_state
from tumbuh.web.field_errors import REFUSED, refused, sent_raw
from tumbuh.web.surveillance.areas import MAX_ID

router = APIRouter()
CSRF = [Depends(csrf_protected)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class CatinOut(BaseModel):
    """A catin of the area (None: not known); NIK only for roles that see it."""

    id: int
    name: str
    nik: str | None
    sex: str
    kelurahan_code: str
    kelurahan_name: str
    age_at_wedding: int | None
    wedding_planned_on: date | None
    registered_on: date
    screened_on: date | None
    muac_cm: float | None
    hb_g_dl: float | None
    weight_kg: float | None
    height_cm: float | None
    imt: float | None
    imt_band: str | None
    kek: bool | None
    anaemia: str | None
    kurus: bool | None
    under_marriage_age: bool | None
    terlalu_muda: bool | None
    late: bool | None
    at_risk: bool | None
    follow_up: str | None
    follow_up_on: date | None


class CatinIn(BaseModel):
    """A registration: name, sex (female, male), kelurahan code; NIK (16 digits, text),
    birth date, planned wedding day and day registered (YYYY-MM-DD) where known."""

    name: str
    sex: str
    kelurahan_code: str
    nik: str | None = None
    birth_date: str | None = None
    wedding_planned_on: str | None = None
    registered_on: str | None = None


class ScreeningIn(BaseModel):
    """A screening: its day (YYYY-MM-DD; default today), LiLA (cm), Hb (g/dL), weight
    (kg) and height (cm), at least one of them."""

    screened_on: str | None = None
    muac_cm: float | None = None
    hb_g_dl: float | None = None
    weight_kg: float | None = None
    height_cm: float | None = None


class FollowUpIn(BaseModel):
    """What was given after the screening, and its day (default today)."""

    follow_up: str
    follow_up_on: str | None = None


def _out(s: catin.CatinSummary) -> CatinOut:
    screening = s.screening
    values = vars(s) | {
        "sex": s.sex.value,
        "imt_band": None if s.imt_band is None else s.imt_band.value,
        "anaemia": None if s.anaemia is None else s.anaemia.value,
        "screened_on": screening.screened_on if screening else None,
        "muac_cm": screening.muac_cm if screening else None,
        "hb_g_dl": screening.hb_g_dl if screening else None,
        "weight_kg": screening.weight_kg if screening else None,
        "height_cm": screening.height_cm if screening else None,
    }
    return CatinOut.model_validate(values)


@router.get("/catin", response_model=list[CatinOut])
def list_catin(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    at_risk: Annotated[bool, Query(description="Only those at risk.")] = False,
    unscreened: Annotated[bool, Query(description="Only those not yet screened.")] = False,
    month: Annotated[str, Query(max_length=7, description="Wedding month, YYYY-MM.")] = "",
) -> list[CatinOut]:
    """The catin of the user's area, the coming weddings first."""
    chosen = read_filter("1" if at_risk else "", "1" if unscreened else "", month)
    city = web_state(request).settings.city_code
    listed = catin.catin_list(connection, current.scope, city, chosen, today=date.today())
    return [_out(s) for s in listed]


@router.get("/catin/{catin_id}", response_model=CatinOut)
def one_catin(request: Request, connection: Db, current: CurrentViewer, catin_id: Id) -> CatinOut:
    """One catin of the user's area."""
    city = web_state(request).settings.city_code
    return _out(catin.catin_page(connection, current.scope, catin_id, city))


@router.post(
    "/catin", status_code=201, response_model=dict[str, int], dependencies=CSRF, responses=REFUSED
)
def register(
    connection: Db, current: CurrentViewer, sent: CatinIn
) -> dict[str, int] | JSONResponse:
    """Register a catin (audited); its id."""
    try:
        person = read_person(sent_raw(sent), date.today())
        found = catin.register_catin(connection, current.user, current.scope, person)
    except CatinFieldError as error:
        return refused(error, current)
    return {"id": found}


@router.put(
    "/catin/{catin_id}", response_model=dict[str, int], dependencies=CSRF, responses=REFUSED
)
def edit(
    connection: Db, current: CurrentViewer, catin_id: Id, sent: CatinIn
) -> dict[str, int] | JSONResponse:
    """Replace a catin's registration (audited)."""
    try:
        person = read_person(sent_raw(sent), date.today())
        catin.edit_catin(connection, current.user, current.scope, catin_id, person)
    except CatinFieldError as error:
        return refused(error, current)
    return {"id": catin_id}


@router.post(
    "/catin/{catin_id}/screening",
    response_model=dict[str, int],
    dependencies=CSRF,
    responses=REFUSED,
)
def screening(
    connection: Db, current: CurrentViewer, catin_id: Id, sent: ScreeningIn
) -> dict[str, int] | JSONResponse:
    """Record the screening (audited)."""
    try:
        found = read_screening(sent_raw(sent), date.today())
        catin.record_screening(connection, current.user, current.scope, catin_id, found)
    except CatinFieldError as error:
        return refused(error, current)
    return {"id": catin_id}


@router.post(
    "/catin/{catin_id}/follow-up",
    response_model=dict[str, int],
    dependencies=CSRF,
    responses=REFUSED,
)
def follow_up(
    connection: Db, current: CurrentViewer, catin_id: Id, sent: FollowUpIn
) -> dict[str, int] | JSONResponse:
    """Record the follow-up given (audited)."""
    try:
        given = read_follow_up(sent_raw(sent), date.today())
        catin.record_follow_up(connection, current.user, current.scope, catin_id, given)
    except CatinFieldError as error:
        return refused(error, current)
    return {"id": catin_id}
