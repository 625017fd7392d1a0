"""A second measurement of one child on one date is stored only when the user confirms it:
the entry form and the correction form show the measurement already there and ask, the
preview warns while typing, and the API answers 409 unless ``confirm_duplicate``. Two
measurements of one child saved at the same moment are both stored and derived."""

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, func, select

from tests.web.conftest import City, SignedIn, nodes, strings, texts
from tests.web.races import before_on_postgresql
from tumbuh.db.models import Measurement, MeasurementDerived, table_of
from tumbuh.db.users import find_user
from tumbuh.growth.enums import Position
from tumbuh.growth.weight_gain import DEFAULT_KBM
from tumbuh.usecases.access import scope_for
from tumbuh.usecases.registry.children import find_child
from tumbuh.usecases.registry.measurements import record_measurement
from tumbuh.usecases.registry.records import MeasurementValues

DAY = "2024-02-05"
ASKED = (
    "Anak ini sudah punya pengukuran pada tanggal ini. Dua berat badan pada hari yang sama "
    "biasanya salah ketik: koreksi pengukuran yang sudah ada, atau centang kotak di bawah lalu "
    "simpan lagi bila anak memang diukur dua kali."
)


def registered(client: TestClient, token: str, posyandu: int, name: str) -> int:
    data = {"name": name, "sex": "male", "birth_date": "2023-04-02", "csrf_token": token}
    response = client.post(f"/posyandu/{posyandu}/children/new", data=data, follow_redirects=False)
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("/", 1)[1])


def api_add(client: TestClient, token: str, child_id: int, **more: object) -> tuple[int, object]:
    body = {"measured_on": DAY, "weight_kg": 9.1, "height_cm": 76.0, "position": "l", **more}
    response = client.post(
        f"/api/v1/children/{child_id}/measurements", json=body, headers={"X-CSRF-Token": token}
    )
    return response.status_code, response.json()


def measured(city: City, child_id: int) -> list[float]:
    m = table_of(Measurement)
    with city.engine.connect() as connection:
        query = select(m.c.weight_kg).where(m.c.child_id == child_id).order_by(m.c.id)
        return [float(w) for w in connection.execute(query).scalars()]


def test_the_api_refuses_a_second_weight_on_one_date_unless_confirmed(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    child_id = registered(client, token, city.kader_posyandu, "Joko Uji Dobel")
    status, first = api_add(client, token, child_id)
    assert status == 201
    status, body = api_add(client, token, child_id, weight_kg=9.8)
    assert status == 409
    assert isinstance(body, dict)
    assert body["errors"] == [
        "Tanggal: anak ini sudah punya pengukuran pada 05/02/2024; kirim confirm_duplicate: "
        "true untuk menyimpan pengukuran kedua, atau koreksi pengukuran itu"
    ]
    assert [(m["id"], m["weight_kg"], m["version"]) for m in body["existing"]] == [
        (first["id"], 9.1, 1)  # type: ignore[index]
    ]
    assert measured(city, child_id) == [9.1]
    status, _ = api_add(client, token, child_id, weight_kg=9.8, confirm_duplicate=True)
    assert status == 201
    assert measured(city, child_id) == [9.1, 9.8]


def test_the_entry_form_shows_the_measurement_of_that_day_and_asks(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    child_id = registered(client, token, city.kader_posyandu, "Joko Uji Sesi")
    status, first = api_add(client, token, child_id)
    assert status == 201
    url = f"/posyandu/{city.kader_posyandu}/bulan-timbang/2024-02/children/{child_id}"
    typed = {"measured_on": DAY, "weight_kg": "9,7", "height_cm": "76,5", "position": "l"}
    preview = client.post(url + "/preview", data={**typed, "csrf_token": token})
    assert texts(preview.text, "//ul[@class='warnings']/li") == [
        "Tanggal: anak ini sudah punya pengukuran pada 05/02/2024; simpan hanya bila memang "
        "diukur dua kali, bila tidak koreksi pengukuran itu"
    ]
    asked = client.post(url, data={**typed, "csrf_token": token}, follow_redirects=False)
    assert asked.status_code == 409
    assert texts(asked.text, "//div[@id='same-day']/p") == [ASKED]
    assert texts(asked.text, "//div[@id='same-day']//li") == [
        "05/02/2024: 9,10 kg, 76,0 cm · Koreksi"
    ]
    assert strings(asked.text, "//div[@id='same-day']//li/a/@href") == [
        f"/children/{child_id}/measurements/{first['id']}"  # type: ignore[index]
    ]
    assert strings(asked.text, "//input[@id='weight_kg']/@value") == ["9,7"]
    assert nodes(asked.text, "//input[@id='confirm_duplicate'][@type='checkbox']")
    assert measured(city, child_id) == [9.1]
    confirmed = {**typed, "confirm_duplicate": "1", "csrf_token": token}
    saved = client.post(url, data=confirmed, follow_redirects=False)
    assert saved.status_code == 303
    assert measured(city, child_id) == [9.1, 9.7]


def test_moving_a_measurement_to_a_day_already_measured_asks_too(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    child_id = registered(client, token, city.kader_posyandu, "Joko Uji Pindah")
    assert api_add(client, token, child_id)[0] == 201
    status, other = api_add(client, token, child_id, measured_on="2024-03-04", weight_kg=9.5)
    assert status == 201
    url = f"/children/{child_id}/measurements/{other['id']}"  # type: ignore[index]
    moved = {
        "measured_on": DAY,
        "weight_kg": "9,5",
        "height_cm": "76,0",
        "position": "l",
        "version": "1",
        "csrf_token": token,
    }
    asked = client.post(url, data=moved, follow_redirects=False)
    assert asked.status_code == 409
    assert texts(asked.text, "//div[@id='same-day']/p") == [ASKED]
    saved = client.post(url, data={**moved, "confirm_duplicate": "1"}, follow_redirects=False)
    assert saved.status_code == 303
    m = table_of(Measurement)
    with city.engine.connect() as connection:
        days = connection.execute(
            select(func.count()).where(
                m.c.child_id == child_id, m.c.measured_on == date.fromisoformat(DAY)
            )
        ).scalar_one()
    assert days == 2


@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite runs one write at a time
def test_two_measurements_of_one_child_at_once_are_both_stored_and_derived(
    city: City, signed_in: SignedIn, backend: str
) -> None:
    client, token = signed_in("kader")
    child_id = registered(client, token, city.kader_posyandu, "Joko Uji Serentak")
    assert api_add(client, token, child_id)[0] == 201

    def other_kader(connection: Connection) -> None:
        connection.begin()
        user = find_user(connection, "kader")
        assert user is not None
        scope = scope_for(connection, user)
        child = find_child(connection, scope, child_id)
        values = MeasurementValues(date(2024, 3, 4), 9.4, 77.0, Position.LENGTH, None)
        record_measurement(connection, scope, user, child, values, DEFAULT_KBM)  # uncommitted

    response = before_on_postgresql(
        city.engine,
        other_kader,
        lambda: client.post(
            f"/api/v1/children/{child_id}/measurements",
            json={"measured_on": "2024-04-08", "weight_kg": 9.9, "height_cm": 78.0,
                  "position": "l"},
            headers={"X-CSRF-Token": token},
        ),
    )  # fmt: skip
    assert response.status_code == 201, response.text
    m, d = table_of(Measurement), table_of(MeasurementDerived)
    with city.engine.connect() as connection:
        rows = connection.execute(
            select(m.c.measured_on, d.c.weight_trend)
            .join(d, d.c.measurement_id == m.c.id)
            .where(m.c.child_id == child_id)
            .order_by(m.c.measured_on)
        ).all()
    assert [str(row.measured_on) for row in rows] == ["2024-02-05", "2024-03-04", "2024-04-08"]
    assert rows[2].weight_trend is not None  # judged against March, which it now sees
