"""The TPK's work in the JSON API (``/api/v1/families``), scoped as the pages: the area's
families with their KRS assessment, one family with its visits, and the writes (a visit
recorded, changed or removed; the KRS criteria). A refused write answers 422 with the
field and what to fix in the user's language; a family outside the area 404
(docs/families.md)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tumbuh.errors import NamedFieldError
from tumbuh.usecases import families
from tumbuh.usecases.family_input import read_criteria, read_filter, read_tpk_visit
from tumbuh.web.deps import CurrentViewer, Db, csrf_protected
from tumbuh.web.field_errors import REFUSED, refused
from tumbuh.web.surveillance.areas import MAX_ID

router = APIRouter()
CSRF = [Depends(csrf_protected)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class FamilyOut(BaseModel):
    """A family of the area with its KRS assessment (None: not known); the family card
    number only for roles that see NIK. ``criteria``: those holding; ``unknown``: those
    not assessed (names of growth.krs.KrsCriterion, lower case)."""

    id: int
    kelurahan_code: str
    kelurahan_name: str
    rt: str | None
    rw: str | None
    nomor_kk: str | None
    mothers: list[str]
    children_under_five: int
    pregnant: bool
    target: bool | None
    at_risk: bool | None
    criteria: list[str]
    unknown: list[str]
    krs_assessed_on: date | None
    visits: int
    last_visited_on: date | None


class FamilyListOut(BaseModel):
    """One page of the filtered list and how many families match."""

    families: list[FamilyOut]
    total: int
    page: int
    pages: int


class VisitOut(BaseModel):
    """A TPK visit: day, who came, actions (TpkAction values), note, whether you may change it."""

    id: int
    visited_on: date
    member: str
    actions: list[str]
    note: str | None
    editable: bool


class FamilyPageOut(FamilyOut):
    """One family with its TPK visits (latest first)."""

    visits_recorded: list[VisitOut]


class VisitIn(BaseModel):
    """A visit: the day (YYYY-MM-DD, not after today), the member who came (empty: you),
    the actions (TpkAction values: nutrition_counselling, anc_reminder, iron_tablets,
    posyandu_invitation, referral, family_planning, food_aid, sanitation, social_aid,
    other) and a note; at least one action or a note."""

    visited_on: str
    tpk_member: str | None = None
    actions: list[str] = []
    note: str | None = None


class CriteriaIn(BaseModel):
    """The six KRS criteria (true, false, null: not known) and the day assessed."""

    has_safe_drinking_water: bool | None = None
    has_safe_latrine: bool | None = None
    wife_under_20: bool | None = None
    wife_35_or_older: bool | None = None
    birth_spacing_under_2_years: bool | None = None
    more_than_3_children: bool | None = None
    krs_assessed_on: str | None = None


def _out(s: families.FamilySummary) -> dict[str, object]:
    return vars(s) | {
        "mothers": list(s.mothers),
        "criteria": [str(c.name).lower() for c in s.criteria],
        "unknown": [str(c.name).lower() for c in s.unknown],
    }


@router.get("/families", response_model=FamilyListOut, responses=REFUSED)
def list_families(
    connection: Db,
    current: CurrentViewer,
    kelurahan: Annotated[str, Query(max_length=20)] = "",
    at_risk: bool = False,
    not_visited_days: Annotated[int | None, Query(ge=1, le=3650)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> FamilyListOut | JSONResponse:
    """The families of the user's area: those at risk first, the longest unvisited first."""
    raw = {
        "kelurahan": kelurahan,
        "at_risk": "1" if at_risk else "",
        "not_visited_days": "" if not_visited_days is None else str(not_visited_days),
    }
    try:
        listed = families.family_list(
            connection, current.scope, read_filter(raw), today=date.today(), page=page
        )
    except NamedFieldError as error:
        return refused(error, current)
    out = [FamilyOut.model_validate(_out(s)) for s in listed.families]
    return FamilyListOut(families=out, total=listed.total, page=listed.page, pages=listed.pages)


@router.get("/families/{family_id}", response_model=FamilyPageOut)
def one_family(connection: Db, current: CurrentViewer, family_id: Id) -> FamilyPageOut:
    """One family of the user's area with its visits."""
    page = families.family_page(
        connection, current.scope, current.user.id, family_id, today=date.today()
    )
    visits = [
        VisitOut.model_validate(vars(v) | {"actions": [a.value for a in v.actions]})
        for v in page.visits
    ]
    return FamilyPageOut.model_validate(_out(page.summary) | {"visits_recorded": visits})


def _visit_raw(sent: VisitIn) -> dict[str, str]:
    return {"visited_on": sent.visited_on, "tpk_member": sent.tpk_member or "",
            "note": sent.note or ""}  # fmt: skip


@router.post(
    "/families/{family_id}/visits",
    status_code=201,
    response_model=dict[str, int],
    dependencies=CSRF,
    responses=REFUSED,
)
def add_visit(
    connection: Db, current: CurrentViewer, family_id: Id, sent: VisitIn
) -> dict[str, int] | JSONResponse:
    """Record a TPK visit (audited); its id."""
    try:
        visit = read_tpk_visit(_visit_raw(sent), sent.actions, date.today())
        found = families.record_visit(connection, current.user, current.scope, family_id, visit)
    except NamedFieldError as error:
        return refused(error, current)
    return {"id": found}


@router.put(
    "/families/{family_id}/visits/{visit_id}",
    status_code=204,
    response_class=Response,
    dependencies=CSRF,
    responses=REFUSED,
)
def change_visit(
    connection: Db, current: CurrentViewer, family_id: Id, visit_id: Id, sent: VisitIn
) -> Response:
    """Change a visit (its recorder, a nutritionist or an administrator; audited)."""
    try:
        visit = read_tpk_visit(_visit_raw(sent), sent.actions, date.today())
        families.edit_visit(connection, current.user, current.scope, family_id, visit_id, visit)
    except NamedFieldError as error:
        return refused(error, current)
    return Response(status_code=204)


@router.delete(
    "/families/{family_id}/visits/{visit_id}",
    status_code=204,
    response_class=Response,
    dependencies=CSRF,
)
def remove_visit(connection: Db, current: CurrentViewer, family_id: Id, visit_id: Id) -> Response:
    """Remove a visit (its recorder, a nutritionist or an administrator; audited)."""
    families.delete_visit(connection, current.user, current.scope, family_id, visit_id)
    return Response(status_code=204)


@router.put(
    "/families/{family_id}/criteria",
    status_code=204,
    response_class=Response,
    dependencies=CSRF,
    responses=REFUSED,
)
def change_criteria(
    connection: Db, current: CurrentViewer, family_id: Id, sent: CriteriaIn
) -> Response:
    """Update the family's six KRS criteria and the day they were assessed (audited)."""
    raw = {k: "" if v is None else ("yes" if v else "no") for k, v in sent.model_dump().items()}
    raw["krs_assessed_on"] = sent.krs_assessed_on or ""
    try:
        criteria = read_criteria(raw, date.today())
        families.update_criteria(
            connection, current.user, current.scope, family_id, criteria, today=date.today()
        )
    except NamedFieldError as error:
        return refused(error, current)
    return Response(status_code=204)
