"""The public page of PMT lokal: no sign-in, totals only, counts of 1 to 4 people
withheld, no child's name (docs/pmt.md, "The public page")."""

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.db.kitchen_helpers import add_episode, add_kitchen, add_servings
from tests.web.conftest import build_city, settings_for, text, texts
from tumbuh.db.models import Child, Posyandu, table_of
from tumbuh.growth.pmt import EpisodeExit
from tumbuh.web.app import create_app

CIBEBER = "36.72.01.1001"
OTHER = "36.72.05.1001"
START = date(2024, 8, 5)


@pytest.fixture
def public_app(
    backend: str,
    new_database_url: Callable[[str], str],
) -> Iterator[tuple[str, list[str]]]:
    url = new_database_url(backend)
    city = build_city(url)
    c, p = table_of(Child), table_of(Posyandu)
    with city.engine.begin() as connection:
        rows = connection.execute(
            select(c.c.id, c.c.name, p.c.kelurahan_code)
            .join(p, p.c.id == c.c.posyandu_id)
            .where(p.c.kelurahan_code.in_([CIBEBER, OTHER]))
            .order_by(c.c.id)
        ).all()
        near = [r for r in rows if r.kelurahan_code == CIBEBER][:6]
        far = [r for r in rows if r.kelurahan_code == OTHER][:2]
        kitchen = add_kitchen(connection, CIBEBER, "Dapur Umum PKK Cibeber", weekdays=127)
        far_kitchen = add_kitchen(connection, OTHER, "Dapur Jauh")
        for i, r in enumerate(near):  # six fed in Cibeber: five ended, one still fed
            ended = None if i == 0 else START + timedelta(days=20)
            exit_ = None if i == 0 else EpisodeExit.RECOVERED
            episode = add_episode(
                connection, kitchen, child_id=r.id, started_on=START, ended_on=ended, exit_=exit_
            )
            add_servings(connection, episode, [START + timedelta(days=d) for d in range(10)])
        for r in far:  # two elsewhere: too few to publish
            add_episode(connection, far_kitchen, child_id=r.id, started_on=START)
    yield url, [str(r.name) for r in (*near, *far)]
    city.engine.dispose()


def test_the_public_page_needs_no_sign_in_and_shows_totals_only(
    public_app: tuple[str, list[str]],
) -> None:
    url, names = public_app
    page = TestClient(create_app(settings_for(url))).get("/public/pmt")
    assert page.status_code == 200
    html = page.text
    assert text(html, "//span[@id='kitchens']") == "2"
    assert text(html, "//span[@id='people']") == "8"
    assert text(html, "//span[@id='servings']") == "60"
    assert text(html, "//span[@id='still-fed']") == "kurang dari 5"  # 3 still fed
    assert texts(html, "//table[@id='exits']//tr[td][1]/td[2]") == ["5"]
    places = dict(
        zip(
            texts(html, "//table[@id='kelurahan']//td[1]"),
            texts(html, "//table[@id='kelurahan']//td[3]"),
            strict=True,
        )
    )
    assert places == {"Cibeber": "6", "Sukmajaya": "kurang dari 5"}
    august = texts(html, "//table[@id='months']//tr[td]/td")
    assert august[1:] == ["60", "6", "8"]  # servings, people served, feeding started
    for name in names:
        assert name not in html


def test_the_public_page_reads_in_english_too(public_app: tuple[str, list[str]]) -> None:
    url, _ = public_app
    app = create_app(settings_for(url).model_copy(update={"language": "en"}))
    html = TestClient(app).get("/public/pmt").text
    assert "Children and pregnant women fed" in html
