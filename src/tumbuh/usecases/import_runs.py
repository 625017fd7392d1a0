"""Imports reviewed afterwards: the list of runs and one run (docs/web.md, "Imports").

For those who import: the whole city sees every run; a user of an area her own runs and
those that created a child or added a measurement in her area, and of each only the
children of her area. The scope is applied here once; a user who does not import gets
:class:`NotAllowed` (the web answers "not found", 404, as elsewhere). The command line
passes no scope: its operator can read the whole database.
"""

from dataclasses import dataclass

from sqlalchemy import Connection

from tumbuh.db.import_runs import (
    AreaCounts,
    CreatedChild,
    ImportedFileInfo,
    ImportRunDetail,
    ImportRunInfo,
    RunViewer,
    children_created,
    import_run,
    import_runs,
)
from tumbuh.usecases.access import NotAllowed, Scope

__all__ = [
    "AreaCounts",
    "CreatedChild",
    "ImportRunDetail",
    "ImportRunInfo",
    "ImportedFileInfo",
    "NotAllowed",
    "RunPage",
    "list_runs",
    "show_run",
]


@dataclass(frozen=True)
class RunPage:
    """One run and a page of the children it created (in the user's area)."""

    detail: ImportRunDetail
    children: list[CreatedChild]
    total_children: int


def _viewer(scope: Scope | None, user_id: int | None) -> RunViewer:
    """What the user of ``scope`` may review (None: the command line, the whole city)."""
    if scope is None:
        return RunViewer()
    if not scope.may_import:
        raise NotAllowed
    if scope.whole_city:
        return RunViewer()
    return RunViewer(scope.kelurahan or frozenset(), user_id)


def list_runs(
    connection: Connection,
    scope: Scope | None,
    user_id: int | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ImportRunInfo], int]:
    """The runs the user (``scope``, ``user_id``) may see, newest first, and how many
    there are in all."""
    return import_runs(connection, _viewer(scope, user_id), limit=limit, offset=offset)


def show_run(
    connection: Connection,
    run_id: int,
    scope: Scope | None,
    user_id: int | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> RunPage | None:
    """One run with its files and a page of the children it created in the user's area;
    None when there is none or the user may not see it."""
    viewer = _viewer(scope, user_id)
    detail = import_run(connection, run_id, viewer)
    if detail is None:
        return None
    children, total = children_created(connection, run_id, viewer, limit=limit, offset=offset)
    return RunPage(detail, children, total)
