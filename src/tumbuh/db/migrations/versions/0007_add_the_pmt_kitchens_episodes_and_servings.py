"""Add kitchen, kitchen_funding, pmt_episode and pmt_serving: PMT lokal (#14).

One OPEN episode per child is a partial unique index (``ended_on IS NULL``), which SQLite
(3.8+) and PostgreSQL both enforce; one serving per episode and day is a unique
constraint (docs/pmt.md).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "kitchen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "dapur_umum_pkk",
                "dashat",
                "kamus",
                "other",
                name="kitchen_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("kelurahan_code", sa.String(length=13), nullable=False),
        sa.Column(
            "operator",
            sa.Enum(
                "tp_pkk",
                "pokja",
                "tpk",
                "other",
                name="kitchen_operator",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("contact_name", sa.String(length=100), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("capacity > 0", name=op.f("ck_kitchen_capacity_positive")),
        sa.CheckConstraint("weekdays BETWEEN 1 AND 127", name=op.f("ck_kitchen_weekdays_range")),
        sa.ForeignKeyConstraint(
            ["kelurahan_code"], ["region.code"], name=op.f("fk_kitchen_kelurahan_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kitchen")),
        sa.UniqueConstraint("kelurahan_code", "name", name=op.f("uq_kitchen_kelurahan_code_name")),
    )
    with op.batch_alter_table("kitchen", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kitchen_kelurahan_code"), ["kelurahan_code"], unique=False
        )

    op.create_table(
        "kitchen_funding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kitchen_id", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "apbd",
                "dak",
                "baznas",
                "bapak_asuh",
                "csr",
                "other",
                name="funding",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("amount_rp", sa.BigInteger(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.CheckConstraint("amount_rp >= 0", name=op.f("ck_kitchen_funding_amount_not_negative")),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_kitchen_funding_period_order")),
        sa.ForeignKeyConstraint(
            ["kitchen_id"],
            ["kitchen.id"],
            name=op.f("fk_kitchen_funding_kitchen_id_kitchen"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kitchen_funding")),
    )
    with op.batch_alter_table("kitchen_funding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kitchen_funding_kitchen_id"), ["kitchen_id"], unique=False
        )

    op.create_table(
        "pmt_episode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kitchen_id", sa.Integer(), nullable=True),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("pregnancy_id", sa.Integer(), nullable=True),
        sa.Column(
            "indication",
            sa.Enum(
                "wasted",
                "underweight",
                "faltering",
                "pregnant_kek",
                name="indication",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("rules_version", sa.String(length=4), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("planned_days", sa.Integer(), nullable=False),
        sa.Column(
            "funding",
            sa.Enum(
                "apbd",
                "dak",
                "baznas",
                "bapak_asuh",
                "csr",
                "other",
                name="funding",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("partner", sa.String(length=200), nullable=True),
        sa.Column("cycle", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("baseline_measurement_id", sa.Integer(), nullable=True),
        sa.Column("override_reason", sa.String(length=500), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column(
            "exit",
            sa.Enum(
                "recovered",
                "not_recovered",
                "dropped_out",
                "moved",
                "referred",
                name="episode_exit",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("exit_note", sa.String(length=500), nullable=True),
        sa.Column("import_file_id", sa.Integer(), nullable=True),
        sa.Column("import_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(child_id IS NULL) <> (pregnancy_id IS NULL)", name=op.f("ck_pmt_episode_one_subject")
        ),
        sa.CheckConstraint(
            "ended_on IS NULL OR ended_on >= started_on",
            name=op.f("ck_pmt_episode_end_after_start"),
        ),
        sa.CheckConstraint("planned_days > 0", name=op.f("ck_pmt_episode_planned_days_positive")),
        sa.ForeignKeyConstraint(
            ["baseline_measurement_id"],
            ["measurement.id"],
            name=op.f("fk_pmt_episode_baseline_measurement_id_measurement"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["nutrition_case.id"],
            name=op.f("fk_pmt_episode_case_id_nutrition_case"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_pmt_episode_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_pmt_episode_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["import_file_id"],
            ["import_file.id"],
            name=op.f("fk_pmt_episode_import_file_id_import_file"),
        ),
        sa.ForeignKeyConstraint(
            ["kitchen_id"], ["kitchen.id"], name=op.f("fk_pmt_episode_kitchen_id_kitchen")
        ),
        sa.ForeignKeyConstraint(
            ["pregnancy_id"], ["pregnancy.id"], name=op.f("fk_pmt_episode_pregnancy_id_pregnancy")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["app_user.id"], name=op.f("fk_pmt_episode_updated_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pmt_episode")),
        sa.UniqueConstraint("import_key", name=op.f("uq_pmt_episode_import_key")),
    )
    with op.batch_alter_table("pmt_episode", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pmt_episode_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pmt_episode_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pmt_episode_import_file_id"), ["import_file_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pmt_episode_kitchen_id"), ["kitchen_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pmt_episode_pregnancy_id"), ["pregnancy_id"], unique=False
        )
        batch_op.create_index("ix_pmt_episode_started_on", ["started_on"], unique=False)
        batch_op.create_index(
            "uq_pmt_episode_open_child",
            ["child_id"],
            unique=True,
            sqlite_where=sa.text("ended_on IS NULL AND child_id IS NOT NULL"),
            postgresql_where=sa.text("ended_on IS NULL AND child_id IS NOT NULL"),
        )

    op.create_table(
        "pmt_serving",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["pmt_episode.id"],
            name=op.f("fk_pmt_serving_episode_id_pmt_episode"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_pmt_serving_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pmt_serving")),
        sa.UniqueConstraint(
            "episode_id", "served_on", name=op.f("uq_pmt_serving_episode_id_served_on")
        ),
    )
    with op.batch_alter_table("pmt_serving", schema=None) as batch_op:
        batch_op.create_index("ix_pmt_serving_served_on", ["served_on"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("pmt_serving", schema=None) as batch_op:
        batch_op.drop_index("ix_pmt_serving_served_on")

    op.drop_table("pmt_serving")
    with op.batch_alter_table("pmt_episode", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_pmt_episode_open_child",
            sqlite_where=sa.text("ended_on IS NULL AND child_id IS NOT NULL"),
            postgresql_where=sa.text("ended_on IS NULL AND child_id IS NOT NULL"),
        )
        batch_op.drop_index("ix_pmt_episode_started_on")
        batch_op.drop_index(batch_op.f("ix_pmt_episode_pregnancy_id"))
        batch_op.drop_index(batch_op.f("ix_pmt_episode_kitchen_id"))
        batch_op.drop_index(batch_op.f("ix_pmt_episode_import_file_id"))
        batch_op.drop_index(batch_op.f("ix_pmt_episode_child_id"))
        batch_op.drop_index(batch_op.f("ix_pmt_episode_case_id"))

    op.drop_table("pmt_episode")
    with op.batch_alter_table("kitchen_funding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kitchen_funding_kitchen_id"))

    op.drop_table("kitchen_funding")
    with op.batch_alter_table("kitchen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kitchen_kelurahan_code"))

    op.drop_table("kitchen")
