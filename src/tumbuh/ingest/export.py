"""Writing measurements as e-PPGBM's classic export (layout A, "hasil pengukuran").

The header row is the first row and holds layout A's 33 headers in e-PPGBM's order.
NIK and names are text, dates real Excel dates, measurements and z-scores numbers.
Text is always a string cell, never a formula (:mod:`tumbuh.sheet_text`): a posyandu
named ``=HYPERLINK(...)`` stays that text and imports back unchanged.
A second sheet, *Keterangan*, says what the file holds.

**Masking** (the default; ``unmask=False``), as elsewhere in Tumbuh
(:mod:`tumbuh.privacy`): the NIK keeps only its first 4 digits (province and kota), the
12 after become ``*`` (``3672************``), since the row's area, birth date and sex
would give back any other digit (docs/security.md, section 4); the child's and
the parent's names become initials (``S. A.``); the street address (``Alamat``) is left
empty. Birth date, sex and the region columns stay, since the measurements mean nothing
without them. A masked file cannot find its children again, so importing it is refused
row by row (``NIK_MASKED``, ``NAME_MASKED``) and adds nothing; an unmasked export imports
back as "already in the database".
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

import tumbuh
from tumbuh.growth.enums import Position, Sex
from tumbuh.i18n import Language, translations
from tumbuh.ingest.checks import calendar_age
from tumbuh.ingest.child_month_cells import vitamin_a_doses
from tumbuh.ingest.layouts import HEADERS, Field
from tumbuh.privacy import mask_name, mask_nik
from tumbuh.sheet_text import starts_like_formula

SHEET = "Hasil Pengukuran"
# Layout A's headers, in the order of e-PPGBM's export (docs/domain.md §2).
LAYOUT_A_FIELDS: tuple[Field, ...] = (
    Field.NIK, Field.NAME, Field.SEX, Field.BIRTH_DATE, Field.BIRTH_WEIGHT,
    Field.BIRTH_LENGTH, Field.PARENT_NAME, Field.PROVINCE, Field.CITY, Field.KECAMATAN,
    Field.PUSKESMAS, Field.KELURAHAN, Field.POSYANDU, Field.RT, Field.RW, Field.ADDRESS,
    Field.AGE_TEXT, Field.MEASURED_ON, Field.WEIGHT, Field.HEIGHT, Field.POSITION,
    Field.MUAC, Field.EPPGBM_WAZ_CATEGORY, Field.EPPGBM_WAZ, Field.EPPGBM_HAZ_CATEGORY,
    Field.EPPGBM_HAZ, Field.EPPGBM_WHZ_CATEGORY, Field.EPPGBM_WHZ, Field.WEIGHT_TREND,
    Field.PMT_KG, Field.VITAMIN_A, Field.KPSP, Field.KIA,
    Field.OEDEMA,  # not in e-PPGBM's export: Tumbuh's, last, so a re-import reads it
)  # fmt: skip
LAYOUT_A_HEADERS: tuple[str, ...] = tuple(HEADERS[f][0] for f in LAYOUT_A_FIELDS)
_SEX = {Sex.MALE: "L", Sex.FEMALE: "P"}
_POSITION = {Position.LENGTH: "Terlentang", Position.HEIGHT: "Berdiri"}


@dataclass(frozen=True)
class ExportRow:
    """One measurement with its child and place, as layout A needs it."""

    nik: str | None
    name: str
    sex: Sex
    birth_date: date
    birth_weight_kg: float | None
    birth_length_cm: float | None
    parent_name: str | None
    province: str | None
    city: str | None
    kecamatan: str | None
    puskesmas: str | None
    kelurahan: str | None
    posyandu: str | None
    rt: str | None
    rw: str | None
    address: str | None
    measured_on: date
    weight_kg: float | None
    height_cm: float | None
    position: Position | None
    muac_cm: float | None
    oedema: bool
    waz_category: str | None  # Permenkes 2/2020 labels
    waz: float | None
    haz_category: str | None
    haz: float | None
    whz_category: str | None
    whz: float | None
    weight_trend: str | None  # N/T/O/B
    has_buku_kia: bool | None
    pmt_kg: float | None = None  # PMT Diterima (kg), as imported
    vitamin_a_given: bool | None = None  # the child's month: Jml Vit A 1 or 0
    kpsp_result: str | None = None  # the child's month: sesuai, meragukan, penyimpangan


@dataclass(frozen=True)
class ExportInfo:
    """What the file holds, for its *Keterangan* sheet."""

    period: str
    area: str
    masked: bool
    exported_at: datetime
    version: str

    @classmethod
    def now(cls, period: str, area: str, *, masked: bool) -> "ExportInfo":
        """An export made now by this version of Tumbuh (local time)."""
        return cls(period, area, masked, datetime.now(UTC).astimezone(), tumbuh.__version__)


def age_text(born: date, measured: date) -> str:
    """``Usia Saat Ukur`` as e-PPGBM writes it: ``2 Tahun - 3 Bulan - 12 Hari``."""
    years, months, days = calendar_age(born, measured)
    return f"{years} Tahun - {months} Bulan - {days} Hari"


def _values(row: ExportRow, unmask: bool) -> list[object]:
    kia = None if row.has_buku_kia is None else ("Ya" if row.has_buku_kia else "Tidak")
    return [
        row.nik if unmask else mask_nik(row.nik),
        row.name if unmask else mask_name(row.name),
        _SEX[row.sex],
        row.birth_date,
        row.birth_weight_kg,
        row.birth_length_cm,
        row.parent_name if unmask else mask_name(row.parent_name),
        row.province,
        row.city,
        row.kecamatan,
        row.puskesmas,
        row.kelurahan,
        row.posyandu,
        row.rt,
        row.rw,
        row.address if unmask else None,
        age_text(row.birth_date, row.measured_on),
        row.measured_on,
        row.weight_kg,
        row.height_cm,
        _POSITION[row.position] if row.position else None,
        row.muac_cm,
        row.waz_category,
        row.waz,
        row.haz_category,
        row.haz,
        row.whz_category,
        row.whz,
        row.weight_trend,
        row.pmt_kg,
        vitamin_a_doses(row.vitamin_a_given),
        None if row.kpsp_result is None else row.kpsp_result.capitalize(),
        kia,
        "Ya" if row.oedema else "Tidak",
    ]


def write_layout_a(
    rows: Sequence[ExportRow],
    path: Path,
    info: ExportInfo,
    *,
    unmask: bool,
    language: Language = Language.ID,
) -> None:
    """Write ``rows`` as an e-PPGBM layout A workbook (.xlsx) at ``path``."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    formats = {
        date: book.add_format({"num_format": "dd/mm/yyyy"}),
        str: book.add_format({"quote_prefix": True}),  # text that starts like a formula
    }
    sheet = book.add_worksheet(SHEET)
    sheet.freeze_panes(1, 0)
    for col, header in enumerate(LAYOUT_A_HEADERS):
        sheet.write_string(0, col, header, bold)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(_values(row, unmask)):
            _cell(sheet, r, col, value, formats)
    _write_info(book.add_worksheet("Keterangan"), info, len(rows), bold, language)
    book.close()


def _cell(sheet: Any, row: int, col: int, value: object, formats: dict[type, Any]) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, date):
        day = formats[date]
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), day)
    else:  # NIK, RT and RW stay text; a name like "=HYPERLINK(...)" is never a formula
        text = str(value)
        sheet.write_string(row, col, text, formats[str] if starts_like_formula(text) else None)


def _write_info(sheet: Any, info: ExportInfo, count: int, bold: Any, language: Language) -> None:
    gettext = translations(language).gettext
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 60)
    masked = (
        gettext(
            "masked (NIK: only the first 4 digits, the kota; names: initials; no street address)"
        )
        if info.masked
        else gettext("shown in full: personal data (UU PDP 27/2022), keep this file safe")
    )
    rows = [
        (gettext("Exported by"), f"Tumbuh {info.version}"),
        (gettext("Exported at"), info.exported_at.strftime("%d/%m/%Y %H:%M")),
        (gettext("Period exported"), info.period),
        (gettext("Area exported"), info.area),
        (gettext("Measurements"), str(count)),
        (gettext("NIK and names"), masked),
    ]
    for r, (label, value) in enumerate(rows):
        sheet.write_string(r, 0, label, bold)
        sheet.write_string(r, 1, value)
