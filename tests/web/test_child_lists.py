"""The lists of children as users work with them: every child of a large posyandu
reachable page by page, the most severe first then the youngest, filtered by reason and
area, the month defaulting to the latest with data in the user's own area, "belum ada
data" for a month nobody measured, the .xlsx download masked unless asked, and the A4
print, never past the user's area.

The register (z-scores set by hand, June 2024 unless said):

* posyandu A (kelurahan Cibeber, the kader's): 120 stunted girls (HAZ -2.5), "Anak
  001".."Anak 120", born one a week from 1 Jan 2022 (the last born the youngest), and
  "Zainab" (born 1 Jan 2022, WHZ -3.5: gizi buruk), the most severe of all;
  "Rahma", whose length-for-age WHO flags (HAZ -7): to measure again, never referred;
* posyandu K (kelurahan Kedaleman, same kecamatan): "Kirana", stunted, measured in May
  2024 only;
* posyandu B (kelurahan Bagendung, another kecamatan): "Bunga", stunted, and one weighing
  of another child dated today (the entry that used to make every list's default month
  a month nobody else has reached).
"""

import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Connection, Engine, update

from tests.db.test_surveillance_builders import (
    BAGENDUNG,
    CIBEBER,
    KEDALEMAN,
    child,
    posyandu,
    visit,
)
from tests.web.conftest import cells, nodes, settings_for, sign_in, text
from tumbuh.db.models import Child, table_of
from tumbuh.db.models_access import Role
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.web.app import create_app

PASSWORD = "kata-sandi-uji-1"
JUNE, MAY = date(2024, 6, 12), date(2024, 5, 14)
FIRST_BORN = date(2022, 1, 1)
STUNTED = 120
NIK_PREFIX = "36720141012"  # + 5 digits: 16 in all, one per child


def _named(connection: Connection, name: str, born: date, home: int, number: int) -> int:
    found = child(connection, born, home=home, nik=f"{NIK_PREFIX}{number:05d}")
    c = table_of(Child)
    connection.execute(update(c).where(c.c.id == found).values(name=name))
    return found


def _register(connection: Connection) -> tuple[int, int, int]:
    a, k, b = (
        posyandu(connection, CIBEBER),
        posyandu(connection, KEDALEMAN),
        posyandu(connection, BAGENDUNG),
    )
    for n in range(1, STUNTED + 1):
        born = FIRST_BORN + timedelta(weeks=n - 1)
        visit(connection, _named(connection, f"Anak {n:03d}", born, a, n), JUNE, a, haz=-2.5)
    zainab = _named(connection, "Zainab Putri", FIRST_BORN, a, 500)
    visit(connection, zainab, JUNE, a, whz=-3.5)
    rahma = _named(connection, "Rahma Ulang", FIRST_BORN, a, 504)
    visit(connection, rahma, JUNE, a, haz=-7.0, flagged=("haz",))
    visit(connection, _named(connection, "Kirana Dewi", FIRST_BORN, k, 501), MAY, k, haz=-2.4)
    visit(connection, _named(connection, "Bunga Sari", FIRST_BORN, b, 502), JUNE, b, haz=-2.6)
    today = _named(connection, "Hari Ini", date.today() - timedelta(days=400), b, 503)
    visit(connection, today, date.today(), b, haz=0.0)
    return a, k, b


def _users(connection: Connection, a: int, k: int) -> None:
    now = datetime.now(UTC)
    for user in (
        NewUser("dinkes", "Dinkes", Role.ADMIN, PASSWORD),
        NewUser("analis", "Analis", Role.ANALYST, PASSWORD),
        NewUser("kader", "Kader", Role.KADER, PASSWORD, posyandu_id=a),
        NewUser("kader2", "Kader Dua", Role.KADER, PASSWORD, posyandu_id=k),
    ):
        create_user(connection, user, now)


@pytest.fixture
def places(empty_engine: Engine) -> tuple[Engine, int, int, int]:
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        a, k, b = _register(connection)
        _users(connection, a, k)
    return empty_engine, a, k, b


ClientFor = Callable[[str], TestClient]


@pytest.fixture
def client_for(places: tuple[Engine, int, int, int]) -> ClientFor:
    engine = places[0]
    app = create_app(settings_for(engine.url.render_as_string(hide_password=False)), engine=engine)

    def make(username: str) -> TestClient:
        client = TestClient(app)
        sign_in(client, username, PASSWORD)
        return client

    return make


def listed(page: str) -> list[str]:
    return [cells(row)[0] for row in nodes(page, "//table[@id='referrals']/tbody/tr")]


def completed_months(born: date, day: date) -> int:
    return (day.year - born.year) * 12 + day.month - born.month - (day.day < born.day)


def expected_order() -> list[str]:
    """Gizi buruk first; then the stunted, youngest first, then by name."""
    stunted = [
        (completed_months(FIRST_BORN + timedelta(weeks=n - 1), JUNE), f"Anak {n:03d}")
        for n in range(1, STUNTED + 1)
    ]
    return ["Zainab Putri"] + [name for _, name in sorted(stunted)]


def test_every_child_of_a_large_posyandu_is_reached_page_by_page_most_severe_first(
    client_for: ClientFor,
) -> None:
    client = client_for("kader")
    first = client.get("/referral-list")
    assert first.status_code == 200
    assert text(first.text, "//*[@id='summary']") == (
        "Juni 2024, Posyandu Uji 10011: 121 anak perlu dirujuk."
    )
    assert text(first.text, "//*[@id='children-shown']") == (
        "Anak ke-1 sampai 50 dari 121: alasan paling berat dulu, lalu yang paling muda."
    )
    links = [str(h) for h in nodes(first.text, "//nav[@id='pages']")[0].xpath(".//a/@href")]
    assert links[-1] == "?month=2024-06&page=2#children-heading"
    pages = [first.text] + [
        client.get(f"/referral-list?month=2024-06&page={n}").text for n in (2, 3)
    ]
    shown = [listed(page) for page in pages]
    assert [len(names) for names in shown] == [50, 50, 21]
    assert [name for names in shown for name in names] == expected_order()
    assert client.get("/referral-list?month=2024-06&page=9").text == pages[2]  # past the end
    assert "too-many" not in first.text


def test_a_reason_filters_the_children_and_keeps_the_counts(client_for: ClientFor) -> None:
    client = client_for("kader")
    page = client.get("/referral-list", params={"month": "2024-06", "reason": "WHZ<-3"}).text
    assert listed(page) == ["Zainab Putri"]
    assert text(page, "//*[@id='summary']").endswith(": 121 anak perlu dirujuk.")
    assert text(page, "//select[@id='reason']/option[@selected]") == "Gizi buruk"
    everyone = client.get("/referral-list?month=2024-06&reason=")
    assert len(listed(everyone.text)) == 50  # the form's "all reasons"
    wrong = client.get("/referral-list?reason=nonsense")
    assert wrong.status_code == 400
    assert text(wrong.text, "//p[@class='message']").startswith("'nonsense' bukan alasan")


def test_the_default_month_is_the_latest_with_data_in_the_users_area(
    client_for: ClientFor, places: tuple[Engine, int, int, int]
) -> None:
    _, a, k, _ = places
    kader2 = client_for("kader2").get("/referral-list").text
    assert text(kader2, "//*[@id='summary']") == (
        "Mei 2024, Posyandu Uji 10021: 1 anak perlu dirujuk."
    )
    admin = client_for("dinkes")
    city = admin.get("/referral-list").text  # today's entry at posyandu B: the city's month
    assert nodes(city, "//input[@id='month']")[0].get("value") == f"{date.today():%Y-%m}"
    own = admin.get(f"/referral-list?posyandu={a}").text
    assert text(own, "//*[@id='summary']").startswith("Juni 2024, Posyandu Uji 10011:")
    assert text(admin.get(f"/referral-list?posyandu={k}").text, "//*[@id='summary']").startswith(
        "Mei 2024"
    )


def test_a_month_without_any_measurement_says_no_data_yet_not_zero_children(
    client_for: ClientFor,
) -> None:
    client = client_for("kader")
    page = client.get("/referral-list?month=2024-09").text
    assert text(page, "//*[@id='no-data']") == "September 2024, Posyandu Uji 10011: belum ada data."
    assert nodes(page, "//*[@id='summary']") == []
    assert "0 anak" not in page
    answer = client.get("/api/v1/referrals?month=2024-09").json()
    assert (answer["month"], answer["measured"], answer["children"]) == ("2024-09", False, None)
    for path in ("/counselling-list", "/remeasure-list"):
        other = client.get(f"{path}?month=2024-09").text
        assert text(other, "//*[@id='no-data']").endswith("belum ada data.")


def _download(client: TestClient, **fields: str) -> list[tuple[object, ...]]:
    token = sign_in_token(client)
    answer = client.post("/referral-list/download", data={"csrf_token": token, **fields})
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def sign_in_token(client: TestClient) -> str:
    page = client.get("/referral-list").text
    return str(nodes(page, "//input[@name='csrf_token']")[0].get("value"))


def test_the_download_holds_every_child_masked_unless_asked(client_for: ClientFor) -> None:
    client = client_for("kader")
    rows = _download(client, month="2024-06")
    head, body = rows[0], rows[1:]
    assert head[:5] == ("Posyandu", "Nama", "NIK", "Jenis kelamin", "Tanggal lahir")
    assert len(body) == 121
    assert [r[1] for r in body[:2]] == ["Z. P.", "A. 1."]  # Zainab, then the youngest
    assert {r[2] for r in body} == {"3672************"}
    assert {r[4] for r in body} == {None}  # no birth date beside the initials
    full = _download(client, month="2024-06", unmask="1")[1:]
    assert [r[1] for r in full] == expected_order()
    assert full[0][2] == f"{NIK_PREFIX}00500"
    assert full[0][4] == "2022-01-01"
    only = _download(client, month="2024-06", reason="WHZ<-3")[1:]
    assert len(only) == 1


def test_a_kader_never_downloads_or_prints_another_posyandu(
    client_for: ClientFor, places: tuple[Engine, int, int, int]
) -> None:
    _, _, _, b = places
    client = client_for("kader")
    token = sign_in_token(client)
    other = client.post(
        "/referral-list/download",
        data={"csrf_token": token, "month": "2024-06", "posyandu": str(b)},
    )
    assert other.status_code == 404
    city = [r[1] for r in _download(client, month="2024-06", area="36.72", unmask="1")[1:]]
    assert city == expected_order()  # the city as far as her scope reaches: her posyandu
    assert client.get(f"/referral-list/print?month=2024-06&posyandu={b}").status_code == 404


def test_counts_only_roles_get_neither_download_nor_print(client_for: ClientFor) -> None:
    client = client_for("analis")
    page = client.get("/referral-list?month=2024-06").text
    assert nodes(page, "//form[@id='download']") == []
    token = str(nodes(page, "//input[@name='csrf_token']")[0].get("value"))
    answer = client.post("/referral-list/download", data={"csrf_token": token})
    assert answer.status_code == 404
    assert client.get("/referral-list/print?month=2024-06").status_code == 404


def test_the_print_view_lists_every_child_with_a_column_for_the_kader(
    client_for: ClientFor,
) -> None:
    client = client_for("kader")
    page = client.get("/referral-list").text
    link = str(nodes(page, "//a[@id='print-link']")[0].get("href"))
    assert link == "/referral-list/print?month=2024-06"
    printed = client.get(link).text
    rows = nodes(printed, "//table[@id='print-list']/tbody/tr")
    assert [cells(r)[2] for r in rows] == expected_order()
    assert cells(rows[0])[:6] == ["1", "Uji 10011", "Zainab Putri", "P", "29", "Gizi buruk"]
    assert cells(rows[0])[-1] == ""  # the kader's notes
    heads = [" ".join(th.text_content().split()) for th in nodes(printed, "//thead//th")]
    assert heads[-1] == "Catatan dan paraf kader"
    assert nodes(printed, "//link[@href='/static/css/print.css']")
    css = client.get("/static/css/print.css").text
    assert "size: A4" in css


def test_a_flagged_value_is_on_the_remeasure_list_only(client_for: ClientFor) -> None:
    client = client_for("kader")
    page = client.get("/remeasure-list?month=2024-06").text
    assert text(page, "//*[@id='summary']") == (
        "Juni 2024, Posyandu Uji 10011: 1 anak perlu diperiksa ulang."
    )
    assert listed(page) == ["Rahma Ulang"]
    reasons = [o.text_content() for o in nodes(page, "//select[@id='reason']/option")]
    assert reasons[0] == "Semua alasan"
    assert "Stunting" not in reasons
    assert "Rahma Ulang" not in client.get("/referral-list?month=2024-06&page=3").text
    counselled = client.get("/counselling-list?month=2024-06").text
    assert text(counselled, "//*[@id='summary']") == (
        "Juni 2024, Posyandu Uji 10011: 0 anak perlu konseling di posyandu."
    )  # a month with data and nobody to counsel: 0, not "belum ada data"
    assert text(counselled, "//*[@id='no-children']") == (
        "Tidak ada anak dalam daftar ini pada bulan ini."
    )


def test_the_three_lists_have_their_own_pages_and_api(client_for: ClientFor) -> None:
    client = client_for("kader")
    titles = {
        "/referral-list": "Daftar rujukan",
        "/counselling-list": "Daftar konseling di posyandu",
        "/remeasure-list": "Daftar periksa ulang",
    }
    for path, title in titles.items():
        page = client.get(f"{path}?month=2024-06")
        assert page.status_code == 200
        assert text(page.text, "//h1") == title
    for path in ("/api/v1/referrals", "/api/v1/counselling", "/api/v1/remeasure"):
        assert client.get(f"{path}?month=2024-06").json()["measured"] is True
