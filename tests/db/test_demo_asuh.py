"""The demo city's Bapak Asuh (docs/demo-city.md, "Bapak Asuh"): the 31 Oct 2023 cohort,
the Rp 31 million of 27 Nov 2023, balances never negative, asuhan of stunted children
with an open case, and the demo sponsor's sign-in seeing their children."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, func, select

from tests.conftest import BACKENDS, PostgresServer
from tumbuh.db.engine import create_engine
from tumbuh.db.models import Measurement, MeasurementDerived, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_asuh import Asuhan, Delivery, Disbursement, Payment, Pledge, Sponsor
from tumbuh.db.models_cases import NutritionCase
from tumbuh.db.models_pmt import Kitchen, KitchenFunding
from tumbuh.db.users import authenticate
from tumbuh.demo.generate import generate_demo_city
from tumbuh.demo.settings import DemoConfig
from tumbuh.growth.asuh import SponsorKind
from tumbuh.growth.pmt import Funding
from tumbuh.usecases.access import Role, scope_for
from tumbuh.usecases.asuh_views import sponsor_view
from tumbuh.usecases.users import DEMO_PASSWORD, ensure_demo_users

SMALL = DemoConfig(seed=11, scale=0.02)


@pytest.fixture(scope="module", params=BACKENDS)
def city(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """One small demo city per backend for the whole module."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('asuh') / 'city.sqlite'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.new_database()
    engine = create_engine(url)
    generate_demo_city(engine, SMALL)
    yield engine
    engine.dispose()


def _rows(engine: Engine, model: type) -> list[dict[str, object]]:
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(select(table_of(model)))]


def test_44_officials_pledged_on_31_october_2023(city: Engine) -> None:
    sponsors = {s["id"]: s for s in _rows(city, Sponsor)}
    officials = {i for i, s in sponsors.items() if s["kind"] == SponsorKind.OFFICIAL.value}
    assert len(officials) == 44
    positions = [str(sponsors[i]["institution"]) for i in officials]
    assert "Wali Kota Cilegon" in positions
    assert sum(p.startswith("Camat ") for p in positions) == 8
    assert all(
        p.startswith(("Lurah ", "Camat ", "Kepala ", "Wa", "Sek", "Insp")) for p in positions
    )
    pledges = [p for p in _rows(city, Pledge) if p["sponsor_id"] in officials]
    assert {p["sponsor_id"] for p in pledges} == officials
    assert all(p["start_month"] == date(2023, 11, 1) for p in pledges)
    money = sum(int(p["monthly_amount_rupiah"] or 0) * int(p["months"]) for p in pledges)  # type: ignore[call-overload]
    assert 400_000_000 <= money <= 460_000_000
    with city.connect() as connection:
        a = table_of(AuditEntry)
        actors = connection.execute(
            select(func.distinct(a.c.actor)).where(a.c.entity.like("asuh%"))
        ).scalars()
        assert set(actors) == {"demo"}


def test_by_27_november_2023_five_officials_had_paid_31_million(city: Engine) -> None:
    early = [p for p in _rows(city, Payment) if p["received_on"] <= date(2023, 11, 27)]  # type: ignore[operator]
    assert sum(int(p["amount_rupiah"]) for p in early) == 31_000_000  # type: ignore[call-overload]
    assert len({p["sponsor_id"] for p in early}) == 5


def test_nobody_pays_more_than_pledged(city: Engine) -> None:
    pledged: Counter[object] = Counter()
    for p in _rows(city, Pledge):
        pledged[p["sponsor_id"]] += int(p["monthly_amount_rupiah"] or 0) * int(p["months"])  # type: ignore[call-overload]
    paid: Counter[object] = Counter()
    for p in _rows(city, Payment):
        paid[p["sponsor_id"]] += int(p["amount_rupiah"])  # type: ignore[call-overload]
    assert paid
    assert all(paid[s] <= pledged[s] for s in paid)
    assert sum(paid.values()) < sum(pledged.values())  # most never pay in full


def test_the_balance_is_never_negative_on_any_day(city: Engine) -> None:
    payments, disbursements = _rows(city, Payment), _rows(city, Disbursement)
    assert len(disbursements) >= 3
    assert all(d["amount_rupiah"] == 7_500_000 for d in disbursements)
    assert len({d["kelurahan_code"] for d in disbursements}) == len(disbursements)
    with city.connect() as connection:
        last = connection.execute(
            select(func.max(table_of(Measurement).c.measured_on))
        ).scalar_one()
    day, balance = date(2023, 10, 1), 0
    inflow: defaultdict[date, int] = defaultdict(int)
    for p in payments:
        inflow[p["received_on"]] += int(p["amount_rupiah"])  # type: ignore[call-overload,index]
    for d in disbursements:
        inflow[d["paid_on"]] -= int(d["amount_rupiah"])  # type: ignore[call-overload,index]
    assert max(inflow) <= last
    while day <= last:
        balance += inflow[day]
        assert balance >= 0, day
        day += timedelta(days=1)


def test_each_kitchen_grant_goes_to_a_kitchen_of_its_kelurahan_with_that_funding(
    city: Engine,
) -> None:
    kitchens = {k["id"]: k for k in _rows(city, Kitchen)}
    lines = {
        f["kitchen_id"]: f
        for f in _rows(city, KitchenFunding)
        if f["source"] == Funding.BAPAK_ASUH.value
    }
    disbursements = _rows(city, Disbursement)
    assert disbursements
    for d in disbursements:
        kitchen = kitchens[d["kitchen_id"]]
        assert kitchen["kelurahan_code"] == d["kelurahan_code"]
        assert d["kitchen_name"] == kitchen["name"]
        assert d["amount_rupiah"] == lines[d["kitchen_id"]]["amount_rp"]
    assert len({d["kitchen_id"] for d in disbursements}) == len(disbursements)


def test_asuhan_children_were_stunted_with_an_open_case_at_their_start(city: Engine) -> None:
    asuhan = _rows(city, Asuhan)
    assert asuhan
    cases = {c["id"]: c for c in _rows(city, NutritionCase)}
    with city.connect() as connection:
        last = connection.execute(
            select(func.max(table_of(Measurement).c.measured_on))
        ).scalar_one()
        d = table_of(MeasurementDerived)
        haz = dict(connection.execute(select(d.c.measurement_id, d.c.haz)).all())
    for a in asuhan:
        case = cases[a["case_id"]]
        assert case["child_id"] == a["child_id"]
        assert case["problem"] == "stunting"
        assert case["opened_on"] <= a["start_on"] <= last  # type: ignore[operator]
        closed = case["closed_on"]
        assert closed is None or closed > a["start_on"]  # type: ignore[operator]
        assert haz[case["measurement_id"]] < -2
    kinds = Counter(a["kind"] for a in asuhan)
    assert kinds["prioritas"] >= kinds["pendamping"]
    deliveries = _rows(city, Delivery)
    starts = {a["id"]: a["start_on"] for a in asuhan}
    assert deliveries
    assert all(starts[x["asuhan_id"]] <= x["delivered_on"] <= last for x in deliveries)  # type: ignore[operator]


def test_the_demo_sponsor_signs_in_and_sees_their_children(city: Engine) -> None:
    with city.begin() as connection:
        users = {u.username: u for u in ensure_demo_users(connection)}
    sponsor = users["asuh"]
    assert sponsor.role is Role.SPONSOR
    with city.connect() as connection:
        assert authenticate(connection, "asuh", DEMO_PASSWORD) is not None
        seen = sponsor_view(connection, scope_for(connection, sponsor), date(2024, 12, 31))
        mine = [a for a in _rows(city, Asuhan) if a["sponsor_id"] == sponsor.sponsor_id]
    assert mine
    assert len(seen.asuhan) == len(mine)
    assert all(a.children for a in seen.asuhan)
