"""Add the kitchen role: app_user.kitchen_id, and 'kitchen' among the roles (#14).

A kitchen operator signs in to fill the daily serving log of one kitchen; the account
names its kitchen (``kitchen_id``), which the check ``ck_app_user_kitchen_place`` makes
required for the role (docs/security.md, "The kitchen operator").

SQLite rebuilds ``app_user`` to change its CHECK constraints. Other tables point at it
(audit rows, sessions, cases...): ``tumbuh.db.migrate`` runs the migrations with the
foreign keys off on SQLite and checks them before the commit, so the rebuild keeps them.

Downgrading cannot keep a kitchen operator (the old schema has no such role): their
accounts are deactivated and become ``partner`` (figures only), so the audit rows that
name them stay valid.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = ("admin", "analyst", "nutritionist", "kader", "partner", "sponsor")  # 0008's
NEW_ROLES = ("admin", "analyst", "nutritionist", "kader", "partner", "kitchen", "sponsor")


def _roles(values: tuple[str, ...]) -> str:
    return "role IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kitchen_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_app_user_kitchen_id_kitchen"), "kitchen", ["kitchen_id"], ["id"]
        )
        batch_op.drop_constraint(batch_op.f("ck_app_user_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_app_user_role"), _roles(NEW_ROLES))
        batch_op.create_check_constraint(
            batch_op.f("ck_app_user_kitchen_place"),
            "role <> 'kitchen' OR kitchen_id IS NOT NULL",
        )


def downgrade() -> None:
    """Revert this migration."""
    op.execute(
        "UPDATE app_user SET role = 'partner', is_active = false, "
        "session_version = session_version + 1 WHERE role = 'kitchen'"
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_app_user_kitchen_place"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_app_user_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_app_user_role"), _roles(OLD_ROLES))
        batch_op.drop_constraint(batch_op.f("fk_app_user_kitchen_id_kitchen"), type_="foreignkey")
        batch_op.drop_column("kitchen_id")
