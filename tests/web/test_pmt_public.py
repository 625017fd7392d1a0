"""The public page of PMT lokal: no sign-in, totals only, counts of 1 to 4 people
withheld, no child's name (docs/pmt.md, "The public page"). The small demo city has its
own kitchens; the test adds two kitchens in kelurahan that have none and reads what
changed."""

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.db.kitchen_helpers import add_episode, add_kitchen, add_servings
from tests.web.conftest import build_city, settings_for, text, texts
from tumbuh.db.models import Child, Posyandu, table_of
from tumbuh.db.models_pmt import Kitchen
from tumbuh.growth.pmt import EpisodeExit
from tumbuh.web.app import create_app

START = date(2024, 8, 5)
FEWER = "kurang dari 5"


@pytest.fixture
def city(backend: str, new_database_url: Callable[[str], str]) -> Iterator[tuple[str, Engine]]:
    url = new_database_url(backend)
    built = build_city(url)
    yield url, built.engine
    built.engine.dispose()


def _add(engine: Engine) -> tuple[list[str], list[str]]:
    """Two kitchens in two kelurahan without one: six fed in the first (five ended as
    recovered, 10 servings each), two in the second; the kelurahan names and children's."""
    c, p, k = table_of(Child), table_of(Posyandu), table_of(Kitchen)
    with engine.begin() as connection:
        taken = set(connection.execute(select(k.c.kelurahan_code)).scalars())
        rows = connection.execute(
            select(c.c.id, c.c.name, p.c.kelurahan_code)
            .join(p, p.c.id == c.c.posyandu_id)
            .where(p.c.kelurahan_code.not_in(sorted(taken)))
            .order_by(p.c.kelurahan_code, c.c.id)
        ).all()
        places = sorted({r.kelurahan_code for r in rows})[:2]
        first = [r for r in rows if r.kelurahan_code == places[0]][:6]
        second = [r for r in rows if r.kelurahan_code == places[1]][:2]
        kitchen = add_kitchen(connection, places[0], "Dapur Uji Satu", weekdays=127)
        other = add_kitchen(connection, places[1], "Dapur Uji Dua")
        for i, r in enumerate(first):
            ended = None if i == 0 else START + timedelta(days=20)
            exit_ = None if i == 0 else EpisodeExit.RECOVERED
            episode = add_episode(
                connection, kitchen, child_id=r.id, started_on=START, ended_on=ended, exit_=exit_
            )
            add_servings(connection, episode, [START + timedelta(days=d) for d in range(10)])
        for r in second:
            add_episode(connection, other, child_id=r.id, started_on=START)
    return places, [str(r.name) for r in (*first, *second)]


def _number(value: str) -> int:
    return 0 if value == FEWER else int(value.replace(".", ""))


def _figures(html: str) -> dict[str, int]:
    return {k: _number(text(html, f"//span[@id='{k}']")) for k in ("kitchens", "servings")}


def _august(html: str) -> list[int]:
    cells = [
        texts(html, f"//table[@id='months']//tr[td][{i}]/td")
        for i in range(1, 1 + len(texts(html, "//table[@id='months']//tr[td]/td[1]")))
    ]
    [august] = [c for c in cells if c[0].startswith(("Agu", "Aug")) and "2024" in c[0]]
    return [_number(v) for v in august[1:]]


def test_the_public_page_needs_no_sign_in_and_shows_totals_only(
    city: tuple[str, Engine],
) -> None:
    url, engine = city
    client = TestClient(create_app(settings_for(url)))
    before = client.get("/public/pmt").text
    places, names = _add(engine)
    page = client.get("/public/pmt")
    assert page.status_code == 200
    html = page.text
    after, was = _figures(html), _figures(before)
    assert (after["kitchens"] - was["kitchens"], after["servings"] - was["servings"]) == (2, 60)
    servings, _served, started = (
        a - b for a, b in zip(_august(html), _august(before), strict=True)
    )
    assert (servings, started) == (60, 8)
    rows = dict(
        zip(
            texts(html, "//table[@id='kelurahan']//td[1]"),
            texts(html, "//table[@id='kelurahan']//td[3]"),
            strict=True,
        )
    )
    shown = [
        v for k, v in rows.items() if k not in texts(before, "//table[@id='kelurahan']//td[1]")
    ]
    assert sorted(shown) == ["6", FEWER]  # six fed, and two withheld
    for name in names:
        assert name not in html
    assert len(places) == 2


def test_the_public_page_reads_in_english_too(city: tuple[str, Engine]) -> None:
    url, _ = city
    app = create_app(settings_for(url).model_copy(update={"language": "en"}))
    html = TestClient(app).get("/public/pmt").text
    assert "Children and pregnant women fed" in html
