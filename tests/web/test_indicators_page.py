"""The intervention indicators page (``/indicators``), its form for figures entered by
hand, its .xlsx and its API on both databases (docs/indicators.md), on the register of
tests/usecases/indicator_registry.py: the counts of 2024 in Indonesian, the plain
met / not met word, the form with its error, and the roles."""

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine

from tests.usecases.indicator_registry import CITY, A, build
from tests.web.conftest import cells, csrf_of, nodes, settings_for, sign_in, text
from tumbuh.db.engine import create_engine
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.usecases.access import Role
from tumbuh.web.app import create_app

PASSWORD = "kata-sandi-uji-1"


@pytest.fixture
def engine(backend: str, new_database_url: Callable[[str], str]) -> Iterator[Engine]:
    """The register with its users on a new database (the form writes to it)."""
    engine = create_engine(new_database_url(backend))
    upgrade_database(engine)
    with engine.connect() as connection:
        build(connection)
    with engine.begin() as connection:
        now = datetime.now(UTC)
        for user in (
            NewUser("dinkes", "Dinkes", Role.ADMIN, PASSWORD),
            NewUser("mitra", "Mitra", Role.PARTNER, PASSWORD),
            NewUser("kader", "Kader", Role.KADER, PASSWORD, posyandu_id=1),
        ):
            create_user(connection, user, now)
    yield engine
    engine.dispose()


@pytest.fixture
def client_for(engine: Engine) -> Callable[[str], TestClient]:
    url = engine.url.render_as_string(hide_password=False)
    app = create_app(settings_for(url), engine=engine)

    def make(username: str) -> TestClient:
        client = TestClient(app)
        sign_in(client, username, PASSWORD)
        return client

    return make


def _page(client: TestClient) -> str:
    answer = client.get("/indicators", params={"year": "2024"})
    assert answer.status_code == 200, answer.text[:500]
    return str(answer.text)


def _row(page: str, table: str, code: str) -> list[str]:
    [row] = nodes(page, f"//table[@id='{table}']//tr[@data-code='{code}']")
    return [" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]


def test_the_page_shows_each_indicator_with_its_target_in_indonesian(
    client_for: Callable[[str], TestClient],
) -> None:
    page = _page(client_for("dinkes"))
    assert text(page, "//h1").startswith("Indikator intervensi 2024: ")
    ttd = _row(page, "indicators", "bumil_ttd_90")
    assert ttd[0].startswith("Ibu hamil yang mengonsumsi minimal 90 TTD")
    assert ttd[1:] == ["2", "4", "1", "50,0", "80,0", "belum tercapai"]
    immunised = _row(page, "indicators", "imunisasi_dasar_lengkap")
    assert immunised[1:4] == ["1", "2", "0"]
    where = f"//table[@id='indicators-kelurahan']//tr[@data-kelurahan='{A}']"
    treated = text(page, f"{where}/td[@data-code='gizi_buruk_treated']")
    assert treated == "100,0 (1/1)"  # C4 treated
    assert text(page, f"{where}/td[@data-code='growth_monitored']") == "3,0 (1/33) ✗"
    [whole] = nodes(page, "//table[@id='krs']//tr[@data-kelurahan='']")
    assert cells(whole) == ["Kota Cilegon", "5", "2", "1", "50,0"]
    assert "Belum diisi; sumber:" in " ".join(_row(page, "indicators-entered", "pkh"))
    assert "/indicators" in [a.get("href") for a in nodes(page, "//nav[@class='menu']/a")]
    for english in ("Numerator", "Target met", "not met", "Entered by hand"):
        assert english not in page


def test_an_administrator_enters_a_figure_with_its_source(
    client_for: Callable[[str], TestClient],
) -> None:
    client = client_for("dinkes")
    token = csrf_of(_page(client))
    form = {
        "csrf_token": token, "indicator": "rematri_ttd", "area": CITY, "year": "2024",
        "numerator": "", "denominator": "", "percent": "61,5",
        "source": "Laporan tahunan puskesmas 2024",
    }  # fmt: skip
    answer = client.post("/indicators/values", data=form, follow_redirects=False)
    assert answer.status_code == 303
    row = _row(_page(client), "indicators-entered", "rematri_ttd")
    assert row[2:] == ["–", "–", "61,5", "58,0", "tercapai", "Laporan tahunan puskesmas 2024"]
    wrong = client.post("/indicators/values", data=form | {"numerator": "5", "denominator": ""})
    assert wrong.status_code == 422
    assert text(wrong.text, "//ul[@id='value-errors']") == (
        "Pembilang/penyebut: isi keduanya, atau kosongkan keduanya dan isi persen"
    )
    api = client.get("/api/v1/indicators", params={"year": "2024"}).json()
    [entered] = api["entered"]
    assert (entered["code"], entered["percent"], entered["source"]) == (
        "rematri_ttd", 61.5, "Laporan tahunan puskesmas 2024",
    )  # fmt: skip
    kek = next(i for i in api["computed"] if i["code"] == "kek_bumil_pmt")
    assert (kek["area"]["numerator"], kek["area"]["denominator"]) == (1, 2)
    sheet = client.get("/indicators/download", params={"year": "2024"})
    book = load_workbook(io.BytesIO(sheet.content))
    assert book.sheetnames == ["Indikator", "Diisi manual", "KRS"]


def test_a_partner_reads_without_the_form_and_a_kader_is_refused(
    client_for: Callable[[str], TestClient],
) -> None:
    partner = client_for("mitra")
    page = _page(partner)
    assert nodes(page, "//form[@id='value-form']") == []
    form = {"csrf_token": csrf_of(page), "indicator": "pkh", "area": CITY, "year": "2024",
            "numerator": "", "denominator": "", "percent": "5", "source": "x"}  # fmt: skip
    assert partner.post("/indicators/values", data=form).status_code == 403
    assert client_for("kader").get("/indicators").status_code == 403
