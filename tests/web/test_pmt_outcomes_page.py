"""The PMT outcome page (``/pmt/outcomes``), its .xlsx and its API on both databases
(docs/pmt.md, "Outcomes"), on the registry of tests/usecases/test_pmt_outcomes.py: the
fed children against comparable children not fed in both languages, "too few children"
in words where a group is small, the period filter, and the roles (a kader sees her
posyandu's, a kitchen operator nothing)."""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine

from tests.usecases.test_pmt_outcomes import FED, Registry
from tests.web.conftest import nodes, settings_for, sign_in, text, texts
from tumbuh.db.engine import create_engine
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.usecases.access import Role
from tumbuh.web.app import create_app

PASSWORD = "kata-sandi-uji-1"


@dataclass
class Town:
    engine: Engine
    registry: Registry


@pytest.fixture(scope="module")
def _towns() -> Iterator[dict[str, Town]]:
    towns: dict[str, Town] = {}
    yield towns
    for town in towns.values():
        town.engine.dispose()


@pytest.fixture
def town(backend: str, _towns: dict[str, Town], new_database_url: Callable[[str], str]) -> Town:
    """The registry with its users, built once per backend (the tests only read)."""
    if backend not in _towns:
        engine = create_engine(new_database_url(backend))
        upgrade_database(engine)
        with engine.connect() as connection:
            registry = Registry.build(connection)
        with engine.begin() as connection:
            now = datetime.now(UTC)
            for user in (
                NewUser("dinkes", "Dinkes", Role.ADMIN, PASSWORD),
                NewUser("dinkes-en", "Dinkes", Role.ADMIN, PASSWORD, language="en"),
                NewUser("mitra", "Mitra", Role.PARTNER, PASSWORD),
                NewUser("kader", "Kader", Role.KADER, PASSWORD, posyandu_id=registry.b),
                NewUser("dapur", "Dapur", Role.KITCHEN, PASSWORD, kitchen_id=registry.kitchen_a),
            ):
                create_user(connection, user, now)
        _towns[backend] = Town(engine, registry)
    return _towns[backend]


@pytest.fixture
def client_for(town: Town) -> Callable[[str], TestClient]:
    url = town.engine.url.render_as_string(hide_password=False)
    app = create_app(settings_for(url), engine=town.engine)

    def make(username: str) -> TestClient:
        client = TestClient(app)
        sign_in(client, username, PASSWORD)
        return client

    return make


def _page(client: TestClient, **params: str) -> str:
    answer = client.get("/pmt/outcomes", params=params)
    assert answer.status_code == 200, answer.text[:500]
    return str(answer.text)


def _row(page: str, table: str, name: str) -> str:
    [row] = texts(page, f"//table[@id='{table}']//tr[th[@scope='row'][normalize-space()='{name}']]")
    return row


def test_the_page_compares_the_fed_with_comparable_children_in_indonesian(
    client_for: Callable[[str], TestClient],
) -> None:
    page = _page(client_for("dinkes"))
    assert text(page, "//h1") == "Hasil PMT: apakah anak yang diberi PMT lebih baik?"
    why = text(page, "//section[@id='why-compare']")
    assert "Mengapa dibandingkan dengan anak yang tidak diberi PMT?" in why
    assert "angka “sebelum dan sesudah” selalu tampak baik" in why
    summary = text(page, "//p[@id='outcome-summary']")
    assert summary.startswith("Episode yang mulai kapan saja: 28 episode selesai; 18 anak serupa")
    recovered = _row(page, "outcome-city", "Pulih")
    assert "96%" in recovered  # 27 of 28 fed children recovered
    assert "+96 poin (+72 sampai +99)" in recovered  # none of the comparable children did
    mawar = _row(page, "outcome-kitchen", "Dapur Mawar")
    assert "96% diberi PMT, 0% tidak" in mawar
    kenanga = _row(page, "outcome-kitchen", "Dapur Kenanga")
    assert kenanga.endswith(
        "Terlalu sedikit anak untuk dibandingkan: kurang dari 20 anak yang diberi PMT punya "
        "pembanding yang tidak diberi PMT."
    )
    assert "%" not in kenanga  # no figure for too few children
    [small] = nodes(page, "//table[@id='outcome-kitchen']//tr[contains(@class, 'too-small')]")
    assert small.get("data-code") is not None
    assert texts(page, "//table[@id='outcome-funding']//th[@scope='row']") == [
        "APBD (anggaran kota)",
        "Baznas",
    ]
    assert "Gizi kurang" in text(page, "//table[@id='outcome-indication']")
    for english in ("Why compare", "Too few children", "Recovered", "Kitchen"):
        assert english not in page


def test_the_page_in_english_and_the_pmt_pages_link_to_it(
    client_for: Callable[[str], TestClient],
) -> None:
    client = client_for("dinkes-en")
    page = _page(client)
    assert text(page, "//h1") == "PMT outcomes: did the fed children do better?"
    assert "Why compare with children who were not fed?" in text(
        page, "//section[@id='why-compare']"
    )
    assert "+96 points (+72 to +99)" in _row(page, "outcome-city", "Recovered")
    assert _row(page, "outcome-kitchen", "Dapur Kenanga").endswith(
        "Too few children to compare: fewer than 20 fed children have comparable children "
        "who were not fed."
    )
    register = client.get("/pmt/episodes").text
    assert "/pmt/outcomes" in [
        a.get("href") for a in nodes(register, "//nav[@class='list-kinds']/a")
    ]


def test_the_period_and_the_roles(client_for: Callable[[str], TestClient], town: Town) -> None:
    admin = client_for("dinkes")
    later = _page(admin, **{"from": "2024-09"})
    assert "Episode yang mulai 2024-09 sampai …: 0 episode selesai" in text(
        later, "//p[@id='outcome-summary']"
    )
    assert "Terlalu sedikit anak untuk dibandingkan" in text(later, "//p[@id='city-too-few']")
    assert texts(later, "//p[@class='empty']") == ["Belum ada episode PMT yang selesai."] * 4
    backwards = admin.get("/pmt/outcomes", params={"from": "2024-10", "to": "2024-08"})
    assert backwards.status_code == 400
    assert "periode mulai 2024-10 dan berakhir 2024-08" in backwards.text
    assert admin.get("/pmt/outcomes", params={"from": "2024-13"}).status_code == 422
    kader = _page(client_for("kader"))  # posyandu B: its three fed children only
    assert "Anak yang diberi PMT: 3;" in text(kader, "//p[@id='city-counts']")
    assert texts(kader, "//table[@id='outcome-kitchen']//th[@scope='row']") == ["Dapur Kenanga"]
    assert client_for("dapur").get("/pmt/outcomes").status_code == 403
    assert town.registry.kitchen_a > 0


def test_the_api_gives_every_grouping(client_for: Callable[[str], TestClient]) -> None:
    answer = client_for("mitra").get("/api/v1/pmt/outcomes")
    assert answer.status_code == 200, answer.text[:300]
    found = answer.json()
    assert (found["months"], found["candidate_children"]) == (["2024-08"], 18)
    [city] = found["groups"]["city"]
    assert (city["n_enrolled"], city["n_matched"], city["too_small"]) == (FED + 4, 28, False)
    recovered = city["compared"]["recovered"]
    assert recovered["lower"] < recovered["difference"] < recovered["upper"]
    assert list(city["exits"].items()) == [("recovered", 27), ("dropped_out", 1)]
    kitchens = {k["name"]: k for k in found["groups"]["kitchen"]}
    assert kitchens["Dapur Kenanga"]["reason"] == "few_matched"
    assert kitchens["Dapur Kenanga"]["compared"]["recovered"]["difference"] is None
    assert set(found["groups"]) == {"city", "kitchen", "kelurahan", "funding", "indication"}
    later = client_for("mitra").get("/api/v1/pmt/outcomes", params={"from": "2024-09"}).json()
    assert later["groups"]["city"][0]["n_enrolled"] == 0
    assert client_for("dapur").get("/api/v1/pmt/outcomes").status_code == 403


def test_the_download_is_read_back(client_for: Callable[[str], TestClient]) -> None:
    answer = client_for("dinkes").get("/pmt/outcomes/download", params={"from": "2024-08"})
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].endswith('filename="hasil-pmt-2024-08.xlsx"')
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == [
        "Seluruh wilayah",
        "Menurut dapur",
        "Menurut kelurahan",
        "Menurut sumber dana",
        "Menurut indikasi",
    ]
    header, *rows = book["Menurut dapur"].iter_rows(values_only=True)
    assert header[:5] == (
        "Dapur",
        "Anak yang diberi PMT",
        "Dengan penimbangan ulang",
        "Dibandingkan",
        "Anak serupa yang tidak diberi PMT",
    )
    sheet = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    mawar, kenanga = sheet["Dapur Mawar"], sheet["Dapur Kenanga"]
    assert mawar["Pulih (%): diberi PMT"] == pytest.approx(96.0)
    assert mawar["Pulih (%): selisih"] == pytest.approx(96.0)
    assert float(str(mawar["Pulih (%): interval 95 % dari"])) < 96
    assert mawar["Hasil yang dicatat"] == "Pulih 24, Berhenti di tengah jalan 1"
    assert kenanga["Pulih (%): selisih"] is None
    assert str(kenanga["Catatan"]).startswith("Terlalu sedikit anak untuk dibandingkan")
    assert kenanga["Anak yang diberi PMT"] == 3
