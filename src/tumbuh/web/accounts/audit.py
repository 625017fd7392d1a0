"""The audit log page (administrators only)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from tumbuh.asuh_labels import AUDIT_ENTITY_NAMES
from tumbuh.labels import RUN_COUNT_LABELS
from tumbuh.usecases.audit import audit_page as audit_log
from tumbuh.web.deps import CurrentViewer, Db
from tumbuh.web.security import csrf_token
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
ENTITIES = "^(child|measurement|user|import|case|" + "|".join(AUDIT_ENTITY_NAMES) + ")$"


@router.get("/audit-log", response_class=HTMLResponse)
def audit_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    entity: Annotated[str | None, Query(pattern=ENTITIES)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Every change to a child, measurement or user account, and every import, newest
    first (administrators only); rows an import wrote link to its run."""
    log = audit_log(connection, current.scope, entity, page, PER_PAGE)
    context = {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "entries": log.entries,
        "total": log.total,
        "page": page,
        "pages": max(1, -(-log.total // PER_PAGE)),
        "entity": entity or "",
        "runs": log.runs,
        "count_labels": RUN_COUNT_LABELS,
        "asuh_entities": AUDIT_ENTITY_NAMES,
    }
    return HTMLResponse(render(current.language, "audit.html", context))
