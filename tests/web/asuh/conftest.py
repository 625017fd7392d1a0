"""The small demo city with its latest month's cases and a little Bapak Asuh programme,
for the Bapak Asuh pages, API and browser tests: two sponsors (one named publicly), two
children confirmed for each from the proposal list, money received and disbursed, a
delivery, and a sponsor account for each (``sponsor1``, ``sponsor2``)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete

from tests.web.conftest import City, build_city_with_cases, csrf_of, settings_for
from tumbuh.db.audit import Actor
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AppUser
from tumbuh.db.models_asuh import (
    Allocation,
    Asuhan,
    Delivery,
    Disbursement,
    Payment,
    Pledge,
    Sponsor,
)
from tumbuh.growth.asuh import AsuhanKind, PledgeKind, SponsorKind
from tumbuh.usecases import asuh, asuh_money, asuhan
from tumbuh.usecases.access import Role
from tumbuh.usecases.asuh_input import (
    AsuhanTerms,
    NewDelivery,
    NewDisbursement,
    NewPayment,
    NewPledge,
    NewSponsor,
)
from tumbuh.usecases.transactions import writing
from tumbuh.usecases.users import DEMO_PASSWORD, NewUser, add_account
from tumbuh.web.app import create_app

TOOL = Actor("cli:test")
ADMIN = asuh.COMMAND_LINE_SCOPE
OFFICIAL_NAME = "Kepala Dinas Uji Asuh"
COMPANY_NAME = "PT Baja Uji Asuh"


@dataclass
class AsuhCity:
    """The city and what the Bapak Asuh tests need to know about it."""

    city: City
    official: int  # sponsor ids
    company: int
    official_children: list[int]
    company_children: list[int]
    official_asuhan: list[int]
    child_names: dict[int, str]  # full names, to show they never reach a sponsor


def _without_the_demos_programme(engine: Engine) -> None:
    """Delete the demo city's own Bapak Asuh (and its sponsor's account), so that the
    money drawn, the counts and the pages are this module's alone."""
    models = (Delivery, Asuhan, Allocation, Disbursement, Payment, Pledge)
    with engine.begin() as connection:
        for model in models:
            connection.execute(delete(table_of(model)))
        users = table_of(AppUser)
        connection.execute(delete(users).where(users.c.sponsor_id.is_not(None)))
        connection.execute(delete(table_of(Sponsor)))


def build_asuh_city(url: str) -> AsuhCity:
    """Build the city and its programme (several seconds)."""
    city, _last = build_city_with_cases(url)
    _without_the_demos_programme(city.engine)
    today = date.today()
    with city.engine.connect() as connection:
        with writing(connection):
            official, company = asuh.record_sponsors(
                connection,
                TOOL,
                [
                    NewSponsor(
                        SponsorKind.OFFICIAL, OFFICIAL_NAME, "Dinas Uji", listed_publicly=True
                    ),
                    NewSponsor(SponsorKind.COMPANY, COMPANY_NAME, "CSR PT Baja Uji"),
                ],
            )
            pledge = NewPledge(
                official, PledgeKind.MONEY, date(today.year, today.month, 1), 3, 3_000_000
            )
            asuh.record_pledges(connection, TOOL, [pledge])
        proposals = asuhan.proposal_list(connection, ADMIN, today, limit=4)
        names = {p.child_id: p.child for p in proposals}
        ids = list(names)
        start = today - timedelta(days=20)
        mine = asuhan.confirm_asuhan(
            connection,
            ADMIN,
            TOOL,
            AsuhanTerms(official, AsuhanKind.PRIORITAS, start, None, None),
            child_ids=ids[:2],
        )
        asuhan.confirm_asuhan(
            connection,
            ADMIN,
            TOOL,
            AsuhanTerms(company, AsuhanKind.PRIORITAS, start, None, None),
            child_ids=ids[2:],
        )
        asuhan.add_delivery(
            connection,
            ADMIN,
            TOOL,
            NewDelivery(mine[0], start + timedelta(days=2), "Telur 30 butir", "TPK Uji"),
        )
        asuh_money.add_payment(
            connection, ADMIN, TOOL, NewPayment(official, start, 3_000_000, "BZN-UJI-1")
        )
        asuh_money.add_payment(
            connection, ADMIN, TOOL, NewPayment(company, start, 10_000_000, "BZN-UJI-2")
        )
        kitchen = NewDisbursement(
            start + timedelta(days=5),
            "36.72.01.1001",
            7_500_000,
            "PROP-UJI-1",
            kitchen_name="Dapur Umum PKK Uji",
        )
        asuh_money.add_disbursement(connection, ADMIN, TOOL, kitchen, city_code="36.72")
        for username, sponsor in (("sponsor1", official), ("sponsor2", company)):
            new = NewUser(
                username, f"Bapak Asuh {username}", Role.SPONSOR, DEMO_PASSWORD, sponsor_id=sponsor
            )
            add_account(connection, TOOL, new, puskesmas=None, posyandu=None)
    return AsuhCity(city, official, company, ids[:2], ids[2:], mine, names)


@pytest.fixture(scope="session")
def _asuh_cities() -> Iterator[dict[str, AsuhCity]]:
    cities: dict[str, AsuhCity] = {}
    yield cities
    for found in cities.values():
        found.city.engine.dispose()


@pytest.fixture
def asuh_city(
    backend: str,
    _asuh_cities: dict[str, AsuhCity],
    new_database_url: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsuhCity:
    """The city with its programme on this test's backend (built on first use)."""
    if backend not in _asuh_cities:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('asuhcity') / 'city.sqlite'}"
        else:
            url = new_database_url(backend)
        _asuh_cities[backend] = build_asuh_city(url)
    return _asuh_cities[backend]


@pytest.fixture
def app(asuh_city: AsuhCity, tmp_path: Path) -> FastAPI:
    """The web application on the city with its programme (``signed_in`` uses it)."""
    return create_app(
        settings_for(asuh_city.city.url, tmp_path / "reports"), engine=asuh_city.city.engine
    )


def sponsor_signed_in(app: FastAPI, username: str) -> tuple[TestClient, str]:
    """A client signed in as a sponsor, and the CSRF token of its own page."""
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    data = {"username": username, "password": DEMO_PASSWORD, "csrf_token": token, "next": "/"}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:300]
    return client, csrf_of(client.get("/asuh/mine").text)
