"""A posyandu's session page only inside the user's area: 404 like any other
out-of-area request, before anything of it is shown."""

import pytest
from sqlalchemy import select

from tests.web.conftest import City, SignedIn, text
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
