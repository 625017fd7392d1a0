"""Session secret, CSRF tokens, login rate limits and response headers.

* **Session** (Starlette's ``SessionMiddleware``): a cookie signed with itsdangerous
  (HMAC-SHA1 over the JSON payload and a timestamp), ``HttpOnly``, ``SameSite=Lax``,
  ``Secure`` when ``TUMBUH_COOKIE_SECURE`` is set, valid for :data:`SESSION_SECONDS`.
  It holds the user id, the CSRF token and the language, never a name or NIK.
* **CSRF**: a random token per session (synchroniser token pattern, OWASP CSRF
  Prevention Cheat Sheet). Every form posts it as ``csrf_token``; HTMX and API calls send
  it in the ``X-CSRF-Token`` header. A request that changes anything without it is
  refused (403), before any work.
* **Login rate limit**: at most :data:`MAX_FAILURES_PER_USERNAME` failed attempts per
  username (since its last successful login) and :data:`MAX_FAILURES_PER_IP` per client
  address in :data:`FAILURE_WINDOW`, counted in the ``login_attempt`` table so the limit
  holds across workers.
"""

import hmac
import os
import secrets
from datetime import timedelta
from pathlib import Path

from starlette.requests import Request

from tumbuh.config import Settings
from tumbuh.errors import ConfigError

SESSION_SECONDS = 12 * 3600  # a working day; then sign in again
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 5
# Higher per address: every kader of a puskesmas may share one public IP address.
MAX_FAILURES_PER_IP = 20
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def session_secret(settings: Settings) -> str:
    """TUMBUH_SECRET_KEY, or the generated secret kept in TUMBUH_SECRET_KEY_FILE."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = Path(settings.secret_key_file)
    try:
        return _read_or_create(path)
    except OSError as error:
        raise ConfigError(
            "cannot read or create the session secret file {path}: {reason}. Set "
            "TUMBUH_SECRET_KEY, or TUMBUH_SECRET_KEY_FILE to a writable place",
            path=str(path),
            reason=error.strerror or str(error),
        ) from error


def _read_or_create(path: Path) -> str:
    if not path.exists():
        secret = secrets.token_urlsafe(48)
        try:  # O_EXCL: of several workers starting at once, exactly one writes the file
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(secret + "\n")
            return secret
    text = path.read_text(encoding="utf-8").strip()
    if len(text) < 32:
        raise ConfigError(
            "the session secret file {path} holds fewer than 32 characters; delete it to "
            "have a new one generated",
            path=str(path),
        )
    return text


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use)."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def csrf_matches(request: Request, sent: str | None) -> bool:
    """True when ``sent`` is this session's token (compared in constant time)."""
    expected = request.session.get(CSRF_FIELD)
    if not isinstance(expected, str) or not sent:
        return False
    return hmac.compare_digest(expected.encode(), sent.encode())


def client_address(request: Request) -> str:
    """The client's IP address as the server saw it (behind a proxy: uvicorn's
    ``--forwarded-allow-ips`` makes this the real client)."""
    return request.client.host if request.client is not None else "unknown"
