"""``tumbuh user password`` and ``tumbuh user sign-out`` end the user's web sessions."""

import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.cli.conftest import invoke
from tests.web.conftest import settings_for, sign_in
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry, Role
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


def _user_audit(database: Engine) -> list[tuple[str, str, str | None, str | None]]:
    a = table_of(AuditEntry)
    query = (
        select(a.c.actor, a.c.action, a.c.before, a.c.after)
        .where(a.c.entity == "user")
        .order_by(a.c.id)
    )
    with database.connect() as connection:
        return [(r.actor, str(r.action), r.before, r.after) for r in connection.execute(query)]


def test_the_user_commands_leave_an_audit_row_each_without_the_password(
    database: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("USER", "operator")
    monkeypatch.setenv("LOGNAME", "operator")
    added = invoke(
        monkeypatch, capsys, "user", "add", "budi", "--role", "analyst", "--full-name", "Budi",
        "--password-stdin", stdin="sandi-budi-panjang-1\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.stdout + added.stderr
    stdin = "baru-sekali-22\n"
    password = invoke(
        monkeypatch, capsys, "user", "password", "budi", "--password-stdin", stdin=stdin
    )
    assert password.exit_code == 0
    assert invoke(monkeypatch, capsys, "user", "sign-out", "budi").exit_code == 0
    rows = _user_audit(database)
    assert [(actor, action) for actor, action, _, _ in rows] == [
        ("cli:operator", "create"),
        ("cli:operator", "update"),
        ("cli:operator", "update"),
    ]
    assert json.loads(rows[0][3] or "{}")["username"] == "budi"
    assert json.loads(rows[1][3] or "{}") == {"username": "budi", "password_changed": True}
    assert json.loads(rows[2][3] or "{}") == {"username": "budi", "signed_out": True}
    everything = " ".join(str(part) for row in rows for part in row)
    assert "sandi-budi" not in everything
    assert "baru-sekali" not in everything
