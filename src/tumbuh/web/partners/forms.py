"""What the partners' pages share: the template context with the names of the codes, the
errors in the user's language, the form fields as the rules read them, and an uploaded
evidence file read up to just past its limit (the body was limited before it was read:
:mod:`tumbuh.web.upload_guard`)."""

from collections.abc import Sequence
from urllib.parse import quote

from fastapi import Request
from starlette.datastructures import FormData, UploadFile

from tumbuh.growth.partners import PartnerFieldError
from tumbuh.growth.tpps import EVIDENCE_MAX_BYTES
from tumbuh.i18n import translations
from tumbuh.partner_labels import (
    ACTION_KIND_NAMES,
    FIELD_NAMES,
    INSTITUTION_KIND_NAMES,
    MEETING_KIND_NAMES,
    STATUS_NAMES,
    error_text,
)
from tumbuh.usecases.evidence import EvidenceUpload
from tumbuh.web.deps import Viewer
from tumbuh.web.security import csrf_token


def fields(form: FormData, names: Sequence[str]) -> dict[str, str]:
    """The named fields of a form as text ("" where absent)."""
    return {
        key: str(form.get(key) or "") for key in names if not isinstance(form.get(key), UploadFile)
    }


async def upload_of(form: FormData, name: str = "file") -> EvidenceUpload | None:
    """The file sent in ``name`` (None when no file was chosen), read to one byte past
    the evidence limit so the rule can say it is too large."""
    sent = form.get(name)
    if not isinstance(sent, UploadFile) or not sent.filename:
        return None
    content = await sent.read(EVIDENCE_MAX_BYTES + 1)
    note = form.get("note")
    return EvidenceUpload(sent.filename, content, note if isinstance(note, str) else None)


def errors_text(errors: Sequence[PartnerFieldError], current: Viewer) -> list[str]:
    """The errors as sentences in the user's language."""
    gettext = translations(current.language).gettext
    return [error_text(e, gettext) for e in errors]


def rupiah(value: int | None) -> str:
    """Rp 7.500.000 (empty for none)."""
    return "" if value is None else "Rp " + f"{value:,}".replace(",", ".")


def context(request: Request, current: Viewer, **values: object) -> dict[str, object]:
    """What every partners' page's template gets: the names of the codes it shows."""
    return {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "institution_kind_names": INSTITUTION_KIND_NAMES,
        "action_kind_names": ACTION_KIND_NAMES,
        "status_names": STATUS_NAMES,
        "meeting_kind_names": MEETING_KIND_NAMES,
        "field_names": FIELD_NAMES,
        "rupiah": rupiah,
        **values,
    }


def attachment(filename: str) -> str:
    """A Content-Disposition header that downloads ``filename`` (any characters: an
    ASCII stand-in plus the UTF-8 name, RFC 6266)."""
    plain = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"
