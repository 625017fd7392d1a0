"""PMT for pregnant women with KEK on the pages of the shared demo city: the list of the
nutritionist's area (each woman's latest LiLA under 23.5 cm), the enrolment form refusing
a kitchen she may not choose in Indonesian, a demo episode's page and the register's
section, and the roles without it. (Enrolling writes; the browser test does it on its
own city.)"""

from tests.web.conftest import SignedIn, nodes, text


def test_the_nutritionist_sees_pregnant_women_with_kek_of_her_area(signed_in: SignedIn) -> None:
    client, _token = signed_in("gizi")
    page = client.get("/pmt/eligible/bumil")
    assert page.status_code == 200
    assert text(page.text, "//h1") == "PMT lokal: ibu hamil KEK"
    rows = nodes(page.text, "//table[@id='eligible-bumil']/tbody/tr")
    assert rows, "the demo city has pregnant women with KEK in the area"
    lila = [
        float(
            text(page.text, f"//tr[@data-pregnancy='{r.get('data-pregnancy')}']/td[7]").replace(
                ",", "."
            )
        )
        for r in rows
    ]
    assert all(value < 23.5 for value in lila)
    assert nodes(page.text, "//button[@id='enrol-button']")
    assert "/pmt/eligible/bumil" in [
        a.get("href") for a in nodes(client.get("/pmt/eligible").text, "//nav//a")
    ]


def test_a_kitchen_outside_the_area_is_refused_in_indonesian(signed_in: SignedIn) -> None:
    client, token = signed_in("gizi")
    page = client.get("/pmt/eligible/bumil").text
    pregnancy = nodes(page, "//input[@name='pregnancy_id']")[0].get("value")
    refused = client.post(
        "/pmt/enrol-bumil",
        data={
            "csrf_token": token,
            "pregnancy_id": pregnancy,
            "kitchen_id": "999999",
            "started_on": "2024-12-01",
            "funding": "apbd",
        },
    )
    assert refused.status_code == 422
    message = text(refused.text, "//ul[@id='enrol-errors']/li")
    assert message.startswith("Dapur: '999999' tidak dapat Anda pilih")


def test_an_episode_of_a_pregnant_woman_has_its_page_and_its_register_row(
    signed_in: SignedIn,
) -> None:
    client, _token = signed_in("gizi")
    register = client.get("/pmt/episodes").text
    rows = nodes(register, "//table[@id='bumil-episodes']/tbody/tr")
    assert rows, "the demo city feeds pregnant women with KEK"
    episode = rows[0].get("data-episode")
    page = client.get(f"/pmt/episodes/{episode}")
    assert page.status_code == 200
    assert text(page.text, "//dd[@id='episode-indication']") == "Ibu hamil KEK"
    assert text(page.text, "//dd[@id='episode-version']") in {"2023", "2025"}


def test_a_kader_has_no_list_of_pregnant_women(signed_in: SignedIn) -> None:
    client, _token = signed_in("kader")
    assert client.get("/pmt/eligible/bumil").status_code in {403, 404}
