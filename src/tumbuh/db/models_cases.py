"""Models of the cases (issue 13): a child's nutrition problem followed from referral to
its end, and the history of its steps (docs/cases.md, docs/data-model.md).

Kept apart from ``models.py`` for size; both share ``Base`` and one Alembic history.
One OPEN case per child and problem is enforced by a partial unique index (``status <>
'selesai'``), the same on SQLite and PostgreSQL.
"""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from tumbuh.db.models import Base, enum_column
from tumbuh.growth.cases import CaseStatus, Intervention, Outcome, Problem

OPEN_CASE = "status <> 'selesai'"


class NutritionCase(Base):
    """One case: a child, a problem, where it stands, and each step's findings."""

    __tablename__ = "nutrition_case"
    __table_args__ = (
        Index(
            "uq_nutrition_case_open_child_problem",
            "child_id",
            "problem",
            unique=True,
            sqlite_where=text(OPEN_CASE),
            postgresql_where=text(OPEN_CASE),
        ),
        Index("ix_nutrition_case_status_next_due_on", "status", "next_due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    problem: Mapped[Problem] = mapped_column(enum_column(Problem, "problem"))
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus, "status"))
    opened_on: Mapped[date] = mapped_column(Date)
    opened_month: Mapped[date] = mapped_column(Date)  # first day of the referral month
    reasons: Mapped[str] = mapped_column(String(100))  # referral reason codes, space-separated
    measurement_id: Mapped[int | None] = mapped_column(
        ForeignKey("measurement.id", ondelete="SET NULL")
    )  # the measurement the case was opened on
    severity: Mapped[int] = mapped_column(Integer)  # 1: gizi buruk, the most urgent
    referred_on: Mapped[date | None] = mapped_column(Date)
    referred_to: Mapped[str | None] = mapped_column(String(200))
    examined_on: Mapped[date | None] = mapped_column(Date)
    diagnosis_confirmed: Mapped[bool | None] = mapped_column(Boolean)
    comorbidity: Mapped[str | None] = mapped_column(String(200))
    given: Mapped[str | None] = mapped_column(String(200))
    treated_on: Mapped[date | None] = mapped_column(Date)
    intervention: Mapped[Intervention | None] = mapped_column(
        enum_column(Intervention, "intervention")
    )
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "outcome"))
    note: Mapped[str | None] = mapped_column(String(500))
    next_due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class CaseStep(Base):
    """One step of a case's history: the status it reached, on which day, by whom, and
    that step's fields (JSON)."""

    __tablename__ = "case_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("nutrition_case.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus, "status"))
    taken_on: Mapped[date] = mapped_column(Date)  # the day the step happened
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    actor: Mapped[str] = mapped_column(String(80))
    fields: Mapped[str] = mapped_column(Text)  # JSON of the step's fields
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
