"""``tumbuh user add --role partner --institution``: a partner's account speaks for its
institution, given by number or exact name; an unknown one is refused naming the option;
on both databases."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from tests.cli.conftest import invoke
from tumbuh.db.engine import create_engine
from tumbuh.db.institutions import insert_institution
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import find_user
from tumbuh.growth.tpps import InstitutionKind


@pytest.fixture
def configured(
    backend: str, new_database_url: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> str:
    """A new database with Baznas as its one institution, the configured one (Indonesian)."""
    url = new_database_url(backend)
    engine = create_engine(url)
    upgrade_database(engine)
    with engine.begin() as connection:
        values = {"name": "Baznas Kota Cilegon", "kind": InstitutionKind.ZAKAT, "active": True}
        insert_institution(connection, {**values, "created_at": datetime.now(UTC)})
    engine.dispose()
    monkeypatch.setenv("TUMBUH_DATABASE_URL", url)
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    return url


def test_a_partner_account_is_given_its_institution_by_name_or_number(
    configured: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("user", "add", "--role", "partner", "--password-stdin")
    unknown = invoke(
        monkeypatch,
        capsys,
        *args[:2],
        "baznas",
        *args[2:],
        "--institution",
        "Baznaz",
        stdin="panjang-sekali\n",
    )
    assert unknown.exit_code == 1
    assert "--institution: tidak ada mitra bernama 'Baznaz'" in " ".join(unknown.stderr.split())
    by_name = invoke(
        monkeypatch,
        capsys,
        *args[:2],
        "baznas",
        *args[2:],
        "--institution",
        "baznas kota cilegon",
        stdin="panjang-sekali\n",
    )
    assert by_name.exit_code == 0, by_name.stderr
    by_number = invoke(
        monkeypatch,
        capsys,
        *args[:2],
        "zakat",
        *args[2:],
        "--institution",
        "1",
        stdin="panjang-sekali\n",
    )
    assert by_number.exit_code == 0, by_number.stderr
    engine = create_engine(configured)
    with engine.connect() as connection:
        found = [find_user(connection, name) for name in ("baznas", "zakat")]
    engine.dispose()
    assert [u.institution_id if u else None for u in found] == [1, 1]
