"""Did the fed children do better? The PMT outcome page (``/pmt/outcomes``), its .xlsx
(``/pmt/outcomes/download``) and its API (``/api/v1/pmt/outcomes``), for the user's area
and the episodes started in a period (``from``, ``to``: months) (docs/pmt.md,
"Outcomes"). Figures only: every role but the kitchen operator reads them."""

import io
import logging
from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from tumbuh.episode_labels import (
    EXIT_NAMES,
    GROUP_COLUMNS,
    GROUP_NAMES,
    MEASURE_NAMES,
    group_label,
    period_words,
    too_few_text,
)
from tumbuh.formatting import format_decimal_places
from tumbuh.i18n import Language, translations
from tumbuh.reports.pmt_outcomes import write_outcome_workbook
from tumbuh.usecases import pmt_outcomes
from tumbuh.usecases.pmt_outcomes import (
    Estimate,
    Measure,
    OutcomeGroup,
    OutcomeQuery,
    OutcomeRow,
    PmtOutcomes,
)
from tumbuh.usecases.referrals import referral_rules
from tumbuh.web.deps import CurrentViewer, Db, Viewer, web_state
from tumbuh.web.surveillance.pages import MONTH, parse_month
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter()
logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FromQuery = Annotated[str | None, Query(alias="from", pattern=MONTH)]
ToQuery = Annotated[str | None, Query(alias="to", pattern=MONTH)]
MINUS = "\u2212"


def _query(first: str | None, last: str | None) -> OutcomeQuery:
    """The period asked for (InputError when a month cannot be one, or the first is later)."""
    return OutcomeQuery(parse_month(first) if first else None, parse_month(last) if last else None)


def _evaluate(
    request: Request, connection: Connection, current: Viewer, query: OutcomeQuery
) -> PmtOutcomes:
    state = web_state(request)
    figures = state.figures.snapshot(connection)
    return pmt_outcomes.pmt_outcomes(
        connection,
        figures.places,
        figures.memo,
        current.scope,
        referral_rules(state.settings),
        query,
    )


def _period(query: OutcomeQuery, gettext: Callable[[str], str]) -> str:
    first, last = query.started_from, query.started_to
    return period_words(first.label if first else None, last.label if last else None, gettext)


def _signed(value: float, places: int, language: Language) -> str:
    text = format_decimal_places(abs(value), places, language)
    return text if round(value, places) == 0 else ("+" if value > 0 else MINUS) + text


def _plain(value: float | None, measure: Measure, language: Language) -> str:
    """A fed or comparison value: recovery in percent, the others with two decimals."""
    if value is None:
        return "–"
    if measure is Measure.RECOVERED:
        return format_decimal_places(100 * value, 0, language) + "%"
    return format_decimal_places(value, 2, language).replace("-", MINUS)


def estimate_texts(
    estimate: Estimate, measure: Measure, language: Language
) -> tuple[str, str] | None:
    """(the difference with its interval, "fed vs not fed") as the page writes them;
    None without a figure."""
    if estimate.difference is None or estimate.lower is None or estimate.upper is None:
        return None
    gettext = translations(language).gettext
    if measure is Measure.RECOVERED:
        values = [100 * v for v in (estimate.difference, estimate.lower, estimate.upper)]
        texts = [_signed(v, 0, language) for v in values]
        main = gettext("{value} points ({lower} to {upper})")
    else:
        values = [estimate.difference, estimate.lower, estimate.upper]
        texts = [_signed(v, 2, language) for v in values]
        main = gettext("{value} ({lower} to {upper})")
    versus = gettext("{fed} fed, {comparison} not fed").format(
        fed=_plain(estimate.fed, measure, language),
        comparison=_plain(estimate.comparison, measure, language),
    )
    return main.format(value=texts[0], lower=texts[1], upper=texts[2]), versus


def _context(
    request: Request, current: Viewer, found: PmtOutcomes, asked: tuple[str | None, str | None]
) -> dict[str, object]:
    gettext = translations(current.language).gettext
    period = _period(found.query, gettext)
    limits = (found.min_matched, found.min_controls)

    def too_few(row: OutcomeRow) -> str:
        return too_few_text(row.reason, limits, gettext)

    def label(row: OutcomeRow) -> str:
        return group_label(row.grouping, row.code, row.name, gettext)

    def cell(row: OutcomeRow, measure: Measure) -> tuple[str, str] | None:
        return estimate_texts(row.compared[measure], measure, current.language)

    def plain(value: float | None, measure: Measure) -> str:
        return _plain(value, measure, current.language)

    return {
        "request": request,
        "viewer": current,
        "found": found,
        "asked_from": asked[0] or "",
        "asked_to": asked[1] or "",
        "download_query": _download_query(asked),
        "period": period[:1].upper() + period[1:],
        "groups": [g for g in OutcomeGroup if g is not OutcomeGroup.CITY],
        "measures": list(Measure),
        "measure_names": MEASURE_NAMES,
        "group_names": GROUP_NAMES,
        "group_columns": GROUP_COLUMNS,
        "exit_names": EXIT_NAMES,
        "too_few": too_few,
        "label": label,
        "cell": cell,
        "plain": plain,
    }


def _download_query(asked: tuple[str | None, str | None]) -> str:
    parts = [f"{name}={value}" for name, value in zip(("from", "to"), asked, strict=True) if value]
    return "?" + "&".join(parts) if parts else ""


@router.get("/pmt/outcomes", response_class=HTMLResponse)
def outcomes_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    first: FromQuery = None,
    last: ToQuery = None,
) -> HTMLResponse:
    """Fed children against comparable children not fed: the whole area, then by kitchen,
    kelurahan, funding and indication (403 for a kitchen operator)."""
    found = _evaluate(request, connection, current, _query(first, last))
    context = _context(request, current, found, (first, last))
    return HTMLResponse(render(current.language, "pmt_outcomes.html", context))


@router.get("/pmt/outcomes/download")
def download(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    first: FromQuery = None,
    last: ToQuery = None,
) -> Response:
    """The evaluation with the period as .xlsx (figures only, no child)."""
    query = _query(first, last)
    found = _evaluate(request, connection, current, query)
    gettext = translations(current.language).gettext
    title = f"{gettext('PMT outcomes')}, {_period(query, gettext)}"
    buffer = io.BytesIO()
    limits = (found.min_matched, found.min_controls)
    write_outcome_workbook(
        found.rows, buffer, title=title, limits=limits, language=current.language
    )
    logger.info("PMT outcomes download by user %d", current.user.id)
    span = "-".join(p for p in (first, last) if p) or date.today().isoformat()
    headers = {"Content-Disposition": f'attachment; filename="hasil-pmt-{span}.xlsx"'}
    return Response(buffer.getvalue(), media_type=XLSX, headers=headers)


class EstimateOut(BaseModel):
    """One measure of a row (recovery as a share 0-1); None where too small."""

    n: int = Field(description="Matched episodes with the measure known.")
    fed: float | None
    comparison: float | None
    difference: float | None
    lower: float | None = Field(description="95 % interval of the difference.")
    upper: float | None


class OutcomeRowOut(BaseModel):
    """One group of a grouping."""

    grouping: str
    code: str = Field(description="Kitchen number, kelurahan code, funding or indication.")
    name: str | None
    n_enrolled: int
    n_followed: int
    n_matched: int
    n_controls: int = Field(description="Distinct comparable children not fed.")
    too_small: bool
    reason: str | None = Field(description="few_matched or few_controls; None: enough.")
    adherence: float | None
    exits: dict[str, int]
    before_after: dict[str, float | None] = Field(description="Naive mean of all the fed.")
    compared: dict[str, EstimateOut]


class OutcomesOut(BaseModel):
    """The evaluation of the user's area."""

    started_from: str | None
    started_to: str | None
    months: list[str] = Field(description="Baseline months of the episodes.")
    candidate_rows: int
    candidate_children: int
    min_matched: int
    min_controls: int
    groups: dict[str, list[OutcomeRowOut]]


def _row_out(row: OutcomeRow) -> OutcomeRowOut:
    return OutcomeRowOut(
        grouping=row.grouping.value,
        code=row.code,
        name=row.name,
        n_enrolled=row.n_enrolled,
        n_followed=row.n_followed,
        n_matched=row.n_matched,
        n_controls=row.n_controls,
        too_small=row.too_small,
        reason=row.reason.name.lower() if row.too_small else None,
        adherence=row.adherence,
        exits={e.value: n for e, n in row.exits.items()},
        before_after={m.value: v for m, v in row.before_after.items()},
        compared={
            m.value: EstimateOut(
                n=e.n,
                fed=e.fed,
                comparison=e.comparison,
                difference=e.difference,
                lower=e.lower,
                upper=e.upper,
            )
            for m, e in row.compared.items()
        },
    )


@api_router.get("/pmt/outcomes", response_model=OutcomesOut)
def outcomes_api(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    first: FromQuery = None,
    last: ToQuery = None,
) -> OutcomesOut:
    """Fed children against comparable children not fed, by grouping, for the episodes
    started from ``from`` to ``to`` (months, YYYY-MM); 403 for a kitchen operator."""
    query = _query(first, last)
    found = _evaluate(request, connection, current, query)
    return OutcomesOut(
        started_from=query.started_from.label if query.started_from else None,
        started_to=query.started_to.label if query.started_to else None,
        months=[m.label for m in found.months],
        candidate_rows=found.candidate_rows,
        candidate_children=found.candidate_children,
        min_matched=found.min_matched,
        min_controls=found.min_controls,
        groups={g.value: [_row_out(r) for r in rows] for g, rows in found.rows.items()},
    )
