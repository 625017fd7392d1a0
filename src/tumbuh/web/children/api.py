"""The JSON API of children and measurements (``/api/v1``), scoped as the pages.

A correction (PATCH) carries the ``version`` of the child it was made on and is refused
with 409 and the fields that differ when someone else changed the child since; a
measurement on a date that already has one answers 409 unless ``confirm_duplicate`` is
true (docs/security.md, section 5).
"""

from dataclasses import replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Connection

from tumbuh.i18n import translations
from tumbuh.usecases import registry
from tumbuh.usecases.access import Scope
from tumbuh.usecases.referrals import referral_rules
from tumbuh.web.children import lists as child_lists
from tumbuh.web.children import registration
from tumbuh.web.children.api_models import (
    ChildIn,
    ChildOut,
    ChildSummaryOut,
    ConflictOut,
    CreatedOut,
    DuplicateOut,
    FieldConflictOut,
    MeasurementIn,
    MeasurementOut,
    MeasurementPatchIn,
    ProblemsOut,
    SameChildOut,
    SearchIn,
    SearchOut,
)
from tumbuh.web.children.correction import Correction, Fix, store_correction, typed_value
from tumbuh.web.children.entry import check_values
from tumbuh.web.deps import (
    CurrentViewer,
    Db,
    NotFound,
    Viewer,
    csrf_protected,
    records_changed,
    web_state,
)
from tumbuh.web.surveillance.areas import MAX_ID

router = APIRouter()
TEXT_FIELDS = ("name", "nik", "mother_name")  # sent as text; null: empty
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def _measurement(m: registry.MeasurementView) -> MeasurementOut:
    v = m.values
    return MeasurementOut(
        id=m.id,
        measured_on=v.measured_on,
        weight_kg=v.weight_kg,
        height_cm=v.height_cm,
        position=v.position.value if v.position else None,
        muac_cm=v.muac_cm,
        oedema=v.oedema,
        age_days=m.age_days,
        zscores=m.zscores,
        flags=m.flags,
        haz_category=m.haz_category,
        waz_category=m.waz_category,
        whz_category=m.whz_category,
        weight_trend=m.weight_trend,
        weight_trend_clause=m.weight_trend_clause,
        kader_weight_trend=v.kader_weight_trend.value if v.kader_weight_trend else None,
        version=m.version,
    )


@router.post(
    "/children/search",
    response_model=SearchOut,
    dependencies=[Depends(csrf_protected)],
    responses={
        404: {"description": "The role may not see children"},
        422: {"model": ProblemsOut, "description": "Query refused"},
    },
)
def search_children(
    request: Request, connection: Db, current: CurrentViewer, body: SearchIn
) -> Any:
    """Children of the user's area by name, mother's name or whole NIK (a POST, so no
    name or NIK lands in a URL or an access log)."""
    places = web_state(request).figures.snapshot(connection).places
    in_scope = places.posyandu_ids(places.city, current.scope)
    found = child_lists.search_children(connection, current.scope, in_scope, body.q)
    if found.problem:
        message = translations(current.language).gettext(found.problem)
        return JSONResponse(ProblemsOut(errors=[message], warnings=[]).model_dump(), 422)
    children = [
        ChildSummaryOut(
            id=c.id,
            name=c.name,
            nik=registry.shown_nik(c.nik, current.scope),
            sex=c.sex.value,
            birth_date=c.birth_date,
            mother_name=c.mother_name,
            posyandu_id=c.posyandu_id,
        )
        for c in found.children
    ]
    return SearchOut(total=found.total, children=children)


@router.get("/children/{child_id}", response_model=ChildOut)
def child(connection: Db, current: CurrentViewer, child_id: Id) -> ChildOut:
    """A child and its measurements (404 outside the user's area or for figure-only roles)."""
    return _child_out(connection, current.scope, child_id)


@router.patch(
    "/children/{child_id}",
    response_model=ChildOut,
    dependencies=[Depends(csrf_protected)],
    responses={
        404: {"description": "No such child in the user's area"},
        409: {"model": ConflictOut, "description": "Changed by someone else since version"},
        422: {"model": ProblemsOut, "description": "Values refused"},
    },
)
def correct_child(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id, body: ChildIn
) -> Any:
    """Correct a child's details (audited; a new sex or birth date recomputes every
    z-score of the child); refused values answer 422 with the reasons, a stale
    ``version`` 409 with the fields that differ."""
    found = registry.find_child(connection, current.scope, child_id)
    if not current.scope.may_write:
        raise NotFound
    sent = registration.sent_profile(registration.profile_of(found))
    changed = body.model_dump(
        exclude_unset=True, exclude={"version", "posyandu_id", "confirm_duplicate"}
    )
    texts = {key: value or "" for key, value in changed.items() if key in TEXT_FIELDS}
    sent = replace(sent, **{**changed, **texts})
    form = registration.check_child(connection, current.scope, sent, current.language, child=found)
    fix = Fix(
        form, str(body.posyandu_id or found.posyandu_id), body.version, body.confirm_duplicate
    )
    places = web_state(request).figures.snapshot(connection).places
    result = store_correction(
        connection,
        current.scope,
        current.user,
        found,
        fix,
        registration.writable_posyandu(places, current.scope),
        current.language,
        web_state(request).kbm,
    )
    if result.stored is not None:
        return _conflict(current, body.version, result.stored.version, result)
    if result.errors:
        problems = ProblemsOut(errors=result.errors, warnings=[])
        return JSONResponse(problems.model_dump(), status_code=422)
    if result.same_child:
        message = translations(current.language).gettext(
            "This child may already be registered: another child of this kelurahan would "
            "have the same name, sex, birth date and mother's name; send confirm_duplicate: "
            "true if it is another child"
        )
        same = SameChildOut(errors=[message], children=[c.id for c in result.same_child])
        return JSONResponse(same.model_dump(), status_code=409)
    if result.changed:
        records_changed(request)
    return _child_out(connection, current.scope, child_id)


def _conflict(current: Viewer, sent: int, now: int, result: Correction) -> JSONResponse:
    """409: someone else changed the child since version ``sent``; it is at ``now``."""
    message = translations(current.language).gettext(
        "Someone else changed this child after version {sent}; it is now at version "
        "{now}. Read it again, then send your changes with version {now}"
    )
    fields = [
        FieldConflictOut(
            field=c.field,
            stored=typed_value(c.field, c.stored, current.scope),
            yours=typed_value(c.field, c.yours, current.scope),
        )
        for c in result.conflict
    ]
    body = ConflictOut(errors=[message.format(sent=sent, now=now)], fields=fields, version=now)
    return JSONResponse(body.model_dump(), status_code=409)


def _child_out(connection: Connection, scope: Scope, child_id: int) -> ChildOut:
    found = registry.find_child(connection, scope, child_id)
    return ChildOut(
        id=found.id,
        name=found.name,
        nik=registry.shown_nik(found.nik, scope),
        sex=found.sex.value,
        birth_date=found.birth_date,
        mother_name=found.mother_name,
        posyandu_id=found.posyandu_id,
        version=found.version,
        measurements=[_measurement(m) for m in registry.history(connection, found.id)],
    )


@router.post(
    "/children/{child_id}/measurements",
    response_model=CreatedOut,
    status_code=201,
    dependencies=[Depends(csrf_protected)],
    responses={
        404: {"description": "No such child in the user's area"},
        409: {"model": DuplicateOut, "description": "Already measured that day"},
        422: {"model": ProblemsOut, "description": "Values refused"},
    },
)
def add_measurement(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id, body: MeasurementIn
) -> Any:
    """Add a measurement (audited); refused values answer 422 with the reasons, a date
    that already has a measurement 409 unless ``confirm_duplicate`` is true."""
    found = registry.find_child(connection, current.scope, child_id)
    if not current.scope.may_write:
        raise NotFound
    typed = registry.MeasurementValues(
        body.measured_on,
        body.weight_kg,
        body.height_cm,
        body.position,
        body.muac_cm,
        body.oedema,
        body.kader_weight_trend,
    )
    form = check_values(typed, found, date.today(), current.language)
    if form.values is None or form.errors:
        problems = ProblemsOut(errors=form.errors, warnings=form.warnings)
        return JSONResponse(problems.model_dump(), status_code=422)
    same_day = registry.same_day(registry.history(connection, found.id), form.values.measured_on)
    if same_day and not body.confirm_duplicate:
        message = translations(current.language).gettext(
            "Date: this child already has a measurement on {day}; send confirm_duplicate: "
            "true to store a second one, or correct that measurement"
        )
        day = form.values.measured_on.strftime("%d/%m/%Y")
        existing = [_measurement(m) for m in same_day]
        duplicate = DuplicateOut(errors=[message.format(day=day)], existing=existing)
        return JSONResponse(duplicate.model_dump(mode="json"), status_code=409)
    state = web_state(request)
    new_id = registry.add_measurement(
        connection,
        current.scope,
        current.user,
        found,
        form.values,
        state.kbm,
        rules=referral_rules(state.settings),
    )
    records_changed(request)
    return CreatedOut(id=new_id)


@router.patch(
    "/children/{child_id}/measurements/{measurement_id}",
    response_model=MeasurementOut,
    dependencies=[Depends(csrf_protected)],
    responses={
        404: {"description": "No such child or measurement in the user's area"},
        409: {"model": ConflictOut, "description": "Changed by someone else since version"},
        422: {"model": ProblemsOut, "description": "Values refused"},
    },
)
def correct_measurement(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    child_id: Id,
    measurement_id: Id,
    body: MeasurementPatchIn,
) -> Any:
    """Correct a measurement (audited; the child's derived values are recomputed);
    refused values answer 422 with the reasons, a stale ``version`` 409 with the fields
    that differ."""
    found = registry.find_child(connection, current.scope, child_id)
    if not current.scope.may_write:
        raise NotFound
    stored = registry.find_measurement(connection, current.scope, found, measurement_id)
    sent = body.model_dump(exclude_unset=True, exclude={"version"})
    if sent.get("measured_on") is None:
        sent.pop("measured_on", None)
    if sent.get("oedema") is None:
        sent.pop("oedema", None)
    typed = replace(stored.values, **sent)
    form = check_values(typed, found, date.today(), current.language)
    if form.values is None or form.errors:
        problems = ProblemsOut(errors=form.errors, warnings=form.warnings)
        return JSONResponse(problems.model_dump(), status_code=422)
    state = web_state(request)
    now = registry.change_measurement(
        connection,
        current.scope,
        current.user,
        found,
        measurement_id,
        body.version,
        form.values,
        state.kbm,
        rules=referral_rules(state.settings),
    )
    if now is not None and now.values != form.values:
        return _measurement_conflict(current, body.version, now, form.values)
    if now is None:
        records_changed(request)
    changed = registry.find_measurement(connection, current.scope, found, measurement_id)
    return _measurement(changed)


def _measurement_conflict(
    current: Viewer,
    sent: int,
    now: registry.MeasurementView,
    yours: registry.MeasurementValues,
) -> JSONResponse:
    """409: someone else changed the measurement since version ``sent``."""
    message = translations(current.language).gettext(
        "Someone else changed this measurement after version {sent}; it is now at version "
        "{now}. Read it again, then send your changes with version {now}"
    )
    fields = [
        FieldConflictOut(
            field=c.field,
            stored=typed_value(c.field, c.stored, current.scope),
            yours=typed_value(c.field, c.yours, current.scope),
        )
        for c in registry.measurement_changes(now.values, yours)
    ]
    text = message.format(sent=sent, now=now.version)
    body = ConflictOut(errors=[text], fields=fields, version=now.version)
    return JSONResponse(body.model_dump(), status_code=409)
