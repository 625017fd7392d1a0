"""Bapak Asuh in the JSON API (docs/asuh.md): a sponsor, a payment and a disbursement
written, one over the balance refused with the message per field, the lists and the
summary, the proposals as initials for the TPPS analyst, and the public figures."""

from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.asuh.conftest import COMPANY_NAME, OFFICIAL_NAME, AsuhCity
from tests.web.conftest import SignedIn


def test_money_is_written_and_an_overdraft_refused(signed_in: SignedIn) -> None:
    client, token = signed_in("analis")
    headers = {"X-CSRF-Token": token}
    made = client.post(
        "/api/v1/asuh/sponsors",
        json={"kind": "kemenag", "name": "Kemenag Uji API"},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    sponsor = made.json()["id"]
    pledge = {"monthly_amount_rupiah": 500_000, "months": 6, "start_month": "2026-01"}
    assert (
        client.post(
            f"/api/v1/asuh/sponsors/{sponsor}/pledges", json=pledge, headers=headers
        ).status_code
        == 201
    )
    today = date.today().isoformat()
    paid = {
        "sponsor_id": sponsor,
        "received_on": today,
        "amount_rupiah": 2_000_000,
        "reference": "API-1",
    }
    assert client.post("/api/v1/asuh/payments", json=paid, headers=headers).status_code == 201
    again = client.post("/api/v1/asuh/payments", json=paid, headers=headers)
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "reference"
    out = {
        "paid_on": today,
        "kelurahan_code": "36.72.02.1001",
        "amount_rupiah": 2_000_001,
        "proposal_reference": "API-PROP",
        "recipient_kind": "family",
        "sponsor_id": sponsor,
    }
    refused = client.post("/api/v1/asuh/disbursements", json=out, headers=headers)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["field"] == "amount_rupiah"
    assert "penyaluran Rp 2.000.001" in error["message"]
    assert "melebihi saldo Rp 2.000.000" in error["message"]
    done = client.post(
        "/api/v1/asuh/disbursements", json={**out, "amount_rupiah": 2_000_000}, headers=headers
    )
    assert done.status_code == 201, done.text
    listed = client.get("/api/v1/asuh/disbursements").json()
    mine = next(d for d in listed if d["id"] == done.json()["id"])
    assert mine["sponsors"] == [{"sponsor_name": "Kemenag Uji API", "amount_rupiah": 2_000_000}]
    lines = {x["label"]: x for x in client.get("/api/v1/asuh/summary?by=sponsor").json()}
    assert (
        lines["Kemenag Uji API"]["pledged_rupiah"],
        lines["Kemenag Uji API"]["disbursed_rupiah"],
    ) == (
        3_000_000,
        2_000_000,
    )
    assert client.post(
        "/api/v1/asuh/sponsors", json={"kind": "x", "name": ""}, headers=headers
    ).json() == {
        "errors": [
            {
                "field": "kind",
                "message": "Jenis: 'x' bukan salah satu pilihan; yang diterima: official, "
                "polres, kodim, kemenag, baznas, company, institution, person",
            },
            {"field": "name", "message": "Nama: wajib diisi"},
        ]
    }


def test_lists_for_the_tpps_name_children_by_initials(
    signed_in: SignedIn, asuh_city: AsuhCity
) -> None:
    client, _ = signed_in("analis")
    sponsors = {s["name"]: s for s in client.get("/api/v1/asuh/sponsors").json()}
    assert sponsors[OFFICIAL_NAME]["received_rupiah"] == 3_000_000
    assert sponsors[COMPANY_NAME]["listed_publicly"] is False
    asuhan = client.get(f"/api/v1/asuh/asuhan?sponsor={asuh_city.official}").json()
    assert set(asuh_city.official_children) <= {a["child_id"] for a in asuhan}
    assert all(part.endswith(".") for a in asuhan for part in a["who"].split())
    proposals = client.get("/api/v1/asuh/proposals?limit=5").json()
    assert [p["rank"] for p in proposals] == list(range(1, len(proposals) + 1))
    assert all(part.endswith(".") for p in proposals for part in p["child"].split())


def test_confirming_and_delivering_through_the_api(
    signed_in: SignedIn, asuh_city: AsuhCity
) -> None:
    client, token = signed_in("admin")
    headers = {"X-CSRF-Token": token}
    [first] = client.get("/api/v1/asuh/proposals?limit=1").json()
    sent = {
        "sponsor_id": asuh_city.official,
        "kind": "pendamping",
        "start_on": date.today().isoformat(),
        "child_ids": [first["child_id"]],
    }
    made = client.post("/api/v1/asuh/asuhan", json=sent, headers=headers)
    assert made.status_code == 201, made.text
    [asuhan_id] = made.json()["ids"]
    twice = client.post("/api/v1/asuh/asuhan", json=sent, headers=headers)
    assert twice.status_code == 422
    assert "sudah punya asuhan jenis ini" in twice.json()["errors"][0]["message"]
    delivered = {
        "asuhan_id": asuhan_id,
        "delivered_on": date.today().isoformat(),
        "what": "Konseling gizi",
        "delivered_by": "Bidan Uji",
    }
    assert (
        client.post("/api/v1/asuh/deliveries", json=delivered, headers=headers).status_code == 201
    )
    unknown = client.post(
        "/api/v1/asuh/deliveries", json={**delivered, "asuhan_id": 999_999}, headers=headers
    )
    assert unknown.json()["errors"][0]["message"] == "Asuhan: tidak ada asuhan nomor 999999"


def test_the_public_figures_need_no_sign_in(app: FastAPI) -> None:
    figures = TestClient(app).get("/api/v1/public/asuh").json()
    assert OFFICIAL_NAME in figures["named"]
    assert COMPANY_NAME not in figures["named"]
    assert figures["received"] >= 13_000_000
    assert set(figures) >= {"sponsors", "pledged", "disbursed", "children", "months", "kelurahan"}
    assert all(
        k["children"] is None or k["children"] == 0 or k["children"] >= 5
        for k in figures["kelurahan"]
    )
