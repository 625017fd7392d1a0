"""The child page says which clause of the Buku KIA rule made a weighing N or T."""

from fastapi.testclient import TestClient

from tests.web.conftest import City, SignedIn, texts
from tests.web.test_same_day import registered


def weighed(client: TestClient, token: str, child_id: int, day: str, kg: float) -> None:
    body = {"measured_on": day, "weight_kg": kg, "height_cm": 76.0, "position": "l"}
    response = client.post(
        f"/api/v1/children/{child_id}/measurements", json=body, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 201, response.text


def test_the_history_shows_why_a_weighing_is_n_or_t(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    child_id = registered(client, token, city.kader_posyandu, "Budi Uji Garis")
    # Born 2 Apr 2023: 10, 11 and 12 months; 9.1 kg twice is flat, then +0.3 kg keeps the
    # boy in the [-1, 0) SD channel of the KMS. The history is newest first.
    for day, kg in (("2024-02-05", 9.1), ("2024-03-04", 9.1), ("2024-04-08", 9.4)):
        weighed(client, token, child_id, day, kg)
    page = client.get(f"/children/{child_id}").text
    trend = texts(page, "//table[@id='history']//tr/td[10]")
    assert trend == ["N naik mengikuti garis pertumbuhan KMS", "T berat tetap, grafik datar", "B"]
    assert texts(page, "//li[strong[@id='trend-code']]") == [
        "N/T: N (naik mengikuti garis pertumbuhan KMS)"
    ]


def test_the_preview_says_why_too(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    child_id = registered(client, token, city.kader_posyandu, "Budi Uji Pratinjau")
    weighed(client, token, child_id, "2024-04-08", 9.4)
    url = f"/posyandu/{city.kader_posyandu}/bulan-timbang/2024-05/children/{child_id}/preview"
    data = {"measured_on": "2024-05-06", "weight_kg": "9,4", "position": "l", "csrf_token": token}
    fragment = client.post(url, data=data).text
    assert texts(fragment, "//table[@class='zscores']//tr[4]/td") == [
        "T (berat tetap, grafik datar)"
    ]
