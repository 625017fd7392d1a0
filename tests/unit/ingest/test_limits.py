"""Hostile files are refused before they are parsed, with a message naming the limit; what
gets past the checks stops at the row limit, or ends a worker process instead of us."""

import pickle
import struct
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, grid, row_of, write_xlsx
from tests.unit.ingest.hostile import (
    BOMB_MB,
    bomb_rows,
    write_bomb,
    write_declared,
    write_far_cell,
)
from tests.unit.ingest.wilayah import cilegon_regions
from tumbuh.errors import InputError
from tumbuh.i18n import Language, translations
from tumbuh.ingest import check_files
from tumbuh.ingest.limits import (
    KB,
    MB,
    MESSAGES,
    FileLimitError,
    FileLimits,
    TagCounter,
    check_archive,
)
from tumbuh.ingest.reading import read_file, read_sheet
from tumbuh.ingest.tabular import _csv_rows

WITH_WORKER = FileLimits(worker_memory_bytes=512 * MB)
DEFAULTS = FileLimits()


def indonesian(error: InputError) -> str:
    return error.translated(translations(Language.ID).gettext)


def refusal(path: Path, limits: FileLimits = DEFAULTS) -> str:
    """The Indonesian message ``path`` is refused with, read as the import reads it."""
    with pytest.raises(FileLimitError) as raised:
        read_file(path, limits)
    return indonesian(raised.value)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = write_bomb(tmp_path_factory.mktemp("bomb") / "bom.xlsx")
    assert path.stat().st_size < 2 * MB  # about a megabyte unpacking to 256 MB
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > (BOMB_MB - 1) * MB
    return path


def test_a_decompression_bomb_is_refused_by_its_zip_directory(bomb: Path) -> None:
    with pytest.raises(FileLimitError) as raised:
        check_files([bomb], cilegon_regions(), today=date(2024, 9, 1))
    assert indonesian(raised.value) == (
        "bom.xlsx: bagian xl/worksheets/sheet1.xml dari berkas ini membesar 242 kali setelah "
        "dibuka, melebihi batas 100 kali (pengaturan TUMBUH_IMPORT_MAX_RATIO); spreadsheet "
        "biasa jarang dimampatkan sepadat itu. Buka berkas di program spreadsheet, simpan "
        "ulang sebagai .xlsx lalu unggah hasilnya, atau minta admin menaikkan batasnya."
    )


def test_a_bomb_within_the_ratio_is_refused_by_its_unpacked_size(bomb: Path) -> None:
    limits = FileLimits(max_ratio=10_000, max_unpacked_bytes=100 * MB)
    assert refusal(bomb, limits) == (
        "bom.xlsx: bagian xl/worksheets/sheet1.xml dari berkas ini berukuran 256 MB setelah "
        "dibuka, melebihi batas 100 MB (pengaturan TUMBUH_IMPORT_MAX_UNPACKED_MB). Pecah "
        "berkas ini, atau minta admin menaikkan batasnya."
    )


def test_parts_together_over_the_unpacked_limit_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "tiga.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for i in range(3):
            archive.writestr(f"bagian{i}.bin", bytes(MB))
    with pytest.raises(FileLimitError) as raised:
        check_archive(path, FileLimits(max_unpacked_bytes=2 * MB))
    assert indonesian(raised.value) == (
        "tiga.xlsx: berkas ini berukuran 3 MB setelah dibuka, melebihi batas 2 MB (pengaturan "
        "TUMBUH_IMPORT_MAX_UNPACKED_MB). Pecah berkas ini, atau minta admin menaikkan batasnya."
    )


def test_a_bomb_within_the_size_limits_is_stopped_at_the_row_limit(bomb: Path) -> None:
    """Its dimension claims two rows; the rows are counted from the sheet as it streams."""
    limits = FileLimits(max_ratio=10_000)
    assert refusal(bomb, limits) == (
        f"bom.xlsx: berkas ini memuat {bomb_rows()} baris, melebihi batas 200000 baris "
        "(pengaturan TUMBUH_IMPORT_MAX_ROWS). Pecah berkas ini, misalnya satu berkas per "
        "kecamatan, atau minta admin menaikkan batasnya."
    )


def test_a_sheet_declaring_a_million_rows_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write_declared(tmp_path / "luas.xlsx", "A1:XFD1048576")
    assert refusal(path) == (
        "luas.xlsx: berkas ini memuat 1048576 baris, melebihi batas 200000 baris (pengaturan "
        "TUMBUH_IMPORT_MAX_ROWS). Pecah berkas ini, misalnya satu berkas per kecamatan, atau "
        "minta admin menaikkan batasnya."
    )


def test_a_sheet_declaring_too_many_columns_is_refused(tmp_path: Path) -> None:
    path = write_declared(tmp_path / "lebar.xlsx", "A1:ALM2")  # ALM: column 1001
    assert refusal(path) == (
        "lebar.xlsx: satu lembar kerja memuat 1001 kolom, melebihi 1000 kolom yang dibaca "
        "Tumbuh. Hapus kolom kosong di sebelah kanan tabel lalu simpan ulang berkasnya."
    )


def test_a_sheet_hiding_its_size_is_stopped_before_it_becomes_python_rows(
    tmp_path: Path,
) -> None:
    """Dimension A1:A2 and two row tags, but the second row is number 300,000."""
    path = write_far_cell(tmp_path / "jauh.xlsx", "A300000")
    assert refusal(path) == (
        "jauh.xlsx: berkas ini memuat 300000 baris, melebihi batas 200000 baris (pengaturan "
        "TUMBUH_IMPORT_MAX_ROWS). Pecah berkas ini, misalnya satu berkas per kecamatan, atau "
        "minta admin menaikkan batasnya."
    )


def test_a_file_the_parser_cannot_hold_ends_the_worker_not_the_caller(tmp_path: Path) -> None:
    """A cell at XFD1048576 makes calamine ask for one 512 GB block and abort (a Rust abort,
    not an exception): in a worker process that is a message, and we go on."""
    path = write_far_cell(tmp_path / "raksasa.xlsx", "XFD1048576")
    assert refusal(path, WITH_WORKER) == (
        "raksasa.xlsx: berkas ini tidak dapat dibaca dalam batas memori 512 MB (pengaturan "
        "TUMBUH_IMPORT_WORKER_MEMORY_MB); mungkin berkasnya rusak, atau isinya jauh lebih besar "
        "daripada ukurannya di disk. Buka berkas di program spreadsheet, simpan ulang sebagai "
        ".xlsx lalu unggah hasilnya, pecah berkasnya, atau minta admin menaikkan batasnya."
    )
    good = write_xlsx(tmp_path / "baik.xlsx", grid(LAYOUT_A, [row_of(LAYOUT_A, GOOD_A)]))
    assert read_file(good, WITH_WORKER).rows[4][1] == "Siti Aminah"


def test_an_html_table_the_worker_cannot_hold_is_a_message(tmp_path: Path) -> None:
    """libxml2 out of memory raises a parse error that cannot cross processes as it is."""
    path = tmp_path / "pmt.xls"
    path.write_text("<table>" + ("<tr>" + "<td>x</td>" * 40 + "</tr>\n") * 20_000 + "</table>")
    with pytest.raises(InputError) as raised:
        read_file(path, WITH_WORKER)
    assert raised.value.template == (
        "{name}: cannot be read as a spreadsheet ({detail}); open it in a spreadsheet "
        "program and save it again as .xlsx"
    )


def test_a_worker_reads_what_this_process_reads(tmp_path: Path) -> None:
    rows = [row_of(LAYOUT_A, GOOD_A, Nama=f"Anak {i}") for i in range(200)]
    path = write_xlsx(tmp_path / "hasil.xlsx", grid(LAYOUT_A, rows))
    here, there = read_sheet(path, FileLimits()), read_file(path, WITH_WORKER)
    assert there == here
    assert there.sheet == "Sheet1"
    assert len(there.rows) == 204


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_html_table_with_too_many_rows_is_refused(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "pmt.xls"
    rows = "".join(f"<TR><td>{i}</td>\n<td>Anak {i}</td></tr>" for i in range(1001))
    path.write_text(f"<html><body><table>{rows}</table></body></html>", encoding=encoding)
    assert refusal(path, FileLimits(max_rows=1000)) == (
        "pmt.xls: berkas ini memuat 1001 baris, melebihi batas 1000 baris (pengaturan "
        "TUMBUH_IMPORT_MAX_ROWS). Pecah berkas ini, misalnya satu berkas per kecamatan, atau "
        "minta admin menaikkan batasnya."
    )
    assert len(read_file(path, FileLimits(max_rows=1001)).rows) == 0  # no e-PPGBM header


def test_a_csv_with_too_many_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hasil.csv"
    path.write_text("NIK,Nama\r\n" + "".join(f"{i},Anak {i}\r\n" for i in range(1000)))
    assert refusal(path, FileLimits(max_rows=1000)) == (
        "hasil.csv: berkas ini memuat 1001 baris, melebihi batas 1000 baris (pengaturan "
        "TUMBUH_IMPORT_MAX_ROWS). Pecah berkas ini, misalnya satu berkas per kecamatan, atau "
        "minta admin menaikkan batasnya."
    )
    with pytest.raises(FileLimitError):  # the parse itself stops there too
        _csv_rows(path.read_text(), path.name, FileLimits(max_rows=1000))


def test_a_csv_line_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hasil.csv"
    path.write_bytes(b"NIK,Nama\r\n1,Anak\r\n2," + b"A" * (70 * KB) + b"\r\n3,Anak\r\n")
    assert refusal(path) == (
        "hasil.csv: baris 3 lebih panjang dari batas 64 KB (pengaturan "
        "TUMBUH_IMPORT_MAX_LINE_KB); baris tabel e-PPGBM jauh lebih pendek. Periksa apakah ini "
        "berkas yang benar, atau minta admin menaikkan batasnya."
    )


def test_a_line_without_an_end_is_refused_as_soon_as_it_passes_the_limit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "satu-baris.csv"
    path.write_bytes(b"A" * (3 * MB))
    assert "baris 1 lebih panjang dari batas 64 KB" in refusal(path)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "besar.csv"
    path.write_bytes(b"NIK,Nama\n" + b"1,Anak\n" * 220_000)  # 1.5 MB
    assert refusal(path, FileLimits(max_file_bytes=1 * MB)) == (
        "besar.csv: ukuran berkas 2 MB, melebihi batas 1 MB (pengaturan "
        "TUMBUH_IMPORT_MAX_FILE_MB). Pecah berkas ini, misalnya satu berkas per kecamatan, atau "
        "minta admin menaikkan batasnya."
    )


def test_a_damaged_archive_is_left_to_the_parser_to_report(tmp_path: Path) -> None:
    path = write_declared(tmp_path / "rusak.xlsx", "A1:A2")
    with zipfile.ZipFile(path) as archive:
        offset = archive.getinfo("xl/worksheets/sheet1.xml").header_offset
    data = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack("<HH", data[offset + 26 : offset + 30])
    start = offset + 30 + name_length + extra_length  # the packed sheet
    data[start + 8 : start + 40] = b"\xff" * 32
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as raised:
        read_file(path, DEFAULTS)
    assert raised.value.template == "{name}: sheet {sheet} cannot be read ({detail})"


def test_a_tag_cut_by_a_chunk_boundary_is_counted_once() -> None:
    text = b"<sheetData><row r='1'><c/></row><row>x</row><rowBreaks/><row/></sheetData>"
    for size in range(1, len(text) + 1):  # chunks of every size, even one byte
        counter = TagCounter(b"<row", (b"B",))
        for start in range(0, len(text), size):
            counter.feed(text[start : start + size])
        assert counter.finish() == 3, size


def test_every_limit_message_has_an_indonesian_translation() -> None:
    for message in MESSAGES:
        assert translations(Language.ID).gettext(message) != message


def test_an_input_error_crosses_processes_with_its_template_and_values() -> None:
    error = InputError("{name}: cannot be read ({detail})", name="data {1}.xlsx", detail="x")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.template, copy.params) == (InputError, error.template, error.params)
    assert str(copy) == "data {1}.xlsx: cannot be read (x)"


@pytest.mark.parametrize(
    "body",
    [
        "<div>" * 20_000 + "<table><tr><td>NIK</td></tr></table>" + "</div>" * 20_000,
        "<table><tr><td>NIK</td></tr><tr><td>" + "A" * (11 * MB) + "</td></tr></table>",
    ],
    ids=["nested-too-deep", "text-over-10-mb"],
)
def test_an_html_file_libxml2_would_read_only_in_part_is_refused_whole(
    tmp_path: Path, body: str
) -> None:
    """Past its limits libxml2's forgiving HTML parser stops and returns what it read so
    far (no table at all, or the rows before the long text): never take part of a file."""
    path = tmp_path / "Daftar-Riwayat-PMT-Gikur.xls"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_file(path, DEFAULTS)
    assert indonesian(raised.value) == (
        "Daftar-Riwayat-PMT-Gikur.xls: berkas HTML ini bersarang lebih dari 256 tingkat atau "
        "memuat teks lebih dari 10 MB, tidak seperti ekspor tabel mana pun, sehingga tidak "
        "dibaca sama sekali daripada terbaca sebagian; buka di program spreadsheet lalu simpan "
        "ulang sebagai .xlsx"
    )
