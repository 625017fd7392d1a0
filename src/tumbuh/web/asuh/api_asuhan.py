"""Asuhan in the JSON API: the fair proposal list, confirming asuhan, deliveries
(``/api/v1/asuh/...``, the TPPS and administrators), the sponsor's own
``/api/v1/asuh/mine`` and the public ``/api/v1/public/asuh`` (docs/asuh.md)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tumbuh.usecases import asuh_views, asuhan
from tumbuh.usecases.asuh_input import FieldError, read_delivery, read_terms
from tumbuh.web.asuh.api import CSRF, REFUSED, plain_data, raw_fields, refused
from tumbuh.web.deps import CurrentViewer, Db, SponsorViewer, web_state
from tumbuh.web.surveillance.areas import MAX_ID

router = APIRouter()
SponsorQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]


class ProposalOut(BaseModel):
    """A child proposed for an asuhan (named as the role may see it)."""

    rank: int
    case_id: int
    child_id: int
    child: str
    age_months: int
    baduta: bool
    kelurahan_code: str
    kelurahan_name: str
    haz: float | None


@router.get("/asuh/proposals", response_model=list[ProposalOut])
def proposals(
    connection: Db, current: CurrentViewer, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[ProposalOut]:
    """The fair proposal list: baduta first, the most severe first, across kelurahan."""
    return [
        ProposalOut(**{k: v for k, v in p.__dict__.items() if k in ProposalOut.model_fields})
        for p in asuhan.proposal_list(connection, current.scope, date.today(), limit=limit)
    ]


class ConfirmIn(BaseModel):
    """Asuhan to confirm: one sponsor, kind (prioritas or pendamping), start and end
    (YYYY-MM-DD), for children and/or families by number."""

    sponsor_id: int
    kind: str = "prioritas"
    start_on: str
    end_on: str | None = None
    note: str | None = None
    child_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = []
    family_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = []


@router.post(
    "/asuh/asuhan",
    status_code=201,
    response_model=dict[str, list[int]],
    dependencies=CSRF,
    responses=REFUSED,
)
def confirm(
    connection: Db, current: CurrentViewer, sent: ConfirmIn
) -> dict[str, list[int]] | JSONResponse:
    """Confirm the asuhan (audited); their ids."""
    raw = raw_fields(sent.model_copy(update={"child_ids": None, "family_ids": None}))
    terms, errors = read_terms(raw, date.today())
    try:
        if terms is not None:
            ids = asuhan.confirm_asuhan(
                connection,
                current.scope,
                current.user,
                terms,
                child_ids=sent.child_ids,
                family_ids=sent.family_ids,
            )
            return {"ids": ids}
    except FieldError as error:
        errors = [error]
    return refused(errors, current)


class AsuhanOut(BaseModel):
    """An asuhan (the child named as the role may see it)."""

    id: int
    sponsor_id: int
    sponsor_name: str
    kind: str
    child_id: int | None
    family_id: int | None
    who: str
    age_months: int | None
    kelurahan_name: str | None
    start_on: date
    end_on: date | None
    running: bool


@router.get("/asuh/asuhan", response_model=list[AsuhanOut])
def list_asuhan(
    connection: Db,
    current: CurrentViewer,
    sponsor: SponsorQuery = None,
) -> list[AsuhanOut]:
    """Every asuhan (of one sponsor), newest start first."""
    rows = asuhan.asuhan_list(connection, current.scope, date.today(), sponsor_id=sponsor)
    return [AsuhanOut(**{**a.__dict__, "kind": a.kind.value}) for a in rows]


class DeliveryIn(BaseModel):
    """Help delivered under an asuhan: day, what, by whom."""

    asuhan_id: int
    delivered_on: str
    what: str
    delivered_by: str
    note: str | None = None


@router.post(
    "/asuh/deliveries",
    status_code=201,
    response_model=dict[str, int],
    dependencies=CSRF,
    responses=REFUSED,
)
def add_delivery(
    connection: Db, current: CurrentViewer, sent: DeliveryIn
) -> dict[str, int] | JSONResponse:
    """Record a delivery (audited); its id."""
    new, errors = read_delivery(raw_fields(sent), date.today())
    try:
        if new is not None:
            return {"id": asuhan.add_delivery(connection, current.scope, current.user, new)}
    except FieldError as error:
        errors = [error]
    return refused(errors, current)


@router.get("/asuh/mine")
def mine(connection: Db, current: SponsorViewer) -> dict[str, Any]:
    """The signed-in sponsor's children (initials, age, kelurahan, z-scores by month),
    deliveries and money trail (sponsors only)."""
    view = asuh_views.sponsor_view(connection, current.scope, date.today())
    plain: dict[str, Any] = plain_data(view)
    return plain | {
        "pledged_rupiah": view.pledged,
        "paid_rupiah": view.paid,
        "disbursed_rupiah": view.disbursed,
    }


@router.get("/public/asuh")
def public(request: Request, connection: Db) -> dict[str, Any]:
    """The programme's public figures (no sign-in; aggregates only)."""
    city = web_state(request).settings.city_code
    plain: dict[str, Any] = plain_data(
        asuh_views.transparency(connection, date.today(), city_code=city)
    )
    return plain
