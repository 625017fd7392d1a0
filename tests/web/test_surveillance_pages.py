"""The referral list and the cohort flows on a hand-built register, per role and scope.

Posyandu A lies in kelurahan Cibeber (kecamatan Cibeber), posyandu B in kelurahan
Bagendung (kecamatan Cilegon). The nutritionist's puskesmas covers kelurahan Cibeber, the
kader works at A.

**Referrals, June 2024** (girls born 15 Jan 2023, 512 days old on 10 June: KBM 200 g,
Buku KIA; WHO girls' LMS at 512 days from lenanthro.txt and weianthro.txt):

N/T by the Buku KIA rule (docs/domain.md §5): T when the weight stays within the scale's
0.1 kg step or falls, N when it rises along its KMS channel or by the KBM.

* Siti (A): 10.0 kg April, 10.4 May (N), 10.4 June (flat: T) and 72.0 cm lying:
  HAZ = (72.0 / 79.4828 - 1) / 0.03572 = -2.64, stunted;
* Dewi (A): 10.0, 10.0 (flat: T), 9.9 (falling: T again): 2T;
* Rina (A): 6.8 kg May, 6.8 June (flat: T); WAZ below -3 (WHO's -3 SD is 7.02 kg): BGM;
* Wati (A): 10.0 May, 10.2 June (+200 g along its channel: N): nothing to refer;
* Yuni (B): 10.0 May, 10.0 June: T.

City: 4 children; T 3, 2T 1, BGM 1, stunting 1. Kecamatan Cibeber 3, Cilegon 1.

**Flows, February -> August 2024** (length/height-for-age z-scores set by hand):
A: a1 -2.5 -> -2.4 still stunted; a2 -1.0 -> -2.2 newly stunted; a3 -2.1 -> -1.5
recovered; a4 0.0 -> 0.3 never; a5 -2.6 in February only, 38 months old in August: no
longer measured (stunted); a6 -3.0 in August only: newly measured (stunted).
B: b1 -2.3 -> -2.5 still stunted; b2 -1.0 in February only, born 1 July 2019, 61
completed months on 31 August: aged out. City: round 1 4 of 7 stunted (57,14 %), round
2 4 of 6 (66,67 %).
"""

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, insert, update

from tests.db.test_surveillance_builders import BAGENDUNG, CIBEBER, child, posyandu, visit, weigh
from tests.web.conftest import cells, nodes, settings_for, sign_in, text, texts
from tumbuh.db.measurements import recompute_derived
from tumbuh.db.models import (
    Child,
    MeasurementRound,
    Puskesmas,
    PuskesmasArea,
    RoundKind,
    table_of,
)
from tumbuh.db.models_access import Role
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.web.app import create_app

PASSWORD = "kata-sandi-uji-1"
BORN = date(2023, 1, 15)
APR, MAY, JUN = date(2024, 4, 10), date(2024, 5, 10), date(2024, 6, 10)
FEB, AUG = date(2024, 2, 12), date(2024, 8, 14)
REFERRAL_NAMES = ("Siti", "Dewi", "Rina", "Yuni")


def _named(connection: Connection, name: str, born: date, home: int) -> int:
    found = child(connection, born, home=home)
    c = table_of(Child)
    connection.execute(update(c).where(c.c.id == found).values(name=f"{name} Uji"))
    return found


def _referrals(connection: Connection, a: int, b: int) -> None:
    weights: dict[tuple[str, int], list[tuple[date, float, float | None]]] = {
        ("Siti", a): [(APR, 10.0, None), (MAY, 10.4, None), (JUN, 10.4, 72.0)],
        ("Dewi", a): [(APR, 10.0, None), (MAY, 10.0, None), (JUN, 9.9, None)],
        ("Rina", a): [(MAY, 6.8, None), (JUN, 6.8, None)],
        ("Wati", a): [(MAY, 10.0, None), (JUN, 10.2, None)],
        ("Yuni", b): [(MAY, 10.0, None), (JUN, 10.0, None)],
    }
    for (name, home), visits in weights.items():
        child_id = _named(connection, name, BORN, home)
        for day, kg, cm in visits:
            weigh(connection, child_id, day, home, kg, cm)
    recompute_derived(connection)


def _flows(connection: Connection, a: int, b: int) -> None:
    plan = [
        ("a1", a, date(2022, 1, 5), -2.5, -2.4),
        ("a2", a, date(2022, 1, 6), -1.0, -2.2),
        ("a3", a, date(2022, 1, 7), -2.1, -1.5),
        ("a4", a, date(2022, 1, 8), 0.0, 0.3),
        ("a5", a, date(2021, 6, 1), -2.6, None),
        ("a6", a, date(2023, 3, 1), None, -3.0),
        ("b1", b, date(2022, 1, 9), -2.3, -2.5),
        ("b2", b, date(2019, 7, 1), -1.0, None),
    ]
    for name, home, born, first, second in plan:
        child_id = _named(connection, name, born, home)
        for day, haz in ((FEB, first), (AUG, second)):
            if haz is not None:
                visit(connection, child_id, day, home, haz=haz)
    connection.execute(
        insert(table_of(MeasurementRound)),
        [
            {"kind": RoundKind.BULAN_TIMBANG, "month": date(2024, 2, 1)},
            {"kind": RoundKind.BULAN_TIMBANG, "month": date(2024, 8, 1)},
        ],
    )


def _users(connection: Connection, a: int) -> None:
    puskesmas = connection.execute(
        insert(table_of(Puskesmas))
        .values(name="Puskesmas Uji", kecamatan_code="36.72.01")
        .returning(table_of(Puskesmas).c.id)
    ).scalar_one()
    connection.execute(
        insert(table_of(PuskesmasArea)).values(kelurahan_code=CIBEBER, puskesmas_id=puskesmas)
    )
    now = datetime.now(UTC)
    for user in (
        NewUser("dinkes", "Dinkes", Role.ADMIN, PASSWORD),
        NewUser("analis", "Analis", Role.ANALYST, PASSWORD),
        NewUser("gizi", "Gizi", Role.NUTRITIONIST, PASSWORD, puskesmas_id=int(puskesmas)),
        NewUser("kader", "Kader", Role.KADER, PASSWORD, posyandu_id=a),
    ):
        create_user(connection, user, now)


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        a, b = posyandu(connection, CIBEBER), posyandu(connection, BAGENDUNG)
        _referrals(connection, a, b)
        _flows(connection, a, b)
        _users(connection, a)
    return empty_engine


ClientFor = Callable[[str], TestClient]


@pytest.fixture
def client_for(engine: Engine) -> ClientFor:
    url = engine.url.render_as_string(hide_password=False)
    app = create_app(settings_for(url), engine=engine)

    def make(username: str) -> TestClient:
        client = TestClient(app)
        sign_in(client, username, PASSWORD)
        return client

    return make


def _listed(page: str) -> list[str]:
    return [cells(row)[0] for row in nodes(page, "//table[@id='referrals']/tbody/tr")]


def test_admin_sees_every_child_to_refer_with_reasons_in_indonesian(client_for: ClientFor) -> None:
    client = client_for("dinkes")
    page = client.get("/referral-list?month=2024-06")
    assert page.status_code == 200
    html = page.text
    # Siti stunted, Dewi 2T, Rina BGM; Yuni is a single T: counselled, not referred
    assert text(html, "//*[@id='summary']") == "Juni 2024, Kota Cilegon: 3 anak perlu dirujuk."
    assert texts(html, "//ul[@id='reason-counts']/li") == [
        "Gizi buruk 0",
        "BGM 1",
        "Gizi kurang 0",
        "2T 1",
        "BB kurang 0",
        "Stunting 1",
    ]
    rows = {
        cells(r)[0]: cells(r)[1:3] for r in nodes(html, "//table[@id='referral-areas']/tbody/tr")
    }
    assert rows["Cibeber"] == ["3", "0"]  # children, gizi buruk
    assert rows["Cilegon"] == ["0", "0"]
    assert sorted(_listed(html)) == ["Dewi Uji", "Rina Uji", "Siti Uji"]
    siti = next(
        r for r in nodes(html, "//table[@id='referrals']/tbody/tr") if "Siti" in cells(r)[0]
    )
    # WAZ ((10.4 / 9.9851) ** -0.2548 - 1) / (-0.2548 * 0.12305) = 0.33 (weianthro, 512 days);
    # WHZ ((10.4 / 8.5679) ** -0.3833 - 1) / (-0.3833 * 0.09043) = 2.07 (wflanthro, 72 cm).
    assert cells(siti)[1:] == [
        "Stunting", "Perempuan", "16", "10/06/2024", "10,4", "72,0", "T", "-2,64", "0,33",
        "2,07", "Uji 10011",
    ]  # fmt: skip
    links = [str(href) for href in siti.xpath(".//a/@href")]
    assert links[0].startswith("/children/")


def test_kader_sees_only_her_posyandu_and_is_refused_another_area(client_for: ClientFor) -> None:
    client = client_for("kader")
    page = client.get("/referral-list?month=2024-06")
    assert text(page.text, "//*[@id='summary']").endswith(": 3 anak perlu dirujuk.")
    assert sorted(_listed(page.text)) == ["Dewi Uji", "Rina Uji", "Siti Uji"]
    assert "Yuni" not in page.text
    assert client.get("/referral-list?month=2024-06&area=36.72.02").status_code == 404
    assert client.get("/api/v1/referrals?month=2024-06&area=36.72.02.1001").status_code == 404


def test_nutritionist_sees_her_puskesmas_area_only(client_for: ClientFor) -> None:
    client = client_for("gizi")
    page = client.get("/referral-list?month=2024-06")
    summary = text(page.text, "//*[@id='summary']")
    assert summary == "Juni 2024, Kelurahan Cibeber: 3 anak perlu dirujuk."
    assert "Yuni" not in page.text
    city = client.get("/referral-list?month=2024-06&area=36.72").text
    assert text(city, "//*[@id='summary']") == "Juni 2024, Kota Cilegon: 3 anak perlu dirujuk."
    assert text(city, "//*[@id='partial']") == (
        "Hanya bagian wilayah ini yang termasuk wilayah kerja Anda yang dihitung."
    )
    assert client.get("/referral-list?month=2024-06&area=36.72.02").status_code == 404
    data = client.get("/api/v1/referrals?month=2024-06").json()
    assert data["total"]["children"] == 3
    assert {c["name"] for c in data["children"]} == {"Siti Uji", "Dewi Uji", "Rina Uji"}


def test_analyst_sees_counts_but_no_child(client_for: ClientFor) -> None:
    client = client_for("analis")
    page = client.get("/referral-list?month=2024-06")
    assert text(page.text, "//*[@id='summary']") == "Juni 2024, Kota Cilegon: 3 anak perlu dirujuk."
    assert nodes(page.text, "//table[@id='referrals']") == []
    assert text(page.text, "//*[@id='counts-only']").startswith("Nama anak hanya ditampilkan")
    assert not any(name in page.text for name in REFERRAL_NAMES)
    data = client.get("/api/v1/referrals?month=2024-06").json()
    assert data["children"] is None
    assert {k: n for k, n in data["total"]["by_reason"].items() if n} == {
        "2T": 1, "BGM": 1, "stunted": 1
    }  # fmt: skip
    assert [(a["area"]["name"], a["children"]) for a in data["areas"] if a["children"]] == [
        ("Cibeber", 3),
    ]


def test_a_month_that_is_no_month_is_refused_with_a_message(client_for: ClientFor) -> None:
    client = client_for("dinkes")
    page = client.get("/referral-list?month=0999-06")
    assert page.status_code == 400
    assert text(page.text, "//p[@class='message']").startswith(
        "'0999-06' bukan bulan yang dapat dilaporkan Tumbuh"
    )


def _flow_cells(page: str, xpath: str) -> list[str]:
    return cells(nodes(page, xpath)[0])


def test_flows_default_to_the_last_two_rounds_and_count_each_child_once(
    client_for: ClientFor,
) -> None:
    client = client_for("dinkes")
    page = client.get("/cohort-flows")
    assert page.status_code == 200
    html = page.text
    assert text(html, "//*[@id='summary']") == (
        "Kota Cilegon: dari 4 anak yang stunting pada Februari 2024, 2 masih stunting pada "
        "Agustus 2024 dan 1 sudah pulih; 1 anak yang diukur pada kedua putaran menjadi stunting."
    )
    assert text(html, "//*[@id='first-percent']") == "57,14%"
    assert text(html, "//*[@id='second-percent']") == "66,67%"
    heads = texts(html, "//table[@id='flows']/thead//th")
    assert heads[1:] == [
        "Tetap stunting", "Baru stunting", "Pulih", "Tidak pernah stunting",
        "Tidak diukur lagi", "Lewat usia balita (60 bulan)", "Baru diukur", "Anak",
    ]  # fmt: skip
    total = cells(nodes(html, "//tr[@id='flows-total']")[0])
    assert total == ["2", "1", "1", "1", "1 (1)", "1 (0)", "1 (1)", "8"]
    summary = [
        (" ".join(str(row.xpath("string(th)")).split()), cells(row)[0])
        for row in nodes(html, "//table[@id='flows-summary']//tr")
    ]
    assert summary == [
        ("Tetap stunting", "2"), ("Baru stunting", "1"), ("Pulih", "1"),
        ("Tidak pernah stunting", "1"), ("Tidak diukur lagi", "1 (1)"),
        ("Lewat usia balita (60 bulan)", "1 (0)"), ("Baru diukur", "1 (1)"), ("Anak", "8"),
    ]  # fmt: skip
    cibeber = _flow_cells(html, "//table[@id='flows']/tbody/tr[@data-kode='36.72.01']")
    assert cibeber == ["Cibeber", "1", "1", "1", "1", "1 (1)", "0 (0)", "1 (1)", "6"]
    cilegon = _flow_cells(html, "//table[@id='flows']/tbody/tr[@data-kode='36.72.02']")
    assert cilegon == ["Cilegon", "1", "0", "0", "0", "0 (0)", "1 (0)", "0 (0)", "2"]
    assert "Hanya diukur pada putaran pertama" in text(html, "//dl[@id='definitions']")


def test_nutritionist_flows_leave_out_other_areas(client_for: ClientFor) -> None:
    client = client_for("gizi")
    html = client.get("/cohort-flows?from=2024-02&to=2024-08").text
    assert nodes(html, "//tr[@data-kode='36.72.02']") == []
    total = cells(nodes(html, "//tr[@id='flows-total']")[0])
    assert total == ["1", "1", "1", "1", "1 (1)", "0 (0)", "1 (1)", "6"]
    data = client.get("/api/v1/cohort-flows?from=2024-02&to=2024-08").json()
    assert (data["total"]["measured_first"], data["total"]["stunted_first"]) == (5, 3)
    assert (data["total"]["measured_second"], data["total"]["stunted_second"]) == (5, 3)
    assert client.get("/cohort-flows?area=36.72.02").status_code == 404


def test_flows_in_the_wrong_order_say_so(client_for: ClientFor) -> None:
    client = client_for("dinkes")
    html = client.get("/cohort-flows?from=2024-08&to=2024-02").text
    assert text(html, "//*[@id='order-error']").startswith(
        "Putaran pertama harus berakhir sebelum putaran kedua dimulai"
    )
    assert client.get("/api/v1/cohort-flows?from=2024-08&to=2024-02").status_code == 400


def test_flows_of_a_register_without_two_rounds_ask_for_both_rounds(
    empty_engine: Engine,
) -> None:
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        create_user(
            connection, NewUser("dinkes", "Dinkes", Role.ADMIN, PASSWORD), datetime.now(UTC)
        )
    url = empty_engine.url.render_as_string(hide_password=False)
    client = TestClient(create_app(settings_for(url), engine=empty_engine))
    sign_in(client, "dinkes", PASSWORD)
    answer = client.get("/api/v1/cohort-flows")
    assert answer.status_code == 400
    assert answer.json()["detail"] == (
        "register belum memiliki dua putaran bulan timbang; isikan kedua putaran, misalnya "
        "from=2024-02&to=2024-08"
    )
    page = client.get("/cohort-flows")
    assert page.status_code == 200


def test_flows_by_age_group_add_up_to_those_of_all_balita(client_for: ClientFor) -> None:
    client = client_for("dinkes")
    answers = {
        age: client.get(f"/api/v1/cohort-flows?from=2024-02&to=2024-08&age={age}").json()
        for age in ("baduta", "24-59", "all")
    }
    assert [answers[age]["age_group"] for age in answers] == ["baduta", "24-59", "all"]
    young, old, total = (answers[age]["total"] for age in ("baduta", "24-59", "all"))
    for key in ("measured_first", "stunted_first", "measured_second", "stunted_second"):
        assert young[key] + old[key] == total[key], key
    for flow, count in total["counts"].items():
        assert young["counts"][flow] + old["counts"][flow] == count, flow
    assert young["measured_second"] > 0  # the register has children of both groups
    assert old["measured_second"] > 0
    html = client.get("/cohort-flows?from=2024-02&to=2024-08&age=baduta").text
    assert text(html, "//select[@id='age']/option[@selected]") == "Baduta (0–23 bulan)"
    assert client.get("/cohort-flows?age=0-59").status_code == 422
