"""The dashboard's figures on a hand-built register whose answers are worked out here.

Two posyandu, two bulan timbang rounds (the register's rule: a child counts once, by its
last valid length/height-for-age z-score of the month; stunted below -2):

* Feb 2024: Cibeber 1 of 3 stunted, Bagendung (kecamatan Cilegon) 1 of 2: city 2 of 5;
* Aug 2024: Cibeber 1 of 3, Bagendung 0 of 1: city 1 of 4 = 25 %.

Wilson 95 % intervals worked by hand with z = 1.959964 (NormalDist().inv_cdf(0.975)):
1 of 4 -> 4.5587-69.9358 %, 1 of 3 -> 6.1492-79.2340 %.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, insert

from tests.db.helpers import add_child, add_derived, add_measurement, add_posyandu
from tests.web.conftest import cells, nodes, settings_for, sign_in, strings, text
from tumbuh.db.models import MeasurementRound, RoundKind, table_of
from tumbuh.db.models_access import PrevalenceTarget, Role, SurveyFigure
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.web.app import create_app

PASSWORD = "kata-sandi-uji-1"
FEB, AUG = date(2024, 2, 12), date(2024, 8, 14)


def _round_children(connection: Connection, posyandu: int, day: date, hazes: list[float]) -> None:
    for i, haz in enumerate(hazes):
        child = add_child(connection, birth_date=date(2021, 1, 1 + i), posyandu_id=posyandu)
        measurement = add_measurement(
            connection, child_id=child, measured_on=day, height_cm=85.0, posyandu_id=posyandu
        )
        add_derived(connection, measurement, haz, False)


def _register(connection: Connection) -> None:
    cibeber = add_posyandu(connection, "36.72.01.1001.01", "36.72.01.1001", "Mawar 1")
    bagendung = add_posyandu(connection, "36.72.02.1001.01", "36.72.02.1001", "Melati 1")
    connection.execute(
        insert(table_of(MeasurementRound)),
        [
            {"kind": RoundKind.BULAN_TIMBANG, "month": date(2024, 2, 1)},
            {"kind": RoundKind.BULAN_TIMBANG, "month": date(2024, 8, 1)},
        ],
    )
    _round_children(connection, cibeber, FEB, [-2.5, -1.0, 0.0])
    _round_children(connection, bagendung, FEB, [-3.1, -1.0])
    _round_children(connection, cibeber, AUG, [-2.1, -0.5, 0.3])
    _round_children(connection, bagendung, AUG, [-0.5])
    connection.execute(
        insert(table_of(PrevalenceTarget)).values(
            region_code="36.72",
            year=2024,
            indicator="stunting",
            percent=9.0,
            source="RPJMD",
            scale="survey",
        )
    )
    connection.execute(
        insert(table_of(SurveyFigure)).values(
            region_code="36.72", year=2022, survey="SSGI", indicator="stunting", percent=19.1
        )
    )
    create_user(connection, NewUser("dinkes", "Dinkes", Role.ADMIN, PASSWORD), datetime.now(UTC))


@pytest.fixture
def client(empty_engine: Engine) -> Iterator[TestClient]:
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        _register(connection)
    url = empty_engine.url.render_as_string(hide_password=False)
    client = TestClient(create_app(settings_for(url), engine=empty_engine))
    sign_in(client, "dinkes", PASSWORD)
    return client


def text_of(html: str, ident: str) -> str:
    return text(html, f"//*[@id='{ident}']")


def test_dashboard_shows_latest_round_against_the_previous_one(client: TestClient) -> None:
    page = client.get("/", follow_redirects=True)
    assert page.status_code == 200
    assert text_of(page.text, "round").startswith("Agustus 2024")
    assert text_of(page.text, "measured") == "4"
    assert text_of(page.text, "stunted") == "1"
    assert text_of(page.text, "prevalence") == "25,00%"
    assert text_of(page.text, "interval") == "interval 95% 4,56%–69,94%"
    assert text_of(page.text, "change") == "-15,00 poin"  # 25 % now, 2 of 5 = 40 % before


def test_dashboard_shows_the_targets_with_their_scale_beside_the_surveys_only(
    client: TestClient,
) -> None:
    page = client.get("/areas/36.72")
    assert text_of(page.text, "target") == "14,0%"
    assert text_of(page.text, "national-target") == "target nasional 2024, skala survei (SSGI/SKI)"
    assert text_of(page.text, "local-target") == "target daerah 2024: 9,0%, skala survei (SSGI/SKI)"
    register = text(page.text, "//*[@id='trend']//*[local-name()='svg']")  # inline SVG
    assert "Target" not in register  # survey-scale targets stay off the register chart
    assert text_of(page.text, "target-scale-note") == (
        "Target berada pada skala survei (SSGI/SKI), bukan skala pencatatan, sehingga tidak "
        "digambar di sini: lihat grafik survei."
    )
    surveys = text(page.text, "//*[@id='surveys']//*[local-name()='svg']")
    assert "Target nasional 2024 14%" in surveys
    assert "Target daerah 2024 9%" in surveys
    assert "SSGI" in surveys


def test_area_table_sorts_by_prevalence_with_empty_areas_last(client: TestClient) -> None:
    page = client.get("/areas/36.72?sort=percent&order=desc")
    rows = nodes(page.text, "//table[@id='area-table']/tbody/tr")
    first, second = cells(rows[0]), cells(rows[1])
    assert first[:6] == ["Cibeber", "3", "1", "33,33%", "0,00", "6,15%–79,23%"]
    assert second[:4] == ["Cilegon", "1", "0", "0,00%"]
    assert len(rows) == 8  # every kecamatan, those without children with "–"
    assert all(cells(row)[3] == "–" for row in rows[2:])


def test_drill_down_from_kecamatan_to_posyandu(client: TestClient) -> None:
    kecamatan = client.get("/areas/36.72.01")
    assert text_of(kecamatan.text, "prevalence") == "33,33%"
    links = strings(kecamatan.text, "//table[@id='area-table']/tbody//a/@href")
    assert "/areas/36.72.01.1001" in links
    kelurahan = client.get("/areas/36.72.01.1001")
    posyandu_link = strings(kelurahan.text, "//table[@id='area-table']/tbody//a/@href")
    assert posyandu_link[0].startswith("/posyandu/")
    posyandu = client.get(posyandu_link[0])
    assert text_of(posyandu.text, "measured") == "3"


def test_map_geojson_carries_figures_and_links(client: TestClient) -> None:
    data = client.get("/api/v1/map/kecamatan").json()
    by_code = {f["properties"]["kode"]: f["properties"] for f in data["features"]}
    assert len(by_code) == 8
    assert by_code["36.72.01"]["measured"] == 3
    assert by_code["36.72.01"]["percent"] == pytest.approx(100 / 3)
    assert by_code["36.72.01"]["url"] == "/areas/36.72.01"
    assert by_code["36.72.05"]["percent"] is None


def test_api_area_figures_match_the_page(client: TestClient) -> None:
    data = client.get("/api/v1/areas/36.72").json()
    assert (data["latest"]["measured"], data["latest"]["stunted"]) == (4, 1)
    assert data["latest"]["low_percent"] == pytest.approx(4.5587, abs=1e-4)
    assert data["latest"]["high_percent"] == pytest.approx(69.9358, abs=1e-4)
    assert (data["previous"]["measured"], data["previous"]["stunted"]) == (5, 2)
    assert data["change_points"] == pytest.approx(-15.0)
    assert data["trend_scale"] == "register"
    assert [(t["year"], t["percent"], t["scale"], t["origin"]) for t in data["targets"]] == [
        (2024, 9.0, "survey", "local"),
        (2024, 14.0, "survey", "national"),
        (2025, 18.8, "survey", "national"),
        (2029, 14.2, "survey", "national"),
    ]
    assert [(s["year"], s["survey"], s["percent"]) for s in data["surveys"]] == [
        (2022, "SSGI", 19.1)
    ]
