"""Models of the first 1,000 days (issue 15): antenatal (ANC) and post-partum (KF) visits
of a pregnancy, the monthly record of an infant or young child, the catin (brides and
grooms to be) and the TPK's visits to a family (docs/data-model.md, "The first 1,000
days").

Kept apart from ``models.py`` for size; all share ``Base`` and one Alembic history. The
pregnancy itself is ``models.Pregnancy`` (its registration, area, 4 Terlalu flags and
outcome); the child born of it is a ``child`` row with ``pregnancy_id``, and its birth
weight and length are the child's (one fact, one home). These tables keep what was
recorded; the rules that judge it (KEK, anaemia, 4 Terlalu, KPSP ages, K1–K6 coverage)
belong to :mod:`tumbuh.growth`.

Ranges in CHECK constraints are plausibility bounds, not rules: a value outside them is
a typing slip (grams for kilograms, a misplaced decimal), never a real measurement.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tumbuh.db.models import Base, enum_column
from tumbuh.growth.child_months import KpspResult
from tumbuh.growth.enums import Sex

# Plausible ranges (inclusive), shared by the CHECK constraints of every table here.
MUAC_CM = (10, 50)  # LiLA
HB_G_DL = (3, 20)  # haemoglobin
ADULT_WEIGHT_KG = (25, 200)
ADULT_HEIGHT_CM = (100, 220)
IRON_TABLETS = (0, 180)  # TTD handed over at one visit (a pregnancy's course is 90)
GESTATION_WEEKS = (0, 45)
NOTE_LENGTH = 500


def between(column: str, bounds: tuple[int, int]) -> str:
    """The SQL of a CHECK that ``column`` is empty or within ``bounds``."""
    return f"{column} IS NULL OR {column} BETWEEN {bounds[0]} AND {bounds[1]}"


class AncPlace(StrEnum):
    """Where an antenatal care visit took place."""

    PUSKESMAS = "puskesmas"
    PUSTU = "pustu"  # puskesmas pembantu
    POSYANDU = "posyandu"
    PRAKTIK_BIDAN = "praktik_bidan"  # a midwife's own practice (PMB)
    HOSPITAL = "hospital"  # rumah sakit
    OTHER = "other"


class TpkAction(StrEnum):
    """What a TPK advised or gave at a family visit (a visit may record several)."""

    NUTRITION_COUNSELLING = "nutrition_counselling"  # KIE: food, ASI, MP-ASI
    ANC_REMINDER = "anc_reminder"  # check-ups of a pregnancy
    IRON_TABLETS = "iron_tablets"  # TTD given or reminded
    POSYANDU_INVITATION = "posyandu_invitation"
    REFERRAL = "referral"  # to a bidan, puskesmas or hospital
    FAMILY_PLANNING = "family_planning"  # KB counselling
    FOOD_AID = "food_aid"  # PMT or a food package
    SANITATION = "sanitation"  # safe water, latrine
    SOCIAL_AID = "social_aid"  # PKH, BPNT, JKN-PBI
    OTHER = "other"  # said in the visit's note


class AncVisit(Base):
    """One antenatal care visit of a pregnancy: where, and what was measured and given."""

    __tablename__ = "anc_visit"
    __table_args__ = (
        UniqueConstraint("pregnancy_id", "visited_on"),
        CheckConstraint(between("weight_kg", ADULT_WEIGHT_KG), name="weight_range"),
        CheckConstraint(between("muac_cm", MUAC_CM), name="muac_range"),
        CheckConstraint(between("hb_g_dl", HB_G_DL), name="hb_range"),
        CheckConstraint(between("iron_tablets_given", IRON_TABLETS), name="iron_tablets_range"),
        Index("ix_anc_visit_visited_on", "visited_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # indexed by the unique constraint, whose first column it is
    pregnancy_id: Mapped[int] = mapped_column(ForeignKey("pregnancy.id", ondelete="CASCADE"))
    visited_on: Mapped[date] = mapped_column(Date)
    place: Mapped[AncPlace] = mapped_column(enum_column(AncPlace, "anc_place"))
    weight_kg: Mapped[float | None] = mapped_column(Float)
    muac_cm: Mapped[float | None] = mapped_column(Float)  # LiLA
    hb_g_dl: Mapped[float | None] = mapped_column(Float)
    iron_tablets_given: Mapped[int | None] = mapped_column(Integer)  # TTD
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PostpartumVisit(Base):
    """A post-partum visit (kunjungan nifas) KF1 to KF4 of a pregnancy; each number once."""

    __tablename__ = "postpartum_visit"
    __table_args__ = (
        UniqueConstraint("pregnancy_id", "visit_number"),
        CheckConstraint("visit_number BETWEEN 1 AND 4", name="visit_number_range"),
        Index("ix_postpartum_visit_visited_on", "visited_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # indexed by the unique constraint, whose first column it is
    pregnancy_id: Mapped[int] = mapped_column(ForeignKey("pregnancy.id", ondelete="CASCADE"))
    visit_number: Mapped[int] = mapped_column(Integer)  # 1 for KF1 ... 4 for KF4
    visited_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChildMonth(Base):
    """What was recorded of a child under two in one month besides its measurement:
    breastfeeding, MP-ASI, vitamin A, KPSP. None is "not recorded"; one row per month.

    Weight, length and LiLA are ``measurement`` rows; the day basic immunisation was
    complete is the child's (``child.basic_immunisation_completed_on``).
    """

    __tablename__ = "child_month"
    __table_args__ = (
        UniqueConstraint("child_id", "month"),
        Index("ix_child_month_month", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # indexed by the unique constraint, whose first column it is
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)  # first day of the month
    exclusive_breastfeeding: Mapped[bool | None] = mapped_column(Boolean)  # ASI eksklusif
    complementary_feeding: Mapped[bool | None] = mapped_column(Boolean)  # MP-ASI
    vitamin_a_given: Mapped[bool | None] = mapped_column(Boolean)
    kpsp_result: Mapped[KpspResult | None] = mapped_column(enum_column(KpspResult, "kpsp_result"))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Catin(Base):
    """A bride or groom to be, registered from KUA/Kemenag (or Elsimil), with the health
    screening before the wedding and the follow-up given."""

    __tablename__ = "catin"
    __table_args__ = (
        CheckConstraint("nik IS NULL OR length(nik) = 16", name="nik_length"),
        CheckConstraint(between("muac_cm", MUAC_CM), name="muac_range"),
        CheckConstraint(between("hb_g_dl", HB_G_DL), name="hb_range"),
        CheckConstraint(between("weight_kg", ADULT_WEIGHT_KG), name="weight_range"),
        CheckConstraint(between("height_cm", ADULT_HEIGHT_CM), name="height_range"),
        CheckConstraint(
            "follow_up_on IS NULL OR follow_up IS NOT NULL", name="follow_up_says_what"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)  # always text
    name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(enum_column(Sex, "sex"))
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    wedding_planned_on: Mapped[date | None] = mapped_column(Date)
    registered_on: Mapped[date] = mapped_column(Date, index=True)  # reported by KUA/Kemenag
    screened_on: Mapped[date | None] = mapped_column(Date)
    muac_cm: Mapped[float | None] = mapped_column(Float)  # LiLA
    hb_g_dl: Mapped[float | None] = mapped_column(Float)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    height_cm: Mapped[float | None] = mapped_column(Float)
    follow_up: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))  # what was given
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TpkVisit(Base):
    """A TPK's visit to a family (KRS): the day, who came (a team member's name, a user,
    or both), and a note; what was advised or given are its ``tpk_visit_action`` rows."""

    __tablename__ = "tpk_visit"
    __table_args__ = (
        CheckConstraint("tpk_member IS NOT NULL OR user_id IS NOT NULL", name="who_given"),
        Index("ix_tpk_visit_visited_on", "visited_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    tpk_member: Mapped[str | None] = mapped_column(String(100))  # as the team wrote it
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TpkVisitAction(Base):
    """One thing advised or given at a TPK visit (each at most once per visit)."""

    __tablename__ = "tpk_visit_action"

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("tpk_visit.id", ondelete="CASCADE"), primary_key=True
    )
    action: Mapped[TpkAction] = mapped_column(
        enum_column(TpkAction, "tpk_action"), primary_key=True
    )
