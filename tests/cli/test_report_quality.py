"""``tumbuh report quality`` on the demo city: readable Indonesian output, CSV, settings."""

import csv
import io
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from tests.cli.conftest import RunCli
from tumbuh.db.engine import create_engine

PLANTED_PER_POSYANDU = """
SELECT p.code, count(*) FROM demo_planted_error e
JOIN measurement m ON m.id = e.measurement_id
JOIN posyandu p ON p.id = m.posyandu_id
WHERE m.measured_on >= '2024-08-01' AND m.measured_on < '2024-09-01' AND e.kind = :kind
GROUP BY p.code
"""


@pytest.fixture(scope="module")
def demo_engine(demo_city_url: str) -> Iterator[Engine]:
    engine = create_engine(demo_city_url)
    yield engine
    engine.dispose()


def _planted_per_posyandu(engine: Engine, kind: str) -> dict[str, int]:
    with engine.connect() as connection:
        found = connection.execute(text(PLANTED_PER_POSYANDU), {"kind": kind})
        return {str(code): int(count) for code, count in found}


def _rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def _table_line(output: str, name: str) -> list[str]:
    """The cells of the first table row that names ``name``."""
    line = next(row for row in output.splitlines() if f"│ {name} " in row)
    return [cell.strip() for cell in line.split("│")[1:-1]]


@pytest.mark.slow
def test_the_city_summary_and_the_smart_table_are_in_indonesian(
    run_cli: RunCli, demo_city: str
) -> None:
    result = run_cli("report", "quality", "--period", "2024-08")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Mutu data, 2024-08: Kota Cilegon" in out
    assert "Balita diukur (D): 31.221" in out
    assert "Stunting di register: 2,62% (818 dari 31.221)" in out
    assert "Uji kewajaran SMART (dengan skor)" in out
    criteria = [
        "WHZ bertanda (SMART)",
        "Rasio jenis kelamin",
        "Rasio umur 6-29 : 30-59 bulan",
        "Preferensi digit, berat badan",
        "Preferensi digit, panjang/tinggi badan",
        "Preferensi digit, LiLA",
        "SD WHZ",
        "Kemencengan WHZ",
        "Kurtosis WHZ",
        "Pengelompokan gizi kurang (uji Poisson)",
    ]
    points = [int(_table_line(out, name)[-1]) for name in criteria]
    # The total printed is the sum of the ten criteria's points.
    assert f"Skor SMART: Skor {sum(points)} dari 105" in out
    # 51.5 % boys among 28,000 children (docs/demo-city.md): p < 0.001, problematic.
    assert _table_line(out, "Rasio jenis kelamin")[1:] == ["< 0,001", "0,1", "Bermasalah", "10"]


@pytest.mark.slow
def test_coverage_and_the_survey_figure_are_shown_when_entered(
    run_cli: RunCli, demo_city: str
) -> None:
    # The demo city enters targets S for every year and SKI 2023 for the city.
    result = run_cli("report", "quality", "--period", "2023-08")
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Cakupan D/S: " in out
    assert "balita sasaran" in out
    assert "Stunting di register: 2,92% (944 dari 32.312); SKI 2023: 22,0%" in out
    # Gap = 22.0 - 944 / 32312 * 100 = 22.0 - 2.9215 = 19.08 points.
    assert "(selisih +19,1 poin persentase)" in out


@pytest.mark.slow
def test_posyandu_csv_counts_the_planted_errors_of_each_posyandu(
    run_cli: RunCli, demo_city: str, demo_engine: Engine
) -> None:
    result = run_cli(
        "report", "quality", "--period", "2024-08", "--by", "posyandu", "--format", "csv"
    )
    assert result.exit_code == 0, result.stderr
    rows = _rows(result.stdout)
    city, posyandu = rows[0], rows[1:]
    assert (city["kode"], city["tingkat"], city["status"]) == ("36.72", "kota", "scored")
    assert (city["stunting_register"], city["diukur_tb_valid"]) == ("818", "31221")
    assert len(posyandu) == 362
    assert sorted(int(row["peringkat"]) for row in posyandu) == list(range(1, 363))
    wrong = _planted_per_posyandu(demo_engine, "wrong_position")
    grams = _planted_per_posyandu(demo_engine, "weight_in_grams")
    for row in posyandu:
        assert int(row["salah_posisi"]) == wrong.get(row["kode"], 0), row["kode"]
        assert int(row["salah_satuan"]) == grams.get(row["kode"], 0), row["kode"]
    assert sum(int(row["balita_diukur"]) for row in posyandu) == 31_221


@pytest.mark.slow
def test_kecamatan_are_ranked_and_the_lowest_explained(run_cli: RunCli, demo_city: str) -> None:
    result = run_cli(
        "report", "quality", "--period", "2024-08", "--by", "kecamatan", "--worst", "2"
    )
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Peringkat mutu data (kecamatan)" in out
    for name in ("Cibeber", "Cilegon", "Pulomerak", "Ciwandan", "Jombang", "Grogol"):
        assert f" {name} " in out
    assert "peringkat terbawah (kecamatan) dan alasannya:" in out
    assert "\n8. " in out  # the lowest of the eight comes first


@pytest.mark.slow
def test_a_lower_minimum_scores_more_posyandu(
    run_cli: RunCli, demo_city: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def too_few() -> int:
        result = run_cli(
            "report", "quality", "--period", "2024-08", "--by", "posyandu", "--format", "csv"
        )
        assert result.exit_code == 0, result.stderr
        return sum(row["status"] == "too_few" for row in _rows(result.stdout)[1:])

    default = too_few()
    monkeypatch.setenv("TUMBUH_DQ_MIN_CHILDREN", "50")
    assert too_few() < default


def test_a_period_that_is_not_a_month_is_refused(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", f"sqlite:///{tmp_path}/kosong.sqlite")
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    result = run_cli("report", "quality", "--period", "2024-S2")
    assert result.exit_code == 1
    assert "--period: '2024-S2' bukan bulan; tulis sebagai TTTT-BB" in " ".join(
        result.stderr.split()
    )


def test_a_bad_threshold_names_its_variable(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", f"sqlite:///{tmp_path}/kosong.sqlite")
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    monkeypatch.setenv("TUMBUH_DQ_COVERAGE_TARGET", "80")
    result = run_cli("report", "quality", "--period", "2024-08")
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "TUMBUH_DQ_COVERAGE_TARGET" in message
    assert "'80'" in message
    assert "0,9" in message or "0.9" in message
