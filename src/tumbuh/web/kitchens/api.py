"""The kitchens and their serving log in the JSON API (``/api/v1/kitchens``), scoped as the
pages: a kitchen outside the user's area answers 404, a change by a role that only reads
403, a refused value 422 with one message per field in the user's language, and a
serving logged twice on one day 409 (docs/kitchens.md)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tumbuh.growth.kitchens import FieldError, read_day, read_funding, read_kitchen, weekday_numbers
from tumbuh.i18n import translations
from tumbuh.kitchen_labels import error_text
from tumbuh.usecases import kitchens, servings
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state
from tumbuh.web.surveillance.areas import MAX_ID

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
EpisodeId = Annotated[int, Field(ge=1, le=MAX_ID)]
DayQuery = Annotated[str | None, Query(alias="date", max_length=20)]
MAX_PEOPLE = 5_000
CONFLICT = 409


class ErrorsOut(BaseModel):
    """Why a change was refused: one message per field (or person)."""

    errors: list[str]


REFUSALS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorsOut},
    403: {"description": "The role does not change kitchens"},
}


class FundingOut(BaseModel):
    """A funding line of a kitchen (amounts in whole rupiah)."""

    id: int
    source: str
    amount_rp: int
    starts_on: date
    ends_on: date
    note: str | None
    in_force: bool


class KitchenOut(BaseModel):
    """A kitchen; ``weekdays`` are ISO day numbers (1 = Monday ... 7 = Sunday)."""

    id: int
    name: str
    kind: str
    kelurahan_code: str
    kelurahan_name: str
    operator: str
    contact_name: str | None
    contact_phone: str | None
    capacity: int
    weekdays: list[int]
    active: bool
    note: str | None


class KitchenDetailOut(KitchenOut):
    """A kitchen with its funding lines and whether the user may change it."""

    funding: list[FundingOut]
    may_edit: bool


class KitchenListOut(BaseModel):
    """The kitchens of the user's area."""

    kitchens: list[KitchenOut]


class KitchenIn(BaseModel):
    """A kitchen to add or its new values: ``kind``, ``operator`` as codes, ``kelurahan``
    as a code or a name, ``weekdays`` as day numbers (1 = Monday ... 7 = Sunday) or a text
    such as ``1-5``."""

    name: str | None = None
    kind: str | None = None
    kelurahan: str | None = None
    operator: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    capacity: int | str | None = None
    weekdays: list[int] | str | None = None
    active: bool = True
    note: str | None = None


class FundingIn(BaseModel):
    """A funding line: ``source`` as a code, ``amount_rp`` in whole rupiah, the period
    as YYYY-MM-DD."""

    source: str | None = None
    amount_rp: int | str | None = None
    starts_on: str | None = None
    ends_on: str | None = None
    note: str | None = None


class TickOut(BaseModel):
    """A person on the day's tick list (no NIK, no birth date)."""

    episode_id: int
    name: str
    mother_initials: str | None
    is_child: bool
    age_months: int | None
    posyandu_name: str | None
    kelurahan_name: str | None
    served: bool


class ServingDayOut(BaseModel):
    """The tick list of a day at a kitchen."""

    kitchen_id: int
    earliest: date | None = Field(description="The first day the user may log (none: no limit).")
    cooks: bool = Field(description="The kitchen cooks on this day of the week.")
    served: int
    people: list[TickOut]
    date: date  # last: the field's name would hide the type from the lines below it


class ServingsIn(BaseModel):
    """The day's ticks: the episodes served, and those the client read as served (from
    the GET); the difference is added or taken back. An episode added that is served
    already is a second serving that day: 409, nothing saved."""

    served: list[EpisodeId] = Field(default_factory=list, max_length=MAX_PEOPLE)
    known: list[EpisodeId] = Field(default_factory=list, max_length=MAX_PEOPLE)


class ServingsSavedOut(BaseModel):
    """What the save did, and the day as it now stands."""

    added: int
    removed: int
    day: ServingDayOut


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _refused(current: Viewer, errors: list[FieldError], status: int = 422) -> JSONResponse:
    gettext = translations(current.language).gettext
    out = ErrorsOut(errors=[error_text(e, gettext) for e in errors])
    return JSONResponse(out.model_dump(), status_code=status)


def _kitchen(row: kitchens.KitchenRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind.value,
        "kelurahan_code": row.kelurahan_code,
        "kelurahan_name": row.kelurahan_name,
        "operator": row.operator.value,
        "contact_name": row.contact_name,
        "contact_phone": row.contact_phone,
        "capacity": row.capacity,
        "weekdays": list(weekday_numbers(row.weekdays)),
        "active": row.active,
        "note": row.note,
    }


def _detail(connection: Db, current: Viewer, kitchen_id: int) -> KitchenDetailOut:
    view = kitchens.find_kitchen(connection, current.scope, kitchen_id, date.today())
    funding = [
        FundingOut(
            id=f.id,
            source=f.source.value,
            amount_rp=f.amount_rp,
            starts_on=f.starts_on,
            ends_on=f.ends_on,
            note=f.note,
            in_force=f.id in view.in_force,
        )
        for f in view.funding
    ]
    return KitchenDetailOut(**_kitchen(view.kitchen), funding=funding, may_edit=view.may_edit)


@router.get("/kitchens", response_model=KitchenListOut)
def list_kitchens(connection: Db, current: CurrentViewer) -> KitchenListOut:
    """The kitchens of the user's area (a kitchen operator: their own); 403 for roles
    that see no kitchen."""
    listed = kitchens.kitchen_list(connection, current.scope)
    return KitchenListOut(kitchens=[KitchenOut(**_kitchen(k)) for k in listed.kitchens])


@router.get("/kitchens/{kitchen_id}", response_model=KitchenDetailOut)
def show_kitchen(connection: Db, current: CurrentViewer, kitchen_id: Id) -> KitchenDetailOut:
    """One kitchen with its funding lines (404 outside the user's area)."""
    return _detail(connection, current, kitchen_id)


def _city(request: Request) -> str:
    return web_state(request).settings.city_code


@router.post(
    "/kitchens",
    response_model=KitchenDetailOut,
    status_code=201,
    dependencies=[Depends(csrf_protected)],
    responses=REFUSALS,
)
def add_kitchen(
    request: Request, connection: Db, current: CurrentViewer, sent: KitchenIn
) -> KitchenDetailOut | JSONResponse:
    """Add a kitchen (audited; admin, or a nutritionist in her area); 422 with the
    reasons it was refused."""
    kitchen, errors = read_kitchen({k: _text(v) for k, v in sent.model_dump().items()})
    if kitchen is None:
        return _refused(current, errors)
    saved = kitchens.create_kitchen(
        connection, current.scope, current.user, kitchen, city_code=_city(request)
    )
    if saved.kitchen_id is None:
        return _refused(current, saved.errors)
    return _detail(connection, current, saved.kitchen_id)


@router.put(
    "/kitchens/{kitchen_id}",
    response_model=KitchenDetailOut,
    dependencies=[Depends(csrf_protected)],
    responses=REFUSALS,
)
def change_kitchen(
    request: Request, connection: Db, current: CurrentViewer, kitchen_id: Id, sent: KitchenIn
) -> KitchenDetailOut | JSONResponse:
    """Store a kitchen's new values, every field given (audited); 422 with the reasons
    it was refused."""
    kitchen, errors = read_kitchen({k: _text(v) for k, v in sent.model_dump().items()})
    if kitchen is not None:
        errors = kitchens.update_kitchen(
            connection, current.scope, current.user, kitchen_id, kitchen, city_code=_city(request)
        )
    if errors:
        return _refused(current, errors)
    return _detail(connection, current, kitchen_id)


@router.post(
    "/kitchens/{kitchen_id}/funding",
    response_model=KitchenDetailOut,
    status_code=201,
    dependencies=[Depends(csrf_protected)],
    responses=REFUSALS,
)
def add_funding(
    connection: Db, current: CurrentViewer, kitchen_id: Id, sent: FundingIn
) -> KitchenDetailOut | JSONResponse:
    """Add a funding line to a kitchen (audited); 422 with the reasons it was refused."""
    line, errors = read_funding({k: _text(v) for k, v in sent.model_dump().items()})
    if line is None:
        return _refused(current, errors)
    kitchens.add_funding(connection, current.scope, current.user, kitchen_id, line)
    return _detail(connection, current, kitchen_id)


@router.put(
    "/kitchens/{kitchen_id}/funding/{funding_id}",
    response_model=KitchenDetailOut,
    dependencies=[Depends(csrf_protected)],
    responses=REFUSALS,
)
def change_funding(
    connection: Db, current: CurrentViewer, kitchen_id: Id, funding_id: Id, sent: FundingIn
) -> KitchenDetailOut | JSONResponse:
    """Store a funding line's new source, amount, period and note, every field given
    (audited); 422 with the reasons it was refused."""
    line, errors = read_funding({k: _text(v) for k, v in sent.model_dump().items()})
    if line is None:
        return _refused(current, errors)
    kitchens.update_funding(connection, current.scope, current.user, kitchen_id, funding_id, line)
    return _detail(connection, current, kitchen_id)


@router.delete(
    "/kitchens/{kitchen_id}/funding/{funding_id}",
    response_model=KitchenDetailOut,
    dependencies=[Depends(csrf_protected)],
    responses=REFUSALS,
)
def remove_funding(
    connection: Db, current: CurrentViewer, kitchen_id: Id, funding_id: Id
) -> KitchenDetailOut:
    """Remove a funding line (audited)."""
    kitchens.remove_funding(connection, current.scope, current.user, kitchen_id, funding_id)
    return _detail(connection, current, kitchen_id)


def _day(found: servings.ServingDay) -> ServingDayOut:
    people = [
        TickOut(
            episode_id=r.episode_id,
            name=r.name,
            mother_initials=r.mother_initials,
            is_child=r.is_child,
            age_months=r.age_months,
            posyandu_name=r.posyandu_name,
            kelurahan_name=r.kelurahan_name,
            served=r.served,
        )
        for r in found.rows
    ]
    return ServingDayOut(
        kitchen_id=found.kitchen.id,
        date=found.day,
        earliest=found.earliest,
        cooks=found.cooks,
        served=found.served,
        people=people,
    )


@router.get(
    "/kitchens/{kitchen_id}/servings",
    response_model=ServingDayOut,
    responses={422: {"model": ErrorsOut}},
)
def serving_list(
    connection: Db, current: CurrentViewer, kitchen_id: Id, day: DayQuery = None
) -> ServingDayOut | JSONResponse:
    """The tick list of a day (``date`` YYYY-MM-DD, default today): the people fed at the
    kitchen that day, each with whether they were served; 422 for a day in the future or,
    for a kitchen operator, more than 7 days ago."""
    today = date.today()
    on, errors = read_day(day, today)
    if errors:
        return _refused(current, errors)
    found = servings.serving_day(connection, current.scope, kitchen_id, on, today)
    if found.errors:
        return _refused(current, found.errors)
    return _day(found)


@router.put(
    "/kitchens/{kitchen_id}/servings",
    response_model=ServingsSavedOut,
    dependencies=[Depends(csrf_protected)],
    responses={
        422: {"model": ErrorsOut},
        409: {"model": ErrorsOut, "description": "A serving logged twice on one day"},
    },
)
def save_servings(
    connection: Db, current: CurrentViewer, kitchen_id: Id, sent: ServingsIn, day: DayQuery = None
) -> ServingsSavedOut | JSONResponse:
    """Save the day's ticks (audited): the episodes in ``served`` but not in ``known``
    are added, those in ``known`` but not in ``served`` taken back; 409 when one added is
    served that day already, 422 for another refusal (nothing saved either way)."""
    today = date.today()
    on, errors = read_day(day, today)
    if errors:
        return _refused(current, errors)
    done = servings.save_day(
        connection,
        current.scope,
        current.user,
        kitchen_id,
        on,
        served=frozenset(sent.served),
        known=frozenset(sent.known),
        today=today,
    )
    if done.errors:
        return _refused(current, done.errors, CONFLICT if done.double else 422)
    found = servings.serving_day(connection, current.scope, kitchen_id, on, today)
    return ServingsSavedOut(added=done.added, removed=done.removed, day=_day(found))
