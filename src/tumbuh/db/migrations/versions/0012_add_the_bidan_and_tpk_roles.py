"""Add the bidan and TPK roles: 'bidan' and 'tpk' among the roles (#15).

A bidan (midwife) registers pregnancies, their ANC and post-partum visits and the births;
a TPK (Tim Pendamping Keluarga) visits families. Both work in an area: the working area
of their puskesmas, or the kelurahan of their posyandu, so the account names one of the
two (checks ``ck_app_user_bidan_area`` and ``ck_app_user_tpk_area``; docs/security.md,
"The bidan and the TPK").

SQLite rebuilds ``app_user`` to change its CHECK constraints, as in migration 0010.
Downgrading cannot keep a bidan or a TPK (the old schema has no such roles): their
accounts are deactivated and become ``partner`` (figures only), so the audit rows that
name them stay valid.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-11
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = ("admin", "analyst", "nutritionist", "kader", "partner", "kitchen", "sponsor")
NEW_ROLES = (*OLD_ROLES, "bidan", "tpk")
AREA = "role <> '{role}' OR puskesmas_id IS NOT NULL OR posyandu_id IS NOT NULL"


def _roles(values: tuple[str, ...]) -> str:
    return "role IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_app_user_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_app_user_role"), _roles(NEW_ROLES))
        for role in ("bidan", "tpk"):
            batch_op.create_check_constraint(
                batch_op.f(f"ck_app_user_{role}_area"), AREA.format(role=role)
            )


def downgrade() -> None:
    """Revert this migration."""
    op.execute(
        "UPDATE app_user SET role = 'partner', is_active = false, "
        "session_version = session_version + 1 WHERE role IN ('bidan', 'tpk')"
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        for role in ("bidan", "tpk"):
            batch_op.drop_constraint(batch_op.f(f"ck_app_user_{role}_area"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_app_user_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_app_user_role"), _roles(OLD_ROLES))
