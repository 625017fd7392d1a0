"""Add nutrition_case and case_step: cases followed from referral to their end (#13).

One OPEN case per child and problem is a partial unique index (``status <> 'selesai'``),
which SQLite (3.8+) and PostgreSQL both enforce (docs/cases.md).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "nutrition_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column(
            "problem",
            sa.Enum(
                "wasting",
                "underweight",
                "stunting",
                "faltering",
                "overweight",
                name="problem",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "perlu_dirujuk",
                "dirujuk",
                "diperiksa",
                "ditangani",
                "selesai",
                name="status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("opened_month", sa.Date(), nullable=False),
        sa.Column("reasons", sa.String(length=100), nullable=False),
        sa.Column("measurement_id", sa.Integer(), nullable=True),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=True),
        sa.Column("referred_to", sa.String(length=200), nullable=True),
        sa.Column("examined_on", sa.Date(), nullable=True),
        sa.Column("diagnosis_confirmed", sa.Boolean(), nullable=True),
        sa.Column("comorbidity", sa.String(length=200), nullable=True),
        sa.Column("given", sa.String(length=200), nullable=True),
        sa.Column("treated_on", sa.Date(), nullable=True),
        sa.Column(
            "intervention",
            sa.Enum(
                "counselling",
                "pmt",
                "treatment",
                "hospital_referral",
                name="intervention",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "recovered",
                "moved",
                "aged_out",
                "died",
                "refused",
                name="outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("next_due_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_nutrition_case_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_nutrition_case_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["measurement_id"],
            ["measurement.id"],
            name=op.f("fk_nutrition_case_measurement_id_measurement"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["app_user.id"], name=op.f("fk_nutrition_case_updated_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nutrition_case")),
    )
    with op.batch_alter_table("nutrition_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nutrition_case_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            "ix_nutrition_case_status_next_due_on", ["status", "next_due_on"], unique=False
        )
        batch_op.create_index(
            "uq_nutrition_case_open_child_problem",
            ["child_id", "problem"],
            unique=True,
            sqlite_where=sa.text("status <> 'selesai'"),
            postgresql_where=sa.text("status <> 'selesai'"),
        )

    op.create_table(
        "case_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "perlu_dirujuk",
                "dirujuk",
                "diperiksa",
                "ditangani",
                "selesai",
                name="status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["nutrition_case.id"],
            name=op.f("fk_case_step_case_id_nutrition_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_case_step_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_step")),
    )
    with op.batch_alter_table("case_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_step_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("case_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_step_case_id"))

    op.drop_table("case_step")
    with op.batch_alter_table("nutrition_case", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_nutrition_case_open_child_problem",
            sqlite_where=sa.text("status <> 'selesai'"),
            postgresql_where=sa.text("status <> 'selesai'"),
        )
        batch_op.drop_index("ix_nutrition_case_status_next_due_on")
        batch_op.drop_index(batch_op.f("ix_nutrition_case_child_id"))

    op.drop_table("nutrition_case")
