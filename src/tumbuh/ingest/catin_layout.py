"""The layout of a catin list (docs/catin.md, "Importing a list"): which header holds which
field, finding the header row, reading the file, and the formula cells of an .xlsx.

No official Elsimil or KUA column list is published; Tumbuh defines one, in the words
those systems and hand-made lists use (``NIK``, ``Nama``, ``Jenis Kelamin``, ...).
Headers are compared as :func:`~tumbuh.ingest.tabular.normalise_header` makes them (case,
spaces and punctuation ignored). The file is opened by
:class:`~tumbuh.ingest.tabular.Workbook`, which checks the limits of
:mod:`tumbuh.ingest.limits` (size, rows, columns, zip bombs) before parsing; cells are
read as stored values, never evaluated.
"""

import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import lxml.etree

from tumbuh.ingest.limits import FileLimits
from tumbuh.ingest.tabular import HEADER_SEARCH_ROWS, FileFormat, Row, Workbook, header_row
from tumbuh.ingest.tabular import normalise_header as key


class CatinField(StrEnum):
    """What a column of a catin list holds."""

    NIK = "nik"
    NAME = "name"
    SEX = "sex"
    BIRTH_DATE = "birth_date"
    KELURAHAN_CODE = "kelurahan_code"
    KELURAHAN = "kelurahan"  # the name
    KECAMATAN = "kecamatan"  # the name, to tell two kelurahan of one name apart
    WEDDING = "wedding_planned_on"
    REGISTERED = "registered_on"
    SCREENED = "screened_on"
    MUAC = "muac_cm"
    HB = "hb_g_dl"
    WEIGHT = "weight_kg"
    HEIGHT = "height_cm"
    FOLLOW_UP = "follow_up"
    FOLLOW_UP_ON = "follow_up_on"


F = CatinField
# The first spelling of each is the one docs/catin.md defines and the template uses.
CATIN_HEADERS: dict[CatinField, tuple[str, ...]] = {
    F.NIK: ("NIK", "NIK Catin", "No KTP"),
    F.NAME: ("Nama", "Nama Catin", "Nama Lengkap"),
    F.SEX: ("Jenis Kelamin", "JK", "L/P"),
    F.BIRTH_DATE: ("Tanggal Lahir", "Tgl Lahir"),
    F.KELURAHAN_CODE: ("Kode Kelurahan", "Kode Desa/Kelurahan", "Kode Wilayah"),
    F.KELURAHAN: ("Kelurahan", "Desa/Kelurahan", "Desa/Kel", "Kelurahan/Desa", "Desa"),
    F.KECAMATAN: ("Kecamatan", "Kec"),
    F.WEDDING: (
        "Tanggal Rencana Nikah",
        "Tgl Rencana Nikah",
        "Rencana Tanggal Pernikahan",
        "Tanggal Rencana Pernikahan",
        "Tanggal Nikah",
    ),
    F.REGISTERED: ("Tanggal Daftar", "Tgl Daftar", "Tanggal Pendaftaran", "Tanggal Registrasi"),
    F.SCREENED: ("Tanggal Skrining", "Tgl Skrining", "Tanggal Pemeriksaan", "Tanggal Periksa"),
    F.MUAC: ("LiLA", "LiLA (cm)", "Lingkar Lengan Atas"),
    F.HB: ("Hb", "Hb (g/dL)", "Kadar Hb", "Hemoglobin"),
    F.WEIGHT: ("BB", "BB (kg)", "Berat Badan"),
    F.HEIGHT: ("TB", "TB (cm)", "Tinggi Badan"),
    F.FOLLOW_UP: ("Tindak Lanjut", "Intervensi"),
    F.FOLLOW_UP_ON: ("Tanggal Tindak Lanjut", "Tgl Tindak Lanjut"),
}
CATIN_KEYS: dict[str, CatinField] = {
    key(header): field for field, headers in CATIN_HEADERS.items() for header in headers
}
REQUIRED = (F.NAME, F.SEX, F.REGISTERED)  # and a kelurahan, by code or by name
MIN_KNOWN_HEADERS = 3  # a title line never names three catin columns


@dataclass(frozen=True)
class CatinHeader:
    """Where the header row is and which column (0-based) holds each field."""

    row_index: int
    columns: dict[CatinField, int]
    labels: dict[CatinField, str]  # as the file wrote them

    def label(self, field: CatinField) -> str:
        """The field's header as the file wrote it, else its first spelling."""
        return self.labels.get(field) or CATIN_HEADERS[field][0]


def match_catin_header(rows: list[Row]) -> CatinHeader | None:
    """Find the header row among the first rows and map its columns."""
    index = header_row(rows, CATIN_KEYS, minimum=MIN_KNOWN_HEADERS)
    if index is None:
        return None
    columns: dict[CatinField, int] = {}
    labels: dict[CatinField, str] = {}
    for position, cell in enumerate(rows[index]):
        found = CATIN_KEYS.get(key(cell)) if cell is not None else None
        if found is not None and found not in columns:
            columns[found] = position
            labels[found] = str(cell).strip()
    return CatinHeader(index, columns, labels)


@dataclass(frozen=True)
class CatinSheet:
    """The file's format and hash, its header and rows, and the formula cells found."""

    format: FileFormat
    sha256: str
    header: CatinHeader | None
    rows: list[Row]
    formulas: tuple[tuple[int, int], ...]  # (row, column), both from 1, of formula cells


def read_catin_sheet(path: Path, limits: FileLimits) -> CatinSheet:
    """Open ``path`` within ``limits`` and read its first sheet with a catin header (in
    this process; give it to :func:`tumbuh.ingest.reading.read_file` for a worker)."""
    book = Workbook(path, limits)
    for i in range(len(book.sheet_names)):
        header = match_catin_header(book.rows(i, HEADER_SEARCH_ROWS))
        if header is not None:
            formulas = xlsx_formulas(path, i) if book.format is FileFormat.XLSX else ()
            return CatinSheet(book.format, book.sha256, header, book.rows(i), formulas)
    return CatinSheet(book.format, book.sha256, None, [], ())


_CELL = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def xlsx_formulas(path: Path, sheet_index: int) -> tuple[tuple[int, int], ...]:
    """The (row, column) of each formula cell of the ``sheet_index``-th worksheet of an
    .xlsx (its ``<f>`` elements). The archive has passed the zip-bomb checks of
    :func:`~tumbuh.ingest.limits.check_archive` (the :class:`Workbook` did); the XML is
    parsed as a stream, without entities or network access."""
    with zipfile.ZipFile(path) as archive:
        sheets = sorted(
            (n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
            key=lambda n: int(re.sub(r"\D", "", n)),
        )
        if sheet_index >= len(sheets):
            return ()
        found: list[tuple[int, int]] = []
        with archive.open(sheets[sheet_index]) as stream:
            events = lxml.etree.iterparse(
                stream, events=("end",), tag=f"{_MAIN}c", resolve_entities=False, no_network=True
            )
            for _, cell in events:
                if cell.find(f"{_MAIN}f") is not None:
                    place = _CELL.match(str(cell.get("r", "")))
                    if place:
                        found.append((int(place[2]), _column_number(place[1])))
                cell.clear()
        return tuple(found)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
