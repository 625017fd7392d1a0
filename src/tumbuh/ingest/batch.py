"""What a checked import hands to the database step: typed rows and their sources.

Every row of :class:`ImportBatch` passed all checks (it may carry warnings) and says
where it came from (file and spreadsheet row), so the database step only resolves
children and posyandu and writes, in one transaction.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tumbuh.growth.child_months import KpspResult
from tumbuh.growth.enums import Indicator, Position, Sex
from tumbuh.ingest.layouts import Field, Layout
from tumbuh.ingest.matching import ChildKey
from tumbuh.ingest.tabular import FileFormat


@dataclass(frozen=True)
class SourceFile:
    """One file that was read: where, what it was, and the fingerprint of its bytes."""

    path: Path
    format: FileFormat | None  # None when the file could not be read at all
    sha256: str | None
    sheet: str | None  # the sheet the rows came from
    layout: Layout | None
    header_row: int | None  # spreadsheet row number of the header
    rows_read: int  # data rows below the header (empty rows not counted)
    index: int = 0  # position among the files of one import (orders report lines)
    labels: Mapping[Field, str] = field(default_factory=dict)  # headers as written
    columns: Mapping[Field, int] = field(default_factory=dict)  # 0-based column of a field


@dataclass(frozen=True, slots=True)
class MeasurementRow:
    """One checked row: the child, where they were measured, and what was measured.

    Values are as measured (``height_cm`` before WHO's +/-0.7 cm position adjustment);
    ``zscores`` and ``flags`` are Tumbuh's WHO 2006 results for this row (NaN where not
    computable), recomputed by the database step's own rules if it prefers.
    """

    source: SourceFile
    row: int  # row number as the spreadsheet shows it
    key: ChildKey
    nik: str | None
    name: str
    sex: Sex
    birth_date: date
    parent_name: str | None
    kecamatan_code: str | None
    kelurahan_code: str
    posyandu: str  # as written, trimmed; the database step finds or creates it
    puskesmas: str | None
    rt: str | None
    rw: str | None
    address: str | None
    measured_on: date
    age_days: int
    weight_kg: float | None
    height_cm: float | None
    position: Position | None
    muac_cm: float | None
    birth_weight_kg: float | None
    birth_length_cm: float | None
    weight_trend: str | None  # N, T, O or B as the kader recorded it
    vitamin_a_count: int | None
    pmt_kg: float | None
    has_buku_kia: str | None  # kept raw: exports write Ya/Tidak, 1/0 or a date
    raw_weight: object  # the cells as read, kept beside the clean values
    raw_height: object
    zscores: dict[Indicator, float]
    flags: dict[Indicator, bool]
    eppgbm_zscores: dict[Indicator, float]  # the file's own ZS columns (comparison only)
    nomor_kk: str | None = None  # layout B: the family card, 16 digits (checked)
    parent_nik: str | None = None  # layout B: the parent's NIK, 16 digits (checked)
    gestational_age_weeks: int | None = None  # layout B: Usia Kehamilan (20-45 weeks)
    oedema: bool = False  # bilateral oedema, where the file has an Edema column
    pmt_raw: str | None = None  # the PMT Diterima (kg) cell as written, beside pmt_kg
    kpsp_result: KpspResult | None = None  # the KPSP cell, where it named a result


@dataclass(frozen=True)
class PosyanduName:
    """A posyandu named in the file, in a known kelurahan."""

    kelurahan_code: str
    name: str  # as first written
    key: str  # comparison form (see tumbuh.ingest.places.posyandu_key)
    first_row: int
    source: SourceFile
    known: bool | None  # None when no list of known posyandu was given


@dataclass(frozen=True)
class ImportBatch:
    """The rows ready to write (errors left out) and the files they came from."""

    files: tuple[SourceFile, ...]
    rows: tuple[MeasurementRow, ...]
    posyandu: tuple[PosyanduName, ...]
