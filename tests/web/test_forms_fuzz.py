"""Random text in the fields of the pages' forms (which the OpenAPI schema, and so
schemathesis, does not cover): an answer for the user, never a server error.

Each form starts from values it accepts and has some of its fields replaced, so that
the random values also reach the code behind the checks (the database, the audit row,
the export). On a demo city of its own: the forms that pass store what they were given."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import City, build_city, settings_for, sign_in, strings
from tumbuh.db.users import find_user
from tumbuh.web.app import create_app

CELL = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"[A-Za-z ]{2,8}\x00[A-Za-z ]{0,8}", fullmatch=True),  # PostgreSQL: no NUL
    st.sampled_from(
        ["", "2024-08", "2024-02-30", "36.72", "36.72.01.1001", "1", "0", "-1", "999999999999",
         "3672014101240099", "3.67E+15", "12,5", "12500", "83..9", "l", "h", "male", "kader",
         "nutritionist", "\x00", "Ri\x00na", "A\tB", "x" * 300]
    ),
)  # fmt: skip


@dataclass
class Form:
    username: str
    url: str
    valid: dict[str, str]  # values the form accepts


@pytest.fixture
def own_city(backend: str, new_database_url: Callable[[str], str]) -> Iterator[City]:
    city = build_city(new_database_url(backend))
    yield city
    city.engine.dispose()


def _forms(city: City, partner_id: int) -> list[Form]:
    today = date.today()
    session = (
        f"/posyandu/{city.kader_posyandu}/bulan-timbang/{today:%Y-%m}/children/{city.own_child}"
    )
    child = {
        "name": "Anak Acak",
        "nik": "",
        "sex": "female",
        "birth_date": "2023-05-01",
        "birth_weight_kg": "3,1",
        "birth_length_cm": "49",
        "mother_name": "Ibu Acak",
    }
    measurement = {
        "measured_on": today.isoformat(),
        "weight_kg": "11,2",
        "height_cm": "84,0",
        "position": "h",
        "muac_cm": "14,5",
    }
    account = {"full_name": "Akun Acak", "role": "partner", "puskesmas_id": "",
               "posyandu_id": "", "language": "id"}  # fmt: skip
    return [
        Form("admin", "/children", {"q": "anak"}),
        Form("admin", f"/posyandu/{city.kader_posyandu}/children/new", child),
        Form("admin", f"/children/{city.own_child}/edit",
             {**child, "posyandu_id": str(city.kader_posyandu)}),
        Form("admin", "/users/new", {**account, "username": "acak", "password": "x" * 12}),
        Form("admin", f"/users/{partner_id}", {**account, "is_active": "1"}),
        Form("admin", "/export", {"month": "2024-08", "area": "36.72.01", "unmask": ""}),
        Form("kader", session + "/preview", measurement),
        Form("kader", session, measurement),
    ]  # fmt: skip


def test_random_form_values_never_give_a_server_error(own_city: City, tmp_path: Path) -> None:
    city = own_city
    app = create_app(settings_for(city.url, tmp_path / "reports"), engine=city.engine)
    with city.engine.connect() as connection:
        partner = find_user(connection, "mitra")  # changed at random; no one signs in as it
    assert partner is not None
    forms = _forms(city, partner.id)
    clients: dict[str, tuple[TestClient, str]] = {}
    for username in ("admin", "kader"):
        client = TestClient(app)
        clients[username] = (client, sign_in(client, username))

    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        form = data.draw(st.sampled_from(forms))
        changed = data.draw(st.dictionaries(st.sampled_from(sorted(form.valid)), CELL, min_size=1))
        client, token = clients[form.username]
        sent = {**form.valid, **changed, "csrf_token": token}
        if form.url.endswith("/edit"):  # the version the form carries (else: a stale save)
            sent["version"] = strings(client.get(form.url).text, "//input[@name='version']/@value")[
                0
            ]
        response = client.post(form.url, data=sent, follow_redirects=False)
        assert response.status_code < 500, (form.url, changed)

    check()
