"""The bidan's pages on the demo city: the menu, the registration form refusing a bad NIK
in Indonesian, a pregnancy registered and a visit recorded, and roles without them.
(The birth that creates a child is tested on the use case, so the shared demo city's
child counts stay as other tests expect.)"""

from tests.web.conftest import SignedIn, nodes, text

NIK = "3672014101950002"  # synthetic


def _posyandu(page: str) -> str:
    return str(nodes(page, "//select[@id='posyandu_id']/option[@value!='']")[-1].get("value"))


def test_a_bidan_registers_a_pregnancy_and_records_a_visit(signed_in: SignedIn) -> None:
    client, token = signed_in("bidan")
    home = client.get("/pregnancies")
    assert home.status_code == 200
    assert text(home.text, "//a[@id='menu-pregnancies']") == "Kehamilan"
    form = client.get("/pregnancies/new").text
    raw = {"csrf_token": token, "posyandu_id": _posyandu(form), "mother_name": "Ibu Uji"}
    refused = client.post("/pregnancies/new", data={**raw, "nik": "12345"})
    assert refused.status_code == 422
    assert text(refused.text, "//*[@id='pregnancy-errors']/li") == (
        "NIK ibu: NIK terdiri dari 16 angka saja; yang diisi 5 karakter"
    )
    saved = client.post(
        "/pregnancies/new",
        data={**raw, "nik": NIK, "muac_cm": "22,5", "hb_g_dl": "9.5"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    place = saved.headers["location"]
    page = client.get(place).text
    assert (text(page, "//dd[@id='kek']"), text(page, "//dd[@id='anaemia']")) == (
        "ya",
        "anemia sedang",  # Hb 9.5: 7.0-9.9 in pregnancy (WHO 2011)
    )
    visit = client.post(
        f"{place}/visits",
        data={"csrf_token": token, "visited_on": "2000-01-01", "iron_tablets_given": "30"},
    )
    assert visit.status_code == 200  # back to the page, which shows the visit
    assert text(visit.text, "//dd[@id='ttd']") == "30/90"


def test_roles_without_pregnancies_have_no_menu_entry(signed_in: SignedIn) -> None:
    client, _token = signed_in("kader")
    assert nodes(client.get("/reports").text, "//a[@id='menu-pregnancies']") == []
    assert client.get("/pregnancies").status_code in {403, 404}


def test_a_bidan_corrects_a_visit_and_removes_it_only_when_confirmed(
    signed_in: SignedIn,
) -> None:
    client, token = signed_in("bidan")
    form = client.get("/pregnancies/new").text
    raw = {"csrf_token": token, "posyandu_id": _posyandu(form), "mother_name": "Ibu Koreksi"}
    saved = client.post("/pregnancies/new", data={**raw, "nik": "3672014101950004"})
    place = saved.url.path
    client.post(
        f"{place}/visits",
        data={"csrf_token": token, "visited_on": "2000-01-01", "place": "pustu"},
    )
    page = client.get(place).text
    typed = "//ul[@id='visits']/li[contains(., '2000-01')]"  # sorted first, before K1
    link = str(nodes(page, f"{typed}/a")[0].get("href"))
    assert "Pustu" in text(page, typed)
    corrected = client.post(
        link,
        data={"csrf_token": token, "visited_on": "2000-01-02", "place": "hospital"},
    )
    assert "2000-01-02 · Rumah sakit" in text(corrected.text, typed)
    unconfirmed = client.post(f"{link}/delete", data={"csrf_token": token})
    assert unconfirmed.status_code == 422
    assert text(unconfirmed.text, "//*[@id='visit-errors']/li") == (
        "Penghapusan kunjungan: centang kotak untuk memastikan penghapusan"
    )
    removed = client.post(f"{link}/delete", data={"csrf_token": token, "confirm_delete": "1"})
    assert "2000-01-02" not in text(removed.text, "//ul[@id='visits']")
