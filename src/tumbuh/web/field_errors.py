"""What the JSON API's first-1,000-days endpoints share when a field is refused: the 422
body (the field's key and what to fix, in the user's language), its OpenAPI model, and the
sent body read as the form readers of the use cases take it (text per field, "" for none).
"""

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tumbuh.errors import NamedFieldError
from tumbuh.i18n import translations
from tumbuh.web.deps import Viewer


class FieldErrorOut(BaseModel):
    """A refused field: its key and what to fix."""

    field: str
    message: str


REFUSED: dict[int | str, dict[str, Any]] = {422: {"model": FieldErrorOut}}


def sent_raw(sent: BaseModel) -> dict[str, str]:
    """The sent body as the use cases' form readers take it: text, "" where empty."""
    return {k: "" if v is None else str(v) for k, v in sent.model_dump().items()}


def refused(error: NamedFieldError, current: Viewer) -> JSONResponse:
    """422 with the refused field and its message in the user's language."""
    message = error.translated(translations(current.language).gettext)
    return JSONResponse({"field": error.field, "message": message}, status_code=422)
