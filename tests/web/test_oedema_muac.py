"""Oedema and MUAC on the entry form, the correction form and the API (issue 13): stored,
audited, kept by an edit that does not touch them, and followed through the one write
path (MUAC-for-age z-score; with oedema no weight-based z-score, as in WHO anthro)."""

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from tests.web.conftest import City, SignedIn, nodes, texts
from tests.web.test_entry import child_facts, entry_url
from tumbuh.db.models import Measurement, MeasurementDerived, table_of
from tumbuh.db.models_access import AuditEntry


def _stored(city: City, measurement_id: int) -> dict[str, Any]:
    m, d = table_of(Measurement), table_of(MeasurementDerived)
    with city.engine.connect() as connection:
        row = connection.execute(
            select(
                m.c.muac_cm, m.c.oedema, m.c.version, d.c.waz, d.c.whz, d.c.baz, d.c.haz, d.c.acz
            )
            .join(d, d.c.measurement_id == m.c.id)
            .where(m.c.id == measurement_id)
        ).one()
    return dict(row._mapping)


def _audits(city: City, measurement_id: int) -> list[tuple[str, Any, Any]]:
    a = table_of(AuditEntry)
    with city.engine.connect() as connection:
        rows = connection.execute(
            select(a.c.action, a.c.before, a.c.after)
            .where(a.c.entity == "measurement", a.c.entity_id == measurement_id)
            .order_by(a.c.id)
        ).all()
    # SQLite may give a new measurement the id of one an earlier test deleted: keep only
    # the rows of this measurement's life, from its (last) creation on.
    creations = [i for i, r in enumerate(rows) if r.action == "create"]
    return [
        (r.action, r.before and json.loads(r.before), r.after and json.loads(r.after))
        for r in rows[creations[-1] if creations else 0 :]
    ]


def _last_id(city: City, day: date) -> int:
    m = table_of(Measurement)
    with city.engine.connect() as connection:
        return int(
            connection.execute(
                select(m.c.id)
                .where(m.c.child_id == city.own_child, m.c.measured_on == day)
                .order_by(m.c.id.desc())
                .limit(1)
            ).scalar_one()
        )


def test_form_stores_muac_and_oedema_and_an_edit_keeps_or_changes_them(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    birth, _ = child_facts(city)
    day = birth + timedelta(days=520)
    form = client.get(entry_url(city, day))
    assert nodes(form.text, "//input[@id='oedema'][@type='checkbox']")
    assert "Edema bilateral (kedua punggung kaki)" in form.text
    typed = {
        "measured_on": day.isoformat(),
        "weight_kg": "9,8",
        "height_cm": "79,0",
        "position": "l",
        "muac_cm": "13,2",
        "oedema": "y",
        "csrf_token": token,
    }
    shown = client.post(entry_url(city, day) + "/preview", data=typed)
    assert shown.status_code == 200
    heads = texts(shown.text, "//table[@class='zscores']//th")
    assert "LiLA/U" in heads
    assert nodes(shown.text, "//p[@id='oedema-note']")
    saved = client.post(entry_url(city, day), data=typed, follow_redirects=False)
    assert saved.status_code == 303
    new_id = _last_id(city, day)
    row = _stored(city, new_id)
    assert (row["muac_cm"], bool(row["oedema"])) == (13.2, True)
    assert row["waz"] is None
    assert row["whz"] is None
    assert row["baz"] is None
    assert row["haz"] is not None
    assert row["acz"] is not None
    ((action, before, after),) = _audits(city, new_id)
    assert (action, before) == ("create", None)
    assert (after["muac_cm"], after["oedema"]) == (13.2, True)

    history = client.get(f"/children/{city.own_child}")
    assert texts(history.text, f"//tr[@data-measurement='{new_id}']//span[@class='oedema']") == [
        "(edema)"
    ]
    page = client.get(f"/children/{city.own_child}/measurements/{new_id}")
    assert nodes(page.text, "//input[@id='oedema'][@checked]")
    assert nodes(page.text, "//input[@id='muac_cm'][@value='13.2']")
    kept = {**typed, "weight_kg": "9,9", "version": "1"}
    answer = client.post(f"/children/{city.own_child}/measurements/{new_id}", data=kept)
    assert answer.status_code in {200, 303}
    row = _stored(city, new_id)
    assert (row["muac_cm"], bool(row["oedema"]), row["waz"]) == (13.2, True, None)
    cleared = {k: v for k, v in kept.items() if k != "oedema"} | {"version": "2"}
    cleared["muac_cm"] = ""
    answer = client.post(f"/children/{city.own_child}/measurements/{new_id}", data=cleared)
    assert answer.status_code in {200, 303}
    row = _stored(city, new_id)
    assert (row["muac_cm"], bool(row["oedema"]), row["acz"]) == (None, False, None)
    assert row["waz"] is not None
    assert row["whz"] is not None
    audits = _audits(city, new_id)
    assert [a[0] for a in audits] == ["create", "update", "update"]
    assert (audits[2][1]["oedema"], audits[2][2]["oedema"]) == (True, False)
    assert (audits[2][1]["muac_cm"], audits[2][2]["muac_cm"]) == (13.2, None)


def test_form_refuses_implausible_muac_and_a_forged_oedema_value(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    birth, _ = child_facts(city)
    day = birth + timedelta(days=400)
    data = {
        "measured_on": day.isoformat(),
        "weight_kg": "9,0",
        "muac_cm": "140",
        "oedema": "maybe",
        "csrf_token": token,
    }
    answer = client.post(entry_url(city, day), data=data)
    assert answer.status_code == 422
    errors = texts(answer.text, "//ul[@class='errors']/li")
    assert any(e.startswith("LiLA: 140") for e in errors), errors
    assert (
        "Edema bilateral (kedua punggung kaki): 'maybe' bukan jawaban; centang kotaknya "
        "atau biarkan kosong"
    ) in errors


def test_api_adds_and_patches_oedema_and_muac(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    headers = {"X-CSRF-Token": token}
    birth, _ = child_facts(city)
    day = birth + timedelta(days=610)
    base = f"/api/v1/children/{city.own_child}/measurements"
    body = {
        "measured_on": day.isoformat(),
        "weight_kg": 10.1,
        "height_cm": 81.0,
        "position": "l",
        "muac_cm": 13.9,
        "oedema": True,
    }
    added = client.post(base, json=body, headers=headers)
    assert added.status_code == 201, added.text
    new_id = added.json()["id"]
    child = client.get(f"/api/v1/children/{city.own_child}").json()
    (shown,) = [m for m in child["measurements"] if m["id"] == new_id]
    assert (shown["muac_cm"], shown["oedema"]) == (13.9, True)
    assert shown["zscores"]["waz"] is None
    assert shown["zscores"]["acz"] is not None

    refused = client.post(base, json={**body, "oedema": "maybe"}, headers=headers)
    assert refused.status_code == 422
    not_plausible = client.post(
        base, json={**body, "muac_cm": 139.0, "confirm_duplicate": True}, headers=headers
    )
    assert not_plausible.status_code == 422
    assert any("LiLA" in e for e in not_plausible.json()["errors"])

    patched = client.patch(
        f"{base}/{new_id}", json={"version": 1, "weight_kg": 10.3}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    out = patched.json()
    assert (out["weight_kg"], out["muac_cm"], out["oedema"], out["version"]) == (
        10.3,
        13.9,
        True,
        2,
    )
    assert out["zscores"]["waz"] is None
    patched = client.patch(
        f"{base}/{new_id}", json={"version": 2, "oedema": False, "muac_cm": None}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    out = patched.json()
    assert (out["oedema"], out["muac_cm"], out["version"]) == (False, None, 3)
    assert out["zscores"]["waz"] is not None
    assert out["zscores"]["acz"] is None
    stale = client.patch(f"{base}/{new_id}", json={"version": 2, "oedema": True}, headers=headers)
    assert stale.status_code == 409
    assert {f["field"] for f in stale.json()["fields"]} == {"oedema"}
    audits = _audits(city, new_id)
    assert [a[0] for a in audits] == ["create", "update", "update"]
    assert audits[2][1]["oedema"] is True
    assert audits[2][2]["oedema"] is False
