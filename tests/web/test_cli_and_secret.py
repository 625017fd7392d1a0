"""``tumbuh user add | list``, the session secret file and NIK masking."""

import stat
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from tests.cli.conftest import invoke
from tumbuh.config import Settings
from tumbuh.db.audit import audit_json
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import authenticate, find_user
from tumbuh.errors import ConfigError
from tumbuh.web.security import session_secret


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    result = invoke(monkeypatch, capsys, *args, stdin=stdin)
    return result.exit_code, result.stdout, result.stderr


def add_user(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    username: str,
    role: str,
    password: str,
    *options: str,
) -> tuple[int, str, str]:
    """``tumbuh user add USERNAME --role ROLE [options] --password-stdin`` < password."""
    args = ("user", "add", username, "--role", role, *options, "--password-stdin")
    return run(monkeypatch, capsys, *args, stdin=password + "\n")


@pytest.fixture
def database(empty_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    upgrade_database(empty_engine)
    monkeypatch.setenv("TUMBUH_DATABASE_URL", empty_engine.url.render_as_string(False))
    monkeypatch.delenv("TUMBUH_LANGUAGE", raising=False)
    return empty_engine


def test_user_add_reads_the_password_from_stdin_and_stores_only_its_hash(
    database: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = add_user(
        monkeypatch, capsys, "dewi", "analyst", "panjang-sekali", "--full-name", "Dewi Analis"
    )
    assert code == 0
    assert out.strip() == "Pengguna dewi (analis) dibuat."
    with database.connect() as connection:
        user = find_user(connection, "dewi")
        assert user is not None
        assert user.full_name == "Dewi Analis"
        assert authenticate(connection, "dewi", "panjang-sekali") == user
        assert authenticate(connection, "dewi", "salah") is None


def test_user_add_refuses_a_kader_without_a_posyandu(
    database: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = add_user(monkeypatch, capsys, "siti", "kader", "panjang-sekali")
    assert code == 1
    assert "--posyandu: kader bertugas di satu posyandu" in " ".join(err.split())


def test_user_add_refuses_a_short_password(
    database: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = add_user(monkeypatch, capsys, "budi", "admin", "pendek")
    assert code == 1
    assert "kata sandi berisi 6 karakter; gunakan setidaknya 10" in " ".join(err.split())


def test_user_list_shows_users_without_passwords(
    database: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add_user(monkeypatch, capsys, "rina", "partner", "mitra-program-1")
    code, out, _ = run(monkeypatch, capsys, "user", "list")
    assert code == 0
    assert "rina" in out
    assert "mitra" in out
    assert "mitra-program-1" not in out


def test_the_session_secret_is_generated_once_for_its_owner_only(tmp_path: Path) -> None:
    settings = Settings(secret_key_file=tmp_path / "secret.key")
    first = session_secret(settings)
    assert len(first) >= 32
    assert session_secret(settings) == first
    mode = stat.S_IMODE((tmp_path / "secret.key").stat().st_mode)
    assert mode == 0o600


def test_a_configured_secret_wins_and_a_short_file_is_refused(tmp_path: Path) -> None:
    chosen = "k" * 40
    assert session_secret(Settings(secret_key=SecretStr(chosen))) == chosen
    short = tmp_path / "short.key"
    short.write_text("abc\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        session_secret(Settings(secret_key_file=short))
    assert "fewer than 32 characters" in str(error.value)


def test_audit_json_notes_whether_the_nik_changed() -> None:
    before = {"nik": "3672014101240099", "name": "Sinta"}
    after = {"nik": "3672014101240199", "name": "Sinta"}
    text = audit_json(after, before)
    assert text == '{"name": "Sinta", "nik": "3672************", "nik_changed": true}'
