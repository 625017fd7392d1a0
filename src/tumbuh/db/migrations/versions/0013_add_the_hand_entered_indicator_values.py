"""Add the hand-entered figures of the intervention indicators (#15): ``indicator_value``.

One row per area (the city or a kelurahan), year and indicator of Perpres 72/2021 Annex A
that Tumbuh cannot compute (adolescent girls' TTD, the sensitive indicators): the figure
in percent, the numerator and denominator when the source gives them, and the source
(docs/indicators.md, "Entered by hand").

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "indicator_value",
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("numerator", sa.Integer(), nullable=True),
        sa.Column("denominator", sa.Integer(), nullable=True),
        sa.Column("percent", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "percent BETWEEN 0 AND 100", name=op.f("ck_indicator_value_percent_range")
        ),
        sa.CheckConstraint(
            "numerator IS NULL OR (numerator >= 0 AND denominator IS NOT NULL "
            "AND numerator <= denominator)",
            name=op.f("ck_indicator_value_numerator_within_denominator"),
        ),
        sa.CheckConstraint(
            "denominator IS NULL OR denominator > 0",
            name=op.f("ck_indicator_value_denominator_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["app_user.id"], name=op.f("fk_indicator_value_entered_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_indicator_value_region_code_region")
        ),
        sa.PrimaryKeyConstraint(
            "region_code", "year", "indicator", name=op.f("pk_indicator_value")
        ),
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_table("indicator_value")
