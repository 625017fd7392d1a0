"""Targets that compare like with like (#16): ``prevalence_target.scale``.

A local target now says what it is measured on: ``survey`` (SSGI/SKI), ``register``
(e-PPGBM) or ``administrative`` (coverage, services). Every row already there is a
stunting target set on the survey scale, as Kota Cilegon's 9 % of 2023 is
(docs/domain.md §13), so existing rows become ``survey``; the column is then required.
Downgrading drops the column (the old schema had no scale).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCALE = sa.Enum(
    "survey",
    "register",
    "administrative",
    name="target_scale",
    native_enum=False,
    create_constraint=True,
)


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("prevalence_target", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scale", sa.String(length=14), nullable=True))
    op.execute("UPDATE prevalence_target SET scale = 'survey'")
    with op.batch_alter_table("prevalence_target", schema=None) as batch_op:
        batch_op.alter_column(
            "scale", existing_type=sa.String(length=14), type_=SCALE, nullable=False
        )


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("prevalence_target", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_prevalence_target_target_scale"), type_="check")
        batch_op.drop_column("scale")
