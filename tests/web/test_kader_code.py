"""The kader's own N/T code on the entry form and in the API (issue 13, item 1): kept
beside the code Tumbuh computes, audited, and the clause that decided returned."""

from datetime import timedelta

from sqlalchemy import select

from tests.web.conftest import City, SignedIn, texts
from tests.web.test_entry import child_facts, entry_url
from tests.web.test_oedema_muac import _audits, _last_id
from tumbuh.db.models import Measurement, table_of


def _code(city: City, measurement_id: int) -> str | None:
    m = table_of(Measurement)
    with city.engine.connect() as connection:
        value = connection.execute(
            select(m.c.kader_weight_trend).where(m.c.id == measurement_id)
        ).scalar_one()
    return None if value is None else str(getattr(value, "value", value))


def test_form_keeps_the_kaders_code_beside_tumbuhs(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    birth, _ = child_facts(city)
    day = birth + timedelta(days=700)
    form = client.get(entry_url(city, day))
    assert "N/T menurut kader" in form.text
    typed = {
        "measured_on": day.isoformat(),
        "weight_kg": "11,2",
        "height_cm": "84,0",
        "position": "h",
        "kader_weight_trend": "T",
        "csrf_token": token,
    }
    saved = client.post(entry_url(city, day), data=typed, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    new_id = _last_id(city, day)
    assert _code(city, new_id) == "T"
    ((action, _before, after),) = _audits(city, new_id)
    assert (action, after["kader_weight_trend"]) == ("create", "T")
    page = client.get(f"/children/{city.own_child}")
    assert "kader: T" in page.text

    forged = {**typed, "kader_weight_trend": "X", "measured_on": day.isoformat()}
    refused = client.post(entry_url(city, day), data=forged)
    assert refused.status_code == 422
    assert "N/T menurut kader: 'X' bukan kode; pilih N, T, O, B atau kosongkan" in texts(
        refused.text, "//ul[@class='errors']/li"
    )


def test_api_takes_and_returns_the_kaders_code_and_the_clause(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    headers = {"X-CSRF-Token": token}
    birth, _ = child_facts(city)
    day = birth + timedelta(days=760)
    base = f"/api/v1/children/{city.own_child}/measurements"
    body = {"measured_on": day.isoformat(), "weight_kg": 11.4, "kader_weight_trend": "N"}
    added = client.post(base, json=body, headers=headers)
    assert added.status_code == 201, added.text
    new_id = added.json()["id"]
    child = client.get(f"/api/v1/children/{city.own_child}").json()
    (shown,) = [m for m in child["measurements"] if m["id"] == new_id]
    assert shown["kader_weight_trend"] == "N"
    assert "weight_trend_clause" in shown
    refused = client.post(
        base,
        json={**body, "kader_weight_trend": "naik", "confirm_duplicate": True},
        headers=headers,
    )
    assert refused.status_code == 422
    patched = client.patch(
        f"{base}/{new_id}", json={"version": 1, "kader_weight_trend": None}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["kader_weight_trend"] is None
    assert _code(city, new_id) is None
