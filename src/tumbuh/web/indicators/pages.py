"""The intervention indicators of a year (``/indicators?year=``): the figures computed from
the register for the user's area and per kelurahan, with their targets; the figures
entered by hand with their source, and the form administrators and analysts enter them
with (``POST /indicators/values``); the KRS per kelurahan; the .xlsx
(``/indicators/download``) and the API (``/api/v1/indicators?year=``). Figures only:
administrators, analysts, partners and nutritionists (docs/indicators.md)."""

import io
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from tumbuh.errors import InputError
from tumbuh.formatting import format_decimal_places
from tumbuh.i18n import translations
from tumbuh.reports.indicators import indicator_tables, met_word
from tumbuh.reports.xlsx import write_workbook
from tumbuh.usecases import indicator_values, indicators
from tumbuh.usecases.indicators import Indicators
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state
from tumbuh.web.security import csrf_token
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter()
logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YearQuery = Annotated[int | None, Query(ge=1900, le=2200)]
FORM_FIELDS = ("indicator", "area", "year", "numerator", "denominator", "percent", "source")


def _year(year: int | None) -> int:
    return year if year is not None else date.today().year


def _figures(request: Request, connection: Connection, current: Viewer, year: int) -> Indicators:
    places = web_state(request).figures.snapshot(connection).places
    return indicators.indicators(connection, places, current.scope, year, as_of=date.today())


def _page(
    request: Request,
    connection: Connection,
    current: Viewer,
    year: int,
    raw: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    found = _figures(request, connection, current, year)
    places = web_state(request).figures.snapshot(connection).places
    gettext = translations(current.language).gettext
    kelurahan = sorted(((c, a.name) for c, a in places.kelurahan.items()), key=lambda a: a[1])
    areas = [(places.city.code, places.city.name), *kelurahan]
    this_year = date.today().year
    rates = {(i.indicator.code.value, k.code): k.rate for i in found.computed for k in i.kelurahan}
    names = {k.code: k.name for i in found.computed for k in i.kelurahan}
    order = sorted(names, key=lambda code: (code is None, names[code] or ""))
    context = {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "found": found,
        "years": list(range(this_year, this_year - 6, -1)),
        "may_enter": indicator_values.may_enter(current.scope),
        "manual": [indicators.CATALOGUE[c] for c in indicator_values.MANUAL_CODES],
        "areas": areas,
        "raw": raw or {"year": str(year), "area": places.city.code},
        "errors": errors or [],
        "rates": rates,
        "kelurahan_rows": [(code, names[code]) for code in order],
        "met": lambda meets: met_word(meets, gettext),
        "number": lambda value: (
            "–" if value is None else format_decimal_places(value, 1, current.language)
        ),
    }
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "indicators.html", context), status_code=status)


@router.get("/indicators", response_class=HTMLResponse)
def indicators_page(
    request: Request, connection: Db, current: CurrentViewer, year: YearQuery = None
) -> HTMLResponse:
    """The indicators of the year (this year by default) for the user's area."""
    return _page(request, connection, current, _year(year))


def _number(text: str, field: str, *, whole: bool) -> float | None:
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        value = None
    if value is None or (whole and not value.is_integer()):
        raise InputError(
            "{field}: '{value}' is not a number; write it with digits, e.g. 58,5",
            field=field,
            value=text,
        )
    return value


def _value_input(raw: dict[str, str], gettext: Callable[[str], str]) -> indicator_values.ValueInput:
    numerator = _number(raw["numerator"], gettext("Numerator"), whole=True)
    denominator = _number(raw["denominator"], gettext("Denominator"), whole=True)
    year = _number(raw["year"], gettext("Year"), whole=True)
    return indicator_values.ValueInput(
        indicator=raw["indicator"],
        region_code=raw["area"],
        year=int(year) if year is not None else 0,
        source=raw["source"],
        percent=_number(raw["percent"], gettext("Percent"), whole=False),
        numerator=None if numerator is None else int(numerator),
        denominator=None if denominator is None else int(denominator),
    )


@router.post("/indicators/values", dependencies=[Depends(csrf_protected)])
async def enter_value(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Keep a figure entered by hand with its source (administrators and analysts), then
    show the year; 422 with the error."""
    form = await request.form()
    raw = {name: str(form.get(name, "")) for name in FORM_FIELDS}
    places = web_state(request).figures.snapshot(connection).places
    gettext = translations(current.language).gettext
    try:
        given = _value_input(raw, gettext)
        indicator_values.enter_value(
            connection, places, current.scope, given, user=current.user, now=_now()
        )
    except InputError as error:
        year = raw["year"].strip()
        shown = int(year) if year.isdigit() and 1900 <= int(year) <= 2200 else date.today().year
        return _page(request, connection, current, shown, raw, [error.translated(gettext)])
    logger.info("indicator figure entered by user %d", current.user.id)
    return RedirectResponse(f"/indicators?year={given.year}", status_code=303)


def _now() -> datetime:
    return datetime.now(UTC)


@router.get("/indicators/download")
def download(
    request: Request, connection: Db, current: CurrentViewer, year: YearQuery = None
) -> Response:
    """The three tables of the year as .xlsx (figures only, no child)."""
    found = _figures(request, connection, current, _year(year))
    gettext = translations(current.language).gettext
    buffer = io.BytesIO()
    computed, entered, krs = indicators.sheet_lines(found)
    tables = indicator_tables(found.year, computed, entered, krs, gettext)
    write_workbook(tables, buffer, language=current.language)
    headers = {"Content-Disposition": f'attachment; filename="indikator-{found.year}.xlsx"'}
    return Response(buffer.getvalue(), media_type=XLSX, headers=headers)


class RateOut(BaseModel):
    """An indicator's figure in one area."""

    area_code: str | None = Field(description="Kelurahan code; the area's own code first.")
    area_name: str | None
    numerator: int
    denominator: int
    unknown: int = Field(description="Rows of the denominator whose fact is not recorded.")
    rate: float | None = Field(description="Percent; None when the denominator is 0.")
    target: float | None
    meets_target: bool | None


class IndicatorOut(BaseModel):
    """An indicator computed from the register."""

    code: str
    name: str
    numerator: str
    denominator: str
    area: RateOut
    kelurahan: list[RateOut]


class EnteredOut(BaseModel):
    """A figure entered by hand, with its source."""

    code: str
    area_code: str
    numerator: int | None
    denominator: int | None
    percent: float
    target: float | None
    meets_target: bool | None
    source: str


class KrsOut(BaseModel):
    """Families at risk of stunting in an area ("" : the whole area)."""

    area_code: str | None
    families: int
    at_risk: int
    unknown: int
    rate: float | None


class IndicatorsOut(BaseModel):
    """Every indicator of the year in the user's area."""

    year: int
    area_code: str
    computed: list[IndicatorOut]
    entered: list[EnteredOut]
    krs: list[KrsOut]


def _rate(code: str | None, name: str | None, rate: indicators.GroupRate) -> RateOut:
    return RateOut(
        area_code=code,
        area_name=name,
        numerator=rate.numerator,
        denominator=rate.denominator,
        unknown=rate.unknown,
        rate=rate.rate,
        target=rate.target,
        meets_target=rate.meets_target,
    )


@api_router.get("/indicators", response_model=IndicatorsOut)
def indicators_api(
    request: Request, connection: Db, current: CurrentViewer, year: YearQuery = None
) -> IndicatorsOut:
    """The intervention indicators of the year (this year by default) in the user's area."""
    found = _figures(request, connection, current, _year(year))
    return IndicatorsOut(
        year=found.year,
        area_code=found.area_code,
        computed=[
            IndicatorOut(
                code=i.indicator.code.value,
                name=i.indicator.name,
                numerator=i.indicator.numerator,
                denominator=i.indicator.denominator,
                area=_rate(found.area_code, found.area_name, i.area),
                kelurahan=[_rate(k.code, k.name, k.rate) for k in i.kelurahan],
            )
            for i in found.computed
        ],
        entered=[
            EnteredOut(
                code=e.indicator.code.value,
                area_code=v.region_code,
                numerator=v.numerator,
                denominator=v.denominator,
                percent=v.percent,
                target=v.target,
                meets_target=v.meets_target,
                source=v.source,
            )
            for e in found.entered
            for v in e.values
        ],
        krs=[
            KrsOut(
                area_code=r.code,
                families=r.families,
                at_risk=r.at_risk,
                unknown=r.unknown,
                rate=r.rate,
            )
            for r in found.krs
        ],
    )
