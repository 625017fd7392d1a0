"""The sponsor's own page (``/asuh/mine``: their children by initials, age, kelurahan and
z-scores over time, the deliveries, their money trail) and the public page of the
programme (``/public/asuh``, no sign-in: aggregates only) (docs/asuh.md)."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tumbuh.growth.enums import Indicator
from tumbuh.i18n import Language, translations
from tumbuh.labels import indicator_label
from tumbuh.reports.charts import Estimate, TargetLine, TrendSeries, trend_chart
from tumbuh.usecases.asuh_views import ChildTrend, sponsor_view, transparency
from tumbuh.web.asuh.common import page
from tumbuh.web.deps import Db, SponsorViewer, request_language, web_state
from tumbuh.web.templating import short_month

router = APIRouter(include_in_schema=False)
ZSCORE_LINE = -2.0  # below it: pendek (TB/U), BB kurang (BB/U), gizi kurang (BB/TB)


def zscore_svg(child: ChildTrend, ident: str, language: Language) -> str:
    """The child's HAZ, WAZ and WHZ per month as a line chart with the -2 line."""
    _ = translations(language).gettext
    periods = [short_month(p.month, language) for p in child.trend]
    series = [
        TrendSeries(
            indicator_label(indicator.value),
            tuple(
                None if value is None else Estimate(value)
                for value in (getattr(p, indicator.value) for p in child.trend)
            ),
        )
        for indicator in (Indicator.HAZ, Indicator.WAZ, Indicator.WHZ)
    ]
    return trend_chart(
        periods,
        series,
        title=_("z-scores of {child}").format(child=child.initials),
        y_label=_("z-score"),
        target=TargetLine(ZSCORE_LINE, _("Cut-off")),
        unit="",
        label_values=False,
        language=language,
        height=300,
        ident=ident,
    )


@router.get("/asuh/mine", response_class=HTMLResponse)
def mine(request: Request, connection: Db, current: SponsorViewer) -> HTMLResponse:
    """The sponsor's own children, deliveries and money (sponsors only: anyone else 404)."""
    view = sponsor_view(connection, current.scope, date.today())
    charts = {
        (item.id, index): zscore_svg(child, f"z-{item.id}-{index}", current.language)
        for item in view.asuhan
        for index, child in enumerate(item.children)
        if child.trend
    }
    return page(request, current, "asuh_mine.html", current.language, view=view, charts=charts)


@router.get("/public/asuh", response_class=HTMLResponse)
def public(request: Request, connection: Db) -> HTMLResponse:
    """The programme's public figures (no sign-in): how many sponsors (named with their
    consent), money pledged, received and disbursed per month and kelurahan, children
    supported (small counts withheld)."""
    city = web_state(request).settings.city_code
    figures = transparency(connection, date.today(), city_code=city)
    language = request_language(request)
    return page(request, None, "asuh_public.html", language, figures=figures)
