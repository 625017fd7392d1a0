"""Models of the Audit Kasus Stunting (issue 16; docs/aks.md, docs/data-model.md): one
audit per semester, its locus kelurahan, the members of its three teams, its cases (each
a child, a pregnancy or a catin of the registers, confirmed by the Tim Teknis) with the
Tim Pakar's worksheet (KKA), the recommendations for the system, and which RTL items
(``action_item`` rows of kind ``rtl``) came out of it.

Kept apart from ``models.py`` for size; all share ``Base`` and one Alembic history. The
rules (who is proposed as a case, the closed sets) live in :mod:`tumbuh.growth.aks`.
"""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tumbuh.db.models import Base, enum_column
from tumbuh.growth.aks import ExpertRole, TargetGroup, Team


class AksAudit(Base):
    """One semester's audit: when it began and its dissemination meeting."""

    __tablename__ = "aks_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    semester: Mapped[str] = mapped_column(String(7), unique=True)  # 2024-S2
    started_on: Mapped[date] = mapped_column(Date)
    disseminated_on: Mapped[date | None] = mapped_column(Date)
    dissemination_place: Mapped[str | None] = mapped_column(String(200))
    dissemination_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AksLocus(Base):
    """A kelurahan whose records the audit looks at."""

    __tablename__ = "aks_locus"

    audit_id: Mapped[int] = mapped_column(
        ForeignKey("aks_audit.id", ondelete="CASCADE"), primary_key=True
    )
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)


class AksMember(Base):
    """A person on one of the audit's teams; ``user_id`` links the account that opens
    the audit's pages (the audit team only: its cases carry identities)."""

    __tablename__ = "aks_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(
        ForeignKey("aks_audit.id", ondelete="CASCADE"), index=True
    )
    team: Mapped[Team] = mapped_column(enum_column(Team, "team"))
    role: Mapped[ExpertRole] = mapped_column(enum_column(ExpertRole, "role"))
    name: Mapped[str] = mapped_column(String(120))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)


class AksCase(Base):
    """A case of the audit (a child, a pregnancy or a catin) and its KKA: the Tim Teknis
    confirms it with the reasons it was proposed for; the Tim Pakar fills the rest."""

    __tablename__ = "aks_case"
    __table_args__ = (
        UniqueConstraint("audit_id", "number"),
        CheckConstraint(
            "child_id IS NOT NULL OR pregnancy_id IS NOT NULL OR catin_id IS NOT NULL",
            name="has_subject",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(
        ForeignKey("aks_audit.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)  # the case number on the KKA, 1, 2, ...
    target_group: Mapped[TargetGroup] = mapped_column(enum_column(TargetGroup, "target_group"))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"), index=True)
    pregnancy_id: Mapped[int | None] = mapped_column(ForeignKey("pregnancy.id"), index=True)
    catin_id: Mapped[int | None] = mapped_column(ForeignKey("catin.id"), index=True)
    kelurahan_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    reasons: Mapped[str] = mapped_column(String(200))  # Reason codes, space-separated
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    confirmed_on: Mapped[date] = mapped_column(Date)
    # The KKA: what the team adds to the records, and the Tim Pakar's findings
    risk_factors: Mapped[str | None] = mapped_column(Text)
    services: Mapped[str | None] = mapped_column(Text)
    causes: Mapped[str | None] = mapped_column(String(200))  # Cause codes, space-separated
    analysis: Mapped[str | None] = mapped_column(Text)
    should_have: Mapped[str | None] = mapped_column(Text)  # what should have happened
    recommendation: Mapped[str | None] = mapped_column(Text)  # for this case
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AksRecommendation(Base):
    """A recommendation of the audit for the system (not for one case)."""

    __tablename__ = "aks_recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(
        ForeignKey("aks_audit.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AksRtl(Base):
    """An RTL item (an ``action_item`` of kind ``rtl``) of the audit, and the
    recommendation it follows."""

    __tablename__ = "aks_rtl"

    action_id: Mapped[int] = mapped_column(
        ForeignKey("action_item.id", ondelete="CASCADE"), primary_key=True
    )
    audit_id: Mapped[int] = mapped_column(
        ForeignKey("aks_audit.id", ondelete="CASCADE"), index=True
    )
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("aks_recommendation.id", ondelete="SET NULL")
    )
