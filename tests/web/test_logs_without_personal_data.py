"""No NIK, name or birth date reaches a log when a write hits a constraint (issue 11,
item 4): the forms, the API, two concurrent NIK corrections on PostgreSQL, a user
account, and a real uvicorn server's standard error.

Whether such a write answers 500 or a form's 422 is another test's business (the
unique-violation mapping); these tests look at the logs, and at the response only for
the driver's text and the other child's name.
"""

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update

from tests.constraint_faults import (
    TWIN_NAME,
    assert_nothing_personal,
    before_statement,
    twin_child_sql,
    twin_user_sql,
    wait_until_blocked,
)
from tests.web.conftest import SECRET, City, csrf_of, sign_in
from tumbuh.db.models import Child, table_of
from tumbuh.usecases.users import DEMO_PASSWORD

NAME = "Anak Uji Catatan"
BIRTH = "2023-01-10"
OWN_NIK = "3672015001230001"
OTHER_NIK = "3672015001230002"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every record of every logger, DEBUG and up."""
    caplog.set_level(logging.DEBUG)
    return caplog


def client_of(app: FastAPI, username: str) -> tuple[TestClient, str]:
    """A client that answers a server error with its 500 page instead of raising."""
    client = TestClient(app, raise_server_exceptions=False)
    return client, sign_in(client, username)


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """The log as any handler would write it, and each record's parts besides."""
    parts = [caplog.text]
    for record in caplog.records:
        parts += [record.getMessage(), record.exc_text or "", repr(record.exc_info)]
    return "\n".join(parts)


def register(client: TestClient, token: str, posyandu: int, nik: str) -> int:
    data = {"name": NAME, "nik": nik, "sex": "female", "birth_date": BIRTH}
    response = client.post(
        f"/posyandu/{posyandu}/children/new",
        data={**data, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:300]
    return int(response.headers["location"].rsplit("/", 1)[1])


def edit_form(nik: str) -> dict[str, str]:
    return {"name": NAME, "nik": nik, "sex": "female", "birth_date": BIRTH}


def version_of(city: City, child_id: int) -> int:
    """The child's stored version, which a correction must send (optimistic locking)."""
    c = table_of(Child)
    with city.engine.connect() as connection:
        return int(connection.execute(select(c.c.version).where(c.c.id == child_id)).scalar_one())


def forget(city: City, *niks: str) -> None:
    """Take the test's NIKs off the shared demo city's children again."""
    c = table_of(Child)
    with city.engine.begin() as connection:
        connection.execute(update(c).where(c.c.nik.in_(niks)).values(nik=None))
        connection.execute(text("DELETE FROM child WHERE name = :n"), {"n": TWIN_NAME})


@pytest.fixture
def kader(app: FastAPI, city: City) -> Iterator[tuple[TestClient, str]]:
    yield client_of(app, "kader")
    forget(city, OWN_NIK, OTHER_NIK)


def test_registering_a_nik_another_child_has(
    city: City, kader: tuple[TestClient, str], logs: pytest.LogCaptureFixture
) -> None:
    client, token = kader
    data = {**edit_form(OTHER_NIK), "csrf_token": token}
    with before_statement(city.engine, "INSERT INTO child", twin_child_sql(OTHER_NIK)):
        response = client.post(f"/posyandu/{city.kader_posyandu}/children/new", data=data)
    assert_nothing_personal(response.text.replace(OTHER_NIK, ""), TWIN_NAME)
    assert_nothing_personal(everything_logged(logs), OTHER_NIK, NAME, BIRTH)


@pytest.mark.parametrize("how", ["form", "api"])
def test_correcting_a_nik_to_one_another_child_has(
    city: City, kader: tuple[TestClient, str], logs: pytest.LogCaptureFixture, how: str
) -> None:
    client, token = kader
    child_id = register(client, token, city.kader_posyandu, OWN_NIK)
    version = version_of(city, child_id)
    with before_statement(city.engine, "UPDATE child SET", twin_child_sql(OTHER_NIK)):
        if how == "form":
            data = {**edit_form(OTHER_NIK), "version": str(version), "csrf_token": token}
            response = client.post(f"/children/{child_id}/edit", data=data)
        else:
            url, headers = f"/api/v1/children/{child_id}", {"X-CSRF-Token": token}
            body = {"nik": OTHER_NIK, "version": version}
            response = client.patch(url, json=body, headers=headers)
    assert_nothing_personal(response.text.replace(OTHER_NIK, ""), TWIN_NAME)
    assert_nothing_personal(everything_logged(logs), OWN_NIK, OTHER_NIK, NAME, BIRTH)


@pytest.mark.parametrize("how", ["form", "api"])
def test_a_measurement_of_a_child_removed_meanwhile(
    city: City, kader: tuple[TestClient, str], logs: pytest.LogCaptureFixture, how: str
) -> None:
    client, token = kader
    child_id = register(client, token, city.kader_posyandu, OWN_NIK)
    gone = f"DELETE FROM child WHERE id = {child_id}"
    with before_statement(city.engine, "INSERT INTO measurement", gone):
        values = {"measured_on": "2024-01-15", "weight_kg": "8.6", "height_cm": "74.0"}
        if how == "form":
            url = f"/posyandu/{city.kader_posyandu}/bulan-timbang/2024-01/children/{child_id}"
            client.post(url, data={**values, "position": "l", "csrf_token": token})
        else:
            url, headers = f"/api/v1/children/{child_id}/measurements", {"X-CSRF-Token": token}
            client.post(url, json={**values, "position": "l"}, headers=headers)
    assert_nothing_personal(everything_logged(logs), OWN_NIK, NAME, BIRTH)


def test_a_username_taken_meanwhile_is_logged_without_it(
    city: City, app: FastAPI, logs: pytest.LogCaptureFixture
) -> None:
    """The users page keeps its 500 for this race: the error is logged, described by
    SQLSTATE or SQLite's error name, without the username or the person's name."""
    client, token = client_of(app, "admin")
    data = {"username": "siti.rahayu", "full_name": "Siti Rahayu Lestari", "role": "analyst"}
    data |= {"password": "kata-sandi-panjang-1", "language": "id", "csrf_token": token}
    try:
        with before_statement(city.engine, "INSERT INTO app_user", twin_user_sql("siti.rahayu")):
            response = client.post("/users/new", data=data, follow_redirects=False)
    finally:
        with city.engine.begin() as connection:
            connection.execute(text("DELETE FROM app_user WHERE username = 'siti.rahayu'"))
    assert response.status_code == 500
    logged = everything_logged(logs)
    assert "unexpected error on POST /users/new" in logged
    assert re.search(
        r"UniqueViolation: SQLSTATE 23505|IntegrityError: SQLITE_CONSTRAINT_UNIQUE", logged
    )
    assert_nothing_personal(logged, "siti.rahayu", "Siti Rahayu Lestari")


# SQLite writes one at a time: a second writer waits for the first, it never races.
ON_POSTGRESQL = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@ON_POSTGRESQL
def test_two_concurrent_nik_corrections_on_postgresql(
    city: City, kader: tuple[TestClient, str], logs: pytest.LogCaptureFixture
) -> None:
    """Both pass the check that the NIK is free; the loser fails on the unique index."""
    client, token = kader
    first = register(client, token, city.kader_posyandu, OWN_NIK)
    second = register(client, token, city.kader_posyandu, "3672015001230003")
    answers: list[httpx.Response] = []
    version = str(version_of(city, second))
    data = {**edit_form(OTHER_NIK), "version": version, "csrf_token": token}
    loser = threading.Thread(
        target=lambda: answers.append(client.post(f"/children/{second}/edit", data=data))
    )
    c = table_of(Child)
    with city.engine.connect() as holder:  # the winner, still uncommitted
        holder.execute(update(c).where(c.c.id == first).values(nik=OTHER_NIK))
        loser.start()
        wait_until_blocked(city.engine, loser)
        holder.commit()
    loser.join()
    forget(city, "3672015001230003")
    assert_nothing_personal(answers[0].text.replace(OTHER_NIK, ""), TWIN_NAME)
    assert_nothing_personal(everything_logged(logs), OWN_NIK, OTHER_NIK, NAME, BIRTH)


def _serve(city: City, folder: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    """uvicorn on a socket of the test's, serving the city; its URL and stderr file."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    env = {**os.environ, "TUMBUH_DATABASE_URL": city.url, "TUMBUH_SECRET_KEY": SECRET}
    env |= {"TUMBUH_REPORT_CACHE_DIR": str(folder), "TUMBUH_LANGUAGE": "id"}
    stderr = folder / "uvicorn.err"
    with stderr.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "tumbuh.web.app:app_from_environment",
             "--fd", str(listener.fileno()), "--log-level", "debug"],
            env=env, stdout=sink, stderr=sink, pass_fds=[listener.fileno()],
        )  # fmt: skip
    listener.close()
    return server, f"http://127.0.0.1:{port}", stderr


def _signed_in_admin(base: str) -> tuple[httpx.Client, str]:
    http = httpx.Client(base_url=base, timeout=120)
    login = http.get("/login")  # the socket is listening: this waits for the start-up
    data = {"username": "admin", "password": DEMO_PASSWORD, "next": "/"}
    signed = http.post("/login", data={**data, "csrf_token": csrf_of(login.text)})
    assert signed.status_code == 303
    return http, csrf_of(http.get("/users/new").text)


@ON_POSTGRESQL
def test_uvicorn_logs_the_race_without_personal_data(city: City, tmp_path: Path) -> None:
    """A real server: uvicorn logs "Exception in ASGI application" with the traceback
    after Tumbuh's handler; neither may carry the username or the person's name."""
    server, base, stderr = _serve(city, tmp_path)
    answers: list[httpx.Response] = []
    try:
        http, token = _signed_in_admin(base)
        data = {"username": "budi.hartono", "full_name": "Budi Hartono Saputra"}
        data |= {"role": "analyst", "password": "kata-sandi-panjang-1", "language": "id"}
        post = threading.Thread(
            target=lambda: answers.append(
                http.post("/users/new", data={**data, "csrf_token": token})
            )
        )
        with city.engine.connect() as holder:
            holder.execute(text(twin_user_sql("budi.hartono")))
            post.start()
            wait_until_blocked(city.engine, post)
            holder.commit()
        post.join()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
        with city.engine.begin() as connection:
            connection.execute(text("DELETE FROM app_user WHERE username = 'budi.hartono'"))
    logged = stderr.read_text(encoding="utf-8")
    assert answers[0].status_code == 500
    assert "Exception in ASGI application" in logged
    violation = "psycopg.errors.UniqueViolation: SQLSTATE 23505, constraint uq_app_user_username"
    assert violation in logged
    assert_nothing_personal(logged, "budi.hartono", "Budi Hartono Saputra")
    c = table_of(Child)
    with city.engine.connect() as connection:  # the city is as it was
        assert connection.execute(select(c.c.id).where(c.c.name == TWIN_NAME)).all() == []
