"""``tumbuh pmt outcomes``: the fed children against comparable children not fed, on
screen (with "too few children" in words) and as .xlsx read back, with the period; on
both databases (the registry of tests/usecases/test_pmt_outcomes.py)."""

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from tests.cli.conftest import RunCli
from tests.usecases.test_pmt_outcomes import Registry
from tumbuh.db.setup import upgrade_database


def _squeezed(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def registry(empty_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Registry:
    """The registry on this test's backend as the configured database (Indonesian)."""
    upgrade_database(empty_engine)
    with empty_engine.connect() as connection:
        built = Registry.build(connection)
    monkeypatch.setenv("TUMBUH_DATABASE_URL", empty_engine.url.render_as_string(False))
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    monkeypatch.setenv("TUMBUH_CITY_CODE", "36.72")
    return built


def test_outcomes_on_screen_as_xlsx_and_by_period(
    run_cli: RunCli, registry: Registry, tmp_path: Path
) -> None:
    shown = run_cli("pmt", "outcomes")
    assert shown.exit_code == 0, shown.stderr
    screen = _squeezed(shown.stdout)
    assert "Hasil PMT, episode yang mulai kapan saja" in screen
    assert "Seluruh wilayah" in screen
    assert "+96 (+72 .. +99)" in screen  # recovery, in points
    assert "Dapur Mawar" in screen
    assert "Dapur Kenanga: Terlalu sedikit anak untuk dibandingkan: kurang dari 20 anak" in screen
    target = tmp_path / "hasil.xlsx"
    written = run_cli(
        "pmt", "outcomes", "--from", "2024-08", "--to", "2024-08", "--out", str(target)
    )
    assert written.exit_code == 0, written.stderr
    assert "Ditulis ke" in written.stdout
    book = load_workbook(target)
    header, *rows = book["Menurut dapur"].iter_rows(values_only=True)
    sheet = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert sheet["Dapur Mawar"]["Anak yang diberi PMT"] == 25
    assert sheet["Dapur Kenanga"]["Pulih (%): selisih"] is None
    later = run_cli("pmt", "outcomes", "--from", "2024-09")
    assert later.exit_code == 0, later.stderr
    assert "Hasil PMT, episode yang mulai 2024-09 sampai …" in _squeezed(later.stdout)
    assert "Dapur Mawar" not in later.stdout
    assert registry.kitchen_a > 0


def test_outcomes_refuses_a_bad_period_or_file(run_cli: RunCli, registry: Registry) -> None:
    backwards = run_cli("pmt", "outcomes", "--from", "2024-10", "--to", "2024-08")
    assert backwards.exit_code == 1
    assert "periode mulai 2024-10 dan berakhir 2024-08" in _squeezed(backwards.stderr)
    month = run_cli("pmt", "outcomes", "--from", "2024-8x")
    assert month.exit_code == 1
    assert "--from: '2024-8x' bukan bulan" in month.stderr
    sheet = run_cli("pmt", "outcomes", "--out", "hasil.csv")
    assert sheet.exit_code == 1
    assert "--out hasil.csv: evaluasi ditulis sebagai lembar kerja" in _squeezed(sheet.stderr)
    assert registry.a > 0
