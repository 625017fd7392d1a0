"""The layout of e-PPGBM's "Sasaran PMT Ibu Hamil KEK" file (docs/pmt.md, "Importing
e-PPGBM's file of pregnant women with KEK"): which header holds which field, finding the
header row, reading the file, and the formula cells of an .xlsx.

No layout of this export is published; Tumbuh defines it here, in the words of e-PPGBM's
other PMT lists (``NIK Ibu``, ``Tanggal Mulai PMT``, ``LiLA Awal``, ``Sumber Dana``,
``Mitra``, ``Siklus``, ``Keterangan``). A file is of this kind when its header names the
start of PMT and the LiLA at the start (e-PPGBM's pregnancy history has weights, not
LiLA). Headers are compared as :func:`~tumbuh.ingest.tabular.normalise_header` makes
them; the file is opened by :class:`~tumbuh.ingest.tabular.Workbook`, which checks the
limits of :mod:`tumbuh.ingest.limits` (size, rows, zip bombs) before parsing; cells are
read as stored values, never evaluated.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from tumbuh.ingest.catin_layout import xlsx_formulas
from tumbuh.ingest.limits import FileLimits
from tumbuh.ingest.tabular import HEADER_SEARCH_ROWS, FileFormat, Row, Workbook, header_row
from tumbuh.ingest.tabular import normalise_header as key


class BumilField(StrEnum):
    """What a column of the file of pregnant women with KEK holds."""

    NIK = "nik"
    NAME = "name"
    BIRTH_DATE = "birth_date"
    KELURAHAN_CODE = "kelurahan_code"
    KELURAHAN = "kelurahan"
    POSYANDU = "posyandu"
    STARTED = "started_on"
    ENDED = "ended_on"
    START_MUAC = "start_muac_cm"
    END_MUAC = "end_muac_cm"
    DAYS = "days"  # Jumlah Hari: days fed
    FUNDING = "funding"
    PARTNER = "partner"
    CYCLE = "cycle"
    STATUS = "status"  # Keterangan


F = BumilField
# The first spelling of each is the one docs/pmt.md defines.
BUMIL_HEADERS: dict[BumilField, tuple[str, ...]] = {
    F.NIK: ("NIK Ibu", "NIK", "NIK Ibu Hamil", "NIK Sasaran"),
    F.NAME: ("Nama Ibu", "Nama", "Nama Ibu Hamil", "Nama Sasaran"),
    F.BIRTH_DATE: ("Tanggal Lahir Ibu", "Tanggal Lahir", "Tgl Lahir", "Tgl Lahir Ibu"),
    F.KELURAHAN_CODE: ("Kode Kelurahan", "Kode Desa/Kelurahan", "Kode Wilayah"),
    F.KELURAHAN: ("Kelurahan", "Desa/Kelurahan", "Desa/Kel", "Kelurahan/Desa", "Desa"),
    F.POSYANDU: ("Posyandu",),
    F.STARTED: ("Tanggal Mulai PMT", "Tgl Mulai PMT", "Tanggal Mulai", "Mulai PMT"),
    F.ENDED: ("Tanggal Selesai PMT", "Tgl Selesai PMT", "Tanggal Selesai", "Selesai PMT"),
    F.START_MUAC: ("LiLA Awal", "LiLA Awal (cm)", "Lingkar Lengan Atas Awal"),
    F.END_MUAC: ("LiLA Akhir", "LiLA Akhir (cm)", "Lingkar Lengan Atas Akhir"),
    F.DAYS: ("Jumlah Hari", "Jumlah Hari PMT", "Jumlah Hari Makan", "Lama PMT (hari)"),
    F.FUNDING: ("Sumber Dana", "Sumber Anggaran"),
    F.PARTNER: ("Mitra",),
    F.CYCLE: ("Siklus", "Siklus PMT", "Siklus Ke"),
    F.STATUS: ("Keterangan", "Status", "Status PMT", "Hasil"),
}
BUMIL_KEYS: dict[str, BumilField] = {
    key(header): field for field, headers in BUMIL_HEADERS.items() for header in headers
}
REQUIRED = (F.NIK, F.STARTED)
SIGNATURE = (F.STARTED, F.START_MUAC)  # a header with both is a file of this kind
MIN_KNOWN_HEADERS = 4  # a title line never names four of these columns


@dataclass(frozen=True)
class BumilHeader:
    """Where the header row is and which column (0-based) holds each field."""

    row_index: int
    columns: dict[BumilField, int]
    labels: dict[BumilField, str]  # as the file wrote them

    def label(self, field: BumilField) -> str:
        """The field's header as the file wrote it, else its first spelling."""
        return self.labels.get(field) or BUMIL_HEADERS[field][0]

    @property
    def is_bumil_file(self) -> bool:
        """Whether the header names the start of PMT and the LiLA at the start."""
        return all(f in self.columns for f in SIGNATURE)


def match_bumil_header(rows: Sequence[Row]) -> BumilHeader | None:
    """Find the header row among the first rows and map its columns."""
    index = header_row(rows, BUMIL_KEYS, minimum=MIN_KNOWN_HEADERS)
    if index is None:
        return None
    columns: dict[BumilField, int] = {}
    labels: dict[BumilField, str] = {}
    for position, cell in enumerate(rows[index]):
        found = BUMIL_KEYS.get(key(cell)) if cell is not None else None
        if found is not None and found not in columns:
            columns[found] = position
            labels[found] = str(cell).strip()
    return BumilHeader(index, columns, labels)


@dataclass(frozen=True)
class BumilSheet:
    """The file's format and hash, its header and rows, and the formula cells found."""

    format: FileFormat
    sha256: str
    header: BumilHeader | None  # None: no sheet names the file's columns
    rows: list[Row]
    formulas: tuple[tuple[int, int], ...]  # (row, column), both from 1, of formula cells


def read_bumil_sheet(path: Path, limits: FileLimits) -> BumilSheet:
    """Open ``path`` within ``limits`` and read its first sheet whose header is of this
    kind (in this process; give it to :func:`tumbuh.ingest.reading.read_file` to read in
    a worker with a memory limit)."""
    book = Workbook(path, limits)
    for i in range(len(book.sheet_names)):
        header = match_bumil_header(book.rows(i, HEADER_SEARCH_ROWS))
        if header is not None and header.is_bumil_file:
            formulas = xlsx_formulas(path, i) if book.format is FileFormat.XLSX else ()
            return BumilSheet(book.format, book.sha256, header, book.rows(i), formulas)
    return BumilSheet(book.format, book.sha256, None, [], ())
