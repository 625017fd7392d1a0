"""Correcting a child's details (page and API): checked like the new-child form, audited,
z-scores recomputed when sex or birth date change, refused outside the user's area.

Each test registers its own children, so the demo city the web tests share keeps its
records."""

import json
from datetime import date

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from tests.web.conftest import City, SignedIn, nodes, texts
from tumbuh.db.models import Child, Mother, Posyandu, PuskesmasArea, table_of
from tumbuh.db.models_access import AppUser, AuditEntry
from tumbuh.growth.frame import zscores

BIRTH = "2023-01-10"
MEASURED = date(2024, 1, 15)


def register(client: TestClient, token: str, posyandu: int, **values: str) -> int:
    """A new child at ``posyandu`` through the new-child form; its id."""
    data = {"name": "Anak Uji Koreksi", "sex": "female", "birth_date": BIRTH, **values}
    response = client.post(
        f"/posyandu/{posyandu}/children/new",
        data={**data, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:300]
    return int(response.headers["location"].rsplit("/", 1)[1])


def measure(client: TestClient, token: str, child_id: int) -> None:
    """15 January 2024: 8.6 kg, 74.0 cm lying."""
    body = {"measured_on": MEASURED.isoformat(), "weight_kg": 8.6, "height_cm": 74.0}
    response = client.post(
        f"/api/v1/children/{child_id}/measurements",
        json={**body, "position": "l"},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 201, response.text


def form_of(child_id: int, **changes: str) -> dict[str, str]:
    """The edit form as the registered child's page fills it, with ``changes``."""
    return {
        "name": "Anak Uji Koreksi",
        "nik": "",
        "sex": "female",
        "birth_date": BIRTH,
        "birth_weight_kg": "",
        "birth_length_cm": "",
        **changes,
    }


def version_of(client: TestClient, child_id: int) -> str:
    """The version the edit form carries, as a browser would send it back."""
    page = client.get(f"/children/{child_id}/edit").text
    return str(nodes(page, "//input[@name='version']")[0].get("value"))


def edit(client: TestClient, token: str, child_id: int, form: dict[str, str]) -> str | int:
    """POST the edit form (opened just before, unless ``form`` names its version): the
    redirect target, or the status code when refused."""
    data = {"version": version_of(client, child_id), **form, "csrf_token": token}
    response = client.post(f"/children/{child_id}/edit", data=data, follow_redirects=False)
    if response.status_code == 303:
        return str(response.headers["location"])
    return int(response.status_code)


def expected_haz(sex: int, birth: date) -> float:
    """HAZ of the measurement of :func:`measure`, straight from tumbuh.growth."""
    frame = pd.DataFrame(
        {
            "sex": [sex],
            "age": [(MEASURED - birth).days],
            "weight": [8.6],
            "lenhei": [74.0],
            "measure": ["l"],
        }
    )
    return float(zscores(frame)["zlen"].iloc[0])


def child_audit(city: City, child_id: int) -> list[tuple[str, dict[str, object] | None]]:
    a = table_of(AuditEntry)
    with city.engine.connect() as connection:
        rows = connection.execute(
            select(a.c.action, a.c.after)
            .where(a.c.entity == "child", a.c.entity_id == child_id)
            .order_by(a.c.id)
        ).all()
    return [(r.action, json.loads(r.after) if r.after else None) for r in rows]


def test_the_edit_form_is_filled_with_the_childs_details(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    child_id = register(client, token, city.kader_posyandu, birth_weight_kg="3,15")
    page = client.get(f"/children/{child_id}")
    assert [a.get("href") for a in nodes(page.text, "//a[@id='edit-child']")] == [
        f"/children/{child_id}/edit"
    ]
    form = client.get(f"/children/{child_id}/edit")
    assert form.status_code == 200
    values = {i.get("name"): i.get("value") for i in nodes(form.text, "//form//input")}
    assert values["name"] == "Anak Uji Koreksi"
    assert values["birth_date"] == BIRTH
    assert values["birth_weight_kg"] == "3.15"
    selected = nodes(form.text, "//select[@id='sex']/option[@selected]")
    assert [o.get("value") for o in selected] == ["female"]
    posyandu = nodes(form.text, "//select[@id='posyandu_id']/option")
    assert [o.get("value") for o in posyandu] == [str(city.kader_posyandu)]  # a kader's one


def test_a_new_birth_date_recomputes_the_zscores_and_is_audited(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    child_id = register(client, token, city.kader_posyandu)
    measure(client, token, child_id)
    before = client.get(f"/api/v1/children/{child_id}").json()["measurements"][0]["zscores"]
    assert before["haz"] == pytest.approx(expected_haz(2, date(2023, 1, 10)), abs=0.0051)
    target = edit(client, token, child_id, form_of(child_id, birth_date="2023-03-10"))
    assert target == f"/children/{child_id}"
    after = client.get(f"/api/v1/children/{child_id}").json()
    assert after["birth_date"] == "2023-03-10"
    haz = after["measurements"][0]["zscores"]["haz"]
    assert haz == pytest.approx(expected_haz(2, date(2023, 3, 10)), abs=0.0051)
    assert haz > before["haz"] + 0.5  # two months younger for the same length
    audit = child_audit(city, child_id)
    assert [action for action, _ in audit] == ["create", "update"]
    changed = audit[1][1]
    assert changed is not None
    assert "birth_date" not in changed  # with area and sex it gives back the NIK
    assert changed["birth_date_changed"] is True
    assert changed["posyandu_id"] == city.kader_posyandu


def test_a_new_sex_recomputes_against_the_other_standard(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    child_id = register(client, token, city.kader_posyandu)
    measure(client, token, child_id)
    assert edit(client, token, child_id, form_of(child_id, sex="male")) == f"/children/{child_id}"
    haz = client.get(f"/api/v1/children/{child_id}").json()["measurements"][0]["zscores"]["haz"]
    assert haz == pytest.approx(expected_haz(1, date(2023, 1, 10)), abs=0.0051)


def test_saving_unchanged_details_writes_no_audit_row(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    child_id = register(client, token, city.kader_posyandu)
    form = form_of(child_id, posyandu_id=str(city.kader_posyandu))
    assert edit(client, token, child_id, form) == f"/children/{child_id}"
    assert [action for action, _ in child_audit(city, child_id)] == ["create"]


def test_refused_details_say_what_to_fix_and_change_nothing(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    first = register(client, token, city.kader_posyandu, nik="3672014101240301")
    child_id = register(client, token, city.kader_posyandu)
    measure(client, token, child_id)
    form = form_of(
        child_id,
        nik="3672014101240301",  # the first child's
        birth_date="2024-02-01",  # after the measurement of 15 January 2024
        birth_weight_kg="3..1",
        posyandu_id=str(city.kader_posyandu + 1),  # not hers
    )
    data = {**form, "version": version_of(client, child_id), "csrf_token": token}
    response = client.post(f"/children/{child_id}/edit", data=data)
    assert response.status_code == 422
    assert texts(response.text, "//ul[@class='errors']/li") == [
        "NIK: NIK ini sudah dipakai oleh Anak Uji Koreksi, anak di wilayah Anda; periksa "
        "nomornya, atau buka data anak tersebut",
        "Tanggal lahir: anak sudah diukur pada 15/01/2024, sebelum tanggal lahir ini; "
        "perbaiki dulu pengukuran itu",
        "Berat lahir (kg): '3..1' bukan angka; tulis seperti 12,5",
        "Posyandu: pilih salah satu posyandu dalam daftar",
    ]
    c = table_of(Child)
    with city.engine.connect() as connection:
        row = connection.execute(
            select(c.c.nik, c.c.birth_date, c.c.posyandu_id).where(c.c.id == child_id)
        ).one()
    assert row.nik is None
    assert str(row.birth_date) == BIRTH
    assert row.posyandu_id == city.kader_posyandu
    assert [a.get("href") for a in nodes(response.text, "//p[@id='same-nik']/a")] == [
        f"/children/{first}"
    ]


def test_the_childs_own_nik_is_not_taken(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    child_id = register(client, token, city.kader_posyandu, nik="3672014101240302")
    form = form_of(child_id, nik="3672014101240302", name="Anak Uji Dikoreksi")
    assert edit(client, token, child_id, form) == f"/children/{child_id}"
    audit = child_audit(city, child_id)
    assert audit[-1][1] is not None
    assert audit[-1][1]["nik"] == "3672************"
    assert audit[-1][1]["nik_changed"] is False
    assert audit[-1][1]["name"] == "Anak Uji Dikoreksi"


def _nutritionist_posyandu(city: City) -> list[int]:
    u, area, p = table_of(AppUser), table_of(PuskesmasArea), table_of(Posyandu)
    with city.engine.connect() as connection:
        puskesmas = connection.execute(
            select(u.c.puskesmas_id).where(u.c.username == "gizi")
        ).scalar_one()
        codes = select(area.c.kelurahan_code).where(area.c.puskesmas_id == puskesmas)
        return list(
            connection.execute(
                select(p.c.id).where(p.c.kelurahan_code.in_(codes)).order_by(p.c.id)
            ).scalars()
        )


def test_a_nutritionist_moves_a_child_between_posyandu_of_her_area(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("gizi")
    mine = _nutritionist_posyandu(city)
    assert len(mine) >= 2
    child_id = register(client, token, mine[0])
    form = client.get(f"/children/{child_id}/edit")
    offered = [int(o.get("value")) for o in nodes(form.text, "//select[@id='posyandu_id']/option")]
    assert sorted(offered) == mine
    moved = form_of(child_id, posyandu_id=str(mine[1]))
    assert edit(client, token, child_id, moved) == f"/children/{child_id}"
    assert client.get(f"/api/v1/children/{child_id}").json()["posyandu_id"] == mine[1]
    elsewhere = form_of(child_id, posyandu_id=str(city.kader_posyandu))
    if city.kader_posyandu not in mine:
        assert edit(client, token, child_id, elsewhere) == 422


def test_the_api_changes_only_the_fields_sent(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    child_id = register(client, token, city.kader_posyandu, nik="3672014101240303")
    url = f"/api/v1/children/{child_id}"
    headers = {"X-CSRF-Token": token}
    assert client.get(url).json()["version"] == 1
    renamed = client.patch(url, json={"name": "Nama Baru", "version": 1}, headers=headers)
    assert renamed.status_code == 200
    body = renamed.json()
    assert (body["name"], body["nik"], body["birth_date"], body["version"]) == (
        "Nama Baru",
        "3672014101240303",
        BIRTH,
        2,
    )
    cleared = client.patch(url, json={"nik": None, "version": 2}, headers=headers)
    assert cleared.json()["nik"] is None
    refused = client.patch(url, json={"birth_date": "2030-01-01", "version": 3}, headers=headers)
    assert refused.status_code == 422
    assert refused.json() == {
        "errors": ["Tanggal lahir: tanggal itu ada di masa depan"],
        "warnings": [],
    }
    assert client.patch(url, json={"name": "Tanpa Token", "version": 3}).status_code == 403
    assert client.get(url).json()["name"] == "Nama Baru"


@pytest.mark.parametrize("how", ["page", "form", "api"])
def test_a_kader_cannot_correct_another_posyandus_child(
    city: City, signed_in: SignedIn, how: str
) -> None:
    c = table_of(Child)
    with city.engine.connect() as connection:
        before = connection.execute(select(c).where(c.c.id == city.other_child)).one()
    client, token = signed_in("kader")
    url = f"/children/{city.other_child}/edit"
    if how == "page":
        status = client.get(url).status_code
    elif how == "form":
        form = form_of(city.other_child, name="Diubah Orang Lain", version="1")
        status = client.post(url, data={**form, "csrf_token": token}).status_code
    else:
        status = client.patch(
            f"/api/v1/children/{city.other_child}",
            json={"name": "Diubah Orang Lain", "version": 1},
            headers={"X-CSRF-Token": token},
        ).status_code
    assert status == 404
    with city.engine.connect() as connection:
        assert connection.execute(select(c).where(c.c.id == city.other_child)).one() == before


@pytest.mark.parametrize("username", ["analis", "mitra"])
def test_figure_only_roles_cannot_correct_a_child(
    city: City, signed_in: SignedIn, username: str
) -> None:
    client, token = signed_in(username)
    url = f"/children/{city.own_child}/edit"
    assert client.get(url).status_code == 404
    form = form_of(city.own_child, name="Diubah Analis")
    assert client.post(url, data={**form, "csrf_token": token}).status_code == 404
    a = table_of(AuditEntry)
    with city.engine.connect() as connection:
        count = connection.execute(
            select(func.count()).where(a.c.entity == "child", a.c.entity_id == city.own_child)
        ).scalar_one()
    assert count == 0


def mother_of(city: City, child_id: int) -> tuple[int | None, str | None]:
    c, m = table_of(Child), table_of(Mother)
    with city.engine.connect() as connection:
        row = connection.execute(
            select(c.c.mother_id, m.c.name)
            .select_from(c.outerjoin(m, m.c.id == c.c.mother_id))
            .where(c.c.id == child_id)
        ).one()
    return row.mother_id, row.name


def test_the_mothers_name_is_kept_and_a_correction_spares_the_siblings(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    child_id = register(client, token, city.kader_posyandu, mother_name="Ibu Uji Koreksi")
    mother_id, name = mother_of(city, child_id)
    assert name == "Ibu Uji Koreksi"
    form = client.get(f"/children/{child_id}/edit")
    assert nodes(form.text, "//input[@id='mother_name']")[0].get("value") == "Ibu Uji Koreksi"
    # Her only child: the typo is corrected on her own record.
    fixed = form_of(child_id, mother_name="Ibu Uji Dikoreksi")
    assert edit(client, token, child_id, fixed) == f"/children/{child_id}"
    assert mother_of(city, child_id) == (mother_id, "Ibu Uji Dikoreksi")
    # A sibling shares the record: the child gets a record of its own.
    c = table_of(Child)
    sibling = register(client, token, city.kader_posyandu, name="Kakak Uji Koreksi")
    with city.engine.begin() as connection:
        connection.execute(update(c).where(c.c.id == sibling).values(mother_id=mother_id))
    other = form_of(child_id, mother_name="Ibu Lain")
    assert edit(client, token, child_id, other) == f"/children/{child_id}"
    new_id, new_name = mother_of(city, child_id)
    assert (new_name, new_id != mother_id) == ("Ibu Lain", True)
    assert mother_of(city, sibling) == (mother_id, "Ibu Uji Dikoreksi")
    last = child_audit(city, child_id)[-1][1]
    assert last is not None
    assert last["mother_name"] == "Ibu Lain"
    # Cleared: no mother linked any more.
    assert edit(client, token, child_id, form_of(child_id)) == f"/children/{child_id}"
    assert mother_of(city, child_id) == (None, None)
