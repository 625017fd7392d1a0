"""A messy layout-A export, one problem kind per row: the exact report lines, in Indonesian.

Expected texts are written out by hand from the catalog; the numbers in them are worked
from WHO's LMS rows (tests/unit/ingest/test_plausibility.py shows the arithmetic):
a girl of 731 days may weigh 5,2-21,4 kg and measure 66,4-105,1 cm (WHO flag limits);
a newborn girl may weigh 0,9-5,9 kg.
"""

from datetime import date
from pathlib import Path

import pytest

from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, grid, row_of, write_xlsx
from tests.unit.ingest.wilayah import cilegon_regions
from tumbuh.ingest import check_files
from tumbuh.ingest.report import ImportReport

TODAY = date(2024, 9, 1)
# The good row without NIK, e-PPGBM z-scores and age text, so each row shows one problem.
BASE = {**GOOD_A, "NIK": None, "Usia Saat Ukur": None, "ZS BB/U": None, "ZS TB/U": None}
BASE["ZS BB/TB"] = None
E, W = "error", "peringatan"
IGNORED = (
    "baris ini tidak berisi data anak (tanpa nama, NIK, tanggal, atau hasil ukur); baris diabaikan"
)

# (changes to BASE, expected lines: kolom, nilai, tingkat, masalah)
CASES: list[tuple[dict[str, object], list[tuple[str, str, str, str]]]] = [
    ({"NIK": "3672015708220001"}, []),
    (
        {"NIK": "3.67E+15"},
        [("NIK", "3.67E+15", E, "NIK tampil sebagai 3.67E+15: spreadsheet mengubahnya menjadi angka dan digit terakhirnya hilang; ubah format kolom menjadi Teks lalu ketik ulang NIK dari KK, atau kosongkan")],  # noqa: E501
    ),
    (
        {"NIK": 3672015708220000.0},
        [("NIK", "3672015708220000", E, "NIK tersimpan sebagai angka: Excel hanya menyimpan 15 digit, sehingga digit terakhirnya mungkin berubah menjadi 0; ubah format kolom menjadi Teks lalu ketik ulang NIK dari KK, atau kosongkan")],  # noqa: E501
    ),
    (
        {"NIK": "367201570822001"},
        [("NIK", "367201570822001", E, "NIK berisi 15 digit, bukan 16; cocokkan dengan KK, atau kosongkan")],  # noqa: E501
    ),
    (
        {"NIK": "3672015708220009", "JK": "L"},
        [("NIK", "3672015708220009", W, "NIK ini milik anak perempuan (tanggal lahir perempuan ditulis ditambah 40), tetapi JK adalah L; cocokkan keduanya dengan KK")],  # noqa: E501
    ),
    (
        {"NIK": "3672011203230003"},
        [
            ("NIK", "3672011203230003", W, "NIK memuat tanggal lahir 12/03/2023, tetapi Tgl Lahir adalah 17/08/2022; mungkin ini NIK orang tua atau tanggal lahirnya salah; cocokkan keduanya dengan KK"),  # noqa: E501
            ("NIK", "3672011203230003", W, "NIK ini milik anak laki-laki (tanggal lahir perempuan ditulis ditambah 40), tetapi JK adalah P; cocokkan keduanya dengan KK"),  # noqa: E501
        ],
    ),
    ({"Nama": None}, [("Nama", "", E, "Nama kosong; isi kolom ini")]),
    (
        {"Nama Ortu": None},
        [("NIK", "", E, "anak tidak dapat dikenali: NIK dan nama orang tua kosong; isi NIK atau Nama Ortu")],  # noqa: E501
    ),
    ({"JK": "X"}, [("JK", "X", E, "'X' bukan jenis kelamin; tulis L (laki-laki) atau P (perempuan)")]),  # noqa: E501
    (
        {"Tgl Lahir": "31/02/2023"},
        [("Tgl Lahir", "31/02/2023", E, "31/02/2023 bukan tanggal yang ada (tidak ada hari itu); periksa tanggal dan bulannya")],  # noqa: E501
    ),
    (
        {"Tanggal Pengukuran": "08/17/2024"},
        [("Tanggal Pengukuran", "08/17/2024", E, "08/17/2024 ditulis dengan bulan lebih dulu; tulis tanggal lebih dulu: 17/08/2024")],  # noqa: E501
    ),
    (
        {"Tanggal Pengukuran": "kemarin"},
        [("Tanggal Pengukuran", "kemarin", E, "'kemarin' bukan tanggal; tulis sebagai hh/bb/tttt, mis. 17/08/2024")],  # noqa: E501
    ),
    (
        {"Tgl Lahir": "12/10/2024"},
        [("Tgl Lahir", "12/10/2024", E, "diukur pada 17/08/2024, sebelum tanggal lahir 12/10/2024; periksa kedua tanggal")],  # noqa: E501
    ),
    (
        {"Tgl Lahir": "01/09/2024"},
        [("Tgl Lahir", "01/09/2024", E, "diukur pada 17/08/2024, sebelum tanggal lahir 01/09/2024; mungkin tanggal dan bulan pada tanggal lahir tertukar: 09/01/2024")],  # noqa: E501
    ),
    (
        {"Tanggal Pengukuran": "20/09/2024"},
        [("Tanggal Pengukuran", "20/09/2024", E, "diukur pada 20/09/2024, setelah hari ini (01/09/2024); periksa tanggalnya")],  # noqa: E501
    ),
    (
        {"Tanggal Pengukuran": "08/12/2024"},
        [("Tanggal Pengukuran", "08/12/2024", E, "diukur pada 08/12/2024, setelah hari ini (01/09/2024); mungkin tanggal dan bulannya tertukar: 12/08/2024")],  # noqa: E501
    ),
    (
        {"Tgl Lahir": "10/08/2019"},
        [("Tgl Lahir", "10/08/2019", E, "anak berumur 5 tahun 0 bulan saat diukur; data balita e-PPGBM mencakup umur 0 sampai 59 bulan; periksa tanggal lahir, atau keluarkan baris ini")],  # noqa: E501
    ),
    (
        {"Berat": "83..9"},
        [("Berat", "83..9", E, "'83..9' memiliki dua tanda desimal; mungkin maksudnya 83,9")],
    ),
    (
        {"Tinggi": "10.7 it"},
        [("Tinggi", "10.7 it", E, "'10.7 it' berisi teks setelah angka; tulis angkanya saja, mungkin 10,7")],  # noqa: E501
    ),
    (
        {"Berat": "999.99"},
        [("Berat", "999.99", E, "999.99 adalah angka pengganti, bukan hasil ukur; tulis hasil ukur yang sebenarnya atau kosongkan sel")],  # noqa: E501
    ),
    (
        {"Berat": "10945"},
        [("Berat", "10945", E, "10945 kg tidak masuk akal pada umur 24 bulan (wajar: 5,2 sampai 21,4 kg); mungkin tertulis dalam gram: tulis 10,945")],  # noqa: E501
    ),
    (
        {"Tinggi": "845"},
        [("Tinggi", "845", E, "845 cm tidak masuk akal pada umur 24 bulan (wajar: 66,4 sampai 105,1 cm); mungkin tertulis dalam mm: tulis 84,5")],  # noqa: E501
    ),
    (
        {"Tinggi": "0,845"},
        [("Tinggi", "0,845", E, "0,845 cm tidak masuk akal pada umur 24 bulan (wajar: 66,4 sampai 105,1 cm); mungkin tertulis dalam meter: tulis 84,5")],  # noqa: E501
    ),
    (
        {"Berat": "1,09"},
        [("Berat", "1,09", E, "1,09 kg tidak masuk akal pada umur 24 bulan (wajar: 5,2 sampai 21,4 kg); mungkin koma desimalnya salah letak: tulis 10,9")],  # noqa: E501
    ),
    (
        {"Berat": "109"},
        [("Berat", "109", E, "109 kg tidak masuk akal pada umur 24 bulan (wajar: 5,2 sampai 21,4 kg); mungkin koma desimalnya hilang: tulis 10,9")],  # noqa: E501
    ),
    (
        {"Tinggi": "300"},
        [("Tinggi", "300", E, "300 cm tidak masuk akal untuk balita mana pun (30 sampai 150 cm); periksa hasil ukur dan satuannya")],  # noqa: E501
    ),
    (
        {"Berat": "10945 g"},
        [("Berat", "10945 g", E, "nilai ditulis dalam g, padahal kolom ini dalam kg; tulis 10,945")],  # noqa: E501
    ),
    (
        {"Berat": None, "Tinggi": None},
        [("Berat", "", E, "Berat dan Tinggi sama-sama kosong; isi paling sedikit salah satunya")],
    ),
    (
        {"BB Lahir": "3200"},
        [("BB Lahir", "3200", E, "3200 kg tidak masuk akal pada umur 0 bulan (wajar: 0,9 sampai 5,9 kg); mungkin tertulis dalam gram: tulis 3,2")],  # noqa: E501
    ),
    (
        {"Kec": "Jombang", "Desa/Kel": "Kotasari"},
        [("Desa/Kel", "Kotasari", E, "kelurahan 'Kotasari' ada di kecamatan Gerogol, bukan di Jombang; perbaiki kecamatan atau kelurahannya")],  # noqa: E501
    ),
    (
        {"Kec": "Serang"},
        [("Kec", "Serang", E, "kecamatan 'Serang' tidak ada di Kota Cilegon; tulis salah satu kecamatannya")],  # noqa: E501
    ),
    (
        {"Desa/Kel": "Cikerr"},
        [("Desa/Kel", "Cikerr", E, "kelurahan 'Cikerr' tidak ada di kecamatan Cibeber; mungkin maksudnya Cikerai?")],  # noqa: E501
    ),
    (
        {"Kab/Kota": "KAB. SERANG"},
        [("Kab/Kota", "KAB. SERANG", E, "KAB. SERANG bukan Kota Cilegon; baris ini milik kabupaten/kota lain; hapus baris ini")],  # noqa: E501
    ),
    ({"Kec": "GEROGOL", "Desa/Kel": "Gerem"}, []),  # Kemendagri's own spelling
    ({"Kec": "Grogol", "Desa/Kel": "Kel. Rawa Arum"}, []),
    (
        {"Cara Ukur": "duduk"},
        [("Cara Ukur", "duduk", W, "'duduk' bukan cara ukur; tulis Terlentang atau Berdiri; baris diimpor tanpa cara ukur (WHO lalu menentukannya dari umur)")],  # noqa: E501
    ),
    (
        {"Tgl Lahir": "17/03/2024", "Berat": "7", "Tinggi": "64", "BB Lahir": None},
        [("Cara Ukur", "Berdiri", W, "diukur berdiri pada umur 5 bulan; WHO menganggap anak di bawah 9 bulan diukur terlentang; periksa cara ukur")],  # noqa: E501
    ),
    (
        # HAZ = (65 / 85.7299 - 1) / 0.03764 = -6.424 -> -6,42 (girls, day 731, L = 1)
        {"Tinggi": "65", "Berat": "7,2"},
        [("Tinggi", "65", W, "z-skor TB/U -6,42 di luar batas wajar WHO (-6 sampai 6); baris tetap diimpor tetapi tidak dihitung dalam prevalensi; periksa hasil ukur dan tanggal lahir")],  # noqa: E501
    ),
    (
        # Tumbuh: HAZ = (84.5 / 85.7299 - 1) / 0.03764 = -0.381 -> -0,38, "Normal".
        {"ZS TB/U": "-2,5"},
        [("ZS TB/U", "-2,5", W, "TB/U menurut e-PPGBM (Pendek) berbeda dengan Tumbuh (Normal, z = -0,38); Tumbuh menghitung z-skor WHO persis seperti WHO anthro")],  # noqa: E501
    ),
    ({"ZS TB/U": "999.99", "ZS BB/U": "-0,4"}, []),  # e-PPGBM's "no z-score"
    (
        {"Usia Saat Ukur": "3 Tahun - 0 Bulan - 0 Hari"},
        [("Usia Saat Ukur", "3 Tahun - 0 Bulan - 0 Hari", W, "Usia Saat Ukur menyebut 3 Tahun - 0 Bulan - 0 Hari, tetapi menurut tanggal umurnya 2 tahun 0 bulan 0 hari; periksa tanggal lahir")],  # noqa: E501
    ),
    (
        {"Nama": "Kembar", "Berat": "10,9"},
        [("", "", E, "anak dan tanggal pengukuran sama dengan baris 47 di messy.xlsx, tetapi nilainya berbeda (Berat); simpan baris yang benar dan hapus yang lain")],  # noqa: E501
    ),
    (
        {"Nama": "KEMBAR", "Berat": "11,2"},
        [("", "", E, "anak dan tanggal pengukuran sama dengan baris 46 di messy.xlsx, tetapi nilainya berbeda (Berat); simpan baris yang benar dan hapus yang lain")],  # noqa: E501
    ),
    ({"Nama": "Dua Kali"}, []),
    (
        {"Nama": "Dua Kali"},
        [("", "", W, "sama persis dengan baris 48 di messy.xlsx; hanya diimpor sekali")],
    ),
    ({"NIK": "3672014408230004", "Tgl Lahir": "04/08/2023", "Nama": "Intan"}, []),
    (
        {"NIK": "3672014408230004", "Tgl Lahir": "05/05/2022", "Nama": "Lestari"},
        [
            ("NIK", "3672014408230004", E, "NIK yang sama ada di baris 50 di messy.xlsx untuk anak lain (Tgl Lahir berbeda); setiap anak punya NIK sendiri; cocokkan dengan KK"),  # noqa: E501
            ("NIK", "3672014408230004", W, "NIK memuat tanggal lahir 04/08/2023, tetapi Tgl Lahir adalah 05/05/2022; mungkin ini NIK orang tua atau tanggal lahirnya salah; cocokkan keduanya dengan KK"),  # noqa: E501
        ],
    ),
    (
        dict.fromkeys(BASE) | {"NIK": "Dicetak oleh: admin puskesmas"},
        [("", "", W, IGNORED)],
    ),
    ({"Posyandu": None}, [("Posyandu", "", E, "Posyandu kosong; isi kolom ini")]),
    (
        {"Jml Vit A": "dua"},
        [("Jml Vit A", "dua", W, "'dua' bukan angka; nilai ini diabaikan")],
    ),
    (
        {"Naik Berat Badan": "Z"},
        [("Naik Berat Badan", "Z", W, "'Z' bukan N, T, O, atau B; nilai ini diabaikan")],
    ),
    (
        {"Nama Ortu": "- - -"},
        [("Nama Ortu", "- - -", E, "anak tidak dapat dikenali: NIK kosong dan Nama Ortu tidak berisi huruf untuk dicocokkan; isi NIK atau tulis namanya")],  # noqa: E501
    ),
    (
        {"Nama": "123"},
        [("Nama", "123", E, "anak tidak dapat dikenali: NIK kosong dan Nama tidak berisi huruf untuk dicocokkan; isi NIK atau tulis namanya")],  # noqa: E501
    ),
]  # fmt: skip
FIRST_ROW = 5  # three title rows, then the header in row 4


def _messy(folder: Path) -> Path:
    rows = []
    for i, (changes, _) in enumerate(CASES):
        name = "Putri " + chr(65 + i // 26) + chr(65 + i % 26)  # Putri AA, Putri AB, ...
        values = {"Nama": name, **{k.replace(" ", "_"): v for k, v in changes.items()}}
        rows.append(row_of(LAYOUT_A, BASE, **values))
    return write_xlsx(folder / "messy.xlsx", grid(LAYOUT_A, rows))


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ImportReport, int]:
    path = _messy(tmp_path_factory.mktemp("messy"))
    batch, report = check_files([path], cilegon_regions(), today=TODAY)
    return path, report, len(batch.rows)


def test_every_problem_gets_its_exact_line(messy: tuple[Path, ImportReport, int]) -> None:
    _, report, _ = messy
    expected = [
        ("messy.xlsx", FIRST_ROW + i, *line) for i, (_, lines) in enumerate(CASES) for line in lines
    ]
    assert [line.cells() for line in report.lines] == expected


def test_rows_with_errors_are_left_out_and_the_rest_are_ready(
    messy: tuple[Path, ImportReport, int],
) -> None:
    _, report, ready = messy
    with_errors = {i for i, (_, lines) in enumerate(CASES) if any(ln[2] == E for ln in lines)}
    ignored = sum(1 for _, lines in CASES if lines and lines[0][3] == IGNORED)
    repeated = 1  # "Dua Kali" twice: imported once
    assert report.rows_read == len(CASES) - ignored
    assert report.rows_valid == len(CASES) - ignored - len(with_errors)
    assert ready == report.rows_valid - repeated
    assert report.rows_with_errors == len(with_errors)


def test_the_same_report_reads_in_english(messy: tuple[Path, ImportReport, int]) -> None:
    from tumbuh.i18n import Language

    _, report, _ = messy
    grams = next(line for line in report.lines if line.value == "10945")
    assert grams.cells(Language.EN) == (
        "messy.xlsx",
        grams.row,
        "Berat",
        "10945",
        "error",
        "10945 kg is not plausible at 24 months (plausible: 5.2 to 21.4 kg); probably written "
        "in grams: write 10.945",
    )
