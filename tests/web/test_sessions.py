"""Sessions end: a copy of the cookie is refused after sign-out, after a new password, a
new role or area, a deactivation (also once re-activated), after the idle time and after
the absolute lifetime. Time is the application's clock, set by the test."""

import base64
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import City, SignedIn, sign_in, text
from tumbuh.db.models import Posyandu, table_of
from tumbuh.db.models_access import Role
from tumbuh.db.users import NewUser, create_user, get_user
from tumbuh.web.app import SESSION_COOKIE

PASSWORD = "sesi-rahasia-123"


class Clock:
    """The application's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 3, 7, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def kader(city: City) -> tuple[int, str]:
    """A kader of its own (id, username): changed by the test, no other test sees it."""
    username = f"sesi-{uuid.uuid4().hex[:10]}"
    with city.engine.begin() as connection:
        user = create_user(
            connection,
            NewUser(username, "Kader Sesi", Role.KADER, PASSWORD, posyandu_id=city.kader_posyandu),
            datetime.now(UTC),
        )
    return user.id, username


def session_of(app: FastAPI, username: str) -> tuple[TestClient, str, str]:
    """A signed-in client, its CSRF token and a copy of its session cookie."""
    client = TestClient(app)
    token = sign_in(client, username, PASSWORD)
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie is not None
    return client, token, cookie


def with_cookie(app: FastAPI, cookie: str) -> TestClient:
    """Another browser holding a copy of the cookie."""
    return TestClient(app, cookies={SESSION_COOKIE: cookie})


def me(client: TestClient) -> int:
    return int(client.get("/api/v1/me").status_code)


def test_a_cookie_copied_before_sign_out_is_refused_after_it(
    app: FastAPI, kader: tuple[int, str]
) -> None:
    client, token, cookie = session_of(app, kader[1])
    assert me(with_cookie(app, cookie)) == 200
    assert (
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    copy = with_cookie(app, cookie)
    assert me(copy) == 401
    page = copy.get("/", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/login?next=/")


def account_form(city: City, user_id: int, **changes: str) -> dict[str, str]:
    with city.engine.connect() as connection:
        user = get_user(connection, user_id)
    assert user is not None
    form = {
        "full_name": user.full_name,
        "role": user.role.value,
        "posyandu_id": str(user.posyandu_id or ""),
        "puskesmas_id": str(user.puskesmas_id or ""),
        "language": user.language,
        "is_active": "1" if user.is_active else "",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value}


def other_posyandu(city: City) -> int:
    p = table_of(Posyandu)
    with city.engine.connect() as connection:
        found = connection.execute(
            select(p.c.id).where(p.c.id != city.kader_posyandu).order_by(p.c.id).limit(1)
        ).scalar_one()
    return int(found)


Change = Callable[[City, int], list[dict[str, str]]]
CHANGES: dict[str, Change] = {
    "new password": lambda city, uid: [{"password": "kata-sandi-baru-1"}],
    "new role": lambda city, uid: [account_form(city, uid, role="partner", posyandu_id="")],
    "new area": lambda city, uid: [account_form(city, uid, posyandu_id=str(other_posyandu(city)))],
    "deactivated": lambda city, uid: [account_form(city, uid, is_active="")],
    "deactivated and re-activated": lambda city, uid: [
        account_form(city, uid, is_active=""),
        account_form(city, uid, is_active="1"),
    ],
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_an_administrators_change_ends_the_users_sessions(
    app: FastAPI, city: City, signed_in: SignedIn, kader: tuple[int, str], change: str
) -> None:
    user_id, username = kader
    _, _, cookie = session_of(app, username)
    admin, token = signed_in("admin")
    for form in CHANGES[change](city, user_id):
        target = f"/users/{user_id}/password" if "password" in form else f"/users/{user_id}"
        answer = admin.post(target, data={**form, "csrf_token": token}, follow_redirects=False)
        assert answer.status_code == 303, answer.text[:300]
    assert me(with_cookie(app, cookie)) == 401
    assert me(admin) == 200  # the administrator's own session goes on


def test_a_new_name_or_language_keeps_the_users_sessions(
    app: FastAPI, city: City, signed_in: SignedIn, kader: tuple[int, str]
) -> None:
    user_id, username = kader
    _, _, cookie = session_of(app, username)
    admin, token = signed_in("admin")
    form = account_form(city, user_id, full_name="Kader Sesi Baru", language="en")
    assert admin.post(f"/users/{user_id}", data={**form, "csrf_token": token}).status_code == 200
    assert me(with_cookie(app, cookie)) == 200


def test_an_administrator_setting_her_own_password_stays_signed_in_only_here(
    app: FastAPI, city: City
) -> None:
    username = f"admin-{uuid.uuid4().hex[:8]}"
    with city.engine.begin() as connection:
        admin = create_user(
            connection, NewUser(username, "Admin Sesi", Role.ADMIN, PASSWORD), datetime.now(UTC)
        )
    client, token, _ = session_of(app, username)
    _, _, elsewhere = session_of(app, username)
    form = {"password": "kata-sandi-baru-2", "csrf_token": token}
    assert client.post(f"/users/{admin.id}/password", data=form).status_code == 200
    assert (me(client), me(with_cookie(app, elsewhere))) == (200, 401)


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    moved = Clock()
    app.state.clock = moved
    return moved


def test_a_session_ends_after_sixty_idle_minutes(
    app: FastAPI, clock: Clock, kader: tuple[int, str]
) -> None:
    client, _, _ = session_of(app, kader[1])
    clock.now += timedelta(minutes=59)
    assert me(client) == 200
    clock.now += timedelta(minutes=59)  # idle time counts from the last request
    assert me(client) == 200
    clock.now += timedelta(minutes=60)
    assert me(client) == 401
    page = client.get("/reports", follow_redirects=True)
    assert text(page.text, "//h1") == "Masuk"


def test_a_session_ends_twelve_hours_after_sign_in_however_active(
    app: FastAPI, clock: Clock, kader: tuple[int, str]
) -> None:
    client, _, _ = session_of(app, kader[1])
    for _ in range(14):  # a request every 50 minutes: 11 h 40 min
        clock.now += timedelta(minutes=50)
        assert me(client) == 200
    clock.now += timedelta(minutes=20)
    assert me(client) == 401


def test_the_session_cookie_holds_no_name_or_username(app: FastAPI, kader: tuple[int, str]) -> None:
    _, _, cookie = session_of(app, kader[1])
    payload = json.loads(base64.b64decode(cookie.strip('"').split(".")[0]))
    assert sorted(payload) == [
        "csrf_token",
        "language",
        "seen_at",
        "session_id",
        "session_version",
        "signed_in_at",
        "user_id",
    ]
    assert kader[1] not in json.dumps(payload)
    assert "Kader Sesi" not in json.dumps(payload)
