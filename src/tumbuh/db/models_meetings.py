"""Models of the TPPS's meetings (issue 16, docs/tpps.md "Meetings"): a TPPS meeting, a
rembuk stunting or a dissemination of the audit, the institutions present, its decisions,
and which actions (commitments, RTL items) each decision gave rise to or refers to.

Kept apart from ``models.py`` and ``models_tpps.py`` for size; all share ``Base`` and one
Alembic history. Minutes and attendance lists are ``evidence_document`` rows with subject
``meeting``.
"""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tumbuh.db.models import Base, enum_column
from tumbuh.growth.partners import MeetingKind


class Meeting(Base):
    """A meeting that agrees decisions: its day, kind, title, place, chair and the others
    present that are not partner institutions (free text)."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind, "meeting_kind"))
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(150))
    chair: Mapped[str | None] = mapped_column(String(150))
    others: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MeetingAttendee(Base):
    """An institution present at a meeting."""

    __tablename__ = "meeting_attendee"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), primary_key=True)


class MeetingDecision(Base):
    """A decision of a meeting, numbered in the order it was recorded."""

    __tablename__ = "meeting_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DecisionAction(Base):
    """An action (commitment or RTL item) that a decision gave rise to or refers to."""

    __tablename__ = "decision_action"

    decision_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_decision.id", ondelete="CASCADE"), primary_key=True
    )
    action_id: Mapped[int] = mapped_column(
        ForeignKey("action_item.id", ondelete="CASCADE"), primary_key=True, index=True
    )
