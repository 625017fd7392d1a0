"""The three lists of children to act on, one page and template for all: referral
(``/referral-list``), counselling at the posyandu (``/counselling-list``) and re-measure
(``/remeasure-list``), each filtered by reason and area, paged, downloadable as .xlsx
(``.../download``, names masked unless asked) and printable on A4 (``.../print``).

The use case (:mod:`tumbuh.usecases.child_lists`) applies the scope, the order and the
default month (the latest with data in the area); here the query is parsed and the page
drawn. The log line of a download holds no name or NIK.
"""

import io
import logging
from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from tumbuh.errors import InputError
from tumbuh.growth.referrals import ReferralReason
from tumbuh.i18n import translations
from tumbuh.labels import indicator_label
from tumbuh.reports.tables import Column, ColumnKind, Table
from tumbuh.reports.xlsx import write_workbook
from tumbuh.usecases.child_lists import (
    ChildList,
    ListExport,
    ListKind,
    ListQuery,
    NotAllowed,
    child_list,
    child_list_export,
)
from tumbuh.usecases.referrals import referral_rules
from tumbuh.web.deps import CurrentViewer, Db, NotFound, Viewer, csrf_protected, web_state
from tumbuh.web.surveillance.area_choice import chosen_area
from tumbuh.web.surveillance.areas import AREA_CODE, MAX_ID
from tumbuh.web.surveillance.pages import (
    MONTH,
    AreaQuery,
    MonthQuery,
    PosyanduQuery,
    list_context,
    parse_month,
    reason_labels,
)
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PATHS = {
    ListKind.REFER: "/referral-list",
    ListKind.COUNSEL: "/counselling-list",
    ListKind.REMEASURE: "/remeasure-list",
}
FILE_NAMES = {
    ListKind.REFER: "daftar-rujukan",
    ListKind.COUNSEL: "daftar-konseling",
    ListKind.REMEASURE: "daftar-periksa-ulang",
}


def list_title(kind: ListKind, current: Viewer) -> str:
    """The list's title in the user's language."""
    _ = translations(current.language).gettext
    titles = {
        ListKind.REFER: _("Referral list"),
        ListKind.COUNSEL: _("Counselling list at the posyandu"),
        ListKind.REMEASURE: _("Re-measure list"),
    }
    return titles[kind]


ReasonQuery = Annotated[
    str | None, Query(max_length=20, description="A reason code (T, 2T, BGM, ...); empty: all.")
]
PageQuery = Annotated[int, Query(ge=1, le=1_000_000)]
ALL = 2**31 - 1  # a page size that holds any list


@dataclass(frozen=True)
class Asked:
    """The list's query as it came: kept in the page's links and forms."""

    month: str | None
    area: str | None
    posyandu: int | None
    reason: ReferralReason | None

    def query(self, month: str | None = None, **extra: object) -> str:
        """The query string of these filters (the month given, else the one asked)."""
        values: dict[str, object] = {}
        if month or self.month:
            values["month"] = month or self.month
        if self.area:
            values["area"] = self.area
        elif self.posyandu is not None:
            values["posyandu"] = self.posyandu
        if self.reason is not None:
            values["reason"] = self.reason.value
        values.update(extra)
        return urlencode(values)


def find_list(
    request: Request,
    connection: Connection,
    current: Viewer,
    kind: ListKind,
    asked: Asked,
    page: int = 1,
    page_size: int | None = None,
) -> ChildList:
    """Page ``page`` of the list ``kind`` with the filters asked for, inside the scope."""
    state = web_state(request)
    figures = state.figures.snapshot(connection)
    area = chosen_area(figures.places, current.scope, asked.area, asked.posyandu)
    month = parse_month(asked.month) if asked.month else None
    query = ListQuery(kind, month, asked.reason, page)
    if page_size is not None:
        query = ListQuery(kind, month, asked.reason, page, page_size)
    rules = referral_rules(state.settings)
    return child_list(
        connection,
        figures.places,
        figures.memo,
        area,
        current.scope,
        rules,
        query,
        today=date.today(),
    )


def _export(
    request: Request,
    connection: Connection,
    current: Viewer,
    kind: ListKind,
    asked: Asked,
    unmask: bool,
) -> ListExport:
    state = web_state(request)
    figures = state.figures.snapshot(connection)
    area = chosen_area(figures.places, current.scope, asked.area, asked.posyandu)
    month = parse_month(asked.month) if asked.month else None
    try:
        return child_list_export(
            connection,
            figures.places,
            figures.memo,
            area,
            current.scope,
            referral_rules(state.settings),
            ListQuery(kind, month, asked.reason),
            today=date.today(),
            unmask=unmask,
        )
    except NotAllowed:
        raise NotFound from None


def list_page(
    request: Request,
    connection: Connection,
    current: Viewer,
    kind: ListKind,
    asked: Asked,
    page: int,
) -> HTMLResponse:
    """The page of a list: counts by reason and area, then the children a page at a time."""
    found = find_list(request, connection, current, kind, asked, page)
    figures = web_state(request).figures.snapshot(connection)
    label = found.month.label if found.month else None
    context = list_context(
        request,
        current,
        figures,
        found.area,
        kind,
        path=PATHS[kind],
        title=list_title(kind, current),
        found=found,
        month=found.month,
        view=found.view,
        asked=asked,
        page_query=lambda n: asked.query(label, page=n),
        filters=asked.query(label),
    )
    return HTMLResponse(render(current.language, "referrals.html", context))


def print_page(
    request: Request, connection: Connection, current: Viewer, kind: ListKind, asked: Asked
) -> HTMLResponse:
    """Every child of the list with the filters, as a table to print on A4."""
    found = _export(request, connection, current, kind, asked, unmask=True)
    context = {
        "viewer": current,
        "title": list_title(kind, current),
        "found": found,
        "labels": reason_labels(current),
        "back": f"{PATHS[kind]}?{asked.query(found.month.label if found.month else None)}",
    }
    return HTMLResponse(render(current.language, "list_print.html", context))


def _table(found: ListExport, current: Viewer, title: str) -> Table:
    _ = translations(current.language).gettext
    labels = reason_labels(current)
    text, whole = ColumnKind.TEXT, ColumnKind.INTEGER
    columns = (
        Column("Posyandu"),
        Column(_("Name")),
        Column("NIK"),
        Column(_("Sex")),
        Column(_("Birth date")),
        Column(_("Age (months)"), whole),
        Column(_("Date")),
        Column(_("Weight (kg)"), ColumnKind.DECIMAL, 1),
        Column(_("Length/height (cm)"), ColumnKind.DECIMAL, 1),
        Column("N/T", text),
        Column(_("MUAC (cm)"), ColumnKind.DECIMAL, 1),
        *(Column(f"ZS {indicator_label(i)}", ColumnKind.DECIMAL, 2) for i in ("haz", "waz", "whz")),
        Column(_("oedema")),
        Column(_("Reasons")),
    )
    rows = tuple(
        (
            r.posyandu_name or _("(no posyandu)"),
            r.name,
            r.nik,
            _("Boy") if r.sex == "male" else _("Girl"),
            r.birth_date.isoformat() if r.birth_date else None,
            r.age_months,
            r.measured_on.isoformat(),
            r.weight_kg,
            r.height_cm,
            r.weight_trend,
            r.muac_cm,
            r.haz,
            r.waz,
            r.whz,
            _("yes") if r.oedema else None,
            ", ".join(labels[x] for x in r.reasons),
        )
        for r in found.rows
    )
    note = None if found.unmask else _("Names are initials, NIK and birth dates are masked.")
    where = f"{found.area.name} ({found.area.code})"
    month = found.month.label if found.month else ""
    return Table(f"{title}, {month}: {where}", columns, rows, note, title)


def download(
    request: Request,
    connection: Connection,
    current: Viewer,
    kind: ListKind,
    asked: Asked,
    unmask: bool,
) -> Response:
    """The list with the filters (all pages) as an .xlsx download."""
    found = _export(request, connection, current, kind, asked, unmask)
    buffer = io.BytesIO()
    write_workbook(
        [_table(found, current, list_title(kind, current))], buffer, language=current.language
    )
    month = found.month.label if found.month else "kosong"
    logger.info(
        "%s download by user %d: %s, %s, unmask=%s",
        kind.value,
        current.user.id,
        month,
        found.area.code,
        found.unmask,
    )
    name = f"{FILE_NAMES[kind]}-{found.area.code}-{month}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(buffer.getvalue(), media_type=XLSX, headers=headers)


def parse_reason(text: str | None) -> ReferralReason | None:
    """The reason asked for (None: empty, all reasons); an InputError when it is none."""
    if not text:
        return None
    try:
        return ReferralReason(text)
    except ValueError:
        raise InputError(
            "'{value}' is not a reason of these lists; choose a reason in the list",
            value=text,
        ) from None


def asked_in_query(
    month: MonthQuery = None,
    area: AreaQuery = None,
    posyandu: PosyanduQuery = None,
    reason: ReasonQuery = None,
) -> Asked:
    """The filters of a list page's query."""
    return Asked(month, area, posyandu, parse_reason(reason))


def asked_in_form(
    month: Annotated[str | None, Form(pattern=MONTH)] = None,
    area: Annotated[str | None, Form(pattern=AREA_CODE)] = None,
    posyandu: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    reason: Annotated[str | None, Form(max_length=20)] = None,
) -> Asked:
    """The filters of a list's download form (the page's, kept in hidden fields)."""
    return Asked(month, area or None, posyandu, parse_reason(reason))


AskedQuery = Annotated[Asked, Depends(asked_in_query)]
AskedForm = Annotated[Asked, Depends(asked_in_form)]


def _routes(kind: ListKind) -> None:
    path = PATHS[kind]

    @router.get(path, response_class=HTMLResponse, name=f"{kind.value}_list")
    def shown(
        request: Request, connection: Db, current: CurrentViewer, asked: AskedQuery,
        page: PageQuery = 1,
    ) -> HTMLResponse:  # fmt: skip
        return list_page(request, connection, current, kind, asked, page)

    @router.get(f"{path}/print", response_class=HTMLResponse, name=f"{kind.value}_print")
    def printed(
        request: Request, connection: Db, current: CurrentViewer, asked: AskedQuery
    ) -> HTMLResponse:
        return print_page(request, connection, current, kind, asked)

    @router.post(f"{path}/download", dependencies=[Depends(csrf_protected)])
    def downloaded(
        request: Request, connection: Db, current: CurrentViewer, asked: AskedForm,
        unmask: Annotated[str, Form(max_length=10)] = "",
    ) -> Response:  # fmt: skip
        return download(request, connection, current, kind, asked, bool(unmask))


for _kind in ListKind:
    _routes(_kind)
