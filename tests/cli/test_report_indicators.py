"""``tumbuh report indicators``: the indicators of 2024 on screen and as .xlsx read back,
on both databases (the register of tests/usecases/indicator_registry.py)."""

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from tests.cli.conftest import RunCli
from tests.usecases.indicator_registry import A, B, build
from tumbuh.db.setup import upgrade_database


@pytest.fixture
def register(empty_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The register on this test's backend as the configured database (Indonesian)."""
    upgrade_database(empty_engine)
    with empty_engine.connect() as connection:
        build(connection)
    monkeypatch.setenv("TUMBUH_DATABASE_URL", empty_engine.url.render_as_string(False))
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    monkeypatch.setenv("TUMBUH_CITY_CODE", "36.72")


@pytest.mark.usefixtures("register")
def test_the_indicators_on_screen_and_as_xlsx(run_cli: RunCli, tmp_path: Path) -> None:
    shown = run_cli("report", "indicators", "--year", "2024")
    assert shown.exit_code == 0, shown.stderr
    screen = " ".join(shown.stdout.split())
    assert "Indikator intervensi dari register, 2024" in screen
    assert "Keluarga berisiko stunting (KRS), 2024" in screen
    target = tmp_path / "indikator.xlsx"
    written = run_cli("report", "indicators", "--year", "2024", "--xlsx", str(target))
    assert written.exit_code == 0, written.stderr
    assert "Ditulis ke" in written.stdout
    book = load_workbook(target)
    assert book.sheetnames == ["Indikator", "Diisi manual", "KRS"]
    header, *rows = book["Indikator"].iter_rows(values_only=True)
    sheet = [dict(zip(header, row, strict=True)) for row in rows]
    ttd = [r for r in sheet if str(r["Indikator"]).startswith("Ibu hamil yang mengonsumsi")]
    assert [(r["Kode"], r["Pembilang"], r["Penyebut"], r["Tidak tercatat"]) for r in ttd] == [
        ("36.72", 2, 4, 1),
        (A, 1, 3, 1),
        (B, 1, 1, 0),
    ]
    assert ttd[0]["Capaian %"] == pytest.approx(50.0)
    assert ttd[0]["Target (%)"] == 80
    assert ttd[0]["Target tercapai"] == "belum tercapai"
    header, *rows = book["KRS"].iter_rows(values_only=True)
    krs = {row[0]: row[2:] for row in rows}
    assert krs[A] == (3, 1, 1, 50.0)


@pytest.mark.usefixtures("register")
def test_the_indicators_refuse_a_bad_file_or_year(run_cli: RunCli) -> None:
    sheet = run_cli("report", "indicators", "--year", "2024", "--xlsx", "indikator.csv")
    assert sheet.exit_code == 1
    assert "--xlsx indikator.csv: indikator ditulis sebagai lembar kerja" in sheet.stderr
    year = run_cli("report", "indicators", "--year", "1024")
    assert year.exit_code == 1
    assert "--year: 1024 bukan tahun yang wajar" in year.stderr
