"""Finding a child by name, mother's name or whole NIK, only inside the user's area, on
the page and through the API; the query travels in the request body, never the URL."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, or_, select

from tests.web.conftest import City, SignedIn, nodes, text, texts
from tumbuh.db.models import Child, Mother, table_of


def child_name(city: City, child_id: int) -> str:
    c = table_of(Child)
    with city.engine.connect() as connection:
        return str(connection.execute(select(c.c.name).where(c.c.id == child_id)).scalar_one())


def search(client: TestClient, token: str, query: str) -> tuple[int, str]:
    response = client.post("/children", data={"q": query, "csrf_token": token})
    return response.status_code, response.text


def found_ids(page: str) -> list[int]:
    links = nodes(page, "//table[@id='results']//td[1]/a")
    return [int(str(a.get("href")).rsplit("/", 1)[1]) for a in links]


def register(client: TestClient, token: str, posyandu: int, name: str, nik: str) -> int:
    data = {"name": name, "nik": nik, "sex": "male", "birth_date": "2024-05-01"}
    response = client.post(
        f"/posyandu/{posyandu}/children/new",
        data={**data, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_the_menu_links_to_the_search_for_roles_that_see_children(signed_in: SignedIn) -> None:
    for username, shown in (("kader", True), ("gizi", True), ("admin", True), ("analis", False)):
        client, _ = signed_in(username)
        menu = nodes(client.get("/reports").text, "//nav[@class='menu']/a[@href='/children']")
        assert bool(menu) is shown, username


def test_a_kader_finds_her_child_by_part_of_its_name_in_any_case(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    name = child_name(city, city.own_child)
    part = name.split()[0][:4].upper()
    status, page = search(client, token, part)
    assert status == 200
    assert city.own_child in found_ids(page)
    assert nodes(page, "//input[@id='q']")[0].get("value") == part


def test_a_kader_does_not_find_another_posyandus_child_that_an_admin_finds(
    city: City, signed_in: SignedIn
) -> None:
    name = child_name(city, city.other_child)
    kader, kader_token = signed_in("kader")
    admin, admin_token = signed_in("admin")
    assert city.other_child not in found_ids(search(kader, kader_token, name)[1])
    assert city.other_child in found_ids(search(admin, admin_token, name)[1])


def test_every_child_found_lies_in_the_kaders_posyandu(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    c = table_of(Child)
    _, page = search(client, token, "an")  # too short: refused
    assert not found_ids(page)
    _, page = search(client, token, child_name(city, city.own_child).split()[0][:3])
    ids = found_ids(page)
    assert ids
    with city.engine.connect() as connection:
        posyandu = set(connection.execute(select(c.c.posyandu_id).where(c.c.id.in_(ids))).scalars())
    assert posyandu == {city.kader_posyandu}


def test_a_whole_nik_finds_the_child_and_a_part_is_refused(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    child_id = register(client, token, city.kader_posyandu, "Galih Uji Cari", "3672011505240077")
    status, page = search(client, token, "3672 0115 0524 0077")
    assert status == 200
    assert found_ids(page) == [child_id]
    assert texts(page, "//table[@id='results']//td[2]") == ["3672011505240077"]
    status, page = search(client, token, "36720115")
    assert status == 422
    assert texts(page, "//ul[@class='errors']/li") == ["Tulis ke-16 angka NIK, atau sebagian nama."]
    status, page = search(client, token, "Ga")
    assert status == 422
    assert texts(page, "//ul[@class='errors']/li") == ["Tulis setidaknya 3 huruf nama."]


def test_a_common_name_lists_the_first_fifty_and_says_how_many(
    city: City, signed_in: SignedIn
) -> None:
    c, mo = table_of(Child), table_of(Mother)
    with city.engine.connect() as connection:
        first_names = connection.execute(select(c.c.name).limit(200)).scalars().all()
        counts = {}
        for word in {n.split()[0] for n in first_names if len(n.split()[0]) >= 3}:
            needle = word.lower()
            counts[word] = connection.execute(
                select(func.count())
                .select_from(c.outerjoin(mo, mo.c.id == c.c.mother_id))
                .where(
                    or_(
                        func.lower(c.c.name).contains(needle),
                        func.lower(mo.c.name).contains(needle),
                    )
                )
            ).scalar_one()
    word, total = max(counts.items(), key=lambda item: item[1])
    assert total > 50
    client, token = signed_in("admin")
    _, page = search(client, token, word)
    assert len(found_ids(page)) == 50
    shown = f"{total:,}".replace(",", ".")
    assert text(page, "//p[@id='found']") == (
        f"50 anak pertama dari {shown} anak yang ditemukan; tulis nama lebih lengkap untuk "
        "mempersempit pencarian."
    )


def test_wildcards_are_searched_as_letters(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    status, page = search(client, token, "%%%")
    assert status == 200
    assert found_ids(page) == []
    assert text(page, "//p[@id='found']") == "Tidak ada anak di wilayah Anda yang cocok."


@pytest.mark.parametrize("username", ["analis", "mitra"])
def test_figure_only_roles_cannot_search_children(
    city: City, signed_in: SignedIn, username: str
) -> None:
    client, token = signed_in(username)
    assert client.get("/children").status_code == 404
    assert search(client, token, child_name(city, city.own_child))[0] == 404
    api = client.post(
        "/api/v1/children/search", json={"q": "anak"}, headers={"X-CSRF-Token": token}
    )
    assert api.status_code == 404


def test_a_search_needs_the_csrf_token(signed_in: SignedIn) -> None:
    client, _ = signed_in("kader")
    assert client.post("/children", data={"q": "anak"}).status_code == 403
    assert client.post("/api/v1/children/search", json={"q": "anak"}).status_code == 403


def test_the_api_search_answers_like_the_page(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("gizi")
    name = child_name(city, city.own_child)
    headers = {"X-CSRF-Token": token}
    response = client.post("/api/v1/children/search", json={"q": name}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == len(body["children"]) or body["total"] > 50
    _, page = search(client, token, name)
    assert [c["id"] for c in body["children"]] == found_ids(page)
    assert city.own_child in found_ids(page)  # the kader's posyandu lies in her area
    refused = client.post("/api/v1/children/search", json={"q": "ab"}, headers=headers)
    assert refused.status_code == 422
    assert refused.json() == {"errors": ["Tulis setidaknya 3 huruf nama."], "warnings": []}
