"""What the forms and the API say about a NIK that another child already has: inside the
user's area, that child (with a link); outside it, only that the NIK is registered, never
the child, posyandu or area. A NIK registered by a concurrent save between the form's
check and its write gets the same 422 answer, never a server error."""

import zlib
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import City, SignedIn, nodes, strings, texts
from tests.web.races import write_meanwhile
from tumbuh.db.models import Child, Posyandu, Region, table_of

OUTSIDE = (
    "NIK: NIK ini sudah terdaftar; periksa nomornya. Bila nomornya benar, minta administrator "
    "Dinas Kesehatan mencari anak yang memakainya"
)


def inside(name: str) -> str:
    return (
        f"NIK: NIK ini sudah dipakai oleh {name}, anak di wilayah Anda; periksa nomornya, atau "
        "buka data anak tersebut"
    )


def nik_for(label: str) -> str:
    """A NIK of its own for each test (the web tests share one city)."""
    return f"3672{zlib.crc32(label.encode()) % 10**12:012d}"


@dataclass(frozen=True)
class Elsewhere:
    """A child of another kecamatan with a NIK, and the names of where it lives."""

    nik: str
    names: tuple[str, ...]  # child, posyandu, kelurahan, kecamatan
    posyandu_id: int


def children_elsewhere(city: City) -> list[Elsewhere]:
    c, p, r = table_of(Child), table_of(Posyandu), table_of(Region)
    kelurahan, kecamatan = r.alias("kelurahan"), r.alias("kecamatan")
    with city.engine.connect() as connection:
        rows = connection.execute(
            select(c.c.nik, c.c.name, p.c.id, p.c.name, kelurahan.c.name, kecamatan.c.name)
            .join(p, p.c.id == c.c.posyandu_id)
            .join(kelurahan, kelurahan.c.code == p.c.kelurahan_code)
            .join(kecamatan, kecamatan.c.code == kelurahan.c.parent_code)
            .where(c.c.nik.is_not(None), kecamatan.c.code == city.other_kecamatan)
            .order_by(c.c.id)
            .limit(2)
        ).all()
    assert len(rows) == 2
    return [Elsewhere(row[0], (row[1], row[3], row[4], row[5]), row[2]) for row in rows]


def child_form(nik: str, **more: str) -> dict[str, str]:
    return {"name": "Bayu Uji NIK", "nik": nik, "sex": "male", "birth_date": "2024-02-02", **more}


def registered(client: TestClient, token: str, posyandu: int) -> int:
    """A new child without NIK at ``posyandu``; its id."""
    data = {**child_form(""), "csrf_token": token}
    response = client.post(f"/posyandu/{posyandu}/children/new", data=data, follow_redirects=False)
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("/", 1)[1])


Save = Callable[[str], httpx.Response]


def saving(client: TestClient, token: str, posyandu: int, how: str) -> Save:
    """A function that saves a NIK: on the new-child form (``register``), on the edit form
    of a child of ``posyandu`` (``form``) or by the API (``api``), the form opened first."""
    if how == "register":
        url = f"/posyandu/{posyandu}/children/new"
        return lambda nik: client.post(
            url, data={**child_form(nik), "csrf_token": token}, follow_redirects=False
        )
    child_id = registered(client, token, posyandu)
    if how == "form":
        url = f"/children/{child_id}/edit"
        version = strings(client.get(url).text, "//input[@name='version']/@value")[0]
        data = child_form("", version=version, csrf_token=token)
        return lambda nik: client.post(url, data={**data, "nik": nik}, follow_redirects=False)
    url = f"/api/v1/children/{child_id}"
    version = client.get(url).json()["version"]
    headers = {"X-CSRF-Token": token}
    return lambda nik: client.patch(url, json={"nik": nik, "version": version}, headers=headers)


def errors(response: httpx.Response) -> list[str]:
    """The messages of a refused save (422)."""
    assert response.status_code == 422, response.text[:300]
    if response.headers["content-type"].startswith("application/json"):
        found: list[str] = response.json()["errors"]
        return found
    return texts(response.text, "//ul[@class='errors']/li")


@pytest.mark.parametrize("how", ["register", "form", "api"])
def test_a_kader_probing_a_nik_of_another_kecamatan_learns_no_name_or_place(
    city: City, signed_in: SignedIn, how: str
) -> None:
    client, token = signed_in("kader")
    save = saving(client, token, city.kader_posyandu, how)
    baseline = save("12345").text  # refused for its length: the page without any child
    for child in children_elsewhere(city):
        probe = save(child.nik)
        assert errors(probe) == [OUTSIDE]
        if how != "api":
            assert nodes(probe.text, "//*[@id='same-nik']") == []
        checked = [name for name in child.names if name not in baseline]
        assert child.names[0] in checked
        assert [name for name in checked if name in probe.text] == []


def test_inside_her_area_the_kader_is_shown_the_child(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    save = saving(client, token, city.kader_posyandu, "register")
    nik = nik_for("inside")
    first = save(nik)
    assert first.status_code == 303
    second = save(nik)
    assert errors(second) == [inside("Bayu Uji NIK")]
    links = nodes(second.text, "//p[@id='same-nik']/a")
    assert [(a.text_content(), a.get("href")) for a in links] == [
        ("Buka data Bayu Uji NIK", first.headers["location"])
    ]


def test_a_nutritionist_probing_another_kecamatan_learns_no_name(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("gizi")
    p = table_of(Posyandu)
    with city.engine.connect() as connection:
        posyandu = connection.execute(
            select(p.c.id)
            .where(p.c.kelurahan_code.startswith(city.nutritionist_kecamatan + "."))
            .order_by(p.c.id)
            .limit(1)
        ).scalar_one()
    one, _ = children_elsewhere(city)
    probe = saving(client, token, posyandu, "register")(one.nik)
    assert errors(probe) == [OUTSIDE]
    assert one.names[0] not in probe.text


def test_searching_a_nik_of_another_area_answers_as_for_an_unknown_one(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    one, _ = children_elsewhere(city)
    pages = [
        client.post("/children", data={"q": q, "csrf_token": token}).text.replace(q, "NIK")
        for q in (one.nik, nik_for("nobody"))
    ]
    assert pages[0] == pages[1]
    assert texts(pages[0], "//p[@id='found']") == ["Tidak ada anak di wilayah Anda yang cocok."]


OTHER_CHILD = (
    "INSERT INTO child (nik, name, sex, birth_date, posyandu_id, version) "
    "VALUES (:nik, :name, 'female', '2023-09-09', :posyandu, 1)"
)


@pytest.mark.parametrize(
    ("how", "where"),
    [("register", "outside"), ("register", "inside"), ("form", "outside"), ("api", "outside")],
)
def test_a_nik_registered_meanwhile_by_another_save_answers_422_not_500(
    city: City, signed_in: SignedIn, backend: str, how: str, where: str
) -> None:
    client, token = signed_in("kader")
    save = saving(client, token, city.kader_posyandu, how)
    nik = nik_for(f"meanwhile-{how}-{where}")
    posyandu = city.kader_posyandu if where == "inside" else children_elsewhere(city)[0].posyandu_id
    params = {"nik": nik, "name": "Citra Uji Sela", "posyandu": posyandu}
    response = write_meanwhile(city.engine, backend, OTHER_CHILD, params, lambda: save(nik))
    expected = inside("Citra Uji Sela") if where == "inside" else OUTSIDE
    assert errors(response) == [expected]
    c = table_of(Child)
    with city.engine.connect() as connection:
        names = connection.execute(select(c.c.name).where(c.c.nik == nik)).scalars().all()
    assert names == (["Citra Uji Sela"] if backend == "postgresql" else [])
