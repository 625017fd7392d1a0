"""Bapak Asuh for the TPPS and administrators: the overview (``/asuh``), the sponsors
(``/asuh/sponsors``) and one sponsor with their pledges (``/asuh/sponsors/{id}``)
(docs/asuh.md). Anyone else: 404 (the use cases check it)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.usecases import asuh, asuh_money, asuhan
from tumbuh.usecases.asuh_input import FieldError, read_pledge, read_sponsor
from tumbuh.web.asuh.common import Id, form_fields, messages, page
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state

router = APIRouter(include_in_schema=False)
SPONSOR_FIELDS = ("kind", "name", "institution", "contact", "listed_publicly")
PLEDGE_FIELDS = ("monthly_amount_rupiah", "in_kind", "months", "start_month", "channel", "note")


@router.get("/asuh", response_class=HTMLResponse)
def overview(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    by: Annotated[asuh_money.SummaryBy, Query()] = asuh_money.SummaryBy.MONTH,
) -> HTMLResponse:
    """The balance today and what was pledged, received and disbursed per month,
    sponsor, OPD or kelurahan."""
    city = web_state(request).settings.city_code
    today = date.today()
    balance = asuh_money.balance(connection, current.scope, today)
    lines = asuh_money.money_summary(connection, current.scope, by, city_code=city)
    running = asuhan.asuhan_list(connection, current.scope, today, running=True)
    return page(
        request,
        current,
        "asuh.html",
        current.language,
        balance=balance,
        lines=lines,
        by=by,
        running=len(running),
        ways=list(asuh_money.SummaryBy),
    )


def _sponsors_page(
    request: Request,
    current: Viewer,
    connection: Db,
    raw: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    city = web_state(request).settings.city_code
    sponsors = asuh.sponsor_list(connection, current.scope)
    lines = asuh_money.money_summary(
        connection, current.scope, asuh_money.SummaryBy.SPONSOR, city_code=city
    )
    return page(
        request,
        current,
        "asuh_sponsors.html",
        current.language,
        422 if errors else 200,
        sponsors=sponsors,
        money={int(line.key): line for line in lines},
        raw=raw or {},
        errors=errors or [],
    )


@router.get("/asuh/sponsors", response_class=HTMLResponse)
def sponsors_page(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """Every sponsor with their money, and the form for a new one."""
    return _sponsors_page(request, current, connection)


@router.post("/asuh/sponsors", dependencies=[Depends(csrf_protected)])
async def add_sponsor(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Record a sponsor (audited), then open their page; 422 with what to fix."""
    raw = await form_fields(request, SPONSOR_FIELDS)
    new, errors = read_sponsor(raw)
    if new is None:
        return _sponsors_page(request, current, connection, raw, messages(errors, current.language))
    found = asuh.add_sponsor(connection, current.scope, current.user, new)
    return RedirectResponse(f"/asuh/sponsors/{found.id}", status_code=303)


def _sponsor_page(
    request: Request,
    current: Viewer,
    connection: Db,
    sponsor_id: int,
    errors: list[str] | None = None,
    raw: dict[str, str] | None = None,
) -> HTMLResponse:
    sponsor = asuh.find_sponsor(connection, current.scope, sponsor_id)
    today = date.today()
    return page(
        request,
        current,
        "asuh_sponsor.html",
        current.language,
        422 if errors else 200,
        sponsor=sponsor,
        pledges=asuh.pledges_of(connection, current.scope, sponsor_id),
        payments=asuh_money.payment_list(connection, current.scope, sponsor_id=sponsor_id),
        asuhan=asuhan.asuhan_list(connection, current.scope, today, sponsor_id=sponsor_id),
        errors=errors or [],
        raw=raw or {},
    )


@router.get("/asuh/sponsors/{sponsor_id}", response_class=HTMLResponse)
def sponsor_page(
    request: Request, connection: Db, current: CurrentViewer, sponsor_id: Id
) -> HTMLResponse:
    """One sponsor: their details (editable), pledges, payments and asuhan."""
    return _sponsor_page(request, current, connection, sponsor_id)


@router.post("/asuh/sponsors/{sponsor_id}", dependencies=[Depends(csrf_protected)])
async def change_sponsor(
    request: Request, connection: Db, current: CurrentViewer, sponsor_id: Id
) -> Response:
    """Store the sponsor's new details (audited)."""
    raw = await form_fields(request, SPONSOR_FIELDS)
    new, errors = read_sponsor(raw)
    if new is None:
        texts = messages(errors, current.language)
        return _sponsor_page(request, current, connection, sponsor_id, texts, raw)
    asuh.change_sponsor(connection, current.scope, current.user, sponsor_id, new)
    return RedirectResponse(f"/asuh/sponsors/{sponsor_id}", status_code=303)


@router.post("/asuh/sponsors/{sponsor_id}/pledges", dependencies=[Depends(csrf_protected)])
async def add_pledge(
    request: Request, connection: Db, current: CurrentViewer, sponsor_id: Id
) -> Response:
    """Record a pledge of the sponsor (audited)."""
    raw = await form_fields(request, PLEDGE_FIELDS)
    asuh.find_sponsor(connection, current.scope, sponsor_id)  # 404 before reading further
    new, errors = read_pledge(raw, sponsor_id)
    try:
        if new is not None:
            asuh.add_pledge(connection, current.scope, current.user, new)
    except FieldError as error:
        errors = [error]
    if errors:
        texts = messages(errors, current.language)
        return _sponsor_page(request, current, connection, sponsor_id, texts, raw)
    return RedirectResponse(f"/asuh/sponsors/{sponsor_id}", status_code=303)
