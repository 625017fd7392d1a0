"""Web fixtures: a small demo city per backend (generated once per session), the app on
it, and clients signed in as each demo role.

The city is the demo generator's at scale 0.05 (about 2,900 children in 43 posyandu,
one per kelurahan), so the tests run in seconds; PostgreSQL gets its own copy when
``TUMBUH_TEST_DATABASE_URL`` is set (and must, when ``CI=true``; see tests/conftest.py).
"""

import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, func, select

from tumbuh.config import Settings
from tumbuh.db.audit import Actor
from tumbuh.db.engine import create_engine
from tumbuh.db.models import Child, Measurement, table_of
from tumbuh.demo.generate import generate_demo_city
from tumbuh.demo.settings import DemoConfig
from tumbuh.growth.periods import month_period
from tumbuh.usecases import cases
from tumbuh.usecases.places import load_places
from tumbuh.usecases.users import DEMO_PASSWORD, ensure_demo_users
from tumbuh.web.app import create_app

SECRET = "test-secret-" + "x" * 40
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class City:
    """A demo city database and facts the tests need about it."""

    url: str
    engine: Engine
    kader_posyandu: int  # the demo kader's posyandu
    own_child: int  # a child of that posyandu
    other_child: int  # a child of a posyandu in another kecamatan
    nutritionist_kecamatan: str  # Cibeber, the demo nutritionist's area
    other_kecamatan: str


def build_city(url: str) -> City:
    engine = create_engine(url)
    generate_demo_city(engine, DemoConfig(scale=0.05, seed=7))
    with engine.begin() as connection:
        users = {u.username: u for u in ensure_demo_users(connection)}
        posyandu = users["kader"].posyandu_id or 0
        c = table_of(Child)
        own = connection.execute(
            select(c.c.id).where(c.c.posyandu_id == posyandu).order_by(c.c.id).limit(1)
        ).scalar_one()
        other = connection.execute(
            select(c.c.id).where(c.c.posyandu_id > 20).order_by(c.c.id).limit(1)
        ).scalar_one()
    return City(url, engine, posyandu, int(own), int(other), "36.72.01", "36.72.05")


def build_city_with_cases(url: str) -> tuple[City, date]:
    """The small demo city with the cases of its latest month opened (as ``tumbuh cases
    open`` would), and the day of its latest measurement."""
    city = build_city(url)
    with city.engine.connect() as connection:  # the use case commits its own transaction
        m = table_of(Measurement)
        last = connection.execute(select(func.max(m.c.measured_on))).scalar_one()
        last = last if isinstance(last, date) else date.fromisoformat(str(last))
        places = load_places(connection, "36.72")
        cases.open_cases(
            connection,
            cases.COMMAND_LINE_SCOPE,
            month_period(last.year, last.month),
            places=places,
            area=places.city,
            user=Actor("cli:test"),
        )
    return city, last


@pytest.fixture(scope="session")
def _cities() -> Iterator[dict[str, City]]:
    cities: dict[str, City] = {}
    yield cities
    for city in cities.values():
        city.engine.dispose()


@pytest.fixture
def city(
    backend: str,
    _cities: dict[str, City],
    new_database_url: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> City:
    """The small demo city on this test's backend (built on first use)."""
    if backend not in _cities:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('webcity') / 'city.sqlite'}"
        else:
            url = new_database_url(backend)
        _cities[backend] = build_city(url)
    return _cities[backend]


def settings_for(url: str, reports: Path | None = None) -> Settings:
    """Settings for a test app on ``url`` (fixed secret, Indonesian); semester reports are
    kept in ``reports`` (default: a new temporary folder, never the working directory)."""
    folder = reports or Path(tempfile.mkdtemp(prefix="tumbuh-test-reports-"))
    return Settings(
        database_url=url, secret_key=SecretStr(SECRET), language="id", report_cache_dir=folder
    )


@pytest.fixture
def app(city: City, tmp_path: Path) -> FastAPI:
    """The web application on the demo city."""
    return create_app(settings_for(city.url, tmp_path / "reports"), engine=city.engine)


def csrf_of(html: str) -> str:
    """The CSRF token in a page's forms."""
    found = CSRF_INPUT.search(html)
    assert found is not None, "page has no CSRF token"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> str:
    """Sign in through the login form; returns the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    return csrf_of(client.get("/reports").text)


SignedIn = Callable[[str], tuple[TestClient, str]]


@pytest.fixture
def signed_in(app: FastAPI) -> SignedIn:
    """``signed_in("kader")`` -> (client, csrf token)."""

    def make(username: str) -> tuple[TestClient, str]:
        client = TestClient(app)
        return client, sign_in(client, username)

    return make


@pytest.fixture
def api_session(app: FastAPI) -> tuple[str, str]:
    """(session cookie, CSRF token) of an administrator."""
    from tumbuh.web.app import SESSION_COOKIE

    client = TestClient(app)
    token = sign_in(client, "admin")
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie is not None
    return cookie, token


def nodes(page: str, xpath: str) -> list[lxml.html.HtmlElement]:
    """The elements of ``page`` that ``xpath`` selects."""
    found = lxml.html.fromstring(page).xpath(xpath)
    assert isinstance(found, list)
    return [node for node in found if isinstance(node, lxml.html.HtmlElement)]


def strings(page: str, xpath: str) -> list[str]:
    """Attribute values or text nodes that ``xpath`` selects (e.g. ``//a/@href``)."""
    found = lxml.html.fromstring(page).xpath(xpath)
    assert isinstance(found, list)
    return [str(item) for item in found]


def texts(page: str, xpath: str) -> list[str]:
    """The text of each selected element, whitespace collapsed."""
    return [" ".join(node.text_content().split()) for node in nodes(page, xpath)]


def text(page: str, xpath: str) -> str:
    """The text of the first selected element (the test fails when there is none)."""
    found = texts(page, xpath)
    assert found, f"nothing at {xpath}"
    return found[0]


def cells(row: lxml.html.HtmlElement) -> list[str]:
    """The texts of a table row's cells."""
    return [" ".join(td.text_content().split()) for td in row.iterchildren("td")]
