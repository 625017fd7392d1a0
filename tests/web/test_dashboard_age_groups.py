"""The area pages' table of stunting by age group: baduta (0-23 completed months), balita
24-59 months and all balita, on the dashboard's hand-built register
(tests/web/test_dashboard.py) with two babies added at posyandu Mawar 1 in August 2024:

* born 1 Sep 2023, 11 months on 14 Aug 2024, z -2.4: a stunted baduta;
* born 15 Aug 2022, 23 months on 14 Aug 2024 (the 15th not reached), z -1.0: a baduta.

August: baduta 1 of 2 (50 %); 24-59 months 1 of 4 (25 %); all 2 of 6 (33.33 %).
Wilson 95 % for 1 of 2 worked by hand (z = 1.959964): 9.45-90.55 %.
"""

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.db.helpers import add_child, add_derived, add_measurement
from tests.web.conftest import cells, nodes, settings_for, sign_in
from tests.web.test_dashboard import AUG, PASSWORD, _register
from tumbuh.db.models import Posyandu, table_of
from tumbuh.db.setup import upgrade_database
from tumbuh.web.app import create_app


@pytest.fixture
def client(empty_engine: Engine) -> TestClient:
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        _register(connection)
        posyandu = table_of(Posyandu)
        mawar = connection.execute(
            select(posyandu.c.id).where(posyandu.c.code == "36.72.01.1001.01")
        ).scalar_one()
        for born, haz in ((date(2023, 9, 1), -2.4), (date(2022, 8, 15), -1.0)):
            child = add_child(connection, birth_date=born, posyandu_id=mawar)
            measurement = add_measurement(
                connection, child_id=child, measured_on=AUG, height_cm=70.0, posyandu_id=mawar
            )
            add_derived(connection, measurement, haz, False)
    url = empty_engine.url.render_as_string(hide_password=False)
    client = TestClient(create_app(settings_for(url), engine=empty_engine))
    sign_in(client, "dinkes", PASSWORD)
    return client


def _age_rows(html: str) -> list[list[str]]:
    """Each row's header (the age group) and its cells."""
    rows = nodes(html, "//table[@id='age-table']/tbody/tr")
    return [[" ".join((row.findtext("th") or "").split()), *cells(row)] for row in rows]


def test_the_city_page_splits_the_latest_round_by_age_group(client: TestClient) -> None:
    page = client.get("/areas/36.72")
    assert page.status_code == 200
    assert _age_rows(page.text) == [
        ["Baduta (0–23 bulan)", "2", "1", "50,00%", "9,45%–90,55%"],
        ["Balita 24–59 bulan", "4", "1", "25,00%", "4,56%–69,94%"],
        ["Semua balita (0–59 bulan)", "6", "2", "33,33%", "9,68%–70,00%"],
    ]
    assert "Stunting menurut kelompok umur, Agustus 2024" in page.text


def test_a_kecamatan_page_counts_only_its_own_children_by_age(client: TestClient) -> None:
    rows = _age_rows(client.get("/areas/36.72.01").text)
    counts = [row[1:3] for row in rows]
    assert counts == [["2", "1"], ["3", "1"], ["5", "2"]]


def test_the_api_gives_the_same_age_groups(client: TestClient) -> None:
    data = client.get("/api/v1/areas/36.72").json()
    counts = [
        (row["age_group"], row["figure"]["measured"], row["figure"]["stunted"])
        for row in data["by_age"]
    ]
    assert counts == [("baduta", 2, 1), ("24-59", 4, 1), ("all", 6, 2)]


def test_the_trend_chart_can_show_one_age_group_without_the_targets_of_all(
    client: TestClient,
) -> None:
    every = client.get("/areas/36.72").text
    baduta = client.get("/areas/36.72?age=baduta").text
    [chart] = nodes(baduta, "//figure[@id='trend']")
    title = " ".join(chart.xpath("string(.//svg//title)").split())
    assert title == "Prevalensi stunting, Kota Cilegon, Baduta (0–23 bulan)"
    [register] = nodes(every, "//figure[@id='trend']//*[local-name()='svg']")
    assert "Target" not in " ".join(register.itertext())  # 14 % is on the survey scale
    [surveys] = nodes(every, "//figure[@id='surveys']//*[local-name()='svg']")
    assert "Target nasional 2024" in " ".join(surveys.itertext())  # drawn beside SSGI
    assert "Target nasional 2024" not in " ".join(chart.itertext())
    assert "50,0" in " ".join(chart.xpath(".//svg//text()"))  # August: 1 of 2 baduta
    [current] = nodes(baduta, "//figcaption[@id='trend-ages']/a[@aria-current='true']")
    assert current.get("data-age") == "baduta"
    assert client.get("/areas/36.72?age=0-59").status_code == 422
