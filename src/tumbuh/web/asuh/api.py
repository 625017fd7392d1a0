"""Bapak Asuh in the JSON API (``/api/v1/asuh/...``), scoped as the pages: sponsors,
pledges, payments, disbursements and the money summary for the TPPS and administrators
(anyone else 404); asuhan, the sponsor's own view and the public figures are
:mod:`tumbuh.web.asuh.api_asuhan`'s. A refused write answers 422 with one message per
field in the user's language; a disbursement over the balance is one (docs/asuh.md).
"""

from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tumbuh.usecases import asuh, asuh_money
from tumbuh.usecases.asuh_input import (
    FieldError,
    read_disbursement,
    read_payment,
    read_pledge,
    read_sponsor,
)
from tumbuh.web.asuh.common import Id, messages
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state
from tumbuh.web.surveillance.areas import MAX_ID

router = APIRouter()
SponsorQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
CSRF = [Depends(csrf_protected)]


class FieldErrorOut(BaseModel):
    """A refused field: its key and what to fix."""

    field: str
    message: str


class ErrorsOut(BaseModel):
    """Why a write was refused."""

    errors: list[FieldErrorOut]


REFUSED: dict[int | str, dict[str, Any]] = {422: {"model": ErrorsOut}}


def raw_fields(sent: BaseModel) -> dict[str, str]:
    def text(value: object) -> str:
        if value is None or value is False:
            return ""
        return "1" if value is True else str(value)

    return {key: text(value) for key, value in sent.model_dump().items()}


def refused(errors: Sequence[FieldError], current: Viewer) -> JSONResponse:
    texts = messages(errors, current.language)
    out = ErrorsOut(
        errors=[FieldErrorOut(field=e.field, message=t) for e, t in zip(errors, texts, strict=True)]
    )
    return JSONResponse(out.model_dump(), status_code=422)


class SponsorIn(BaseModel):
    """A sponsor: kind (official, polres, kodim, kemenag, baznas, company, institution,
    person), name, OPD or institution, contact, consent to be named publicly."""

    kind: str
    name: str
    institution: str | None = None
    contact: str | None = None
    listed_publicly: bool = False


class SponsorOut(BaseModel):
    """A sponsor with their money (rupiah)."""

    id: int
    kind: str
    name: str
    institution: str | None
    contact: str | None
    listed_publicly: bool
    pledged_rupiah: int
    received_rupiah: int
    disbursed_rupiah: int


@router.get("/asuh/sponsors", response_model=list[SponsorOut])
def list_sponsors(request: Request, connection: Db, current: CurrentViewer) -> list[SponsorOut]:
    """Every sponsor with what they pledged, paid and what of it was disbursed."""
    city = web_state(request).settings.city_code
    lines = {
        int(x.key): x
        for x in asuh_money.money_summary(
            connection, current.scope, asuh_money.SummaryBy.SPONSOR, city_code=city
        )
    }
    return [
        SponsorOut(
            id=s.id,
            kind=s.kind.value,
            name=s.name,
            institution=s.institution,
            contact=s.contact,
            listed_publicly=s.listed_publicly,
            pledged_rupiah=lines[s.id].pledged or 0,
            received_rupiah=lines[s.id].received or 0,
            disbursed_rupiah=lines[s.id].disbursed,
        )
        for s in asuh.sponsor_list(connection, current.scope)
    ]


@router.post(
    "/asuh/sponsors",
    status_code=201,
    response_model=dict[str, int],
    dependencies=CSRF,
    responses=REFUSED,
)
def add_sponsor(
    connection: Db, current: CurrentViewer, sent: SponsorIn
) -> dict[str, int] | JSONResponse:
    """Record a sponsor (audited); its id."""
    new, errors = read_sponsor(raw_fields(sent))
    if new is None:
        return refused(errors, current)
    return {"id": asuh.add_sponsor(connection, current.scope, current.user, new).id}


class PledgeIn(BaseModel):
    """A pledge: rupiah a month (or ``in_kind``), months, first month YYYY-MM, channel."""

    monthly_amount_rupiah: int | None = None
    in_kind: str | None = None
    months: int
    start_month: str
    channel: str = "baznas"
    note: str | None = None


@router.post(
    "/asuh/sponsors/{sponsor_id}/pledges",
    status_code=201,
    response_model=dict[str, int],
    dependencies=CSRF,
    responses=REFUSED,
)
def add_pledge(
    connection: Db, current: CurrentViewer, sponsor_id: Id, sent: PledgeIn
) -> dict[str, int] | JSONResponse:
    """Record a pledge of the sponsor (audited); its id (404: no such sponsor)."""
    asuh.find_sponsor(connection, current.scope, sponsor_id)
    new, errors = read_pledge(raw_fields(sent), sponsor_id)
    try:
        if new is not None:
            return {"id": asuh.add_pledge(connection, current.scope, current.user, new)}
    except FieldError as error:
        errors = [error]
    return refused(errors, current)


class PaymentIn(BaseModel):
    """Money Baznas received: sponsor, day (YYYY-MM-DD), rupiah, receipt number."""

    sponsor_id: int
    received_on: str
    amount_rupiah: int
    reference: str
    pledge_id: int | None = None
    note: str | None = None


class PaymentOut(BaseModel):
    """A payment and how much of it was disbursed."""

    id: int
    sponsor_id: int
    sponsor_name: str
    received_on: date
    amount_rupiah: int
    reference: str
    disbursed_rupiah: int


@router.get("/asuh/payments", response_model=list[PaymentOut])
def list_payments(
    connection: Db,
    current: CurrentViewer,
    sponsor: SponsorQuery = None,
) -> list[PaymentOut]:
    """Payments (of one sponsor), oldest first."""
    rows = asuh_money.payment_list(connection, current.scope, sponsor_id=sponsor)
    return [
        PaymentOut(
            id=p.id,
            sponsor_id=p.sponsor_id,
            sponsor_name=p.sponsor_name,
            received_on=p.received_on,
            amount_rupiah=p.amount_rupiah,
            reference=p.reference,
            disbursed_rupiah=p.disbursed_rupiah,
        )
        for p in rows
    ]


@router.post(
    "/asuh/payments",
    status_code=201,
    response_model=dict[str, int],
    dependencies=CSRF,
    responses=REFUSED,
)
def add_payment(
    connection: Db, current: CurrentViewer, sent: PaymentIn
) -> dict[str, int] | JSONResponse:
    """Record a payment (audited); its id."""
    new, errors = read_payment(raw_fields(sent), date.today())
    try:
        if new is not None:
            return {"id": asuh_money.add_payment(connection, current.scope, current.user, new)}
    except FieldError as error:
        errors = [error]
    return refused(errors, current)


class DisbursementIn(BaseModel):
    """Money Baznas paid out: day, kelurahan code, rupiah, proposal number, recipient
    (kitchen or family), the kitchen's name (and number); only on one sponsor's money
    when ``sponsor_id`` is given."""

    paid_on: str
    kelurahan_code: str
    amount_rupiah: int
    proposal_reference: str
    recipient_kind: str = "kitchen"
    kitchen_name: str | None = None
    kitchen_id: int | None = None
    sponsor_id: int | None = None
    note: str | None = None


class ShareOut(BaseModel):
    """Rupiah of one sponsor's money in a disbursement."""

    sponsor_name: str
    amount_rupiah: int


class DisbursementOut(BaseModel):
    """A disbursement and whose money it was."""

    id: int
    paid_on: date
    kelurahan_code: str
    kelurahan_name: str
    amount_rupiah: int
    proposal_reference: str
    recipient_kind: str
    kitchen_id: int | None
    kitchen_name: str | None
    sponsors: list[ShareOut]


@router.get("/asuh/disbursements", response_model=list[DisbursementOut])
def list_disbursements(connection: Db, current: CurrentViewer) -> list[DisbursementOut]:
    """Every disbursement, oldest first, with the sponsors it drew on."""
    return [
        DisbursementOut(
            id=v.disbursement.id,
            paid_on=v.disbursement.paid_on,
            kelurahan_code=v.disbursement.kelurahan_code,
            kelurahan_name=v.disbursement.kelurahan_name,
            amount_rupiah=v.disbursement.amount_rupiah,
            proposal_reference=v.disbursement.proposal_reference,
            recipient_kind=v.disbursement.recipient_kind.value,
            kitchen_id=v.disbursement.kitchen_id,
            kitchen_name=v.disbursement.kitchen_name,
            sponsors=[ShareOut(sponsor_name=n, amount_rupiah=a) for n, a in v.sponsors],
        )
        for v in asuh_money.disbursement_list(connection, current.scope)
    ]


@router.post(
    "/asuh/disbursements",
    status_code=201,
    response_model=dict[str, int],
    dependencies=CSRF,
    responses=REFUSED,
)
def add_disbursement(
    request: Request, connection: Db, current: CurrentViewer, sent: DisbursementIn
) -> dict[str, int] | JSONResponse:
    """Record a disbursement (audited); refused (422) above the balance of its day."""
    new, errors = read_disbursement(raw_fields(sent), date.today())
    city = web_state(request).settings.city_code
    try:
        if new is not None:
            number = asuh_money.add_disbursement(
                connection, current.scope, current.user, new, city_code=city
            )
            return {"id": number}
    except FieldError as error:
        errors = [error]
    return refused(errors, current)


class MoneyLineOut(BaseModel):
    """Pledged, received and disbursed rupiah of a sponsor, OPD, kelurahan or month."""

    key: str
    label: str
    pledged_rupiah: int | None
    received_rupiah: int | None
    disbursed_rupiah: int


@router.get("/asuh/summary", response_model=list[MoneyLineOut])
def summary(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    by: asuh_money.SummaryBy = asuh_money.SummaryBy.MONTH,
) -> list[MoneyLineOut]:
    """The money per ``by``: sponsor, institution (OPD), kelurahan or month."""
    city = web_state(request).settings.city_code
    return [
        MoneyLineOut(
            key=x.key,
            label=x.label,
            pledged_rupiah=x.pledged,
            received_rupiah=x.received,
            disbursed_rupiah=x.disbursed,
        )
        for x in asuh_money.money_summary(connection, current.scope, by, city_code=city)
    ]


def plain_data(value: object) -> Any:
    """A dataclass tree as JSON values (dates as ISO text, enums as their values)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain_data(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [plain_data(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value
