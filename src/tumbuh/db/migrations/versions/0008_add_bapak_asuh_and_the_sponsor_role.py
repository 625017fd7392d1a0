"""Add Bapak Asuh: sponsors, pledges, payments, disbursements and their allocations,
asuhan and deliveries; the sponsor role and its account's sponsor (#14).

``asuh_disbursement.kitchen_id`` points at the PMT kitchen of 0007. The role's CHECK
constraint is rebuilt with ``sponsor`` (SQLite: by batch mode's table copy).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("admin", "analyst", "nutritionist", "kader", "partner")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True)


def _audit_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
    ]


def _created_by(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["created_by"], ["app_user.id"], name=op.f(f"fk_{table}_created_by_app_user")
    )


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _money_tables() -> None:
    op.create_table(
        "asuh_sponsor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum(
                "kind",
                "official",
                "polres",
                "kodim",
                "kemenag",
                "baznas",
                "company",
                "institution",
                "person",
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("institution", sa.String(length=200), nullable=True),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("listed_publicly", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asuh_sponsor")),
    )
    op.create_table(
        "asuh_pledge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sponsor_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("kind", "money", "in_kind"), nullable=False),
        sa.Column("monthly_amount_rupiah", sa.BigInteger(), nullable=True),
        sa.Column("in_kind", sa.String(length=200), nullable=True),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("start_month", sa.Date(), nullable=False),
        sa.Column("channel", _enum("channel", "baznas", "direct", "other"), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        *_audit_columns(),
        sa.CheckConstraint(
            "kind <> 'in_kind' OR in_kind IS NOT NULL",
            name=op.f("ck_asuh_pledge_in_kind_pledge_says_what"),
        ),
        sa.CheckConstraint(
            "kind <> 'money' OR monthly_amount_rupiah > 0",
            name=op.f("ck_asuh_pledge_money_pledge_has_amount"),
        ),
        sa.CheckConstraint("months >= 1", name=op.f("ck_asuh_pledge_months_positive")),
        _created_by("asuh_pledge"),
        sa.ForeignKeyConstraint(
            ["sponsor_id"], ["asuh_sponsor.id"], name=op.f("fk_asuh_pledge_sponsor_id_asuh_sponsor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asuh_pledge")),
    )
    _index("asuh_pledge", "sponsor_id")
    op.create_table(
        "asuh_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sponsor_id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("amount_rupiah", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        *_audit_columns(),
        sa.CheckConstraint("amount_rupiah > 0", name=op.f("ck_asuh_payment_amount_positive")),
        _created_by("asuh_payment"),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["asuh_pledge.id"], name=op.f("fk_asuh_payment_pledge_id_asuh_pledge")
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_id"],
            ["asuh_sponsor.id"],
            name=op.f("fk_asuh_payment_sponsor_id_asuh_sponsor"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asuh_payment")),
        sa.UniqueConstraint("reference", name=op.f("uq_asuh_payment_reference")),
    )
    _index("asuh_payment", "received_on", "sponsor_id")
    op.create_table(
        "asuh_disbursement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("kelurahan_code", sa.String(length=13), nullable=False),
        sa.Column("amount_rupiah", sa.BigInteger(), nullable=False),
        sa.Column("proposal_reference", sa.String(length=100), nullable=False),
        sa.Column("recipient_kind", _enum("recipient_kind", "kitchen", "family"), nullable=False),
        sa.Column("kitchen_id", sa.Integer(), nullable=True),
        sa.Column("kitchen_name", sa.String(length=200), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        *_audit_columns(),
        sa.CheckConstraint(
            "recipient_kind <> 'kitchen' OR kitchen_name IS NOT NULL",
            name=op.f("ck_asuh_disbursement_kitchen_named"),
        ),
        sa.CheckConstraint("amount_rupiah > 0", name=op.f("ck_asuh_disbursement_amount_positive")),
        _created_by("asuh_disbursement"),
        sa.ForeignKeyConstraint(
            ["kelurahan_code"],
            ["region.code"],
            name=op.f("fk_asuh_disbursement_kelurahan_code_region"),
        ),
        sa.ForeignKeyConstraint(
            ["kitchen_id"], ["kitchen.id"], name=op.f("fk_asuh_disbursement_kitchen_id_kitchen")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asuh_disbursement")),
    )
    _index("asuh_disbursement", "kelurahan_code", "paid_on")
    op.create_table(
        "asuh_allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("disbursement_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("amount_rupiah", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount_rupiah > 0", name=op.f("ck_asuh_allocation_amount_positive")),
        sa.ForeignKeyConstraint(
            ["disbursement_id"],
            ["asuh_disbursement.id"],
            name=op.f("fk_asuh_allocation_disbursement_id_asuh_disbursement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["asuh_payment.id"],
            name=op.f("fk_asuh_allocation_payment_id_asuh_payment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asuh_allocation")),
    )
    _index("asuh_allocation", "disbursement_id", "payment_id")


def _asuhan_tables() -> None:
    op.create_table(
        "asuhan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sponsor_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("kind", "prioritas", "pendamping"), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("family_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(child_id IS NOT NULL AND family_id IS NULL) "
            "OR (child_id IS NULL AND family_id IS NOT NULL)",
            name=op.f("ck_asuhan_child_or_family"),
        ),
        sa.CheckConstraint(
            "end_on IS NULL OR end_on >= start_on", name=op.f("ck_asuhan_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["nutrition_case.id"],
            name=op.f("fk_asuhan_case_id_nutrition_case"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"], name=op.f("fk_asuhan_child_id_child")),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["app_user.id"], name=op.f("fk_asuhan_confirmed_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["family_id"], ["family.id"], name=op.f("fk_asuhan_family_id_family")
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_id"], ["asuh_sponsor.id"], name=op.f("fk_asuhan_sponsor_id_asuh_sponsor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asuhan")),
    )
    _index("asuhan", "child_id", "family_id", "sponsor_id")
    op.create_table(
        "asuh_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asuhan_id", sa.Integer(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("what", sa.String(length=200), nullable=False),
        sa.Column("delivered_by", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        *_audit_columns(),
        sa.ForeignKeyConstraint(
            ["asuhan_id"],
            ["asuhan.id"],
            name=op.f("fk_asuh_delivery_asuhan_id_asuhan"),
            ondelete="CASCADE",
        ),
        _created_by("asuh_delivery"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asuh_delivery")),
    )
    _index("asuh_delivery", "asuhan_id")


def _roles(*roles: str) -> str:
    return "role IN (" + ", ".join(f"'{r}'" for r in roles) + ")"


def upgrade() -> None:
    """Apply this migration."""
    _money_tables()
    _asuhan_tables()
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sponsor_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_app_user_sponsor_id_asuh_sponsor"),
            "asuh_sponsor",
            ["sponsor_id"],
            ["id"],
        )
        batch_op.drop_constraint(batch_op.f("ck_app_user_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_app_user_role"), _roles(*ROLES, "sponsor"))
        batch_op.create_check_constraint(
            batch_op.f("ck_app_user_sponsor_record"), "role <> 'sponsor' OR sponsor_id IS NOT NULL"
        )


def downgrade() -> None:
    """Revert this migration (refused while a sponsor account exists: the role's CHECK
    would not hold)."""
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_app_user_sponsor_record"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_app_user_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_app_user_role"), _roles(*ROLES))
        batch_op.drop_constraint(
            batch_op.f("fk_app_user_sponsor_id_asuh_sponsor"), type_="foreignkey"
        )
        batch_op.drop_column("sponsor_id")
    for table in (
        "asuh_delivery",
        "asuhan",
        "asuh_allocation",
        "asuh_disbursement",
        "asuh_payment",
        "asuh_pledge",
        "asuh_sponsor",
    ):
        op.drop_table(table)
