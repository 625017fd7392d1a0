"""Sign-in, sessions and CSRF (the throttle: test_sign_in.py; sessions ending:
test_sessions.py)."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.web.conftest import City, SignedIn, csrf_of, settings_for, sign_in, text, texts
from tumbuh.db.models_access import Role
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.web.app import SESSION_COOKIE, create_app

PASSWORD = "rahasia-sekali-1"


def error_text(html: str) -> str:
    found = texts(html, "//*[@role='alert']")
    return found[0] if found else ""


def attempt(client: TestClient, username: str, password: str) -> int:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return int(response.status_code)


@pytest.fixture
def lone_app_client(empty_engine: Engine) -> Iterator[TestClient]:
    """A fresh database with one user, so attempts of other tests do not count."""
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        create_user(connection, NewUser("ani", "Ani", Role.ADMIN, PASSWORD), datetime.now(UTC))
    url = empty_engine.url.render_as_string(hide_password=False)
    return TestClient(create_app(settings_for(url), engine=empty_engine))


def test_login_page_is_in_bahasa_indonesia(app_client: TestClient) -> None:
    page = app_client.get("/login").text
    assert text(page, "//h1") == "Masuk"
    assert text(page, "//label[@for='username']") == "Nama pengguna"
    assert text(page, "//label[@for='password']") == "Kata sandi"


def test_pages_and_api_need_a_session(app_client: TestClient) -> None:
    page = app_client.get("/areas/36.72", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/areas/36.72"
    api = app_client.get("/api/v1/areas/36.72")
    assert api.status_code == 401
    assert api.json() == {"detail": "Silakan masuk terlebih dahulu."}


def test_wrong_password_is_refused_with_a_message(app_client: TestClient) -> None:
    token = csrf_of(app_client.get("/login").text)
    response = app_client.post(
        "/login", data={"username": "admin", "password": "salah-salah", "csrf_token": token}
    )
    assert response.status_code == 401
    assert error_text(response.text) == (
        "Nama pengguna atau kata sandi salah. Periksa keduanya (huruf besar berpengaruh) lalu "
        "coba lagi."
    )


def test_session_cookie_is_httponly_and_samesite_lax(app_client: TestClient) -> None:
    token = csrf_of(app_client.get("/login").text)
    response = app_client.post(
        "/login",
        data={"username": "admin", "password": "tumbuh-demo", "csrf_token": token},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith(SESSION_COOKIE + "=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


def test_login_without_csrf_token_is_refused(app_client: TestClient) -> None:
    app_client.get("/login")
    response = app_client.post("/login", data={"username": "admin", "password": "tumbuh-demo"})
    assert response.status_code == 403
    assert text(response.text, "//h1") == "Permintaan ditolak"


def test_changes_without_csrf_token_are_refused(city: City, signed_in: SignedIn) -> None:
    client, _ = signed_in("kader")
    api = client.post(
        f"/api/v1/children/{city.own_child}/measurements",
        json={"measured_on": "2024-08-10", "weight_kg": 10.0},
    )
    wrong = client.post(
        f"/api/v1/children/{city.own_child}/measurements",
        json={"measured_on": "2024-08-10", "weight_kg": 10.0},
        headers={"X-CSRF-Token": "not-the-token-of-this-session-000000"},
    )
    logout = client.post("/logout", data={})
    assert (api.status_code, wrong.status_code, logout.status_code) == (403, 403, 403)


def test_sign_out_ends_the_session(signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/api/v1/me").status_code == 401


def test_login_redirects_only_to_local_pages(app_client: TestClient) -> None:
    token = csrf_of(app_client.get("/login").text)
    response = app_client.post(
        "/login",
        data={
            "username": "admin",
            "password": "tumbuh-demo",
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_a_success_resets_the_username_count(lone_app_client: TestClient) -> None:
    assert [attempt(lone_app_client, "ani", "salah") for _ in range(4)] == [401] * 4
    assert attempt(lone_app_client, "ani", PASSWORD) == 303
    assert attempt(lone_app_client, "ani", "salah") == 401
    assert attempt(lone_app_client, "ani", PASSWORD) == 303


def test_language_switch_is_remembered(signed_in: SignedIn) -> None:
    client, token = signed_in("mitra")
    client.post("/language", data={"language": "en", "csrf_token": token, "next": "/reports"})
    assert text(client.get("/reports").text, "//h1") == "Reports"
    again = TestClient(client.app)
    sign_in(again, "mitra")
    assert text(again.get("/reports").text, "//h1") == "Reports"
    client.post("/language", data={"language": "id", "csrf_token": token, "next": "/"})


@pytest.fixture
def app_client(app: FastAPI) -> TestClient:
    return TestClient(app)


def test_pages_are_never_stored_by_the_browser_but_static_files_may_be(
    city: City, signed_in: SignedIn
) -> None:
    client, _ = signed_in("kader")
    page = client.get(f"/posyandu/{city.kader_posyandu}")
    login = TestClient(client.app).get("/login")
    style = client.get("/static/css/tumbuh.css")
    assert (page.status_code, style.status_code) == (200, 200)
    assert page.headers["cache-control"] == "no-store"
    assert login.headers["cache-control"] == "no-store"
    assert "cache-control" not in style.headers
