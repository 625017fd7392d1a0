"""The work lists as home pages: the kader's session of her posyandu (children due, not
yet weighed, on each list, with open cases), the nutritionist's cases with the new ones
since her last visit, and the statistics one click away; analyst and partner keep the
statistics home.

The cases are opened on a city of this module's own (the shared test city stays without
cases, so no other test sees them)."""

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.web.conftest import City, build_city_with_cases, settings_for, sign_in, strings, text
from tumbuh.db.cases import insert_case
from tumbuh.db.models import Child, Posyandu, table_of
from tumbuh.growth.ages import BALITA_MONTHS
from tumbuh.growth.cases import Problem
from tumbuh.usecases import cases
from tumbuh.web.app import create_app

SECTIONS = ("not_weighed", "remeasure", "counsel", "refer", "with_cases")


@pytest.fixture(scope="module")
def _cities() -> Iterator[dict[str, City]]:
    cities: dict[str, City] = {}
    yield cities
    for city in cities.values():
        city.engine.dispose()


@pytest.fixture
def work_city(
    backend: str,
    _cities: dict[str, City],
    new_database_url: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> City:
    """The small demo city with the cases of its latest month opened."""
    if backend not in _cities:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('workcity') / 'city.sqlite'}"
        else:
            url = new_database_url(backend)
        city, _ = build_city_with_cases(url)
        _cities[backend] = city
    return _cities[backend]


@pytest.fixture
def client_of(work_city: City, tmp_path: Path) -> Callable[[str], tuple[TestClient, str]]:
    app: FastAPI = create_app(settings_for(work_city.url, tmp_path / "r"), engine=work_city.engine)

    def make(username: str) -> tuple[TestClient, str]:
        client = TestClient(app)
        return client, sign_in(client, username)

    return make


def _session(client: TestClient, **params: str) -> dict[str, Any]:
    answer = client.get("/api/v1/work-list", params=params)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()["session"]
    return found


def _ids(session: dict[str, Any], section: str) -> set[int]:
    return {int(c["child_id"]) for c in session[section]}


def _months_old(birth: date, month: date) -> int:
    return (month.year - birth.year) * 12 + month.month - birth.month


def test_the_kader_lands_on_her_sessions_work_list_with_the_statistics_one_click_away(
    client_of: Callable[[str], tuple[TestClient, str]], work_city: City
) -> None:
    client, _ = client_of("kader")
    home = client.get("/")
    assert home.status_code == 200
    assert text(home.text, "//h1") == "Daftar kerja"
    assert text(home.text, "//a[@id='statistics-link']") == "Statistik kota"
    statistics = client.get("/statistics", follow_redirects=False)
    assert statistics.headers["location"] == f"/posyandu/{work_city.kader_posyandu}"
    session = _session(client)
    assert session["posyandu_id"] == work_city.kader_posyandu
    label = session["month"]
    assert text(home.text, "//p[@id='session']").startswith("Posyandu ")
    query = f"posyandu={work_city.kader_posyandu}&month={label}"
    links = strings(home.text, "//section//a/@href")
    for path in ("/remeasure-list", "/counselling-list", "/referral-list"):
        assert f"{path}?{query}" in links
    assert "/cases" in links
    children = strings(home.text, "//section[@id='not-weighed']//td/a/@href")
    assert children == [f"/children/{c['child_id']}" for c in session["not_weighed"]]


def test_the_kader_sees_only_her_posyandus_children_under_five(
    client_of: Callable[[str], tuple[TestClient, str]], work_city: City
) -> None:
    client, _ = client_of("kader")
    session = _session(client)
    month = date.fromisoformat(session["month"] + "-01")
    listed = set().union(*(_ids(session, s) for s in SECTIONS))
    c = table_of(Child)
    with work_city.engine.connect() as connection:
        rows = connection.execute(
            select(c.c.id, c.c.posyandu_id, c.c.birth_date).where(c.c.id.in_(sorted(listed)))
        ).all()
        here = connection.execute(
            select(c.c.id, c.c.birth_date).where(c.c.posyandu_id == work_city.kader_posyandu)
        ).all()
    assert rows
    assert {r.posyandu_id for r in rows} == {work_city.kader_posyandu}
    assert all(_months_old(r.birth_date, month) < BALITA_MONTHS for r in rows)
    aged_out = {r.id for r in here if _months_old(r.birth_date, month) >= BALITA_MONTHS}
    assert aged_out  # the demo posyandu has children of five and older: none is listed
    assert not aged_out & listed
    due = {r.id for r in here if 0 <= _months_old(r.birth_date, month) < BALITA_MONTHS}
    assert session["children_due"] == len(due)


def test_a_child_weighed_this_month_leaves_not_yet_weighed_for_its_list(
    client_of: Callable[[str], tuple[TestClient, str]], work_city: City
) -> None:
    client, token = client_of("kader")
    session = _session(client)
    month = date.fromisoformat(session["month"] + "-01")
    child = next(c for c in session["not_weighed"] if 12 <= c["age_months"] < 48)
    day = min(month + timedelta(days=20), date.today())
    added = client.post(
        f"/api/v1/children/{child['child_id']}/measurements",
        json={
            "measured_on": day.isoformat(),
            "weight_kg": 60.0,
            "height_cm": 85.0,
            "position": "h",
        },
        headers={"X-CSRF-Token": token},
    )
    assert added.status_code == 201, added.text
    after = _session(client, month=session["month"])
    assert child["child_id"] not in _ids(after, "not_weighed")
    assert child["child_id"] in _ids(after, "remeasure")  # 60 kg: WHO-flagged, periksa ulang
    assert after["weighed"] == session["weighed"] + 1
    page = client.get("/work-list", params={"month": session["month"]}).text
    assert f"/children/{child['child_id']}" in strings(page, "//section[@id='remeasure']//a/@href")


def test_an_open_case_with_an_overdue_follow_up_is_flagged(
    client_of: Callable[[str], tuple[TestClient, str]],
) -> None:
    client, _ = client_of("kader")
    session = _session(client)
    overdue = [
        case for c in session["with_cases"] for case in c["cases"] if case["overdue"]
    ]  # the demo's cases are of 2024: every follow-up is past
    assert overdue
    assert session["overdue"] == len(overdue)
    page = client.get("/").text
    row = f"//section[@id='cases']//tr[@data-case='{overdue[0]['id']}']"
    assert strings(page, f"{row}/@class") == ["overdue"]
    assert "terlambat" in text(page, row)
    assert f"/cases/{overdue[0]['id']}" in strings(page, f"{row}//a/@href")


def test_the_nutritionist_sees_new_referrals_since_her_last_visit_only_once(
    client_of: Callable[[str], tuple[TestClient, str]], work_city: City
) -> None:
    client, _ = client_of("gizi")
    first = client.get("/api/v1/work-list").json()["cases"]
    assert first["last_visit"] is None
    assert first["new"]["total"] == first["open_cases"]["total"] > 0
    severities = [c["severity"] for c in first["open_cases"]["cases"]]
    assert severities == sorted(severities)
    assert first["overdue"]["total"] > 0
    child = first["open_cases"]["cases"][0]["child_id"]
    case_id = _new_case(work_city, child)
    home = client.get("/")
    assert text(home.text, "//h1") == "Daftar kerja"
    assert strings(home.text, "//table[@id='new-cases']//tr/@data-case") == [str(case_id)]
    again = client.get("/api/v1/work-list").json()["cases"]
    assert again["new"]["total"] == 0
    assert again["last_visit"] is not None


def _new_case(city: City, child_id: int) -> int:
    """A case opened now for ``child_id``, of a problem it has no open case of."""
    with city.engine.connect() as connection:
        taken = cases.open_problems(connection, [child_id]).get(child_id, set())
        problem = next(p for p in Problem if p not in taken)
        now = datetime.now(UTC)
        found = insert_case(
            connection,
            {
                "child_id": child_id,
                "problem": problem.value,
                "status": "perlu_dirujuk",
                "opened_on": now.date(),
                "opened_month": now.date().replace(day=1),
                "reasons": "TWO_T",
                "severity": 6,
                "next_due_on": now.date() + timedelta(days=7),
                "created_at": now,
                "updated_at": now,
            },
        )
        connection.commit()
    return int(found)


def test_analyst_and_partner_keep_the_statistics_home(
    client_of: Callable[[str], tuple[TestClient, str]],
) -> None:
    for username in ("analis", "mitra"):
        client, _ = client_of(username)
        home = client.get("/", follow_redirects=False)
        assert (home.status_code, home.headers["location"]) == (303, "/areas/36.72")
        assert client.get("/work-list").status_code == 403
        assert client.get("/api/v1/work-list").status_code == 403


def test_an_administrator_opens_the_work_list_of_a_posyandu_or_a_puskesmas(
    client_of: Callable[[str], tuple[TestClient, str]], work_city: City
) -> None:
    client, _ = client_of("admin")
    home = client.get("/", follow_redirects=False)
    assert home.headers["location"] == "/areas/36.72"
    chooser = client.get("/work-list")
    assert chooser.status_code == 200
    assert text(chooser.text, "//p[@id='choose']").startswith("Pilih posyandu")
    session = _session(client, posyandu=str(work_city.kader_posyandu))
    assert session["posyandu_id"] == work_city.kader_posyandu
    p = table_of(Posyandu)
    with work_city.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(p)).scalar_one() > 1
    puskesmas = strings(chooser.text, "//select[@id='choose-puskesmas']/option/@value")[1]
    answer = client.get("/api/v1/work-list", params={"puskesmas": puskesmas}).json()
    assert answer["cases"]["open_cases"]["total"] >= 0
    assert client.get("/work-list", params={"puskesmas": "999999"}).status_code == 404
