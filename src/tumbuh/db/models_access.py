"""Models for users, their roles and the audit trail (issue 7), and for targets and survey
figures that surveillance compares the register with (issues 5 and 6).

Kept apart from ``models.py`` (the registry) for size; both share ``Base`` and one Alembic
history. ``tumbuh.db.models`` imports this module, so the metadata is always complete.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tumbuh.db.models import Base, enum_column
from tumbuh.growth.targets import TargetScale


class Role(StrEnum):
    """What a user may see and do; the area comes from the user's puskesmas or posyandu."""

    ADMIN = "admin"  # health office: everything, users, audit log
    ANALYST = "analyst"  # TPPS / Bappeda: all figures of the city, no names or NIK
    NUTRITIONIST = "nutritionist"  # puskesmas nutrition officer: the puskesmas working area
    KADER = "kader"  # posyandu volunteer: that posyandu
    PARTNER = "partner"  # programme partner: figures only, read-only
    KITCHEN = "kitchen"  # PMT kitchen operator: that kitchen's serving log, nothing else
    SPONSOR = "sponsor"  # a bapak asuh: their own sponsored children and money, nothing else
    BIDAN = "bidan"  # midwife: pregnancies, births and bufas of a puskesmas area or kelurahan
    TPK = "tpk"  # Tim Pendamping Keluarga: the families of a puskesmas area or kelurahan
    AUDITOR = "auditor"  # a member of an Audit Kasus Stunting team: the audits they are on


class AppUser(Base):
    """A person who logs in to the web application (``user`` is reserved in PostgreSQL)."""

    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(
            "role <> 'nutritionist' OR puskesmas_id IS NOT NULL", name="nutritionist_area"
        ),
        CheckConstraint("role <> 'kader' OR posyandu_id IS NOT NULL", name="kader_area"),
        CheckConstraint("role <> 'kitchen' OR kitchen_id IS NOT NULL", name="kitchen_place"),
        CheckConstraint("role <> 'sponsor' OR sponsor_id IS NOT NULL", name="sponsor_record"),
        CheckConstraint(
            "role <> 'bidan' OR puskesmas_id IS NOT NULL OR posyandu_id IS NOT NULL",
            name="bidan_area",
        ),
        CheckConstraint(
            "role <> 'tpk' OR puskesmas_id IS NOT NULL OR posyandu_id IS NOT NULL",
            name="tpk_area",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, never the password
    full_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    puskesmas_id: Mapped[int | None] = mapped_column(ForeignKey("puskesmas.id"))
    posyandu_id: Mapped[int | None] = mapped_column(ForeignKey("posyandu.id"))
    kitchen_id: Mapped[int | None] = mapped_column(ForeignKey("kitchen.id"))  # role kitchen
    # The sponsor record a sponsor's account belongs to (models_asuh).
    sponsor_id: Mapped[int | None] = mapped_column(ForeignKey("asuh_sponsor.id"))
    # The partner institution a partner's account speaks for (models_tpps): it sees and
    # updates that institution's commitments and RTL items.
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    language: Mapped[str] = mapped_column(String(2), default="id")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Sessions carry the version they were signed in with; a new password, role or area,
    # or a deactivation adds one, which ends every session of the user at once.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class EndedSession(Base):
    """A session ended by signing out, refused until its absolute lifetime is over
    (then it may be deleted). The id is the SHA-256 of the session's random id."""

    __tablename__ = "ended_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    ended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class WorkListVisit(Base):
    """When a user last opened their work list: the cases opened after it are "new since
    your last visit" on the nutritionist's list (docs/web.md, "Home pages")."""

    __tablename__ = "work_list_visit"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    """One login attempt, kept for rate limiting across worker processes."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_username_attempted_at", "username", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50))
    ip_address: Mapped[str] = mapped_column(String(45), index=True)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class AuditAction(StrEnum):
    """What happened to a record."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class AuditEntry(Base):
    """A change to a child, a measurement or a user account: who, when, before and after
    (JSON text)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    actor: Mapped[str] = mapped_column(String(80))  # username, or "cli"/"import" for tools
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction, "action"))
    entity: Mapped[str] = mapped_column(String(40))  # child, measurement or user
    entity_id: Mapped[int] = mapped_column(Integer)
    before: Mapped[str | None] = mapped_column(Text)  # JSON of the record before the change
    after: Mapped[str | None] = mapped_column(Text)  # JSON after the change
    # Set on the rows an import writes, and on the import's own row (entity "import").
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"), index=True)


class TargetPopulation(Base):
    """Target number of balita (S) of a kelurahan for a year, as Dinkes sets it."""

    __tablename__ = "target_population"

    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    balita: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(200))


class PrevalenceTarget(Base):
    """A local target for an indicator (e.g. stunting 9 % in 2023) for an area and year."""

    __tablename__ = "prevalence_target"

    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(30), primary_key=True)  # e.g. stunting
    percent: Mapped[float] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(200))
    # What the target is measured on (issue 16): a city's stunting target is a survey
    # figure (docs/domain.md §13), so it is never drawn beside the register.
    scale: Mapped[TargetScale] = mapped_column(enum_column(TargetScale, "target_scale"))


class SurveyFigure(Base):
    """A survey estimate (SSGI, SKI, ...) for an area and year, shown beside the register."""

    __tablename__ = "survey_figure"

    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey: Mapped[str] = mapped_column(String(20), primary_key=True)  # SSGI, SKI, ...
    indicator: Mapped[str] = mapped_column(String(30), primary_key=True)
    percent: Mapped[float] = mapped_column(Float)
    low_percent: Mapped[float | None] = mapped_column(Float)  # 95 % interval, when published
    high_percent: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(300))
