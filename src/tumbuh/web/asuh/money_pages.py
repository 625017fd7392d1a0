"""Bapak Asuh money pages: payments received by Baznas (``/asuh/payments``),
disbursements to the kelurahan (``/asuh/disbursements``) and the month's Baznas
statement as .xlsx (``/asuh/statement``) (docs/asuh.md, "Money")."""

import io
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.growth.periods import Period, parse_period
from tumbuh.reports.asuh_statement import write_statement
from tumbuh.usecases import asuh, asuh_money
from tumbuh.usecases.asuh_input import FieldError, read_disbursement, read_payment
from tumbuh.web.asuh.common import MONTH_PATTERN, form_fields, messages, page
from tumbuh.web.deps import CurrentViewer, Db, NotFound, Viewer, csrf_protected, web_state

router = APIRouter(include_in_schema=False)
PAYMENT_FIELDS = ("sponsor_id", "received_on", "amount_rupiah", "reference", "pledge_id", "note")
DISBURSEMENT_FIELDS = (
    "paid_on",
    "kelurahan_code",
    "amount_rupiah",
    "proposal_reference",
    "recipient_kind",
    "kitchen_name",
    "kitchen_id",
    "sponsor_id",
    "note",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MonthQuery = Annotated[str | None, Query(pattern=MONTH_PATTERN)]


def _month(text: str | None) -> Period | None:
    found = parse_period(text) if text else None
    if text and found is None:
        raise NotFound
    return found


def _payments_page(
    request: Request,
    current: Viewer,
    connection: Db,
    month: Period | None,
    raw: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    return page(
        request,
        current,
        "asuh_payments.html",
        current.language,
        422 if errors else 200,
        payments=asuh_money.payment_list(connection, current.scope, month=month),
        sponsors=asuh.sponsor_list(connection, current.scope),
        month=month,
        raw=raw or {"received_on": date.today().isoformat()},
        errors=errors or [],
    )


@router.get("/asuh/payments", response_class=HTMLResponse)
def payments_page(
    request: Request, connection: Db, current: CurrentViewer, month: MonthQuery = None
) -> HTMLResponse:
    """The money Baznas received (of a month, ``YYYY-MM``), and the form for a payment."""
    return _payments_page(request, current, connection, _month(month))


@router.post("/asuh/payments", dependencies=[Depends(csrf_protected)])
async def add_payment(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Record a payment (audited); 422 with what to fix (a receipt recorded twice too)."""
    raw = await form_fields(request, PAYMENT_FIELDS)
    new, errors = read_payment(raw, date.today())
    try:
        if new is not None:
            asuh_money.add_payment(connection, current.scope, current.user, new)
    except FieldError as error:
        errors = [error]
    if errors:
        texts = messages(errors, current.language)
        return _payments_page(request, current, connection, None, raw, texts)
    return RedirectResponse("/asuh/payments", status_code=303)


def _disbursements_page(
    request: Request,
    current: Viewer,
    connection: Db,
    month: Period | None,
    raw: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    city = web_state(request).settings.city_code
    today = date.today()
    return page(
        request,
        current,
        "asuh_disbursements.html",
        current.language,
        422 if errors else 200,
        listed=asuh_money.disbursement_list(connection, current.scope, month=month),
        balance=asuh_money.balance(connection, current.scope, today),
        kelurahan=asuh.kelurahan_choices(connection, current.scope, city),
        sponsors=asuh.sponsor_list(connection, current.scope),
        month=month,
        raw=raw or {"paid_on": today.isoformat(), "recipient_kind": "kitchen"},
        errors=errors or [],
    )


@router.get("/asuh/disbursements", response_class=HTMLResponse)
def disbursements_page(
    request: Request, connection: Db, current: CurrentViewer, month: MonthQuery = None
) -> HTMLResponse:
    """The money Baznas paid out to the kelurahan (of a month), whose money it was, the
    balance today and the form for a disbursement."""
    return _disbursements_page(request, current, connection, _month(month))


@router.post("/asuh/disbursements", dependencies=[Depends(csrf_protected)])
async def add_disbursement(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Record a disbursement (audited); refused above the balance, with both amounts."""
    raw = await form_fields(request, DISBURSEMENT_FIELDS)
    new, errors = read_disbursement(raw, date.today())
    city = web_state(request).settings.city_code
    try:
        if new is not None:
            asuh_money.add_disbursement(
                connection, current.scope, current.user, new, city_code=city
            )
    except FieldError as error:
        errors = [error]
    if errors:
        texts = messages(errors, current.language)
        return _disbursements_page(request, current, connection, None, raw, texts)
    return RedirectResponse("/asuh/disbursements", status_code=303)


@router.get("/asuh/statement")
def statement(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    month: Annotated[str, Query(pattern=MONTH_PATTERN)],
) -> Response:
    """The month's Baznas statement as .xlsx: money in, out and the balance per sponsor,
    the money out per kelurahan, and the month's entries."""
    period = _month(month)
    if period is None:  # pragma: no cover - the pattern requires a month
        raise NotFound
    city = web_state(request).settings.city_code
    found = asuh_money.baznas_statement(connection, current.scope, period, city_code=city)
    buffer = io.BytesIO()
    write_statement(found, period, buffer, language=current.language)
    headers = {"Content-Disposition": f'attachment; filename="baznas-bapak-asuh-{month}.xlsx"'}
    return Response(buffer.getvalue(), media_type=XLSX, headers=headers)
