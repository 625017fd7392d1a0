"""``tumbuh pmt``: the month's eligibility list (masked), enrolment refused with its rule
or overridden, the register on screen and as .xlsx, one episode, and closing; on both
databases (the town of tests/usecases/test_pmt_episodes.py)."""

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from tests.cli.conftest import RunCli
from tests.usecases.test_pmt_episodes import Town
from tumbuh.db.setup import upgrade_database


def _squeezed(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def town(empty_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Town:
    """The town on this test's backend as the configured database (Indonesian)."""
    upgrade_database(empty_engine)
    with empty_engine.connect() as connection:
        built = Town(connection)
    monkeypatch.setenv("TUMBUH_DATABASE_URL", empty_engine.url.render_as_string(False))
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    monkeypatch.setenv("TUMBUH_CITY_CODE", "36.72")
    return built


def test_eligible_enrol_show_and_close(run_cli: RunCli, town: Town) -> None:
    listed = run_cli("pmt", "eligible", "--month", "2024-08")
    assert listed.exit_code == 0, listed.stderr
    assert "2024-08: 3 anak sasaran, 0 terdaftar" in _squeezed(listed.stdout)
    assert "Anak 20220310" not in listed.stdout  # masked without --unmask
    shown = run_cli("pmt", "eligible", "--month", "2024-08", "--refused", "--unmask")
    assert "Anak 20220402" in shown.stdout  # the boy with gizi buruk, refused
    assert "Gizi buruk: tata laksana klinis" in _squeezed(shown.stdout)
    enrol = ("pmt", "enrol", str(town.girl), "--month", "2024-08", "--kitchen")
    done = run_cli(*enrol, str(town.kitchen), "--funding", "dak", "--start", "2024-08-20")
    assert done.exit_code == 0, done.stderr
    assert "Terdaftar: episode 1." in done.stdout
    again = run_cli(*enrol, str(town.kitchen), "--funding", "dak", "--start", "2024-08-20")
    assert again.exit_code == 1
    assert "sudah punya episode PMT yang berjalan (nomor 1, sejak 2024-08-20)" in _squeezed(
        again.stderr
    )
    one = run_cli("pmt", "show", "1", "--unmask")
    assert one.exit_code == 0, one.stderr
    assert "Anak 20220310" in one.stdout
    assert "Aturan tahun 2023" in _squeezed(one.stdout)
    early = run_cli("pmt", "close", "1", "--exit", "completed", "--on", "2024-09-01")
    assert early.exit_code == 1
    assert "'selesai' dinilai dari pengukuran selama episode dengan WHZ" in _squeezed(early.stderr)
    closed = run_cli("pmt", "close", "1", "--exit", "moved", "--on", "2024-09-01")
    assert closed.exit_code == 0, closed.stderr
    assert "Episode 1 ditutup: Pindah" in _squeezed(closed.stdout)
    missing = run_cli("pmt", "show", "99")
    assert missing.exit_code == 1
    assert "episode 99 tidak ada" in missing.stderr


def test_a_refused_child_is_enrolled_only_with_a_reason(run_cli: RunCli, town: Town) -> None:
    enrol = ("pmt", "enrol", str(town.boy), "--month", "2024-08", "--kitchen", str(town.kitchen))
    refused = run_cli(*enrol, "--funding", "apbd", "--start", "2024-08-20")
    assert refused.exit_code == 1
    assert "Anak 20220402: gizi buruk pada daftar bulan ini" in _squeezed(refused.stderr)
    assert "(aturan: gizi buruk)" in _squeezed(refused.stderr)
    reason = "Dianjurkan dokter sesudah perawatan"
    done = run_cli(
        *enrol, "--funding", "apbd", "--start", "2024-08-20", "--override-reason", reason
    )
    assert done.exit_code == 0, done.stderr
    bad = run_cli(*enrol, "--funding", "apbd", "--start", "20/08/2024")
    assert bad.exit_code == 1
    assert "--start: '20/08/2024' bukan tanggal" in bad.stderr


def test_the_register_on_screen_and_as_xlsx(run_cli: RunCli, town: Town, tmp_path: Path) -> None:
    for child in (town.girl, town.twin):
        enrolled = run_cli(
            "pmt", "enrol", str(child), "--month", "2024-08", "--kitchen", str(town.kitchen),
            "--funding", "baznas", "--start", "2024-08-20",
        )  # fmt: skip
        assert enrolled.exit_code == 0, enrolled.stderr
    listed = run_cli("pmt", "episodes", "--state", "open")
    assert listed.exit_code == 0, listed.stderr
    assert "Episode PMT: 2" in listed.stdout
    target = tmp_path / "pmt.xlsx"
    written = run_cli("pmt", "episodes", "-o", str(target))
    assert written.exit_code == 0, written.stderr
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Nomor episode")
    body = rows[head + 1 :]
    assert len(body) == 2
    assert {r[3] for r in body} == {"A. 2."}  # initials
    assert {r[11] for r in body} == {"Baznas"}
    assert {r[13] for r in body} == {56}  # days planned, 2023 rules
    wrong = run_cli("pmt", "episodes", "-o", str(tmp_path / "pmt.csv"))
    assert wrong.exit_code == 1
    assert "berakhiran .xlsx" in wrong.stderr
    bad_month = run_cli("pmt", "episodes", "--month", "Agustus")
    assert bad_month.exit_code == 1
    assert "--month: 'Agustus' bukan bulan" in bad_month.stderr
