"""The cohort flows between two rounds per area, and what the lists of children share
(the lists themselves: :mod:`tumbuh.web.surveillance.lists`).

The pages take the area from the query (``area=`` a kota, kecamatan or kelurahan code,
``posyandu=`` an id), default to the user's home area, and show only what lies inside the
user's scope (:mod:`tumbuh.web.surveillance.area_choice`).
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection

from tumbuh.errors import InputError
from tumbuh.formatting import format_decimal_places
from tumbuh.growth.flows import FLOWS
from tumbuh.growth.periods import Period, month_period, parse_period
from tumbuh.growth.referrals import ListKind, ReferralReason
from tumbuh.i18n import translations
from tumbuh.labels import (
    FLOW_DEFINITIONS,
    FLOW_NAMES,
    PROGRAMME_CODES,
    REASON_NAMES,
    indicator_label,
    translated,
)
from tumbuh.usecases.flows import AgeChoice, flows_view
from tumbuh.usecases.places import Area
from tumbuh.web.deps import CurrentViewer, Db, Viewer, web_state
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.area_choice import area_options, chosen_area
from tumbuh.web.surveillance.areas import AREA_CODE, MAX_ID, area_url
from tumbuh.web.surveillance.figures import Figures
from tumbuh.web.templating import render
from tumbuh.web.views import is_partial

router = APIRouter(include_in_schema=False)
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
MonthQuery = Annotated[str | None, Query(pattern=MONTH)]
AreaQuery = Annotated[str | None, Query(pattern=AREA_CODE)]
PosyanduQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
FirstRoundQuery = Annotated[str | None, Query(alias="from", pattern=MONTH)]
AgeQuery = Annotated[AgeChoice, Query()]  # baduta, 24-59 or all
SecondRoundQuery = Annotated[str | None, Query(alias="to", pattern=MONTH)]


def reason_labels(current: Viewer) -> dict[ReferralReason, str]:
    """The reasons' short labels in the user's language."""
    return translated(REASON_NAMES, translations(current.language).gettext)


def _sd(value: float, current: Viewer) -> str:
    """A z-score cut-off as users write it: ``-3``, ``-2,5``."""
    if float(value).is_integer():
        return str(int(value))
    return format_decimal_places(value, 1, current.language)


def shown_reasons(request: Request, kind: ListKind = ListKind.REFER) -> list[ReferralReason]:
    """The reasons of list ``kind`` judged with the configuration ("above the orange line"
    only when set)."""
    orange = web_state(request).settings.above_orange_waz is not None
    return [
        r
        for r in ReferralReason
        if r.action is kind and (orange or r is not ReferralReason.ABOVE_ORANGE)
    ]


def reason_definitions(
    request: Request, current: Viewer, kind: ListKind = ListKind.REFER
) -> list[tuple[str, str]]:
    """(label, rule) of each reason of list ``kind`` judged with the configured cut-offs."""
    _ = translations(current.language).gettext
    settings = web_state(request).settings
    waz, whz, haz = (indicator_label(i) for i in ("waz", "whz", "haz"))
    names = reason_labels(current)
    rules = {
        ReferralReason.SEVERE_WASTING: _(
            "{label} below -3 SD, or MUAC below 11.5 cm at 6-59 months, or oedema of both feet"
        ).format(label=whz),
        ReferralReason.BGM: _("{label} below {limit} SD, the red line of the KMS").format(
            label=waz, limit=_sd(settings.bgm_waz_below, current)
        ),
        ReferralReason.WASTED: _(
            "{label} from -3 to below -2 SD, or MUAC from 11.5 to below 12.5 cm at 6-59 months"
        ).format(label=whz),
        ReferralReason.TWO_T: _("T at this month's weighing and at last month's"),
        ReferralReason.UNDERWEIGHT: _("{label} from {limit} to below -2 SD").format(
            label=waz, limit=_sd(settings.bgm_waz_below, current)
        ),
        ReferralReason.STUNTED: _(
            "{label} below -2 SD (pendek or sangat pendek), not yet followed up as a case"
        ).format(label=haz),
        ReferralReason.ABOVE_ORANGE: _("{label} above {limit} SD").format(
            label=waz, limit=_sd(settings.above_orange_waz or 0.0, current)
        ),
        ReferralReason.T: _(
            "the weight did not go up along its line at the last weighing of the month "
            "(flat, falling, or into a lower band of the KMS) and did not reach the minimum "
            "gain (KBM)"
        ),
        ReferralReason.FLAGGED_WAZ: _("{label} outside WHO's plausible range").format(label=waz),
        ReferralReason.FLAGGED_HAZ: _("{label} outside WHO's plausible range").format(label=haz),
        ReferralReason.FLAGGED_WHZ: _("{label} outside WHO's plausible range").format(label=whz),
        ReferralReason.FLAGGED_MUAC: _("MUAC below 10 cm or above 20 cm"),
    }
    return [
        (names[r] if r not in PROGRAMME_CODES else r.value, rules[r])
        for r in shown_reasons(request, kind)
    ]


def _context(
    request: Request, current: Viewer, figures: Figures, area: Area, **values: object
) -> dict[str, object]:
    """What every surveillance page shows: the area, its choice and whether it is partial."""
    return {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "options": area_options(figures.places, current.scope),
        "area_url": area_url,
        "area": area,
        "partial": is_partial(figures, area, current.scope),
        **values,
    }


def list_context(
    request: Request,
    current: Viewer,
    figures: Figures,
    area: Area,
    kind: ListKind,
    **values: object,
) -> dict[str, object]:
    """The context of a list page: the surveillance page's, the list's reasons and rules."""
    return _context(
        request,
        current,
        figures,
        area,
        kind=kind.value,
        reasons=shown_reasons(request, kind),
        labels=reason_labels(current),
        definitions=reason_definitions(request, current, kind),
        **values,
    )


def _round(item: date) -> Period:
    return month_period(item.year, item.month)


def parse_month(text: str) -> Period:
    """A month of the form; an InputError (shown as a page) when it cannot be one."""
    found = parse_period(text)
    if found is None:
        raise InputError(
            "'{value}' is not a month Tumbuh can report on; write the month as YYYY-MM, for "
            "example 2024-08",
            value=text,
        )
    return found


def flow_rounds(
    request: Request,
    connection: Connection,
    current: Viewer,
    first: str | None,
    second: str | None,
    area: str | None,
    posyandu: int | None,
) -> tuple[Figures, Area, Period | None, Period | None]:
    """The figures, the area asked for (default: the user's home area) and the two rounds
    asked for (default: the latest bulan timbang and the one before; None where the
    register has none)."""
    figures = web_state(request).figures.snapshot(connection)
    chosen = chosen_area(figures.places, current.scope, area, posyandu)
    latest, previous = figures.latest_two()
    one = parse_month(first) if first else (_round(previous.month) if previous else None)
    two = parse_month(second) if second else (_round(latest.month) if latest else None)
    return figures, chosen, one, two


@router.get("/cohort-flows", response_class=HTMLResponse)
def flows_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    first: FirstRoundQuery = None,
    second: SecondRoundQuery = None,
    area: AreaQuery = None,
    posyandu: PosyanduQuery = None,
    age: AgeQuery = AgeChoice.ALL,
) -> HTMLResponse:
    """Still, newly, no longer stunted: every child of two rounds counted once (of one
    age group when asked)."""
    figures, chosen, one, two = flow_rounds(
        request, connection, current, first, second, area, posyandu
    )
    view, in_order = None, one is not None and two is not None and one.end <= two.start
    if one is not None and two is not None and in_order:
        view = flows_view(
            connection, figures.places, figures.memo, chosen, current.scope, one, two, age
        )
    gettext = translations(current.language).gettext
    context = _context(
        request,
        current,
        figures,
        chosen,
        first=one,
        second=two,
        out_of_order=one is not None and two is not None and not in_order,
        view=view,
        age=age,
        ages=tuple(AgeChoice),
        flows=FLOWS,
        titles=translated(FLOW_NAMES, gettext),
        definitions=translated(FLOW_DEFINITIONS, gettext),
    )
    return HTMLResponse(render(current.language, "flows.html", context))
