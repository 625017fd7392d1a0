"""``tumbuh user add --role bidan|tpk``: an account of either role needs a puskesmas or a
posyandu, refused in Indonesian naming both options; with a posyandu it is created and
listed (docs/security.md, "The bidan and the TPK"); on both databases."""

import re
from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from tests.cli.conftest import RunCli, invoke
from tests.db.helpers import add_posyandu
from tumbuh.db.engine import create_engine
from tumbuh.db.setup import upgrade_database


@pytest.fixture
def configured(
    backend: str, new_database_url: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> str:
    """A new database with one posyandu as the configured one (Indonesian)."""
    url = new_database_url(backend)
    engine: Engine = create_engine(url)
    upgrade_database(engine)
    with engine.begin() as connection:
        add_posyandu(connection, "36.72.01.1001.01", "36.72.01.1001", "Mawar")
    engine.dispose()
    monkeypatch.setenv("TUMBUH_DATABASE_URL", url)
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    return url


@pytest.mark.usefixtures("configured")
@pytest.mark.parametrize("role", ["bidan", "tpk"])
def test_a_bidan_or_tpk_account_needs_an_area(
    role: str,
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ("user", "add", "ani", "--role", role, "--password-stdin")
    missing = invoke(monkeypatch, capsys, *args, stdin="panjang-sekali\n")
    assert missing.exit_code == 1
    assert "--puskesmas atau --posyandu: bidan atau TPK bekerja di wilayah" in " ".join(
        missing.stderr.split()
    )
    created = invoke(
        monkeypatch, capsys, *args, "--posyandu", "36.72.01.1001.01", stdin="panjang-sekali\n"
    )
    assert created.exit_code == 0, created.stderr
    listed = " ".join(re.sub(r"[\u2500-\u257f]", " ", run_cli("user", "list").stdout).split())
    assert f"ani ani {'TPK' if role == 'tpk' else 'bidan'}" in listed, listed
