"""The case register as users work with it: filtered by area inside their scope (page
and API), downloaded as .xlsx (names as initials, the NIK's kota digits only and no
birth date unless asked) and printed on A4; and a measurement stored from the entry form
or the API opens its case with the installation's referral cut-offs, as an import does.

The register (June 2024, z-scores set by hand; cases opened from the referral list):

* posyandu A (kelurahan Cibeber, the kader's): "Zainab Putri" (WHZ -3.5: gizi buruk,
  the most severe) and "Anak Satu" (HAZ -2.5: stunted); "Bela Uji" and "Citra Uji" and
  "Dewi Uji", born 10 March 2022, not measured yet;
* posyandu K (kelurahan Kedaleman, same kecamatan): "Kirana Dewi", stunted;
* posyandu B (kelurahan Bagendung, another kecamatan): "Bunga Sari", stunted.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Connection, Engine, update

from tests.db.test_surveillance_builders import (
    BAGENDUNG,
    CIBEBER,
    KEDALEMAN,
    child,
    posyandu,
    visit,
)
from tests.web.conftest import cells, nodes, settings_for, sign_in, text
from tumbuh.db.audit import Actor
from tumbuh.db.models import Child, table_of
from tumbuh.db.models_access import Role
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.growth.periods import month_period
from tumbuh.usecases import cases
from tumbuh.usecases.places import load_places
from tumbuh.web.app import create_app

PASSWORD = "kata-sandi-uji-1"
JUNE = date(2024, 6, 12)
BORN = date(2022, 1, 1)
NIK_PREFIX = "36720141012"  # + 5 digits: 16 in all
LATER_BORN = date(2022, 3, 10)
# WHO 2006, a girl of 29 months: 9.5 kg and 84 cm standing is WAZ -2.32, HAZ -1.74 and
# WHZ -1.85: BB kurang under Permenkes 2/2020, BGM when the red line is put at WAZ -2.
LIGHT = {"measured_on": "2024-08-15", "weight_kg": 9.5, "height_cm": 84.0, "position": "h"}


@dataclass(frozen=True)
class Register:
    engine: Engine
    a: int
    k: int
    b: int
    bela: int
    citra: int
    dewi: int


def _named(connection: Connection, name: str, home: int, number: int, born: date = BORN) -> int:
    found = child(connection, born, home=home, nik=f"{NIK_PREFIX}{number:05d}")
    c = table_of(Child)
    connection.execute(update(c).where(c.c.id == found).values(name=name))
    return found


@pytest.fixture
def register(empty_engine: Engine) -> Register:
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        a, k, b = (
            posyandu(connection, CIBEBER),
            posyandu(connection, KEDALEMAN),
            posyandu(connection, BAGENDUNG),
        )
        visit(connection, _named(connection, "Zainab Putri", a, 1), JUNE, a, whz=-3.5)
        visit(connection, _named(connection, "Anak Satu", a, 2), JUNE, a, haz=-2.5)
        visit(connection, _named(connection, "Kirana Dewi", k, 3), JUNE, k, haz=-2.4)
        visit(connection, _named(connection, "Bunga Sari", b, 4), JUNE, b, haz=-2.6)
        bela = _named(connection, "Bela Uji", a, 5, LATER_BORN)
        citra = _named(connection, "Citra Uji", a, 6, LATER_BORN)
        dewi = _named(connection, "Dewi Uji", a, 7, LATER_BORN)
        now = datetime.now(UTC)
        for user in (
            NewUser("dinkes", "Dinkes", Role.ADMIN, PASSWORD),
            NewUser("analis", "Analis", Role.ANALYST, PASSWORD),
            NewUser("kader", "Kader", Role.KADER, PASSWORD, posyandu_id=a),
        ):
            create_user(connection, user, now)
    with empty_engine.connect() as connection:
        places = load_places(connection, "36.72")
        opened = cases.open_cases(
            connection,
            cases.COMMAND_LINE_SCOPE,
            month_period(2024, 6),
            places=places,
            area=places.city,
            user=Actor("cli:test"),
        )
        assert opened.opened == 4
    return Register(empty_engine, a, k, b, bela, citra, dewi)


ClientFor = Callable[..., tuple[TestClient, str]]


@pytest.fixture
def client_for(register: Register) -> ClientFor:
    url = register.engine.url.render_as_string(hide_password=False)
    apps = {}

    def make(username: str, bgm_waz_below: float | None = None) -> tuple[TestClient, str]:
        settings = settings_for(url)
        if bgm_waz_below is not None:
            settings = settings.model_copy(update={"bgm_waz_below": bgm_waz_below})
        key = bgm_waz_below
        if key not in apps:
            apps[key] = create_app(settings, engine=register.engine)
        client = TestClient(apps[key])
        return client, sign_in(client, username, PASSWORD)

    return make


def _names(client: TestClient, **params: str | int) -> list[str]:
    answer = client.get("/api/v1/cases", params=params)
    assert answer.status_code == 200, answer.text
    return [c["child_name"] for c in answer.json()["cases"]]


def test_the_register_is_filtered_by_area_inside_the_scope(
    client_for: ClientFor, register: Register
) -> None:
    admin, _ = client_for("dinkes")
    assert _names(admin) == ["Zainab Putri", "Anak Satu", "Kirana Dewi", "Bunga Sari"]
    assert _names(admin, area="36.72.01") == ["Zainab Putri", "Anak Satu", "Kirana Dewi"]
    assert _names(admin, area=KEDALEMAN) == ["Kirana Dewi"]
    assert _names(admin, posyandu=register.b) == ["Bunga Sari"]
    page = admin.get("/cases", params={"area": CIBEBER})
    assert page.status_code == 200
    shown = [cells(r)[0] for r in nodes(page.text, "//table[@id='cases']/tbody/tr")]
    assert shown == ["Zainab Putri", "Anak Satu"]
    selected = nodes(page.text, "//select[@id='area']/option[@selected]")
    assert [o.get("value") for o in selected] == [CIBEBER]
    assert "2 kasus terbuka" in text(page.text, "//p[@id='case-counts']")
    kader, _ = client_for("kader")
    assert _names(kader) == ["Zainab Putri", "Anak Satu"]
    assert kader.get("/api/v1/cases", params={"area": "36.72.02"}).status_code == 404
    assert kader.get("/cases", params={"posyandu": register.b}).status_code == 404


def _download(client: TestClient, token: str, **fields: str) -> list[tuple[object, ...]]:
    answer = client.post("/cases/download", data={"csrf_token": token, **fields})
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert answer.headers["content-disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_download_holds_every_case_masked_unless_asked(client_for: ClientFor) -> None:
    kader, token = client_for("kader")
    rows = _download(kader, token)
    head, body = rows[0], rows[1:]
    assert head[:7] == ("Kasus", "Posyandu", "Nama", "NIK", "Jenis kelamin", "Tanggal lahir",
                        "Umur (bulan)")  # fmt: skip
    assert [r[2] for r in body] == ["Z. P.", "A. S."]
    assert {r[3] for r in body} == {"3672************"}  # the kota's digits only
    assert {r[5] for r in body} == {None}  # no birth date beside the initials
    assert body[0][7] == "Gizi buruk / gizi kurang"
    full = _download(kader, token, unmask="1")[1:]
    assert [r[2] for r in full] == ["Zainab Putri", "Anak Satu"]
    assert full[0][3] == f"{NIK_PREFIX}00001"
    assert full[0][5] == BORN.isoformat()
    admin, admin_token = client_for("dinkes")
    city = _download(admin, admin_token, area="36.72.01", problem="stunting")[1:]
    assert [r[2] for r in city] == ["A. S.", "K. D."]


def test_figure_roles_and_other_areas_get_neither_download_nor_print(
    client_for: ClientFor, register: Register
) -> None:
    analyst, token = client_for("analis")
    assert analyst.post("/cases/download", data={"csrf_token": token}).status_code == 404
    assert analyst.get("/cases/print").status_code == 404
    kader, kader_token = client_for("kader")
    other = {"csrf_token": kader_token, "posyandu": str(register.b)}
    assert kader.post("/cases/download", data=other).status_code == 404
    assert kader.get(f"/cases/print?posyandu={register.b}").status_code == 404


def test_the_print_view_lists_every_case_with_a_column_for_the_kader(
    client_for: ClientFor,
) -> None:
    kader, _ = client_for("kader")
    page = kader.get("/cases").text
    link = str(nodes(page, "//a[@id='print-link']")[0].get("href"))
    printed = kader.get(link)
    assert printed.status_code == 200
    rows = nodes(printed.text, "//table[@id='print-cases']/tbody/tr")
    assert [cells(r)[1] for r in rows] == ["Zainab Putri", "Anak Satu"]
    assert cells(rows[0])[-1] == ""  # the kader's notes
    assert cells(rows[0])[-2] == "–"  # no answer from the puskesmas yet
    heads = [" ".join(th.text_content().split()) for th in nodes(printed.text, "//thead//th")]
    assert heads[-2:] == ["Rujukan balik dari puskesmas", "Catatan dan paraf kader"]
    assert nodes(printed.text, "//link[@href='/static/css/print.css']")


def _case_reasons(client: TestClient, child_id: int) -> list[list[str]]:
    listed = client.get("/api/v1/cases", params={"problem": "underweight"}).json()["cases"]
    return [c["reasons"] for c in listed if c["child_id"] == child_id]


def test_a_measurement_opens_its_case_with_the_installations_cut_offs(
    client_for: ClientFor, register: Register
) -> None:
    # Red line at WAZ -2 in this installation: the API and the entry form judge BGM.
    kader, token = client_for("kader", bgm_waz_below=-2.0)
    stored = kader.post(
        f"/api/v1/children/{register.bela}/measurements",
        json=LIGHT,
        headers={"X-CSRF-Token": token},
    )
    assert stored.status_code in (200, 201), stored.text
    assert _case_reasons(kader, register.bela) == [["BGM"]]
    form = {k: str(v) for k, v in LIGHT.items()}
    saved = kader.post(
        f"/posyandu/{register.a}/bulan-timbang/2024-08/children/{register.citra}",
        data={**form, "csrf_token": token},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text[:500]
    assert _case_reasons(kader, register.citra) == [["BGM"]]
    # With the Permenkes red line (WAZ -3) the same weighing is BB kurang.
    plain, plain_token = client_for("kader")
    plain.post(
        f"/api/v1/children/{register.dewi}/measurements",
        json=LIGHT,
        headers={"X-CSRF-Token": plain_token},
    )
    assert _case_reasons(plain, register.dewi) == [["UNDERWEIGHT"]]


def test_a_refused_code_is_named_in_plain_words(client_for: ClientFor) -> None:
    admin, token = client_for("dinkes")
    case_id = admin.get("/api/v1/cases").json()["cases"][0]["id"]
    refused = admin.post(
        f"/api/v1/cases/{case_id}/steps",
        json={"status": "dikirim"},
        headers={"X-CSRF-Token": token},
    )
    assert refused.status_code == 422
    [message] = refused.json()["errors"]
    assert "perlu_dirujuk (Perlu dirujuk), dirujuk (Dirujuk)" in message
    assert "selesai (Selesai)" in message
