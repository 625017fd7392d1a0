"""The TPPS's shared records (#16): partner institutions, evidence files, the partner
account's institution and the auditor role.

* ``institution``: the bodies that work with the TPPS (city offices, Polres, Kodim,
  Kemenag, Baznas, TP PKK, camat, lurah, companies) and can be responsible for an action;
* ``evidence_document``: a file (PDF, JPG, PNG, XLSX, DOCX, at most 5 MB) kept as evidence
  for an RTL item, a commitment, an aksi or a meeting, stored in the database;
* ``action_item``: an action an institution is responsible for, an RTL item of the audit
  or a commitment made at a TPPS meeting (what, where, by when, budget, status, what was
  delivered, the RTL's evaluation);
* ``app_user.institution_id``: the institution a partner's account speaks for;
* the role ``auditor``: a member of an Audit Kasus Stunting team (docs/security.md).

Downgrading cannot keep an auditor (the old schema has no such role): the accounts are
deactivated and become ``partner`` (figures only), as migration 0012 does for its roles.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = (
    "admin",
    "analyst",
    "nutritionist",
    "kader",
    "partner",
    "kitchen",
    "sponsor",
    "bidan",
    "tpk",
)
NEW_ROLES = (*OLD_ROLES, "auditor")


def _roles(values: tuple[str, ...]) -> str:
    return "role IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "institution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("short_name", sa.String(length=30), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "opd",
                "police",
                "military",
                "religious_affairs",
                "zakat",
                "pkk",
                "kecamatan",
                "kelurahan",
                "company",
                "professional",
                "other",
                name="institution_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("region_code", sa.String(length=13), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_institution_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution")),
        sa.UniqueConstraint("name", name=op.f("uq_institution_name")),
    )
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_institution_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "evidence_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "subject",
            sa.Enum(
                "rtl_item",
                "commitment",
                "aksi",
                "meeting",
                name="subject",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "pdf",
                "jpeg",
                "png",
                "xlsx",
                "docx",
                name="evidence_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "size_bytes > 0 AND size_bytes <= 5242880", name=op.f("ck_evidence_document_size_range")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["app_user.id"], name=op.f("fk_evidence_document_uploaded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_document")),
    )
    with op.batch_alter_table("evidence_document", schema=None) as batch_op:
        batch_op.create_index(
            "ix_evidence_document_subject", ["subject", "subject_id"], unique=False
        )

    op.create_table(
        "action_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "rtl", "commitment", name="action_kind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("action", sa.String(length=500), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("kelurahan_code", sa.String(length=13), nullable=True),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("budget_rupiah", sa.BigInteger(), nullable=True),
        sa.Column("budget_source", sa.String(length=100), nullable=True),
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
        sa.Column("delivered", sa.Text(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("evaluation", sa.Text(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "budget_rupiah IS NULL OR budget_rupiah >= 0",
            name=op.f("ck_action_item_budget_positive"),
        ),
        sa.CheckConstraint(
            "due_on IS NULL OR starts_on IS NULL OR due_on >= starts_on",
            name=op.f("ck_action_item_due_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_action_item_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_action_item_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["kelurahan_code"], ["region.code"], name=op.f("fk_action_item_kelurahan_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_item")),
    )
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_item_institution_status", ["institution_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_action_item_kelurahan_code"), ["kelurahan_code"], unique=False
        )

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("institution_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_app_user_institution_id_institution"),
            "institution",
            ["institution_id"],
            ["id"],
        )
        batch_op.drop_constraint(batch_op.f("ck_app_user_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_app_user_role"), _roles(NEW_ROLES))


def downgrade() -> None:
    """Revert this migration."""
    op.execute(
        "UPDATE app_user SET role = 'partner', is_active = false, "
        "session_version = session_version + 1 WHERE role = 'auditor'"
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_app_user_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_app_user_role"), _roles(OLD_ROLES))
        batch_op.drop_constraint(
            batch_op.f("fk_app_user_institution_id_institution"), type_="foreignkey"
        )
        batch_op.drop_column("institution_id")

    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_item_kelurahan_code"))
        batch_op.drop_index("ix_action_item_institution_status")

    op.drop_table("action_item")
    with op.batch_alter_table("evidence_document", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_document_subject")

    op.drop_table("evidence_document")
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_region_code"))

    op.drop_table("institution")
