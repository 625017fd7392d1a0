"""Refuse a request body before reading it: from someone not signed in, or too large.

Starlette reads a form's whole body (python-multipart spools an upload to a temporary
file) before any route or dependency can look at the session, so a 300 MB upload from
anyone was received and written to disk before its 403. :class:`UploadGuard` sits inside
the session middleware and looks at each POST, PUT and PATCH first:

* not signed in (no user id in the session): a body of at most
  :data:`UNAUTHENTICATED_BODY_BYTES` passes (the sign-in and language forms); a larger one
  gets the app's answer to a request without a session (a redirect to the sign-in page,
  401 on the API) without being read;
* signed in: the import uploads (``/import``, ``/catin/import``, ``/families/import``,
  ``/pmt/bumil/import``) may be
  ``TUMBUH_IMPORT_MAX_FILE_MB`` plus :data:`MULTIPART_ALLOWANCE`; the evidence uploads
  of the TPPS's aksi, actions and meetings (:data:`EVIDENCE_PATHS`) the evidence limit
  (:data:`tumbuh.growth.tpps.EVIDENCE_MAX_BYTES`) plus the allowance; every other body
  :data:`FORM_BODY_BYTES`; above that, 413.

A declared ``Content-Length`` over the limit is refused at once; a body without one
(chunked) is counted as it arrives and cut at the limit. The session is only read here;
the route still checks it (the user may have been deactivated).
"""

import re
from urllib.parse import quote

from starlette import types as asgi
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from tumbuh.growth.tpps import EVIDENCE_MAX_BYTES
from tumbuh.i18n import translations
from tumbuh.ingest.limits import MB, megabytes
from tumbuh.web.deps import USER_KEY, request_language
from tumbuh.web.templating import render

UNAUTHENTICATED_BODY_BYTES = 8 * 1024  # the sign-in form is under 2 KB
FORM_BODY_BYTES = 1 * MB  # forms and API bodies hold a few fields
MULTIPART_ALLOWANCE = 1 * MB  # the form fields and part headers around an uploaded file
UPLOAD_PATH = "/import"
UPLOAD_PATHS = frozenset(
    {UPLOAD_PATH, "/catin/import", "/families/import", "/pmt/bumil/import"}
)  # the file uploads
# Evidence files of the TPPS's work (at most EVIDENCE_MAX_BYTES each): an aksi's,
# and an action's or a meeting's (a progress report with its file, or a file alone).
EVIDENCE_PATHS = (
    re.compile(r"/aksi/\d{4}/[a-z_]+/evidence"),
    re.compile(r"/(actions|meetings)/\d{1,9}/(progress|evidence)"),
)
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class BodyTooLargeError(Exception):
    """Raised into the application when a streamed body passes its limit."""


class UploadGuard:
    """Pure ASGI middleware: the body limits above (``max_file_bytes``: the setting's)."""

    def __init__(self, app: asgi.ASGIApp, *, max_file_bytes: int) -> None:
        self.app = app
        self.max_file_bytes = max_file_bytes

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        signed_in = isinstance(scope.get("session", {}).get(USER_KEY), int)
        limit = self.limit(scope["path"], signed_in=signed_in)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self.refusal(scope, signed_in=signed_in)(scope, receive, send)
            return
        await self._counted(scope, receive, send, limit, signed_in=signed_in)

    def limit(self, path: str, *, signed_in: bool) -> int:
        """The largest body accepted on ``path``, in bytes."""
        if not signed_in:
            return UNAUTHENTICATED_BODY_BYTES
        if path.rstrip("/") in UPLOAD_PATHS:
            return self.max_file_bytes + MULTIPART_ALLOWANCE
        if _evidence(path):
            return EVIDENCE_MAX_BYTES + MULTIPART_ALLOWANCE
        return FORM_BODY_BYTES

    async def _counted(
        self,
        scope: asgi.Scope,
        receive: asgi.Receive,
        send: asgi.Send,
        limit: int,
        *,
        signed_in: bool,
    ) -> None:
        """Pass the request on, counting its body; past ``limit`` the application's reading
        fails, its answer is dropped, and the refusal is sent instead."""
        received = 0
        cut = started = False

        async def counted() -> asgi.Message:
            nonlocal received, cut
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit and started:
                    return {"type": "http.disconnect"}  # answered already: stop reading
                if received > limit:
                    cut = True
                    raise BodyTooLargeError(f"request body over {limit} bytes")
            return message

        async def guarded(message: asgi.Message) -> None:
            nonlocal started
            if cut:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            # After the cut, whatever the application raised (BodyTooLargeError, or the
            # error it made of it) is the cut's consequence; anything else is its own.
            if not cut:
                raise
        if cut:
            await self.refusal(scope, signed_in=signed_in)(scope, receive, send)

    def refusal(self, scope: asgi.Scope, *, signed_in: bool) -> Response:
        """The answer to a body refused unread; the connection is closed after it."""
        request = Request(scope)
        gettext = translations(request_language(request)).gettext
        api = request.url.path.startswith("/api/")
        response: Response
        if not signed_in and api:
            response = JSONResponse({"detail": gettext("Sign in first.")}, status_code=401)
        elif not signed_in:
            response = RedirectResponse("/login?next=" + quote(request.url.path), 303)
        elif request.url.path.rstrip("/") in UPLOAD_PATHS:
            message = gettext(
                "The file is larger than {limit} MB and was not read. Split it, for example "
                "one file per kecamatan, and upload the parts one after the other."
            ).format(limit=megabytes(self.max_file_bytes))
            response = _too_large(request, gettext("Request refused"), message, api=api)
        elif _evidence(request.url.path):
            message = gettext(
                "The file is larger than {limit} MB and was not read. Evidence files may have "
                "at most {limit} MB: PDF, JPG, PNG, XLSX or DOCX."
            ).format(limit=megabytes(EVIDENCE_MAX_BYTES))
            response = _too_large(request, gettext("Request refused"), message, api=api)
        else:
            message = gettext("The request is larger than {limit} MB and was not read.")
            text = message.format(limit=megabytes(FORM_BODY_BYTES))
            response = _too_large(request, gettext("Request refused"), text, api=api)
        response.headers["Connection"] = "close"
        return response


def _evidence(path: str) -> bool:
    """Whether ``path`` is an evidence upload (:data:`EVIDENCE_PATHS`)."""
    return any(pattern.fullmatch(path.rstrip("/")) for pattern in EVIDENCE_PATHS)


def _too_large(request: Request, title: str, message: str, *, api: bool) -> Response:
    if api:
        return JSONResponse({"detail": message}, status_code=413)
    context = {"request": request, "title": title, "message": message, "viewer": None}
    return HTMLResponse(render(request_language(request), "error.html", context), 413)


def _content_length(scope: asgi.Scope) -> int | None:
    """The declared body length, or None when absent or not a number."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None
