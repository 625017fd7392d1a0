"""Models of the 8 aksi konvergensi of each year and the lokus kelurahan chosen in the
analisis situasi (issue 16; docs/aksi.md, docs/data-model.md).

Kept apart from ``models_tpps.py`` for size; all share ``Base`` and one Alembic history.
The rules (the scorecard's points, the lokus ranking) live in :mod:`tumbuh.growth.aksi`
and :mod:`tumbuh.growth.lokus`.
"""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tumbuh.db.models import Base, enum_column
from tumbuh.growth.aksi import Aksi
from tumbuh.growth.tpps import ActionStatus


class AksiRecord(Base):
    """One aksi of one year: where it stands, when it was done, the office that owns it.
    Its evidence files are ``evidence_document`` rows with subject ``aksi`` and this id."""

    __tablename__ = "aksi_record"
    __table_args__ = (
        UniqueConstraint("year", "aksi", name="uq_aksi_record_year_aksi"),
        CheckConstraint("year BETWEEN 2018 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    aksi: Mapped[Aksi] = mapped_column(enum_column(Aksi, "aksi"))
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus, "status"))
    done_on: Mapped[date | None] = mapped_column(Date)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    note: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LokusKelurahan(Base):
    """A kelurahan chosen as lokus of a year, with the figures of the round it was chosen
    on (a snapshot: later imports do not change why it was chosen)."""

    __tablename__ = "lokus_kelurahan"
    __table_args__ = (
        UniqueConstraint("year", "kelurahan_code", name="uq_lokus_kelurahan_year_code"),
        CheckConstraint("rank >= 1", name="rank_positive"),
        CheckConstraint("stunted >= 0 AND measured >= stunted", name="stunted_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    rank: Mapped[int] = mapped_column(Integer)  # the proposal's rank (1 = first)
    stunted: Mapped[int] = mapped_column(Integer)
    measured: Mapped[int] = mapped_column(Integer)
    krs_families: Mapped[int | None] = mapped_column(Integer)
    weighed: Mapped[int | None] = mapped_column(Integer)  # D of the round
    registered: Mapped[int | None] = mapped_column(Integer)  # S of the round
    round_month: Mapped[date] = mapped_column(Date)  # first day of the bulan timbang month
    chosen_on: Mapped[date] = mapped_column(Date)
    chosen_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
