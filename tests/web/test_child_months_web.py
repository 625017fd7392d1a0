"""A young child's monthly record on the child page and in the API, on a small registry of
its own: a kader records ASI eksklusif of a 4-month-old (no MP-ASI question shown), an
answer that does not apply is refused in Indonesian (422), the TPK reads without a form,
the immunisation day is set and refused before the birth; the API reads and writes a
month and answers 404 for a child of another area (docs/child-months.md)."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.db.helpers import add_child, add_posyandu
from tests.web.conftest import nodes, settings_for, sign_in, text
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.usecases.access import Role
from tumbuh.web.app import create_app

PASSWORD = "rahasia-kader-1"


def months_back(months: int) -> date:
    """The first day of the month ``months`` before this one: a child born then is
    ``months`` completed months old all this month."""
    today = date.today()
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


THIS_MONTH = months_back(0).strftime("%Y-%m")


@pytest.fixture
def app(empty_engine: Engine, tmp_path: Path) -> FastAPI:
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        own = add_posyandu(connection, "P-1", "36.72.01.1001", "Mawar")
        other = add_posyandu(connection, "P-2", "36.72.02.1005", "Melati")
        add_child(connection, birth_date=months_back(4), posyandu_id=own)  # id 1
        add_child(connection, birth_date=months_back(4), posyandu_id=other)  # id 2
        now = datetime.now(UTC)
        for name, role, place in (
            ("kader", Role.KADER, own),
            ("tpk", Role.TPK, own),
            ("lain", Role.KADER, other),
        ):
            create_user(
                connection, NewUser(name, name.title(), role, PASSWORD, posyandu_id=place), now
            )
    url = str(empty_engine.url.render_as_string(hide_password=False))
    return create_app(settings_for(url, tmp_path / "reports"), engine=empty_engine)


def _client(app: FastAPI, username: str) -> tuple[TestClient, str]:
    client = TestClient(app)
    token = sign_in(client, username, PASSWORD)
    client.headers["X-CSRF-Token"] = token
    return client, token


def test_a_kader_records_asi_eksklusif_of_a_4_month_old(app: FastAPI) -> None:
    client, token = _client(app, "kader")
    page = client.get("/children/1").text
    assert nodes(page, "//form[@id='month-form']//select[@id='exclusive_breastfeeding']")
    assert nodes(page, "//select[@id='complementary_feeding']") == []  # MP-ASI from 6 months
    assert text(page, "//section[@id='monthly-monitoring']/h3").endswith(": umur 4 bulan")
    saved = client.post(
        f"/children/1/months/{THIS_MONTH}",
        data={"csrf_token": token, "exclusive_breastfeeding": "yes"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = client.get(saved.headers["location"]).text
    assert text(page, f"//li[@data-month='{THIS_MONTH}']/span") == "ya"
    assert strings_selected(page) == ["yes"]


def strings_selected(page: str) -> list[str]:
    return [
        str(o.get("value"))
        for o in nodes(page, "//select[@id='exclusive_breastfeeding']/option[@selected]")
    ]


def test_mp_asi_for_a_4_month_old_is_refused_in_indonesian(app: FastAPI) -> None:
    client, token = _client(app, "kader")
    refused = client.post(
        f"/children/1/months/{THIS_MONTH}",
        data={"csrf_token": token, "complementary_feeding": "no"},
    )
    assert refused.status_code == 422
    assert text(refused.text, "//*[@id='month-errors']/li") == (
        "MP-ASI: 'tidak' tidak diterima pada umur 4 bulan; MP-ASI ditanyakan untuk anak "
        "umur 6 sampai 23 bulan; kosongkan"
    )


def test_the_tpk_reads_the_months_without_a_form(app: FastAPI) -> None:
    kader, token = _client(app, "kader")
    data = {"csrf_token": token, "exclusive_breastfeeding": "no"}
    kader.post(f"/children/1/months/{THIS_MONTH}", data=data)
    tpk, tpk_token = _client(app, "tpk")
    page = tpk.get("/children/1").text
    assert text(page, f"//li[@data-month='{THIS_MONTH}']/span") == "tidak"
    assert nodes(page, "//form[@id='month-form']") == []
    assert nodes(page, "//form[@id='immunisation-form']") == []
    refused = tpk.post(f"/children/1/months/{THIS_MONTH}", data={"csrf_token": tpk_token})
    assert refused.status_code in {403, 404}


def test_the_immunisation_day_is_set_and_refused_before_the_birth(app: FastAPI) -> None:
    client, token = _client(app, "kader")
    born = months_back(4)
    refused = client.post(
        "/children/1/immunisation",
        data={"csrf_token": token, "completed_on": date(born.year - 1, 1, 1).isoformat()},
    )
    assert refused.status_code == 422
    assert "sebelum anak lahir" in text(refused.text, "//*[@id='month-errors']/li")
    saved = client.post(
        "/children/1/immunisation", data={"csrf_token": token, "completed_on": born.isoformat()}
    )
    assert saved.status_code == 200  # followed to the child's page
    assert text(saved.text, "//p[@id='immunisation']/strong") != "belum dicatat"


def test_the_api_reads_and_writes_a_month(app: FastAPI) -> None:
    client, _token = _client(app, "kader")
    url = f"/api/v1/children/1/months/{THIS_MONTH}"
    empty = client.get(url).json()
    assert (empty["ages"], empty["questions"], empty["recorded"]) == (
        [4, 4],
        ["exclusive_breastfeeding"],
        False,
    )
    stored = client.put(url, json={"exclusive_breastfeeding": True})
    assert stored.status_code == 200
    assert (stored.json()["exclusive_breastfeeding"], stored.json()["recorded"]) == (True, True)
    refused = client.put(url, json={"kpsp_result": "sesuai"})
    assert refused.status_code == 422
    assert refused.json()["field"] == "kpsp_result"
    day = months_back(1).isoformat()
    assert client.put("/api/v1/children/1/immunisation", json={"completed_on": day}).json() == {
        "completed_on": day
    }
    listed = client.get("/api/v1/children/1/months").json()
    assert listed["basic_immunisation_completed_on"] == day
    assert [m["month"] for m in listed["months"]] == [THIS_MONTH]
    other, _ = _client(app, "lain")
    assert other.get(url).status_code == 404
    assert other.put(url, json={}).status_code == 404
