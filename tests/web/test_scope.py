"""Every role is held to its area: guessed URLs and API ids outside it are 404, writes
outside it change nothing, and figure-only roles never see a name or a NIK."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.web.conftest import City, SignedIn, nodes, text
from tumbuh.db.models import Child, Measurement, table_of

FIGURE_ONLY = ("analis", "mitra")


def measurements_of(city: City, child_id: int) -> int:
    m = table_of(Measurement)
    with city.engine.connect() as connection:
        query = select(func.count()).select_from(m).where(m.c.child_id == child_id)
        return int(connection.execute(query).scalar_one())


def test_kader_opens_a_child_of_her_posyandu(city: City, signed_in: SignedIn) -> None:
    client, _ = signed_in("kader")
    page = client.get(f"/children/{city.own_child}")
    assert page.status_code == 200
    assert client.get(f"/api/v1/children/{city.own_child}").json()["id"] == city.own_child


@pytest.mark.parametrize("path", ["/children/{id}", "/api/v1/children/{id}"])
def test_kader_guessing_another_posyandus_child_gets_not_found(
    city: City, signed_in: SignedIn, path: str
) -> None:
    client, _ = signed_in("kader")
    response = client.get(path.format(id=city.other_child))
    assert response.status_code == 404


def test_not_found_page_does_not_tell_whether_the_child_exists(
    city: City, signed_in: SignedIn
) -> None:
    client, _ = signed_in("kader")
    outside = client.get(f"/children/{city.other_child}")
    absent = client.get("/children/2000000000")
    assert outside.status_code == absent.status_code == 404
    assert text(outside.text, "//h1") == "Tidak ditemukan"
    assert outside.text == absent.text


def test_kader_cannot_add_a_measurement_to_another_posyandus_child(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    before = measurements_of(city, city.other_child)
    api = client.post(
        f"/api/v1/children/{city.other_child}/measurements",
        json={"measured_on": date.today().isoformat(), "weight_kg": 10.5},
        headers={"X-CSRF-Token": token},
    )
    form = client.post(
        f"/posyandu/{city.kader_posyandu}/bulan-timbang/{date.today():%Y-%m}"
        f"/children/{city.other_child}",
        data={"measured_on": date.today().isoformat(), "weight_kg": "10,5", "csrf_token": token},
    )
    assert (api.status_code, form.status_code) == (404, 404)
    assert measurements_of(city, city.other_child) == before


def test_kader_cannot_correct_or_delete_another_posyandus_measurement(
    city: City, signed_in: SignedIn
) -> None:
    m = table_of(Measurement)
    with city.engine.connect() as connection:
        target = connection.execute(
            select(m.c.id).where(m.c.child_id == city.other_child).limit(1)
        ).scalar_one()
    client, token = signed_in("kader")
    base = f"/children/{city.other_child}/measurements/{target}"
    assert client.get(base).status_code == 404
    deleted = client.post(base + "/delete", data={"csrf_token": token})
    assert deleted.status_code == 404
    with city.engine.connect() as connection:
        still = connection.execute(select(m.c.id).where(m.c.id == target)).scalar_one_or_none()
    assert still == target


def test_nutritionist_sees_her_kecamatan_but_not_another(city: City, signed_in: SignedIn) -> None:
    client, _ = signed_in("gizi")
    assert client.get(f"/areas/{city.nutritionist_kecamatan}").status_code == 200
    assert client.get(f"/areas/{city.other_kecamatan}").status_code == 404
    assert client.get(f"/api/v1/areas/{city.other_kecamatan}").status_code == 404
    assert client.get(f"/children/{city.other_child}").status_code == 404


def test_nutritionist_dashboard_counts_only_her_area(city: City, signed_in: SignedIn) -> None:
    admin, _ = signed_in("admin")
    gizi, _ = signed_in("gizi")
    kecamatan = admin.get(f"/api/v1/areas/{city.nutritionist_kecamatan}").json()
    city_for_gizi = gizi.get("/api/v1/areas/36.72").json()
    assert city_for_gizi["latest"]["measured"] == kecamatan["latest"]["measured"]
    assert [row["area"]["code"] for row in city_for_gizi["areas"]] == [city.nutritionist_kecamatan]


@pytest.mark.parametrize("username", FIGURE_ONLY)
def test_figure_only_roles_reach_no_child(city: City, signed_in: SignedIn, username: str) -> None:
    client, _ = signed_in(username)
    assert client.get(f"/children/{city.own_child}").status_code == 404
    assert client.get(f"/api/v1/children/{city.own_child}").status_code == 404
    assert client.get(f"/posyandu/{city.kader_posyandu}/bulan-timbang/2024-08").status_code == 404


@pytest.mark.parametrize("username", FIGURE_ONLY)
def test_figure_only_roles_see_no_names_or_nik_on_a_posyandu_page(
    city: City, signed_in: SignedIn, username: str
) -> None:
    c = table_of(Child)
    with city.engine.connect() as connection:
        name, nik = connection.execute(
            select(c.c.name, c.c.nik).where(c.c.id == city.own_child)
        ).one()
    client, _ = signed_in(username)
    page = client.get(f"/posyandu/{city.kader_posyandu}")
    assert page.status_code == 200
    assert name not in page.text
    assert nik is None or nik not in page.text
    assert nodes(page.text, "//*[@id='children']") == []


def test_admin_sees_the_full_nik(city: City, signed_in: SignedIn) -> None:
    c = table_of(Child)
    with city.engine.connect() as connection:
        nik = connection.execute(
            select(c.c.nik)
            .where(c.c.posyandu_id == city.kader_posyandu, c.c.nik.is_not(None))
            .limit(1)
        ).scalar_one()
        child_id = connection.execute(select(c.c.id).where(c.c.nik == nik)).scalar_one()
    client, _ = signed_in("admin")
    assert text(client.get(f"/children/{child_id}").text, "//*[@id='nik']") == nik
    assert client.get(f"/api/v1/children/{child_id}").json()["nik"] == nik


def test_audit_log_is_for_admins_only(signed_in: SignedIn) -> None:
    for username in ("analis", "gizi", "kader", "mitra"):
        client, _ = signed_in(username)
        assert client.get("/audit-log").status_code == 404
    admin, _ = signed_in("admin")
    assert admin.get("/audit-log").status_code == 200
