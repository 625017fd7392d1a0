"""``tumbuh user password`` and ``tumbuh user sign-out`` end the user's web sessions."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.cli.conftest import invoke
from tests.web.conftest import settings_for, sign_in
from tumbuh.db.models_access import Role
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, authenticate, create_user
from tumbuh.web.app import create_app

PASSWORD = "rahasia-sekali-1"


@pytest.fixture
def database(empty_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        create_user(connection, NewUser("ani", "Ani", Role.ADMIN, PASSWORD), datetime.now(UTC))
    monkeypatch.setenv("TUMBUH_DATABASE_URL", empty_engine.url.render_as_string(False))
    monkeypatch.delenv("TUMBUH_LANGUAGE", raising=False)
    return empty_engine


def signed_in_client(database: Engine) -> TestClient:
    url = database.url.render_as_string(hide_password=False)
    client = TestClient(create_app(settings_for(url), engine=database))
    sign_in(client, "ani", PASSWORD)
    assert client.get("/api/v1/me").status_code == 200
    return client


def test_user_sign_out_ends_every_session_of_the_user(
    database: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    phone, laptop = signed_in_client(database), signed_in_client(database)
    result = invoke(monkeypatch, capsys, "user", "sign-out", "ani")
    assert (result.exit_code, result.stdout.strip()) == (0, "Semua sesi ani telah berakhir.")
    assert (phone.get("/api/v1/me").status_code, laptop.get("/api/v1/me").status_code) == (
        401,
        401,
    )
    assert signed_in_client(database).get("/api/v1/me").status_code == 200  # password kept


def test_user_password_sets_it_and_ends_every_session(
    database: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    client = signed_in_client(database)
    result = invoke(
        monkeypatch, capsys, "user", "password", "ani", "--password-stdin", stdin="baru-sekali-22\n"
    )
    assert (result.exit_code, result.stdout.strip()) == (
        0,
        "Kata sandi baru ani disimpan; semua sesi pengguna ini telah berakhir.",
    )
    assert client.get("/api/v1/me").status_code == 401
    with database.connect() as connection:
        assert authenticate(connection, "ani", "baru-sekali-22") is not None
        assert authenticate(connection, "ani", PASSWORD) is None


def test_user_sign_out_of_an_unknown_user_says_so(
    database: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    result = invoke(monkeypatch, capsys, "user", "sign-out", "tidak-ada")
    assert result.exit_code != 0
    assert "tidak ada pengguna bernama 'tidak-ada'" in result.stderr
