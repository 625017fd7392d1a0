"""What the Bapak Asuh pages share: their context (labels, the signed-in user, the CSRF
token), reading a form as text fields, and errors in the user's language."""

from collections.abc import Iterable
from datetime import date
from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import HTMLResponse

from tumbuh.asuh_labels import (
    ASUHAN_KIND_NAMES,
    CHANNEL_NAMES,
    PLEDGE_KIND_NAMES,
    RECIPIENT_NAMES,
    SPONSOR_KIND_NAMES,
)
from tumbuh.errors import InputError
from tumbuh.i18n import Language, translations
from tumbuh.web.deps import Viewer
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
MONTH_PATTERN = r"^\d{4}-\d{2}$"


def context(request: Request, current: Viewer | None, **values: object) -> dict[str, object]:
    """The template context of a Bapak Asuh page (with ``sponsors``: the choices of a
    sponsor field, "number · name")."""
    sponsors = values.get("sponsors")
    if isinstance(sponsors, list):
        values["sponsor_options"] = [(s.id, f"{s.id} · {s.name}") for s in sponsors]
    return {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "sponsor_kinds": SPONSOR_KIND_NAMES,
        "pledge_kinds": PLEDGE_KIND_NAMES,
        "channels": CHANNEL_NAMES,
        "asuhan_kinds": ASUHAN_KIND_NAMES,
        "recipients": RECIPIENT_NAMES,
        "today": date.today(),
        **values,
    }


def page(
    request: Request,
    current: Viewer | None,
    template: str,
    language: Language,
    status: int = 200,
    **values: object,
) -> HTMLResponse:
    """A Bapak Asuh page rendered in ``language``."""
    html = render(language, template, context(request, current, **values))
    return HTMLResponse(html, status_code=status)


async def form_fields(request: Request, keys: Iterable[str]) -> dict[str, str]:
    """The form's fields ``keys`` as text (absent ones empty)."""
    form = await request.form()
    return {key: str(form.get(key) or "") for key in keys}


async def form_ids(request: Request, key: str) -> list[int]:
    """Every value of a repeated field (ticked boxes) that is a record number."""
    form = await request.form()
    values = [str(v) for v in form.getlist(key)]
    return [int(v) for v in values if v.isdigit() and 0 < int(v) <= MAX_ID]


def messages(errors: Iterable[InputError], language: Language) -> list[str]:
    """The errors as sentences in ``language``."""
    gettext = translations(language).gettext
    return [error.translated(gettext) for error in errors]
