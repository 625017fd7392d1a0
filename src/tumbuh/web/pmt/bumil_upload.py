"""The upload of e-PPGBM's file of pregnant women with KEK fed PMT (``/pmt/bumil/import``,
on the list of pregnant women with KEK): the import of docs/pmt.md, "Importing e-PPGBM's
file of pregnant women with KEK", for the roles that import; all rows or none, every
problem listed with its row, column and value (never a NIK)."""

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from tumbuh.errors import TumbuhError
from tumbuh.i18n import translations
from tumbuh.usecases import pmt_bumil_import
from tumbuh.usecases.pmt_history import HistoryOutcome
from tumbuh.web.deps import CurrentViewer, Db, csrf_protected, records_changed, web_state
from tumbuh.web.pmt.bumil import list_page

router = APIRouter(include_in_schema=False)
SHOWN_PROBLEMS = 50  # the rest are counted; the command's --report writes them all


@router.post("/pmt/bumil/import", dependencies=[Depends(csrf_protected)])
async def bumil_upload(
    request: Request, connection: Db, current: CurrentViewer, file: UploadFile
) -> Response:
    """Import the file (all rows or none); back to the list with the episodes added."""
    name = Path(file.filename or "pmt-bumil.xlsx").name
    gettext = translations(current.language).gettext
    with tempfile.TemporaryDirectory(prefix="tumbuh-bumil-") as folder:
        path = Path(folder) / ("upload" + Path(name).suffix.lower()[:8])
        with path.open("wb") as out:
            while chunk := await file.read(1 << 20):
                out.write(chunk)
        try:
            result = pmt_bumil_import.import_pmt_bumil(
                connection,
                current.scope,
                path,
                settings=web_state(request).settings,
                actor=current.user,
                name=name,
            )
        except TumbuhError as error:  # a file over a limit, another import running
            return list_page(request, connection, current, errors=[error.translated(gettext)])
    if result.outcome is HistoryOutcome.IMPORTED:
        records_changed(request)
        return RedirectResponse(
            f"/pmt/eligible/bumil?imported={result.counts.episodes_added}", status_code=303
        )
    errors = [line for line in result.report.lines if line.severity.value == "error"]
    shown = [
        (f"{line.row}, {line.column}: " if line.row is not None else "")
        + line.message(current.language)
        for line in errors[:SHOWN_PROBLEMS]
    ]
    return list_page(request, connection, current, errors=shown)
