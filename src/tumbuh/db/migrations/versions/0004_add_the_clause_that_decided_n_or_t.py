"""Add measurement_derived.weight_trend_clause: which Buku KIA clause decided N or T (#13).

N/T now follows the KMS channel of the weight-for-age z-score before the KBM
(tumbuh.growth.weight_gain). Existing rows keep their old code and get no clause until
``tumbuh db recompute`` derives them again with the new rule.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("measurement_derived", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "weight_trend_clause",
                sa.Enum(
                    "channel",
                    "kbm",
                    "falling",
                    "flat",
                    "dropped_channel",
                    "below_kbm",
                    name="weight_trend_clause",
                    native_enum=False,
                    create_constraint=True,
                ),
                nullable=True,
            )
        )


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("measurement_derived", schema=None) as batch_op:
        # the enum's CHECK goes first, or SQLite's table copy would still name the column
        batch_op.drop_constraint(
            batch_op.f("ck_measurement_derived_weight_trend_clause"), type_="check"
        )
        batch_op.drop_column("weight_trend_clause")
