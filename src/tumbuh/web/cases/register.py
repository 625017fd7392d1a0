"""The case register's filters (stage, problem, overdue, area), its .xlsx download
(``POST /cases/download``, names masked unless asked) and its A4 print
(``/cases/print``), as the lists of children do (:mod:`tumbuh.web.surveillance.lists`).

The area is chosen with the lists' widget (a kecamatan or kelurahan code, or a posyandu
id) and always lies inside the user's scope; the use case keeps the cases of the
posyandu of that area inside the scope. The log line of a download holds no name or NIK.
"""

import io
import logging
from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Form, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from tumbuh.growth.cases import CaseStatus, Problem
from tumbuh.i18n import translations
from tumbuh.reports.case_register import case_register_table
from tumbuh.reports.xlsx import write_workbook
from tumbuh.usecases import cases
from tumbuh.usecases.places import Area, AreaKind, Places
from tumbuh.web.deps import NotFound, Viewer, web_state
from tumbuh.web.surveillance.area_choice import AreaOption, area_options, chosen_area
from tumbuh.web.surveillance.areas import AREA_CODE, MAX_ID
from tumbuh.web.surveillance.pages import AreaQuery, PosyanduQuery

logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class RegisterAsked:
    """The register's filters as they came: kept in the page's links and forms."""

    status: CaseStatus | None = None
    problem: Problem | None = None
    overdue: bool = False
    area: str | None = None
    posyandu: int | None = None

    def query(self, **extra: object) -> str:
        """The query string of these filters."""
        values: dict[str, object] = {}
        if self.status is not None:
            values["status"] = self.status.value
        if self.problem is not None:
            values["problem"] = self.problem.value
        if self.overdue:
            values["overdue"] = "true"
        if self.area:
            values["area"] = self.area
        elif self.posyandu is not None:
            values["posyandu"] = self.posyandu
        values.update(extra)
        return urlencode(values)


def asked_in_query(
    status: Annotated[CaseStatus | None, Query()] = None,
    problem: Annotated[Problem | None, Query()] = None,
    overdue: Annotated[bool, Query()] = False,
    area: AreaQuery = None,
    posyandu: PosyanduQuery = None,
) -> RegisterAsked:
    """The filters of the register's query."""
    return RegisterAsked(status, problem, overdue, area or None, posyandu)


def asked_in_form(
    status: Annotated[CaseStatus | None, Form()] = None,
    problem: Annotated[Problem | None, Form()] = None,
    overdue: Annotated[bool, Form()] = False,
    area: Annotated[str | None, Form(pattern=AREA_CODE)] = None,
    posyandu: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
) -> RegisterAsked:
    """The filters of the download form (the page's, kept in hidden fields)."""
    return RegisterAsked(status, problem, overdue, area or None, posyandu)


RegisterQuery = Annotated[RegisterAsked, Depends(asked_in_query)]
RegisterForm = Annotated[RegisterAsked, Depends(asked_in_form)]


@dataclass(frozen=True)
class Where:
    """The area the register shows (the widget's choice) and the filter it means."""

    shown: Area  # selected in the widget: the area asked for, else the home area
    filter: Area | None  # None: the user's whole scope (the city, or nothing asked)
    options: list[AreaOption]
    places: Places


def where(request: Request, connection: Connection, current: Viewer, asked: RegisterAsked) -> Where:
    """The area asked for inside the scope (NotFound outside it)."""
    places = web_state(request).figures.snapshot(connection).places
    shown = chosen_area(places, current.scope, asked.area, asked.posyandu)
    asked_any = asked.area is not None or asked.posyandu is not None
    chosen = shown if asked_any and shown.kind is not AreaKind.KOTA else None
    return Where(shown, chosen, area_options(places, current.scope), places)


def export(
    request: Request,
    connection: Connection,
    current: Viewer,
    asked: RegisterAsked,
    unmask: bool,
) -> tuple[cases.CaseExport, Where]:
    """Every case with the filters (all pages); NotFound for roles that see counts only."""
    place = where(request, connection, current, asked)
    try:
        found = cases.case_export(
            connection,
            current.scope,
            today=date.today(),
            places=place.places,
            area=place.filter,
            status=asked.status,
            problem=asked.problem,
            only_overdue=asked.overdue,
            unmask=unmask,
        )
    except cases.NotAllowed:
        raise NotFound from None
    return found, place


def download(
    request: Request,
    connection: Connection,
    current: Viewer,
    asked: RegisterAsked,
    unmask: bool,
) -> Response:
    """The register with the filters (all pages) as an .xlsx download."""
    found, place = export(request, connection, current, asked, unmask)
    gettext = translations(current.language).gettext
    title = gettext("Cases: {count}").format(count=len(found.rows))
    where_text = f"{place.shown.name} ({place.shown.code})"
    table = case_register_table(
        found.rows,
        title=f"{title}, {found.today.isoformat()}: {where_text}",
        masked=not found.unmask,
        gettext=gettext,
    )
    buffer = io.BytesIO()
    write_workbook([table], buffer, language=current.language)
    logger.info(
        "case register download by user %d: %s, %d cases, unmask=%s",
        current.user.id,
        place.shown.code,
        len(found.rows),
        found.unmask,
    )
    name = f"register-kasus-{place.shown.code}-{found.today.isoformat()}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(buffer.getvalue(), media_type=XLSX, headers=headers)
