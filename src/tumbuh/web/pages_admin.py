"""Import page (e-PPGBM upload, problem report, confirm or cancel), reports page and the
audit log page."""

import importlib
import secrets
import shutil
import tempfile
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, select

from tumbuh.db.audit import audit_entries
from tumbuh.db.models import RegionAlias, table_of
from tumbuh.db.models import RegionLevel as DbLevel
from tumbuh.db.regions import regions
from tumbuh.ingest import ImportReport, RegionLevel, RegionRecord, check_files, write_report
from tumbuh.web.deps import CurrentViewer, Db, NotFound, Viewer, csrf_protected, web_state
from tumbuh.web.pages_areas import unavailable
from tumbuh.web.security import csrf_token
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
UPLOADS = FilePath(tempfile.gettempdir()) / "tumbuh-import"
TOKEN = r"^[A-Za-z0-9_-]{16,64}$"
SESSION_UPLOADS = "uploads"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
REPORT_LINES_SHOWN = 300
# Issue 4 writes a checked batch to the database; the page uses it once it exists.
IMPORT_WRITER = ("tumbuh.db.imports", "import_batch")
# Issue 6 builds the semester report; the reports page offers it once it exists.
SEMESTER_REPORT = ("tumbuh.reports.semester", "semester_report")


def _importer(current: Viewer) -> None:
    if not current.scope.may_import:
        raise NotFound


def region_records(connection: Connection, city_code: str) -> list[RegionRecord]:
    """The city's kecamatan and kelurahan with their alternative spellings."""
    alias = table_of(RegionAlias)
    spellings: dict[str, list[str]] = {}
    for row in connection.execute(select(alias.c.region_code, alias.c.alias)):
        spellings.setdefault(row.region_code, []).append(row.alias)
    records = []
    for level in (DbLevel.KECAMATAN, DbLevel.KELURAHAN):
        for r in regions(connection, level, within=city_code):
            names = tuple(spellings.get(r.code, [])) + ((r.local_name,) if r.local_name else ())
            records.append(
                RegionRecord(r.code, r.name, RegionLevel(level.value), r.parent_code, names)
            )
    return records


def _available(target: tuple[str, str]) -> bool:
    try:
        module = importlib.import_module(target[0])
    except ImportError:
        return False
    return hasattr(module, target[1])


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, current: CurrentViewer) -> HTMLResponse:
    """Upload an e-PPGBM export."""
    _importer(current)
    context = {"request": request, "viewer": current, "csrf": csrf_token(request), "report": None}
    return HTMLResponse(render(current.language, "import.html", context))


def _folder(request: Request, token: str) -> FilePath:
    """The upload folder of a token this session created (else NotFound)."""
    if token not in request.session.get(SESSION_UPLOADS, []):
        raise NotFound
    folder = UPLOADS / token
    if not folder.is_dir():
        raise NotFound
    return folder


def _check(connection: Connection, request: Request, folder: FilePath) -> ImportReport:
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    records = region_records(connection, web_state(request).settings.city_code)
    _, report = check_files(files, records, today=date.today())
    return report


@router.post("/import", response_class=HTMLResponse, dependencies=[Depends(csrf_protected)])
async def import_upload(
    request: Request, connection: Db, current: CurrentViewer, file: UploadFile
) -> HTMLResponse:
    """Store the upload, check every row, show the report."""
    _importer(current)
    token = secrets.token_urlsafe(24)
    folder = UPLOADS / token
    folder.mkdir(parents=True, mode=0o700)
    name = FilePath(file.filename or "upload.xlsx").name or "upload.xlsx"
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    (folder / name).write_bytes(data[:MAX_UPLOAD_BYTES])
    request.session[SESSION_UPLOADS] = [*request.session.get(SESSION_UPLOADS, [])[-4:], token]
    report = _check(connection, request, folder)
    context = {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "report": report,
        "lines": report.lines[:REPORT_LINES_SHOWN],
        "token": token,
        "file_name": name,
        "too_large": len(data) > MAX_UPLOAD_BYTES,
        "writer_available": _available(IMPORT_WRITER),
    }
    return HTMLResponse(render(current.language, "import.html", context))


Token = Annotated[str, Path(pattern=TOKEN)]


@router.get("/import/{token}/report.xlsx")
def import_report(
    request: Request, connection: Db, current: CurrentViewer, token: Token
) -> Response:
    """The problem report as a workbook (one line per problem, and the rows annotated)."""
    _importer(current)
    folder = _folder(request, token)
    target = folder / ".report.xlsx"
    write_report(_check(connection, request, folder), target, current.language)
    return FileResponse(target, filename="laporan-impor.xlsx")


@router.post("/import/{token}/cancel", dependencies=[Depends(csrf_protected)])
def import_cancel(request: Request, current: CurrentViewer, token: Token) -> Response:
    """Forget the upload: nothing was written."""
    _importer(current)
    shutil.rmtree(_folder(request, token), ignore_errors=True)
    return RedirectResponse("/import", status_code=303)


@router.post(
    "/import/{token}/confirm", response_class=HTMLResponse, dependencies=[Depends(csrf_protected)]
)
def import_confirm(request: Request, current: CurrentViewer, token: Token) -> HTMLResponse:
    """Write the checked rows: issue 4's database step (not in this version yet)."""
    _importer(current)
    _folder(request, token)
    return unavailable(request, current, "e-PPGBM import", ".".join(IMPORT_WRITER))


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, current: CurrentViewer) -> HTMLResponse:
    """Downloads: the semester report (issue 6) once it exists."""
    context = {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "semester_available": _available(SEMESTER_REPORT),
        "function": ".".join(SEMESTER_REPORT),
    }
    return HTMLResponse(render(current.language, "reports.html", context))


@router.get("/audit-log", response_class=HTMLResponse)
def audit_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    entity: Annotated[str | None, Query(pattern="^(child|measurement)$")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Every change to a child or measurement, newest first (administrators only)."""
    if not current.scope.may_administer:
        raise NotFound
    per_page = 50
    entries, total = audit_entries(
        connection, entity=entity, limit=per_page, offset=(page - 1) * per_page
    )
    context = {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "entries": entries,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // per_page)),
        "entity": entity or "",
    }
    return HTMLResponse(render(current.language, "audit.html", context))
