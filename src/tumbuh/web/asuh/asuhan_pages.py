"""Asuhan pages: the fair proposal list a TPPS officer confirms (``/asuh/proposals``),
the asuhan (``/asuh/asuhan``, ending one, sponsoring a family) and the deliveries
(``/asuh/deliveries``) (docs/asuh.md, "Asuhan")."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.usecases import asuh, asuhan
from tumbuh.usecases.asuh_input import (
    FieldError,
    day,
    identifier,
    read_delivery,
    read_terms,
)
from tumbuh.web.asuh.common import Id, form_fields, form_ids, messages, page
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected

router = APIRouter(include_in_schema=False)
TERMS = ("sponsor_id", "kind", "start_on", "end_on", "note")
DELIVERY_FIELDS = ("asuhan_id", "delivered_on", "what", "delivered_by", "note")
PROPOSALS_SHOWN = 100


def _proposals_page(
    request: Request,
    current: Viewer,
    connection: Db,
    limit: int,
    raw: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    today = date.today()
    return page(
        request,
        current,
        "asuh_proposals.html",
        current.language,
        422 if errors else 200,
        proposals=asuhan.proposal_list(connection, current.scope, today, limit=limit),
        sponsors=asuh.sponsor_list(connection, current.scope),
        limit=limit,
        raw=raw or {"start_on": today.isoformat(), "kind": "prioritas"},
        errors=errors or [],
    )


@router.get("/asuh/proposals", response_class=HTMLResponse)
def proposals_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    limit: Annotated[int, Query(ge=1, le=1000)] = PROPOSALS_SHOWN,
) -> HTMLResponse:
    """The children with an open stunting case and no asuhan, in the fair order (baduta
    first, the most severe first, round by round across kelurahan), to confirm."""
    return _proposals_page(request, current, connection, limit)


@router.post("/asuh/proposals", dependencies=[Depends(csrf_protected)])
async def confirm(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Confirm asuhan of one sponsor for the ticked children (audited)."""
    raw = await form_fields(request, TERMS)
    children = await form_ids(request, "child_id")
    terms, errors = read_terms(raw, date.today())
    try:
        if terms is not None:
            asuhan.confirm_asuhan(
                connection, current.scope, current.user, terms, child_ids=children
            )
    except FieldError as error:
        errors = [error]
    if errors:
        texts = messages(errors, current.language)
        return _proposals_page(request, current, connection, PROPOSALS_SHOWN, raw, texts)
    return RedirectResponse("/asuh/asuhan", status_code=303)


def _asuhan_page(
    request: Request,
    current: Viewer,
    connection: Db,
    every: bool,
    raw: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    today = date.today()
    return page(
        request,
        current,
        "asuh_asuhan.html",
        current.language,
        422 if errors else 200,
        listed=asuhan.asuhan_list(connection, current.scope, today, running=not every),
        sponsors=asuh.sponsor_list(connection, current.scope),
        every=every,
        raw=raw or {"start_on": today.isoformat(), "kind": "prioritas"},
        errors=errors or [],
    )


@router.get("/asuh/asuhan", response_class=HTMLResponse)
def asuhan_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    every: Annotated[bool, Query(alias="all")] = False,
) -> HTMLResponse:
    """The asuhan running today (``all=true``: every one), with the forms to end one and
    to sponsor a family."""
    return _asuhan_page(request, current, connection, every)


@router.post("/asuh/asuhan", dependencies=[Depends(csrf_protected)])
async def add_family(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Confirm an asuhan of a family (by its number; audited)."""
    raw = await form_fields(request, (*TERMS, "family_id"))
    terms, errors = read_terms(raw, date.today())
    try:
        family = identifier(raw, "family_id")
        if terms is not None and family is not None:
            asuhan.confirm_asuhan(
                connection, current.scope, current.user, terms, family_ids=[family]
            )
        elif terms is not None:
            errors = [FieldError("{field}: fill it in", field="family_id")]
    except FieldError as error:
        errors = [error]
    if errors:
        texts = messages(errors, current.language)
        return _asuhan_page(request, current, connection, False, raw, texts)
    return RedirectResponse("/asuh/asuhan", status_code=303)


@router.post("/asuh/asuhan/{asuhan_id}/end", dependencies=[Depends(csrf_protected)])
async def end(request: Request, connection: Db, current: CurrentViewer, asuhan_id: Id) -> Response:
    """End an asuhan on the day given (audited)."""
    raw = await form_fields(request, ("end_on",))
    try:
        ended = day(raw, "end_on", date.max)
        if ended is None:
            raise FieldError("{field}: fill it in", field="end_on")
        asuhan.end_asuhan(connection, current.scope, current.user, asuhan_id, ended)
    except FieldError as error:
        texts = messages([error], current.language)
        return _asuhan_page(request, current, connection, True, None, texts)
    return RedirectResponse("/asuh/asuhan?all=true", status_code=303)


def _deliveries_page(
    request: Request,
    current: Viewer,
    connection: Db,
    raw: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    today = date.today()
    return page(
        request,
        current,
        "asuh_deliveries.html",
        current.language,
        422 if errors else 200,
        listed=asuhan.delivery_list(connection, current.scope, today),
        running=asuhan.asuhan_list(connection, current.scope, today, running=True),
        raw=raw or {"delivered_on": today.isoformat()},
        errors=errors or [],
    )


@router.get("/asuh/deliveries", response_class=HTMLResponse)
def deliveries_page(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The latest deliveries and the form to record one."""
    return _deliveries_page(request, current, connection)


@router.post("/asuh/deliveries", dependencies=[Depends(csrf_protected)])
async def add_delivery(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Record a delivery under a running asuhan (audited)."""
    raw = await form_fields(request, DELIVERY_FIELDS)
    new, errors = read_delivery(raw, date.today())
    try:
        if new is not None:
            asuhan.add_delivery(connection, current.scope, current.user, new)
    except FieldError as error:
        errors = [error]
    if errors:
        return _deliveries_page(
            request, current, connection, raw, messages(errors, current.language)
        )
    return RedirectResponse("/asuh/deliveries", status_code=303)
