"""No silent duplicate children: registering a child without NIK whose name, sex, birth
date and mother's name (normalised as the import matches them) are those of a child of the
same kelurahan stores nothing and shows that child, until the user ticks "Ini anak yang
berbeda, tetap daftarkan" (audited). A child of the kelurahan outside the user's area is
never revealed: the registration goes through as if there were none (docs/security.md,
section 5)."""

import json
import zlib

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.web.conftest import City, SignedIn, nodes, texts
from tumbuh.db.models import Child, Posyandu, table_of
from tumbuh.db.models_access import AuditEntry

WARNING = (
    "Anak ini mungkin sudah terdaftar: seorang anak di kelurahan ini mempunyai nama, jenis "
    "kelamin, tanggal lahir dan nama ibu yang sama. Buka data anak tersebut agar tidak "
    "terdaftar dua kali, atau centang kotak dan simpan lagi bila ini anak yang berbeda."
)
CONFIRM = "Ini anak yang berbeda, tetap daftarkan"


def child(label: str, **more: str) -> dict[str, str]:
    """A child of its own for each test (the web tests share one city): the name and the
    birth date come from ``label``."""
    day = 1 + zlib.crc32(label.encode()) % 28
    return {
        "name": f"Citra Uji {label}",
        "sex": "female",
        "birth_date": f"2024-01-{day:02d}",
        "mother_name": f"Ibu Uji {label}",
        **more,
    }


def register(client: TestClient, token: str, posyandu: int, form: dict[str, str]) -> httpx.Response:
    data = {**form, "csrf_token": token}
    url = f"/posyandu/{posyandu}/children/new"
    response: httpx.Response = client.post(url, data=data, follow_redirects=False)
    return response


def new_id(response: httpx.Response) -> int:
    assert response.status_code == 303, response.text[:300]
    return int(response.headers["location"].rsplit("/", 1)[1])


def named(city: City, name: str) -> int:
    c = table_of(Child)
    with city.engine.connect() as connection:
        query = select(func.count()).select_from(c).where(c.c.name == name)
        return int(connection.execute(query).scalar_one())


def created_audit(city: City, child_id: int) -> dict[str, object]:
    a = table_of(AuditEntry)
    with city.engine.connect() as connection:
        after = connection.execute(
            select(a.c.after).where(a.c.entity == "child", a.c.entity_id == child_id)
        ).scalar_one()
    found: dict[str, object] = json.loads(after)
    return found


def next_kelurahan(city: City) -> int:
    """A posyandu of another kelurahan of the kader's kecamatan (the nutritionist's area;
    the small demo city has one posyandu per kelurahan)."""
    p = table_of(Posyandu)
    with city.engine.connect() as connection:
        kelurahan = connection.execute(
            select(p.c.kelurahan_code).where(p.c.id == city.kader_posyandu)
        ).scalar_one()
        kecamatan = kelurahan.rsplit(".", 1)[0]
        other = connection.execute(
            select(p.c.id)
            .where(p.c.kelurahan_code.startswith(kecamatan + "."), p.c.kelurahan_code != kelurahan)
            .order_by(p.c.id)
            .limit(1)
        ).scalar_one()
    return int(other)


def test_the_same_child_again_warns_shows_it_and_stores_nothing(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    form = child("Kembar")
    first = new_id(register(client, token, city.kader_posyandu, form))
    # Typed another way: titles, case, spaces and a doubled letter do not make another child.
    again = {**form, "name": "By. CITRA  uji Kembarr", "mother_name": "Ny. ibu Uji kembar"}
    response = register(client, token, city.kader_posyandu, again)
    assert response.status_code == 409
    assert named(city, form["name"]) == 1
    assert named(city, again["name"]) == 0
    assert texts(response.text, "//div[@id='same-child']/p") == [WARNING]
    links = nodes(response.text, "//div[@id='same-child']//li/a")
    assert [(a.text_content(), a.get("href")) for a in links] == [
        (form["name"], f"/children/{first}")
    ]
    item = texts(response.text, "//div[@id='same-child']//li")[0]
    day = form["birth_date"]
    assert f"Lahir {day[8:]}/{day[5:7]}/{day[:4]}" in item
    assert "Posyandu " in item
    assert texts(response.text, "//label[input[@id='confirm_duplicate']]") == [CONFIRM]
    # The form keeps what was typed.
    assert nodes(response.text, "//input[@id='name']")[0].get("value") == again["name"]


def test_ticking_the_box_registers_the_child_and_the_audit_says_so(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    form = child("Berbeda")
    first = new_id(register(client, token, city.kader_posyandu, form))
    assert created_audit(city, first).get("possible_duplicate_of") is None
    assert register(client, token, city.kader_posyandu, form).status_code == 409
    second = new_id(
        register(client, token, city.kader_posyandu, {**form, "confirm_duplicate": "1"})
    )
    assert named(city, form["name"]) == 2
    audit = created_audit(city, second)
    assert audit["possible_duplicate_of"] == [first]
    assert audit["duplicate_confirmed"] is True
    # The third time both are shown.
    third = register(client, token, city.kader_posyandu, form)
    assert third.status_code == 409
    hrefs = [a.get("href") for a in nodes(third.text, "//div[@id='same-child']//li/a")]
    assert hrefs == [f"/children/{first}", f"/children/{second}"]


def test_another_mother_another_kelurahan_or_a_nik_is_no_warning(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("gizi")
    here, elsewhere = city.kader_posyandu, next_kelurahan(city)
    form = child("Tetangga")
    new_id(register(client, token, here, form))
    new_id(register(client, token, here, {**form, "mother_name": "Ibu Uji Lain"}))
    new_id(register(client, token, here, {**form, "sex": "male"}))
    new_id(register(client, token, elsewhere, form))
    nik = f"3672{zlib.crc32(b'dup-nik') % 10**12:012d}"
    new_id(register(client, token, here, {**form, "nik": nik}))  # the NIK decides
    # Without a mother's name the identity is unknown: nothing to compare.
    no_mother = {**form, "mother_name": ""}
    new_id(register(client, token, here, no_mother))
    new_id(register(client, token, here, no_mother))
    assert register(client, token, here, form).status_code == 409
    assert named(city, form["name"]) == 7


def test_a_correction_that_makes_a_child_another_ones_twin_warns_first(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    form = child("koreksi")
    first = new_id(register(client, token, city.kader_posyandu, form))
    other = {**form, "name": "Cinta Uji koreksi"}
    second = new_id(register(client, token, city.kader_posyandu, other))
    edit = {
        **form,  # the name corrected to the first child's
        "posyandu_id": str(city.kader_posyandu),
        "version": "1",
        "csrf_token": token,
    }
    refused = client.post(f"/children/{second}/edit", data=edit, follow_redirects=False)
    assert refused.status_code == 409
    assert nodes(refused.text, "//div[@id='same-child']")
    assert f'<a href="/children/{first}">' in refused.text
    assert "Ini anak yang berbeda, tetap simpan perbaikannya" in refused.text
    page = client.get(f"/children/{second}")
    assert "Cinta Uji koreksi" in page.text  # nothing stored
    confirmed = {**edit, "confirm_duplicate": "1"}
    done = client.post(f"/children/{second}/edit", data=confirmed, follow_redirects=False)
    assert done.status_code == 303
    a = table_of(AuditEntry)
    with city.engine.connect() as connection:
        after = connection.execute(
            select(a.c.after).where(
                a.c.entity == "child", a.c.entity_id == second, a.c.action == "update"
            )
        ).scalar_one()
    audit = json.loads(after)
    assert (audit["possible_duplicate_of"], audit["duplicate_confirmed"]) == ([first], True)
