"""Web sessions that end: on sign-out, on a new password, role, area or state of the
account, after an idle time and after an absolute lifetime.

The session is Starlette's signed cookie (``tumbuh.web.security``). At sign-in it gets
the user id, a random session id, the user's ``session_version`` and the sign-in time;
every request also keeps the time it was last seen. No name, NIK or other personal data:
ids, a version and two times. Every request that needs a user checks, in this order
(OWASP Session Management Cheat Sheet, "Session Expiration"):

1. idle time below ``TUMBUH_SESSION_IDLE_MINUTES`` and age below
   ``TUMBUH_SESSION_MAX_HOURS`` (the cookie's own times, signed);
2. the account exists, is active and has the version the session carries (a new
   password, role, area or state adds one);
3. the session id was not signed out (:func:`tumbuh.usecases.users.session_account`).

Only the rewrite of the last-seen time is skipped when it is less than
:data:`SEEN_STEP` old (so the cookie is not re-sent on every response); the checks never
are. The time comes from ``app.state.clock`` (tests set it; no sleeping).
"""

import secrets
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection
from starlette.requests import Request

from tumbuh.config import Settings
from tumbuh.usecases.users import UserInfo, session_account, sign_out

USER_KEY = "user_id"  # the user id (read before the body by the upload guard)
LANGUAGE_KEY = "language"
SESSION_ID_KEY = "session_id"
VERSION_KEY = "session_version"
SIGNED_IN_KEY = "signed_in_at"  # seconds since the epoch, UTC
SEEN_KEY = "seen_at"
SEEN_STEP = 60  # seconds
# Ended session ids are kept as long as a cookie of theirs could be accepted under any
# setting: the longest TUMBUH_SESSION_MAX_HOURS allowed, after sign-in.
KEEP_ENDED = timedelta(hours=7 * 24)

Clock = Callable[[], datetime]
Session = MutableMapping[str, Any]


def utc_now() -> datetime:
    """The current time, UTC (the application's default clock)."""
    return datetime.now(UTC)


def request_time(request: Request) -> datetime:
    """The time of this request, by the application's clock."""
    clock: Clock = request.app.state.clock
    return clock()


@dataclass(frozen=True)
class Limits:
    """How long a session may stay idle, and live at all."""

    idle: timedelta
    lifetime: timedelta

    @classmethod
    def of(cls, settings: Settings) -> "Limits":
        return cls(
            timedelta(minutes=settings.session_idle_minutes),
            timedelta(hours=settings.session_max_hours),
        )


def start_session(session: Session, user: UserInfo, now: datetime) -> None:
    """A new session for ``user`` (a new id, so no session fixation); keeps the language."""
    language = session.get(LANGUAGE_KEY)
    session.clear()
    stamp = int(now.timestamp())
    session[USER_KEY] = user.id
    session[SESSION_ID_KEY] = secrets.token_urlsafe(32)
    session[VERSION_KEY] = user.session_version
    session[SIGNED_IN_KEY] = stamp
    session[SEEN_KEY] = stamp
    session[LANGUAGE_KEY] = language or user.language


def forget(session: Session) -> None:
    """Empty the session, keeping only the language choice."""
    language = session.get(LANGUAGE_KEY)
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language


def _fresh(session: Session, limits: Limits, now: datetime) -> bool:
    """The session's own checks: well formed, not idle too long, not too old."""
    keys = (USER_KEY, VERSION_KEY, SIGNED_IN_KEY, SEEN_KEY)
    if not all(type(session.get(key)) is int for key in keys) or not isinstance(
        session.get(SESSION_ID_KEY), str
    ):
        return False
    signed_in: int = session[SIGNED_IN_KEY]
    seen: int = session[SEEN_KEY]
    moment = now.timestamp()
    return (
        moment - seen < limits.idle.total_seconds()
        and moment - signed_in < limits.lifetime.total_seconds()
    )


def session_user(
    session: Session, connection: Connection, limits: Limits, now: datetime
) -> UserInfo | None:
    """The user of a session that passes every check (and its last-seen time kept), or
    None, after which the session is emptied."""
    fresh = _fresh(session, limits, now)
    user = (
        session_account(connection, session[USER_KEY], session[SESSION_ID_KEY]) if fresh else None
    )
    if user is None or not user.is_active or user.session_version != session[VERSION_KEY]:
        forget(session)
        return None
    if now.timestamp() - session[SEEN_KEY] >= SEEN_STEP:
        session[SEEN_KEY] = int(now.timestamp())
    return user


def record_sign_out(
    session: Session, connection: Connection, user: UserInfo, now: datetime
) -> bool:
    """Store the (checked) session's id as ended; False, nothing written, when the
    database stayed busy."""
    signed_in = datetime.fromtimestamp(session[SIGNED_IN_KEY], UTC)
    return sign_out(connection, session[SESSION_ID_KEY], user.id, now, signed_in + KEEP_ENDED)


def keep_signed_in(session: Session, user: UserInfo) -> None:
    """After the user's own new password: this session carries the new version (the
    user's other sessions end)."""
    session[VERSION_KEY] = user.session_version
