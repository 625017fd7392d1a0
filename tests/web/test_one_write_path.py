"""One write path for measurements: whatever the web form or the API writes, every
derived value of the child's measurements equals what ``tumbuh db recompute`` stores,
head circumference and oedema included (they are not on the forms, but stored values
must survive a correction of the other measurements: issue 12)."""

from fastapi.testclient import TestClient
from sqlalchemy import update

from tests.db.derived_rows import stored_and_recomputed
from tests.web.conftest import City, SignedIn
from tests.web.test_lost_updates import opened_form, register
from tumbuh.db.models import Measurement, table_of


def api_add(client: TestClient, token: str, child_id: int, day: str, weight: float) -> int:
    response = client.post(
        f"/api/v1/children/{child_id}/measurements",
        json={"measured_on": day, "weight_kg": weight, "height_cm": 76.0, "position": "l"},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def set_stored(city: City, measurement_id: int, head_cm: float, oedema: bool) -> None:
    """What the forms do not offer, written into the database directly."""
    m = table_of(Measurement)
    with city.engine.begin() as connection:
        connection.execute(
            update(m)
            .where(m.c.id == measurement_id)
            .values(head_circumference_cm=head_cm, oedema=oedema)
        )


def assert_as_recomputed(city: City, child_id: int, head_measurements: list[int]) -> None:
    stored, recomputed = stored_and_recomputed(city.engine, [child_id])
    for measurement_id in head_measurements:  # the bug of issue 12: NULL after a web edit
        assert stored[measurement_id]["hcz"] == recomputed[measurement_id]["hcz"] is not None
    assert stored == recomputed


def test_every_write_of_the_web_and_the_api_stores_what_a_recompute_stores(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    child_id = register(client, token, city.kader_posyandu, "Ayu Uji Lingkar Kepala")
    january = api_add(client, token, child_id, "2024-01-15", 9.0)
    february = api_add(client, token, child_id, "2024-02-15", 9.3)
    set_stored(city, january, 44.5, oedema=False)
    set_stored(city, february, 45.0, oedema=True)  # no weight-based z-scores, N/T changes

    url = f"/children/{child_id}/measurements/{january}"
    form = opened_form(client, url) | {"weight_kg": "9,1", "csrf_token": token}
    assert client.post(url, data=form, follow_redirects=False).status_code == 303
    assert_as_recomputed(city, child_id, [january, february])

    session = f"/posyandu/{city.kader_posyandu}/bulan-timbang/2024-03/children/{child_id}"
    typed = {"measured_on": "2024-03-15", "weight_kg": "9,6", "height_cm": "77", "position": "l"}
    added = client.post(session, data={**typed, "csrf_token": token}, follow_redirects=False)
    assert added.status_code == 303
    assert_as_recomputed(city, child_id, [january, february])

    april = api_add(client, token, child_id, "2024-04-15", 9.9)
    assert_as_recomputed(city, child_id, [january, february])

    api = f"/api/v1/children/{child_id}"
    version = client.get(api).json()["version"]
    moved = {"birth_date": "2023-04-20", "version": version}
    assert client.patch(api, json=moved, headers={"X-CSRF-Token": token}).status_code == 200
    assert_as_recomputed(city, child_id, [january, february])

    stored, _ = stored_and_recomputed(city.engine, [child_id])
    [march] = set(stored) - {january, february, april}
    url = f"/children/{child_id}/measurements/{march}"  # not the last id: SQLite reuses it
    delete = {"version": opened_form(client, url)["version"], "csrf_token": token}
    assert client.post(url + "/delete", data=delete, follow_redirects=False).status_code == 303
    stored, _ = stored_and_recomputed(city.engine, [child_id])
    assert sorted(stored) == [january, february, april]
    assert_as_recomputed(city, child_id, [january, february])
