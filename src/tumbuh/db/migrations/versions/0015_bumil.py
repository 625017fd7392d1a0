"""Feed pregnant women with KEK (#15): the LiLA at the start and end of an episode, and
one open episode per pregnancy (``uq_pmt_episode_open_pregnancy``), as per child
(docs/pmt.md, "Pregnant women with KEK").

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "ended_on IS NULL AND pregnancy_id IS NOT NULL"


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("pmt_episode", schema=None) as batch_op:
        batch_op.add_column(sa.Column("start_muac_cm", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("end_muac_cm", sa.Float(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_pmt_episode_start_muac_range"),
            "start_muac_cm IS NULL OR start_muac_cm BETWEEN 10 AND 50",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_pmt_episode_end_muac_range"),
            "end_muac_cm IS NULL OR end_muac_cm BETWEEN 10 AND 50",
        )
        batch_op.create_index(
            "uq_pmt_episode_open_pregnancy",
            ["pregnancy_id"],
            unique=True,
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("pmt_episode", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_pmt_episode_open_pregnancy",
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )
        batch_op.drop_constraint(batch_op.f("ck_pmt_episode_end_muac_range"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_pmt_episode_start_muac_range"), type_="check")
        batch_op.drop_column("end_muac_cm")
        batch_op.drop_column("start_muac_cm")
