"""The dashboard's indicators panel (``GET /indicators/panel``), an HTML fragment the home
page loads after it is shown: counting a year's indicators for a whole city takes
seconds (docs/web.md, "The indicators panel on the dashboard"), so the dashboard never
waits for it. Kept with the page's figures per day, role and area; roles without the
indicators get 404 (their dashboard never asks)."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tumbuh.usecases.indicator_panel import indicator_panel
from tumbuh.web.deps import CurrentViewer, Db, NotFound, web_state
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/indicators/panel", response_class=HTMLResponse)
def panel(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The panel of the user's area: this year's indicators against their targets."""
    figures = web_state(request).figures.snapshot(connection)
    today = date.today()
    scope = current.scope
    found = figures.memo(
        ("indicator-panel", today, scope.role, scope.kelurahan),
        lambda: indicator_panel(connection, figures.places, scope, today=today),
    )
    if found is None:
        raise NotFound
    context = {"request": request, "viewer": current, "panel": found}
    return HTMLResponse(render(current.language, "_indicator_panel.html", context))
