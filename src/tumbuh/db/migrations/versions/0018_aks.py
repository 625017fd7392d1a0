"""The Audit Kasus Stunting (#16): one audit per semester and its records.

* ``aks_audit``: the semester's audit, its start and its dissemination meeting;
* ``aks_locus``: the kelurahan whose registers the audit looks at;
* ``aks_member``: the people of its three teams (coordination, technical, expert), their
  role, institution and the account that opens the audit's pages;
* ``aks_case``: a confirmed case (a child, a pregnancy or a catin) with its reasons and
  the Tim Pakar's worksheet (KKA): causes, analysis, what should have happened and the
  case's recommendation;
* ``aks_recommendation``: the audit's recommendations for the system;
* ``aks_rtl``: which ``action_item`` rows (kind ``rtl``) came out of the audit.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "aks_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("semester", sa.String(length=7), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("disseminated_on", sa.Date(), nullable=True),
        sa.Column("dissemination_place", sa.String(length=200), nullable=True),
        sa.Column("dissemination_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aks_audit")),
        sa.UniqueConstraint("semester", name=op.f("uq_aks_audit_semester")),
    )
    op.create_table(
        "aks_locus",
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("kelurahan_code", sa.String(length=13), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["aks_audit.id"],
            name=op.f("fk_aks_locus_audit_id_aks_audit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["kelurahan_code"], ["region.code"], name=op.f("fk_aks_locus_kelurahan_code_region")
        ),
        sa.PrimaryKeyConstraint("audit_id", "kelurahan_code", name=op.f("pk_aks_locus")),
    )
    op.create_table(
        "aks_recommendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["aks_audit.id"],
            name=op.f("fk_aks_recommendation_audit_id_aks_audit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aks_recommendation")),
    )
    with op.batch_alter_table("aks_recommendation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_aks_recommendation_audit_id"), ["audit_id"], unique=False
        )

    op.create_table(
        "aks_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column(
            "team",
            sa.Enum(
                "coordination",
                "technical",
                "expert",
                name="team",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "role",
            sa.Enum(
                "pediatrician",
                "obstetrician",
                "nutritionist",
                "psychologist",
                "midwife",
                "family_planning",
                "official",
                "other",
                name="role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["aks_audit.id"],
            name=op.f("fk_aks_member_audit_id_aks_audit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_aks_member_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_aks_member_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aks_member")),
    )
    with op.batch_alter_table("aks_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_aks_member_audit_id"), ["audit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_aks_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "aks_rtl",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action_item.id"],
            name=op.f("fk_aks_rtl_action_id_action_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["aks_audit.id"],
            name=op.f("fk_aks_rtl_audit_id_aks_audit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["aks_recommendation.id"],
            name=op.f("fk_aks_rtl_recommendation_id_aks_recommendation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("action_id", name=op.f("pk_aks_rtl")),
    )
    with op.batch_alter_table("aks_rtl", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_aks_rtl_audit_id"), ["audit_id"], unique=False)

    op.create_table(
        "aks_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "target_group",
            sa.Enum(
                "catin",
                "ibu_hamil",
                "ibu_nifas",
                "baduta",
                "balita",
                name="target_group",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("pregnancy_id", sa.Integer(), nullable=True),
        sa.Column("catin_id", sa.Integer(), nullable=True),
        sa.Column("kelurahan_code", sa.String(length=13), nullable=True),
        sa.Column("reasons", sa.String(length=200), nullable=False),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("confirmed_on", sa.Date(), nullable=False),
        sa.Column("risk_factors", sa.Text(), nullable=True),
        sa.Column("services", sa.Text(), nullable=True),
        sa.Column("causes", sa.String(length=200), nullable=True),
        sa.Column("analysis", sa.Text(), nullable=True),
        sa.Column("should_have", sa.Text(), nullable=True),
        sa.Column("recommendation", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "child_id IS NOT NULL OR pregnancy_id IS NOT NULL OR catin_id IS NOT NULL",
            name=op.f("ck_aks_case_has_subject"),
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["aks_audit.id"],
            name=op.f("fk_aks_case_audit_id_aks_audit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["catin_id"], ["catin.id"], name=op.f("fk_aks_case_catin_id_catin")
        ),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_aks_case_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["app_user.id"], name=op.f("fk_aks_case_confirmed_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["kelurahan_code"], ["region.code"], name=op.f("fk_aks_case_kelurahan_code_region")
        ),
        sa.ForeignKeyConstraint(
            ["pregnancy_id"], ["pregnancy.id"], name=op.f("fk_aks_case_pregnancy_id_pregnancy")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["app_user.id"], name=op.f("fk_aks_case_reviewed_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aks_case")),
        sa.UniqueConstraint("audit_id", "number", name=op.f("uq_aks_case_audit_id_number")),
    )
    with op.batch_alter_table("aks_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_aks_case_audit_id"), ["audit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_aks_case_catin_id"), ["catin_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_aks_case_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_aks_case_pregnancy_id"), ["pregnancy_id"], unique=False
        )


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("aks_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aks_case_pregnancy_id"))
        batch_op.drop_index(batch_op.f("ix_aks_case_child_id"))
        batch_op.drop_index(batch_op.f("ix_aks_case_catin_id"))
        batch_op.drop_index(batch_op.f("ix_aks_case_audit_id"))

    op.drop_table("aks_case")
    with op.batch_alter_table("aks_rtl", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aks_rtl_audit_id"))

    op.drop_table("aks_rtl")
    with op.batch_alter_table("aks_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aks_member_user_id"))
        batch_op.drop_index(batch_op.f("ix_aks_member_audit_id"))

    op.drop_table("aks_member")
    with op.batch_alter_table("aks_recommendation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aks_recommendation_audit_id"))

    op.drop_table("aks_recommendation")
    op.drop_table("aks_locus")
    op.drop_table("aks_audit")
