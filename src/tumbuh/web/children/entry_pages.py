"""The posyandu session (who is due, entry of a measurement) and the correction or
deletion of a stored measurement.

Two weights of one child on one day are usually a slip, so a measurement on a date that
already has one is not stored until the user confirms it (or corrects the existing one).
A correction or deletion carries the measurement's version and is refused, with what
changed, when someone else changed the measurement after the form was opened
(docs/security.md, section 5).
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from tumbuh.growth.periods import parse_period
from tumbuh.growth.who2006 import LENGTH_HEIGHT_SWITCH_DAYS
from tumbuh.i18n import translations
from tumbuh.usecases import registry
from tumbuh.usecases.places import Area
from tumbuh.usecases.referrals import referral_rules
from tumbuh.usecases.registry.measurements import preview
from tumbuh.web.children.correction import field_label, form_version, shown_value
from tumbuh.web.children.entry import (
    EntryForm,
    category_label,
    read_form,
    trend_clause_label,
    typed_in,
)
from tumbuh.web.children.lists import children_due
from tumbuh.web.deps import (
    CurrentViewer,
    Db,
    NotFound,
    Viewer,
    csrf_protected,
    records_changed,
    web_state,
)
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Month = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
FORM_FIELDS = (
    "measured_on",
    "weight_kg",
    "height_cm",
    "position",
    "muac_cm",
    "oedema",
    "kader_weight_trend",
)
CONFIRM_FIELD = "confirm_duplicate"


def _context(request: Request, current: Viewer, **values: object) -> dict[str, object]:
    return {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "category_label": lambda kind, code: category_label(kind, code, current.language),
        "trend_clause_label": lambda code: trend_clause_label(code, current.language),
        **values,
    }


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(form.get(key) or "") for key in (*FORM_FIELDS, CONFIRM_FIELD, "version")}


Typed = Annotated[dict[str, str], Depends(_form)]


def _month_start(month: str) -> date:
    """The first day of a month of the address (its pattern lets only real months in)."""
    found = parse_period(month)
    if found is None:
        raise NotFound
    return found.start


def writable_posyandu_area(
    request: Request, connection: Connection, current: Viewer, posyandu_id: int
) -> Area:
    """The posyandu, if the user may write there; else NotFound, the same answer for one
    outside the user's area as for one that does not exist."""
    if not current.scope.may_write:
        raise NotFound
    figures = web_state(request).figures.snapshot(connection)
    area = figures.places.posyandu_area(posyandu_id)
    if area is None or not current.scope.covers_posyandu(posyandu_id, area.parent_code):
        raise NotFound
    return area


def _session_child(
    connection: Connection, current: Viewer, posyandu_id: int, child_id: int
) -> registry.ChildRecord:
    child = registry.find_child(connection, current.scope, child_id)
    if child.posyandu_id != posyandu_id:
        raise NotFound
    return child


@router.get("/posyandu/{posyandu_id}/bulan-timbang/{month}", response_class=HTMLResponse)
def session_page(
    request: Request, connection: Db, current: CurrentViewer, posyandu_id: Id, month: Month
) -> HTMLResponse:
    """The children of the posyandu due this month (0-59 months), measured or not yet."""
    area = writable_posyandu_area(request, connection, current, posyandu_id)
    start = _month_start(month)
    due = children_due(connection, current.scope, posyandu_id, start)
    context = _context(request, current, area=area, month=month, start=start, due=due)
    return HTMLResponse(render(current.language, "session.html", context))


@router.get(
    "/posyandu/{posyandu_id}/bulan-timbang/{month}/children/{child_id}", response_class=HTMLResponse
)
def entry_form(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    posyandu_id: Id,
    month: Month,
    child_id: Id,
) -> HTMLResponse:
    """Entry of one child's weight, length/height, position, MUAC and oedema."""
    if not current.scope.may_write:
        raise NotFound
    child = _session_child(connection, current, posyandu_id, child_id)
    today = date.today()
    start = _month_start(month)
    day = today if today.strftime("%Y-%m") == month else start
    age_days = (day - child.birth_date).days
    raw = {
        "measured_on": day.isoformat(),
        "position": "l" if age_days < LENGTH_HEIGHT_SWITCH_DAYS else "h",
    }
    return _entry_page(request, connection, current, child, posyandu_id, month, raw, None)


def _entry_page(  # noqa: PLR0913, PLR0917 - the entry page's parts
    request: Request,
    connection: Connection,
    current: Viewer,
    child: registry.ChildRecord,
    posyandu_id: int,
    month: str,
    raw: dict[str, str],
    form: object,
    status: int = 200,
    same_day: list[registry.MeasurementView] | None = None,
) -> HTMLResponse:
    history = registry.history(connection, child.id)
    context = _context(
        request,
        current,
        child=child,
        posyandu_id=posyandu_id,
        month=month,
        raw=raw,
        form=form,
        last=history[-1] if history else None,
        preview=None,
        same_day=same_day or [],
    )
    return HTMLResponse(render(current.language, "entry.html", context), status_code=status)


def _typed_entry(
    connection: Connection, current: Viewer, posyandu_id: int, child_id: int, raw: dict[str, str]
) -> tuple[registry.ChildRecord, EntryForm]:
    """The child of a session (for users who may write) and what was typed for it."""
    if not current.scope.may_write:
        raise NotFound
    child = _session_child(connection, current, posyandu_id, child_id)
    return child, read_form(raw, child, date.today(), current.language)


def same_day_warning(
    current: Viewer, found: list[registry.MeasurementView], day: date
) -> str | None:
    """The warning shown while typing when the child was already measured that day."""
    if not found:
        return None
    _ = translations(current.language).gettext
    return _(
        "Date: this child already has a measurement on {day}; save only if it was "
        "measured twice, else correct that measurement"
    ).format(day=day.strftime("%d/%m/%Y"))


@router.post(
    "/posyandu/{posyandu_id}/bulan-timbang/{month}/children/{child_id}/preview",
    response_class=HTMLResponse,
    dependencies=[Depends(csrf_protected)],
)
def entry_preview(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    posyandu_id: Id,
    month: Month,
    child_id: Id,
    raw: Typed,
) -> HTMLResponse:
    """HTMX: z-scores, categories, N/T and warnings of the typed values, before saving."""
    child, form = _typed_entry(connection, current, posyandu_id, child_id, raw)
    result = None
    if form.values is not None and not form.errors:
        measured = registry.history(connection, child.id)
        day = form.values.measured_on
        warning = same_day_warning(current, registry.same_day(measured, day), day)
        if warning is not None:
            form.warnings.append(warning)
        result = preview(connection, child, form.values, web_state(request).kbm)
    context = _context(request, current, form=form, preview=result, child=child)
    return HTMLResponse(render(current.language, "_preview.html", context))


@router.post(
    "/posyandu/{posyandu_id}/bulan-timbang/{month}/children/{child_id}",
    dependencies=[Depends(csrf_protected)],
)
def entry_save(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    posyandu_id: Id,
    month: Month,
    child_id: Id,
    raw: Typed,
) -> Response:
    """Save the measurement (refused while the values have errors; a second one on the
    same day only when confirmed), then the next child."""
    child, form = _typed_entry(connection, current, posyandu_id, child_id, raw)
    page = (request, connection, current, child, posyandu_id, month, raw, form)
    if form.values is None or form.errors:
        return _entry_page(*page, 422)
    measured = registry.history(connection, child.id)
    same_day = registry.same_day(measured, form.values.measured_on)
    if same_day and not raw.get(CONFIRM_FIELD):
        return _entry_page(*page, 409, same_day)
    state = web_state(request)
    registry.add_measurement(
        connection,
        current.scope,
        current.user,
        child,
        form.values,
        state.kbm,
        rules=referral_rules(state.settings),
    )
    records_changed(request)
    due = children_due(connection, current.scope, posyandu_id, _month_start(month))
    following = next((d for d in due if d.measured_on is None and d.child.id != child.id), None)
    base = f"/posyandu/{posyandu_id}/bulan-timbang/{month}"
    target = f"{base}/children/{following.child.id}" if following else base
    return RedirectResponse(target + "?saved=" + str(child.id), status_code=303)


def _measurement_page(
    request: Request,
    current: Viewer,
    child: registry.ChildRecord,
    found: registry.MeasurementView,
    raw: dict[str, str],
    status: int = 200,
    **values: object,
) -> HTMLResponse:
    """The correction form of a measurement (``raw``: its fields as typed, and the version
    the form started from)."""
    context = _context(
        request,
        current,
        child=child,
        measurement=found,
        raw=raw,
        **{"form": None, "conflict": [], "same_day": [], "stale_delete": False, **values},
    )
    page = render(current.language, "measurement.html", context)
    return HTMLResponse(page, status_code=status)


def _conflict_rows(
    current: Viewer, stored: registry.MeasurementValues, yours: registry.MeasurementValues
) -> list[tuple[str, str, str]]:
    """(label, value now stored, your value) of each field that differs."""
    language, scope = current.language, current.scope
    return [
        (
            field_label(c.field, language),
            shown_value(c.field, c.stored, language, scope, {}),
            shown_value(c.field, c.yours, language, scope, {}),
        )
        for c in registry.measurement_changes(stored, yours)
    ]


@router.get("/children/{child_id}/measurements/{measurement_id}", response_class=HTMLResponse)
def measurement_form(
    request: Request, connection: Db, current: CurrentViewer, child_id: Id, measurement_id: Id
) -> HTMLResponse:
    """Correct or delete a stored measurement."""
    child = registry.find_child(connection, current.scope, child_id)
    if not current.scope.may_write:
        raise NotFound
    found = registry.find_measurement(connection, current.scope, child, measurement_id)
    return _measurement_page(request, current, child, found, _stored(found))


def _stored(found: registry.MeasurementView) -> dict[str, str]:
    """The fields of a stored measurement, with its version."""
    return {**typed_in(found.values), "version": str(found.version)}


def _change(
    request: Request,
    connection: Connection,
    current: Viewer,
    child: registry.ChildRecord,
    measurement_id: int,
    raw: dict[str, str],
    values: registry.MeasurementValues | None,
) -> registry.MeasurementView | None:
    """Correct (``values``) or delete (None) the measurement at the form's version (the
    use case commits); None when stored, else (nothing stored) the measurement as it is
    now."""
    version = form_version(raw)
    state = web_state(request)
    now = registry.change_measurement(
        connection,
        current.scope,
        current.user,
        child,
        measurement_id,
        version,
        values,
        state.kbm,
        rules=referral_rules(state.settings),
    )
    if now is None:
        records_changed(request)
    return now


@router.post(
    "/children/{child_id}/measurements/{measurement_id}", dependencies=[Depends(csrf_protected)]
)
def measurement_update(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    child_id: Id,
    measurement_id: Id,
    raw: Typed,
) -> Response:
    """Store the corrected values (audited); refused when someone else changed the
    measurement since the form was opened, and asked again for a day already measured."""
    child = registry.find_child(connection, current.scope, child_id)
    found = registry.find_measurement(connection, current.scope, child, measurement_id)
    form = read_form(raw, child, date.today(), current.language)
    if form.values is None or form.errors:
        return _measurement_page(request, current, child, found, raw, 422, form=form)
    measured = registry.history(connection, child.id)
    same_day = registry.same_day(measured, form.values.measured_on, except_id=found.id)
    if same_day and not raw.get(CONFIRM_FIELD) and found.version == form_version(raw):
        return _measurement_page(request, current, child, found, raw, 409, same_day=same_day)
    now = _change(request, connection, current, child, measurement_id, raw, form.values)
    if now is None or now.values == form.values:  # stored, or stale but the same values
        return RedirectResponse(f"/children/{child.id}", status_code=303)
    rows = _conflict_rows(current, now.values, form.values)
    return _measurement_page(request, current, child, now, _stored(now), 409, conflict=rows)


@router.post(
    "/children/{child_id}/measurements/{measurement_id}/delete",
    dependencies=[Depends(csrf_protected)],
)
def measurement_delete(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    child_id: Id,
    measurement_id: Id,
    raw: Typed,
) -> Response:
    """Delete a measurement (audited, with its values in the audit row); refused when
    someone else changed it since the form was opened."""
    child = registry.find_child(connection, current.scope, child_id)
    now = _change(request, connection, current, child, measurement_id, raw, None)
    if now is None:
        return RedirectResponse(f"/children/{child.id}", status_code=303)
    return _measurement_page(request, current, child, now, _stored(now), 409, stale_delete=True)
