"""PMT lokal on the web (docs/pmt.md): the eligibility list, enrolment refused with its
rule or overridden, the episode page and its closing, the register with its .xlsx, and
the API twins; scoped by role (a kader reads, a nutritionist enrols in her area, figure
roles get counts only).

The episodes are written on a city of this module's own, with two kitchens inserted as
rows (one in the kader's kelurahan, one in another kecamatan), so no other test sees
them."""

import io
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine, func, insert, select

from tests.web.conftest import City, build_city, nodes, settings_for, sign_in, text, texts
from tumbuh.db.models import Posyandu, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_pmt import Kitchen, PmtEpisode
from tumbuh.web.app import create_app

ClientFor = Callable[[str], tuple[TestClient, str]]
KITCHEN = "Dapur Umum PKK Uji"
FAR_KITCHEN = "Dapur Jauh Uji"


def _kitchen(engine: Engine, kelurahan: str, name: str) -> int:
    now = datetime.now(UTC)
    k = table_of(Kitchen)
    values = {
        "name": name,
        "kind": "dapur_umum_pkk",
        "kelurahan_code": kelurahan,
        "operator": "tp_pkk",
        "capacity": 40,
        "weekdays": 31,
        "active": True,
        "created_at": now,
        "updated_at": now,
    }
    with engine.begin() as connection:
        return int(connection.execute(insert(k).values(**values).returning(k.c.id)).scalar_one())


class PmtCity:
    """The small demo city with a kitchen near the kader and one far away."""

    def __init__(self, city: City) -> None:
        self.city = city
        p = table_of(Posyandu)
        with city.engine.connect() as connection:
            near = connection.execute(
                select(p.c.kelurahan_code).where(p.c.id == city.kader_posyandu)
            ).scalar_one()
            far = connection.execute(
                select(func.min(p.c.kelurahan_code)).where(
                    p.c.kelurahan_code.like(city.other_kecamatan + ".%")
                )
            ).scalar_one()
        self.kitchen = _kitchen(city.engine, str(near), KITCHEN)
        self.far_kitchen = _kitchen(city.engine, str(far), FAR_KITCHEN)


@pytest.fixture(scope="module")
def _pmt_cities() -> Iterator[dict[str, PmtCity]]:
    cities: dict[str, PmtCity] = {}
    yield cities
    for town in cities.values():
        town.city.engine.dispose()


@pytest.fixture
def town(
    backend: str,
    _pmt_cities: dict[str, PmtCity],
    new_database_url: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> PmtCity:
    if backend not in _pmt_cities:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('pmtcity') / 'city.sqlite'}"
        else:
            url = new_database_url(backend)
        _pmt_cities[backend] = PmtCity(build_city(url))
    return _pmt_cities[backend]


@pytest.fixture
def client_for(town: PmtCity, tmp_path: Path) -> ClientFor:
    app: FastAPI = create_app(settings_for(town.city.url, tmp_path / "r"), engine=town.city.engine)

    def make(username: str) -> tuple[TestClient, str]:
        client = TestClient(app)
        return client, sign_in(client, username)

    return make


def _eligible(client: TestClient, **params: str) -> dict[str, Any]:
    answer = client.get("/api/v1/pmt/eligible", params=params)
    assert answer.status_code == 200, answer.text[:300]
    found: dict[str, Any] = answer.json()
    return found


def _free_child(client: TestClient, refused: bool = False) -> dict[str, object]:
    """A child of the nutritionist's latest month with no episode (eligible, or refused)."""
    listed = _eligible(client, refused="true" if refused else "false")
    children: list[dict[str, Any]] = listed["children"]
    for page in range(2, int(listed["pages"]) + 1):
        children += _eligible(client, page=str(page), refused=str(refused).lower())["children"]
    free = [c for c in children if c["episode_id"] is None and (c["indication"] is None) == refused]
    assert free, "no child left to enrol"
    chosen: dict[str, object] = free[-1]
    chosen["month"] = listed["month"]
    return chosen


def _form(town: PmtCity, child: dict[str, object], token: str, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "child_id": str(child["child_id"]),
        "month": str(child["month"]),
        "kitchen_id": str(town.kitchen),
        "started_on": str(child["measured_on"]),
        "funding": "apbd",
        **extra,
    }


def test_the_nutritionist_sees_the_list_with_the_form_and_her_areas_kitchens(
    client_for: ClientFor,
) -> None:
    gizi, _ = client_for("gizi")
    page = gizi.get("/pmt/eligible")
    assert page.status_code == 200
    assert text(page.text, "//h1") == "PMT lokal: anak sasaran"
    assert "anak sasaran PMT lokal" in text(page.text, "//p[@id='summary']")
    assert "aturan 2023" in text(page.text, "//p[@id='rules-note']")
    assert nodes(page.text, "//table[@id='eligible']//input[@name='child_id']")
    kitchens = texts(page.text, "//select[@id='kitchen_id']/option")
    assert any(KITCHEN in k for k in kitchens)
    assert not any(FAR_KITCHEN in k for k in kitchens)
    listed = _eligible(gizi)
    assert listed["rules_version"] == "2023"
    ages = [c["age_months"] for c in listed["children"]]
    assert all(6 <= int(a) <= 59 for a in ages)


def test_the_nutritionist_enrols_a_child_and_a_second_enrolment_is_refused(
    client_for: ClientFor, town: PmtCity
) -> None:
    gizi, token = client_for("gizi")
    child = _free_child(gizi)
    answer = gizi.post("/pmt/enrol", data=_form(town, child, token), follow_redirects=False)
    assert answer.status_code == 303, answer.text[:500]
    target = answer.headers["location"]
    assert target.startswith("/pmt/episodes/")
    page = gizi.get(target)
    assert text(page.text, "//dd[@id='episode-kitchen']") == KITCHEN
    assert text(page.text, "//dd[@id='episode-version']") == "2023"
    episode_id = int(target.rsplit("/", 1)[1])
    with town.city.engine.connect() as connection:
        a = table_of(AuditEntry)
        audited = connection.execute(
            select(func.count()).where(a.c.entity == "pmt_episode", a.c.entity_id == episode_id)
        ).scalar_one()
    assert audited == 1
    again = gizi.post("/pmt/enrol", data=_form(town, child, token))
    assert again.status_code == 422
    [error] = texts(again.text, "//ul[@id='enrol-errors']/li")
    assert f"sudah punya episode PMT yang berjalan (nomor {episode_id}," in error


def test_a_refused_child_needs_a_reason_for_the_exception(
    client_for: ClientFor, town: PmtCity
) -> None:
    admin, token = client_for("admin")  # the nutritionist's small area has none refused
    child = _free_child(admin, refused=True)
    refused = admin.post("/pmt/enrol", data=_form(town, child, token, refused="true"))
    assert refused.status_code == 422
    [error] = texts(refused.text, "//ul[@id='enrol-errors']/li")
    assert str(child["name"]) in error
    assert "(aturan: " in error
    assert "Untuk tetap mendaftarkan, tulis alasan pengecualian" in error
    reason = "Rujukan dokter puskesmas setelah perawatan"
    form = _form(town, child, token, override_reason=reason, indication="wasted")
    done = admin.post("/pmt/enrol", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text[:500]
    page = admin.get(done.headers["location"])
    assert text(page.text, "//dd[@id='episode-override']") == reason


def test_a_kader_reads_the_list_without_enrolling_and_figure_roles_see_counts(
    client_for: ClientFor, town: PmtCity
) -> None:
    kader, token = client_for("kader")
    page = kader.get("/pmt/eligible")
    assert page.status_code == 200
    assert not nodes(page.text, "//form[@id='enrol-form']")
    child = _free_child(kader)
    assert kader.post("/pmt/enrol", data=_form(town, child, token)).status_code == 403
    analyst, _ = client_for("analis")
    assert analyst.get("/pmt/eligible").status_code == 403
    register = analyst.get("/pmt/episodes")
    assert register.status_code == 200
    assert nodes(register.text, "//table[@id='episode-counts']")
    assert not nodes(register.text, "//table[@id='episodes']")
    assert analyst.get("/api/v1/pmt/episodes").status_code == 404


def test_the_api_enrols_refuses_with_messages_and_closes(
    client_for: ClientFor, town: PmtCity
) -> None:
    gizi, token = client_for("gizi")
    headers = {"X-CSRF-Token": token}
    child = _free_child(gizi)
    body = {
        "child_ids": [child["child_id"]],
        "month": child["month"],
        "kitchen_id": town.kitchen,
        "started_on": "17-08-2024",
        "funding": "apbd",
    }
    bad = gizi.post("/api/v1/pmt/episodes", json=body, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        "Tanggal mulai: '17-08-2024' bukan tanggal; tulis sebagai YYYY-MM-DD, misalnya 2024-08-17"
    ]
    far = gizi.post(
        "/api/v1/pmt/episodes",
        json={**body, "started_on": child["measured_on"], "kitchen_id": town.far_kitchen},
        headers=headers,
    )
    assert far.status_code == 422
    assert far.json()["errors"][0].startswith(f"Dapur: '{town.far_kitchen}' tidak dapat Anda pilih")
    made = gizi.post(
        "/api/v1/pmt/episodes", json={**body, "started_on": child["measured_on"]}, headers=headers
    )
    assert made.status_code == 201, made.text[:300]
    [episode] = made.json()["episodes"]
    shown = gizi.get(f"/api/v1/pmt/episodes/{episode['id']}").json()
    assert [c["week"] for c in shown["checkpoints"]] == [2, 4, 8]
    assert shown["completed_now"] is None
    close = f"/api/v1/pmt/episodes/{episode['id']}/close"
    early = gizi.post(close, json={"closing": "completed"}, headers=headers)
    assert early.status_code == 422
    assert "'selesai' dinilai dari pengukuran selama episode" in early.json()["errors"][0]
    moved = gizi.post(close, json={"closing": "moved", "note": "Pindah ke Serang"}, headers=headers)
    assert moved.status_code == 200, moved.text[:300]
    assert (moved.json()["exit"], moved.json()["exit_note"]) == ("moved", "Pindah ke Serang")
    kader, kader_token = client_for("kader")
    seen = kader.get(f"/api/v1/pmt/episodes/{episode['id']}").status_code
    refused = kader.post(close, json={"closing": "moved"}, headers={"X-CSRF-Token": kader_token})
    # a child of her posyandu: she reads it but does not close it (403); another's: 404
    assert (seen, refused.status_code) in ((200, 403), (404, 404))


def test_other_areas_episodes_are_not_found(client_for: ClientFor, town: PmtCity) -> None:
    admin, token = client_for("admin")
    with town.city.engine.connect() as connection:
        other = connection.execute(
            select(func.min(table_of(Posyandu).c.id)).where(
                table_of(Posyandu).c.kelurahan_code.like(town.city.other_kecamatan + ".%")
            )
        ).scalar_one()
    listed = _eligible(admin, posyandu=str(other))
    children = [c for c in listed["children"] if c["episode_id"] is None]
    assert children, "no eligible child in the other kecamatan"
    child = {**children[0], "month": listed["month"]}
    form = _form(town, child, token)
    form["kitchen_id"] = str(town.far_kitchen)
    done = admin.post("/pmt/enrol", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text[:500]
    target = done.headers["location"]
    gizi, _ = client_for("gizi")
    assert gizi.get(target).status_code == 404
    assert gizi.get("/api/v1" + target).status_code == 404


def test_the_episode_closes_on_its_page_and_the_register_downloads(
    client_for: ClientFor, town: PmtCity
) -> None:
    gizi, token = client_for("gizi")
    child = _free_child(gizi)
    done = gizi.post("/pmt/enrol", data=_form(town, child, token), follow_redirects=False)
    target = done.headers["location"]
    page = gizi.get(target)
    assert nodes(page.text, "//form[@id='close-form']")
    entry_links = nodes(page.text, "//a[@data-entry]")
    assert all("/bulan-timbang/" in str(a.get("href")) for a in entry_links)
    closed = gizi.post(
        target + "/close",
        data={"csrf_token": token, "closing": "dropped_out", "ended_on": str(child["measured_on"])},
        follow_redirects=False,
    )
    assert closed.status_code == 303
    page = gizi.get(target)
    assert text(page.text, "//dd[@id='episode-status']").startswith("Berhenti di tengah jalan")
    assert not nodes(page.text, "//form[@id='close-form']")
    register = gizi.get("/pmt/episodes", params={"state": "ended"})
    episode_id = target.rsplit("/", 1)[1]
    assert nodes(register.text, f"//tr[@data-episode='{episode_id}']")
    answer = gizi.post("/pmt/episodes/download", data={"csrf_token": token, "state": "ended"})
    assert answer.status_code == 200, answer.text[:300]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    head = next(r for r in rows if r and r[0] == "Nomor episode")
    body = rows[rows.index(head) + 1 :]
    assert head[:4] == ("Nomor episode", "Posyandu", "Kelurahan", "Nama")
    mine = next(r for r in body if r[0] == int(episode_id))
    assert mine[8] == KITCHEN
    assert mine[18] == "Berhenti di tengah jalan"
    assert str(mine[3]).endswith(".")  # initials unless asked
    with town.city.engine.connect() as connection:
        k = table_of(PmtEpisode)
        ended = connection.execute(
            select(k.c.ended_on).where(k.c.id == int(episode_id))
        ).scalar_one()
    assert str(ended) == str(child["measured_on"])
    assert date.fromisoformat(str(child["measured_on"])) <= date.today()


def test_the_filter_forms_send_empty_choices_and_a_wrong_value_is_named(
    client_for: ClientFor,
) -> None:
    gizi, _ = client_for("gizi")
    everything = {"month": "", "area": "36.72.01", "indication": ""}
    assert gizi.get("/pmt/eligible", params=everything).status_code == 200
    register = {"area": "36.72.01", "kitchen": "", "indication": "", "state": "", "month": ""}
    assert gizi.get("/pmt/episodes", params=register).status_code == 200
    wrong = gizi.get("/pmt/episodes", params={"state": "closed"})
    assert wrong.status_code == 400
    assert text(wrong.text, "//p[@class='message']") == (
        "state: 'closed' bukan salah satu nilai yang diterima: open, ended"
    )
    month = gizi.get("/pmt/episodes", params={"month": "2024-13"})
    assert month.status_code == 400
    assert "'2024-13' bukan bulan" in text(month.text, "//p[@class='message']")
