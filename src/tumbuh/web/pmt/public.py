"""The public page of PMT lokal (``/public/pmt``, no sign-in): what the kitchens did, as
totals only (docs/pmt.md, "The public page")."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tumbuh.episode_labels import EXIT_NAMES
from tumbuh.usecases.pmt_public import pmt_transparency
from tumbuh.web.deps import Db, request_language, web_state
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/public/pmt", response_class=HTMLResponse)
def public(request: Request, connection: Db) -> HTMLResponse:
    """PMT lokal's public figures: kitchens, servings and people fed per month and per
    kelurahan, how episodes ended (counts of 1 to 4 people withheld)."""
    city = web_state(request).settings.city_code
    figures = pmt_transparency(connection, date.today(), city_code=city)
    language = request_language(request)
    context = {"request": request, "viewer": None, "figures": figures, "exits": EXIT_NAMES}
    return HTMLResponse(render(language, "pmt_public.html", context))
