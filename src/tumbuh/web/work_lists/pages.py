"""The home page (``/``): the kader's session and the nutritionist's cases
(:mod:`tumbuh.usecases.work_lists`); the other roles land on the statistics
(``/statistics``), one click away from the work list too. ``/work-list`` is the same page,
where an administrator chooses a posyandu or a puskesmas (docs/web.md, "Home pages")."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from tumbuh.case_labels import PROBLEM_NAMES, STATUS_NAMES, reason_name
from tumbuh.growth.referrals import ReferralReason
from tumbuh.i18n import translations
from tumbuh.usecases import work_lists
from tumbuh.usecases.access import Role
from tumbuh.usecases.referrals import referral_rules
from tumbuh.web.deps import CurrentViewer, Db, Viewer, web_state
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.areas import MAX_ID, home_url
from tumbuh.web.surveillance.pages import MonthQuery, parse_month
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
PageQuery = Annotated[int, Query(ge=1, le=100_000)]
WorkList = work_lists.KaderWorkList | work_lists.PuskesmasWorkList | None


def find_work_list(
    request: Request,
    connection: Connection,
    current: Viewer,
    posyandu: int | None,
    puskesmas: int | None,
    month: str | None,
    page: int = 1,
) -> WorkList:
    """The work list of the user's role (an administrator's: of the posyandu or puskesmas
    asked for, None when neither is); NotAllowed for roles that see no names."""
    scope = current.scope
    if scope.role is Role.NUTRITIONIST or (scope.role is Role.ADMIN and puskesmas is not None):
        return work_lists.puskesmas_work_list(
            connection,
            scope,
            current.user,
            today=date.today(),
            now=datetime.now(UTC),
            puskesmas_id=puskesmas,
            page=page,
        )
    if scope.role is Role.KADER:
        posyandu = current.user.posyandu_id
    elif scope.role is not Role.ADMIN:
        raise work_lists.NotAllowed
    if posyandu is None:
        return None
    state = web_state(request)
    figures = state.figures.snapshot(connection)
    return work_lists.kader_work_list(
        connection,
        figures.places,
        figures.memo,
        scope,
        referral_rules(state.settings),
        posyandu,
        today=date.today(),
        month=parse_month(month) if month else None,
    )


def _reasons(reasons: tuple[ReferralReason, ...], gettext: Callable[[str], str]) -> str:
    return ", ".join(reason_name(r.name, gettext) for r in reasons)


def _page(request: Request, connection: Connection, current: Viewer, found: WorkList) -> Response:
    gettext = translations(current.language).gettext
    choices = None
    if current.scope.role is Role.ADMIN:
        figures = web_state(request).figures.snapshot(connection)
        choices = work_lists.work_list_choices(connection, figures.places, current.scope)
    context = {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "found": found,
        "kader": isinstance(found, work_lists.KaderWorkList),
        "choices": choices,
        "statistics": "/statistics",
        "today": date.today(),
        "problem_names": PROBLEM_NAMES,
        "status_names": STATUS_NAMES,
        "remeasure_text": lambda child: _reasons(child.remeasure, gettext),
        "counsel_text": lambda child: _reasons(child.counsel, gettext),
        "refer_text": lambda child: _reasons(child.refer, gettext),
    }
    return HTMLResponse(render(current.language, "work_list.html", context))


@router.get("/")
def home(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """The kader's and the nutritionist's work list, a kitchen operator's serving log, a
    bidan's pregnancies, a TPK's families, a partner's actions; the others' statistics."""
    if current.scope.role is Role.KITCHEN:
        return RedirectResponse("/kitchen", status_code=303)
    if current.scope.role is Role.BIDAN:  # her work: the pregnancies of her area
        return RedirectResponse("/pregnancies", status_code=303)
    if current.scope.role is Role.TPK:  # the TPK's work: the families of the area
        return RedirectResponse("/families", status_code=303)
    if current.scope.role is Role.PARTNER and current.scope.institution_id is not None:
        return RedirectResponse("/actions/mine", status_code=303)  # its own actions
    if current.scope.role not in (Role.KADER, Role.NUTRITIONIST):
        return RedirectResponse(home_url(request, connection, current), status_code=303)
    found = find_work_list(request, connection, current, None, None, None)
    return _page(request, connection, current, found)


@router.get("/work-list", response_class=HTMLResponse)
def work_list_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    posyandu: IdQuery = None,
    puskesmas: IdQuery = None,
    month: MonthQuery = None,
    page: PageQuery = 1,
) -> Response:
    """The work list: a month's session (kader; ``month`` YYYY-MM), the cases of a
    puskesmas area (nutritionist; ``page`` of the open cases), or an administrator's
    choice of either."""
    found = find_work_list(request, connection, current, posyandu, puskesmas, month, page)
    return _page(request, connection, current, found)


@router.get("/statistics")
def statistics(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """The statistics of the user's own area: the city, their puskesmas area or their
    posyandu (the dashboard every role had as home before the work lists)."""
    return RedirectResponse(home_url(request, connection, current), status_code=303)
