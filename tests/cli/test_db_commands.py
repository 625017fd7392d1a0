"""``tumbuh db upgrade | recompute | status`` on an SQLite file: exit codes and messages."""

from pathlib import Path

import pytest
from sqlalchemy import text

from tests.cli.conftest import RunCli
from tumbuh.db.engine import create_engine
from tumbuh.db.migrate import head_revision
from tumbuh.demo.generate import generate_demo_city
from tumbuh.demo.settings import DemoConfig


def test_upgrade_creates_the_schema_and_loads_the_regions_once(
    run_cli: RunCli, database: str
) -> None:
    first = run_cli("db", "upgrade")
    assert first.exit_code == 0, first.stderr
    head = head_revision()
    assert f"skema revisi {head} (sebelumnya kosong)" in first.stdout
    assert "Wilayah: 53 ditambahkan, 0 diperbarui, 7 ejaan ditambahkan." in first.stdout
    again = run_cli("db", "upgrade")
    assert again.exit_code == 0, again.stderr
    assert f"skema revisi {head} (sebelumnya {head})" in again.stdout
    assert "Wilayah: 0 ditambahkan, 0 diperbarui, 0 ejaan ditambahkan." in again.stdout


def test_recompute_before_upgrade_says_to_upgrade_first(run_cli: RunCli, database: str) -> None:
    result = run_cli("db", "recompute")
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())  # the console wraps long lines
    assert "belum berisi tabel; jalankan dulu tumbuh db upgrade" in message
    assert "Traceback" not in result.stderr


def test_recompute_rewrites_every_derived_row_with_the_same_values(
    run_cli: RunCli, database: str
) -> None:
    engine = create_engine(database)
    generate_demo_city(engine, DemoConfig(seed=3, scale=0.02))
    query = text("SELECT SUM(haz), COUNT(*), COUNT(weight_trend) FROM measurement_derived")
    with engine.connect() as connection:
        before = tuple(connection.execute(query).one())
        connection.execute(text("DELETE FROM measurement_derived WHERE measurement_id % 2 = 0"))
        connection.commit()
    result = run_cli("db", "recompute")
    assert result.exit_code == 0, result.stderr
    assert f"{before[1]:,}".replace(",", ".") + " pengukuran dihitung ulang" in result.stdout
    assert "WHO 2006 (anthro 1.1.0)" in result.stdout
    with engine.connect() as connection:
        assert tuple(connection.execute(query).one()) == before
    engine.dispose()


def test_recompute_with_a_broken_kbm_file_names_the_file_and_line(
    run_cli: RunCli, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kbm = tmp_path / "kbm.csv"
    kbm.write_text("month,kbm_g\n1,800\n2,sembilan ratus\n", encoding="utf-8")
    monkeypatch.setenv("TUMBUH_KBM_TABLE_FILE", str(kbm))
    assert run_cli("db", "upgrade").exit_code == 0
    result = run_cli("db", "recompute")
    assert result.exit_code == 1
    assert f"TUMBUH_KBM_TABLE_FILE {kbm}, baris 3" in " ".join(result.stderr.split())


def test_status_shows_revision_and_counts(run_cli: RunCli, database: str) -> None:
    assert run_cli("db", "upgrade").exit_code == 0
    result = run_cli("db", "status")
    assert result.exit_code == 0, result.stderr
    assert "Revisi skema" in result.stdout
    assert "Wilayah" in result.stdout
    assert "53" in result.stdout


def test_a_database_folder_that_does_not_exist_is_a_clear_error(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", f"sqlite:///{tmp_path / 'no' / 'such.sqlite'}")
    result = run_cli("db", "upgrade")
    assert result.exit_code == 1
    assert "foldernya tidak ada" in " ".join(result.stderr.split())


def test_an_unreachable_postgresql_server_is_a_clear_error(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Port 1 on the loopback interface: nothing listens there, the refusal is immediate.
    monkeypatch.setenv("TUMBUH_DATABASE_URL", "postgresql+psycopg://tumbuh:rahasia@127.0.0.1:1/x")
    result = run_cli("db", "upgrade")
    assert result.exit_code == 1
    assert "tidak dapat dibuka" in " ".join(result.stderr.split())
    assert "rahasia" not in result.stderr  # the password is never shown


def test_an_invalid_setting_stops_the_command_naming_the_variable(
    run_cli: RunCli, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUMBUH_CITY_CODE", "Cilegon")
    result = run_cli("db", "status")
    assert result.exit_code == 1
    assert "TUMBUH_CITY_CODE" in result.stderr
    assert "36.72" in result.stderr
