"""The upload of a family (KRS) file on the families page (``/families/import``): a
nutritionist or an administrator sends the CSV or Excel list of docs/krs-import.md; all
rows are imported or none, and every problem is listed with its row, column and value."""

import tempfile
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.errors import TumbuhError
from tumbuh.i18n import Language, translations
from tumbuh.usecases import families, krs_import
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state
from tumbuh.web.security import csrf_token
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
UPLOAD_PATH = "/families/import"
SHOWN_PROBLEMS = 50  # the rest are counted; the CLI's --report writes them all


def _refused(
    request: Request, connection: Db, current: Viewer, name: str, problems: list[str]
) -> HTMLResponse:
    listed = families.family_list(
        connection, current.scope, families.FamilyFilter(), today=date.today()
    )
    values = {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "listed": listed,
        "raw": {},
        "error": None,
        "report": (name, problems),
    }
    return HTMLResponse(render(current.language, "families.html", values), status_code=422)


def _problems(result: krs_import.KrsImportResult, language: Language) -> list[str]:
    lines = [line for line in result.report.lines if line.severity.value == "error"]
    shown = []
    for line in lines[:SHOWN_PROBLEMS]:
        where = f"{line.row}, {line.column}: " if line.row is not None else ""
        shown.append(where + line.message(language))
    return shown


@router.post(UPLOAD_PATH, dependencies=[Depends(csrf_protected)])
async def families_upload(
    request: Request, connection: Db, current: CurrentViewer, file: UploadFile
) -> Response:
    """Import a family list (all rows or none); back to the families with the counts."""
    name = Path(file.filename or "keluarga.xlsx").name
    gettext = translations(current.language).gettext
    with tempfile.TemporaryDirectory(prefix="tumbuh-krs-") as folder:
        path = Path(folder) / ("upload" + Path(name).suffix.lower()[:8])
        with path.open("wb") as out:
            while chunk := await file.read(1 << 20):
                out.write(chunk)
        try:
            result = krs_import.import_krs(
                connection,
                current.scope,
                path,
                settings=web_state(request).settings,
                actor=current.user,
                name=name,
            )
        except TumbuhError as error:  # a file over a limit, another import running
            return _refused(request, connection, current, name, [error.translated(gettext)])
    if result.outcome is krs_import.KrsOutcome.IMPORTED:
        counts = f"added={result.families_added}&updated={result.families_changed}"
        return RedirectResponse(f"/families?{counts}", status_code=303)
    return _refused(request, connection, current, name, _problems(result, current.language))
