"""Imports reviewed afterwards: the list of runs and one run's page (docs/web.md,
"Imports"). For those who import: an administrator sees every run; a nutritionist her
own runs and those that created a child or added a measurement in her area, and of each
only the children of her area. Anything else is "not found" (404), as elsewhere.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from tumbuh.db.import_runs import RunViewer, children_created, import_run, import_runs
from tumbuh.labels import RUN_COUNT_LABELS
from tumbuh.web.deps import CurrentViewer, Db, NotFound, Viewer
from tumbuh.web.security import csrf_token
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
Page = Annotated[int, Query(ge=1, le=100_000)]


def run_viewer(current: Viewer) -> RunViewer:
    """What ``current`` may review (404 for those who do not import)."""
    if not current.scope.may_import:
        raise NotFound
    if current.scope.whole_city:
        return RunViewer()
    return RunViewer(current.scope.kelurahan or frozenset(), current.user.id)


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
    viewer = run_viewer(current)
    runs, total = import_runs(connection, viewer, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
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
    viewer = run_viewer(current)
    detail = import_run(connection, run_id, viewer)
    if detail is None:
        raise NotFound
    children, total = children_created(
        connection, run_id, viewer, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    return _render(
        request,
        current,
        "import_run.html",
        detail=detail,
        labels=RUN_COUNT_LABELS,
        children=children,
        total=total,
        page=page,
        pages=_pages(total),
    )
