"""Accounts of the bidan and TPK roles on the users page: the demo bidan works for the
Cibeber puskesmas, an account without a puskesmas or posyandu is refused in Indonesian,
and one with a posyandu signs in to the pregnancies (docs/security.md, "The bidan and
the TPK")."""

from tests.web.conftest import SignedIn, nodes, sign_in, texts
from tests.web.test_users_page import PASSWORD, add


def test_the_demo_bidan_works_for_the_puskesmas(signed_in: SignedIn) -> None:
    client, _ = signed_in("admin")
    page = client.get("/users").text
    row = nodes(page, "//table[@id='users']/tbody/tr[@data-user='bidan']")[0]
    assert [td.text_content().strip() for td in row.xpath("td")][2:4] == [
        "bidan",
        "Puskesmas Cibeber",
    ]


def test_a_tpk_needs_an_area_and_a_bidan_of_a_posyandu_signs_in(signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    refused = client.post(
        "/users/new",
        data={"username": "tpk1", "role": "tpk", "password": PASSWORD, "csrf_token": token},
    )
    assert refused.status_code == 422
    assert texts(refused.text, "//ul[@class='errors']/li") == [
        "Puskesmas atau posyandu: bidan atau TPK bekerja di satu wilayah; pilih salah satunya"
    ]
    form = client.get("/users/new").text
    posyandu = str(nodes(form, "//select[@id='posyandu_id']/option[@value!='']")[0].get("value"))
    assert add(client, token, username="bidan2", role="bidan", posyandu_id=posyandu) is client
    bidan = type(client)(client.app)
    sign_in(bidan, "bidan2", PASSWORD)
    assert bidan.get("/pregnancies").status_code == 200
    assert bidan.get("/import").status_code in {403, 404}  # no imports for a bidan


def test_every_menu_page_opens_for_a_bidan(signed_in: SignedIn) -> None:
    client, _ = signed_in("bidan")
    home = client.get("/")
    assert home.status_code == 200
    assert str(home.url).endswith("/pregnancies")  # her home
    links = [str(a.get("href")) for a in nodes(home.text, "//nav[@class='menu']/a")]
    assert "/pregnancies" in links
    assert "/import" not in links  # a bidan does not import
    assert "/work-list" not in links  # the kader's and nutritionist's follow-up of children
    broken = {link: client.get(link).status_code for link in links}
    assert {link: status for link, status in broken.items() if status != 200} == {}


def test_every_menu_page_opens_for_a_tpk(signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    form = client.get("/users/new").text
    posyandu = str(nodes(form, "//select[@id='posyandu_id']/option[@value!='']")[0].get("value"))
    assert add(client, token, username="tpk2", role="tpk", posyandu_id=posyandu) is client
    tpk = type(client)(client.app)
    sign_in(tpk, "tpk2", PASSWORD)
    home = tpk.get("/")
    assert home.status_code == 200
    links = [str(a.get("href")) for a in nodes(home.text, "//nav[@class='menu']/a")]
    assert "/import" not in links
    assert "/pregnancies/new" not in links  # a TPK reads pregnancies, registers none
    broken = {link: tpk.get(link).status_code for link in links}
    assert {link: status for link, status in broken.items() if status != 200} == {}
