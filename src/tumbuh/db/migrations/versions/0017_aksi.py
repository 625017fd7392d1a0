"""The 8 aksi konvergensi of each year and the lokus kelurahan (#16).

* ``aksi_record``: one aksi of one year (one row per year and aksi): its status, the day
  it was done, the office that owns it and a note; its evidence files are
  ``evidence_document`` rows with subject ``aksi``;
* ``lokus_kelurahan``: a kelurahan chosen as lokus of a year, with the figures of the
  bulan timbang round it was chosen on (stunted, measured, KRS families, D and S), its
  rank in the proposal, when and by whom it was chosen.

Downgrading drops both tables (and the records in them).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "aksi_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "aksi",
            sa.Enum(
                "situation_analysis",
                "activity_plan",
                "rembuk",
                "perwal",
                "kpm_coaching",
                "data_system",
                "measurement",
                "performance_review",
                name="aksi",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "in_progress",
                "done",
                "cancelled",
                name="status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("year BETWEEN 2018 AND 2100", name=op.f("ck_aksi_record_year_range")),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_aksi_record_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["app_user.id"], name=op.f("fk_aksi_record_updated_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aksi_record")),
        sa.UniqueConstraint("year", "aksi", name="uq_aksi_record_year_aksi"),
    )
    op.create_table(
        "lokus_kelurahan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kelurahan_code", sa.String(length=13), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("stunted", sa.Integer(), nullable=False),
        sa.Column("measured", sa.Integer(), nullable=False),
        sa.Column("krs_families", sa.Integer(), nullable=True),
        sa.Column("weighed", sa.Integer(), nullable=True),
        sa.Column("registered", sa.Integer(), nullable=True),
        sa.Column("round_month", sa.Date(), nullable=False),
        sa.Column("chosen_on", sa.Date(), nullable=False),
        sa.Column("chosen_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("rank >= 1", name=op.f("ck_lokus_kelurahan_rank_positive")),
        sa.CheckConstraint(
            "stunted >= 0 AND measured >= stunted", name=op.f("ck_lokus_kelurahan_stunted_range")
        ),
        sa.ForeignKeyConstraint(
            ["chosen_by"], ["app_user.id"], name=op.f("fk_lokus_kelurahan_chosen_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["kelurahan_code"],
            ["region.code"],
            name=op.f("fk_lokus_kelurahan_kelurahan_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lokus_kelurahan")),
        sa.UniqueConstraint("year", "kelurahan_code", name="uq_lokus_kelurahan_year_code"),
    )
    with op.batch_alter_table("lokus_kelurahan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lokus_kelurahan_year"), ["year"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("lokus_kelurahan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lokus_kelurahan_year"))

    op.drop_table("lokus_kelurahan")
    op.drop_table("aksi_record")
