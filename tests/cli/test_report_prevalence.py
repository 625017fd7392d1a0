"""``tumbuh report prevalence`` on the demo city: the published figures, table and CSV."""

import pytest

from tests.cli.conftest import RunCli


@pytest.fixture
def demo_city(demo_city_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", demo_city_url)
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    return demo_city_url


@pytest.mark.slow
def test_august_2024_prints_818_of_31221_for_kota_cilegon(run_cli: RunCli, demo_city: str) -> None:
    result = run_cli("report", "prevalence", "--period", "2024-08")
    assert result.exit_code == 0, result.stderr
    assert "Prevalensi stunting, 2024-08" in result.stdout
    line = next(row for row in result.stdout.splitlines() if "Kota Cilegon" in row)
    cells = [cell.strip() for cell in line.split("│")[1:6]]
    assert cells == ["36.72", "Kota Cilegon", "31.221", "818", "2,62"]


@pytest.mark.slow
def test_february_2024_as_csv_starts_with_the_city(run_cli: RunCli, demo_city: str) -> None:
    result = run_cli("report", "prevalence", "--period", "2024-02", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "kode,nama,diukur,stunting,persen",
        "36.72,Kota Cilegon,30485,876,2.87",
    ]


@pytest.mark.slow
def test_by_kecamatan_gives_one_row_per_kecamatan_that_sum_to_the_city(
    run_cli: RunCli, demo_city: str
) -> None:
    result = run_cli(
        "report", "prevalence", "--period", "2024-08", "--by", "kecamatan", "--format", "csv"
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "36.72,Kota Cilegon,31221,818,2.62"
    areas = [line.split(",") for line in lines[2:]]
    assert [a[0] for a in areas] == [f"36.72.0{i}" for i in range(1, 9)]
    assert areas[5][1] == "Grogol"
    assert sum(int(a[2]) for a in areas) == 31_221
    assert sum(int(a[3]) for a in areas) == 818


@pytest.mark.slow
def test_csv_can_be_written_to_a_file(run_cli: RunCli, demo_city: str, tmp_path: object) -> None:
    from pathlib import Path

    target = Path(str(tmp_path)) / "prevalensi.csv"
    result = run_cli(
        "report", "prevalence", "--period", "2024-08", "--format", "csv", "-o", str(target)
    )
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").splitlines()[1] == "36.72,Kota Cilegon,31221,818,2.62"


def test_a_period_that_is_not_a_month_is_refused(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", f"sqlite:///{tmp_path}/kosong.sqlite")
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    result = run_cli("report", "prevalence", "--period", "Agustus 2024")
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "--period: 'Agustus 2024' bukan bulan; tulis sebagai TTTT-BB" in message
