"""Control characters typed into a form or the API (NUL above all, which PostgreSQL
cannot store): refused with a message where text is stored, harmless where it is only
looked up; never a server error, on either backend."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import City, SignedIn, csrf_of, texts
from tumbuh.web.text_input import has_control_characters, without_control_characters


def test_control_characters_are_found_and_replaced() -> None:
    assert has_control_characters("Ri\x00na")
    assert has_control_characters("a\tb")
    assert not has_control_characters("Siti Nur'aini-Putri")
    assert without_control_characters("Ri\x00na\n", " ") == "Ri na "
    assert without_control_characters("Rina", " ") == "Rina"


def test_a_name_with_a_nul_is_refused_on_the_new_child_form(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    response = client.post(
        f"/posyandu/{city.kader_posyandu}/children/new",
        data={"name": "Ri\x00na", "sex": "female", "birth_date": "2024-01-01", "csrf_token": token},
    )
    assert response.status_code == 422
    assert texts(response.text, "//ul[@class='errors']/li") == [
        "Nama: hapus tab, baris baru atau karakter kontrol lainnya"
    ]


def test_a_name_with_a_nul_is_refused_by_the_api(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    url = f"/api/v1/children/{city.own_child}"
    version = client.get(url).json()["version"]
    response = client.patch(
        url, json={"name": "Ri\u0000na", "version": version}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        "Nama: hapus tab, baris baru atau karakter kontrol lainnya"
    ]


def test_a_search_with_a_nul_searches_the_rest(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    page = client.post("/children", data={"q": "%%\x00%", "csrf_token": token})
    assert page.status_code == 200
    api = client.post(
        "/api/v1/children/search", json={"q": "00\u0000"}, headers={"X-CSRF-Token": token}
    )
    assert api.status_code == 422  # digits only, not a whole NIK


def test_a_username_with_a_nul_is_a_wrong_sign_in(app: FastAPI) -> None:
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": "ad\x00min", "password": "x", "csrf_token": token, "next": "/"},
    )
    assert response.status_code == 401
