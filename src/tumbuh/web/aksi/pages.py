"""The pages of the 8 aksi konvergensi (``/aksi``, ``/aksi/{year}``: the yearly scorecard,
the TPPS's form per aksi and its evidence files) and of the lokus kelurahan
(``/lokus/{year}``: the proposal of a round and the choice kept). docs/aksi.md,
docs/web.md."""

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from tumbuh.aksi_labels import AKSI_NAMES, STATUS_NAMES
from tumbuh.errors import InputError
from tumbuh.growth.aksi import Aksi
from tumbuh.growth.tpps import EVIDENCE_MAX_BYTES, ActionStatus
from tumbuh.i18n import translations
from tumbuh.usecases import aksi as aksi_cases
from tumbuh.usecases import lokus as lokus_cases
from tumbuh.usecases.evidence import EvidenceUpload
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.pages import MONTH, parse_month
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Year = Annotated[int, Path(ge=aksi_cases.FIRST_YEAR, le=aksi_cases.LAST_YEAR)]
DocumentId = Annotated[int, Path(ge=1, le=2**31 - 1)]
RoundQuery = Annotated[str | None, Query(alias="round", pattern=MONTH)]
EVIDENCE_PATH = "/aksi/{year}/{aksi}/evidence"  # web/upload_guard.py lets 5 MB through


def _context(request: Request, current: Viewer, **values: object) -> dict[str, object]:
    return {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "aksi_names": AKSI_NAMES,
        "status_names": STATUS_NAMES,
        "statuses": list(ActionStatus),
        **values,
    }


@router.get("/aksi", response_class=HTMLResponse)
def aksi_years_page(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The years whose aksi are recorded, and this year."""
    found = aksi_cases.years(connection, current.scope, date.today())
    values = _context(request, current, years=found)
    return HTMLResponse(render(current.language, "aksi_years.html", values))


def _scorecard_page(
    request: Request, connection: Db, current: Viewer, year: int, error: tuple[str, str] | None
) -> HTMLResponse:
    card = aksi_cases.scorecard(connection, current.scope, year)
    values = _context(request, current, card=card, error=error)
    status = 422 if error else 200
    return HTMLResponse(render(current.language, "aksi.html", values), status_code=status)


@router.get("/aksi/{year}", response_class=HTMLResponse)
def aksi_page(request: Request, connection: Db, current: CurrentViewer, year: Year) -> HTMLResponse:
    """The year's scorecard: the 8 aksi, their state, owner and evidence."""
    return _scorecard_page(request, connection, current, year, None)


@router.post("/aksi/{year}/{aksi}", dependencies=[Depends(csrf_protected)])
async def save_aksi(
    request: Request, connection: Db, current: CurrentViewer, year: Year, aksi: Aksi
) -> Response:
    """Store one aksi's status, date, owner and note (audited); 422 with the error."""
    form = await request.form()
    typed = aksi_cases.AksiForm(
        *(str(form.get(key) or "") for key in ("status", "done_on", "institution", "note"))
    )
    try:
        aksi_cases.save_aksi(
            connection, current.scope, current.user, year, aksi, typed, today=date.today()
        )
    except InputError as error:
        text = error.translated(translations(current.language).gettext)
        return _scorecard_page(request, connection, current, year, (aksi.value, text))
    return RedirectResponse(f"/aksi/{year}#aksi-{aksi.value}", status_code=303)


@router.post(EVIDENCE_PATH, dependencies=[Depends(csrf_protected)])
async def add_evidence(
    request: Request, connection: Db, current: CurrentViewer, year: Year, aksi: Aksi
) -> Response:
    """Keep an uploaded file as the aksi's evidence (audited); 422 naming the refused file."""
    form = await request.form()
    sent = form.get("file")
    gettext = translations(current.language).gettext
    try:
        if not isinstance(sent, UploadFile):
            raise InputError("Choose a file to upload")
        content = await sent.read(EVIDENCE_MAX_BYTES + 1)  # one byte more tells "too large"
        upload = EvidenceUpload(sent.filename or "bukti", content, str(form.get("note") or ""))
        aksi_cases.add_aksi_evidence(connection, current.scope, current.user, year, aksi, upload)
    except InputError as error:
        text = error.translated(gettext)
        return _scorecard_page(request, connection, current, year, (aksi.value, text))
    return RedirectResponse(f"/aksi/{year}#aksi-{aksi.value}", status_code=303)


@router.get("/aksi/{year}/{aksi}/evidence/{document_id}")
def evidence_download(
    connection: Db, current: CurrentViewer, year: Year, aksi: Aksi, document_id: DocumentId
) -> Response:
    """One evidence file of the aksi, as it was sent."""
    found = aksi_cases.aksi_evidence(connection, current.scope, year, aksi, document_id)
    disposition = f"attachment; filename*=UTF-8''{quote(found.filename)}"
    headers = {"Content-Disposition": disposition}
    return Response(found.content, media_type=found.media_type, headers=headers)


def _lokus_page(
    request: Request, connection: Db, current: Viewer, year: int, month: str | None
) -> HTMLResponse:
    chosen = parse_month(month) if month else lokus_cases.default_round(year)
    city = web_state(request).settings.city_code
    view = lokus_cases.lokus_view(connection, current.scope, year, chosen, city)
    values = _context(
        request, current, view=view, chosen_codes={r.kelurahan_code for r in view.chosen}
    )
    return HTMLResponse(render(current.language, "lokus.html", values))


@router.get("/lokus/{year}", response_class=HTMLResponse)
def lokus_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    year: Year,
    month: RoundQuery = None,
) -> HTMLResponse:
    """The proposal of a round (default: the August before the year) and the lokus kept."""
    return _lokus_page(request, connection, current, year, month)


@router.post("/lokus/{year}", dependencies=[Depends(csrf_protected)])
async def choose_lokus(
    request: Request, connection: Db, current: CurrentViewer, year: Year
) -> Response:
    """Keep the ticked kelurahan as the year's lokus with their figures (audited)."""
    form = await request.form()
    month = str(form.get("round") or "")
    codes = [str(code) for code in form.getlist("kelurahan")]
    city = web_state(request).settings.city_code
    round_month = parse_month(month)
    lokus_cases.choose_lokus(
        connection, current.scope, current.user, year, round_month, codes,
        city_code=city, today=date.today(),
    )  # fmt: skip
    return RedirectResponse(f"/lokus/{year}?round={round_month.label}#chosen", status_code=303)
