"""The case register, a case's page and the API: kader refers, the nutritionist answers,
the kader reads the rujukan balik; other areas get 404, figure roles counts only.

The cases are opened on a city of this module's own (the shared test city stays without
cases, so no other test sees them)."""

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection

from tests.web.conftest import City, build_city_with_cases, settings_for, sign_in, text, texts
from tumbuh.db.cases import insert_case
from tumbuh.growth.cases import CaseStatus, Problem
from tumbuh.usecases import cases
from tumbuh.web.app import create_app


@pytest.fixture(scope="module")
def _case_cities() -> Iterator[dict[str, City]]:
    cities: dict[str, City] = {}
    yield cities
    for city in cities.values():
        city.engine.dispose()


@pytest.fixture
def case_city(
    backend: str,
    _case_cities: dict[str, City],
    new_database_url: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> City:
    """The small demo city with the cases of its latest month opened."""
    if backend not in _case_cities:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('casecity') / 'city.sqlite'}"
        else:
            url = new_database_url(backend)
        city, last = build_city_with_cases(url)
        with city.engine.connect() as connection:
            _fresh_case(connection, city.own_child, last)
        _case_cities[backend] = city
    return _case_cities[backend]


def _fresh_case(connection: Connection, child_id: int, day: date) -> None:
    """A case still to refer for the kader's own child (the demo walked its cases on)."""
    taken = cases.open_problems(connection, [child_id]).get(child_id, set())
    problem = next(p for p in Problem if p not in taken)
    now = datetime.now(UTC)
    insert_case(
        connection,
        {
            "child_id": child_id,
            "problem": problem.value,
            "status": "perlu_dirujuk",
            "opened_on": day,
            "opened_month": day.replace(day=1),
            "reasons": "TWO_T",
            "severity": 6,
            "next_due_on": day,
            "created_at": now,
            "updated_at": now,
        },
    )
    connection.commit()


@pytest.fixture
def client_of(case_city: City, tmp_path: Path) -> Callable[[str], tuple[TestClient, str]]:
    app: FastAPI = create_app(settings_for(case_city.url, tmp_path / "r"), engine=case_city.engine)

    def make(username: str) -> tuple[TestClient, str]:
        client = TestClient(app)
        return client, sign_in(client, username)

    return make


def _a_case_of_the_kader(client: TestClient) -> int:
    listed = client.get("/api/v1/cases", params={"status": "perlu_dirujuk"}).json()
    assert listed["total"] > 0
    return int(listed["cases"][0]["id"])


def test_the_register_lists_the_kaders_cases_most_severe_first(
    client_of: Callable[[str], tuple[TestClient, str]],
) -> None:
    client, _ = client_of("kader")
    page = client.get("/cases")
    assert page.status_code == 200
    assert text(page.text, "//h1") == "Kasus"
    assert "kasus terbuka" in text(page.text, "//p[@id='case-counts']")
    listed = client.get("/api/v1/cases").json()
    severities = [c["severity"] for c in listed["cases"]]
    assert severities == sorted(severities)
    assert len(texts(page.text, "//table[@id='cases']/tbody/tr[@data-case]")) == len(
        listed["cases"]
    )


def test_kader_refers_nutritionist_answers_kader_reads_the_answer(
    client_of: Callable[[str], tuple[TestClient, str]],
) -> None:
    kader, kader_token = client_of("kader")
    case_id = _a_case_of_the_kader(kader)
    today = date.today().isoformat()
    referred = kader.post(
        f"/cases/{case_id}/steps",
        data={
            "status": "dirujuk",
            "on": today,
            "referred_to": "Puskesmas Cibeber",
            "csrf_token": kader_token,
        },
        follow_redirects=False,
    )
    assert referred.status_code == 303
    # The kader does not record the examination: 403, nothing written.
    refused = kader.post(
        f"/api/v1/cases/{case_id}/steps",
        json={"status": "diperiksa", "on": today, "diagnosis_confirmed": True},
        headers={"X-CSRF-Token": kader_token},
    )
    assert refused.status_code == 403
    gizi, gizi_token = client_of("gizi")
    bad = gizi.post(
        f"/api/v1/cases/{case_id}/steps",
        json={"status": "diperiksa", "on": "17-08-2024"},
        headers={"X-CSRF-Token": gizi_token},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        "Tanggal: '17-08-2024' bukan tanggal; tulis sebagai YYYY-MM-DD, misalnya 2024-08-17"
    ]
    answered = gizi.post(
        f"/api/v1/cases/{case_id}/steps",
        json={
            "status": "diperiksa",
            "on": today,
            "diagnosis_confirmed": True,
            "given": "Obat cacing",
        },
        headers={"X-CSRF-Token": gizi_token},
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == CaseStatus.DIPERIKSA.value
    page = kader.get(f"/cases/{case_id}")
    assert page.status_code == 200
    answer = text(page.text, "//section[@id='rujukan-balik']")
    assert "diagnosis dipastikan" in answer
    assert "Yang diberikan puskesmas: Obat cacing" in answer
    assert text(page.text, "//dd[@id='case-status']") == "Diperiksa"
    assert not texts(page.text, "//form[@id='step-form']")  # no step for the kader now


def test_a_refused_form_step_says_which_field_and_what_is_accepted(
    client_of: Callable[[str], tuple[TestClient, str]],
) -> None:
    client, token = client_of("admin")
    case_id = _a_case_of_the_kader(client)
    page = client.post(
        f"/cases/{case_id}/steps",
        data={"status": "dirujuk", "on": date.today().isoformat(), "csrf_token": token},
    )
    assert page.status_code == 422
    assert texts(page.text, "//ul[@id='step-errors']/li") == [
        "Dirujuk ke: langkah ini perlu diisi; yang diterima: puskesmas"
    ]


def test_cases_outside_the_kaders_posyandu_are_not_found(
    client_of: Callable[[str], tuple[TestClient, str]],
) -> None:
    admin, _ = client_of("admin")
    everything = admin.get("/api/v1/cases").json()["cases"]
    kader, _ = client_of("kader")
    hers = {c["id"] for c in kader.get("/api/v1/cases").json()["cases"]}
    outside = next(c["id"] for c in everything if c["id"] not in hers)
    assert kader.get(f"/cases/{outside}").status_code == 404
    assert kader.get(f"/api/v1/cases/{outside}").status_code == 404


@pytest.mark.parametrize("username", ["analis", "mitra"])
def test_figure_roles_see_counts_and_no_child(
    client_of: Callable[[str], tuple[TestClient, str]], username: str
) -> None:
    client, _ = client_of(username)
    page = client.get("/cases")
    assert page.status_code == 200
    assert texts(page.text, "//table[@id='case-count-table']")
    assert not texts(page.text, "//table[@id='cases']")
    assert client.get("/api/v1/cases").status_code == 404


def test_the_child_page_links_its_open_cases(
    client_of: Callable[[str], tuple[TestClient, str]],
) -> None:
    client, _ = client_of("kader")
    case = client.get("/api/v1/cases").json()["cases"][0]
    page = client.get(f"/children/{case['child_id']}")
    assert page.status_code == 200
    links = page.text.count(f'href="/cases/{case["id"]}"')
    assert links == 1
    assert text(page.text, "//section[@id='open-cases']/h2") == "Kasus terbuka"
