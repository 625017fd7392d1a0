"""``tumbuh zscore``: files in, anthro's columns out, a summary and clear errors."""

import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tests.cli.conftest import RunCli

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "anthro"
Z_COLUMNS = ["zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss"]


def test_reference_file_in_gives_anthros_values_out(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run_cli("zscore", str(REFERENCE / "anthro-zscores-public.csv"), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    expected = pd.read_csv(REFERENCE / "anthro-zscores-public.csv")
    written = pd.read_csv(out)
    # The file already held anthro's columns: they are replaced, not repeated.
    assert list(written.columns[: len(expected.columns)]) == list(expected.columns)
    for column in Z_COLUMNS:
        np.testing.assert_array_equal(written[column].to_numpy(), expected[column].to_numpy())
    assert "Ringkasan" in result.stdout
    assert "20.000" in result.stdout  # Indonesian thousands separator


def test_anthroplus_file_with_who2007(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    source = REFERENCE / "anthroplus-zscores-public.csv"
    result = run_cli("zscore", str(source), "-o", str(out), "--standard", "who2007")
    assert result.exit_code == 0, result.stderr
    expected = pd.read_csv(source)
    written = pd.read_csv(out)
    for column in ("zhfa", "zwfa", "zbfa", "fhfa", "fwfa", "fbfa"):
        np.testing.assert_array_equal(written[column].to_numpy(), expected[column].to_numpy())


def test_unrounded_option(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("sex,age,weight,lenhei,measure\n1,400,9,75,l\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run_cli("zscore", str(source), "-o", str(out), "--unrounded").exit_code == 0
    zwei = pd.read_csv(out)["zwei"].iloc[0]
    assert zwei != -0.87
    assert round(zwei, 2) == -0.87


def test_age_in_months_option(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("sex;age;weight\n1;13,14168377823409;9\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run_cli("zscore", str(source), "-o", str(out), "--age-in-months").exit_code == 0
    assert pd.read_csv(out)["zwei"].iloc[0] == -0.87  # 400 days (case 4 of the errors file)


def eppgbm_workbook(path: Path) -> None:
    """An e-PPGBM style export: a title block, then the classic headers."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["LAPORAN HASIL PENGUKURAN"])
    sheet.append(["Puskesmas Cibeber, Agustus 2024"])
    sheet.append([])
    sheet.append(["NIK", "Nama", "JK", "Tgl Lahir", "Tanggal Pengukuran", "Berat", "Tinggi",
                  "Cara Ukur", "LiLA"])  # fmt: skip
    # Case 4 of anthro's errors file: boy, 400 days, 9 kg, 75 cm lying.
    sheet.append(["3672010101230001", "Anak Satu", "L", "01/01/2023", "05/02/2024", 9, 75,
                  "Terlentang", None])  # fmt: skip
    sheet.append(["3672010101230002", "Anak Dua", "L", datetime.datetime(2023, 1, 1),
                  datetime.datetime(2024, 2, 5), "9,0", "75", "Terlentang", None])  # fmt: skip
    sheet.append(["3672010101230003", "Anak Tiga", "X", "31/02/2023", "05/02/2024", 9, 75,
                  "Terlentang", None])  # fmt: skip
    book.save(path)


def test_eppgbm_export_is_scored_from_its_dates(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "hasil-pengukuran.xlsx"
    eppgbm_workbook(source)
    out = tmp_path / "out.xlsx"
    result = run_cli("zscore", str(source), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:9] == ["NIK", "Nama", "JK", "Tgl Lahir", "Tanggal Pengukuran", "Berat",
                          "Tinggi", "Cara Ukur", "LiLA"]  # fmt: skip
    first, second, third = (dict(zip(header, row, strict=True)) for row in rows[1:4])
    assert first["NIK"] == "3672010101230001"  # NIK stays text
    for row in (first, second):
        assert (row["zlen"], row["zwei"], row["zwfl"]) == (-0.86, -0.87, -0.66)
        assert row["kategori_tbu"] == "Normal"
    assert third["zwei"] is None
    assert third["problem"] == (
        "kolom JK: 'X' bukan kode jenis kelamin; gunakan 1, m atau L untuk laki-laki, "
        "2, f atau P untuk perempuan; kolom Tgl Lahir: '31/02/2023' bukan tanggal; tulis "
        "sebagai hh/bb/tttt, misalnya 17/08/2024"
    )
    assert "JK: kode jenis kelamin tidak dikenal" in result.stdout
    assert "Tgl Lahir: bukan tanggal" in result.stdout


def test_measured_before_birth_is_reported(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "JK,Tgl Lahir,Tanggal Pengukuran,Berat\nP,10/08/2024,01/08/2024,3.1\n", encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    assert run_cli("zscore", str(source), "-o", str(out)).exit_code == 0
    assert pd.read_csv(out)["problem"].iloc[0] == (
        "kolom Tanggal Pengukuran: diukur pada 01/08/2024, sebelum tanggal lahir; "
        "periksa kedua tanggal"
    )


def test_missing_file_is_a_clear_error_without_traceback(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("zscore", str(tmp_path / "tidak-ada.csv"), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 1
    assert "berkas tidak ditemukan" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("suffix", [".pdf", ".json"])
def test_unsupported_output_type_is_refused(run_cli: RunCli, tmp_path: Path, suffix: str) -> None:
    source = tmp_path / "in.csv"
    source.write_text("sex,age,weight\n1,400,9\n", encoding="utf-8")
    result = run_cli("zscore", str(source), "-o", str(tmp_path / f"out{suffix}"))
    assert result.exit_code == 1
    assert "jenis berkas keluaran tidak didukung" in result.stderr


def test_eppgbm_oedema_column_reads_ya_and_tidak(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "edema.csv"
    source.write_text(
        "JK,Tgl Lahir,Tanggal Pengukuran,Berat,Tinggi,Cara Ukur,Edema\n"
        "L,01/01/2023,05/02/2024,9,75,Terlentang,Ya\n"
        "L,01/01/2023,05/02/2024,9,75,Terlentang,tidak\n"
        "L,01/01/2023,05/02/2024,9,75,Terlentang,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = run_cli("zscore", str(source), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    scored = pd.read_csv(out)
    assert scored["zwei"].isna().tolist() == [True, False, False]
    assert scored["zlen"].tolist() == [-0.86, -0.86, -0.86]
