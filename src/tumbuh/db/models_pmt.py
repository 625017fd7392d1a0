"""Models of PMT lokal (issue 14): the kitchens that cook it, their funding lines, the
episodes of feeding a child or a pregnant woman, and the servings of each day
(docs/pmt.md, docs/data-model.md).

Kept apart from ``models.py`` for size; all share ``Base`` and one Alembic history. The
rules (who may be fed, for how long, when a child has recovered) live in
:mod:`tumbuh.growth.pmt`; these tables only keep what happened. Checkpoint weighings are
ordinary measurements of the registry, taken during the episode: one fact, one home.
"""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tumbuh.db.models import Base, enum_column
from tumbuh.growth.pmt import EpisodeExit, Funding, Indication, KitchenKind, KitchenOperator

OPEN_EPISODE = "ended_on IS NULL AND child_id IS NOT NULL"
OPEN_PREGNANCY_EPISODE = "ended_on IS NULL AND pregnancy_id IS NOT NULL"
ALL_WEEKDAYS = 127  # Monday = 1, Tuesday = 2, ... Sunday = 64


class Kitchen(Base):
    """A kitchen that cooks PMT lokal in a kelurahan: who runs it, whom to call, how
    many servings a day it can cook and on which days of the week."""

    __tablename__ = "kitchen"
    __table_args__ = (
        UniqueConstraint("kelurahan_code", "name"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint(f"weekdays BETWEEN 1 AND {ALL_WEEKDAYS}", name="weekdays_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[KitchenKind] = mapped_column(enum_column(KitchenKind, "kitchen_kind"))
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    operator: Mapped[KitchenOperator] = mapped_column(
        enum_column(KitchenOperator, "kitchen_operator")
    )
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    capacity: Mapped[int] = mapped_column(Integer)  # servings a day
    weekdays: Mapped[int] = mapped_column(Integer)  # bit per day the kitchen cooks
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KitchenFunding(Base):
    """One funding line of a kitchen: the source, the amount in rupiah, the period."""

    __tablename__ = "kitchen_funding"
    __table_args__ = (
        CheckConstraint("amount_rp >= 0", name="amount_not_negative"),
        CheckConstraint("ends_on >= starts_on", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kitchen_id: Mapped[int] = mapped_column(
        ForeignKey("kitchen.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[Funding] = mapped_column(enum_column(Funding, "funding"))
    amount_rp: Mapped[int] = mapped_column(BigInteger)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))


class PmtEpisode(Base):
    """A child (or a pregnant woman) fed PMT lokal at a kitchen: the indication, the
    rule version in force at enrolment and the days it plans, the funding, and how the
    episode ended. One open episode per child, and per pregnancy (partial unique
    indexes). A pregnancy's episode keeps the LiLA it started and ended with (the rule
    of recovery reads the end one, :mod:`tumbuh.growth.pmt_bumil`)."""

    __tablename__ = "pmt_episode"
    __table_args__ = (
        Index(
            "uq_pmt_episode_open_child",
            "child_id",
            unique=True,
            sqlite_where=text(OPEN_EPISODE),
            postgresql_where=text(OPEN_EPISODE),
        ),
        Index(
            "uq_pmt_episode_open_pregnancy",
            "pregnancy_id",
            unique=True,
            sqlite_where=text(OPEN_PREGNANCY_EPISODE),
            postgresql_where=text(OPEN_PREGNANCY_EPISODE),
        ),
        CheckConstraint("(child_id IS NULL) <> (pregnancy_id IS NULL)", name="one_subject"),
        CheckConstraint(
            "start_muac_cm IS NULL OR start_muac_cm BETWEEN 10 AND 50", name="start_muac_range"
        ),
        CheckConstraint(
            "end_muac_cm IS NULL OR end_muac_cm BETWEEN 10 AND 50", name="end_muac_range"
        ),
        CheckConstraint("planned_days > 0", name="planned_days_positive"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="end_after_start"),
        Index("ix_pmt_episode_started_on", "started_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kitchen_id: Mapped[int | None] = mapped_column(ForeignKey("kitchen.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"), index=True)
    pregnancy_id: Mapped[int | None] = mapped_column(ForeignKey("pregnancy.id"), index=True)
    indication: Mapped[Indication] = mapped_column(enum_column(Indication, "indication"))
    rules_version: Mapped[str] = mapped_column(String(4))  # a key of growth.pmt.RULES
    started_on: Mapped[date] = mapped_column(Date)
    planned_days: Mapped[int] = mapped_column(Integer)
    funding: Mapped[Funding] = mapped_column(enum_column(Funding, "funding"))
    partner: Mapped[str | None] = mapped_column(String(200))  # "Mitra" of e-PPGBM
    cycle: Mapped[int | None] = mapped_column(Integer)  # "Siklus PMT" of e-PPGBM
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("nutrition_case.id", ondelete="SET NULL"), index=True
    )
    baseline_measurement_id: Mapped[int | None] = mapped_column(
        ForeignKey("measurement.id", ondelete="SET NULL")
    )
    override_reason: Mapped[str | None] = mapped_column(String(500))  # enrolled though refused
    start_muac_cm: Mapped[float | None] = mapped_column(Float)  # a pregnancy's LiLA at the start
    end_muac_cm: Mapped[float | None] = mapped_column(Float)  # and at the end (recovery)
    ended_on: Mapped[date | None] = mapped_column(Date)
    exit: Mapped[EpisodeExit | None] = mapped_column(enum_column(EpisodeExit, "episode_exit"))
    exit_note: Mapped[str | None] = mapped_column(String(500))
    import_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_file.id"), index=True
    )  # None: enrolled on a form
    import_key: Mapped[str | None] = mapped_column(String(64), unique=True)  # re-import guard
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class PmtServing(Base):
    """One serving given on one day of an episode; a second one that day is refused."""

    __tablename__ = "pmt_serving"
    __table_args__ = (
        UniqueConstraint("episode_id", "served_on"),
        Index("ix_pmt_serving_served_on", "served_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("pmt_episode.id", ondelete="CASCADE"))
    served_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
