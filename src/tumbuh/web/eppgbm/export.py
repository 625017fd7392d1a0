"""Export the measurements of a month as an e-PPGBM workbook (layout A), the web side of
``tumbuh export eppgbm``: the same use case (:mod:`tumbuh.usecases.exports`, which
applies the user's scope) and the same file (``tumbuh.ingest.export``), NIK and names
masked unless the user asks otherwise.

Only roles that see children export, and only areas wholly inside their scope: the
whole city, a kecamatan or a kelurahan for an administrator; a nutritionist's kelurahan
and their posyandu; a kader's posyandu. A partly covered area is never offered, so an
export cannot reach past the user's area (nor could a forged form: the use case checks
again). The log line holds no name or NIK.
"""

import logging
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from tumbuh.growth.periods import PeriodKind, parse_period
from tumbuh.i18n import translations
from tumbuh.ingest.export import ExportInfo, write_layout_a
from tumbuh.usecases.access import Scope
from tumbuh.usecases.exports import MonthExport, OutsideScope, export_month, may_export
from tumbuh.usecases.places import Area, Places
from tumbuh.usecases.referrals import latest_month
from tumbuh.web.deps import CurrentViewer, Db, NotFound, Viewer, csrf_protected, web_state
from tumbuh.web.security import csrf_token
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportArea:
    """An area the user may export: its code (Kemendagri or posyandu) and its label."""

    code: str
    label: str


def export_areas(places: Places, scope: Scope) -> list[ExportArea]:
    """The areas wholly inside ``scope``, largest first."""
    if scope.whole_city:
        return [
            ExportArea(places.city.code, places.city.name),
            *(ExportArea(a.code, f"Kecamatan {a.name}") for a in _sorted(places.kecamatan)),
            *(ExportArea(a.code, f"Kelurahan {a.name}") for a in _sorted(places.kelurahan)),
        ]
    areas = []
    if scope.posyandu is None:
        areas = [
            ExportArea(a.code, f"Kelurahan {a.name}")
            for a in _sorted(places.kelurahan)
            if scope.covers_kelurahan(a.code)
        ]
    for posyandu_id in places.posyandu_ids(places.city, scope):
        place = places.posyandu[posyandu_id]
        kelurahan = places.kelurahan.get(place.kelurahan_code)
        where = f", {kelurahan.name}" if kelurahan else ""
        areas.append(ExportArea(place.code, f"Posyandu {place.name}{where}"))
    return areas


def _sorted(areas: dict[str, Area]) -> list[Area]:
    return [areas[code] for code in sorted(areas)]


def _exporter(current: Viewer) -> None:
    if not may_export(current.scope):
        raise NotFound


def _page(
    request: Request,
    current: Viewer,
    areas: list[ExportArea],
    month: str,
    area: str,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "areas": areas,
        "month": month,
        "area": area,
        "error": error,
    }
    return HTMLResponse(render(current.language, "export.html", context), status_code=status)


@router.get("/export", response_class=HTMLResponse)
def export_page(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """Choose the month and the area of an e-PPGBM export."""
    _exporter(current)
    places = web_state(request).figures.snapshot(connection).places
    areas = export_areas(places, current.scope)
    latest = latest_month(connection, date.today())
    month = latest.label if latest else f"{date.today():%Y-%m}"
    return _page(request, current, areas, month, areas[0].code if areas else "")


@router.post("/export", dependencies=[Depends(csrf_protected)])
def export_file(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    month: Annotated[str, Form(max_length=7)] = "",
    area: Annotated[str, Form(max_length=40)] = "",
    unmask: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The workbook of the month's measurements in the area, as a download."""
    _exporter(current)
    settings = web_state(request).settings
    places = web_state(request).figures.snapshot(connection).places
    areas = export_areas(places, current.scope)
    gettext = translations(current.language).gettext
    chosen = next((a for a in areas if a.code == area), None)
    period = parse_period(month) if month else None
    problem = None
    if period is None or period.kind is not PeriodKind.MONTH:
        problem = gettext("Month: choose a month, for example 2024-08")
    elif chosen is None:
        problem = gettext("Area: choose one of the areas in the list")
    if problem is None and period is not None and chosen is not None:
        try:
            found = export_month(
                connection,
                current.scope,
                period,
                chosen.code,
                settings.city_code,
                unmask=bool(unmask),
            )
        except OutsideScope:
            problem = gettext("Area: choose one of the areas in the list")
    if problem or period is None or chosen is None:
        return _page(request, current, areas, month, area, problem, 422)
    content = _workbook(found, period.label, chosen, current)
    logger.info(
        "e-PPGBM export by user %d: %s, %s, unmask=%s",
        current.user.id,
        period.label,
        chosen.code,
        found.unmask,
    )
    name = f"eppgbm-{chosen.code}-{period.label}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=XLSX, headers=headers)


def _workbook(found: MonthExport, month: str, chosen: ExportArea, current: Viewer) -> bytes:
    unmask = found.unmask
    info = ExportInfo.now(month, f"{chosen.label} ({chosen.code})", masked=not unmask)
    with tempfile.TemporaryDirectory(prefix="tumbuh-export-") as folder:
        path = Path(folder) / "export.xlsx"
        write_layout_a(found.rows, path, info, unmask=unmask, language=current.language)
        return path.read_bytes()
