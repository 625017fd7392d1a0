"""PMT for pregnant women with KEK in the JSON API (docs/pmt.md, "API and commands"):
the area's women with KEK, enrolment refused with the field and its Indonesian message or
made, one episode, closing with the LiLA at the end judged by the 23.5 cm rule, and the
scope (404 outside the area, 403 for roles without the work), on both databases.

The episodes are written on this module's own city (the fixtures of
tests/web/test_pmt_pages.py), so no other test sees them."""

from datetime import date

from tests.web.test_pmt_pages import (  # noqa: F401 - the fixtures of that module
    ClientFor,
    PmtCity,
    _pmt_cities,
    client_for,
    town,
)

TODAY = date.today().isoformat()  # the list is of pregnancies open today


def _free_pregnancy(client: object) -> dict[str, object]:
    answer = client.get("/api/v1/pmt/eligible/bumil")  # type: ignore[attr-defined]
    assert answer.status_code == 200
    found = answer.json()
    free = [p for p in found["pregnancies"] if p["episode_id"] is None]
    assert free, "the test city has a pregnant woman with KEK not fed yet"
    assert all(p["muac_cm"] < 23.5 for p in found["pregnancies"])
    return dict(free[0])


def test_the_api_lists_enrols_shows_and_closes(
    client_for: ClientFor,  # noqa: F811
    town: PmtCity,  # noqa: F811
) -> None:
    gizi, token = client_for("gizi")
    headers = {"X-CSRF-Token": token}
    woman = _free_pregnancy(gizi)
    body = {
        "pregnancy_ids": [woman["pregnancy_id"]],
        "kitchen_id": town.kitchen,
        "started_on": "17-08-2024",
        "funding": "apbd",
    }
    bad = gizi.post("/api/v1/pmt/bumil/episodes", json=body, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["fields"] == [
        {
            "field": "started_on",
            "message": "Tanggal mulai: '17-08-2024' bukan tanggal; tulis sebagai YYYY-MM-DD, "
            "misalnya 2024-08-17",
        }
    ]
    far = gizi.post(
        "/api/v1/pmt/bumil/episodes",
        json={**body, "started_on": TODAY, "kitchen_id": town.far_kitchen},
        headers=headers,
    )
    assert far.status_code == 422
    [refusal] = far.json()["fields"]
    assert refusal["field"] == "kitchen_id"
    assert refusal["message"].startswith(f"Dapur: '{town.far_kitchen}' tidak dapat Anda pilih")
    made = gizi.post(
        "/api/v1/pmt/bumil/episodes", json={**body, "started_on": TODAY}, headers=headers
    )
    assert made.status_code == 201, made.text[:400]
    [episode] = made.json()["episodes"]
    assert (episode["pregnancy_id"], episode["indication"]) == (
        woman["pregnancy_id"],
        "pregnant_kek",
    )
    assert episode["start_muac_cm"] == woman["muac_cm"]
    url = f"/api/v1/pmt/bumil/episodes/{episode['id']}"
    shown = gizi.get(url).json()
    assert shown["planned_days"] == 120
    listed = _listed(gizi, woman["pregnancy_id"])
    assert listed == episode["id"]
    early = gizi.post(url + "/close", json={"closing": "completed"}, headers=headers)
    assert early.status_code == 422
    assert [f["field"] for f in early.json()["fields"]] == ["end_muac_cm"]
    closed = gizi.post(
        url + "/close", json={"closing": "completed", "end_muac_cm": "23,5"}, headers=headers
    )
    assert closed.status_code == 200, closed.text[:400]
    assert (closed.json()["exit"], closed.json()["end_muac_cm"]) == ("recovered", 23.5)
    again = gizi.post(url + "/close", json={"closing": "moved"}, headers=headers)
    assert again.status_code == 422


def _listed(client: object, pregnancy_id: object) -> object:
    found = client.get("/api/v1/pmt/eligible/bumil").json()  # type: ignore[attr-defined]
    return next(p["episode_id"] for p in found["pregnancies"] if p["pregnancy_id"] == pregnancy_id)


def test_the_scope_holds(client_for: ClientFor, town: PmtCity) -> None:  # noqa: F811
    gizi, token = client_for("gizi")
    woman = _free_pregnancy(gizi)
    analyst, _ = client_for("analis")
    assert analyst.get("/api/v1/pmt/eligible/bumil").status_code == 403
    kader, kader_token = client_for("kader")
    assert kader.get("/api/v1/pmt/eligible/bumil").status_code == 403
    refused = kader.post(
        "/api/v1/pmt/bumil/episodes",
        json={
            "pregnancy_ids": [woman["pregnancy_id"]],
            "kitchen_id": town.kitchen,
            "started_on": "2024-08-20",
            "funding": "apbd",
        },
        headers={"X-CSRF-Token": kader_token},
    )
    assert refused.status_code in (403, 404)
    assert gizi.get("/api/v1/pmt/bumil/episodes/999999").status_code == 404
    missing = gizi.post(
        "/api/v1/pmt/bumil/episodes/999999/close",
        json={"closing": "moved"},
        headers={"X-CSRF-Token": token},
    )
    assert missing.status_code == 404
