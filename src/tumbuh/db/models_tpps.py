"""Models of the TPPS's work shared by the audit, the partners and the 8 aksi (issue 16):
the partner institutions (city offices, Polres, Kodim, Kemenag, Baznas, TP PKK, camat,
lurah, companies), the actions they are responsible for (an RTL item of the audit or a
commitment made at a TPPS meeting: one table, so a partner sees and updates both in one
place) and the evidence files kept for an action, an aksi or a meeting (docs/tpps.md,
docs/data-model.md).

Kept apart from ``models.py`` for size; all share ``Base`` and one Alembic history. The
rules (statuses, when an action is overdue, which files are evidence) live in
:mod:`tumbuh.growth.tpps`.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tumbuh.db.models import Base, enum_column
from tumbuh.growth.tpps import ActionKind, ActionStatus, EvidenceKind, InstitutionKind


class EvidenceSubject(StrEnum):
    """What an evidence file belongs to (one table each, by id)."""

    RTL_ITEM = "rtl_item"  # an RTL item of the Audit Kasus Stunting
    COMMITMENT = "commitment"  # a partner's commitment
    AKSI = "aksi"  # one of the 8 aksi konvergensi of a year
    MEETING = "meeting"  # minutes or attendance list of a TPPS meeting


class Institution(Base):
    """A body that works with the TPPS and can be made responsible for an action."""

    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(30))  # Dinkes, Polres, ...
    kind: Mapped[InstitutionKind] = mapped_column(enum_column(InstitutionKind, "institution_kind"))
    # The kecamatan of a camat's office, the kelurahan of a lurah's; None for the city.
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EvidenceDocument(Base):
    """A file kept as evidence that an action was done, stored in the database with its
    checksum, so it is backed up and written in the same transaction as the change."""

    __tablename__ = "evidence_document"
    __table_args__ = (
        Index("ix_evidence_document_subject", "subject", "subject_id"),
        CheckConstraint("size_bytes > 0 AND size_bytes <= 5242880", name="size_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[EvidenceSubject] = mapped_column(enum_column(EvidenceSubject, "subject"))
    subject_id: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind, "evidence_kind"))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    note: Mapped[str | None] = mapped_column(String(300))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ActionItem(Base):
    """An action an institution is responsible for: an RTL item (from a recommendation of
    the Audit Kasus Stunting) or a commitment (made at a TPPS meeting or rembuk). What,
    where, by when, with what budget; its status, what was delivered, and for an RTL item
    the next semester's evaluation. Evidence files are ``evidence_document`` rows with
    subject ``rtl_item`` or ``commitment``."""

    __tablename__ = "action_item"
    __table_args__ = (
        CheckConstraint("budget_rupiah IS NULL OR budget_rupiah >= 0", name="budget_positive"),
        CheckConstraint(
            "due_on IS NULL OR starts_on IS NULL OR due_on >= starts_on", name="due_after_start"
        ),
        Index("ix_action_item_institution_status", "institution_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActionKind] = mapped_column(enum_column(ActionKind, "action_kind"))
    action: Mapped[str] = mapped_column(String(500))  # what will be done
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"))
    # Where: a kelurahan (a lokus, usually); None for the whole city.
    kelurahan_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    agreed_on: Mapped[date] = mapped_column(Date)  # the meeting or audit that agreed it
    starts_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    budget_rupiah: Mapped[int | None] = mapped_column(BigInteger)
    budget_source: Mapped[str | None] = mapped_column(String(100))  # APBD, CSR, Baznas, ...
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus, "status"))
    delivered: Mapped[str | None] = mapped_column(Text)  # what was done, in the partner's words
    done_on: Mapped[date | None] = mapped_column(Date)
    evaluation: Mapped[str | None] = mapped_column(Text)  # RTL: next semester's verdict
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
