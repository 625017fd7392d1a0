"""Models of Bapak Asuh Anak Stunting (issue 14): sponsors, their pledges, the money Baznas
received and disbursed, the sponsorships (asuhan) and their deliveries (docs/asuh.md,
docs/data-model.md).

Kept apart from ``models.py`` for size; all share ``Base`` and one Alembic history.
Amounts are whole rupiah (``BigInteger``: Rp 2.1 billion does not fit an ``Integer``).
Each rupiah disbursed is tied to the payment it was drawn on (``asuh_allocation``), so a
sponsor's money can be followed to the kelurahan it reached. A disbursement to a kitchen
keeps the kitchen's name and, when known, the PMT kitchen (``kitchen_id``).
"""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from tumbuh.db.models import Base, enum_column
from tumbuh.growth.asuh import AsuhanKind, Channel, PledgeKind, RecipientKind, SponsorKind


class Sponsor(Base):
    """A bapak asuh: an official with the OPD they lead, an institution, a firm or a person.
    Listed by name on the public page only with ``listed_publicly`` (default no)."""

    __tablename__ = "asuh_sponsor"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SponsorKind] = mapped_column(enum_column(SponsorKind, "kind"))
    name: Mapped[str] = mapped_column(String(100))
    institution: Mapped[str | None] = mapped_column(String(200))  # OPD, company, unit
    contact: Mapped[str | None] = mapped_column(String(200))  # telephone or e-mail
    listed_publicly: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Pledge(Base):
    """What a sponsor promised: an amount a month (or help in kind) for some months."""

    __tablename__ = "asuh_pledge"
    __table_args__ = (
        CheckConstraint(
            "kind <> 'money' OR monthly_amount_rupiah > 0", name="money_pledge_has_amount"
        ),
        CheckConstraint(
            "kind <> 'in_kind' OR in_kind IS NOT NULL", name="in_kind_pledge_says_what"
        ),
        CheckConstraint("months >= 1", name="months_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sponsor_id: Mapped[int] = mapped_column(ForeignKey("asuh_sponsor.id"), index=True)
    kind: Mapped[PledgeKind] = mapped_column(enum_column(PledgeKind, "kind"))
    monthly_amount_rupiah: Mapped[int | None] = mapped_column(BigInteger)
    in_kind: Mapped[str | None] = mapped_column(String(200))  # what, for help in kind
    months: Mapped[int] = mapped_column(Integer)
    start_month: Mapped[date] = mapped_column(Date)  # first day of the first month
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"))
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Payment(Base):
    """Money a sponsor paid, as Baznas received it (its reference is unique)."""

    __tablename__ = "asuh_payment"
    __table_args__ = (CheckConstraint("amount_rupiah > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sponsor_id: Mapped[int] = mapped_column(ForeignKey("asuh_sponsor.id"), index=True)
    pledge_id: Mapped[int | None] = mapped_column(ForeignKey("asuh_pledge.id"))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    amount_rupiah: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(100), unique=True)  # Baznas receipt
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Disbursement(Base):
    """Money Baznas paid out on a kelurahan's proposal: to a kitchen or as family packages."""

    __tablename__ = "asuh_disbursement"
    __table_args__ = (
        CheckConstraint("amount_rupiah > 0", name="amount_positive"),
        CheckConstraint(
            "recipient_kind <> 'kitchen' OR kitchen_name IS NOT NULL", name="kitchen_named"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    paid_on: Mapped[date] = mapped_column(Date, index=True)
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    amount_rupiah: Mapped[int] = mapped_column(BigInteger)
    proposal_reference: Mapped[str] = mapped_column(String(100))  # the lurah's proposal
    recipient_kind: Mapped[RecipientKind] = mapped_column(
        enum_column(RecipientKind, "recipient_kind")
    )
    kitchen_id: Mapped[int | None] = mapped_column(ForeignKey("kitchen.id"))  # when known
    kitchen_name: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Allocation(Base):
    """Rupiah of one disbursement drawn on one payment (first in, first out)."""

    __tablename__ = "asuh_allocation"
    __table_args__ = (CheckConstraint("amount_rupiah > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    disbursement_id: Mapped[int] = mapped_column(
        ForeignKey("asuh_disbursement.id", ondelete="CASCADE"), index=True
    )
    payment_id: Mapped[int] = mapped_column(ForeignKey("asuh_payment.id"), index=True)
    amount_rupiah: Mapped[int] = mapped_column(BigInteger)


class Asuhan(Base):
    """A sponsorship: a sponsor and a child or a family, of one kind, from a start (to an
    end). ``case_id`` is the stunting case it was proposed from, when it was."""

    __tablename__ = "asuhan"
    __table_args__ = (
        CheckConstraint(
            "(child_id IS NOT NULL AND family_id IS NULL) "
            "OR (child_id IS NULL AND family_id IS NOT NULL)",
            name="child_or_family",
        ),
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sponsor_id: Mapped[int] = mapped_column(ForeignKey("asuh_sponsor.id"), index=True)
    kind: Mapped[AsuhanKind] = mapped_column(enum_column(AsuhanKind, "kind"))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"), index=True)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("nutrition_case.id", ondelete="SET NULL")
    )
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Delivery(Base):
    """Help delivered under an asuhan: what, when, who delivered it."""

    __tablename__ = "asuh_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    asuhan_id: Mapped[int] = mapped_column(ForeignKey("asuhan.id", ondelete="CASCADE"), index=True)
    delivered_on: Mapped[date] = mapped_column(Date)
    what: Mapped[str] = mapped_column(String(200))
    delivered_by: Mapped[str] = mapped_column(String(100))  # the TPK member, kader or kitchen
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
