"""The layouts of e-PPGBM's PMT history files (docs/import-format.md §13): which header
holds which field, which kind of history a header row is, and reading the file.

e-PPGBM writes these files as HTML tables saved with an ``.xls`` extension; they are read
by :class:`~tumbuh.ingest.tabular.Workbook`, which takes the format from the content (so a
real .xls or .xlsx of the same table is read as one) and checks the limits of
:mod:`tumbuh.ingest.limits` before parsing. No official column list is published: the
headers are those seen in real exports (a toddler file has 35 columns, of which data rows
fill 34, the last being an action column of the web page), plus the spellings hand-made
copies use. Headers are compared as :func:`~tumbuh.ingest.tabular.normalise_header` makes
them (case, spaces and punctuation ignored).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from tumbuh.growth.enums import Indicator
from tumbuh.ingest.limits import FileLimits
from tumbuh.ingest.tabular import HEADER_SEARCH_ROWS, FileFormat, Row, Workbook, header_row
from tumbuh.ingest.tabular import normalise_header as key


class HistoryKind(StrEnum):
    """Whom a PMT history file is about."""

    TODDLER = "toddler"  # balita: gizi kurang, BB kurang or T
    PREGNANCY = "pregnancy"  # ibu hamil with KEK or at risk of it


class HistoryField(StrEnum):
    """What a column of a PMT history file holds."""

    NIK = "nik"
    NAME = "name"
    SEX = "sex"
    BIRTH_DATE = "birth_date"
    PARENT_NAME = "parent_name"
    PROVINCE = "province"
    CITY = "city"
    KECAMATAN = "kecamatan"
    PUSKESMAS = "puskesmas"
    KELURAHAN = "kelurahan"
    POSYANDU = "posyandu"
    ADDRESS = "address"
    MEASURED_FIRST = "measured_first"  # toddler: Tanggal Pengukuran Awal
    GIVEN_FIRST = "given_first"  # pregnancy: Tanggal Pemberian Pertama
    ENDED = "ended"  # pregnancy: Tanggal Selesai
    START_WEIGHT = "start_weight_kg"
    END_WEIGHT = "end_weight_kg"
    START_HEIGHT = "start_height_cm"
    END_HEIGHT = "end_height_cm"
    START_WAZ = "start_waz"
    START_HAZ = "start_haz"
    START_WHZ = "start_whz"
    END_WAZ = "end_waz"
    END_HAZ = "end_haz"
    END_WHZ = "end_whz"
    START_WAZ_CATEGORY = "start_waz_category"
    START_HAZ_CATEGORY = "start_haz_category"
    START_WHZ_CATEGORY = "start_whz_category"
    END_WAZ_CATEGORY = "end_waz_category"
    END_HAZ_CATEGORY = "end_haz_category"
    END_WHZ_CATEGORY = "end_whz_category"
    GROWTH_STATUS = "growth_status"
    GAIN_STATUS = "gain_status"
    FUNDING = "funding"
    PARTNER = "partner"
    CYCLE = "cycle"
    FOLLOW_UPS = "follow_ups"
    REASON = "reason"  # pregnancy: Alasan Diberi
    RESULT = "result"  # pregnancy: Hasil Pemberian MT
    STATUS = "status"  # pregnancy: Status PMT


F = HistoryField
_INDICES = (("BB/U", "waz"), ("TB/U", "haz"), ("BB/TB", "whz"))
_TIMES = (("Awal", "START"), ("Akhir", "END"))


def _zscore_headers() -> dict[HistoryField, tuple[str, ...]]:
    """``ZS BB/U Awal`` and its spellings, and the categories ``BB/U Awal``."""
    found: dict[HistoryField, tuple[str, ...]] = {}
    for label, code in _INDICES:
        for time, prefix in _TIMES:
            found[HistoryField[f"{prefix}_{code.upper()}"]] = (
                f"ZS {label} {time}",
                f"ZS {time} {label}",
                f"Z-Score {label} {time}",
            )
            found[HistoryField[f"{prefix}_{code.upper()}_CATEGORY"]] = (
                f"{label} {time}",
                f"Status {label} {time}",
                f"Kategori {label} {time}",
                f"Status Gizi {label} {time}",
            )
    return found


HISTORY_HEADERS: dict[HistoryField, tuple[str, ...]] = {
    F.NIK: ("NIK", "NIK Anak", "NIK Ibu Hamil", "NIK Sasaran"),
    F.NAME: ("Nama", "Nama Anak", "Nama Balita", "Nama Ibu Hamil", "Nama Sasaran"),
    F.SEX: ("JK", "Jenis Kelamin", "L/P"),
    F.BIRTH_DATE: ("Tgl Lahir", "Tanggal Lahir"),
    F.PARENT_NAME: ("Nama Ortu", "Nama Orang Tua", "Nama Ibu"),
    F.PROVINCE: ("Prov", "Provinsi"),
    F.CITY: ("Kab/Kota", "Kabupaten/Kota", "Kota"),
    F.KECAMATAN: ("Kec", "Kecamatan"),
    F.PUSKESMAS: ("Pukesmas", "Puskesmas"),
    F.KELURAHAN: ("Desa/Kel", "Kelurahan", "Desa", "Kel", "Kelurahan/Desa"),
    F.POSYANDU: ("Posyandu",),
    F.ADDRESS: ("Alamat",),
    F.MEASURED_FIRST: ("Tanggal Pengukuran Awal", "Tgl Pengukuran Awal", "Tgl Ukur Awal"),
    F.GIVEN_FIRST: ("Tanggal Pemberian Pertama", "Tgl Pemberian Pertama", "Tanggal Mulai"),
    F.ENDED: ("Tanggal Selesai", "Tgl Selesai"),
    F.START_WEIGHT: ("BB Awal", "BB Awal (kg)", "Berat Badan Awal", "Berat Awal"),
    F.END_WEIGHT: ("BB Akhir", "BB Akhir (kg)", "Berat Badan Akhir", "Berat Akhir"),
    F.START_HEIGHT: ("TB Awal", "TB Awal (cm)", "PB/TB Awal", "Tinggi Awal"),
    F.END_HEIGHT: ("TB Akhir", "TB Akhir (cm)", "PB/TB Akhir", "Tinggi Akhir"),
    **_zscore_headers(),
    F.GROWTH_STATUS: ("Status Pertumbuhan",),
    F.GAIN_STATUS: ("Status Kenaikan BB", "Status Kenaikan Berat Badan"),
    F.FUNDING: ("Sumber Anggaran", "Sumber Dana"),
    F.PARTNER: ("Mitra",),
    F.CYCLE: ("Siklus PMT", "Siklus", "Siklus Ke"),
    F.FOLLOW_UPS: ("Jumlah Pemantauan",),
    F.REASON: ("Alasan Diberi", "Alasan Pemberian"),
    F.RESULT: ("Hasil Pemberian MT", "Hasil Pemberian PMT"),
    F.STATUS: ("Status PMT",),
}
HISTORY_KEYS: dict[str, HistoryField] = {
    key(header): field for field, headers in HISTORY_HEADERS.items() for header in headers
}
# The e-PPGBM z-score columns, by time and WHO indicator.
ZSCORE_FIELDS: dict[str, dict[Indicator, HistoryField]] = {
    "start": {Indicator.WAZ: F.START_WAZ, Indicator.HAZ: F.START_HAZ, Indicator.WHZ: F.START_WHZ},
    "end": {Indicator.WAZ: F.END_WAZ, Indicator.HAZ: F.END_HAZ, Indicator.WHZ: F.END_WHZ},
}
CATEGORY_FIELDS: dict[str, dict[Indicator, HistoryField]] = {
    time: {indicator: HistoryField[f"{field.name}_CATEGORY"] for indicator, field in fields.items()}
    for time, fields in ZSCORE_FIELDS.items()
}
# Without these a row of that kind says nothing an episode can be built from.
REQUIRED: dict[HistoryKind, tuple[HistoryField, ...]] = {
    HistoryKind.TODDLER: (F.NIK, F.MEASURED_FIRST),
    HistoryKind.PREGNANCY: (F.NIK, F.GIVEN_FIRST),
}
# A header row names at least this many history columns (a title line never does).
MIN_KNOWN_HEADERS = 4


@dataclass(frozen=True)
class HistoryHeader:
    """Where the header row is, which column (0-based) holds each field, and the kind."""

    row_index: int
    columns: dict[HistoryField, int]
    labels: dict[HistoryField, str]  # the headers as the file wrote them
    kind: HistoryKind | None  # None: a header row, but of neither kind

    def label(self, field: HistoryField) -> str:
        """The field's header as the file wrote it, else its first spelling."""
        return self.labels.get(field) or HISTORY_HEADERS[field][0]


def match_history_header(rows: Sequence[Row]) -> HistoryHeader | None:
    """Find the header row among the first rows, map its columns, and tell the kind: a
    reason for PMT or a first giving is a pregnancy history, a first measurement (or a
    growth status) a toddler one."""
    index = header_row(rows, HISTORY_KEYS, minimum=MIN_KNOWN_HEADERS)
    if index is None:
        return None
    columns: dict[HistoryField, int] = {}
    labels: dict[HistoryField, str] = {}
    for position, cell in enumerate(rows[index]):
        found = HISTORY_KEYS.get(key(cell)) if cell is not None else None
        if found is not None and found not in columns:
            columns[found] = position
            labels[found] = str(cell).strip()
    kind = None
    if F.REASON in columns or F.GIVEN_FIRST in columns:
        kind = HistoryKind.PREGNANCY
    elif columns.keys() & {F.MEASURED_FIRST, F.GROWTH_STATUS, F.GAIN_STATUS}:
        kind = HistoryKind.TODDLER
    return HistoryHeader(index, columns, labels, kind)


@dataclass(frozen=True)
class HistorySheet:
    """The file's format and hash, and its sheet with the most history headers (no rows
    when no sheet has one)."""

    format: FileFormat
    sha256: str
    sheet: str
    header: HistoryHeader | None
    rows: list[Row]


def read_history_sheet(path: Path, limits: FileLimits) -> HistorySheet:
    """Open ``path`` within ``limits`` and read its best sheet (in this process; give it to
    :func:`tumbuh.ingest.reading.read_file` to read in a worker with a memory limit)."""
    book = Workbook(path, limits)
    best: tuple[int, int, HistoryHeader | None] = (-1, 0, None)
    for i in range(len(book.sheet_names)):
        header = match_history_header(book.rows(i, HEADER_SEARCH_ROWS))
        score = len(header.columns) if header else 0
        if score > best[0]:
            best = (score, i, header)
    _, index, header = best
    rows = book.rows(index) if header is not None else []
    sheet = book.sheet_names[index] if book.sheet_names else ""
    return HistorySheet(book.format, book.sha256, sheet, header, rows)
