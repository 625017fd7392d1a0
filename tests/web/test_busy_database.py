"""While an import writes, other writes on the web answer 503 with Retry-After and a
message, never 500; and a second import is refused with "impor lain sedang berjalan".

The import is simulated deterministically by holding what a long import holds, through
the import's own lock (:func:`tumbuh.db.imports.lock.import_transaction`): the import
lock and, on SQLite, the database's write lock; on PostgreSQL also the row of the child
being saved (an import completes registered children). The application's engine gives
up waiting after 0.3 s instead of 10 s (SQLite's busy timeout, PostgreSQL's
lock_timeout), so the tests need not wait.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select

from tests.web.conftest import City, settings_for, sign_in, strings, text, texts
from tests.web.test_entry import child_facts, entry_url
from tests.web.test_import_page import (
    GOOD,
    PASSWORD,
    confirm,
    csv_file,
    engine,  # noqa: F401 - a database of its own
    measurements,
    upload,
)
from tumbuh.db.engine import create_engine
from tumbuh.db.imports.lock import import_transaction
from tumbuh.db.models import Child, table_of
from tumbuh.web.app import create_app

SHORT_WAIT_MS = 300
# GOOD's bytes of this module's own: uploads are kept by user id and hash in one folder
# that every test run shares.
UNIQUE_GOOD = csv_file(GOOD) + b"\n" * 4
BUSY_TITLE = "Database sedang sibuk"
BUSY_MESSAGES = {
    "sqlite": "Sebuah impor sedang ditulis ke database, sehingga tidak ada yang disimpan. "
    "Kembali ke halaman sebelumnya dan kirim lagi satu menit lagi.",
    # PostgreSQL imports hold no lock on other writers: the child's row was held here.
    "postgresql": "Database sedang sibuk dengan perubahan lain, sehingga tidak ada yang "
    "disimpan. Kembali ke halaman sebelumnya dan kirim lagi satu menit lagi.",
}
IMPORT_REFUSED = (
    "Impor lain sedang berjalan, sehingga tidak ada yang ditulis. Hasil pemeriksaan berkas "
    "ini tetap disimpan: tekan Impor lagi beberapa menit lagi."
)


def short_waits(url: str) -> Engine:
    """An engine on ``url`` whose writes wait 0.3 s for a lock, then fail."""
    waiting = create_engine(url)

    @event.listens_for(waiting, "connect")
    def wait_less(dbapi_connection: Any, _record: object) -> None:
        if waiting.dialect.name == "sqlite":
            dbapi_connection.execute(f"PRAGMA busy_timeout = {SHORT_WAIT_MS}")
            return
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {SHORT_WAIT_MS}")
        dbapi_connection.commit()

    return waiting


@contextmanager
def an_import_writing(database: Engine, child_id: int | None = None) -> Iterator[None]:
    """Hold what an import holds while it writes (see the module docstring)."""
    with database.connect() as connection, import_transaction(connection):
        if child_id is not None and connection.dialect.name == "postgresql":
            c = table_of(Child)
            connection.execute(select(c.c.id).where(c.c.id == child_id).with_for_update())
        yield


def _app(url: str) -> FastAPI:
    return create_app(settings_for(url), engine=short_waits(url))


def test_data_entry_during_an_import_answers_503_with_retry_after(city: City, backend: str) -> None:
    client = TestClient(_app(city.url))
    token = sign_in(client, "kader")
    day = child_facts(city)[0] + timedelta(days=530)
    values = {"measured_on": day.isoformat(), "weight_kg": "10,4", "height_cm": "79,0"}
    with an_import_writing(city.engine, city.own_child):
        response = client.post(
            entry_url(city, day),
            data={**values, "position": "l", "csrf_token": token},
            follow_redirects=False,
        )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "60"
    assert text(response.text, "//h1") == BUSY_TITLE
    assert text(response.text, "//p[@class='message']") == BUSY_MESSAGES[backend]


def test_the_api_answers_503_with_retry_after_during_an_import(city: City, backend: str) -> None:
    client = TestClient(_app(city.url))
    token = sign_in(client, "kader")
    day = child_facts(city)[0] + timedelta(days=531)
    body = {"measured_on": day.isoformat(), "weight_kg": 10.5, "height_cm": 79.5}
    with an_import_writing(city.engine, city.own_child):
        response = client.post(
            f"/api/v1/children/{city.own_child}/measurements",
            json={**body, "position": "l"},
            headers={"X-CSRF-Token": token},
        )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "60"
    assert response.json() == {"detail": BUSY_MESSAGES[backend]}


def test_a_second_web_import_is_refused_while_one_writes(engine: Engine) -> None:  # noqa: F811
    url = engine.url.render_as_string(hide_password=False)
    client = TestClient(_app(url))
    token = sign_in(client, "dinkes", PASSWORD)
    checked = upload(client, token, UNIQUE_GOOD)
    action = strings(checked, "//form[contains(@action, '/confirm')]/@action")[0]
    with an_import_writing(engine):
        refused = client.post(action, data={"csrf_token": token})
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "60"
    assert texts(refused.text, "//p[@id='problem'] | //p[@class='message']") == [IMPORT_REFUSED]
    assert measurements(engine) == 0
    done = confirm(client, token, checked)  # the check is kept: import again, now it runs
    assert text(done, "//*[@id='verdict']") == "1 pengukuran diimpor."
    assert measurements(engine) == 1


def test_the_import_page_keeps_the_check_when_refused_on_postgresql(
    engine: Engine,  # noqa: F811
    backend: str,
) -> None:
    """On PostgreSQL the request itself is not held up, so the import page answers with
    the check and its button still there (on SQLite the request waits for the write lock
    first and gets the error page above)."""
    url = engine.url.render_as_string(hide_password=False)
    client = TestClient(_app(url))
    token = sign_in(client, "dinkes", PASSWORD)
    checked = upload(client, token, UNIQUE_GOOD)
    action = strings(checked, "//form[contains(@action, '/confirm')]/@action")[0]
    with an_import_writing(engine):
        refused = client.post(action, data={"csrf_token": token})
    buttons = texts(refused.text, "//button[@id='confirm']")
    assert buttons == ([] if backend == "sqlite" else ["Impor 1 baris"])
