"""``tumbuh report prevalence`` on the demo city: the published figures, table and CSV."""

import math
from pathlib import Path
from statistics import NormalDist

import pytest

from tests.cli.conftest import RunCli


def wilson_percent(cases: int, n: int) -> tuple[str, str]:
    """Wilson's 95 % interval in percent with 2 decimals, computed here from its formula
    (Wilson 1927), independently of tumbuh.growth.intervals."""
    z = NormalDist().inv_cdf(0.975)
    p = cases / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{100 * (centre - half):.2f}", f"{100 * (centre + half):.2f}"


@pytest.mark.slow
def test_august_2024_prints_818_of_31221_for_kota_cilegon(run_cli: RunCli, demo_city: str) -> None:
    result = run_cli("report", "prevalence", "--period", "2024-08")
    assert result.exit_code == 0, result.stderr
    assert "Prevalensi stunting, 2024-08" in result.stdout
    line = next(row for row in result.stdout.splitlines() if "Kota Cilegon" in row)
    cells = [cell.strip() for cell in line.split("│")[1:7]]
    low, high = (value.replace(".", ",") for value in wilson_percent(818, 31_221))
    assert cells == ["36.72", "Kota Cilegon", "31.221", "818", "2,62", f"{low}–{high}"]


@pytest.mark.slow
def test_february_2024_as_csv_starts_with_the_city(run_cli: RunCli, demo_city: str) -> None:
    result = run_cli("report", "prevalence", "--period", "2024-02", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    low, high = wilson_percent(876, 30_485)
    assert result.stdout.splitlines() == [
        "kode,nama,diukur,stunting,persen,batas_bawah,batas_atas",
        f"36.72,Kota Cilegon,30485,876,2.87,{low},{high}",
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
    low, high = wilson_percent(818, 31_221)
    assert lines[1] == f"36.72,Kota Cilegon,31221,818,2.62,{low},{high}"
    areas = [line.split(",") for line in lines[2:]]
    assert [a[0] for a in areas] == [f"36.72.0{i}" for i in range(1, 9)]
    assert areas[5][1] == "Grogol"
    assert sum(int(a[2]) for a in areas) == 31_221
    assert sum(int(a[3]) for a in areas) == 818


@pytest.mark.slow
def test_csv_can_be_written_to_a_file(run_cli: RunCli, demo_city: str, tmp_path: object) -> None:

    target = Path(str(tmp_path)) / "prevalensi.csv"
    result = run_cli(
        "report", "prevalence", "--period", "2024-08", "--format", "csv", "-o", str(target)
    )
    assert result.exit_code == 0, result.stderr
    first = target.read_text(encoding="utf-8").splitlines()[1]
    assert first.startswith("36.72,Kota Cilegon,31221,818,2.62,")


def test_a_period_that_is_not_a_month_is_refused(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", f"sqlite:///{tmp_path}/kosong.sqlite")
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    result = run_cli("report", "prevalence", "--period", "Agustus 2024")
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert (
        "--period: 'Agustus 2024' bukan periode; tulis bulan sebagai TTTT-BB (2024-08)" in message
    )


def test_another_indicator_names_its_cases_column(run_cli: RunCli, register: str) -> None:
    # August 2024: k1, k2 and k4 have a valid WHZ, none below -2.
    result = run_cli(
        "report", "prevalence", "--period", "2024-08", "--indicator", "wasting", "--format", "csv"
    )
    assert result.exit_code == 0, result.stderr
    low, high = wilson_percent(0, 3)
    assert result.stdout.splitlines() == [
        "kode,nama,diukur,wasting,persen,batas_bawah,batas_atas",
        f"36.72,Kota Cilegon,3,0,0.00,{low},{high}",
    ]
    table = run_cli("report", "prevalence", "--period", "2024-08", "--indicator", "wasting")
    assert "Prevalensi wasting (BB/TB < -2), 2024-08" in table.stdout


def test_a_semester_is_a_period_too(run_cli: RunCli, register: str) -> None:
    # 2024-S1: k1 and k3 stunted, k2 not (February); the year adds k4 (August, stunted).
    semester = run_cli("report", "prevalence", "--period", "2024-S1", "--format", "csv")
    year = run_cli("report", "prevalence", "--period", "2024", "--format", "csv")
    assert semester.stdout.splitlines()[1].startswith("36.72,Kota Cilegon,3,2,66.67,")
    assert year.stdout.splitlines()[1].startswith("36.72,Kota Cilegon,4,3,75.00,")
