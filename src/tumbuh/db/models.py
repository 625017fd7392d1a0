"""SQLAlchemy 2 models of the registry: regions, posyandu, families, children, measurements.

ORM objects stop at the repositories of this package; other layers get frozen dataclasses
or arrays. Measured values and derived values live in separate tables: ``measurement``
keeps what was measured, ``measurement_derived`` (one row per measurement) what Tumbuh
computed from it, with the reference version used (docs/data-model.md).

Closed sets are stored as their ``StrEnum`` values in short text columns with a CHECK
constraint, so the SQL is the same on SQLite and PostgreSQL.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tumbuh.growth.categories import HazCategory, WazCategory, WhzCategory
from tumbuh.growth.enums import Position, Sex
from tumbuh.growth.weight_gain import TrendClause, WeightTrend
from tumbuh.ingest import regions as region_files

# The levels are named where region files are read (ingest imports no db); the tables
# and their readers take them from here.
RegionLevel = region_files.RegionLevel

# Named constraints keep migrations portable (SQLite batch mode needs the names).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The Core table of a model (for bulk inserts and Core queries)."""
    table = model.__table__
    if not isinstance(table, Table):  # pragma: no cover - every model here maps a Table
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


class RoundKind(StrEnum):
    """Kinds of measurement round (docs/domain.md §4)."""

    BULAN_TIMBANG = "bulan_timbang"  # February and August, every balita
    SERENTAK = "serentak"  # national simultaneous measurement (June 2024)
    MONTHLY = "monthly"  # the ordinary monthly posyandu day


class MeasurementSource(StrEnum):
    """Where a measurement came from."""

    TYPED_IN = "typed_in"
    IMPORT_FILE = "import_file"
    GENERATED = "generated"  # the synthetic demo city


class PregnancyOutcome(StrEnum):
    """How a pregnancy ended."""

    LIVE_BIRTH = "live_birth"
    STILLBIRTH = "stillbirth"
    MISCARRIAGE = "miscarriage"


class BirthPlace(StrEnum):
    """Where a pregnancy ended (place of delivery; issue 15)."""

    PUSKESMAS = "puskesmas"
    PUSTU = "pustu"
    PRAKTIK_BIDAN = "praktik_bidan"
    HOSPITAL = "hospital"
    HOME = "home"
    OTHER = "other"


class PlantedErrorKind(StrEnum):
    """Data errors the demo city plants on purpose (docs/demo-city.md)."""

    DIGIT_PREFERENCE = "digit_preference"  # height rounded to a whole or half cm
    WRONG_POSITION = "wrong_position"  # position against the age rule, 18-30 months
    WEIGHT_IN_GRAMS = "weight_in_grams"  # 10945 typed for 10.945 kg
    COPIED_VALUES = "copied_values"  # last month's weight and height copied


def enum_column(enum: type[StrEnum], name: str) -> Enum:
    """A StrEnum stored as its values in a VARCHAR with a named CHECK constraint."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Region(Base):
    """A province, kota/kabupaten, kecamatan or kelurahan/desa with its Kemendagri code."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(13), primary_key=True)  # e.g. 36.72.01.1001
    name: Mapped[str] = mapped_column(String(100))  # official Kemendagri name
    local_name: Mapped[str | None] = mapped_column(String(100))  # e.g. Grogol for Gerogol
    level: Mapped[RegionLevel] = mapped_column(enum_column(RegionLevel, "level"))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)


class RegionAlias(Base):
    """A spelling of a region's name found in files (Pulau Merak for Pulomerak)."""

    __tablename__ = "region_alias"

    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    alias: Mapped[str] = mapped_column(String(100), primary_key=True)


class Puskesmas(Base):
    """A health centre; its working area is a set of kelurahan (``puskesmas_area``)."""

    __tablename__ = "puskesmas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kecamatan_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    address: Mapped[str | None] = mapped_column(String(200))
    has_poned: Mapped[bool] = mapped_column(Boolean, default=False)


class PuskesmasArea(Base):
    """One kelurahan of a puskesmas working area (each kelurahan belongs to one)."""

    __tablename__ = "puskesmas_area"

    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    puskesmas_id: Mapped[int] = mapped_column(ForeignKey("puskesmas.id"), index=True)


class Posyandu(Base):
    """A monthly community post in a kelurahan, usually one per RW."""

    __tablename__ = "posyandu"
    __table_args__ = (UniqueConstraint("kelurahan_code", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # Dinkes number or generated
    name: Mapped[str] = mapped_column(String(100))
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    rw: Mapped[str | None] = mapped_column(String(3))
    address: Mapped[str | None] = mapped_column(String(200))


class Kader(Base):
    """A posyandu volunteer who weighs and measures."""

    __tablename__ = "kader"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id"), index=True)


class Family(Base):
    """A household on one family card, with the KRS criteria of BKKBN PK21 (docs/domain.md §10).

    Each criterion is a nullable boolean: None means not assessed.
    """

    __tablename__ = "family"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomor_kk: Mapped[str | None] = mapped_column(String(16), unique=True)  # always text
    kelurahan_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    rt: Mapped[str | None] = mapped_column(String(3))
    rw: Mapped[str | None] = mapped_column(String(3))
    has_safe_drinking_water: Mapped[bool | None] = mapped_column(Boolean)
    has_safe_latrine: Mapped[bool | None] = mapped_column(Boolean)
    wife_under_20: Mapped[bool | None] = mapped_column(Boolean)  # "terlalu muda"
    wife_35_or_older: Mapped[bool | None] = mapped_column(Boolean)  # "terlalu tua"
    birth_spacing_under_2_years: Mapped[bool | None] = mapped_column(Boolean)  # "terlalu dekat"
    more_than_3_children: Mapped[bool | None] = mapped_column(Boolean)  # "terlalu banyak"
    krs_assessed_on: Mapped[date | None] = mapped_column(Date)


class Mother(Base):
    """A mother (or the caregiver recorded as such)."""

    __tablename__ = "mother"

    id: Mapped[int] = mapped_column(primary_key=True)
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)  # always text
    name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"), index=True)


class Pregnancy(Base):
    """One pregnancy as the bidan records it (first 1,000 days): its registration, area,
    the woman's weight and height before it, the 4 Terlalu as recorded, and its end.

    ``muac_cm`` and ``hb_g_dl`` are the values at registration (K1), from which KEK and
    anaemia are judged; later visits are ``anc_visit`` rows (``models_maternal``).
    ``anc_visits`` and ``iron_tablets`` are totals as a file or the demo gave them. The
    children born of it are ``child`` rows with ``pregnancy_id``, which keep their birth
    weight and length. Rows written before migration 0011 have no registration fields.
    """

    __tablename__ = "pregnancy"
    __table_args__ = (
        CheckConstraint(
            "gestational_age_at_registration_weeks IS NULL OR "
            "gestational_age_at_registration_weeks BETWEEN 0 AND 45",
            name="registration_weeks_range",
        ),
        CheckConstraint(
            "gestational_age_at_end_weeks IS NULL OR gestational_age_at_end_weeks BETWEEN 0 AND 45",
            name="end_weeks_range",
        ),
        CheckConstraint(
            "weight_before_kg IS NULL OR weight_before_kg BETWEEN 25 AND 200",
            name="weight_before_range",
        ),
        CheckConstraint("height_cm IS NULL OR height_cm BETWEEN 100 AND 220", name="height_range"),
        CheckConstraint(
            "due_date IS NULL OR hpht IS NULL OR due_date > hpht", name="due_after_hpht"
        ),
        CheckConstraint("ended_on IS NULL OR outcome IS NOT NULL", name="end_has_outcome"),
        CheckConstraint(
            "previous_live_births IS NULL OR previous_live_births BETWEEN 0 AND 20",
            name="previous_live_births_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mother_id: Mapped[int] = mapped_column(ForeignKey("mother.id"), index=True)
    hpht: Mapped[date | None] = mapped_column(Date)  # first day of the last menstrual period
    due_date: Mapped[date | None] = mapped_column(Date)  # HPL
    muac_cm: Mapped[float | None] = mapped_column(Float)  # LiLA; KEK is judged from it
    hb_g_dl: Mapped[float | None] = mapped_column(Float)  # haemoglobin
    anc_visits: Mapped[int | None] = mapped_column(Integer)  # antenatal care visits
    iron_tablets: Mapped[int | None] = mapped_column(Integer)  # TTD tablets taken
    ended_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[PregnancyOutcome | None] = mapped_column(
        enum_column(PregnancyOutcome, "outcome")
    )
    # Registration (issue 15): the day the bidan registered it and the first visit (K1)
    registered_on: Mapped[date | None] = mapped_column(Date)
    k1_on: Mapped[date | None] = mapped_column(Date)
    gestational_age_at_registration_weeks: Mapped[int | None] = mapped_column(Integer)
    kelurahan_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    posyandu_id: Mapped[int | None] = mapped_column(ForeignKey("posyandu.id"), index=True)
    puskesmas_id: Mapped[int | None] = mapped_column(ForeignKey("puskesmas.id"), index=True)
    weight_before_kg: Mapped[float | None] = mapped_column(Float)  # before pregnancy (IMT)
    height_cm: Mapped[float | None] = mapped_column(Float)
    # 4 Terlalu as the bidan recorded them (None: not assessed); names as on ``family``
    mother_under_20: Mapped[bool | None] = mapped_column(Boolean)  # "terlalu muda"
    mother_35_or_older: Mapped[bool | None] = mapped_column(Boolean)  # "terlalu tua"
    birth_spacing_under_2_years: Mapped[bool | None] = mapped_column(Boolean)  # "terlalu dekat"
    more_than_3_children: Mapped[bool | None] = mapped_column(Boolean)  # "terlalu banyak"
    # ... and the facts they were judged from (migration 0014): children born alive before
    # this pregnancy (paritas) and the day of the last birth
    previous_live_births: Mapped[int | None] = mapped_column(Integer)
    previous_birth_on: Mapped[date | None] = mapped_column(Date)
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # The end: where, and after how many weeks (a child born keeps its own birth weight)
    birth_place: Mapped[BirthPlace | None] = mapped_column(enum_column(BirthPlace, "birth_place"))
    gestational_age_at_end_weeks: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Child(Base):
    """A child of the registry; NIK is optional but unique when present."""

    __tablename__ = "child"

    id: Mapped[int] = mapped_column(primary_key=True)
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)  # always text
    name: Mapped[str] = mapped_column(String(100))
    sex: Mapped[Sex] = mapped_column(enum_column(Sex, "sex"))
    birth_date: Mapped[date] = mapped_column(Date)
    birth_weight_kg: Mapped[float | None] = mapped_column(Float)
    birth_length_cm: Mapped[float | None] = mapped_column(Float)
    gestational_age_weeks: Mapped[int | None] = mapped_column(Integer)
    mother_id: Mapped[int | None] = mapped_column(ForeignKey("mother.id"), index=True)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"), index=True)
    pregnancy_id: Mapped[int | None] = mapped_column(ForeignKey("pregnancy.id"))
    posyandu_id: Mapped[int | None] = mapped_column(ForeignKey("posyandu.id"), index=True)
    has_buku_kia: Mapped[bool | None] = mapped_column(Boolean)  # K of SKDN: has KMS/Buku KIA
    # The day basic immunisation (imunisasi dasar lengkap) was complete; None: not known
    basic_immunisation_completed_on: Mapped[date | None] = mapped_column(Date)
    # Optimistic concurrency: every change adds one; a save that started from another
    # version is refused (docs/security.md, "Lost updates").
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The import that created the child (None when entered on a form or by the demo).
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"), index=True)


class MeasurementRound(Base):
    """A weighing round: a bulan timbang, a serentak campaign or an ordinary month."""

    __tablename__ = "measurement_round"
    __table_args__ = (UniqueConstraint("kind", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RoundKind] = mapped_column(enum_column(RoundKind, "kind"))
    month: Mapped[date] = mapped_column(Date)  # first day of the month


class ImportRun(Base):
    """One import of one or more files: who ran it, when, and what it added or changed
    (docs/security.md, "Imports leave a trace")."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    actor: Mapped[str] = mapped_column(String(80))  # username, or "cli" for the command
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rows_read: Mapped[int] = mapped_column(Integer)
    rows_skipped: Mapped[int] = mapped_column(Integer)  # rows with errors left out on request
    measurements_added: Mapped[int] = mapped_column(Integer)
    children_added: Mapped[int] = mapped_column(Integer)
    children_changed: Mapped[int] = mapped_column(Integer)
    mothers_added: Mapped[int] = mapped_column(Integer)
    families_added: Mapped[int] = mapped_column(Integer)
    posyandu_added: Mapped[int] = mapped_column(Integer)


class ImportFile(Base):
    """A file whose rows were imported (the importer fills it; issue 4)."""

    __tablename__ = "import_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    layout: Mapped[str] = mapped_column(String(40))  # e.g. eppgbm-a
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    row_count: Mapped[int] = mapped_column(Integer)


class Measurement(Base):
    """What was measured at one visit, as recorded (values are never rewritten)."""

    __tablename__ = "measurement"
    __table_args__ = (
        Index(None, "child_id", "measured_on"),
        CheckConstraint(
            "source <> 'import_file' OR import_file_id IS NOT NULL", name="import_file_given"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    measured_on: Mapped[date] = mapped_column(Date, index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("measurement_round.id"))
    posyandu_id: Mapped[int | None] = mapped_column(ForeignKey("posyandu.id"), index=True)
    kader_id: Mapped[int | None] = mapped_column(ForeignKey("kader.id"))
    weight_kg: Mapped[float | None] = mapped_column(Float)
    height_cm: Mapped[float | None] = mapped_column(Float)  # length or height as read
    position: Mapped[Position | None] = mapped_column(enum_column(Position, "position"))
    muac_cm: Mapped[float | None] = mapped_column(Float)
    head_circumference_cm: Mapped[float | None] = mapped_column(Float)
    oedema: Mapped[bool] = mapped_column(Boolean, default=False)
    kader_weight_trend: Mapped[WeightTrend | None] = mapped_column(
        enum_column(WeightTrend, "kader_weight_trend")
    )  # N/T/O/B as the kader wrote it, kept beside the computed one
    source: Mapped[MeasurementSource] = mapped_column(enum_column(MeasurementSource, "source"))
    import_file_id: Mapped[int | None] = mapped_column(ForeignKey("import_file.id"))
    import_row: Mapped[int | None] = mapped_column(Integer)  # row number in that file
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # PMT received (kg), e-PPGBM's "PMT Diterima (kg)", and the cell as the file wrote it
    pmt_received_kg: Mapped[float | None] = mapped_column(Float)
    pmt_received_raw: Mapped[str | None] = mapped_column(String(40))


class MeasurementDerived(Base):
    """What Tumbuh computed from one measurement, and with which reference.

    z-scores are WHO anthro's (rounded to 2 decimals as anthro rounds), flags are WHO's,
    categories Permenkes 2/2020's. ``age_days``, ``height_used_cm`` (after the 0.7 cm
    position adjustment) and ``position_used`` are the inputs the z-scores came from;
    the weight trend names the measurement it was compared with and the KBM table.
    ``tumbuh db recompute`` rebuilds the whole table from ``measurement`` and ``child``.
    """

    __tablename__ = "measurement_derived"

    measurement_id: Mapped[int] = mapped_column(
        ForeignKey("measurement.id", ondelete="CASCADE"), primary_key=True
    )
    reference: Mapped[str] = mapped_column(String(60))  # e.g. WHO 2006 (anthro 1.1.0)
    age_days: Mapped[int | None] = mapped_column(Integer)
    height_used_cm: Mapped[float | None] = mapped_column(Float)
    position_used: Mapped[Position | None] = mapped_column(enum_column(Position, "position_used"))
    bmi: Mapped[float | None] = mapped_column(Float)
    haz: Mapped[float | None] = mapped_column(Float)
    haz_flag: Mapped[bool | None] = mapped_column(Boolean)
    waz: Mapped[float | None] = mapped_column(Float)
    waz_flag: Mapped[bool | None] = mapped_column(Boolean)
    whz: Mapped[float | None] = mapped_column(Float)
    whz_flag: Mapped[bool | None] = mapped_column(Boolean)
    baz: Mapped[float | None] = mapped_column(Float)
    baz_flag: Mapped[bool | None] = mapped_column(Boolean)
    hcz: Mapped[float | None] = mapped_column(Float)
    hcz_flag: Mapped[bool | None] = mapped_column(Boolean)
    acz: Mapped[float | None] = mapped_column(Float)
    acz_flag: Mapped[bool | None] = mapped_column(Boolean)
    haz_category: Mapped[HazCategory | None] = mapped_column(
        enum_column(HazCategory, "haz_category")
    )
    waz_category: Mapped[WazCategory | None] = mapped_column(
        enum_column(WazCategory, "waz_category")
    )
    whz_category: Mapped[WhzCategory | None] = mapped_column(
        enum_column(WhzCategory, "whz_category")
    )
    baz_category: Mapped[WhzCategory | None] = mapped_column(
        enum_column(WhzCategory, "baz_category")
    )
    weight_trend: Mapped[WeightTrend | None] = mapped_column(
        enum_column(WeightTrend, "weight_trend")
    )
    # which clause of the Buku KIA rule decided weight_trend (N or T only)
    weight_trend_clause: Mapped[TrendClause | None] = mapped_column(
        enum_column(TrendClause, "weight_trend_clause")
    )
    previous_measurement_id: Mapped[int | None] = mapped_column(
        ForeignKey("measurement.id", ondelete="SET NULL")
    )
    weight_gain_g: Mapped[int | None] = mapped_column(Integer)
    kbm_g: Mapped[int | None] = mapped_column(Integer)
    kbm_reference: Mapped[str | None] = mapped_column(String(60))


class DemoCity(Base):
    """One run of the demo-city generator: its seed, scale and parameters (JSON)."""

    __tablename__ = "demo_city"

    id: Mapped[int] = mapped_column(primary_key=True)
    seed: Mapped[int] = mapped_column(Integer)
    scale: Mapped[float] = mapped_column(Float)
    parameters: Mapped[str] = mapped_column(Text)
    generator_version: Mapped[str] = mapped_column(String(20))


class DemoPlantedError(Base):
    """A data error the demo generator planted on purpose, with the value it replaced."""

    __tablename__ = "demo_planted_error"

    id: Mapped[int] = mapped_column(primary_key=True)
    measurement_id: Mapped[int] = mapped_column(
        ForeignKey("measurement.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[PlantedErrorKind] = mapped_column(enum_column(PlantedErrorKind, "kind"))
    field: Mapped[str] = mapped_column(String(40))  # the column that holds the error
    true_value: Mapped[str | None] = mapped_column(String(40))  # before the error, as text


# Users, audit trail, targets, survey figures, cases, PMT, Bapak Asuh and the first
# 1,000 days and the TPPS's work share this metadata (one Alembic history).
from tumbuh.db import (  # noqa: E402, F401
    models_access,
    models_aks,
    models_aksi,
    models_asuh,
    models_cases,
    models_indicators,
    models_maternal,
    models_meetings,
    models_pmt,
    models_tpps,
)
