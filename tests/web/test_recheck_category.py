"""A WHO-flagged z-score has no Permenkes category: the child page shows "periksa ulang"
instead (issue 13: 1,923 weights typed in grams were shown as obese)."""

from datetime import date, timedelta

from sqlalchemy import func, select

from tests.web.conftest import City, SignedIn, text
from tests.web.test_entry import child_facts, entry_url
from tests.web.test_oedema_muac import _last_id, _stored
from tumbuh.db.models import Measurement, table_of


def test_a_flagged_weight_shows_periksa_ulang_not_obesitas(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    birth, _ = child_facts(city)
    m = table_of(Measurement)
    with city.engine.connect() as connection:
        latest = connection.execute(
            select(func.max(m.c.measured_on)).where(m.c.child_id == city.own_child)
        ).scalar_one()
    latest = latest if isinstance(latest, date) or latest is None else date.fromisoformat(latest)
    day = max(birth + timedelta(days=530), (latest or birth) + timedelta(days=20))
    typed = {
        "measured_on": day.isoformat(),
        "weight_kg": "60,0",  # far above WHO's +5 SD for weight-for-age: flagged
        "height_cm": "79,0",
        "position": "l",
        "csrf_token": token,
    }
    saved = client.post(entry_url(city, day), data=typed, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    row = _stored(city, _last_id(city, day))
    assert row["waz"] is not None
    assert row["waz"] > 5
    page = client.get(f"/children/{city.own_child}").text
    assert text(page, "//section[@class='status']/h2").endswith(f"{day:%d/%m/%Y}"), page
    assert text(page, "//ul[@class='categories']/li[2]/strong") == "periksa ulang"  # BB/U
    assert "Obesitas" not in page
    assert "Risiko berat badan lebih" not in page
