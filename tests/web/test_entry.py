"""Posyandu session entry: the preview before saving (z-scores, categories, warnings),
saving, correcting, and registering a new child; every change audited."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.web.conftest import City, SignedIn, nodes, text, texts
from tumbuh.db.models import Child, Measurement, MeasurementDerived, table_of
from tumbuh.db.models_access import AuditEntry


def child_facts(city: City) -> tuple[date, str]:
    c = table_of(Child)
    with city.engine.connect() as connection:
        row = connection.execute(
            select(c.c.birth_date, c.c.sex).where(c.c.id == city.own_child)
        ).one()
    birth = (
        row.birth_date if isinstance(row.birth_date, date) else date.fromisoformat(row.birth_date)
    )
    return birth, row.sex


def entry_url(city: City, day: date) -> str:
    return f"/posyandu/{city.kader_posyandu}/bulan-timbang/{day:%Y-%m}/children/{city.own_child}"


def preview(city: City, signed_in: SignedIn, **values: str) -> str:
    client, token = signed_in("kader")
    today = date.today()
    data = {"measured_on": today.isoformat(), "position": "h", "csrf_token": token, **values}
    response = client.post(entry_url(city, today) + "/preview", data=data)
    assert response.status_code == 200
    return str(response.text)


def test_preview_names_weight_typed_in_grams(city: City, signed_in: SignedIn) -> None:
    fragment = preview(city, signed_in, weight_kg="12500")
    assert texts(fragment, "//ul[@class='errors']/li") == [
        "Berat badan: 12500 tampaknya dalam gram; maksudnya 12,5 kg?"
    ]


def test_preview_shows_zscores_and_permenkes_categories(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    birth, _ = child_facts(city)
    day = birth + timedelta(days=400)  # 13 months: lying length, inside WHO 2006
    data = {
        "measured_on": day.isoformat(),
        "weight_kg": "9,5",
        "height_cm": "75,0",
        "position": "l",
        "csrf_token": token,
    }
    response = client.post(entry_url(city, day) + "/preview", data=data)
    fragment = response.text
    heads = texts(fragment, "//table[@class='zscores']//th")
    assert heads == ["PB/U atau TB/U", "BB/U", "BB/PB atau BB/TB", "N/T"]
    haz_z, haz_category = texts(fragment, "//table[@class='zscores']//tr[1]/td")
    assert haz_category in {"Normal", "Pendek", "Sangat pendek", "Tinggi"}
    assert "," in haz_z  # z-score written with the Indonesian decimal comma


def test_preview_warns_about_standing_under_24_months(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    birth, _ = child_facts(city)
    day = min(date.today(), birth + timedelta(days=400))
    data = {
        "measured_on": day.isoformat(),
        "weight_kg": "9,0",
        "height_cm": "75,0",
        "position": "h",
        "csrf_token": token,
    }
    response = client.post(entry_url(city, day) + "/preview", data=data)
    warnings = texts(response.text, "//ul[@class='warnings']/li")
    assert warnings == [
        "Cara ukur: anak di bawah 24 bulan diukur terlentang (panjang badan). Bila diukur "
        "berdiri, 0,7 cm ditambahkan untuk z-skor"
    ]


def test_preview_refuses_an_unreadable_number(city: City, signed_in: SignedIn) -> None:
    fragment = preview(city, signed_in, weight_kg="10..5")
    assert texts(fragment, "//ul[@class='errors']/li") == [
        "Berat badan (kg): '10..5' bukan angka; tulis seperti 12,5"
    ]


def test_saving_stores_derives_audits_and_moves_to_the_next_child(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    birth, _ = child_facts(city)
    day = birth + timedelta(days=500)
    response = client.post(
        entry_url(city, day),
        data={
            "measured_on": day.isoformat(),
            "weight_kg": "10,2",
            "height_cm": "78,5",
            "position": "l",
            "muac_cm": "14,5",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert f"saved={city.own_child}" in response.headers["location"]
    following = client.get(response.headers["location"]).text
    link = nodes(following, "//a[@id='saved-months']")  # to the child's monthly record
    assert [x.get("href") for x in link] == [f"/children/{city.own_child}#monthly-monitoring"]
    m, d, a = table_of(Measurement), table_of(MeasurementDerived), table_of(AuditEntry)
    with city.engine.connect() as connection:
        stored = connection.execute(
            select(m.c.id, m.c.weight_kg, m.c.height_cm, d.c.age_days, d.c.haz)
            .join(d, d.c.measurement_id == m.c.id)
            .where(m.c.child_id == city.own_child, m.c.measured_on == day)
        ).one()
        audit = connection.execute(
            select(a.c.actor, a.c.action, a.c.before, a.c.after).where(
                a.c.entity == "measurement", a.c.entity_id == stored.id
            )
        ).one()
    assert (stored.weight_kg, stored.height_cm, stored.age_days) == (10.2, 78.5, 500)
    assert stored.haz is not None
    assert (audit.actor, audit.action, audit.before) == ("kader", "create", None)
    after = json.loads(audit.after)
    assert (after["weight_kg"], after["height_cm"], after["position"]) == (10.2, 78.5, "l")
    assert after["measured_on"] == day.isoformat()


def test_saving_is_refused_while_values_have_errors(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    today = date.today()
    response = client.post(
        entry_url(city, today),
        data={"measured_on": today.isoformat(), "weight_kg": "12500", "csrf_token": token},
    )
    assert response.status_code == 422
    assert "tampaknya dalam gram" in response.text


def test_correcting_and_deleting_a_measurement_is_audited(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    birth, _ = child_facts(city)
    day = birth + timedelta(days=300)
    added = client.post(
        f"/api/v1/children/{city.own_child}/measurements",
        json={"measured_on": day.isoformat(), "weight_kg": 8.4, "height_cm": 70.0, "position": "l"},
        headers={"X-CSRF-Token": token},
    )
    assert added.status_code == 201
    new_id = added.json()["id"]
    base = f"/children/{city.own_child}/measurements/{new_id}"
    fixed = client.post(
        base,
        data={
            "measured_on": day.isoformat(),
            "weight_kg": "8,5",
            "height_cm": "70,0",
            "position": "l",
            "version": "1",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    version = {"version": "2", "csrf_token": token}
    gone = client.post(base + "/delete", data=version, follow_redirects=False)
    assert (fixed.status_code, gone.status_code) == (303, 303)
    a = table_of(AuditEntry)
    with city.engine.connect() as connection:
        rows = connection.execute(
            select(a.c.action, a.c.before, a.c.after)
            .where(a.c.entity == "measurement", a.c.entity_id == new_id)
            .order_by(a.c.id)
        ).all()
    assert [r.action for r in rows] == ["create", "update", "delete"]
    assert json.loads(rows[1].before)["weight_kg"] == 8.4
    assert json.loads(rows[1].after)["weight_kg"] == 8.5
    assert json.loads(rows[2].before)["weight_kg"] == 8.5
    assert rows[2].after is None


def test_registering_a_child_masks_the_nik_in_the_audit_log(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    response = client.post(
        f"/posyandu/{city.kader_posyandu}/children/new",
        data={
            "name": "Sinta Uji Coba",
            "nik": "3672014101240099",
            "sex": "female",
            "birth_date": "2024-01-01",
            "birth_weight_kg": "3,1",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    child_id = int(response.headers["location"].rsplit("/", 1)[1])
    a = table_of(AuditEntry)
    with city.engine.connect() as connection:
        after = connection.execute(
            select(a.c.after).where(a.c.entity == "child", a.c.entity_id == child_id)
        ).scalar_one()
    stored = json.loads(after)
    assert stored["nik"] == "3672************"
    assert "3672014101240099" not in after
    assert stored["name"] == "Sinta Uji Coba"
    admin, _ = signed_in("admin")
    log = admin.get("/audit-log?entity=child")
    assert "3672************" in log.text
    assert "3672014101240099" not in log.text


def test_new_child_form_explains_what_to_fix(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    response = client.post(
        f"/posyandu/{city.kader_posyandu}/children/new",
        data={"name": "A", "nik": "3.67201E+15", "sex": "", "birth_date": "", "csrf_token": token},
    )
    assert response.status_code == 422
    errors = texts(response.text, "//ul[@class='errors']/li")
    assert errors == [
        "Nama: tulis nama anak (2 sampai 100 karakter)",
        "NIK: tulis 16 angka NIK, atau kosongkan",
        "Jenis kelamin: pilih laki-laki atau perempuan",
        "Tanggal lahir: tulis tanggal lahir, misalnya 17/08/2023",
    ]


def test_session_page_lists_the_children_due(city: City, signed_in: SignedIn) -> None:
    client, _ = signed_in("kader")
    page = client.get(f"/posyandu/{city.kader_posyandu}/bulan-timbang/2024-08")
    assert page.status_code == 200
    assert nodes(page.text, "//table[@id='due']/tbody/tr")
    assert text(page.text, "//h1") == "Kegiatan posyandu, Agustus 2024"


@pytest.mark.parametrize("month", ["2024-13", "24-08", "2024-8"])
def test_session_page_refuses_a_month_that_is_not_one(
    city: City, signed_in: SignedIn, month: str
) -> None:
    client, _ = signed_in("kader")
    assert client.get(f"/posyandu/{city.kader_posyandu}/bulan-timbang/{month}").status_code == 422
