"""The sign-in throttle: per account with backoff, a high per-address ceiling on the real
client address (TUMBUH_TRUSTED_PROXIES), and sign-in while the database is busy."""

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, event, insert, select
from sqlalchemy import text as sql

from tests.web.conftest import csrf_of, settings_for, text, texts
from tumbuh.config import Settings
from tumbuh.db.engine import create_engine
from tumbuh.db.models import table_of
from tumbuh.db.models_access import LoginAttempt, Role
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.web.app import create_app

PASSWORD = "rahasia-sekali-1"
ACCOUNT_LOCKED = (
    "Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini. Tunggu {} menit lalu "
    "coba lagi, atau minta admin memeriksa akun Anda."
)
WRONG = (
    "Nama pengguna atau kata sandi salah. Periksa keduanya (huruf besar berpengaruh) lalu coba "
    "lagi."
)


class Clock:
    """The application's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 3, 7, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def database(empty_engine: Engine) -> Engine:
    """A fresh database with two users (ani, budi), so attempts of other tests do not count."""
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        for name in ("ani", "budi"):
            user = NewUser(name, name.title(), Role.ADMIN, PASSWORD)
            create_user(connection, user, datetime.now(UTC))
    return empty_engine


MakeApp = Callable[..., FastAPI]


@pytest.fixture
def make_app(database: Engine) -> MakeApp:
    """``make_app(trusted_proxies="10.0.0.0/8")``: the app on the fresh database."""

    def make(**settings: object) -> FastAPI:
        base = settings_for(database.url.render_as_string(hide_password=False))
        return create_app(Settings(**{**base.model_dump(), **settings}), engine=database)

    return make


@pytest.fixture
def clock_app(make_app: MakeApp) -> tuple[FastAPI, Clock]:
    app = make_app()
    clock = Clock()
    app.state.clock = clock
    return app, clock


def attempt(client: TestClient, username: str, password: str, **headers: str) -> tuple[int, str]:
    """(status, the page's error message) of one sign-in through the form."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )
    found = texts(response.text, "//*[@role='alert']") if response.text else []
    return response.status_code, found[0] if found else ""


def test_twenty_five_failures_from_one_address_do_not_lock_out_a_known_password(
    make_app: MakeApp,
) -> None:
    client = TestClient(make_app())
    failures = [attempt(client, f"tamu{i}", "salah-salah")[0] for i in range(25)]
    assert failures == [401] * 25
    assert attempt(client, "ani", PASSWORD) == (303, "")


def test_six_wrong_passwords_lock_the_account_with_a_doubling_wait(
    clock_app: tuple[FastAPI, Clock],
) -> None:
    app, clock = clock_app
    client = TestClient(app)
    assert [attempt(client, "ani", "salah")[0] for _ in range(5)] == [401] * 5
    assert attempt(client, "ani", PASSWORD) == (429, ACCOUNT_LOCKED.format(1))
    assert attempt(client, "budi", PASSWORD)[0] == 303  # the lock is the account's alone
    clock.now += timedelta(seconds=61)
    assert attempt(client, "ani", "salah") == (401, WRONG)  # the sixth: now 2 minutes
    assert attempt(client, "ani", PASSWORD) == (429, ACCOUNT_LOCKED.format(2))
    clock.now += timedelta(seconds=119)
    assert attempt(client, "ani", PASSWORD) == (429, ACCOUNT_LOCKED.format(1))
    clock.now += timedelta(seconds=2)
    assert attempt(client, "ani", PASSWORD) == (303, "")
    assert attempt(client, "ani", "salah") == (401, WRONG)  # a success starts the count again


def test_the_wait_stops_doubling_at_thirty_minutes(clock_app: tuple[FastAPI, Clock]) -> None:
    app, clock = clock_app
    client = TestClient(app)
    for _ in range(11):  # 5 free failures, then waits of 1, 2, 4, 8, 16, 30 minutes
        assert attempt(client, "ani", "salah")[0] == 401
        clock.now += timedelta(minutes=30, seconds=1)
    assert attempt(client, "ani", "salah")[0] == 401  # the twelfth: 30, not 128 minutes
    assert attempt(client, "ani", PASSWORD) == (429, ACCOUNT_LOCKED.format(30))
    clock.now += timedelta(minutes=30)
    assert attempt(client, "ani", PASSWORD)[0] == 303


def failures_from(engine: Engine, address: str, count: int, at: datetime) -> None:
    rows = [
        {"username": f"tebak{i}", "ip_address": address, "attempted_at": at, "succeeded": False}
        for i in range(count)
    ]
    with engine.begin() as connection:
        connection.execute(insert(table_of(LoginAttempt)), rows)


def test_mass_guessing_from_one_address_stops_at_a_hundred_except_for_known_accounts(
    database: Engine, clock_app: tuple[FastAPI, Clock]
) -> None:
    app, clock = clock_app
    client = TestClient(app)
    assert attempt(client, "budi", PASSWORD)[0] == 303  # budi signed in from here before
    failures_from(database, "testclient", 100, clock.now)
    status, message = attempt(client, "ani", PASSWORD)
    assert (status, message) == (
        429,
        "Terlalu banyak percobaan masuk yang gagal dari jaringan ini. Tunggu 15 menit lalu "
        "coba lagi, atau hubungi admin.",
    )
    assert attempt(client, "budi", PASSWORD)[0] == 303
    clock.now += timedelta(minutes=15, seconds=1)
    assert attempt(client, "ani", PASSWORD)[0] == 303


def recorded_addresses(engine: Engine) -> list[str]:
    table = table_of(LoginAttempt)
    with engine.connect() as connection:
        rows = connection.execute(select(table.c.ip_address).order_by(table.c.id))
        return [str(row.ip_address) for row in rows]


def test_x_forwarded_for_is_ignored_from_a_peer_that_is_not_a_trusted_proxy(
    database: Engine, make_app: MakeApp
) -> None:
    client = TestClient(make_app(), client=("198.51.100.20", 40000))
    attempt(client, "ani", "salah", **{"X-Forwarded-For": "203.0.113.9"})
    proxied = TestClient(make_app(trusted_proxies="10.0.0.0/8"), client=("198.51.100.20", 1))
    attempt(proxied, "ani", "salah", **{"X-Forwarded-For": "203.0.113.9"})
    assert recorded_addresses(database) == ["198.51.100.20", "198.51.100.20"]


def test_the_client_behind_trusted_proxies_is_the_rightmost_untrusted_address(
    database: Engine, make_app: MakeApp
) -> None:
    app = make_app(trusted_proxies="10.0.0.0/8, 192.0.2.1")
    client = TestClient(app, client=("10.1.2.3", 40000))
    # The first entry is made up by the client; the proxies appended the rest.
    attempt(client, "ani", "salah", **{"X-Forwarded-For": "1.2.3.4, 203.0.113.9, 192.0.2.1"})
    attempt(client, "ani", "salah", **{"X-Forwarded-For": "203.0.113.10"})
    attempt(client, "ani", "salah")  # no header: the proxy itself
    dual_stack = TestClient(app, client=("::ffff:10.1.2.3", 40000))
    attempt(dual_stack, "ani", "salah", **{"X-Forwarded-For": "2001:db8::7"})
    assert recorded_addresses(database) == [
        "203.0.113.9",
        "203.0.113.10",
        "10.1.2.3",
        "2001:db8::7",
    ]


@pytest.fixture
def short_waits(database: Engine, backend: str) -> Iterator[Engine]:
    """An engine on the database whose lock waits are short (300 ms), for the app."""
    url = database.url.render_as_string(hide_password=False)
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def short(dbapi_connection: object, _record: object) -> None:
        setting = "PRAGMA busy_timeout = 300" if backend == "sqlite" else "SET lock_timeout = 300"
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute(setting)
        cursor.close()
        if backend == "postgresql":
            dbapi_connection.commit()  # type: ignore[attr-defined]

    yield engine
    engine.dispose()


@pytest.fixture
def write_lock(database: Engine, backend: str) -> Iterator[None]:
    """Another connection holds the database's write lock (SQLite: BEGIN IMMEDIATE, as an
    import does) or, on PostgreSQL, the tables sign-in and sign-out write."""
    url = database.url
    if backend == "sqlite":
        holder = sqlite3.connect(str(url.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        yield
        holder.execute("ROLLBACK")
        holder.close()
        return
    with database.connect() as connection:
        lock_tables(connection)
        yield
        connection.rollback()


def lock_tables(connection: Connection) -> None:
    connection.execute(sql("LOCK TABLE login_attempt, ended_session IN EXCLUSIVE MODE"))


def test_sign_in_works_while_the_database_is_busy(
    database: Engine, short_waits: Engine, write_lock: None
) -> None:
    url = database.url.render_as_string(hide_password=False)
    client = TestClient(create_app(settings_for(url), engine=short_waits))
    token = csrf_of(client.get("/login").text)
    form = {"username": "ani", "password": PASSWORD, "csrf_token": token, "next": "/users"}
    signed = client.post("/login", data=form, follow_redirects=False)
    assert (signed.status_code, signed.headers["location"]) == (303, "/users")
    assert client.get("/users").status_code == 200
    assert attempt(client, "budi", "salah") == (401, WRONG)
    out = client.post("/logout", data={"csrf_token": csrf_of(client.get("/users").text)})
    assert out.status_code == 503
    assert out.headers["retry-after"] == "60"
    assert text(out.text, "//p[@class='message']") == (
        "Keluar belum dapat dicatat karena basis data sedang sibuk (mungkin ada impor yang "
        "berjalan). Anda masih masuk: tunggu satu menit, lalu klik Keluar lagi."
    )
    assert client.get("/users").status_code == 200  # still signed in: sign out again later


def test_attempts_made_while_busy_are_not_recorded(
    database: Engine, short_waits: Engine, write_lock: None
) -> None:
    url = database.url.render_as_string(hide_password=False)
    client = TestClient(create_app(settings_for(url), engine=short_waits))
    assert attempt(client, "budi", "salah")[0] == 401
    assert attempt(client, "ani", PASSWORD)[0] == 303
    with short_waits.connect() as connection:
        count = connection.execute(select(table_of(LoginAttempt).c.id)).all()
    assert count == []
