"""``tumbuh prevalence``: anthro's table out, a summary, and errors that say what to fix."""

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tests.cli.conftest import RunCli

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "anthro"
DESIGN_OPTIONS = ["--weights", "sw", "--strata", "strata", "--cluster", "cluster"]
GROUPING_OPTIONS = [
    f"--{name}" if i % 2 == 0 else name
    for name in ("typeres", "gregion", "wealthq", "mothered", "othergr")
    for i in range(2)
]


def assert_table_equals_reference(written: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(written.columns) == list(expected.columns)
    ours = written.set_index("Group").loc[expected["Group"]]
    theirs = expected.set_index("Group")
    numeric = [c for c in theirs.columns if c not in ("Years", "Months")]
    np.testing.assert_allclose(
        ours[numeric].to_numpy(float), theirs[numeric].to_numpy(float), atol=1e-6, rtol=0
    )


def test_design_file_gives_anthros_table_and_a_summary(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "prevalensi.csv"
    source = REFERENCE / "anthro-prevalence-public-design-input.csv"
    result = run_cli("prevalence", str(source), "-o", str(out), *DESIGN_OPTIONS, *GROUPING_OPTIONS)
    assert result.exit_code == 0, result.stderr
    expected = pd.read_csv(REFERENCE / "anthro-prevalence-public-design.csv")
    assert_table_equals_reference(pd.read_csv(out), expected)
    assert "Ringkasan" in result.stdout
    assert "Baris dalam analisis" in result.stdout
    assert "16.767" in result.stdout  # rows used, Indonesian thousands separator
    assert "Baris di luar rentang umur" in result.stdout
    assert "desain klaster berstrata" in result.stdout
    assert "Stunting (TB/U < -2 SD)" in result.stdout


def test_simple_file_and_anthroplus_file(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "simple.csv"
    source = REFERENCE / "anthro-prevalence-public-input.csv"
    assert run_cli("prevalence", str(source), "-o", str(out)).exit_code == 0
    assert_table_equals_reference(
        pd.read_csv(out), pd.read_csv(REFERENCE / "anthro-prevalence-public.csv")
    )
    plus = tmp_path / "plus.csv"
    source = REFERENCE / "anthroplus-zscores-public.csv"
    result = run_cli("prevalence", str(source), "-o", str(plus), "--standard", "who2007")
    assert result.exit_code == 0, result.stderr
    expected = pd.read_csv(REFERENCE / "anthroplus-prevalence-public.csv", dtype={"Years": str})
    written = pd.read_csv(plus, dtype={"Years": str})
    assert_table_equals_reference(written, expected)
    assert written["Years"].tolist() == expected["Years"].tolist()
    assert "Gizi kurang (IMT/U < -2 SD)" in result.stdout


def small_file(path: Path, weights: str = "1000") -> None:
    path.write_text(
        "sex,age,weight,lenhei,measure,oedema,Kecamatan,bobot\n"
        f"1,400,9,75,l,n,Cibeber,{weights}\n"
        "2,500,8,70,l,n,Cibeber,1200\n"
        "1,700,10,80,l,n,Jombang,900\n",
        encoding="utf-8",
    )


def test_by_adds_groupings_and_combinations(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "data.csv"
    small_file(source)
    out = tmp_path / "out.xlsx"
    result = run_cli(
        "prevalence", str(source), "-o", str(out), "--by", "kecamatan", "--by", "kecamatan, sex"
    )
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    groups = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Kecamatan: Cibeber" in groups
    assert "Kecamatan + sex: Cibeber.Female" in groups
    assert "Kecamatan + sex: Jombang.Male" in groups


def test_absent_column_names_the_option_and_the_columns(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "data.csv"
    small_file(source)
    result = run_cli(
        "prevalence", str(source), "-o", str(tmp_path / "o.csv"), "--cluster", "klaster"
    )
    assert result.exit_code == 1
    assert "opsi --cluster: data.csv tidak memiliki kolom 'klaster'" in result.stderr
    assert "Kecamatan" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("-5", "kolom bobot, baris 2: '-5' bernilai negatif"),
        ("seribu", "kolom bobot, baris 2: 'seribu' bukan angka"),
    ],
)
def test_bad_weights_are_refused_with_their_row(
    run_cli: RunCli, tmp_path: Path, weight: str, message: str
) -> None:
    source = tmp_path / "data.csv"
    small_file(source, weights=weight)
    result = run_cli("prevalence", str(source), "-o", str(tmp_path / "o.csv"), "--weights", "BOBOT")
    assert result.exit_code == 1
    assert message in result.stderr


def test_file_without_usable_rows_is_an_error(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "tua.csv"
    source.write_text("sex,age,weight\n1,2000,15\n2,1900,14\n", encoding="utf-8")
    result = run_cli("prevalence", str(source), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 1
    assert "tidak ada baris yang dapat dipakai" in result.stderr
    assert "di luar rentang umur: 2" in result.stderr


def test_eppgbm_export_with_dates_and_a_kelurahan_column(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "eppgbm.csv"
    source.write_text(
        "NIK,JK,Tgl Lahir,Tanggal Pengukuran,Berat,Tinggi,Cara Ukur,Kelurahan\n"
        "3672010101230001,L,01/01/2023,05/02/2024,9,75,Terlentang,Kalitimbang\n"
        "3672010101230002,P,01/01/2023,05/02/2024,8,70,Terlentang,Bulakan\n"
        "3672010101230003,L,31/02/2023,05/02/2024,9,75,Terlentang,Bulakan\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = run_cli("prevalence", str(source), "-o", str(out), "--by", "Kelurahan")
    assert result.exit_code == 0, result.stderr
    table = pd.read_csv(out).set_index("Group")
    assert table.loc["All", "HAZ_unwpop"] == 2  # the impossible birth date is left out
    assert table.loc["Kelurahan: Kalitimbang", "HAZ_unwpop"] == 1
    assert "Baris bermasalah (tanpa z-skor)" in result.stdout
