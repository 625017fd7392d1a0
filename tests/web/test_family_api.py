"""The TPK's families in the JSON API on the demo city (docs/families.md): the area's list
with its KRS assessment and filters, one family with its visits, a visit recorded,
changed and removed, the criteria updated, 422 in Indonesian, and 404 for a family of
another area."""

from fastapi.testclient import TestClient

from tests.web.conftest import SignedIn


def _api(signed_in: SignedIn, username: str) -> TestClient:
    client, token = signed_in(username)
    client.headers["X-CSRF-Token"] = token
    return client


def test_the_list_gives_the_krs_assessment_and_filters(signed_in: SignedIn) -> None:
    client = _api(signed_in, "tpk")
    listed = client.get("/api/v1/families", params={"at_risk": "true"})
    assert listed.status_code == 200
    body = listed.json()
    assert body["families"]
    assert {f["at_risk"] for f in body["families"]} == {True}
    first = body["families"][0]
    assert first["criteria"]  # which criteria hold, by name
    assert set(first["criteria"]) <= {
        "no_safe_drinking_water", "no_safe_latrine", "wife_under_20", "wife_35_or_older",
        "birth_spacing_under_2_years", "more_than_3_children",
    }  # fmt: skip
    assert first["nomor_kk"] is None  # a TPK sees no KK number
    refused = client.get("/api/v1/families", params={"kelurahan": "36.72.05.1001"})
    assert refused.status_code == 422
    assert refused.json()["field"] == "kelurahan"


def test_a_visit_through_the_api_is_recorded_changed_and_removed(signed_in: SignedIn) -> None:
    client = _api(signed_in, "tpk")
    family = client.get("/api/v1/families", params={"at_risk": "true"}).json()["families"][0]
    url = f"/api/v1/families/{family['id']}"
    refused = client.post(f"{url}/visits", json={"visited_on": "2024-03-01"})
    assert refused.status_code == 422
    assert refused.json() == {
        "field": "actions",
        "message": "Yang disarankan atau diberikan: centang paling sedikit satu hal yang "
        "disarankan atau diberikan, atau tulis catatan",
    }
    sent = {
        "visited_on": "2024-03-01",
        "tpk_member": "Bu Lina",
        "actions": ["nutrition_counselling", "posyandu_invitation"],
    }
    created = client.post(f"{url}/visits", json=sent)
    assert created.status_code == 201
    visit_id = created.json()["id"]
    page = client.get(url).json()
    mine = [v for v in page["visits_recorded"] if v["id"] == visit_id]
    assert mine == [
        {
            "id": visit_id,
            "visited_on": "2024-03-01",
            "member": "Bu Lina",
            "actions": ["nutrition_counselling", "posyandu_invitation"],
            "note": None,
            "editable": True,
        }
    ]
    changed = client.put(
        f"{url}/visits/{visit_id}", json={"visited_on": "2024-03-02", "note": "Tidak di rumah"}
    )
    assert changed.status_code == 204
    again = [v for v in client.get(url).json()["visits_recorded"] if v["id"] == visit_id]
    assert (again[0]["visited_on"], again[0]["actions"]) == ("2024-03-02", [])
    assert client.delete(f"{url}/visits/{visit_id}").status_code == 204
    gone = [v for v in client.get(url).json()["visits_recorded"] if v["id"] == visit_id]
    assert gone == []


def test_the_criteria_through_the_api(signed_in: SignedIn) -> None:
    client = _api(signed_in, "tpk")
    family = client.get("/api/v1/families").json()["families"][-1]
    url = f"/api/v1/families/{family['id']}"
    sent = {
        "has_safe_drinking_water": False,
        "has_safe_latrine": True,
        "wife_under_20": False,
        "wife_35_or_older": False,
        "birth_spacing_under_2_years": False,
        "more_than_3_children": False,
        "krs_assessed_on": "2024-07-01",
    }
    assert client.put(f"{url}/criteria", json=sent).status_code == 204
    page = client.get(url).json()
    assert (page["at_risk"], page["criteria"], page["krs_assessed_on"]) == (
        True,
        ["no_safe_drinking_water"],
        "2024-07-01",
    )
    bad = client.put(f"{url}/criteria", json={**sent, "krs_assessed_on": "01-07-2024"})
    assert bad.status_code == 422
    assert bad.json()["message"] == (
        "Tanggal penilaian: '01-07-2024' bukan tanggal; tulis sebagai TTTT-BB-HH, "
        "misalnya 2023-11-27"
    )


def test_a_family_of_another_area_is_not_found(signed_in: SignedIn) -> None:
    admin = _api(signed_in, "admin")
    other = admin.get("/api/v1/families", params={"kelurahan": "36.72.05.1001"}).json()
    family_id = other["families"][0]["id"]
    assert other["families"][0]["nomor_kk"] is not None  # an admin sees the KK number
    client = _api(signed_in, "tpk")
    assert client.get(f"/api/v1/families/{family_id}").status_code == 404
    sent = {"visited_on": "2024-03-01", "actions": ["referral"]}
    assert client.post(f"/api/v1/families/{family_id}/visits", json=sent).status_code == 404
    kader = _api(signed_in, "kader")
    assert kader.get("/api/v1/families").status_code in {403, 404}
