"""A sponsor sees only their own sponsored children (initials, age, kelurahan, z-scores),
their deliveries and their money, and no other page of Tumbuh at all; administrators make
their accounts (docs/security.md, "Sponsors")."""

import json
import re
from datetime import date

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.web.asuh.conftest import (
    ADMIN,
    COMPANY_NAME,
    OFFICIAL_NAME,
    AsuhCity,
    sponsor_signed_in,
)
from tests.web.conftest import SignedIn, strings, text, texts
from tumbuh.privacy import mask_name
from tumbuh.usecases import asuhan

SPONSOR_PAGES = {"/asuh/mine", "/api/v1/asuh/mine"}
PUBLIC = {"/public/asuh", "/api/v1/public/asuh", "/login", "/openapi.json"}
NO_SESSION_NEEDED = {"/logout", "/language", "/login"}  # they act on the session itself
# A value for each kind of path parameter, so the route itself is reached.
PARAMETERS = {"code": "36.72.01", "level": "kecamatan", "month": "2024-08", "token": "x" * 32}


def _path(route: APIRoute) -> str:
    return re.sub(r"\{(\w+)(:[^}]*)?\}", lambda m: PARAMETERS.get(m.group(1), "1"), route.path)


def _initials_of(asuh_city: AsuhCity, sponsor: int) -> list[str]:
    """The initials of the sponsor's children as stored now (other tests add some)."""
    with asuh_city.city.engine.connect() as connection:
        found = asuhan.asuhan_list(connection, ADMIN, date.today(), sponsor_id=sponsor)
    return sorted(mask_name(a.who) for a in found if a.child_id is not None)


def test_the_sponsor_lands_on_their_own_page_and_sees_only_their_children(
    app: FastAPI, asuh_city: AsuhCity
) -> None:
    client, _ = sponsor_signed_in(app, "sponsor1")
    home = client.get("/", follow_redirects=False)
    assert (home.status_code, home.headers["location"]) == (303, "/asuh/mine")
    page = client.get("/asuh/mine").text
    shown = texts(page, "//div[@class='child']//span[@class='initials']")
    assert sorted(shown) == _initials_of(asuh_city, asuh_city.official)
    assert strings(page, "//nav[@class='menu']//a/@href") == ["/asuh/mine"]
    for child in (*asuh_city.official_children, *asuh_city.company_children):
        assert asuh_city.child_names[child] not in page  # no full name, theirs or another's
    assert COMPANY_NAME not in page
    assert "Telur 30 butir" in page
    assert text(page, "//span[@id='paid']") == "Rp 3.000.000"
    assert texts(page, "//table[@id='uses']//td[4]") == ["Rp 3.000.000"]  # the oldest money first
    assert len(texts(page, "//figure[@class='chart']")) == len(shown)  # a z-score chart each
    assert not re.search(r"\b3672\d{12}\b", page)  # no NIK


def test_another_sponsor_sees_theirs_and_not_the_first_ones(
    app: FastAPI, asuh_city: AsuhCity
) -> None:
    client, _ = sponsor_signed_in(app, "sponsor2")
    page = client.get("/asuh/mine").text
    assert OFFICIAL_NAME not in page
    assert "Telur 30 butir" not in page
    shown = texts(page, "//div[@class='child']//span[@class='initials']")
    assert sorted(shown) == _initials_of(asuh_city, asuh_city.company)
    data = client.get("/api/v1/asuh/mine").json()
    assert data["sponsor_name"] == COMPANY_NAME
    assert {a["id"] for a in data["asuhan"]}.isdisjoint(asuh_city.official_asuhan)
    flat = json.dumps(data)
    for key in ('"name"', '"nik"', '"birth_date"', '"child_id"', '"measured_on"'):
        assert key not in flat


def test_every_other_page_and_api_answers_not_found_to_a_sponsor(app: FastAPI) -> None:
    client, token = sponsor_signed_in(app, "sponsor1")
    reached = []
    for route in app.routes:
        allowed = SPONSOR_PAGES | PUBLIC | NO_SESSION_NEEDED | {"/"}
        if not isinstance(route, APIRoute) or route.path in allowed:
            continue
        for method in sorted((route.methods or set()) - {"HEAD"}):
            response = client.request(
                method, _path(route), headers={"X-CSRF-Token": token}, follow_redirects=False
            )
            if response.status_code != 404:
                reached.append(f"{method} {route.path}: {response.status_code}")
    assert reached == []


def test_an_administrator_makes_a_sponsors_account(
    signed_in: SignedIn, asuh_city: AsuhCity
) -> None:
    client, token = signed_in("admin")
    form = client.get("/users/new").text
    assert str(asuh_city.company) in strings(form, "//select[@id='sponsor_id']/option/@value")
    data = {
        "csrf_token": token,
        "username": "pt.baja",
        "full_name": "PT Baja (akun)",
        "role": "sponsor",
        "language": "id",
        "password": "sandi-bapak-asuh-2",
    }
    missing = client.post("/users/new", data=data)
    assert missing.status_code == 422
    assert "Bapak asuh: akun bapak asuh milik satu bapak asuh; pilih bapak asuhnya" in missing.text
    made = client.post(
        "/users/new", data={**data, "sponsor_id": str(asuh_city.company)}, follow_redirects=False
    )
    assert made.status_code == 303
    listed = client.get("/users").text
    assert f"Bapak asuh {COMPANY_NAME}" in texts(listed, "//tr[@data-user='pt.baja']/td[4]")
    fresh = TestClient(client.app)
    token2 = re.search(r'name="csrf_token" value="([^"]+)"', fresh.get("/login").text)
    assert token2 is not None
    signed = fresh.post(
        "/login",
        data={
            "username": "pt.baja",
            "password": "sandi-bapak-asuh-2",
            "csrf_token": token2.group(1),
            "next": "/",
        },
        follow_redirects=True,
    )
    assert signed.url.path == "/asuh/mine"
