"""Log records without personal data (issue 11, item 4): real database errors on SQLite
and PostgreSQL, validation errors and ordinary exceptions, logged through any logger,
keep their class, SQLSTATE and constraint but lose the values."""

import logging
import re

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, text

from tests.constraint_faults import twin_child_sql
from tumbuh import safe_logs
from tumbuh.db.bulk import insert_columns
from tumbuh.db.models import Child, table_of

NIK, NAME = "3672015708229999", "Siti Rahasia"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    safe_logs.install()
    caplog.set_level(logging.DEBUG)
    return caplog


def logged(caplog: pytest.LogCaptureFixture, error: BaseException) -> str:
    """``error`` logged the two usual ways, as the handlers wrote it."""
    logger = logging.getLogger("tumbuh.test")
    try:
        raise error
    except BaseException:
        logger.exception("writing failed")
    logger.error("writing failed: %s", error)
    return caplog.text


def failure(connection: Connection, sql: str, **values: object) -> Exception:
    """The error a statement raises, its transaction rolled back to a savepoint."""
    savepoint = connection.begin_nested()
    try:
        connection.execute(text(sql), values)
    except Exception as error:  # the test looks at whatever the driver raised
        savepoint.rollback()
        return error
    raise AssertionError(f"{sql} did not fail")


def test_a_unique_violation_keeps_sqlstate_and_constraint_only(
    connection: Connection, logs: pytest.LogCaptureFixture
) -> None:
    connection.execute(text(twin_child_sql(NIK)))
    error = failure(
        connection,
        "INSERT INTO child (nik, name, sex, birth_date) VALUES (:nik, :name, 'female', :born)",
        nik=NIK, name=NAME, born="2022-08-17",
    )  # fmt: skip
    if connection.dialect.name == "postgresql":  # the driver's own message names it
        assert f"Key (nik)=({NIK}) already exists" in str(error)
    text_ = logged(logs, error)
    assert "sqlalchemy.exc.IntegrityError: INSERT INTO child; values hidden" in text_
    if connection.dialect.name == "postgresql":
        assert "UniqueViolation: SQLSTATE 23505, constraint uq_child_nik, table child" in text_
    else:
        assert "SQLITE_CONSTRAINT_UNIQUE, UNIQUE constraint failed: child.nik" in text_
    for value in (NIK, NAME, "2022-08-17", "DETAIL"):
        assert value not in text_


def test_a_not_null_violation_hides_the_failing_row(
    connection: Connection, logs: pytest.LogCaptureFixture
) -> None:
    error = failure(
        connection,
        "INSERT INTO child (nik, name, sex, birth_date) VALUES (:nik, NULL, 'female', :born)",
        nik=NIK, born="2022-08-17",
    )  # fmt: skip
    text_ = logged(logs, error)
    assert re.search(r"SQLSTATE 23502|NOT NULL constraint failed: child.name", text_)
    assert NIK not in text_
    assert "Failing row" not in text_


ON_POSTGRESQL = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@ON_POSTGRESQL  # SQLite reads any text as a date
def test_a_value_the_database_cannot_read_is_not_repeated(
    connection: Connection, logs: pytest.LogCaptureFixture
) -> None:
    error = failure(connection, "SELECT CAST(:born AS date)", born="17/08/2022 Siti")
    assert "Siti" in str(error)  # PostgreSQL's primary message quotes the value
    text_ = logged(logs, error)
    assert "SQLSTATE 22" in text_
    assert "Siti" not in text_


@ON_POSTGRESQL
def test_a_copy_hides_its_context_line(
    connection: Connection, logs: pytest.LogCaptureFixture
) -> None:
    """COPY fails outside SQLAlchemy (no hide_parameters): psycopg's message names the
    NIK (DETAIL) and the line of the COPY (CONTEXT)."""
    connection.execute(text(twin_child_sql(NIK)))
    row = {"nik": [NIK], "name": [NAME], "sex": ["female"], "birth_date": ["2022-08-17"]}
    savepoint = connection.begin_nested()
    with pytest.raises(Exception) as raised:  # noqa: PT011 - psycopg's own class
        insert_columns(connection, table_of(Child), row)
    savepoint.rollback()
    assert f"Key (nik)=({NIK})" in str(raised.value)
    text_ = logged(logs, raised.value)
    assert "psycopg.errors.UniqueViolation: SQLSTATE 23505, constraint uq_child_nik" in text_
    assert NIK not in text_
    assert "CONTEXT" not in text_


def test_validation_errors_name_the_field_not_the_input(logs: pytest.LogCaptureFixture) -> None:
    class Child(BaseModel):
        nik: int

    with pytest.raises(ValidationError) as raised:
        Child.model_validate({"nik": f"NIK {NIK} {NAME}"})
    text_ = logged(logs, raised.value)
    assert "1 error(s) at nik: int_parsing; input values hidden" in text_
    assert NIK not in text_
    assert NAME not in text_


def test_other_messages_lose_nik_shaped_numbers(logs: pytest.LogCaptureFixture) -> None:
    text_ = logged(logs, KeyError(NIK))
    assert "KeyError: '****************'" in text_
    assert NIK not in text_


def test_chained_and_grouped_errors_are_described_each(logs: pytest.LogCaptureFixture) -> None:
    try:
        try:
            raise ValueError(f"nik {NIK}")
        except ValueError as inner:
            raise ExceptionGroup("import", [KeyError(NIK)]) from inner
    except ExceptionGroup as group:
        text_ = logged(logs, group)
    assert "The above exception was the direct cause" in text_
    assert "ValueError: nik ****************" in text_
    assert "sub-exception 1 of 1" in text_
    assert NIK not in text_


def test_installing_twice_wraps_once() -> None:
    safe_logs.install()
    first = logging.getLogRecordFactory()
    safe_logs.install()
    assert logging.getLogRecordFactory() is first


def test_text_arguments_lose_nik_shaped_numbers(logs: pytest.LogCaptureFixture) -> None:
    logging.getLogger("tumbuh.test").error("unexpected error on GET %s", f"/children/{NIK}")
    assert "unexpected error on GET /children/****************" in logs.text
