"""Reports page: the TPPS semester report as PDF or XLSX, built in the background.

The report covers the whole city, so it is offered to the roles that see the whole city
(admin, analyst, partner); it holds counts only, no name, NIK or birth date (docs/web.md,
"Reports"). Asking for a report queues it (:class:`tumbuh.web.reporting.files.
SemesterReports`); the page shows "being prepared" and, with JavaScript, polls its state
every two seconds through HTMX until the download link appears. Without JavaScript the
page reloads itself while a report is being prepared.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from tumbuh.growth.periods import Period, parse_period, semester_period
from tumbuh.reports.semester_text import semester_name
from tumbuh.usecases.reporting import RoundKind
from tumbuh.usecases.transactions import end_read
from tumbuh.web.deps import CurrentViewer, Db, NotFound, Viewer, csrf_protected, web_state
from tumbuh.web.reporting.files import ReportFormat, ReportState, ReportStatus
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.figures import Figures
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
SEMESTER = r"^\d{4}-S[12]$"
Semester = Annotated[str, Path(pattern=SEMESTER)]
POLL_SECONDS = 2


def semesters(figures: Figures, today: date) -> list[Period]:
    """Semesters whose bulan timbang round is in the register (up to today), newest first."""
    found = {
        semester_period(r.month.year, 1 if r.month.month <= 6 else 2)
        for r in figures.rounds
        if r.kind is RoundKind.BULAN_TIMBANG and r.month <= today
    }
    return sorted(found, key=lambda p: p.start, reverse=True)


def _offered(figures: Figures, current: Viewer, label: str) -> Period:
    """The semester ``label`` if this user may have its report; else NotFound."""
    if not current.scope.whole_city:
        raise NotFound
    chosen = parse_period(label)
    if chosen is None or chosen not in semesters(figures, date.today()):
        raise NotFound
    return chosen


def _context(request: Request, current: Viewer, **values: object) -> dict[str, object]:
    return {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "formats": list(ReportFormat),
        "poll": POLL_SECONDS,
        "semester_name": lambda period: semester_name(period, current.language),
        **values,
    }


@router.get("/reports", response_class=HTMLResponse)
def reports_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    semester: Annotated[str | None, Query(pattern=SEMESTER)] = None,
) -> HTMLResponse:
    """The semester report of a chosen semester, for roles that see the whole city."""
    figures = web_state(request).figures.snapshot(connection)
    choices = semesters(figures, date.today()) if current.scope.whole_city else []
    chosen = _offered(figures, current, semester) if semester else next(iter(choices), None)
    statuses: dict[ReportFormat, ReportStatus] = {}
    if chosen is not None:
        reports = web_state(request).reports
        statuses = {
            f: reports.status(connection, chosen, f, current.language) for f in ReportFormat
        }
    context = _context(
        request,
        current,
        choices=choices,
        semester=chosen,
        statuses=statuses,
        building=any(s.state is ReportState.BUILDING for s in statuses.values()),
    )
    return HTMLResponse(render(current.language, "reports.html", context))


def _fragment(
    request: Request, current: Viewer, semester: Period, fmt: ReportFormat, status: ReportStatus
) -> HTMLResponse:
    """The state of one report, as the page shows it (and HTMX swaps it in)."""
    context = _context(request, current, semester=semester, fmt=fmt, status=status)
    return HTMLResponse(render(current.language, "_report_status.html", context))


@router.post(
    "/reports/semester/{semester}/{fmt}",
    response_class=HTMLResponse,
    dependencies=[Depends(csrf_protected)],
)
def request_report(
    request: Request, connection: Db, current: CurrentViewer, semester: Semester, fmt: ReportFormat
) -> Response:
    """Queue the report (nothing to do when ready or being prepared)."""
    end_read(connection)  # only reads follow: no write lock held while others write
    figures = web_state(request).figures.snapshot(connection)
    chosen = _offered(figures, current, semester)
    status = web_state(request).reports.request(connection, chosen, fmt, current.language)
    if request.headers.get("HX-Request") == "true":
        return _fragment(request, current, chosen, fmt, status)
    return RedirectResponse(f"/reports?semester={chosen.label}", status_code=303)


@router.get("/reports/semester/{semester}/{fmt}/status", response_class=HTMLResponse)
def report_status(
    request: Request, connection: Db, current: CurrentViewer, semester: Semester, fmt: ReportFormat
) -> HTMLResponse:
    """The state of one report, as the fragment HTMX swaps in while it is prepared."""
    figures = web_state(request).figures.snapshot(connection)
    chosen = _offered(figures, current, semester)
    status = web_state(request).reports.status(connection, chosen, fmt, current.language)
    return _fragment(request, current, chosen, fmt, status)


@router.get("/reports/semester/{semester}.{fmt}")
def download_report(
    request: Request, connection: Db, current: CurrentViewer, semester: Semester, fmt: ReportFormat
) -> Response:
    """The finished report; before it is ready, the reports page of its semester."""
    figures = web_state(request).figures.snapshot(connection)
    chosen = _offered(figures, current, semester)
    status = web_state(request).reports.status(connection, chosen, fmt, current.language)
    if status.state is not ReportState.READY or status.path is None:
        return RedirectResponse(f"/reports?semester={chosen.label}", status_code=303)
    return FileResponse(
        status.path,
        media_type=fmt.media_type,
        filename=f"laporan-semester-{chosen.label}.{fmt.value}",
    )
