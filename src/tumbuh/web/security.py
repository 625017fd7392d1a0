"""Session secret, CSRF tokens, the sign-in throttle, client addresses and response
headers.

* **Session** (Starlette's ``SessionMiddleware``): a cookie signed with itsdangerous
  (HMAC-SHA1 over the JSON payload and a timestamp), ``HttpOnly``, ``SameSite=Lax``,
  ``Secure`` when ``TUMBUH_COOKIE_SECURE`` is set. What it holds and how it ends:
  :mod:`tumbuh.web.sessions`.
* **CSRF**: a random token per session (synchroniser token pattern, OWASP CSRF
  Prevention Cheat Sheet). Every form posts it as ``csrf_token``; HTMX and API calls send
  it in the ``X-CSRF-Token`` header. A request that changes anything without it is
  refused (403), before any work.
* **Sign-in throttle**, per account with exponential backoff (OWASP Authentication Cheat
  Sheet, "Login Throttling"): after :data:`FREE_FAILURES` failures of a username since its
  last success it waits :data:`FIRST_WAIT`, doubled by each further failure up to
  :data:`LONGEST_WAIT`. Per client address only a high ceiling against mass guessing
  (:data:`MAX_FAILURES_PER_ADDRESS` in :data:`ADDRESS_WINDOW`), which never stops an
  account that signed in from that address before: one guesser behind a puskesmas' shared
  address must not lock its staff out. Counted in ``login_attempt``
  (:mod:`tumbuh.usecases.users`), so it holds across workers.
* **Client address**: the TCP peer, unless it is one of ``TUMBUH_TRUSTED_PROXIES``; then
  the rightmost address of ``X-Forwarded-For`` that is not a trusted proxy.
"""

import hmac
import ipaddress
import os
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path

from starlette.requests import Request

from tumbuh.config import Settings
from tumbuh.errors import ConfigError
from tumbuh.usecases.users import LoginHistory, Windows

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
FREE_FAILURES = 5  # failed sign-ins of an account before it must wait
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(minutes=30)
# Against mass guessing from one address (many usernames); high, because every kader of
# a puskesmas may share one public address.
MAX_FAILURES_PER_ADDRESS = 100
ADDRESS_WINDOW = timedelta(minutes=15)
THROTTLE_WINDOWS = Windows(
    memory=timedelta(hours=24),  # failures older than a day no longer count
    address=ADDRESS_WINDOW,
    known_for=timedelta(days=30),
)
LOGIN_WRITE_WAIT_MS = 1000  # recording an attempt waits at most this for a busy database
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
# Pages carry names and NIK: no browser or proxy keeps a copy, so the back button after
# signing out asks the server again (and lands on the login page). Static files, which
# hold no personal data, stay cacheable.
NO_STORE = "no-store"
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


def account_wait(history: LoginHistory, now: datetime) -> timedelta:
    """How long the account must still wait before its password is checked again (zero
    when it need not): :data:`FIRST_WAIT` after the :data:`FREE_FAILURES`-th failure,
    doubled by each further one, at most :data:`LONGEST_WAIT`, from the last failure."""
    extra = history.account_failures - FREE_FAILURES
    if extra < 0 or history.last_failure is None:
        return timedelta(0)
    wait: timedelta = min(FIRST_WAIT * 2 ** min(extra, 16), LONGEST_WAIT)
    left: timedelta = history.last_failure + wait - now
    return max(timedelta(0), left)


def address_refused(history: LoginHistory) -> bool:
    """True when the address has guessed too often and the account is not known there."""
    return history.address_failures >= MAX_FAILURES_PER_ADDRESS and not history.known_here


Networks = Sequence[IPv4Network | IPv6Network]


def _trusted(address: str, proxies: Networks) -> bool:
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped  # ::ffff:10.0.0.1 from a dual-stack socket is 10.0.0.1
    return any(parsed in network for network in proxies)


def client_address(request: Request, proxies: Networks = ()) -> str:
    """The client's IP address: the TCP peer, or, when the peer is a trusted proxy, the
    rightmost address of ``X-Forwarded-For`` that is not one (each proxy appends the
    address it received the request from; anything left of an untrusted hop may be made
    up). uvicorn's own proxy-header handling stays off (``tumbuh serve``)."""
    peer = request.client.host if request.client is not None else "unknown"
    if not proxies or not _trusted(peer, proxies):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop
    return hops[0] if hops else peer
