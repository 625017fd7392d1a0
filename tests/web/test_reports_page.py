"""Reports page: the semester report is built in the background on request, shown as
"being prepared" until it is ready, then downloaded; only roles that see the whole city
get it, and it holds no name, NIK or birth date of any child."""

import io
import time

import lxml.html
import pypdfium2
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from tests.web.conftest import City, SignedIn, nodes, strings, text
from tumbuh.db.models import Child, table_of

WAIT_SECONDS = 180  # the small city takes a few seconds; the margin is for a loaded machine
MONTHS = {2: "Februari", 8: "Agustus"}


def prepared(client: TestClient, token: str, fmt: str) -> bytes:
    """Ask for the 2024-S2 report as HTMX does, poll until its link appears, download it."""
    first = client.post(
        f"/reports/semester/2024-S2/{fmt}", headers={"X-CSRF-Token": token, "HX-Request": "true"}
    )
    assert first.status_code == 200
    deadline = time.monotonic() + WAIT_SECONDS
    fragment = first.text
    while not nodes(fragment, f"//a[@id='download-{fmt}']"):
        assert nodes(fragment, "//*[@class='error']") == [], fragment
        assert time.monotonic() < deadline, "the report was not ready in time"
        time.sleep(0.5)
        fragment = client.get(f"/reports/semester/2024-S2/{fmt}/status").text
    link = strings(fragment, f"//a[@id='download-{fmt}']/@href")[0]
    response = client.get(link)
    assert response.status_code == 200
    return bytes(response.content)


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    return " ".join(" ".join(page.split()) for page in pages)


def percent(stunted: int, measured: int) -> str:
    return f"{100 * stunted / measured:.2f}".replace(".", ",") + "%"


def test_a_request_is_prepared_in_the_background_then_shown_and_downloaded(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("admin")
    page = client.get("/reports")
    assert text(page.text, "//select[@id='semester']/option[@selected]") == "Semester II 2024"
    first = client.post(
        "/reports/semester/2024-S2/pdf", headers={"X-CSRF-Token": token, "HX-Request": "true"}
    )
    building = nodes(first.text, "//*[@id='building-pdf']")
    if building:  # on a fast machine the report may already be ready
        assert text(first.text, "//*[@id='building-pdf']").startswith("Sedang disiapkan (")
        assert strings(first.text, "//div[@id='report-pdf']/@hx-trigger") == ["every 2s"]
    content = prepared(client, token, "pdf")
    assert content.startswith(b"%PDF")


def test_the_pdf_renders_and_opens_with_the_headline(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("analis")
    content = prepared(client, token, "pdf")
    document = pypdfium2.PdfDocument(content)
    assert len(document) >= 8
    bitmap = document[0].render(scale=1).to_pil().convert("L")
    darkest, lightest = bitmap.getextrema()
    assert (lightest, darkest < 100) == (255, True)  # white paper with dark text on it
    figures = client.get("/api/v1/areas/36.72").json()
    now, before = figures["latest"], figures["previous"]
    assert (now["month"], before["month"]) == ("2024-08-01", "2024-02-01")
    share_now = percent(now["stunted"], now["measured"])
    share_before = percent(before["stunted"], before["measured"])
    direction = "turun" if share_now < share_before else "naik"
    headline = (
        f"Pada Agustus 2024 tercatat {now['stunted']} balita ({share_now}) mengalami stunting, "
        f"{direction} dari {before['stunted']} balita ({share_before}) pada Februari 2024."
    )
    assert headline in pdf_text(content)


def test_the_report_holds_no_name_nik_or_birth_date(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("mitra")
    words = pdf_text(prepared(client, token, "pdf"))
    book = load_workbook(io.BytesIO(prepared(client, token, "xlsx")))
    cells = " ".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
        for value in row if value is not None
    )  # fmt: skip
    c = table_of(Child)
    with city.engine.connect() as connection:
        children = connection.execute(select(c.c.name, c.c.nik, c.c.birth_date)).all()
    assert len(children) > 1000
    for name, nik, born in children:
        assert name not in words
        assert name not in cells
        assert nik is None or nik not in f"{words} {cells}"
        assert born.strftime("%d/%m/%Y") not in words


@pytest.mark.parametrize("username", ["gizi", "kader"])
def test_roles_of_one_area_are_told_where_their_figures_are(
    city: City, signed_in: SignedIn, username: str
) -> None:
    client, token = signed_in(username)
    page = client.get("/reports")
    assert page.status_code == 200
    assert text(page.text, "//*[@id='city-only']").startswith(
        "Laporan semester mencakup seluruh kota, sehingga diunduh oleh admin, analis dan mitra."
    )
    assert nodes(page.text, "//form[contains(@action, '/reports/semester/')]") == []
    refused = client.post("/reports/semester/2024-S2/pdf", data={"csrf_token": token})
    assert refused.status_code == 404
    assert client.get("/reports/semester/2024-S2.pdf").status_code == 404


def test_a_report_not_ready_yet_leads_back_to_the_page(city: City, signed_in: SignedIn) -> None:
    client, _ = signed_in("admin")
    response = client.get("/reports/semester/2023-S1.xlsx", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/reports?semester=2023-S1"
    page = client.get("/reports?semester=2023-S1").text
    assert lxml.html.fromstring(page).xpath("//button[@id='prepare-xlsx']")
    assert client.get("/reports?semester=2031-S1").status_code == 404
