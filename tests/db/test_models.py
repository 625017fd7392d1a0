"""Constraints the schema enforces on both engines."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import IntegrityError

from tests.db.helpers import add_child, add_measurement, add_posyandu
from tumbuh.db.engine import create_engine
from tumbuh.db.models import Child, table_of


def test_nik_is_optional_but_unique_when_present(connection: Connection) -> None:
    add_child(connection, birth_date=date(2023, 1, 5), nik=None)
    add_child(connection, birth_date=date(2023, 2, 5), nik=None)  # two without NIK: fine
    add_child(connection, birth_date=date(2023, 3, 5), nik="3672910503230001")
    with pytest.raises(IntegrityError), connection.begin_nested():
        add_child(connection, birth_date=date(2023, 4, 5), nik="3672910503230001")


def test_nik_keeps_its_leading_zeros_as_text(connection: Connection) -> None:
    child_id = add_child(connection, birth_date=date(2023, 1, 5), nik="0672910501230001")
    table = table_of(Child)
    stored = connection.execute(select(table.c.nik).where(table.c.id == child_id)).scalar_one()
    assert stored == "0672910501230001"


def test_foreign_keys_are_enforced(connection: Connection) -> None:
    # SQLite leaves foreign keys off unless every connection turns them on.
    with pytest.raises(IntegrityError), connection.begin_nested():
        add_child(connection, birth_date=date(2023, 1, 5), posyandu_id=987_654)


def test_a_sex_outside_the_closed_set_is_refused(connection: Connection) -> None:
    with pytest.raises(IntegrityError), connection.begin_nested():
        connection.execute(
            text("INSERT INTO child (name, sex, birth_date) VALUES ('X', 'boy', '2023-01-01')")
        )


def test_an_imported_measurement_must_name_its_file(connection: Connection) -> None:
    child_id = add_child(connection, birth_date=date(2023, 1, 5))
    with pytest.raises(IntegrityError), connection.begin_nested():
        connection.execute(
            text(
                "INSERT INTO measurement (child_id, measured_on, oedema, source) "
                "VALUES (:child, '2024-01-10', false, 'import_file')"
            ),
            {"child": child_id},
        )


def test_posyandu_names_are_unique_within_a_kelurahan_only(connection: Connection) -> None:
    add_posyandu(connection, "T.01", "36.72.01.1001", "Mawar 1")
    add_posyandu(connection, "T.02", "36.72.01.1002", "Mawar 1")  # another kelurahan
    with pytest.raises(IntegrityError), connection.begin_nested():
        add_posyandu(connection, "T.03", "36.72.01.1001", "Mawar 1")


def test_deleting_a_measurement_deletes_its_derived_values(connection: Connection) -> None:
    child_id = add_child(connection, birth_date=date(2023, 1, 5))
    measurement_id = add_measurement(connection, child_id=child_id, measured_on=date(2024, 1, 9))
    connection.execute(
        text("INSERT INTO measurement_derived (measurement_id, reference) VALUES (:m, 'x')"),
        {"m": measurement_id},
    )
    connection.execute(text("DELETE FROM measurement WHERE id = :m"), {"m": measurement_id})
    left = connection.execute(text("SELECT COUNT(*) FROM measurement_derived")).scalar_one()
    assert left == 0


def test_every_sqlite_connection_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'pragmas.sqlite'}")
    for _ in range(2):  # a new connection each time (the pool is closed in between)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        engine.dispose()
