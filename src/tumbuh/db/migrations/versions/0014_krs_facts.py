"""Add the facts behind a pregnancy's "terlalu dekat" and "terlalu banyak" (#15):
``pregnancy.previous_live_births`` (paritas: children born alive before it) and
``pregnancy.previous_birth_on`` (the day of the last birth), asked at registration
(docs/pregnancies.md). Rows written before stay empty: not asked.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("pregnancy", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_live_births", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("previous_birth_on", sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_pregnancy_previous_live_births_range"),
            "previous_live_births IS NULL OR previous_live_births BETWEEN 0 AND 20",
        )


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("pregnancy", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_pregnancy_previous_live_births_range"), type_="check"
        )
        batch_op.drop_column("previous_birth_on")
        batch_op.drop_column("previous_live_births")
