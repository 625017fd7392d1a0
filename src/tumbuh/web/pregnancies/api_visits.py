"""Correcting and removing a pregnancy's visits in the JSON API
(``/api/v1/pregnancies/{id}/visits/{visit}``, ``/api/v1/pregnancies/{id}/kf/{visit}``),
scoped as the pages: 422 with the field and what to fix, 404 for a visit that is not of
that pregnancy or a pregnancy outside the area (docs/pregnancies.md)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel

from tumbuh.usecases import pregnancy_visits
from tumbuh.usecases.pregnancy_input import FieldError, read_visit
from tumbuh.web.deps import CurrentViewer, Db, csrf_protected
from tumbuh.web.field_errors import REFUSED, refused, sent_raw
from tumbuh.web.pregnancies.api import VisitIn
from tumbuh.web.surveillance.areas import MAX_ID

router = APIRouter()
CSRF = [Depends(csrf_protected)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class KfChangeIn(BaseModel):
    """A KF visit's new day (YYYY-MM-DD) and note; its number stays."""

    visited_on: str
    note: str | None = None


@router.put(
    "/pregnancies/{pregnancy_id}/visits/{visit_id}",
    status_code=204,
    dependencies=CSRF,
    responses=REFUSED,
)
def correct_visit(
    connection: Db, current: CurrentViewer, pregnancy_id: Id, visit_id: Id, sent: VisitIn
) -> Response:
    """Replace an ANC visit's fields (audited)."""
    try:
        visit = read_visit(sent_raw(sent), date.today())
        pregnancy_visits.correct_visit(
            connection, current.user, current.scope, (pregnancy_id, visit_id), visit
        )
    except FieldError as error:
        return refused(error, current)
    return Response(status_code=204)


@router.delete("/pregnancies/{pregnancy_id}/visits/{visit_id}", status_code=204, dependencies=CSRF)
def remove_visit(
    connection: Db, current: CurrentViewer, pregnancy_id: Id, visit_id: Id
) -> Response:
    """Remove an ANC visit (audited)."""
    pregnancy_visits.remove_visit(connection, current.user, current.scope, (pregnancy_id, visit_id))
    return Response(status_code=204)


@router.put(
    "/pregnancies/{pregnancy_id}/kf/{visit_id}",
    status_code=204,
    dependencies=CSRF,
    responses=REFUSED,
)
def correct_kf_visit(
    connection: Db, current: CurrentViewer, pregnancy_id: Id, visit_id: Id, sent: KfChangeIn
) -> Response:
    """Change a KF visit's day and note (audited)."""
    try:
        visit = read_visit(sent_raw(sent), date.today())
        pregnancy_visits.correct_kf_visit(
            connection,
            current.user,
            current.scope,
            (pregnancy_id, visit_id),
            visit.visited_on,
            visit.note,
        )
    except FieldError as error:
        return refused(error, current)
    return Response(status_code=204)


@router.delete("/pregnancies/{pregnancy_id}/kf/{visit_id}", status_code=204, dependencies=CSRF)
def remove_kf_visit(
    connection: Db, current: CurrentViewer, pregnancy_id: Id, visit_id: Id
) -> Response:
    """Remove a KF visit (audited)."""
    pregnancy_visits.remove_kf_visit(
        connection, current.user, current.scope, (pregnancy_id, visit_id)
    )
    return Response(status_code=204)
