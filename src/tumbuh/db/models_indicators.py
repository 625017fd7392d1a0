"""The figures of the intervention indicators entered by hand (issue 15; docs/indicators.md).

The indicators Tumbuh cannot compute from its register (adolescent girls' TTD and the
sensitive indicators of Perpres 72/2021 Annex A, ``tumbuh.growth.indicators.CATALOGUE``)
are entered once a year per area (the city or a kelurahan), with the source they were
copied from. The targets are the catalogue's (they come from the Perpres, not from the
city), so no table keeps them.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tumbuh.db.models import Base

SOURCE_LENGTH = 300


class IndicatorValue(Base):
    """A hand-entered figure of one indicator, area and year, with its source."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
        CheckConstraint(
            "numerator IS NULL OR (numerator >= 0 AND denominator IS NOT NULL "
            "AND numerator <= denominator)",
            name="numerator_within_denominator",
        ),
        CheckConstraint("denominator IS NULL OR denominator > 0", name="denominator_positive"),
    )

    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(40), primary_key=True)  # an IndicatorCode
    numerator: Mapped[int | None] = mapped_column(Integer)
    denominator: Mapped[int | None] = mapped_column(Integer)
    percent: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(SOURCE_LENGTH))
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
