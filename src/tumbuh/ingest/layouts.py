"""The two e-PPGBM layouts (docs/domain.md §2): which header holds which field.

Layout A is the classic per-measurement export ("hasil pengukuran"); layout B the newer
register. Both name the same fields differently. Headers are compared after
:func:`tumbuh.ingest.tabular.normalise_header` (case, spacing and punctuation ignored), so
``Tgl. Lahir``, ``TGL LAHIR`` and ``Tgl Lahir`` are one header. Unknown columns are kept
in the report's copy of the file but otherwise ignored; a title block above the header
row is skipped.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from tumbuh.ingest.tabular import Row, header_row, normalise_header


class Field(StrEnum):
    """What a column of an e-PPGBM file holds (English, as in the database)."""

    NIK = "nik"
    NAME = "name"
    SEX = "sex"
    BIRTH_DATE = "birth_date"
    BIRTH_WEIGHT = "birth_weight_kg"
    BIRTH_LENGTH = "birth_length_cm"
    PARENT_NAME = "parent_name"
    PROVINCE = "province"
    CITY = "city"
    KECAMATAN = "kecamatan"
    PUSKESMAS = "puskesmas"
    KELURAHAN = "kelurahan"
    POSYANDU = "posyandu"
    RT = "rt"
    RW = "rw"
    ADDRESS = "address"
    AGE_TEXT = "age_text"
    MEASURED_ON = "measured_on"
    WEIGHT = "weight_kg"
    HEIGHT = "height_cm"
    POSITION = "position"
    MUAC = "muac_cm"
    OEDEMA = "oedema"
    EPPGBM_WAZ_CATEGORY = "eppgbm_waz_category"
    EPPGBM_WAZ = "eppgbm_waz"
    EPPGBM_HAZ_CATEGORY = "eppgbm_haz_category"
    EPPGBM_HAZ = "eppgbm_haz"
    EPPGBM_WHZ_CATEGORY = "eppgbm_whz_category"
    EPPGBM_WHZ = "eppgbm_whz"
    WEIGHT_TREND = "weight_trend"
    PMT_KG = "pmt_kg"
    VITAMIN_A = "vitamin_a_count"
    KPSP = "kpsp"
    KIA = "has_buku_kia"
    NOMOR_KK = "nomor_kk"
    BIRTH_ORDER = "birth_order"
    PARENT_NIK = "parent_nik"
    PARENT_PHONE = "parent_phone"
    GESTATIONAL_WEEKS = "gestational_age_weeks"
    BIRTH_HEAD_CIRCUMFERENCE = "birth_head_circumference_cm"
    IMD = "imd"


class Layout(StrEnum):
    """Which e-PPGBM layout a file follows."""

    A = "A"  # classic "hasil pengukuran" export
    B = "B"  # newer register layout


# Headers as e-PPGBM writes them: layout A, then layout B, then spellings seen in
# hand-made files. Each maps to one field.
HEADERS: dict[Field, tuple[str, ...]] = {
    Field.NIK: ("NIK", "NIK Anak"),
    Field.NAME: ("Nama", "Nama Anak", "Nama Balita"),
    Field.SEX: ("JK", "Jenis Kelamin", "L/P"),
    Field.BIRTH_DATE: ("Tgl Lahir", "Tanggal Lahir"),
    Field.BIRTH_WEIGHT: ("BB Lahir", "Berat Lahir - Sasaran (kg)", "Berat Lahir"),
    Field.BIRTH_LENGTH: ("TB Lahir", "Panjang Lahir - Sasaran (cm)", "PB Lahir"),
    Field.PARENT_NAME: ("Nama Ortu", "Nama Orang Tua (Ibu/Ayah)", "Nama Ibu", "Nama Orang Tua"),
    Field.PROVINCE: ("Prov", "Provinsi"),
    Field.CITY: ("Kab/Kota", "Kabupaten/Kota", "Kota"),
    Field.KECAMATAN: ("Kec", "Kecamatan"),
    Field.PUSKESMAS: ("Pukesmas", "Puskesmas"),
    Field.KELURAHAN: ("Desa/Kel", "Kelurahan", "Desa", "Kel", "Kelurahan/Desa"),
    Field.POSYANDU: ("Posyandu",),
    Field.RT: ("RT",),
    Field.RW: ("RW",),
    Field.ADDRESS: ("Alamat",),
    Field.AGE_TEXT: ("Usia Saat Ukur",),
    Field.MEASURED_ON: ("Tanggal Pengukuran", "Tgl Pengukuran", "Tgl Ukur", "Tanggal Ukur"),
    Field.WEIGHT: ("Berat", "Berat (kg)", "BB", "BB (kg)"),
    Field.HEIGHT: ("Tinggi", "Tinggi (cm)", "TB", "PB/TB", "TB (cm)"),
    Field.POSITION: ("Cara Ukur",),
    Field.MUAC: ("LiLA", "LiLA (cm)"),
    Field.OEDEMA: ("Edema", "Oedema", "Bengkak", "Edema Bilateral", "Bengkak Kedua Kaki"),
    Field.EPPGBM_WAZ_CATEGORY: ("BB/U",),
    Field.EPPGBM_WAZ: ("ZS BB/U",),
    Field.EPPGBM_HAZ_CATEGORY: ("TB/U",),
    Field.EPPGBM_HAZ: ("ZS TB/U",),
    Field.EPPGBM_WHZ_CATEGORY: ("BB/TB",),
    Field.EPPGBM_WHZ: ("ZS BB/TB",),
    Field.WEIGHT_TREND: ("Naik Berat Badan",),
    Field.PMT_KG: ("PMT Diterima (kg)",),
    Field.VITAMIN_A: ("Jml Vit A",),
    Field.KPSP: ("KPSP",),
    Field.KIA: ("KIA",),
    Field.NOMOR_KK: ("Nomor KK", "No KK"),
    Field.BIRTH_ORDER: ("Anak Ke",),
    Field.PARENT_NIK: ("NIK Orang Tua", "NIK Ortu", "NIK Ibu"),
    Field.PARENT_PHONE: ("No HP Orang Tua", "No HP"),
    Field.GESTATIONAL_WEEKS: ("Usia Kehamilan (minggu)",),
    Field.BIRTH_HEAD_CIRCUMFERENCE: ("Lingkar Kepala Lahir (cm)",),
    Field.IMD: ("IMD",),
}
HEADER_KEYS: dict[str, Field] = {
    normalise_header(header): field for field, headers in HEADERS.items() for header in headers
}
# Without these a row cannot be written: who, when, where, and at least one measurement.
REQUIRED: tuple[Field, ...] = (
    Field.NAME,
    Field.SEX,
    Field.BIRTH_DATE,
    Field.MEASURED_ON,
    Field.KELURAHAN,
    Field.POSYANDU,
)
MEASUREMENTS: tuple[Field, ...] = (Field.WEIGHT, Field.HEIGHT)
# Headers only layout B has, to tell the layouts apart.
_LAYOUT_B_KEYS = {normalise_header(h) for h in ("Nama Anak", "Jenis Kelamin", "Tanggal Lahir")}
# A header row must name at least this many known columns (a title line never does).
MIN_KNOWN_HEADERS = 4


# Layout B's own header for a field, where it differs from layout A's (for messages).
_LAYOUT_B_HEADERS = {
    Field.NAME: "Nama Anak",
    Field.SEX: "Jenis Kelamin",
    Field.BIRTH_DATE: "Tanggal Lahir",
    Field.PARENT_NAME: "Nama Orang Tua (Ibu/Ayah)",
    Field.KECAMATAN: "Kecamatan",
    Field.KELURAHAN: "Kelurahan",
    Field.WEIGHT: "Berat (kg)",
    Field.HEIGHT: "Tinggi (cm)",
    Field.MUAC: "LiLA (cm)",
    Field.BIRTH_WEIGHT: "Berat Lahir - Sasaran (kg)",
    Field.BIRTH_LENGTH: "Panjang Lahir - Sasaran (cm)",
}


def default_header(name: Field, layout: "Layout") -> str:
    """The header e-PPGBM writes for ``name`` in ``layout`` (for messages about it)."""
    if layout is Layout.B and name in _LAYOUT_B_HEADERS:
        return _LAYOUT_B_HEADERS[name]
    return HEADERS[name][0]


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header row is and which column (0-based) holds each field."""

    row_index: int
    columns: dict[Field, int]
    labels: dict[Field, str]  # the header as the file wrote it, for messages
    layout: Layout
    duplicates: tuple[str, ...]  # headers naming a field already found (ignored)


def match_header(rows: Sequence[Row]) -> HeaderMatch | None:
    """Find the header row among the first rows and map its columns to fields."""
    index = header_row(rows, HEADER_KEYS, minimum=MIN_KNOWN_HEADERS)
    if index is None:
        return None
    columns: dict[Field, int] = {}
    labels: dict[Field, str] = {}
    duplicates: list[str] = []
    keys = set()
    for position, cell in enumerate(rows[index]):
        if cell is None:
            continue
        key = normalise_header(cell)
        keys.add(key)
        found = HEADER_KEYS.get(key)
        if found is None:
            continue
        if found in columns:
            duplicates.append(str(cell).strip())
            continue
        columns[found] = position
        labels[found] = str(cell).strip()
    layout = Layout.B if len(keys & _LAYOUT_B_KEYS) >= 2 else Layout.A
    return HeaderMatch(index, columns, labels, layout, tuple(duplicates))
