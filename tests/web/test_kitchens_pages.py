"""The kitchens' pages, their serving log and the API on both databases: each role's
scope, the forms' Indonesian errors, a serving logged twice refused (also two saves at
once), the monthly report's download, an administrator adding a kitchen operator, and a
kitchen operator who reaches nothing else of the registry (docs/kitchens.md).

The kitchens and episodes are added to a city of this module's own (the shared test city
stays without them)."""

import io
import json
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select

from tests.db.kitchen_helpers import add_episode, add_kitchen, without_demo_kitchens
from tests.web.conftest import build_city, csrf_of, nodes, settings_for, strings, text, texts
from tumbuh.db.models import Child, Posyandu, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_pmt import PmtServing
from tumbuh.db.users import NewUser, create_user
from tumbuh.usecases.access import Role
from tumbuh.usecases.users import DEMO_PASSWORD
from tumbuh.web.app import create_app

CIBEBER = "36.72.01.1001"
FAR_KELURAHAN = "36.72.05.1001"
TODAY = date.today()
START = TODAY - timedelta(days=20)


@dataclass(frozen=True)
class KitchenCity:
    """The small demo city with two kitchens, their people and their operators."""

    url: str
    engine: Engine
    kitchen: int  # in Cibeber, cooks every day
    far_kitchen: int  # in another kecamatan
    near: tuple[int, int, int]  # episodes of children of Cibeber at the kitchen
    far: int  # an episode at the kitchen of a child outside the nutritionist's area
    elsewhere: int  # an episode at the far kitchen
    names: dict[int, str]  # episode -> the child's name


def _children(engine: Engine, prefix: str, count: int) -> list[tuple[int, str]]:
    c, p = table_of(Child), table_of(Posyandu)
    with engine.connect() as connection:
        rows = connection.execute(
            select(c.c.id, c.c.name)
            .join(p, p.c.id == c.c.posyandu_id)
            .where(
                p.c.kelurahan_code.startswith(prefix),
                c.c.birth_date >= TODAY - timedelta(days=1700),
            )
            .order_by(c.c.id)
            .limit(count)
        ).all()
    return [(int(r.id), str(r.name)) for r in rows]


def build_kitchen_city(url: str) -> KitchenCity:
    city = build_city(url)
    without_demo_kitchens(city.engine)
    near = _children(city.engine, "36.72.01.", 3)
    [(far_child, far_name), (other_child, _)] = _children(city.engine, "36.72.05.", 2)
    with city.engine.begin() as connection:
        kitchen = add_kitchen(connection, CIBEBER, "Dapur Umum PKK Cibeber", weekdays=127)
        far_kitchen = add_kitchen(connection, FAR_KELURAHAN, "Dapur Jauh")
        episodes = [add_episode(connection, kitchen, child_id=c, started_on=START) for c, _ in near]
        far = add_episode(connection, kitchen, child_id=far_child, started_on=START)
        elsewhere = add_episode(connection, far_kitchen, child_id=other_child, started_on=START)
        now = datetime.now(UTC)
        for username, place in (("dapur", kitchen), ("dapur2", far_kitchen)):
            create_user(
                connection,
                NewUser(
                    username, f"Petugas {username}", Role.KITCHEN, DEMO_PASSWORD, kitchen_id=place
                ),
                now,
            )
    names = {e: name for e, (_c, name) in zip(episodes, near, strict=True)} | {far: far_name}
    return KitchenCity(
        url,
        city.engine,
        kitchen,
        far_kitchen,
        (episodes[0], episodes[1], episodes[2]),
        far,
        elsewhere,
        names,
    )


@pytest.fixture(scope="module")
def _kitchen_cities() -> Iterator[dict[str, KitchenCity]]:
    cities: dict[str, KitchenCity] = {}
    yield cities
    for city in cities.values():
        city.engine.dispose()


@pytest.fixture
def kitchen_city(
    backend: str,
    _kitchen_cities: dict[str, KitchenCity],
    new_database_url: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> KitchenCity:
    if backend not in _kitchen_cities:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('kitchencity') / 'city.sqlite'}"
        else:
            url = new_database_url(backend)
        _kitchen_cities[backend] = build_kitchen_city(url)
    return _kitchen_cities[backend]


@pytest.fixture
def kitchen_app(kitchen_city: KitchenCity, tmp_path: Path) -> FastAPI:
    return create_app(settings_for(kitchen_city.url, tmp_path / "r"), engine=kitchen_city.engine)


Client = Callable[[str], tuple[TestClient, str]]


@pytest.fixture
def client_of(kitchen_app: FastAPI) -> Client:
    """``client_of("dapur")`` -> (a client signed in as that user, its CSRF token)."""

    def make(username: str) -> tuple[TestClient, str]:
        client = TestClient(kitchen_app)
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login",
            data={
                "username": username,
                "password": DEMO_PASSWORD,
                "csrf_token": token,
                "next": "/",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        return client, csrf_of(client.get("/kitchens").text)

    return make


@pytest.fixture(autouse=True)
def _no_servings_left(kitchen_city: KitchenCity) -> Iterator[None]:
    """Each test starts from a log without servings."""
    yield
    with kitchen_city.engine.begin() as connection:
        connection.execute(table_of(PmtServing).delete())


def _served(city: KitchenCity) -> list[tuple[int, date]]:
    s = table_of(PmtServing)
    with city.engine.connect() as connection:
        rows = connection.execute(select(s.c.episode_id, s.c.served_on).order_by(s.c.episode_id))
        return [
            (
                int(r.episode_id),
                r.served_on if isinstance(r.served_on, date) else date.fromisoformat(r.served_on),
            )
            for r in rows
        ]


def test_a_kitchen_operator_lands_on_today_s_tick_list(
    client_of: Client, kitchen_city: KitchenCity
) -> None:
    client, _ = client_of("dapur")
    home = client.get("/")
    assert home.url.path == f"/kitchens/{kitchen_city.kitchen}/servings"
    page = home.text
    assert text(page, "//h1") == "Catatan pemberian PMT"
    assert strings(page, "//nav[@class='menu']/a/@href") == [
        "/kitchen",
        f"/kitchens/{kitchen_city.kitchen}/week",
    ]
    ticked = strings(page, "//form[@id='serving-form']//input[@name='served']/@value")
    assert sorted(int(v) for v in ticked) == sorted([*kitchen_city.near, kitchen_city.far])
    names = texts(page, "//label[@class='tick']//strong[@class='name']")
    assert kitchen_city.names[kitchen_city.near[0]] in names
    details = " ".join(texts(page, "//label[@class='tick']//span[@class='sub']"))
    assert re.search(r"\d+ bulan", details)
    assert not re.search(r"\d{16}", page)  # no NIK
    assert text(page, "//p[@id='day-name']").endswith("(hari ini)")


def test_a_kitchen_operator_reaches_nothing_else_of_the_registry(
    client_of: Client, kitchen_app: FastAPI, kitchen_city: KitchenCity
) -> None:
    client, token = client_of("dapur")
    allowed = re.compile(
        r"^/(login|reports|openapi\.json|kitchen|kitchens.*|public/.*"
        r"|api/v1/(me|map/.*|kitchens.*|public/.*))$"
    )
    values = {"kitchen_id": str(kitchen_city.kitchen), "semester": "2024-S2", "fmt": "pdf"}
    names = list(kitchen_city.names.values())
    routes = list(_routes(kitchen_app))
    assert len(routes) > 60
    for path, methods in routes:
        url = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "1"), path)
        if "GET" in methods:
            answer = client.get(url, follow_redirects=False)
            if not allowed.match(path):
                assert answer.status_code in (303, 403, 404, 422), path
            if answer.status_code == 303:
                target = answer.headers["location"].split("?")[0]
                assert allowed.match(target) or client.get(target).status_code == 404, path
            if (
                not path.startswith("/kitchens/{kitchen_id}/")
                and path != "/api/v1/kitchens/{kitchen_id}/servings"
            ):
                assert not any(name in answer.text for name in names), path
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            if (
                method in methods
                and not allowed.match(path)
                and path not in ("/logout", "/language")
            ):
                answer = client.request(
                    method, url, headers={"X-CSRF-Token": token}, follow_redirects=False
                )
                assert answer.status_code in (403, 404, 405, 422), f"{method} {path}"
    assert client.get(f"/kitchens/{kitchen_city.far_kitchen}/servings").status_code == 404
    assert client.get(f"/api/v1/kitchens/{kitchen_city.far_kitchen}").status_code == 404
    assert client.get("/kitchens/report").status_code == 403


def _routes(app: FastAPI) -> Iterator[tuple[str, set[str]]]:
    """Every route of the app (path, methods), through the routers it includes."""
    for item in app.routes:
        if hasattr(item, "effective_route_contexts"):
            for context in item.effective_route_contexts():
                yield context.path, set(context.methods or ())
        elif hasattr(item, "methods") and hasattr(item, "path"):
            yield item.path, set(item.methods or ())


def _form(page: str) -> dict[str, Any]:
    """The serving form's fields as the page shows them: served ticked, known."""
    ticked = strings(page, "//form[@id='serving-form']//input[@name='served'][@checked]/@value")
    known = strings(page, "//form[@id='serving-form']//input[@name='known']/@value")
    return {"served": ticked, "known": known}


def test_ticks_are_saved_unticked_ones_taken_back_and_a_double_refused(
    client_of: Client, kitchen_city: KitchenCity
) -> None:
    client, token = client_of("dapur")
    url = f"/kitchens/{kitchen_city.kitchen}/servings"
    day = (TODAY - timedelta(days=1)).isoformat()
    a, b, c = kitchen_city.near
    saved = client.post(
        url,
        data={"csrf_token": token, "date": day, "served": [str(a), str(b)]},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = client.get(saved.headers["location"]).text
    assert text(page, "//p[@id='saved']") == "Tersimpan: 2 porsi ditambahkan, 0 dibatalkan."
    assert sorted(_form(page)["served"]) == sorted([str(a), str(b)])
    assert sorted(_form(page)["known"]) == sorted([str(a), str(b)])
    # A second phone that loaded the day before the save ticks the same child: refused.
    double = client.post(url, data={"csrf_token": token, "date": day, "served": [str(a), str(c)]})
    assert double.status_code == 409
    name = kitchen_city.names[a]
    assert texts(double.text, "//ul[@id='serving-errors']/li") == [
        f"{name}: porsi pada {day} sudah tercatat (orang lain menyimpannya lebih dulu); hanya "
        "satu porsi sehari yang dicatat, jadi tidak ada yang disimpan: periksa daftar lalu "
        "simpan lagi"
    ]
    again = _form(double.text)  # b kept ticked (saved meanwhile), c still ticked
    assert sorted(again["served"]) == sorted([str(a), str(b), str(c)])
    assert sorted(again["known"]) == sorted([str(a), str(b)])
    assert _served(kitchen_city) == [(a, TODAY - timedelta(days=1)), (b, TODAY - timedelta(days=1))]
    resent = client.post(
        url, data={"csrf_token": token, "date": day, **again}, follow_redirects=False
    )
    assert resent.status_code == 303
    untick = client.post(
        url,
        data={
            "csrf_token": token,
            "date": day,
            "served": [str(a), str(c)],
            "known": [str(a), str(b), str(c)],
        },
        follow_redirects=False,
    )
    assert "removed=1" in untick.headers["location"]
    assert [e for e, _d in _served(kitchen_city)] == [a, c]


def test_a_day_in_the_future_or_older_than_a_week_is_refused_to_the_operator(
    client_of: Client, kitchen_city: KitchenCity
) -> None:
    client, token = client_of("dapur")
    url = f"/kitchens/{kitchen_city.kitchen}/servings"
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    page = client.get(url, params={"date": tomorrow})
    assert page.status_code == 422
    assert texts(page.text, "//ul[@id='serving-errors']/li") == [
        f"Tanggal: {tomorrow} masih di masa depan; porsi dicatat pada hari itu atau "
        f"sesudahnya, paling lambat {TODAY.isoformat()}"
    ]
    old = (TODAY - timedelta(days=8)).isoformat()
    refused = client.post(
        url, data={"csrf_token": token, "date": old, "served": [str(kitchen_city.near[0])]}
    )
    assert refused.status_code == 422
    assert "lebih dari seminggu yang lalu" in text(refused.text, "//ul[@id='serving-errors']/li")
    bad = client.get(url, params={"date": "kemarin"})
    assert bad.status_code == 422
    assert _served(kitchen_city) == []


def test_the_week_shows_each_person_s_days_and_adherence(
    client_of: Client, kitchen_city: KitchenCity
) -> None:
    client, token = client_of("dapur")
    a = kitchen_city.near[0]
    monday = TODAY - timedelta(days=TODAY.weekday())
    days = [d for d in (monday + timedelta(days=i) for i in range(7)) if d <= TODAY]
    for day in days:
        client.post(
            f"/kitchens/{kitchen_city.kitchen}/servings",
            data={"csrf_token": token, "date": day.isoformat(), "served": [str(a)]},
        )
    page = client.get(f"/kitchens/{kitchen_city.kitchen}/week").text
    row = nodes(page, f"//article[@data-episode='{a}']")[0]
    marks = [li.get("class") for li in row.xpath(".//ol[@class='days']/li")]
    assert marks.count("served") == len(days)
    count = " ".join(row.xpath(".//span[@class='week-count']")[0].text_content().split())
    assert count == f"{len(days)} dari 7 hari minggu ini"
    adherence = " ".join(row.xpath(".//span[@class='adherence']")[0].text_content().split())
    expected = (TODAY - START).days + 1
    assert adherence.startswith("kepatuhan ")
    assert adherence.endswith(f"({len(days)} dari {expected} hari)")


def test_the_nutritionist_sees_the_children_of_her_area_and_no_one_else(
    client_of: Client, kitchen_city: KitchenCity
) -> None:
    client, _ = client_of("gizi")
    page = client.get(f"/kitchens/{kitchen_city.kitchen}/servings").text
    shown = {int(v) for v in strings(page, "//input[@name='served']/@value")}
    assert shown == set(kitchen_city.near)
    assert client.get(f"/kitchens/{kitchen_city.far_kitchen}").status_code == 404
    listed = client.get("/api/v1/kitchens").json()["kitchens"]
    assert [k["id"] for k in listed] == [kitchen_city.kitchen]


@pytest.mark.parametrize(("username", "status"), [("analis", 200), ("kader", 403), ("mitra", 403)])
def test_the_kitchen_list_by_role(
    client_of: Client, kitchen_city: KitchenCity, username: str, status: int
) -> None:
    client = TestClient(client_of("dapur")[0].app)  # a fresh client
    token = csrf_of(client.get("/login").text)
    client.post(
        "/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    page = client.get("/kitchens")
    assert page.status_code == status
    assert client.get("/api/v1/kitchens").status_code == status
    if status == 200:
        assert len(texts(page.text, "//table[@id='kitchens']/tbody/tr")) == 2
        assert not texts(page.text, "//a[@id='add-kitchen']")
        assert client.get(f"/kitchens/{kitchen_city.kitchen}/servings").status_code == 403
        assert client.get("/kitchens/new").status_code == 403


def test_an_administrator_adds_and_changes_a_kitchen_on_its_forms(client_of: Client) -> None:
    client, token = client_of("admin")
    form = client.get("/kitchens/new")
    assert form.status_code == 200
    fields = {
        "csrf_token": token,
        "name": "Dapur Sehat Kedaleman",
        "kind": "dashat",
        "kelurahan": "36.72.01.1002",
        "operator": "pokja",
        "contact_phone": "12ab",
        "capacity": "0",
        "weekday": ["1", "3", "5"],
    }
    refused = client.post("/kitchens/new", data=fields)
    assert refused.status_code == 422
    assert texts(refused.text, "//ul[@id='kitchen-errors']/li") == [
        "Telepon narahubung: '12ab' bukan nomor telepon; tulis 8 sampai 15 angka, misalnya "
        "0812 3456 7890",
        "Porsi per hari: 0 di luar rentang yang diterima: 1-2000",
    ]
    kept = strings(refused.text, "//input[@name='weekday'][@checked]/@value")
    assert kept == ["1", "3", "5"]
    added = client.post(
        "/kitchens/new",
        data={**fields, "contact_phone": "0812 1111 2222", "capacity": "25"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = client.get(added.headers["location"]).text
    assert text(page, "//h1") == "Dapur Sehat Kedaleman"
    assert text(page, "//dd[@id='cooking-days']") == "Senin, Rabu, Jumat"
    kitchen_url = added.headers["location"]
    edit = client.get(f"{kitchen_url}/edit").text
    assert strings(edit, "//input[@name='weekday'][@checked]/@value") == ["1", "3", "5"]
    changed = client.post(
        f"{kitchen_url}/edit",
        data={**fields, "contact_phone": "", "capacity": "30", "weekday": ["6", "7"]},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    page = client.get(kitchen_url).text
    assert text(page, "//dd[@id='cooking-days']") == "Sabtu, Minggu"
    assert "tidak aktif" in page  # the active box was not ticked
    funding = client.post(
        f"{kitchen_url}/funding",
        data={
            "csrf_token": token,
            "source": "baznas",
            "amount_rp": "Rp 7.500.000",
            "starts_on": "2024-01-01",
            "ends_on": "2023-12-31",
        },
    )
    assert funding.status_code == 422
    assert texts(funding.text, "//ul[@id='funding-errors']/li") == [
        "Sampai: 2023-12-31 sebelum tanggal mulai; beri tanggal mulai 2024-01-01"
    ]
    funding = client.post(
        f"{kitchen_url}/funding",
        data={
            "csrf_token": token,
            "source": "baznas",
            "amount_rp": "Rp 7.500.000",
            "starts_on": "2024-01-01",
            "ends_on": "2099-12-31",
        },
        follow_redirects=False,
    )
    assert funding.status_code == 303
    page = client.get(kitchen_url).text
    assert texts(page, "//table[@id='funding-lines']/tbody/tr/td[2]") == ["Rp 7.500.000"]


def test_the_api_lists_adds_changes_and_refuses_kitchens(
    client_of: Client, kitchen_city: KitchenCity
) -> None:
    gizi, token = client_of("gizi")
    headers = {"X-CSRF-Token": token}
    body = {
        "name": "Dapur KAMUS Bulakan",
        "kind": "kamus",
        "kelurahan": "Bulakan",
        "operator": "tpk",
        "capacity": 30,
        "weekdays": [1, 3, 5],
    }
    created = gizi.post("/api/v1/kitchens", json=body, headers=headers)
    assert created.status_code == 201, created.text
    kitchen = created.json()
    assert (kitchen["kelurahan_code"], kitchen["weekdays"], kitchen["may_edit"]) == (
        "36.72.01.1003",
        [1, 3, 5],
        True,
    )
    outside = gizi.post(
        "/api/v1/kitchens", json={**body, "kelurahan": FAR_KELURAHAN}, headers=headers
    )
    assert outside.status_code == 422
    [message] = outside.json()["errors"]
    assert message.startswith(f"Kelurahan: '{FAR_KELURAHAN}' bukan kelurahan yang boleh Anda pilih")
    changed = gizi.put(
        f"/api/v1/kitchens/{kitchen['id']}",
        json={**body, "weekdays": "1-5", "active": False},
        headers=headers,
    )
    assert changed.status_code == 200
    assert (changed.json()["weekdays"], changed.json()["active"]) == ([1, 2, 3, 4, 5], False)
    funded = gizi.post(
        f"/api/v1/kitchens/{kitchen['id']}/funding",
        json={
            "source": "apbd",
            "amount_rp": 5000000,
            "starts_on": "2024-01-01",
            "ends_on": "2099-12-31",
        },
        headers=headers,
    )
    assert funded.status_code == 201
    [line] = funded.json()["funding"]
    assert (line["amount_rp"], line["in_force"]) == (5_000_000, True)
    more = gizi.put(
        f"/api/v1/kitchens/{kitchen['id']}/funding/{line['id']}",
        json={
            "source": "apbd",
            "amount_rp": "6.000.000",
            "starts_on": "2024-01-01",
            "ends_on": "2099-12-31",
        },
        headers=headers,
    )
    assert [f["amount_rp"] for f in more.json()["funding"]] == [6_000_000]
    removed = gizi.delete(f"/api/v1/kitchens/{kitchen['id']}/funding/{line['id']}", headers=headers)
    assert removed.json()["funding"] == []
    analyst, analyst_token = client_of("analis")
    refused = analyst.put(
        f"/api/v1/kitchens/{kitchen['id']}", json=body, headers={"X-CSRF-Token": analyst_token}
    )
    assert refused.status_code == 403
    assert gizi.get(f"/api/v1/kitchens/{kitchen_city.far_kitchen}").status_code == 404
    with kitchen_city.engine.connect() as connection:
        a = table_of(AuditEntry)
        kinds = connection.execute(
            select(a.c.entity, a.c.action)
            .where(
                a.c.entity.in_(["kitchen", "kitchen_funding"]),
                a.c.entity_id.in_([kitchen["id"], line["id"]]),
            )
            .order_by(a.c.id)
        ).all()
    assert [tuple(k) for k in kinds][-5:] == [
        ("kitchen", "create"),
        ("kitchen", "update"),
        ("kitchen_funding", "create"),
        ("kitchen_funding", "update"),
        ("kitchen_funding", "delete"),
    ]


def test_the_api_tick_list_saves_and_refuses_a_second_serving_with_409(
    client_of: Client, kitchen_city: KitchenCity
) -> None:
    client, token = client_of("dapur")
    url = f"/api/v1/kitchens/{kitchen_city.kitchen}/servings"
    day = client.get(url).json()
    assert day["date"] == TODAY.isoformat()
    assert {p["episode_id"] for p in day["people"]} == {*kitchen_city.near, kitchen_city.far}
    person = day["people"][0]
    assert set(person) == {
        "episode_id",
        "name",
        "mother_initials",
        "is_child",
        "age_months",
        "posyandu_name",
        "kelurahan_name",
        "served",
    }
    a = kitchen_city.near[0]
    saved = client.put(url, json={"served": [a]}, headers={"X-CSRF-Token": token})
    assert saved.status_code == 200
    assert (saved.json()["added"], saved.json()["day"]["served"]) == (1, 1)
    again = client.put(url, json={"served": [a]}, headers={"X-CSRF-Token": token})
    assert again.status_code == 409
    assert again.json()["errors"][0].startswith(
        f"{kitchen_city.names[a]}: porsi pada {TODAY.isoformat()} sudah tercatat"
    )
    other = client.put(
        url, json={"served": [kitchen_city.elsewhere]}, headers={"X-CSRF-Token": token}
    )
    assert other.status_code == 422
    assert other.json()["errors"] == [
        f"Penerima: nomor {kitchen_city.elsewhere} tidak menerima PMT di dapur ini; muat ulang "
        "daftar lalu centang lagi"
    ]
    future = client.put(
        url,
        params={"date": (TODAY + timedelta(days=1)).isoformat()},
        json={"served": [a]},
        headers={"X-CSRF-Token": token},
    )
    assert future.status_code == 422
    assert _served(kitchen_city) == [(a, TODAY)]


def test_two_phones_saving_the_same_tick_at_once_record_one_serving(
    client_of: Client, kitchen_city: KitchenCity
) -> None:
    phones = [client_of("dapur") for _ in range(3)]
    url = f"/api/v1/kitchens/{kitchen_city.kitchen}/servings"
    b = kitchen_city.near[1]

    def save(phone: tuple[TestClient, str]) -> int:
        client, token = phone
        answer = client.put(url, json={"served": [b]}, headers={"X-CSRF-Token": token})
        return int(answer.status_code)

    with ThreadPoolExecutor(len(phones)) as pool:
        statuses = sorted(pool.map(save, phones))
    assert statuses == [200, 409, 409]
    assert _served(kitchen_city) == [(b, TODAY)]


def test_the_monthly_report_downloads_as_a_workbook(
    client_of: Client, kitchen_city: KitchenCity
) -> None:
    dapur, token = client_of("dapur")
    dapur.put(
        f"/api/v1/kitchens/{kitchen_city.kitchen}/servings",
        json={"served": list(kitchen_city.near)},
        headers={"X-CSRF-Token": token},
    )
    client, _ = client_of("gizi")
    month = f"{TODAY:%Y-%m}"
    answer = client.get("/kitchens/report", params={"month": month})
    assert answer.status_code == 200
    assert (
        answer.headers["content-disposition"]
        == f'attachment; filename="laporan-pmt-dapur-{month}.xlsx"'
    )
    book = load_workbook(io.BytesIO(answer.content))
    rows = list(book["Dapur"].iter_rows(values_only=True))
    header = rows[0]
    cibeber = dict(
        zip(header, next(r for r in rows if r[0] == "Dapur Umum PKK Cibeber"), strict=True)
    )
    assert cibeber["Porsi diberikan"] == 3
    assert cibeber["Anak diberi makan"] == 3
    assert all(r[0] != "Dapur Jauh" for r in rows)  # outside her area
    assert client.get("/kitchens/report", params={"month": "2024-13"}).status_code == 422


def test_an_administrator_adds_a_kitchen_operator_account(
    client_of: Client, kitchen_city: KitchenCity
) -> None:
    client, token = client_of("admin")
    form = client.get("/users/new").text
    assert "Dapur Umum PKK Cibeber, Cibeber" in texts(form, "//select[@id='kitchen_id']/option")
    fields = {
        "csrf_token": token,
        "username": "dapur-baru",
        "full_name": "Petugas Baru",
        "role": "kitchen",
        "language": "id",
        "password": "panjang-sekali",
    }
    refused = client.post("/users/new", data=fields)
    assert refused.status_code == 422
    assert "Dapur: petugas dapur bekerja di satu dapur; pilih dapurnya" in texts(
        refused.text, "//ul[@class='errors']/li"
    )
    created = client.post(
        "/users/new",
        data={**fields, "kitchen_id": str(kitchen_city.kitchen)},
        follow_redirects=False,
    )
    assert created.status_code == 303
    users = client.get("/users").text
    assert (
        text(users, "//tr[@data-user='dapur-baru']/td[4]")
        == "Dapur Dapur Umum PKK Cibeber, Cibeber"
    )
    with kitchen_city.engine.connect() as connection:
        a = table_of(AuditEntry)
        after = connection.execute(
            select(a.c.after).where(a.c.entity == "user").order_by(a.c.id.desc()).limit(1)
        ).scalar_one()
    assert json.loads(after)["kitchen_id"] == kitchen_city.kitchen
    with kitchen_city.engine.connect() as connection:
        s = table_of(PmtServing)
        assert connection.execute(select(func.count()).select_from(s)).scalar_one() == 0
