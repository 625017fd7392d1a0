"""Add measurement.pmt_received_kg and pmt_received_raw: e-PPGBM's PMT Diterima (kg) (#14).

The importer used to read the column and drop it; it now keeps the clean value (kg) and
the cell as the file wrote it. Existing measurements have neither.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pmt_received_kg", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("pmt_received_raw", sa.String(length=40), nullable=True))


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_column("pmt_received_raw")
        batch_op.drop_column("pmt_received_kg")
