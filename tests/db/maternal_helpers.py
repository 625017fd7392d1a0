"""Builders of the rows the first-1,000-days tests need (synthetic people only)."""

from datetime import UTC, date, datetime

from sqlalchemy import Connection, insert

from tumbuh.db.maternal.pregnancies import Registration
from tumbuh.db.models import Family, Mother, table_of

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
CIBEBER = "36.72.01.1001"  # a kelurahan of the packaged regions
OTHER_KELURAHAN = "36.72.02.1001"


def add_family(connection: Connection, kelurahan_code: str | None = CIBEBER) -> int:
    """A family (no KK number) in ``kelurahan_code``; its id."""
    table = table_of(Family)
    statement = insert(table).values(kelurahan_code=kelurahan_code).returning(table.c.id)
    return int(connection.execute(statement).scalar_one())


def add_mother(connection: Connection, family_id: int | None = None) -> int:
    """A mother named "Ibu Contoh"; her id."""
    table = table_of(Mother)
    statement = insert(table).values(name="Ibu Contoh", family_id=family_id).returning(table.c.id)
    return int(connection.execute(statement).scalar_one())


def registration(kelurahan_code: str = CIBEBER) -> Registration:
    """A registration on 10 January 2025 in ``kelurahan_code``. HPHT
    1 November 2024 gives the HPL 8 August 2025 by Naegele's rule (HPHT + 280 days,
    Buku KIA), 10 weeks at registration."""
    return Registration(
        registered_on=date(2025, 1, 10),
        kelurahan_code=kelurahan_code,
        k1_on=date(2025, 1, 10),
        hpht=date(2024, 11, 1),
        due_date=date(2025, 8, 8),
        gestational_age_at_registration_weeks=10,
        weight_before_kg=48.5,
        height_cm=152.0,
        muac_cm=22.9,
        hb_g_dl=10.4,
        mother_under_20=True,
        mother_35_or_older=False,
        birth_spacing_under_2_years=None,
        more_than_3_children=False,
    )
