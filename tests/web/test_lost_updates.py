"""Two users editing one child or one measurement: the second save, made from the version
the form was opened on, is refused with what the first one changed, and the stored record
stays the first one's; on the edit form, the API's PATCH, and the measurement forms, and
also when the first write lands between the second's check and its write."""

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import City, SignedIn, nodes, strings, text, texts
from tests.web.races import write_meanwhile
from tumbuh.db.models import Child, Measurement, table_of

STALE_CHILD = (
    "Orang lain menyimpan data anak ini setelah Anda membuka formulir, sehingga perubahan Anda "
    "tidak disimpan. Formulir kini berisi data yang tersimpan; bila isian Anda di bawah masih "
    "benar, ketik lagi lalu simpan."
)
STALE_MEASUREMENT = (
    "Orang lain mengubah pengukuran ini setelah Anda membuka formulir, sehingga koreksi Anda "
    "tidak disimpan. Formulir kini berisi data yang tersimpan; bila isian Anda di bawah masih "
    "benar, ketik lagi lalu simpan."
)
HEADS = ["Isian", "Tersimpan sekarang", "Isian Anda"]


def register(client: TestClient, token: str, posyandu: int, name: str) -> int:
    data = {"name": name, "sex": "female", "birth_date": "2023-04-02", "csrf_token": token}
    response = client.post(f"/posyandu/{posyandu}/children/new", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:300]
    return int(response.headers["location"].rsplit("/", 1)[1])


def form_fields(page: str, form_id: str) -> dict[str, str]:
    """The fields of the form ``form_id`` as the page filled them (a browser's state)."""
    form = f"//form[@id='{form_id}']"
    fields = {str(i.get("name")): str(i.get("value") or "") for i in nodes(page, form + "//input")}
    for select_ in nodes(page, form + "//select"):
        chosen = select_.xpath("option[@selected]/@value")
        fields[str(select_.get("name"))] = str(chosen[0]) if chosen else ""
    return fields


def opened_form(client: TestClient, url: str) -> dict[str, str]:
    """The edit or correction form at ``url`` as it opens."""
    page = client.get(url).text
    return form_fields(page, "child-edit" if url.endswith("/edit") else "measurement")


def conflict_rows(page: str) -> list[list[str]]:
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]
        for row in nodes(page, "//table[@id='conflict']/tbody/tr")
    ]


def stored_child(city: City, child_id: int) -> tuple[str, float | None, int]:
    c = table_of(Child)
    with city.engine.connect() as connection:
        row = connection.execute(
            select(c.c.name, c.c.birth_weight_kg, c.c.version).where(c.c.id == child_id)
        ).one()
    return row.name, row.birth_weight_kg, row.version


def test_the_second_save_of_the_edit_form_shows_the_first_ones_change(
    city: City, signed_in: SignedIn
) -> None:
    kader, kader_token = signed_in("kader")
    admin, admin_token = signed_in("admin")
    child_id = register(kader, kader_token, city.kader_posyandu, "Putri Uji Bersamaan")
    url = f"/children/{child_id}/edit"
    first, second = opened_form(kader, url), opened_form(admin, url)
    assert first["version"] == second["version"] == "1"
    first.update(name="Putri Uji Kader", csrf_token=kader_token)
    assert kader.post(url, data=first, follow_redirects=False).status_code == 303
    second.update(birth_weight_kg="3,3", csrf_token=admin_token)  # the old name still in it
    refused = admin.post(url, data=second, follow_redirects=False)
    assert refused.status_code == 409
    assert text(refused.text, "//p[@id='stale']") == STALE_CHILD
    assert texts(refused.text, "//table[@id='conflict']/thead//th") == HEADS
    assert conflict_rows(refused.text) == [
        ["Nama", "Putri Uji Kader", "Putri Uji Bersamaan"],
        ["Berat lahir (kg)", "–", "3,3"],
    ]
    assert stored_child(city, child_id) == ("Putri Uji Kader", None, 2)
    # The form now holds what is stored, at the new version: saved again, it goes through.
    again = form_fields(refused.text, "child-edit")
    assert (again["name"], again["birth_weight_kg"], again["version"]) == (
        "Putri Uji Kader",
        "",
        "2",
    )
    again.update(birth_weight_kg="3,3", csrf_token=admin_token)
    assert admin.post(url, data=again, follow_redirects=False).status_code == 303
    assert stored_child(city, child_id) == ("Putri Uji Kader", 3.3, 3)


def test_an_edit_form_without_a_version_never_overwrites(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    child_id = register(client, token, city.kader_posyandu, "Putri Uji Tanpa Versi")
    form = opened_form(client, f"/children/{child_id}/edit")
    del form["version"]  # a page from before versions, or a hand-made request
    form.update(name="Putri Uji Ditimpa", csrf_token=token)
    response = client.post(f"/children/{child_id}/edit", data=form, follow_redirects=False)
    assert response.status_code == 409
    assert conflict_rows(response.text) == [["Nama", "Putri Uji Tanpa Versi", "Putri Uji Ditimpa"]]
    assert stored_child(city, child_id)[0] == "Putri Uji Tanpa Versi"


def test_the_second_patch_of_the_api_gets_409_with_the_fields(
    city: City, signed_in: SignedIn
) -> None:
    kader, kader_token = signed_in("kader")
    admin, admin_token = signed_in("admin")
    child_id = register(kader, kader_token, city.kader_posyandu, "Dewi Uji Api")
    url = f"/api/v1/children/{child_id}"
    version = admin.get(url).json()["version"]
    first = kader.patch(
        url,
        json={"name": "Dewi Uji Kader", "version": version},
        headers={"X-CSRF-Token": kader_token},
    )
    assert (first.status_code, first.json()["version"]) == (200, version + 1)
    second = admin.patch(
        url,
        json={"name": "Dewi Uji Admin", "birth_length_cm": 49.5, "version": version},
        headers={"X-CSRF-Token": admin_token},
    )
    assert second.status_code == 409
    assert second.json() == {
        "errors": [
            "Orang lain mengubah data anak ini setelah versi 1; sekarang versi 2. Baca lagi "
            "datanya, lalu kirim perubahan Anda dengan versi 2"
        ],
        "fields": [
            {"field": "name", "stored": "Dewi Uji Kader", "yours": "Dewi Uji Admin"},
            {"field": "birth_length_cm", "stored": None, "yours": "49.5"},
        ],
        "version": 2,
    }
    assert stored_child(city, child_id) == ("Dewi Uji Kader", None, 2)
    missing = admin.patch(url, json={"name": "Tanpa Versi"}, headers={"X-CSRF-Token": admin_token})
    assert missing.status_code == 422
    assert stored_child(city, child_id)[0] == "Dewi Uji Kader"


def test_a_save_that_meets_another_between_check_and_write_is_refused(
    city: City, signed_in: SignedIn, backend: str
) -> None:
    client, token = signed_in("kader")
    child_id = register(client, token, city.kader_posyandu, "Sari Uji Sela")
    form = opened_form(client, f"/children/{child_id}/edit")
    form.update(name="Sari Uji Saya", csrf_token=token)
    response = write_meanwhile(
        city.engine,
        backend,
        "UPDATE child SET name = :name, version = version + 1 WHERE id = :id",
        {"name": "Sari Uji Orang Lain", "id": child_id},
        lambda: client.post(f"/children/{child_id}/edit", data=form, follow_redirects=False),
    )
    assert response.status_code == 409
    assert conflict_rows(response.text) == [["Nama", "Sari Uji Orang Lain", "Sari Uji Saya"]]
    assert stored_child(city, child_id)[0] != "Sari Uji Saya"


def add_measurement(client: TestClient, token: str, child_id: int) -> int:
    response = client.post(
        f"/api/v1/children/{child_id}/measurements",
        json={"measured_on": "2024-02-05", "weight_kg": 9.1, "height_cm": 76.0, "position": "l"},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def stored_weight(city: City, measurement_id: int) -> float | None:
    m = table_of(Measurement)
    with city.engine.connect() as connection:
        found = connection.execute(
            select(m.c.weight_kg).where(m.c.id == measurement_id)
        ).scalar_one_or_none()
    return None if found is None else float(found)


def test_two_corrections_of_one_measurement_the_second_is_refused(
    city: City, signed_in: SignedIn
) -> None:
    kader, kader_token = signed_in("kader")
    admin, admin_token = signed_in("admin")
    child_id = register(kader, kader_token, city.kader_posyandu, "Rina Uji Timbang")
    measurement_id = add_measurement(kader, kader_token, child_id)
    url = f"/children/{child_id}/measurements/{measurement_id}"
    first, second = opened_form(kader, url), opened_form(admin, url)
    assert first["version"] == second["version"] == "1"
    first.update(weight_kg="9,3", csrf_token=kader_token)
    assert kader.post(url, data=first, follow_redirects=False).status_code == 303
    second.update(weight_kg="9,2", csrf_token=admin_token)
    refused = admin.post(url, data=second, follow_redirects=False)
    assert refused.status_code == 409
    assert text(refused.text, "//p[@id='stale']") == STALE_MEASUREMENT
    assert conflict_rows(refused.text) == [["Berat badan (kg)", "9,3", "9,2"]]
    assert strings(refused.text, "//input[@id='weight_kg']/@value") == ["9.3"]
    assert strings(refused.text, "//form[@id='measurement']/input[@name='version']/@value") == ["2"]
    assert stored_weight(city, measurement_id) == 9.3


def test_deleting_a_measurement_someone_changed_meanwhile_is_refused(
    city: City, signed_in: SignedIn
) -> None:
    kader, kader_token = signed_in("kader")
    admin, admin_token = signed_in("admin")
    child_id = register(kader, kader_token, city.kader_posyandu, "Tari Uji Hapus")
    measurement_id = add_measurement(kader, kader_token, child_id)
    url = f"/children/{child_id}/measurements/{measurement_id}"
    first, second = opened_form(kader, url), opened_form(admin, url)
    first.update(weight_kg="9,4", csrf_token=kader_token)
    assert kader.post(url, data=first, follow_redirects=False).status_code == 303
    old = {"version": second["version"], "csrf_token": admin_token}
    refused = admin.post(url + "/delete", data=old, follow_redirects=False)
    assert refused.status_code == 409
    assert text(refused.text, "//p[@id='stale']") == (
        "Orang lain mengubah pengukuran ini setelah Anda membukanya, sehingga pengukuran tidak "
        "dihapus. Periksa nilai yang tersimpan sekarang, lalu hapus lagi bila memang masih salah."
    )
    assert strings(refused.text, "//input[@id='weight_kg']/@value") == ["9.4"]
    assert stored_weight(city, measurement_id) == 9.4
    current = {"version": "2", "csrf_token": admin_token}
    assert admin.post(url + "/delete", data=current, follow_redirects=False).status_code == 303
    assert stored_weight(city, measurement_id) is None
