"""Import page: upload an e-PPGBM file, see every problem, download the report, cancel;
confirming shows the "not available yet" state until issue 4's writer exists."""

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.web.conftest import City, SignedIn, cells, csrf_of, nodes, strings, text

HEADER = (
    "NIK,Nama,JK,Tgl Lahir,Nama Ortu,Prov,Kab/Kota,Kec,Desa/Kel,Pukesmas,Posyandu,"
    "Tanggal Pengukuran,Berat,Tinggi,Cara Ukur"
)
ROWS = [
    "3672014101230001,Anak Satu,L,01/01/2023,Ibu Satu,Banten,Kota Cilegon,Cibeber,Cibeber,"
    "Cibeber,Mawar 1,15/08/2024,10945,80,Berdiri",
    "3672014101230002,Anak Dua,P,02/02/2023,Ibu Dua,Banten,Kota Cilegon,Cibeber,Cibeber,"
    "Cibeber,Mawar 1,15/08/2024,9.8,79.5,Berdiri",
]


def upload(client_token: tuple[TestClient, str]) -> tuple[TestClient, str, str]:
    client, token = client_token
    data = "\n".join([HEADER, *ROWS]).encode()
    response = client.post(
        "/import",
        data={"csrf_token": token},
        files={"file": ("posyandu-agustus.csv", io.BytesIO(data), "text/csv")},
    )
    assert response.status_code == 200
    return client, token, response.text


def test_upload_shows_every_problem_with_row_and_column(city: City, signed_in: SignedIn) -> None:
    _, _, html = upload(signed_in("admin"))
    summary = text(html, "//*[@id='summary']")
    assert summary.startswith(
        "posyandu-agustus.csv: 2 baris dibaca, 1 tanpa kesalahan, 1 kesalahan"
    )
    rows = nodes(html, "//table[@id='report']/tbody/tr[contains(@class, 'error')]")
    first = cells(rows[0])
    assert first[:3] == ["2", "Berat", "10945"]
    assert "gram" in first[4]


def test_report_downloads_as_a_workbook(city: City, signed_in: SignedIn) -> None:
    client, _, html = upload(signed_in("admin"))
    link = strings(html, "//a[contains(@href, 'report.xlsx')]/@href")[0]
    response = client.get(link)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.worksheets[0].max_row >= 2


def test_confirm_says_not_available_yet(city: City, signed_in: SignedIn) -> None:
    client, token, html = upload(signed_in("admin"))
    action = strings(html, "//form[contains(@action, '/confirm')]/@action")[0]
    response = client.post(action, data={"csrf_token": token})
    assert text(response.text, "//p[@class='unavailable']").startswith(
        "Belum tersedia: bagian Tumbuh ini masih dibangun."
    )
    assert text(response.text, "//code") == "tumbuh.db.imports.import_batch"


def test_cancel_forgets_the_upload(city: City, signed_in: SignedIn) -> None:
    client, token, html = upload(signed_in("admin"))
    action = strings(html, "//form[contains(@action, '/cancel')]/@action")[0]
    cancelled = client.post(action, data={"csrf_token": token}, follow_redirects=False)
    assert cancelled.status_code == 303
    token_part = action.split("/")[2]
    assert client.get(f"/import/{token_part}/report.xlsx").status_code == 404


@pytest.mark.parametrize("username", ["analis", "kader", "mitra"])
def test_import_is_for_admins_and_nutritionists(
    city: City, signed_in: SignedIn, username: str
) -> None:
    client, _ = signed_in(username)
    assert client.get("/import").status_code == 404


def test_another_session_cannot_read_an_upload(city: City, signed_in: SignedIn) -> None:
    _, _, html = upload(signed_in("admin"))
    link = strings(html, "//a[contains(@href, 'report.xlsx')]/@href")[0]
    other, _ = signed_in("gizi")
    assert other.get(link).status_code == 404
    assert csrf_of(html)
