"""Import page: upload an e-PPGBM file, read the check (a dry run against the database),
then import or cancel (:mod:`tumbuh.web.eppgbm.desk`). Administrators and nutritionists only.

Each route first ends the request's own transaction: the check and the commit use their
own connections (the commit its own write transaction), which must not wait for a write
lock this request holds.
"""

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from tumbuh.errors import InputError
from tumbuh.formatting import format_integer
from tumbuh.i18n import Language, translations
from tumbuh.ingest import write_report
from tumbuh.ingest.limits import MB
from tumbuh.usecases.import_desk import CheckedHistory
from tumbuh.usecases.imports import ImportOutcome, ImportResult
from tumbuh.usecases.pmt_history import HistoryImportResult, HistoryOutcome
from tumbuh.usecases.transactions import RETRY_AFTER_SECONDS, end_read
from tumbuh.web.deps import CurrentViewer, Db, NotFound, Viewer, csrf_protected, web_state
from tumbuh.web.eppgbm.desk import KEY, Checked, ImportDesk
from tumbuh.web.security import csrf_token
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
SESSION_UPLOADS = "uploads"  # keys of the uploads this session checked
REPORT_LINES_SHOWN = 300
OUTSIDE_SHOWN = 20
Key = Annotated[str, Path(pattern=KEY)]
# Shown when another import holds the import lock (also by the app's busy-database page).
IMPORT_BUSY_MESSAGE = (
    "Another import is running, so nothing was written. The check of this file is kept: "
    "press Import again in a few minutes."
)


def _importer(current: Viewer) -> None:
    if not current.scope.may_import:
        raise NotFound


def _desk(request: Request) -> ImportDesk:
    return web_state(request).imports


def _page(request: Request, current: Viewer, status: int = 200, **values: object) -> HTMLResponse:
    context = {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "checked": None,
        "done": None,
        "history": None,
        "problem": None,
        **values,
    }
    return HTMLResponse(render(current.language, "import.html", context), status_code=status)


def summary(result: ImportResult, language: Language) -> list[tuple[str, str]]:
    """The counts of a check or an import, as the command line prints them."""
    _ = translations(language).gettext
    c = result.counts
    done = result.outcome is ImportOutcome.IMPORTED

    def n(value: int) -> str:
        return format_integer(value, language)

    return [
        (_("Rows read"), n(c.rows_read)),
        (_("Rows imported") if done else _("Rows to import"), n(c.rows_ready)),
        (_("Rows with errors (not imported)"), n(c.rows_with_errors)),
        (_("Rows already in the database"), n(c.rows_already_present)),
        (_("Rows repeated in the files"), n(c.rows_repeated)),
        (_("Conflicts with the database"), n(c.conflicts)),
        (
            _("Children new / matched") if done else _("Children to create / matched"),
            f"{n(c.children_created)} / {n(c.children_matched)}",
        ),
        (_("NIK attached to registered children"), n(c.niks_attached)),
        (_("Posyandu created") if done else _("Posyandu to create"), n(c.posyandu_created)),
        (
            _("e-PPGBM z-scores: compared / differ by more than 0.1 / other category"),
            f"{n(c.eppgbm_compared)} / {n(c.eppgbm_differing)} / {n(c.eppgbm_category_differs)}",
        ),
        (
            _("Errors / warnings"),
            f"{n(len(result.report.errors))} / {n(len(result.report.warnings))}",
        ),
    ]


def _show(request: Request, current: Viewer, checked: Checked, status: int = 200) -> HTMLResponse:
    result = checked.result
    return _page(
        request,
        current,
        status,
        checked=checked,
        summary=summary(result, current.language) if result else [],
        lines=result.report.lines[:REPORT_LINES_SHOWN] if result else (),
        outside=checked.outside[:OUTSIDE_SHOWN],
    )


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, current: CurrentViewer) -> HTMLResponse:
    """Upload an e-PPGBM export."""
    _importer(current)
    return _page(request, current)


def _check(
    request: Request, connection: Connection, current: Viewer, name: str, data: bytes
) -> Checked:
    end_read(connection)  # the check reads with its own connections
    return _desk(request).check(current.user.id, name, data, current.scope)


@router.post("/import", response_class=HTMLResponse, dependencies=[Depends(csrf_protected)])
async def import_upload(
    request: Request, connection: Db, current: CurrentViewer, file: UploadFile
) -> HTMLResponse:
    """Keep the upload, check every row against the database (nothing written), show it."""
    _importer(current)
    gettext = translations(current.language).gettext
    limit_mb = web_state(request).settings.import_max_file_mb
    data = await file.read(limit_mb * MB + 1)
    if len(data) > limit_mb * MB:
        await run_in_threadpool(end_read, connection)
        too_large = gettext(
            "The file is larger than {limit} MB and was not read. Split it, for example "
            "one file per kecamatan, and upload the parts one after the other."
        )
        return _page(request, current, 413, problem=too_large.format(limit=limit_mb))
    name = FilePath(file.filename or "upload.xlsx").name or "upload.xlsx"
    try:
        history = await run_in_threadpool(_check_history, request, connection, current, name, data)
        if history is not None:
            _keep(request, history.key)
            return _show_history(request, current, history)
        checked = await run_in_threadpool(_check, request, connection, current, name, data)
    except InputError as error:  # over a limit of docs/security.md, section 2
        return _page(request, current, 422, problem=error.translated(gettext))
    _keep(request, checked.key)
    return _show(request, current, checked, 200 if checked.result else 403)


def _keep(request: Request, key: str) -> None:
    """Remember ``key`` as an upload of this session (the last five)."""
    keys = [k for k in request.session.get(SESSION_UPLOADS, []) if k != key]
    request.session[SESSION_UPLOADS] = [*keys[-4:], key]


def _check_history(
    request: Request, connection: Connection, current: Viewer, name: str, data: bytes
) -> CheckedHistory | None:
    """The dry run of an upload that is a PMT history file (None: it is not)."""
    end_read(connection)
    return _desk(request).check_history(current.user.id, name, data, current.scope)


def history_summary(result: HistoryImportResult, language: Language) -> list[tuple[str, str]]:
    """The counts of a PMT history file's check or import, as the command line prints them."""
    _ = translations(language).gettext
    c = result.counts
    done = result.outcome is HistoryOutcome.IMPORTED

    def n(value: int) -> str:
        return format_integer(value, language)

    return [
        (_("Rows read"), n(c.rows_read)),
        (_("Rows with errors (not imported)"), n(c.rows_read - c.rows_valid)),
        (_("Episodes added") if done else _("Episodes to add"), n(c.episodes_added)),
        (_("Episodes already recorded"), n(c.episodes_present)),
        (_("Women registered") if done else _("Women to register"), n(c.mothers_added)),
        (_("Episodes starting on a stored measurement"), n(c.baselines_linked)),
        (
            _("Errors / warnings"),
            f"{n(len(result.report.errors))} / {n(len(result.report.warnings))}",
        ),
    ]


def _show_history(
    request: Request, current: Viewer, history: CheckedHistory, status: int = 200
) -> HTMLResponse:
    result = history.result
    response = _page(
        request,
        current,
        503 if history.busy else status,
        history=history,
        summary=history_summary(result, current.language) if result else [],
        lines=result.report.lines[:REPORT_LINES_SHOWN] if result else (),
        problem="import_busy" if history.busy else None,
    )
    if history.busy:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@router.post(
    "/import/pmt/{key}/confirm",
    response_class=HTMLResponse,
    dependencies=[Depends(csrf_protected)],
)
def import_history_confirm(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    key: Key,
    skip_invalid: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    """Import the checked PMT history upload ``key`` (all or nothing unless ``skip_invalid``)."""
    _own(request, connection, current, key)
    user = current.user
    done = _desk(request).confirm_history(
        user.id, user.username, key, current.scope, skip_invalid=skip_invalid
    )
    if done is None or (done.result is None and not done.busy):
        raise NotFound
    return _show_history(request, current, done)


@router.post("/import/pmt/{key}/cancel", dependencies=[Depends(csrf_protected)])
def import_history_cancel(
    request: Request, connection: Db, current: CurrentViewer, key: Key
) -> Response:
    """Forget the PMT history upload: nothing was written."""
    _own(request, connection, current, key)
    if _desk(request).history_upload(current.user.id, key) is None:
        raise NotFound
    _desk(request).forget(current.user.id, key)
    return RedirectResponse("/import", status_code=303)


def _own(request: Request, connection: Connection, current: Viewer, key: str) -> None:
    """404 unless ``key`` is an upload this session checked; ends the request's read (the
    desk reads with its own connections)."""
    _importer(current)
    end_read(connection)
    if key not in request.session.get(SESSION_UPLOADS, []):
        raise NotFound


def _checked(request: Request, connection: Connection, current: Viewer, key: str) -> Checked:
    """This session's upload ``key`` and its check (checked again if this process lost
    it): refused for rows outside the working area, else the dry run."""
    _own(request, connection, current, key)
    found = _desk(request).review(current.user.id, key, current.scope)
    if found is None:
        raise NotFound
    return found[1]


@router.get("/import/{key}", response_class=HTMLResponse)
def import_checked(
    request: Request, connection: Db, current: CurrentViewer, key: Key
) -> HTMLResponse:
    """The check of an upload of this session, again."""
    return _show(request, current, _checked(request, connection, current, key))


@router.get("/import/{key}/report.xlsx")
def import_report(request: Request, connection: Db, current: CurrentViewer, key: Key) -> Response:
    """The check's problem report as a workbook (every problem, and the rows annotated)."""
    checked = _checked(request, connection, current, key)
    if checked.result is None:
        raise NotFound
    target = _desk(request).upload_folder(current.user.id, key) / ".report.xlsx"
    write_report(checked.result.report, target, current.language)
    return FileResponse(target, filename="laporan-impor.xlsx")


@router.post("/import/{key}/cancel", dependencies=[Depends(csrf_protected)])
def import_cancel(request: Request, connection: Db, current: CurrentViewer, key: Key) -> Response:
    """Forget the upload: nothing was written."""
    _own(request, connection, current, key)
    if _desk(request).load(current.user.id, key) is None:
        raise NotFound
    _desk(request).forget(current.user.id, key)
    return RedirectResponse("/import", status_code=303)


def _import_busy(request: Request, current: Viewer, checked: Checked) -> HTMLResponse:
    """The check again, with the refusal: another import holds the lock (503)."""
    result = checked.result
    response = _page(
        request,
        current,
        503,
        checked=checked,
        summary=summary(result, current.language) if result else [],
        lines=result.report.lines[:REPORT_LINES_SHOWN] if result else (),
        outside=(),
        problem="import_busy",
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@router.post(
    "/import/{key}/confirm", response_class=HTMLResponse, dependencies=[Depends(csrf_protected)]
)
def import_confirm(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    key: Key,
    skip_invalid: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    """Write the checked rows in one transaction (all or nothing unless ``skip_invalid``)."""
    _own(request, connection, current, key)
    user = current.user
    confirmed = _desk(request).confirm(
        user.id, user.username, key, current.scope, skip_invalid=skip_invalid
    )
    if confirmed is None:
        raise NotFound
    checked, result = confirmed.checked, confirmed.result
    if confirmed.busy:
        return _import_busy(request, current, checked)
    if result is None:
        return _show(request, current, checked, 403)
    web_state(request).figures.changed()
    done = Checked(key, checked.file_name, result, ())
    return _page(
        request,
        current,
        done=done,
        checked=done if result.outcome is ImportOutcome.BLOCKED else None,
        summary=summary(result, current.language),
        lines=result.report.lines[:REPORT_LINES_SHOWN],
        outside=(),
    )
