"""e-PPGBM's PMT history files: HTML saved as .xls (or a real .xls/.xlsx), both layouts,
read into plain episode records with every problem a report line in Indonesian naming the
row, the column, the value and what is accepted (docs/import-format.md §13)."""

from datetime import date
from pathlib import Path

import pytest

from tests.unit.ingest.builders import write_xls, write_xlsx
from tests.unit.ingest.pmt_builders import (
    CHILD,
    MOTHER,
    PREGNANCY,
    TODDLER,
    row,
    write_history,
)
from tests.unit.ingest.wilayah import cilegon_regions
from tumbuh.growth.enums import Indicator, Sex
from tumbuh.growth.pmt import Funding, Indication
from tumbuh.ingest.limits import FileLimitError, FileLimits
from tumbuh.ingest.pmt_history import (
    PmtHistoryFile,
    PregnancyReason,
    read_pmt_history,
)
from tumbuh.ingest.pmt_history_layout import HISTORY_HEADERS, HISTORY_KEYS, HistoryKind
from tumbuh.ingest.tabular import FileFormat, normalise_header

TODAY = date(2024, 9, 30)
GIKUR = "Daftar-Riwayat-PMT-Gikur.xls"
BUMIL = "Daftar-Riwayat-PMT-Ibu-Hamil-240926092628.xls"


def _read(path: Path, **options: object) -> PmtHistoryFile:
    return read_pmt_history(path, regions=cilegon_regions(), today=TODAY, **options)  # type: ignore[arg-type]


def _lines(result: PmtHistoryFile) -> list[tuple[object, ...]]:
    return [line.cells() for line in result.report.lines]


def test_a_toddler_history_becomes_episodes(tmp_path: Path) -> None:
    other = {"NIK": "3672011203230002", "Nama": "Budi", "JK": "L", "Sumber Anggaran": None}
    rows = [row(TODDLER, CHILD), row(TODDLER, CHILD, Siklus_PMT="Siklus 2", **other)]
    result = _read(write_history(tmp_path / GIKUR, TODDLER, rows))
    assert _lines(result) == []
    assert (result.format, result.kind, result.indication) == (
        FileFormat.HTML,
        HistoryKind.TODDLER,
        Indication.WASTED,
    )
    siti, budi = result.episodes
    assert (siti.row, siti.nik, siti.name, siti.sex, siti.birth_date) == (
        2, "3672015708220001", "Siti Aminah", Sex.FEMALE, date(2022, 8, 17)
    )  # fmt: skip
    assert (siti.kelurahan, siti.kelurahan_code, siti.posyandu) == (
        "Cikerai", "36.72.01.1004", "Melati 1"
    )  # fmt: skip
    assert (siti.started_on, siti.ended_on, siti.completed) == (date(2024, 6, 5), None, None)
    assert (siti.funding, siti.funding_text, siti.partner) == (
        Funding.DAK, "DAK Non Fisik", "TP PKK Kelurahan Cikerai"
    )  # fmt: skip
    assert (siti.cycle, siti.follow_ups) == (1, 4)
    assert (siti.start_weight_kg, siti.end_weight_kg) == (8.9, 9.6)
    assert (siti.start_height_cm, siti.end_height_cm) == (83.5, 84.1)
    assert siti.eppgbm_start == {Indicator.WAZ: -2.41, Indicator.HAZ: -0.61, Indicator.WHZ: -2.88}
    assert siti.end_categories[Indicator.WHZ] == "Gizi Baik"
    assert (siti.growth_status, siti.gain_status) == ("Naik", "N")
    assert (budi.funding, budi.funding_text, budi.cycle) == (Funding.OTHER, None, 2)


def test_a_pregnancy_history_becomes_episodes(tmp_path: Path) -> None:
    rows = [
        row(PREGNANCY, MOTHER),
        row(PREGNANCY, MOTHER, NIK="3672014107010004", Alasan_Diberi="Risiko KEK",
            Tanggal_Selesai=None, Berat_Badan_Akhir="-", Status_PMT="-"),
    ]  # fmt: skip
    result = _read(write_history(tmp_path / BUMIL, PREGNANCY, rows))
    assert _lines(result) == []
    assert (result.kind, result.indication) == (HistoryKind.PREGNANCY, Indication.PREGNANT_KEK)
    done, running = result.episodes
    assert (done.started_on, done.ended_on, done.completed) == (
        date(2024, 6, 10), date(2024, 9, 8), True
    )  # fmt: skip
    assert (done.reason, done.start_weight_kg, done.end_weight_kg) == (
        PregnancyReason.KEK, 41.5, 46.0
    )  # fmt: skip
    assert (done.result, done.kelurahan_code) == ("Sesuai", "36.72.01.1002")
    assert (running.reason, running.ended_on, running.end_weight_kg, running.completed) == (
        PregnancyReason.RISK_KEK, None, None, False
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "indication"),
    [
        ("Daftar-Riwayat-PMT-Underweight.xls", Indication.UNDERWEIGHT),
        ("Daftar Riwayat T.xls", Indication.FALTERING),
    ],
)
def test_the_file_name_says_which_pmt(tmp_path: Path, name: str, indication: Indication) -> None:
    result = _read(write_history(tmp_path / name, TODDLER, [row(TODDLER, CHILD)]))
    assert result.indication is indication
    assert result.episodes[0].indication is indication


def test_a_name_that_says_nothing_needs_the_indication_given(tmp_path: Path) -> None:
    path = write_history(tmp_path / "riwayat.xls", TODDLER, [row(TODDLER, CHILD)])
    refused = _read(path)
    assert refused.episodes == ()
    assert _lines(refused) == [
        (
            "riwayat.xls", None, "", "", "error",
            "nama berkas tidak menyebut jenis PMT-nya; beri nama seperti e-PPGBM "
            "(Daftar-Riwayat-PMT-Gikur, Daftar-Riwayat-PMT-Underweight, Daftar Riwayat T) atau "
            "pilih indikasinya saat mengimpor",
        )
    ]  # fmt: skip
    given = _read(path, indication=Indication.FALTERING)
    assert [e.indication for e in given.episodes] == [Indication.FALTERING]
    pregnant = _read(path, indication=Indication.PREGNANT_KEK)
    assert pregnant.episodes == ()
    assert "ibu hamil KEK" in str(_lines(pregnant)[0][5])


def test_real_xls_and_xlsx_files_of_the_same_table_are_read_alike(tmp_path: Path) -> None:
    cells: list[list[object]] = [["Riwayat PMT"], list(TODDLER), row(TODDLER, CHILD)]
    html = _read(write_history(tmp_path / GIKUR, TODDLER, [row(TODDLER, CHILD)]))
    for folder, writer, file_format in (
        ("xlsx", write_xlsx, FileFormat.XLSX),
        ("xls", write_xls, FileFormat.XLS),
    ):
        (tmp_path / folder).mkdir()
        read = _read(writer(tmp_path / folder / GIKUR, cells))
        assert read.format is file_format
        assert _lines(read) == []
        assert [(e.nik, e.started_on, e.end_weight_kg) for e in read.episodes] == [
            (e.nik, e.started_on, e.end_weight_kg) for e in html.episodes
        ]


def test_dirty_values_are_named_with_what_is_accepted(tmp_path: Path) -> None:
    rows = [
        row(TODDLER, CHILD, NIK="3.67202E+15", BB_Akhir="10945"),
        row(TODDLER, CHILD, NIK="3672011203230002", TB_Akhir="875", Sumber_Anggaran="Pabrikan",
            **{"ZS BB/TB Akhir": "999.99", "ZS BB/U Akhir": "abc"}),
        row(TODDLER, CHILD, NIK="3672011203230003", Tanggal_Pengukuran_Awal="31/02/2024"),
        row(TODDLER, CHILD, NIK=None, BB_Awal="83..9"),
    ]  # fmt: skip
    result = _read(write_history(tmp_path / GIKUR, TODDLER, rows))
    assert _lines(result) == [
        (GIKUR, 2, "NIK", "3.67202E+15", "error",
         "NIK tampil sebagai 3.67202E+15: spreadsheet mengubahnya menjadi angka dan digit "
         "terakhirnya hilang; ubah format kolom menjadi Teks lalu ketik ulang NIK dari KK, atau "
         "kosongkan"),
        (GIKUR, 2, "BB Akhir", "10945", "error",
         "10945 kg tidak masuk akal untuk balita; mungkin salah ketik: tulis 10,945"),
        (GIKUR, 3, "TB Akhir", "875", "error",
         "875 cm tidak masuk akal untuk balita; mungkin salah ketik: tulis 87,5"),
        (GIKUR, 3, "ZS BB/U Akhir", "abc", "peringatan", "'abc' bukan angka; nilai ini diabaikan"),
        (GIKUR, 3, "Sumber Anggaran", "Pabrikan", "peringatan",
         "'Pabrikan' bukan sumber anggaran yang dikenal Tumbuh (APBD; DAK atau BOK; BAZNAS; "
         "CSR; Bapak Asuh; APBN, Dana Desa atau swadaya dihitung sebagai lainnya); dicatat "
         "sebagai lainnya"),
        (GIKUR, 4, "Tanggal Pengukuran Awal", "31/02/2024", "error",
         "31/02/2024 bukan tanggal yang ada (tidak ada hari itu); periksa tanggal dan bulannya"),
        (GIKUR, 5, "NIK", "", "error",
         "NIK kosong; baris riwayat PMT dicocokkan dengan anaknya (atau ibunya) hanya lewat "
         "NIK; isi dari KK"),
        (GIKUR, 5, "BB Awal", "83..9", "error",
         "'83..9' memiliki dua tanda desimal; mungkin maksudnya 83,9"),
    ]  # fmt: skip
    assert [e.row for e in result.episodes] == []
    assert (result.report.rows_read, result.report.rows_valid) == (4, 0)


def test_a_mothers_weight_in_grams_and_a_wrong_end_are_errors(tmp_path: Path) -> None:
    rows = [
        row(PREGNANCY, MOTHER, Berat_Badan_Akhir="46000"),
        row(PREGNANCY, MOTHER, NIK="3672014107010004", Tanggal_Selesai="01/05/2024",
            Alasan_Diberi="Anemia", Status_PMT="Berjalan"),
    ]  # fmt: skip
    result = _read(write_history(tmp_path / BUMIL, PREGNANCY, rows))
    assert [(line[1], line[2], line[4], line[5]) for line in _lines(result)] == [
        (2, "Berat Badan Akhir", "error",
         "46000 kg tidak masuk akal untuk ibu hamil (25 sampai 200 kg); mungkin tertulis "
         "dalam gram: tulis 46"),
        (3, "Tanggal Selesai", "error",
         "akhir 01/05/2024 sebelum awal 10/06/2024; periksa kedua tanggal"),
        (3, "Alasan Diberi", "peringatan",
         "'Anemia' bukan alasan yang dipakai e-PPGBM; tulis Kurang Energi Kronis atau Risiko "
         "KEK; alasan dikosongkan"),
        (3, "Status PMT", "peringatan",
         "'Berjalan' bukan status PMT; tulis Selesai, atau - selama masih berjalan; diabaikan"),
    ]  # fmt: skip
    assert result.episodes == ()


def test_the_same_nik_and_start_twice_is_read_once_or_refused(tmp_path: Path) -> None:
    rows = [
        row(TODDLER, CHILD),
        row(TODDLER, CHILD, No="2"),  # the same episode again (another row number)
        row(TODDLER, CHILD, NIK="3672011203230002"),
        row(TODDLER, CHILD, NIK="3672011203230002", BB_Akhir="9,9", Mitra="Baznas"),
    ]  # fmt: skip
    result = _read(write_history(tmp_path / GIKUR, TODDLER, rows))
    assert [(line[1], line[4], line[5]) for line in _lines(result)] == [
        (3, "peringatan", "mengulang baris 2 persis (NIK dan awal yang sama); dibaca sekali"),
        (4, "error", "NIK dan awal sama dengan baris 5, tetapi nilainya lain (BB Akhir, "
                     "Mitra); simpan baris yang benar dan hapus yang lain"),
        (5, "error", "NIK dan awal sama dengan baris 4, tetapi nilainya lain (BB Akhir, "
                     "Mitra); simpan baris yang benar dan hapus yang lain"),
    ]  # fmt: skip
    assert [e.row for e in result.episodes] == [2]
    assert (result.report.rows_read, result.report.rows_valid) == (4, 2)  # a repeat is valid


def test_a_file_without_a_history_header_or_a_start_column_is_refused(tmp_path: Path) -> None:
    other = write_history(tmp_path / GIKUR, ["NIK", "Nama", "JK", "Tgl Lahir", "Berat"], [])
    assert _lines(_read(other))[0][4:] == (
        "error",
        "baris judul riwayat PMT tidak ditemukan di 30 baris pertama; riwayat balita e-PPGBM "
        "memuat Tanggal Pengukuran Awal, BB Awal, BB Akhir, Siklus PMT; riwayat ibu hamil "
        "memuat Tanggal Pemberian Pertama, Alasan Diberi, Berat Badan Awal, Status PMT",
    )
    header = [h for h in PREGNANCY if h != "NIK"]
    (tmp_path / "b").mkdir()
    without = _read(write_history(tmp_path / "b" / BUMIL, header, []))
    assert _lines(without) == [
        (BUMIL, 1, "", "", "error",
         "kolom NIK tidak ada; riwayat PMT ibu hamil memerlukannya; tambahkan kolom dengan "
         "judul ini"),
    ]  # fmt: skip


def test_every_history_header_names_one_field() -> None:
    spellings = [normalise_header(h) for headers in HISTORY_HEADERS.values() for h in headers]
    assert len(spellings) == len(set(spellings)) == len(HISTORY_KEYS)


# --- hostile files: the limits of the e-PPGBM import hold here too ----------------------


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = write_history(tmp_path / GIKUR, TODDLER, [row(TODDLER, CHILD)] * 50)
    with pytest.raises(FileLimitError) as raised:
        _read(path, limits=FileLimits(max_file_bytes=4096))
    assert raised.value.params["name"] == GIKUR


def test_a_file_with_too_many_rows_is_refused_before_parsing(tmp_path: Path) -> None:
    rows = [row(TODDLER, CHILD, NIK=f"36720157082{i:05d}") for i in range(60)]
    path = write_history(tmp_path / GIKUR, TODDLER, rows)
    with pytest.raises(FileLimitError):
        _read(path, limits=FileLimits(max_rows=50))


def test_a_file_nested_too_deep_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / GIKUR
    table = write_history(tmp_path / "plain.xls", TODDLER, [row(TODDLER, CHILD)]).read_text()
    path.write_text(table.replace("<body>", "<body>" + "<div>" * 5_000), encoding="utf-8")
    result = _read(path)
    assert result.episodes == ()
    assert "bersarang lebih dari 256 tingkat" in str(_lines(result)[0][5])


def test_huge_cells_are_row_errors_shown_short_or_refuse_the_file(tmp_path: Path) -> None:
    rows = [row(TODDLER, CHILD, Nama="A" * 300_000), row(TODDLER, CHILD, NIK="3672011203230002")]
    result = _read(write_history(tmp_path / GIKUR, TODDLER, rows))
    assert _lines(result) == [
        (GIKUR, 2, "Nama", "A" * 40 + "…", "error",
         "Nama berisi 300000 karakter, lebih dari 100 yang boleh dimuat sel riwayat PMT; "
         "periksa apakah berkas dan kolomnya benar"),
    ]  # fmt: skip
    assert [e.nik for e in result.episodes] == ["3672011203230002"]
    (tmp_path / "big").mkdir()
    huge = [row(TODDLER, CHILD, Alamat="B" * (11 * 1024 * 1024))]
    refused = _read(write_history(tmp_path / "big" / GIKUR, TODDLER, huge))
    assert refused.episodes == ()
    assert "teks lebih dari 10 MB" in str(_lines(refused)[0][5])


def test_a_formula_is_text_never_evaluated(tmp_path: Path) -> None:
    rows = [row(TODDLER, CHILD, Mitra='=HYPERLINK("http://x","y")', Nama="=1+1")]
    result = _read(write_history(tmp_path / GIKUR, TODDLER, rows))
    assert (result.episodes[0].partner, result.episodes[0].name) == (
        '=HYPERLINK("http://x","y")', "=1+1"
    )  # fmt: skip
