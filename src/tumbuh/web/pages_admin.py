"""The audit log page (administrators only)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from tumbuh.db.audit import audit_entries
from tumbuh.db.import_runs import audit_import_runs
from tumbuh.labels import RUN_COUNT_LABELS
from tumbuh.web.deps import CurrentViewer, Db, NotFound
from tumbuh.web.security import csrf_token
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/audit-log", response_class=HTMLResponse)
def audit_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    entity: Annotated[str | None, Query(pattern="^(child|measurement|user|import)$")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Every change to a child, measurement or user account, and every import, newest
    first (administrators only); rows an import wrote link to its run."""
    if not current.scope.may_administer:
        raise NotFound
    per_page = 50
    entries, total = audit_entries(
        connection, entity=entity, limit=per_page, offset=(page - 1) * per_page
    )
    context = {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "entries": entries,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // per_page)),
        "entity": entity or "",
        "runs": audit_import_runs(connection, [e.id for e in entries]),
        "count_labels": RUN_COUNT_LABELS,
    }
    return HTMLResponse(render(current.language, "audit.html", context))
