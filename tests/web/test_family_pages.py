"""The TPK's pages on the demo city (docs/families.md): the menu and home, the list of the
area's families at risk first with filters, one family with its criteria, a visit
recorded with two actions, refused in Indonesian without an action or note, changed and
removed; roles without families."""

from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.web.conftest import SignedIn, nodes, text, texts


def _first_at_risk(client: TestClient, query: str = "at_risk=1") -> str:
    page = client.get(f"/families?{query}").text
    return str(nodes(page, "//ul[@id='families']/li//h2/a")[0].get("href"))


def test_a_tpk_lands_on_the_families_of_her_area_at_risk_first(signed_in: SignedIn) -> None:
    client, _ = signed_in("tpk")
    home = client.get("/")
    assert str(home.url).endswith("/families")
    assert text(home.text, "//a[@id='menu-families']") == "Keluarga"
    cards = nodes(home.text, "//ul[@id='families']/li")
    assert cards, "the demo's area has families"
    risks = [" ".join(card.xpath("string(.//p[@class='krs'])").split()) for card in cards]
    first_not = next((i for i, r in enumerate(risks) if not r.startswith("Berisiko")), len(risks))
    assert all(not r.startswith("Berisiko") for r in risks[first_not:])  # at risk first
    assert risks[0].startswith("Berisiko stunting")
    assert "Seluruh wilayah saya" not in home.text  # one kelurahan: no choice to make


def test_the_filters_keep_the_families_at_risk_and_those_not_visited(signed_in: SignedIn) -> None:
    client, _ = signed_in("tpk")
    at_risk = client.get("/families?at_risk=1").text
    krs = texts(at_risk, "//ul[@id='families']/li//p[@class='krs']")
    assert krs
    assert all(k.startswith("Berisiko stunting") for k in krs)
    recent = client.get("/families?at_risk=1&not_visited_days=3650").text
    visits = texts(recent, "//ul[@id='families']/li//p[@class='visit']")
    assert visits == ["Belum pernah dikunjungi"] * len(visits)  # visited within 10 years: out
    refused = client.get("/families?not_visited_days=abc")
    assert refused.status_code == 422
    assert text(refused.text, "//*[@id='family-errors']/li") == (
        "Tidak dikunjungi selama (hari): 'abc' tidak diterima; "
        "tulis bilangan bulat dari 1 sampai 3650"
    )
    outside = client.get("/families?kelurahan=36.72.05.1001")
    assert outside.status_code == 422
    assert "bukan kelurahan di wilayah Anda" in text(outside.text, "//*[@id='family-errors']/li")


def test_a_tpk_records_a_visit_with_two_actions_changes_and_removes_it(
    signed_in: SignedIn,
) -> None:
    client, token = signed_in("tpk")
    place = _first_at_risk(client)
    page = client.get(place).text
    assert text(page, "//dd[@id='krs']") == "Berisiko stunting"
    assert texts(page, "//dd[@id='criteria']")  # which criteria hold
    assert nodes(page, "//ul[@id='children']/li")
    refused = client.post(f"{place}/visits", data={"csrf_token": token, "visited_on": "2024-05-02"})
    assert refused.status_code == 422
    assert text(refused.text, "//*[@id='family-errors']/li") == (
        "Yang disarankan atau diberikan: centang paling sedikit satu hal yang disarankan "
        "atau diberikan, atau tulis catatan"
    )
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    future = client.post(
        f"{place}/visits",
        data={"csrf_token": token, "visited_on": tomorrow, "actions": "sanitation"},
    )
    assert text(future.text, "//*[@id='family-errors']/li") == (
        f"Tanggal kunjungan: {tomorrow} sesudah hari ini; tulis tanggal yang sudah lewat"
    )
    saved = client.post(
        f"{place}/visits",
        data={
            "csrf_token": token,
            "visited_on": "2024-05-02",
            "actions": ["sanitation", "family_planning"],
            "note": "Uji kunjungan",
        },
    )
    assert saved.status_code == 200  # followed back to the family
    mine = nodes(saved.text, "//ul[@id='visits']/li[a[@class='edit-visit']]")
    assert len(mine) == 1  # a TPK changes only the visits she recorded
    assert [" ".join(li.text_content().split()) for li in mine[0].xpath(".//ul/li")] == [
        "konseling KB",
        "air bersih dan jamban",
    ]
    assert "Tim Pendamping Keluarga" in mine[0].text_content()  # no member named: the user
    edit = str(mine[0].xpath(".//a[@class='edit-visit']")[0].get("href"))
    form = client.get(edit)
    assert form.status_code == 200
    changed = client.post(
        edit, data={"csrf_token": token, "visited_on": "2024-05-03", "actions": "food_aid"}
    )
    assert changed.status_code == 200
    assert "bantuan pangan atau PMT" in changed.text
    removed = client.post(f"{edit}/delete", data={"csrf_token": token})
    assert removed.status_code == 200
    assert nodes(removed.text, "//ul[@id='visits']/li[a[@class='edit-visit']]") == []


def test_a_tpk_updates_the_criteria_of_a_family(signed_in: SignedIn) -> None:
    client, token = signed_in("tpk")
    place = _first_at_risk(client)
    answers = {
        "has_safe_drinking_water": "no",
        "has_safe_latrine": "yes",
        "wife_under_20": "no",
        "wife_35_or_older": "no",
        "birth_spacing_under_2_years": "",
        "more_than_3_children": "no",
    }
    refused = client.post(
        f"{place}/criteria", data={"csrf_token": token, **answers, "has_safe_latrine": "mungkin"}
    )
    assert refused.status_code == 422
    assert text(refused.text, "//*[@id='family-errors']/li") == (
        "Jamban layak: 'mungkin' tidak diterima; jawab ya, tidak, atau kosongkan (belum diketahui)"
    )
    saved = client.post(
        f"{place}/criteria", data={"csrf_token": token, **answers, "krs_assessed_on": "2024-06-01"}
    )
    assert saved.status_code == 200
    assert text(saved.text, "//dd[@id='criteria']") == "tidak ada air minum layak"
    assert text(saved.text, "//dd[@id='unknown']") == (
        "jarak kelahiran kurang dari 2 tahun (terlalu dekat)"
    )


def test_an_admin_may_change_a_tpks_visit_and_other_areas_are_not_found(
    signed_in: SignedIn,
) -> None:
    tpk, token = signed_in("tpk")
    place = _first_at_risk(tpk)
    tpk.post(
        f"{place}/visits",
        data={"csrf_token": token, "visited_on": "2024-02-01", "actions": "referral"},
    )
    admin, _ = signed_in("admin")
    family_ids = {
        str(a.get("href"))
        for a in nodes(admin.get("/families?kelurahan=36.72.05.1001").text, "//h2/a")
    }
    assert family_ids
    assert tpk.get(sorted(family_ids)[0]).status_code == 404  # another kecamatan's family
    admin_page = admin.get(place).text
    assert nodes(admin_page, "//ul[@id='visits']/li[a[@class='edit-visit']]")  # admin may


def test_roles_without_families_have_no_menu_entry(signed_in: SignedIn) -> None:
    client, _ = signed_in("kader")
    assert nodes(client.get("/reports").text, "//a[@id='menu-families']") == []
    assert client.get("/families").status_code in {403, 404}
    analyst, _ = signed_in("analis")
    assert analyst.get("/families").status_code in {403, 404}
