"""The catin pages and API on a small registry of their own: the menu entry, a bride
registered on the form and screened (LiLA 22.0: KEK), the Indonesian refusal naming the
field and value, the filters, the upload of a list (a bad row named, nothing written),
the JSON API, 404 for a bidan of another area and no entry for a kader."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.db.helpers import add_posyandu
from tests.web.conftest import nodes, settings_for, sign_in, text
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.usecases.access import Role
from tumbuh.web.app import create_app

PASSWORD = "rahasia-bidan-1"
CIBEBER = "36.72.01.1001"


@pytest.fixture
def app(empty_engine: Engine, tmp_path: Path) -> FastAPI:
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        own = add_posyandu(connection, "P-1", CIBEBER, "Mawar")
        other = add_posyandu(connection, "P-2", "36.72.02.1005", "Melati")
        now = datetime.now(UTC)
        users = (
            ("bidan", Role.BIDAN, own),
            ("lain", Role.BIDAN, other),
            ("kader", Role.KADER, own),
        )
        for name, role, place in users:
            create_user(
                connection, NewUser(name, name.title(), role, PASSWORD, posyandu_id=place), now
            )
    url = str(empty_engine.url.render_as_string(hide_password=False))
    return create_app(settings_for(url, tmp_path / "reports"), engine=empty_engine)


def _client(app: FastAPI, username: str) -> tuple[TestClient, str]:
    client = TestClient(app)
    token = sign_in(client, username, PASSWORD)
    return client, token


def test_a_bidan_registers_and_screens_a_bride_and_sees_kek(app: FastAPI) -> None:
    client, token = _client(app, "bidan")
    home = client.get("/catin")
    assert home.status_code == 200
    assert text(home.text, "//a[@id='menu-catin']") == "Catin"
    wedding = (date.today() + timedelta(days=100)).isoformat()
    raw = {"csrf_token": token, "name": "Rina Uji", "sex": "female", "kelurahan_code": CIBEBER}
    refused = client.post("/catin/new", data={**raw, "wedding_planned_on": "16-11-2024"})
    assert refused.status_code == 422
    assert text(refused.text, "//*[@id='catin-errors']/li") == (
        "Tanggal rencana nikah: '16-11-2024' bukan tanggal; tulis sebagai TTTT-BB-HH, "
        "misalnya 2023-11-27"
    )
    saved = client.post(
        "/catin/new", data={**raw, "wedding_planned_on": wedding}, follow_redirects=False
    )
    assert saved.status_code == 303
    place = saved.headers["location"]
    screened = client.post(
        f"{place}/screening", data={"csrf_token": token, "muac_cm": "22,0", "hb_g_dl": "12.4"}
    )
    page = screened.text
    assert text(page, "//dd[@id='kek']") == "ya"
    assert text(page, "//dd[@id='anaemia']") == "tidak anemia"
    assert text(page, "//*[@id='at-risk']") == "Berisiko"
    at_risk = client.get("/catin?at_risk=1").text
    assert [a.text for a in nodes(at_risk, "//ul[@id='catin']/li/a/strong")] == ["Rina Uji"]
    assert nodes(client.get("/catin?unscreened=1").text, "//ul[@id='catin']/li") == []


def test_an_uploaded_list_with_a_bad_row_writes_nothing(app: FastAPI) -> None:
    client, token = _client(app, "bidan")
    rows = (
        "Nama;Jenis Kelamin;Kode Kelurahan;Tanggal Daftar;LiLA\n"
        f"Sari;P;{CIBEBER};01/08/2024;22\n"
        f"Dewi;P;{CIBEBER};01/08/2024;abc\n"
    )
    files = {"file": ("catin.csv", rows.encode(), "text/csv")}
    refused = client.post("/catin/import", data={"csrf_token": token}, files=files)
    assert refused.status_code == 422
    assert text(refused.text, "//*[@id='catin-import-errors']/ul/li") == (
        "Baris 3, kolom 'LiLA': 'abc' tidak diterima; tulis angka dari 10 sampai 50"
    )
    good = {"file": ("catin.csv", rows.replace("abc", "25").encode(), "text/csv")}
    done = client.post("/catin/import", data={"csrf_token": token}, files=good)
    assert done.status_code == 200
    assert text(done.text, "//*[@id='catin-imported']") == "2 catin diimpor dari daftar."


def test_the_api_registers_screens_and_scopes(app: FastAPI) -> None:
    client, token = _client(app, "bidan")
    client.headers["X-CSRF-Token"] = token
    refused = client.post(
        "/api/v1/catin", json={"name": "A", "sex": "x", "kelurahan_code": CIBEBER}
    )
    assert refused.json() == {
        "field": "sex",
        "message": "Jenis kelamin: 'x' bukan salah satu pilihan; yang diterima: male, female",
    }
    sent = {"name": "Budi", "sex": "male", "kelurahan_code": CIBEBER, "nik": "3672010101990003"}
    catin_id = client.post("/api/v1/catin", json=sent).json()["id"]
    screening = {"hb_g_dl": 12.5, "weight_kg": 50, "height_cm": 170}
    assert client.post(f"/api/v1/catin/{catin_id}/screening", json=screening).status_code == 200
    follow = {"follow_up": "TTD dan konseling gizi"}
    assert client.post(f"/api/v1/catin/{catin_id}/follow-up", json=follow).status_code == 200
    found = client.get(f"/api/v1/catin/{catin_id}").json()
    # a man: Hb 12.5 < 13.0 is mild anaemia (WHO 2011); IMT 50/1.7^2 = 17.3, kurus (< 18.5)
    assert (found["anaemia"], found["imt"], found["kurus"], found["kek"]) == (
        "mild",
        17.3,
        True,
        False,
    )
    assert found["follow_up"] == "TTD dan konseling gizi"
    other, _ = _client(app, "lain")
    assert other.get(f"/api/v1/catin/{catin_id}").status_code == 404
    assert other.get("/api/v1/catin").json() == []
    kader, _ = _client(app, "kader")
    assert nodes(kader.get("/reports").text, "//a[@id='menu-catin']") == []
    assert kader.get("/catin").status_code in {403, 404}
