"""A posyandu's lists of children: its session page only inside the user's area (404
like any other out-of-area request, before anything of it is shown), and its children
list a page at a time, every child once; the referral list's API a page at a time."""

import pytest
from sqlalchemy import func, select

from tests.web.conftest import City, SignedIn, nodes, strings, text
from tumbuh.db.models import Child, Posyandu, table_of


def posyandu_name(city: City, posyandu_id: int) -> str:
    p = table_of(Posyandu)
    with city.engine.connect() as connection:
        return str(connection.execute(select(p.c.name).where(p.c.id == posyandu_id)).scalar_one())


def other_posyandu(city: City) -> int:
    c = table_of(Child)
    with city.engine.connect() as connection:
        found = connection.execute(select(c.c.posyandu_id).where(c.c.id == city.other_child))
        return int(found.scalar_one())


@pytest.mark.parametrize("username", ["kader", "gizi"])
def test_another_posyandus_session_page_is_not_found_like_a_missing_one(
    city: City, signed_in: SignedIn, username: str
) -> None:
    client, _ = signed_in(username)
    other = other_posyandu(city)
    outside = client.get(f"/posyandu/{other}/bulan-timbang/2024-08")
    missing = client.get("/posyandu/2000000000/bulan-timbang/2024-08")
    assert outside.status_code == missing.status_code == 404
    assert text(outside.text, "//h1") == "Tidak ditemukan"
    assert outside.text == missing.text
    assert posyandu_name(city, other) not in outside.text
    own = client.get(f"/posyandu/{city.kader_posyandu}/bulan-timbang/2024-08")
    assert own.status_code == 200  # the kader's posyandu lies in both users' areas


def children_in_order(city: City, posyandu_id: int) -> list[int]:
    c = table_of(Child)
    with city.engine.connect() as connection:
        query = select(c.c.id).where(c.c.posyandu_id == posyandu_id).order_by(c.c.name, c.c.id)
        return [int(i) for i in connection.execute(query).scalars()]


def largest_posyandu(city: City) -> int:
    c = table_of(Child)
    with city.engine.connect() as connection:
        query = (
            select(c.c.posyandu_id)
            .where(c.c.posyandu_id.is_not(None))
            .group_by(c.c.posyandu_id)
            .order_by(func.count().desc(), c.c.posyandu_id)
            .limit(1)
        )
        return int(connection.execute(query).scalar_one())


def listed(page: str) -> list[int]:
    hrefs = strings(page, "//table[@id='children']/tbody/tr/td[1]/a/@href")
    return [int(h.rsplit("/", 1)[1]) for h in hrefs]


def test_a_posyandus_children_come_fifty_to_a_page_each_once(
    city: City, signed_in: SignedIn
) -> None:
    client, _ = signed_in("admin")
    posyandu = largest_posyandu(city)
    expected = children_in_order(city, posyandu)
    total, pages = len(expected), -(-len(expected) // 50)
    assert pages >= 3  # the largest posyandu of the demo city has about 130 children
    url = f"/posyandu/{posyandu}"
    shown = [client.get(url if n == 1 else f"{url}?page={n}").text for n in range(1, pages + 1)]
    assert [listed(page) for page in shown] == [
        expected[start : start + 50] for start in range(0, total, 50)
    ]
    assert text(shown[0], "//p[@id='children-shown']") == (
        f"Anak ke-1 sampai 50 dari {total}, urut nama."
    )
    assert text(shown[-1], "//p[@id='children-shown']") == (
        f"Anak ke-{(pages - 1) * 50 + 1} sampai {total} dari {total}, urut nama."
    )
    assert [a.text_content().strip() for a in nodes(shown[0], "//nav[@id='pages']/a")][-1] == (
        "Berikutnya ›"
    )
    assert strings(shown[0], "//nav[@id='pages']/a/@href")[-1] == "?page=2#children-heading"
    last = strings(shown[-1], "//nav[@id='pages']/*[@aria-current='page']/text()")
    assert last == [str(pages)]
    assert client.get(f"{url}?page={pages + 5}").text == shown[-1]  # past the last: the last
    assert client.get(url + "?page=0").status_code == 422


def test_the_referral_api_returns_the_children_a_page_at_a_time(signed_in: SignedIn) -> None:
    client, _ = signed_in("admin")
    whole = client.get("/api/v1/referrals?limit=1000").json()
    everyone = [c["child_id"] for c in whole["children"]]
    assert whole["children_total"] == len(everyone) > 10
    parts = [
        client.get(f"/api/v1/referrals?limit=7&offset={start}").json()
        for start in range(0, len(everyone), 7)
    ]
    assert [c["child_id"] for part in parts for c in part["children"]] == everyone
    assert all(len(part["children"]) <= 7 for part in parts)
    assert client.get("/api/v1/referrals?limit=1001").status_code == 422
    default = client.get("/api/v1/referrals").json()
    assert len(default["children"]) == min(500, len(everyone))
