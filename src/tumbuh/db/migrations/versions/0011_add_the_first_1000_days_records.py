"""Add the records of the first 1,000 days (#15): a pregnancy's registration, area,
4 Terlalu and end; ANC and post-partum (KF) visits; a child's month; catin; TPK visits.

``pregnancy`` gains nullable columns (rows of earlier imports and of the demo have none
of them), their CHECK constraints, and its area: ``kelurahan_code`` is filled, for the
rows there are, from the family of the woman where she has one. ``child`` gains the day
its basic immunisation was complete. The new tables are ``anc_visit``,
``postpartum_visit``, ``child_month``, ``catin``, ``tpk_visit`` and ``tpk_visit_action``
(docs/data-model.md, "The first 1,000 days").

SQLite rebuilds ``pregnancy`` to add its foreign keys and CHECK constraints; ``child``
and ``pmt_episode`` point at it, and ``tumbuh.db.migrate`` runs migrations with the
foreign keys off on SQLite and checks them before the commit (as 0010 does).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The CHECK constraints of ``pregnancy`` (autogenerate does not see them on a table
# that exists); the same text as ``models.Pregnancy``.
PREGNANCY_CHECKS = (
    (
        "registration_weeks_range",
        "gestational_age_at_registration_weeks IS NULL OR "
        "gestational_age_at_registration_weeks BETWEEN 0 AND 45",
    ),
    (
        "end_weeks_range",
        "gestational_age_at_end_weeks IS NULL OR gestational_age_at_end_weeks BETWEEN 0 AND 45",
    ),
    ("weight_before_range", "weight_before_kg IS NULL OR weight_before_kg BETWEEN 25 AND 200"),
    ("height_range", "height_cm IS NULL OR height_cm BETWEEN 100 AND 220"),
    ("due_after_hpht", "due_date IS NULL OR hpht IS NULL OR due_date > hpht"),
    ("end_has_outcome", "ended_on IS NULL OR outcome IS NOT NULL"),
)


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "catin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column(
            "sex",
            sa.Enum("male", "female", name="sex", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("kelurahan_code", sa.String(length=13), nullable=False),
        sa.Column("wedding_planned_on", sa.Date(), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("screened_on", sa.Date(), nullable=True),
        sa.Column("muac_cm", sa.Float(), nullable=True),
        sa.Column("hb_g_dl", sa.Float(), nullable=True),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("height_cm", sa.Float(), nullable=True),
        sa.Column("follow_up", sa.String(length=500), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("registered_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "follow_up_on IS NULL OR follow_up IS NOT NULL",
            name=op.f("ck_catin_follow_up_says_what"),
        ),
        sa.CheckConstraint(
            "hb_g_dl IS NULL OR hb_g_dl BETWEEN 3 AND 20", name=op.f("ck_catin_hb_range")
        ),
        sa.CheckConstraint(
            "height_cm IS NULL OR height_cm BETWEEN 100 AND 220", name=op.f("ck_catin_height_range")
        ),
        sa.CheckConstraint(
            "muac_cm IS NULL OR muac_cm BETWEEN 10 AND 50", name=op.f("ck_catin_muac_range")
        ),
        sa.CheckConstraint("nik IS NULL OR length(nik) = 16", name=op.f("ck_catin_nik_length")),
        sa.CheckConstraint(
            "weight_kg IS NULL OR weight_kg BETWEEN 25 AND 200", name=op.f("ck_catin_weight_range")
        ),
        sa.ForeignKeyConstraint(
            ["kelurahan_code"], ["region.code"], name=op.f("fk_catin_kelurahan_code_region")
        ),
        sa.ForeignKeyConstraint(
            ["registered_by"], ["app_user.id"], name=op.f("fk_catin_registered_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catin")),
        sa.UniqueConstraint("nik", name=op.f("uq_catin_nik")),
    )
    with op.batch_alter_table("catin", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catin_kelurahan_code"), ["kelurahan_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_catin_registered_on"), ["registered_on"], unique=False)

    op.create_table(
        "tpk_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("tpk_member", sa.String(length=100), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "tpk_member IS NOT NULL OR user_id IS NOT NULL", name=op.f("ck_tpk_visit_who_given")
        ),
        sa.ForeignKeyConstraint(
            ["family_id"], ["family.id"], name=op.f("fk_tpk_visit_family_id_family")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_tpk_visit_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tpk_visit")),
    )
    with op.batch_alter_table("tpk_visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tpk_visit_family_id"), ["family_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tpk_visit_user_id"), ["user_id"], unique=False)
        batch_op.create_index("ix_tpk_visit_visited_on", ["visited_on"], unique=False)

    op.create_table(
        "anc_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pregnancy_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column(
            "place",
            sa.Enum(
                "puskesmas",
                "pustu",
                "posyandu",
                "praktik_bidan",
                "hospital",
                "other",
                name="anc_place",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("muac_cm", sa.Float(), nullable=True),
        sa.Column("hb_g_dl", sa.Float(), nullable=True),
        sa.Column("iron_tablets_given", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "hb_g_dl IS NULL OR hb_g_dl BETWEEN 3 AND 20", name=op.f("ck_anc_visit_hb_range")
        ),
        sa.CheckConstraint(
            "iron_tablets_given IS NULL OR iron_tablets_given BETWEEN 0 AND 180",
            name=op.f("ck_anc_visit_iron_tablets_range"),
        ),
        sa.CheckConstraint(
            "muac_cm IS NULL OR muac_cm BETWEEN 10 AND 50", name=op.f("ck_anc_visit_muac_range")
        ),
        sa.CheckConstraint(
            "weight_kg IS NULL OR weight_kg BETWEEN 25 AND 200",
            name=op.f("ck_anc_visit_weight_range"),
        ),
        sa.ForeignKeyConstraint(
            ["pregnancy_id"],
            ["pregnancy.id"],
            name=op.f("fk_anc_visit_pregnancy_id_pregnancy"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_anc_visit_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anc_visit")),
        sa.UniqueConstraint(
            "pregnancy_id", "visited_on", name=op.f("uq_anc_visit_pregnancy_id_visited_on")
        ),
    )
    with op.batch_alter_table("anc_visit", schema=None) as batch_op:
        batch_op.create_index("ix_anc_visit_visited_on", ["visited_on"], unique=False)

    op.create_table(
        "postpartum_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pregnancy_id", sa.Integer(), nullable=False),
        sa.Column("visit_number", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "visit_number BETWEEN 1 AND 4", name=op.f("ck_postpartum_visit_visit_number_range")
        ),
        sa.ForeignKeyConstraint(
            ["pregnancy_id"],
            ["pregnancy.id"],
            name=op.f("fk_postpartum_visit_pregnancy_id_pregnancy"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_postpartum_visit_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postpartum_visit")),
        sa.UniqueConstraint(
            "pregnancy_id",
            "visit_number",
            name=op.f("uq_postpartum_visit_pregnancy_id_visit_number"),
        ),
    )
    with op.batch_alter_table("postpartum_visit", schema=None) as batch_op:
        batch_op.create_index("ix_postpartum_visit_visited_on", ["visited_on"], unique=False)

    op.create_table(
        "tpk_visit_action",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "nutrition_counselling",
                "anc_reminder",
                "iron_tablets",
                "posyandu_invitation",
                "referral",
                "family_planning",
                "food_aid",
                "sanitation",
                "social_aid",
                "other",
                name="tpk_action",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["tpk_visit.id"],
            name=op.f("fk_tpk_visit_action_visit_id_tpk_visit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("visit_id", "action", name=op.f("pk_tpk_visit_action")),
    )
    op.create_table(
        "child_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("exclusive_breastfeeding", sa.Boolean(), nullable=True),
        sa.Column("complementary_feeding", sa.Boolean(), nullable=True),
        sa.Column("vitamin_a_given", sa.Boolean(), nullable=True),
        sa.Column(
            "kpsp_result",
            sa.Enum(
                "sesuai",
                "meragukan",
                "penyimpangan",
                name="kpsp_result",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["child.id"],
            name=op.f("fk_child_month_child_id_child"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_child_month_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_month")),
        sa.UniqueConstraint("child_id", "month", name=op.f("uq_child_month_child_id_month")),
    )
    with op.batch_alter_table("child_month", schema=None) as batch_op:
        batch_op.create_index("ix_child_month_month", ["month"], unique=False)

    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.add_column(sa.Column("basic_immunisation_completed_on", sa.Date(), nullable=True))

    with op.batch_alter_table("pregnancy", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registered_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("k1_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("gestational_age_at_registration_weeks", sa.Integer(), nullable=True)
        )
        batch_op.add_column(sa.Column("kelurahan_code", sa.String(length=13), nullable=True))
        batch_op.add_column(sa.Column("posyandu_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("puskesmas_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("weight_before_kg", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("height_cm", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("mother_under_20", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("mother_35_or_older", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("birth_spacing_under_2_years", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("more_than_3_children", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("registered_by", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "birth_place",
                sa.Enum(
                    "puskesmas",
                    "pustu",
                    "praktik_bidan",
                    "hospital",
                    "home",
                    "other",
                    name="birth_place",
                    native_enum=False,
                    create_constraint=True,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("gestational_age_at_end_weeks", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_pregnancy_kelurahan_code"), ["kelurahan_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pregnancy_posyandu_id"), ["posyandu_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pregnancy_puskesmas_id"), ["puskesmas_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_pregnancy_puskesmas_id_puskesmas"), "puskesmas", ["puskesmas_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_pregnancy_kelurahan_code_region"), "region", ["kelurahan_code"], ["code"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_pregnancy_posyandu_id_posyandu"), "posyandu", ["posyandu_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_pregnancy_registered_by_app_user"), "app_user", ["registered_by"], ["id"]
        )
        for name, condition in PREGNANCY_CHECKS:
            batch_op.create_check_constraint(batch_op.f(f"ck_pregnancy_{name}"), condition)
    op.execute(
        "UPDATE pregnancy SET kelurahan_code = (SELECT family.kelurahan_code FROM mother "
        "JOIN family ON family.id = mother.family_id WHERE mother.id = pregnancy.mother_id) "
        "WHERE kelurahan_code IS NULL"
    )


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("pregnancy", schema=None) as batch_op:
        for name, _ in reversed(PREGNANCY_CHECKS):
            batch_op.drop_constraint(batch_op.f(f"ck_pregnancy_{name}"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_pregnancy_birth_place"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_pregnancy_registered_by_app_user"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_pregnancy_posyandu_id_posyandu"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_pregnancy_kelurahan_code_region"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_pregnancy_puskesmas_id_puskesmas"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_pregnancy_puskesmas_id"))
        batch_op.drop_index(batch_op.f("ix_pregnancy_posyandu_id"))
        batch_op.drop_index(batch_op.f("ix_pregnancy_kelurahan_code"))
        batch_op.drop_column("updated_at")
        batch_op.drop_column("created_at")
        batch_op.drop_column("gestational_age_at_end_weeks")
        batch_op.drop_column("birth_place")
        batch_op.drop_column("registered_by")
        batch_op.drop_column("more_than_3_children")
        batch_op.drop_column("birth_spacing_under_2_years")
        batch_op.drop_column("mother_35_or_older")
        batch_op.drop_column("mother_under_20")
        batch_op.drop_column("height_cm")
        batch_op.drop_column("weight_before_kg")
        batch_op.drop_column("puskesmas_id")
        batch_op.drop_column("posyandu_id")
        batch_op.drop_column("kelurahan_code")
        batch_op.drop_column("gestational_age_at_registration_weeks")
        batch_op.drop_column("k1_on")
        batch_op.drop_column("registered_on")

    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_column("basic_immunisation_completed_on")

    with op.batch_alter_table("child_month", schema=None) as batch_op:
        batch_op.drop_index("ix_child_month_month")

    op.drop_table("child_month")
    op.drop_table("tpk_visit_action")
    with op.batch_alter_table("postpartum_visit", schema=None) as batch_op:
        batch_op.drop_index("ix_postpartum_visit_visited_on")

    op.drop_table("postpartum_visit")
    with op.batch_alter_table("anc_visit", schema=None) as batch_op:
        batch_op.drop_index("ix_anc_visit_visited_on")

    op.drop_table("anc_visit")
    with op.batch_alter_table("tpk_visit", schema=None) as batch_op:
        batch_op.drop_index("ix_tpk_visit_visited_on")
        batch_op.drop_index(batch_op.f("ix_tpk_visit_user_id"))
        batch_op.drop_index(batch_op.f("ix_tpk_visit_family_id"))

    op.drop_table("tpk_visit")
    with op.batch_alter_table("catin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catin_registered_on"))
        batch_op.drop_index(batch_op.f("ix_catin_kelurahan_code"))

    op.drop_table("catin")
