"""check_files across formats, layouts and files: same rows, same lines, typed batch."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.unit.ingest.builders import (
    GOOD_A,
    GOOD_B,
    LAYOUT_A,
    LAYOUT_B,
    grid,
    row_of,
    write_csv,
    write_html_xls,
    write_xls,
    write_xlsx,
)
from tests.unit.ingest.wilayah import cilegon_regions
from tumbuh.growth.enums import Indicator, Position, Sex
from tumbuh.ingest import check_files
from tumbuh.ingest.layouts import Layout
from tumbuh.ingest.tabular import FileFormat

TODAY = date(2024, 9, 1)
GRAMS = "10945 kg tidak masuk akal pada umur 24 bulan (wajar: 5,2 sampai 21,4 kg); mungkin tertulis dalam gram: tulis 10,945"  # noqa: E501
ROWS_A = [
    row_of(LAYOUT_A, GOOD_A),
    row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Dewi Lestari", Berat="10945"),
]


def _csv_semicolon(path: Path, cells: list) -> Path:  # type: ignore[type-arg]
    return write_csv(path.with_suffix(".csv"), cells, delimiter=";", encoding="cp1252")


def _csv_bom(path: Path, cells: list) -> Path:  # type: ignore[type-arg]
    return write_csv(path.with_suffix(".csv"), cells, encoding="utf-8-sig")


def _html(path: Path, cells: list) -> Path:  # type: ignore[type-arg]
    return write_html_xls(path.with_suffix(".xls"), [["Daftar Riwayat PMT"], *cells[3:]])


WRITERS: dict[str, tuple[Callable[[Path, list], Path], FileFormat, int]] = {  # type: ignore[type-arg]
    "xlsx": (lambda p, c: write_xlsx(p.with_suffix(".xlsx"), c), FileFormat.XLSX, 5),
    "xls": (lambda p, c: write_xls(p.with_suffix(".xls"), c), FileFormat.XLS, 5),
    "html-xls": (_html, FileFormat.HTML, 3),
    "csv-semicolon-cp1252": (_csv_semicolon, FileFormat.CSV, 5),
    "csv-comma-bom": (_csv_bom, FileFormat.CSV, 5),
}


@pytest.mark.parametrize("kind", list(WRITERS))
def test_every_format_gives_the_same_rows_and_lines(tmp_path: Path, kind: str) -> None:
    writer, file_format, first_row = WRITERS[kind]
    path = writer(tmp_path / "hasil", grid(LAYOUT_A, ROWS_A))
    batch, report = check_files([path], cilegon_regions(), today=TODAY)
    assert batch.files[0].format is file_format
    assert batch.files[0].layout is Layout.A
    assert [line.cells() for line in report.lines] == [
        (path.name, first_row + 1, "Berat", "10945", "error", GRAMS)
    ]
    [row] = batch.rows
    assert (row.row, row.nik, row.name, row.sex) == (
        first_row,
        "3672015708220001",
        "Siti Aminah",
        Sex.FEMALE,
    )
    assert (row.birth_date, row.measured_on, row.age_days) == (
        date(2022, 8, 17),
        date(2024, 8, 17),
        731,
    )
    assert (row.weight_kg, row.height_cm, row.position, row.muac_cm) == (
        10.9,
        84.5,
        Position.HEIGHT,
        14.5,
    )
    assert (row.kecamatan_code, row.kelurahan_code, row.posyandu) == (
        "36.72.01",
        "36.72.01.1004",
        "Melati 1",
    )


def test_layout_b_is_read_with_its_own_headers(tmp_path: Path) -> None:
    rows = [
        row_of(LAYOUT_B, GOOD_B),
        row_of(LAYOUT_B, GOOD_B, NIK=None, **{"Nama_Anak": "Rudi", "Berat_(kg)": "10.2 it"}),
    ]
    path = write_xlsx(tmp_path / "register.xlsx", grid(LAYOUT_B, rows, title=False))
    batch, report = check_files([path], cilegon_regions(), today=TODAY)
    assert batch.files[0].layout is Layout.B
    assert [line.cells() for line in report.lines] == [
        (
            "register.xlsx",
            3,
            "Berat (kg)",
            "10.2 it",
            "error",
            "'10.2 it' berisi teks setelah angka; tulis angkanya saja, mungkin 10,2",
        )
    ]
    [row] = batch.rows
    assert (row.name, row.sex, row.birth_date, row.measured_on) == (
        "Budi Santoso",
        Sex.MALE,
        date(2023, 3, 12),
        date(2024, 8, 12),
    )
    assert (row.kecamatan_code, row.kelurahan_code, row.position) == (
        "36.72.06",
        "36.72.06.1004",
        Position.LENGTH,
    )
    assert (row.birth_weight_kg, row.birth_length_cm, row.vitamin_a_count) == (3.2, 50.0, 2)


def test_missing_columns_block_every_row_and_name_the_header(tmp_path: Path) -> None:
    header = [h for h in LAYOUT_B if h not in {"Posyandu", "Berat (kg)", "Tinggi (cm)"}]
    row = [GOOD_B[h] for h in header]
    path = write_xlsx(tmp_path / "b.xlsx", grid(header, [row], title=False))
    batch, report = check_files([path], cilegon_regions(), today=TODAY)
    assert [line.cells() for line in report.lines] == [
        (
            "b.xlsx",
            1,
            "",
            "",
            "error",
            "kolom Posyandu tidak ada; tambahkan kolom dengan judul ini",
        ),
        (
            "b.xlsx",
            1,
            "",
            "",
            "error",
            "berkas tidak memiliki kolom Berat (kg) maupun Tinggi (cm); tambahkan paling sedikit satu",  # noqa: E501
        ),
    ]
    assert batch.rows == ()
    assert report.rows_valid == 0


def test_a_file_without_a_recognisable_header_is_one_error(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "lain.xlsx", [["Nomor", "Barang", "Harga"], ["1", "Beras", "5"]])
    batch, report = check_files([path], cilegon_regions(), today=TODAY)
    assert [line.cells()[:5] for line in report.lines] == [("lain.xlsx", None, "", "", "error")]
    assert report.lines[0].message().startswith("baris judul kolom tidak ditemukan")
    assert batch.rows == ()


def test_an_unreadable_file_is_reported_and_the_others_still_checked(tmp_path: Path) -> None:
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    good = write_xlsx(tmp_path / "baik.xlsx", grid(LAYOUT_A, ROWS_A[:1]))
    batch, report = check_files([broken, good], cilegon_regions(), today=TODAY)
    [line] = report.lines
    assert (line.file, line.row, line.severity.value) == ("rusak.xlsx", None, "error")
    assert line.message().startswith("rusak.xlsx: tidak dapat dibaca sebagai spreadsheet")
    assert [r.source.path.name for r in batch.rows] == ["baik.xlsx"]


def test_a_repeated_header_is_read_once_with_a_warning(tmp_path: Path) -> None:
    header = [*LAYOUT_A, "Berat"]
    row = [*row_of(LAYOUT_A, GOOD_A), "99"]
    path = write_xlsx(tmp_path / "dup.xlsx", grid(header, [row], title=False))
    batch, report = check_files([path], cilegon_regions(), today=TODAY)
    assert [line.cells() for line in report.lines] == [
        (
            "dup.xlsx",
            1,
            "",
            "Berat",
            "peringatan",
            "kolom Berat muncul lebih dari sekali; hanya kolom pertama yang dibaca",
        )
    ]
    assert batch.rows[0].weight_kg == 10.9


def test_the_same_child_in_two_files_with_other_values_blocks_both(tmp_path: Path) -> None:
    first = write_xlsx(tmp_path / "agustus.xlsx", grid(LAYOUT_A, ROWS_A[:1]))
    again = row_of(LAYOUT_A, GOOD_A, Berat="11,4")
    second = write_csv(tmp_path / "susulan.csv", grid(LAYOUT_A, [again], title=False))
    batch, report = check_files([first, second], cilegon_regions(), today=TODAY)
    conflict = "anak dan tanggal pengukuran sama dengan baris {} di {}, tetapi nilainya berbeda (Berat); simpan baris yang benar dan hapus yang lain"  # noqa: E501
    assert [line.cells() for line in report.lines] == [
        ("agustus.xlsx", 5, "", "", "error", conflict.format(2, "susulan.csv")),
        ("susulan.csv", 2, "", "", "error", conflict.format(5, "agustus.xlsx")),
    ]
    assert batch.rows == ()


def test_new_posyandu_are_listed_once_and_known_ones_silently(tmp_path: Path) -> None:
    rows = [
        row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Ani", Posyandu="Posy. Melati 01"),
        row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Ina", Posyandu="Anggrek"),
        row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Ika", Posyandu="ANGGREK"),
    ]
    path = write_xlsx(tmp_path / "p.xlsx", grid(LAYOUT_A, rows, title=False))
    known = {"36.72.01.1004": ["Melati 1"]}
    batch, report = check_files([path], cilegon_regions(), today=TODAY, known_posyandu=known)
    assert [line.cells() for line in report.lines] == [
        (
            "p.xlsx",
            3,
            "Posyandu",
            "Anggrek",
            "peringatan",
            "posyandu 'Anggrek' belum terdaftar di kelurahan Cikerai; posyandu ini akan dibuat",
        )
    ]
    assert [(p.name, p.key, p.known) for p in batch.posyandu] == [
        ("Posy. Melati 01", "melati1", True),
        ("Anggrek", "anggrek", False),
    ]


def test_region_spellings_read_loosely_are_listed_for_the_summary(tmp_path: Path) -> None:
    rows = [row_of(LAYOUT_A, GOOD_A, Kec="Cibeberr", **{"Desa/Kel": "Cikerasi"})]
    path = write_xlsx(tmp_path / "r.xlsx", grid(LAYOUT_A, rows))
    bare = cilegon_regions(alternatives=False)
    batch, report = check_files([path], bare, today=TODAY)
    assert report.lines == ()
    assert report.region_spellings == {
        ("kecamatan", "Cibeberr"): "Cibeber",
        ("kelurahan", "Cikerasi"): "Cikerai",
    }
    assert batch.rows[0].kelurahan_code == "36.72.01.1004"


def test_eppgbm_z_scores_are_compared_with_tumbuhs(tmp_path: Path) -> None:
    # Tumbuh for GOOD_A: WAZ -0.42, HAZ -0.38, WHZ -0.38 (the file agrees on all three).
    rows = [
        row_of(LAYOUT_A, GOOD_A),
        row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Nia", **{"ZS_BB/U": "-0,62"}),
        row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Ria", **{"ZS_BB/U": "999.99"}),
    ]
    path = write_xlsx(tmp_path / "z.xlsx", grid(LAYOUT_A, rows))
    batch, report = check_files([path], cilegon_regions(), today=TODAY)
    waz = next(c for c in report.comparisons if c.indicator is Indicator.WAZ)
    assert (waz.compared, waz.differing, waz.category_disagreements, waz.eppgbm_missing) == (
        2,
        1,
        0,
        1,
    )
    assert waz.max_difference == pytest.approx(0.2)
    assert waz.mean_difference == pytest.approx(-0.1)
    assert batch.rows[0].eppgbm_zscores == {
        Indicator.WAZ: -0.42,
        Indicator.HAZ: -0.38,
        Indicator.WHZ: -0.38,
    }
    assert batch.rows[0].zscores[Indicator.HAZ] == -0.38
    assert report.lines == ()


def test_the_batch_records_where_each_file_came_from(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", grid(LAYOUT_A, ROWS_A))
    batch, _ = check_files([path], cilegon_regions(), today=TODAY)
    [source] = batch.files
    assert (source.sheet, source.header_row, source.rows_read) == ("Sheet1", 4, 2)
    assert source.sha256 is not None
    assert len(source.sha256) == 64
    again, _ = check_files([path], cilegon_regions(), today=TODAY)
    assert again.files[0].sha256 == source.sha256  # same bytes, same fingerprint
