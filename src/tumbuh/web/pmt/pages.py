"""The month's PMT eligibility list (``/pmt/eligible``) with its enrolment form
(``POST /pmt/enrol``), and one episode (``/pmt/episodes/{id}``) with its checkpoints and
the closing form (``POST /pmt/episodes/{id}/close``) (docs/pmt.md)."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from tumbuh.case_labels import PROBLEM_NAMES, STATUS_NAMES
from tumbuh.episode_labels import (
    CLOSING_NAMES,
    EXIT_NAMES,
    FUNDING_NAMES,
    INDICATION_NAMES,
    REFUSAL_NAMES,
)
from tumbuh.growth.pmt import Funding, Indication
from tumbuh.growth.pmt_episodes import CHILD_INDICATIONS, Closing
from tumbuh.i18n import translations
from tumbuh.labels import REASON_NAMES
from tumbuh.usecases import (
    pmt_bumil_episodes,
    pmt_eligibility,
    pmt_enrolment,
    pmt_episodes,
    pmt_register,
)
from tumbuh.usecases.referrals import referral_rules
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, records_changed, web_state
from tumbuh.web.pmt.forms import (
    CLOSE_FIELDS,
    ENROL_FIELDS,
    error_texts,
    filter_choice,
    read_closing,
    read_enrolment,
)
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.area_choice import area_options, chosen_area
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.surveillance.pages import AreaQuery, PosyanduQuery, parse_month
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
# A filter as the form sends it: "" for "all" (parsed in the route, so that the form's
# empty choice is not a validation error).
FilterText = Annotated[str | None, Query(max_length=20)]


def labels(current: Viewer, **values: object) -> dict[str, object]:
    """The words every PMT page uses, and the values given."""
    gettext = translations(current.language).gettext
    return {
        "indication_names": INDICATION_NAMES,
        "funding_names": FUNDING_NAMES,
        "exit_names": EXIT_NAMES,
        "closing_names": CLOSING_NAMES,
        "refusal_names": REFUSAL_NAMES,
        "problem_names": PROBLEM_NAMES,
        "status_names": STATUS_NAMES,
        "reason_label": lambda r: gettext(REASON_NAMES[r]) if r in REASON_NAMES else r.value,
        **values,
    }


@dataclass(frozen=True)
class EligibleAsked:
    """The eligibility list's query as it came: kept in the page's links and forms."""

    month: str | None = None
    area: str | None = None
    posyandu: int | None = None
    indication: Indication | None = None
    refused: bool = False

    def query(self, **extra: object) -> str:
        """The query string of these filters."""
        values: dict[str, object] = {}
        if self.month:
            values["month"] = self.month
        if self.area:
            values["area"] = self.area
        elif self.posyandu is not None:
            values["posyandu"] = self.posyandu
        if self.indication is not None:
            values["indication"] = self.indication.value
        if self.refused:
            values["refused"] = "true"
        values.update(extra)
        return urlencode(values)


def _eligible_page(
    request: Request,
    connection: Connection,
    current: Viewer,
    asked: EligibleAsked,
    page: int = 1,
    raw: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    state = web_state(request)
    figures = state.figures.snapshot(connection)
    area = chosen_area(figures.places, current.scope, asked.area, asked.posyandu)
    month = parse_month(asked.month) if asked.month else None
    query = pmt_eligibility.EligibilityQuery(month, asked.indication, asked.refused, page)
    found = pmt_eligibility.eligibility_list(
        connection,
        figures.places,
        figures.memo,
        area,
        current.scope,
        referral_rules(state.settings),
        query,
        today=date.today(),
    )
    kitchens = pmt_register.kitchen_choices(connection, current.scope) if found.may_enrol else []
    context = labels(
        current,
        request=request,
        viewer=current,
        csrf=csrf_token(request),
        found=found,
        area=area,
        options=area_options(figures.places, current.scope),
        asked=asked,
        page_query=lambda n: asked.query(page=n),
        kitchens=[k for k in kitchens if k.active],
        kelurahan=figures.places.kelurahan,
        fundings=list(Funding),
        indications=CHILD_INDICATIONS,
        raw=raw or {"started_on": date.today().isoformat()},
        errors=errors or [],
    )
    status = 422 if errors else 200
    html = render(current.language, "pmt_eligible.html", context)
    return HTMLResponse(html, status_code=status)


@router.get("/pmt/eligible", response_class=HTMLResponse)
def eligible_page(  # noqa: PLR0913 - the list's filters as query parameters
    request: Request,
    connection: Db,
    current: CurrentViewer,
    *,
    month: FilterText = None,
    area: AreaQuery = None,
    posyandu: PosyanduQuery = None,
    indication: FilterText = None,
    refused: Annotated[bool, Query()] = False,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """The month's children who may be fed PMT lokal in the area, with the enrolment form
    for the roles that enrol (403 for roles that see figures only)."""
    if not current.scope.may_see_children:
        raise pmt_eligibility.NotAllowed
    chosen = filter_choice(Indication, indication, "indication")
    asked = EligibleAsked(month or None, area or None, posyandu, chosen, refused)
    return _eligible_page(request, connection, current, asked, page)


@router.post("/pmt/enrol", dependencies=[Depends(csrf_protected)])
async def enrol(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Enrol the children ticked (audited): one child opens its episode's page, several
    the register; refused, the list again with every reason (422)."""
    form = await request.form()
    raw = {key: str(form.get(key) or "") for key in (*ENROL_FIELDS, "area", "posyandu")}
    ticked = [str(v) for v in form.getlist("child_id")]
    gettext = translations(current.language).gettext
    enrolment, errors = read_enrolment(raw, ticked)
    if enrolment is not None:
        done = pmt_enrolment.enrol(
            connection,
            current.scope,
            current.user,
            enrolment,
            today=date.today(),
            rules=referral_rules(web_state(request).settings),
        )
        errors = done.errors
    if errors or enrolment is None:
        posyandu = raw["posyandu"]
        asked = EligibleAsked(
            raw["month"] or None,
            raw["area"] or None,
            int(posyandu) if posyandu.isdigit() else None,
            refused=bool(form.get("refused")),
        )
        texts = error_texts(errors, gettext)
        return _eligible_page(request, connection, current, asked, 1, raw, texts)
    records_changed(request)
    if len(done.episode_ids) == 1:
        return RedirectResponse(f"/pmt/episodes/{done.episode_ids[0]}", status_code=303)
    return RedirectResponse("/pmt/episodes?state=open", status_code=303)


def episode_page_response(
    request: Request,
    connection: Connection,
    current: Viewer,
    episode_id: int,
    raw: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    """An episode's page, a child's or a pregnant woman's (with errors: 422)."""
    today = date.today()
    view = pmt_bumil_episodes.any_episode(connection, current.scope, episode_id, today)
    bumil = isinstance(view, pmt_bumil_episodes.BumilEpisodeView)
    context = labels(
        current,
        request=request,
        viewer=current,
        csrf=csrf_token(request),
        view=view,
        today=today,
        closings=list(Closing),
        raw=raw or {"ended_on": today.isoformat()},
        errors=errors or [],
    )
    page = "pmt_episode_bumil.html" if bumil else "pmt_episode.html"
    html = render(current.language, page, context)
    return HTMLResponse(html, status_code=422 if errors else 200)


@router.get("/pmt/episodes/{episode_id}", response_class=HTMLResponse)
def episode_page(
    request: Request, connection: Db, current: CurrentViewer, episode_id: Id
) -> HTMLResponse:
    """One episode: the child, the kitchen, the days planned and served, the checkpoints
    of weeks 2, 4 and 8, the progress, and the closing form."""
    return episode_page_response(request, connection, current, episode_id)


@router.post("/pmt/episodes/{episode_id}/close", dependencies=[Depends(csrf_protected)])
async def close(
    request: Request, connection: Db, current: CurrentViewer, episode_id: Id
) -> Response:
    """Close the episode (audited), then show it again; 422 with the reasons refused."""
    form = await request.form()
    raw = {key: str(form.get(key) or "") for key in CLOSE_FIELDS}
    raw["advance_case"] = "true" if form.get("advance_case") else "false"  # a checkbox
    today = date.today()
    closing, errors = read_closing(raw, today)
    if closing is not None:
        errors = pmt_episodes.close_episode(
            connection, current.scope, current.user, episode_id, closing, today=today
        ).errors
    if errors:
        texts = error_texts(errors, translations(current.language).gettext)
        return episode_page_response(request, connection, current, episode_id, raw, texts)
    records_changed(request)
    return RedirectResponse(f"/pmt/episodes/{episode_id}", status_code=303)
