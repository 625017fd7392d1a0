"""Imports reviewed afterwards: the list of runs and one run's page (docs/web.md,
"Imports"). For those who import: an administrator sees every run; a nutritionist her
own runs and those that created a child or added a measurement in her area, and of each
only the children of her area. Anything else is "not found" (404), as elsewhere.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from tumbuh.labels import RUN_COUNT_LABELS
from tumbuh.usecases.import_runs import NotAllowed, list_runs, show_run
from tumbuh.web.deps import CurrentViewer, Db, NotFound, Viewer
from tumbuh.web.security import csrf_token
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
Page = Annotated[int, Query(ge=1, le=100_000)]


def _render(request: Request, current: Viewer, name: str, **values: object) -> HTMLResponse:
    context = {"request": request, "viewer": current, "csrf": csrf_token(request), **values}
    return HTMLResponse(render(current.language, name, context))


def _pages(total: int) -> int:
    return max(1, -(-total // PER_PAGE))


@router.get("/imports", response_class=HTMLResponse)
def runs_page(
    request: Request, connection: Db, current: CurrentViewer, page: Page = 1
) -> HTMLResponse:
    """The imports this user may review, newest first."""
    try:
        runs, total = list_runs(
            connection,
            current.scope,
            current.user.id,
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
        )
    except NotAllowed:
        raise NotFound from None
    return _render(
        request, current, "imports.html", runs=runs, total=total, page=page, pages=_pages(total)
    )


@router.get("/imports/{run_id}", response_class=HTMLResponse)
def run_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    run_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    page: Page = 1,
) -> HTMLResponse:
    """One import: who, when, its files with their hashes, its counts, and the children
    it created (in the user's area), a page at a time."""
    try:
        found = show_run(
            connection,
            run_id,
            current.scope,
            current.user.id,
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
        )
    except NotAllowed:
        raise NotFound from None
    if found is None:
        raise NotFound
    return _render(
        request,
        current,
        "import_run.html",
        detail=found.detail,
        labels=RUN_COUNT_LABELS,
        children=found.children,
        total=found.total_children,
        page=page,
        pages=_pages(found.total_children),
    )
