"""Bulk inserts of whole columns (executemany on SQLite, COPY on PostgreSQL)."""

from datetime import date

import numpy as np
from sqlalchemy import Connection, insert, select

from tumbuh.db.bulk import insert_columns, reset_id_sequences
from tumbuh.db.models import Child, Family, table_of
from tumbuh.growth.enums import Sex


def test_columns_round_trip_with_missing_values_dates_and_booleans(
    connection: Connection,
) -> None:
    insert_columns(
        connection,
        table_of(Family),
        {
            "id": np.array([501, 502, 503]),
            "nomor_kk": ["3672910101210001", None, "3672910101210002"],
            "has_safe_latrine": np.array([True, None, False], dtype=object),
            "has_safe_drinking_water": np.array([1.0, np.nan, 0.0]),  # a flag array
            "krs_assessed_on": np.array(["2021-07-01", "NaT", "2024-02-29"], "datetime64[D]"),
            "rt": "001",  # one value for every row
        },
    )
    f = table_of(Family)
    query = select(
        f.c.nomor_kk, f.c.has_safe_latrine, f.c.has_safe_drinking_water, f.c.krs_assessed_on, f.c.rt
    ).where(f.c.id >= 501)
    rows = [tuple(r) for r in connection.execute(query.order_by(f.c.id))]
    assert rows == [
        ("3672910101210001", True, True, date(2021, 7, 1), "001"),
        (None, None, None, None, "001"),
        ("3672910101210002", False, False, date(2024, 2, 29), "001"),
    ]


def test_ids_continue_after_explicit_ids_once_sequences_are_reset(
    connection: Connection,
) -> None:
    child = table_of(Child)
    start = 700_000
    insert_columns(
        connection,
        child,
        {
            "id": np.array([start, start + 1]),
            "name": ["Anak A", "Anak B"],
            "sex": [Sex.MALE, Sex.FEMALE],
            "birth_date": np.array(["2023-01-01", "2023-02-01"], dtype="datetime64[D]"),
        },
    )
    reset_id_sequences(connection, [child])
    new_id = connection.execute(
        insert(child)
        .values(name="Anak C", sex=Sex.MALE, birth_date=date(2023, 3, 1))
        .returning(child.c.id)
    ).scalar_one()
    assert new_id == start + 2
