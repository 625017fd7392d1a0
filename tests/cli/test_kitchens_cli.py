"""``tumbuh kitchen``: adding and listing kitchens, their funding, a day's serving log
(a second serving refused), the monthly report, and a kitchen operator's account; on both
databases, with errors that name the option."""

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from tests.cli.conftest import RunCli, invoke
from tests.db.helpers import add_posyandu
from tests.db.kitchen_helpers import add_episode
from tumbuh.db.engine import create_engine
from tumbuh.db.models import Child, table_of
from tumbuh.db.setup import upgrade_database
from tumbuh.growth.enums import Sex

YESTERDAY = date.today() - timedelta(days=1)


def _squeezed(text: str) -> str:
    """The text on one line, a table's lines taken out."""
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", text).split())


@pytest.fixture
def configured(
    backend: str, new_database_url: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> str:
    """A new database at the newest schema as the configured one (Indonesian)."""
    url = new_database_url(backend)
    engine = create_engine(url)
    upgrade_database(engine)
    engine.dispose()
    monkeypatch.setenv("TUMBUH_DATABASE_URL", url)
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    return url


def _add(run_cli: RunCli, *extra: str) -> str:
    added = run_cli(
        "kitchen",
        "add",
        "Dapur Umum PKK Cibeber",
        "--kind",
        "dapur_umum_pkk",
        "--kelurahan",
        "cibeber",
        "--operator",
        "tp_pkk",
        "--capacity",
        "40",
        *extra,
    )
    return _squeezed(added.stdout + added.stderr)


def test_a_kitchen_is_added_listed_and_funded(run_cli: RunCli, configured: str) -> None:
    assert _add(run_cli) == "Dapur 1 ditambahkan: Dapur Umum PKK Cibeber."
    listed = _squeezed(run_cli("kitchen", "list").stdout)
    assert "Dapur PMT: 1" in listed
    assert "Cibeber" in listed
    assert "Senin, Selasa, Rabu, Kamis, Jumat" in listed
    funded = run_cli(
        "kitchen",
        "funding",
        "1",
        "--source",
        "baznas",
        "--amount",
        "7.500.000",
        "--from",
        "2024-01-01",
        "--to",
        "2099-12-31",
    )
    assert funded.exit_code == 0, funded.stderr
    assert "Baznas 7.500.000 2024-01-01 2099-12-31 ya" in _squeezed(funded.stdout)
    shown = run_cli("kitchen", "funding", "1")
    assert "7.500.000" in shown.stdout


def test_a_bad_kitchen_names_each_option_and_what_is_accepted(
    run_cli: RunCli, configured: str
) -> None:
    refused = _add(run_cli, "--days", "senin", "--contact-phone", "12")
    assert "--days: 'senin' bukan daftar hari" in refused
    assert "--contact-phone: '12' bukan nomor telepon" in refused
    twice = _add(run_cli)
    assert twice.startswith("Dapur 1")
    again = _add(run_cli)
    assert "NAME: kelurahan ini sudah punya dapur bernama 'Dapur Umum PKK Cibeber'" in again
    bad_source = run_cli("kitchen", "funding", "1", "--source", "apbn", "--amount", "5,5")
    assert bad_source.exit_code == 1
    message = _squeezed(bad_source.stderr)
    assert (
        "--source: 'apbn' bukan salah satu nilai yang diterima: apbd (APBD (anggaran kota))"
        in message
    )
    assert "--amount: '5,5' bukan jumlah rupiah yang bulat" in message
    missing = run_cli("kitchen", "funding", "9")
    assert missing.exit_code == 1
    assert "dapur 9 tidak ada; lihat tumbuh kitchen list" in _squeezed(missing.stderr)


def test_a_day_of_servings_is_logged_masked_and_a_second_serving_refused(
    run_cli: RunCli, configured: str
) -> None:
    _add(run_cli, "--days", "1-7")
    engine = create_engine(configured)
    with engine.begin() as connection:
        posyandu = add_posyandu(connection, "P-1", "36.72.01.1001", "Mawar")
        c = table_of(Child)
        child = connection.execute(
            insert(c)
            .values(
                name="Rina Wulandari",
                sex=Sex.FEMALE,
                birth_date=date(2022, 5, 1),
                posyandu_id=posyandu,
            )
            .returning(c.c.id)
        ).scalar_one()
        episode = add_episode(
            connection, 1, child_id=int(child), started_on=YESTERDAY - timedelta(days=3)
        )
    engine.dispose()
    day = YESTERDAY.isoformat()
    served = run_cli("kitchen", "servings", "1", "--date", day, "--serve", str(episode))
    assert served.exit_code == 0, served.stderr
    out = _squeezed(served.stdout)
    assert f"Dapur Umum PKK Cibeber, {day}: 1 dari 1 sudah menerima" in out
    assert "R. W." in out
    assert "Rina" not in out
    twice = run_cli("kitchen", "servings", "1", "--date", day, "--serve", str(episode))
    assert twice.exit_code == 1
    assert f"Rina Wulandari: porsi pada {day} sudah tercatat" in _squeezed(twice.stderr)
    back = run_cli(
        "kitchen", "servings", "1", "--date", day, "--take-back", str(episode), "--unmask"
    )
    assert back.exit_code == 0, back.stderr
    assert "0 dari 1 sudah menerima" in _squeezed(back.stdout)
    assert "Rina Wulandari" in back.stdout
    future = run_cli(
        "kitchen", "servings", "1", "--date", (date.today() + timedelta(days=1)).isoformat()
    )
    assert future.exit_code == 1
    assert "--date:" in future.stderr
    bad = run_cli("kitchen", "servings", "1", "--serve", "satu")
    assert bad.exit_code == 1
    assert "--serve: 'satu' bukan daftar nomor" in _squeezed(bad.stderr)


def test_the_monthly_report_is_written_to_xlsx(
    run_cli: RunCli, configured: str, tmp_path: Path
) -> None:
    _add(run_cli)
    target = tmp_path / "pmt.xlsx"
    written = run_cli("kitchen", "report", "--month", "2024-08", "--out", str(target))
    assert written.exit_code == 0, written.stderr
    book = load_workbook(target)
    rows = list(book["Dapur"].iter_rows(values_only=True))
    assert rows[1][:3] == ("Dapur Umum PKK Cibeber", "Dapur Umum PKK", "Cibeber")
    assert rows[-1][0] == "Jumlah"
    wrong = run_cli("kitchen", "report", "--month", "2024-08", "--out", str(tmp_path / "x.csv"))
    assert wrong.exit_code == 1
    assert "berakhiran .xlsx" in wrong.stderr
    month = run_cli("kitchen", "report", "--month", "2024", "--out", str(target))
    assert month.exit_code == 1
    assert "--month: '2024' bukan bulan" in month.stderr


def test_a_kitchen_operator_account_needs_its_kitchen(
    run_cli: RunCli,
    configured: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _add(run_cli)
    password = "panjang-sekali\n"
    args = ("user", "add", "dapur", "--role", "kitchen", "--password-stdin")
    missing = invoke(monkeypatch, capsys, *args, stdin=password)
    assert missing.exit_code == 1
    assert "--kitchen: petugas dapur bekerja di satu dapur" in _squeezed(missing.stderr)
    elsewhere = invoke(monkeypatch, capsys, *args, "--kitchen", "7", stdin=password)
    assert elsewhere.exit_code == 1
    created = invoke(monkeypatch, capsys, *args, "--kitchen", "1", stdin=password)
    assert created.exit_code == 0, created.stderr
    assert "dapur (petugas dapur)" in created.stdout
    listed = _squeezed(run_cli("user", "list").stdout)
    assert "dapur dapur petugas dapur 1 ya" in listed
