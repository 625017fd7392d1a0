"""Add work_list_visit: when each user last opened their work list (#13).

The nutritionist's work list shows the cases opened since her last visit.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "work_list_visit",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_work_list_visit_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_work_list_visit")),
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_table("work_list_visit")
