"""The Bapak Asuh pages of the TPPS and administrators (docs/asuh.md): who may open them,
the forms and their Indonesian errors, the refused disbursement, the proposals confirmed,
the statement downloaded and read back, and the public page without sign-in."""

import io
from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.web.asuh.conftest import COMPANY_NAME, OFFICIAL_NAME, AsuhCity
from tests.web.conftest import SignedIn, nodes, strings, text, texts
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_asuh import Disbursement

PAGES = (
    "/asuh",
    "/asuh/sponsors",
    "/asuh/payments",
    "/asuh/disbursements",
    "/asuh/proposals",
    "/asuh/asuhan",
    "/asuh/deliveries",
)


def _audits(asuh_city: AsuhCity, entity: str) -> int:
    a = table_of(AuditEntry)
    with asuh_city.city.engine.connect() as connection:
        query = select(func.count()).select_from(a).where(a.c.entity == entity)
        return int(connection.execute(query).scalar_one())


@pytest.mark.parametrize("username", ["admin", "analis"])
def test_the_tpps_and_administrators_open_every_page(signed_in: SignedIn, username: str) -> None:
    client, _ = signed_in(username)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    sponsors = client.get("/asuh/sponsors").text
    assert {OFFICIAL_NAME, COMPANY_NAME} <= set(texts(sponsors, "//table[@id='sponsors']//td[2]"))


@pytest.mark.parametrize("username", ["kader", "gizi", "mitra"])
def test_other_roles_find_no_bapak_asuh_page(signed_in: SignedIn, username: str) -> None:
    client, _ = signed_in(username)
    for url in (*PAGES, "/asuh/sponsors/1", "/asuh/statement?month=2024-01"):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/asuh/sponsors").status_code == 404
    home = client.get("/statistics", follow_redirects=True).text
    assert "/asuh" not in strings(home, "//nav[@class='menu']//a/@href")


def test_the_tpps_analyst_sees_initials_and_the_administrator_names(
    signed_in: SignedIn, asuh_city: AsuhCity
) -> None:
    analyst, _ = signed_in("analis")
    admin, _ = signed_in("admin")
    seen = texts(analyst.get("/asuh/asuhan").text, "//table[@id='asuhan']//td[3]")
    full = [
        asuh_city.child_names[c] for c in asuh_city.official_children + asuh_city.company_children
    ]
    assert not set(full) & set(seen)
    assert all(part.endswith(".") for name in seen for part in name.split())
    assert set(full) <= set(texts(admin.get("/asuh/asuhan").text, "//table[@id='asuhan']//td[3]"))
    proposals = analyst.get("/asuh/proposals").text
    assert "Anak dengan kasus stunting yang masih terbuka" in text(
        proposals, "//p[@id='proposal-rule']"
    )
    assert not nodes(proposals, "//table[@id='proposals']//a")  # no link to the case


def test_a_sponsor_is_added_with_errors_first(signed_in: SignedIn, asuh_city: AsuhCity) -> None:
    client, token = signed_in("admin")
    before = _audits(asuh_city, "asuh_sponsor")
    refused = client.post(
        "/asuh/sponsors", data={"csrf_token": token, "kind": "company", "name": " "}
    )
    assert refused.status_code == 422
    assert texts(refused.text, "//ul[@id='form-errors']/li") == ["Nama: wajib diisi"]
    data = {"csrf_token": token, "kind": "kodim", "name": "Kodim 0623 Uji", "listed_publicly": "1"}
    added = client.post("/asuh/sponsors", data=data, follow_redirects=False)
    assert added.status_code == 303
    page = client.get(added.headers["location"]).text
    assert text(page, "//h1[@id='sponsor-name']") == "Kodim 0623 Uji"
    pledge = {
        "csrf_token": token,
        "monthly_amount_rupiah": "1.500.000",
        "months": "70",
        "start_month": "2026-13",
    }
    wrong = client.post(added.headers["location"] + "/pledges", data=pledge)
    assert wrong.status_code == 422
    assert texts(wrong.text, "//ul[@id='form-errors']/li") == [
        "Lama (bulan): '70' tidak diterima; tulis bilangan bulat dari 1 sampai 60",
        "Bulan pertama: '2026-13' bukan bulan; tulis sebagai TTTT-BB, misalnya 2023-11",
    ]
    assert _audits(asuh_city, "asuh_sponsor") == before + 1


def test_a_disbursement_over_the_balance_is_refused_on_the_page(
    signed_in: SignedIn, asuh_city: AsuhCity
) -> None:
    client, token = signed_in("analis")
    with asuh_city.city.engine.connect() as connection:
        count = select(func.count()).select_from(table_of(Disbursement))
        before = connection.execute(count).scalar_one()
    data = {
        "csrf_token": token,
        "paid_on": date.today().isoformat(),
        "kelurahan_code": "36.72.01.1002",
        "amount_rupiah": "900.000.000",
        "proposal_reference": "PROP-TERLALU-BESAR",
        "recipient_kind": "family",
    }
    refused = client.post("/asuh/disbursements", data=data)
    assert refused.status_code == 422
    [message] = texts(refused.text, "//ul[@id='form-errors']/li")
    assert message.startswith(
        f"Jumlah (Rp): penyaluran Rp 900.000.000 pada {date.today():%d/%m/%Y} melebihi saldo Rp "
    )
    with asuh_city.city.engine.connect() as connection:
        assert connection.execute(count).scalar_one() == before


def _waiting(page: str) -> list[int]:
    rows = nodes(page, "//table[@id='proposals']//tr[@data-child]")
    return [int(row.get("data-child") or 0) for row in rows]


def test_proposals_are_confirmed_for_a_sponsor(signed_in: SignedIn, asuh_city: AsuhCity) -> None:
    client, token = signed_in("admin")
    page = client.get("/asuh/proposals").text
    waiting = _waiting(page)
    assert waiting, "the small city has children waiting"
    assert not set(waiting) & set(asuh_city.official_children + asuh_city.company_children)
    data = {
        "csrf_token": token,
        "sponsor_id": str(asuh_city.company),
        "kind": "pendamping",
        "start_on": date.today().isoformat(),
        "child_id": str(waiting[0]),
    }
    done = client.post("/asuh/proposals", data=data, follow_redirects=False)
    assert done.status_code == 303
    rows = nodes(client.get("/asuh/asuhan").text, "//table[@id='asuhan']//tr[@data-asuhan]")
    assert any(
        COMPANY_NAME in r.text_content() and "pendamping" in r.text_content().lower() for r in rows
    )
    assert waiting[0] not in _waiting(client.get("/asuh/proposals").text)
    nothing = client.post("/asuh/proposals", data={**data, "child_id": ""})
    assert texts(nothing.text, "//ul[@id='form-errors']/li") == ["Anak: pilih sedikitnya satu anak"]


def test_a_delivery_is_recorded(signed_in: SignedIn, asuh_city: AsuhCity) -> None:
    client, token = signed_in("admin")
    asuhan_id = asuh_city.official_asuhan[1]
    data = {
        "csrf_token": token,
        "asuhan_id": str(asuhan_id),
        "delivered_on": date.today().isoformat(),
        "what": "Ikan 1 kg dan sayur",
        "delivered_by": "Kader Mawar",
    }
    assert client.post("/asuh/deliveries", data=data, follow_redirects=False).status_code == 303
    assert "Ikan 1 kg dan sayur" in texts(
        client.get("/asuh/deliveries").text, "//table[@id='deliveries']//td[5]"
    )
    late = client.post("/asuh/deliveries", data={**data, "delivered_on": "2099-01-01"})
    assert texts(late.text, "//ul[@id='form-errors']/li") == [
        "Tanggal diantar: 2099-01-01 sesudah hari ini; tulis tanggal yang sudah lewat"
    ]


def test_the_statement_is_downloaded_and_reads_back(signed_in: SignedIn) -> None:
    client, _ = signed_in("analis")
    month = date.today().strftime("%Y-%m")
    response = client.get(f"/asuh/statement?month={month}")
    assert response.status_code == 200
    assert (
        response.headers["content-disposition"]
        == f'attachment; filename="baznas-bapak-asuh-{month}.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Per bapak asuh", "Per kelurahan", "Diterima", "Disalurkan"]
    rows = list(book["Per bapak asuh"].iter_rows(values_only=True))
    name, _institution, *amounts = rows[-1]
    opening, received, disbursed, closing = (int(str(x or 0)) for x in amounts)
    assert name == "Jumlah"
    assert closing == opening + received - disbursed
    assert client.get("/asuh/statement?month=2024-13").status_code == 404


def test_the_public_page_needs_no_sign_in_and_names_only_who_agreed(
    app: FastAPI, asuh_city: AsuhCity
) -> None:
    page = TestClient(app).get("/public/asuh")
    assert page.status_code == 200
    assert OFFICIAL_NAME in texts(page.text, "//ul[@id='named']/li")
    assert COMPANY_NAME not in page.text
    for name in asuh_city.child_names.values():
        assert name not in page.text
    children = text(page.text, "//span[@id='children']")
    assert children == "kurang dari 5" or int(children.replace(".", "")) >= 5
    cells = texts(page.text, "//table[@id='kelurahan']//td[3]")
    assert all(c in {"kurang dari 5", "0"} or int(c.replace(".", "")) >= 5 for c in cells)


def test_the_audit_log_names_bapak_asuh_records(signed_in: SignedIn) -> None:
    client, _ = signed_in("admin")
    page = client.get("/audit-log?entity=asuh_disbursement").text
    entities = texts(page, "//table[@id='audit']/tbody/tr/td[4]")
    assert entities
    assert all(e.startswith("penyaluran ") for e in entities)
    sponsors = client.get("/audit-log?entity=asuh_sponsor").text
    assert strings(sponsors, "//table[@id='audit']/tbody/tr/td[4]/a/@href")[0].startswith(
        "/asuh/sponsors/"
    )


def test_the_pages_speak_english_when_asked(signed_in: SignedIn) -> None:
    client, token = signed_in("analis")
    client.post("/language", data={"language": "en", "csrf_token": token, "next": "/asuh"})
    page = client.get("/asuh/sponsors").text
    assert text(page, "//h1") == "Sponsors"
    refused = client.post(
        "/asuh/sponsors", data={"csrf_token": token, "kind": "person", "name": ""}
    )
    assert texts(refused.text, "//ul[@id='form-errors']/li") == ["Name: fill it in"]
    client.post("/language", data={"language": "id", "csrf_token": token, "next": "/asuh"})
    assert text(client.get("/asuh/sponsors").text, "//h1") == "Bapak asuh"
