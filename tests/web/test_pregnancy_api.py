"""The pregnancies in the JSON API and the birth on the child's page, on a small
registry of their own (a birth adds a child, which the shared demo city must not get):
register, two visits, the birth with its child at the posyandu, a KF visit, 422 with the
Indonesian message, and 404 for a bidan of another area."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.db.helpers import add_posyandu
from tests.web.conftest import settings_for, sign_in, text
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.usecases.access import Role
from tumbuh.web.app import create_app

PASSWORD = "rahasia-bidan-1"
NIK = "3672014101950003"  # synthetic


@pytest.fixture
def app(empty_engine: Engine, tmp_path: Path) -> FastAPI:
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        own = add_posyandu(connection, "P-1", "36.72.01.1001", "Mawar")
        other = add_posyandu(connection, "P-2", "36.72.02.1005", "Melati")
        now = datetime.now(UTC)
        for name, place in (("bidan", own), ("lain", other)):
            user = NewUser(name, f"Bidan {name}", Role.BIDAN, PASSWORD, posyandu_id=place)
            create_user(connection, user, now)
    url = str(empty_engine.url.render_as_string(hide_password=False))
    return create_app(settings_for(url, tmp_path / "reports"), engine=empty_engine)


def _client(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app)
    token = sign_in(client, username, PASSWORD)
    client.headers["X-CSRF-Token"] = token
    return client


def test_a_birth_through_the_api_shows_on_the_childs_page(app: FastAPI) -> None:
    client = _client(app, "bidan")
    today = date.today()
    hpht = today - timedelta(weeks=36, days=3)
    refused = client.post("/api/v1/pregnancies", json={"nik": "1", "posyandu_id": 1})
    assert refused.status_code == 422
    assert refused.json() == {
        "field": "nik",
        "message": "NIK ibu: NIK terdiri dari 16 angka saja; yang diisi 1 karakter",
    }
    sent = {"nik": NIK, "mother_name": "Ibu Uji", "posyandu_id": 1, "hpht": hpht.isoformat()}
    created = client.post("/api/v1/pregnancies", json=sent)
    assert created.status_code == 201
    pregnancy = created.json()["id"]
    for back in (20, 10):
        day = (today - timedelta(days=back)).isoformat()
        visit = client.post(f"/api/v1/pregnancies/{pregnancy}/visits", json={"visited_on": day})
        assert visit.status_code == 201
    listed = client.get("/api/v1/pregnancies").json()
    assert [(p["k_visits"], p["weeks"]) for p in listed] == [(3, 36)]  # K1 at registration
    birth = {
        "ended_on": today.isoformat(),
        "birth_place": "puskesmas",
        "child_name": "Bayi Uji",
        "sex": "male",
        "birth_weight_g": 2450,
        "birth_length_cm": 49,
    }
    child = client.post(f"/api/v1/pregnancies/{pregnancy}/end", json=birth).json()["child_id"]
    kf = {"visit_number": 1, "visited_on": today.isoformat()}
    assert client.post(f"/api/v1/pregnancies/{pregnancy}/kf", json=kf).status_code == 201
    assert client.get(f"/api/v1/pregnancies/{pregnancy}").json()["birth_place"] == "puskesmas"
    assert "Puskesmas" in text(client.get(f"/pregnancies/{pregnancy}").text, "//p[@id='ended']")
    page = client.get(f"/children/{child}").text
    # 36 weeks: preterm (< 37, WHO); 2,450 g: BBLR (< 2,500 g); 49 cm: not PBLR (< 48 cm)
    assert text(page, "//section[@id='pregnancy-birth']/p") == (
        "Data kehamilan · 36 minggu · 2450 g · BBLR · prematur"
    )
    other = _client(app, "lain")
    assert other.get(f"/api/v1/pregnancies/{pregnancy}").status_code == 404
    assert other.get("/api/v1/pregnancies").json() == []


def test_visits_are_corrected_and_removed_through_the_api(app: FastAPI) -> None:
    client = _client(app, "bidan")
    today = date.today()
    sent = {"nik": NIK, "mother_name": "Ibu Uji", "posyandu_id": 1}
    pregnancy = client.post("/api/v1/pregnancies", json=sent).json()["id"]
    day = (today - timedelta(days=5)).isoformat()
    url = f"/api/v1/pregnancies/{pregnancy}/visits"
    visit = client.post(url, json={"visited_on": day}).json()["id"]
    change = {"visited_on": day, "place": "puskesmas", "iron_tablets_given": 30}
    assert client.put(f"{url}/{visit}", json=change).status_code == 204
    assert client.get(f"/api/v1/pregnancies/{pregnancy}").json()["iron_tablets"] == 30
    refused = client.put(f"{url}/{visit}", json=change | {"place": "rumah"})
    assert refused.status_code == 422
    assert refused.json()["field"] == "place"
    other = _client(app, "lain")
    assert other.delete(f"{url}/{visit}").status_code == 404
    assert client.delete(f"{url}/{visit + 99}").status_code == 404
    assert client.delete(f"{url}/{visit}").status_code == 204
    assert client.get(f"/api/v1/pregnancies/{pregnancy}").json()["iron_tablets"] == 0
    birth = {"ended_on": today.isoformat(), "outcome": "stillbirth"}
    client.post(f"/api/v1/pregnancies/{pregnancy}/end", json=birth)
    kf_url = f"/api/v1/pregnancies/{pregnancy}/kf"
    kf = client.post(kf_url, json={"visit_number": 2, "visited_on": today.isoformat()}).json()
    early = {"visited_on": day}  # before the birth
    assert client.put(f"{kf_url}/{kf['id']}", json=early).status_code == 422
    assert client.delete(f"{kf_url}/{kf['id']}").status_code == 204
