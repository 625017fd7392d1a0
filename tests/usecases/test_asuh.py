"""Bapak Asuh on both databases (docs/asuh.md): who may, what is audited, the money that
can never be disbursed twice (also by two connections at once), the fair proposal list
from the open stunting cases, the sponsor's own view and the public figures."""

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, Engine, func, select

from tests.db.helpers import add_child, add_measurement, add_posyandu
from tests.db.kitchen_helpers import add_kitchen
from tumbuh.db.audit import Actor
from tumbuh.db.engine import create_engine
from tumbuh.db.measurements import rederive_children
from tumbuh.db.models import Base, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_asuh import Allocation, Disbursement, Payment
from tumbuh.db.setup import upgrade_database
from tumbuh.db.surveillance.areas import Area, AreaKind
from tumbuh.db.users import NewUser, create_user
from tumbuh.errors import InputError
from tumbuh.growth.asuh import AsuhanKind, PledgeKind, RecipientKind, SponsorKind
from tumbuh.growth.enums import Position
from tumbuh.growth.periods import month_period
from tumbuh.i18n import Language, translations
from tumbuh.usecases import asuh, asuh_money, asuh_views, asuhan, cases
from tumbuh.usecases.access import OutOfScope, Role, Scope, scope_for
from tumbuh.usecases.asuh_input import (
    AsuhanTerms,
    FieldError,
    NewDelivery,
    NewDisbursement,
    NewPayment,
    NewPledge,
    NewSponsor,
)
from tumbuh.usecases.places import load_places
from tumbuh.usecases.transactions import writing

CITY = "36.72"
KELURAHAN_A, KELURAHAN_B = "36.72.01.1001", "36.72.01.1002"
ADMIN = asuh.COMMAND_LINE_SCOPE
ANALYST = Scope(Role.ANALYST, None, None, False, False, False, False, False, True)
PARTNER = Scope(Role.PARTNER, None, None, False, False, False, False, False)
NUTRITIONIST = Scope(
    Role.NUTRITIONIST, frozenset({KELURAHAN_A}), None, True, True, True, True, False
)
TOOL = Actor("cli:test")
TODAY = date(2024, 9, 30)
TODAY_AT = datetime(2024, 9, 30, 8, 0, tzinfo=UTC)
ID = translations(Language.ID).gettext


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def _sponsors(connection: Connection) -> tuple[int, int]:
    with writing(connection):
        return tuple(  # type: ignore[return-value]
            asuh.record_sponsors(
                connection,
                TOOL,
                [
                    NewSponsor(
                        SponsorKind.OFFICIAL, "Kepala Dinas Uji", "Dinas Uji", listed_publicly=True
                    ),
                    NewSponsor(SponsorKind.COMPANY, "PT Baja Uji", "CSR PT Baja Uji"),
                ],
            )
        )


def _paid(connection: Connection, sponsor: int, day: date, amount: int, reference: str) -> int:
    new = NewPayment(sponsor, day, amount, reference)
    return asuh_money.add_payment(connection, ADMIN, TOOL, new)


def _disburse(connection: Connection, day: date, amount: int, sponsor_id: int | None = None) -> int:
    reference = f"PROP-{day:%m%d}-{amount}"
    new = NewDisbursement(
        day, KELURAHAN_A, amount, reference, kitchen_name="Dapur Umum PKK", sponsor_id=sponsor_id
    )
    return asuh_money.add_disbursement(connection, ADMIN, TOOL, new, city_code=CITY)


def _count(connection: Connection, model: type[Base]) -> int:
    return int(connection.execute(select(func.count()).select_from(table_of(model))).scalar_one())


def _audits(connection: Connection, entity: str) -> list[dict[str, object]]:
    a = table_of(AuditEntry)
    rows = connection.execute(select(a.c.after).where(a.c.entity == entity).order_by(a.c.id))
    return [json.loads(r[0]) for r in rows]


def test_only_the_tpps_and_administrators_run_bapak_asuh(engine: Engine) -> None:
    with engine.connect() as connection:
        official, _ = _sponsors(connection)
        sponsor = Scope(
            Role.SPONSOR,
            frozenset(),
            frozenset(),
            False,
            False,
            False,
            False,
            False,
            sponsor_id=official,
        )
        for scope in (PARTNER, NUTRITIONIST, sponsor):
            with pytest.raises(OutOfScope):
                asuh.sponsor_list(connection, scope)
            with pytest.raises(OutOfScope):
                asuh_money.add_payment(connection, scope, TOOL, NewPayment(official, TODAY, 5, "X"))
            with pytest.raises(OutOfScope):
                asuhan.proposal_list(connection, scope, TODAY)
        assert [s.name for s in asuh.sponsor_list(connection, ANALYST)] == [
            "Kepala Dinas Uji",
            "PT Baja Uji",
        ]
        with pytest.raises(OutOfScope):
            asuh_views.sponsor_view(connection, ANALYST, TODAY)


def test_scope_for_gives_the_tpps_asuh_and_a_sponsor_nothing_of_the_registry(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        official, _ = _sponsors(connection)
        with writing(connection):
            analyst = create_user(
                connection, NewUser("analis", "A", Role.ANALYST, "x" * 10), TODAY_AT
            )
            user = create_user(
                connection,
                NewUser("pak", "P", Role.SPONSOR, "x" * 10, sponsor_id=official),
                TODAY_AT,
            )
        assert scope_for(connection, analyst).may_manage_asuh
        scope = scope_for(connection, user)
        assert (scope.sponsor_id, scope.kelurahan, scope.posyandu) == (
            official,
            frozenset(),
            frozenset(),
        )
        assert not scope.may_see_children
        assert not scope.may_manage_asuh
        assert not scope.whole_city
        assert not scope.covers_kelurahan(KELURAHAN_A)
        with pytest.raises(InputError) as refused, writing(connection):
            create_user(connection, NewUser("tanpa", "T", Role.SPONSOR, "x" * 10), TODAY_AT)
        assert "--sponsor" in str(refused.value)


def test_money_is_audited_and_drawn_on_the_oldest_payments(engine: Engine) -> None:
    with engine.connect() as connection:
        official, company = _sponsors(connection)
        asuh.add_pledge(
            connection,
            ADMIN,
            TOOL,
            NewPledge(
                official, PledgeKind.MONEY, date(2023, 11, 1), 3, monthly_amount_rupiah=3_000_000
            ),
        )
        first = _paid(connection, official, date(2023, 11, 10), 3_000_000, "BZN-001")
        second = _paid(connection, company, date(2023, 11, 20), 10_000_000, "BZN-002")
        paid_out = _disburse(connection, date(2023, 11, 27), 7_500_000)
        views = asuh_money.disbursement_list(connection, ADMIN)
        assert [(v.disbursement.id, v.sponsors) for v in views] == [
            (paid_out, [("Kepala Dinas Uji", 3_000_000), ("PT Baja Uji", 4_500_000)])
        ]
        drawn = _audits(connection, "asuh_disbursement")[0]["drawn_on"]
        assert drawn == [
            {"payment_id": first, "amount_rupiah": 3_000_000},
            {"payment_id": second, "amount_rupiah": 4_500_000},
        ]
        assert [a["reference"] for a in _audits(connection, "asuh_payment")] == [
            "BZN-001",
            "BZN-002",
        ]
        assert _audits(connection, "asuh_pledge")[0]["monthly_amount_rupiah"] == 3_000_000
        assert asuh_money.balance(connection, ADMIN, TODAY).left == 5_500_000
        lines = asuh_money.money_summary(
            connection, ADMIN, asuh_money.SummaryBy.SPONSOR, city_code=CITY
        )
        assert [(x.label, x.pledged, x.received, x.disbursed) for x in lines] == [
            ("Kepala Dinas Uji", 9_000_000, 3_000_000, 3_000_000),
            ("PT Baja Uji", 0, 10_000_000, 4_500_000),
        ]
        months = asuh_money.money_summary(
            connection, ADMIN, asuh_money.SummaryBy.MONTH, city_code=CITY
        )
        assert [(x.key, x.pledged, x.received, x.disbursed) for x in months] == [
            ("2023-11", 3_000_000, 13_000_000, 7_500_000),
            ("2023-12", 3_000_000, 0, 0),
            ("2024-01", 3_000_000, 0, 0),
        ]


def test_a_disbursement_over_the_balance_is_refused_and_names_both_amounts(engine: Engine) -> None:
    with engine.connect() as connection:
        official, company = _sponsors(connection)
        _paid(connection, official, date(2023, 11, 10), 3_000_000, "BZN-001")
        _paid(connection, company, date(2023, 11, 28), 10_000_000, "BZN-002")
        with pytest.raises(FieldError) as refused:
            _disburse(connection, date(2023, 11, 27), 7_500_000)  # the second came a day later
        assert refused.value.field == "amount_rupiah"
        assert refused.value.translated(ID) == (
            "Jumlah (Rp): penyaluran Rp 7.500.000 pada 27/11/2023 melebihi saldo Rp 3.000.000, "
            "yaitu uang yang diterima Baznas sampai hari itu dan belum disalurkan. Tidak ada "
            "yang disimpan; catat dulu penerimaan uangnya, atau salurkan lebih sedikit"
        )
        assert (_count(connection, Disbursement), _count(connection, Allocation)) == (0, 0)
        assert _audits(connection, "asuh_disbursement") == []
        with pytest.raises(FieldError) as only_theirs:  # only the company's money: none by then
            _disburse(connection, date(2023, 11, 27), 1_000_000, sponsor_id=company)
        assert "Rp 0" in str(only_theirs.value)
        _disburse(connection, date(2023, 11, 29), 7_500_000, sponsor_id=company)
        with pytest.raises(FieldError, match="BZN-001"):
            _paid(connection, official, date(2023, 11, 30), 1, "BZN-001")


def _hold_the_ledger_and_disburse_from_another_connection(
    engine: Engine,
) -> tuple[list[object], bool]:
    """Connection A disburses 6 million of 10 and waits before committing; meanwhile
    connection B asks for 6 million too. What B got, and whether it had to wait."""
    with engine.connect() as connection:
        official, _ = _sponsors(connection)
        _paid(connection, official, date(2024, 9, 2), 10_000_000, "BZN-100")
    outcome: list[object] = []

    def second() -> None:
        with engine.connect() as other:
            try:
                outcome.append(_disburse(other, date(2024, 9, 10), 6_000_000))
            except FieldError as error:
                outcome.append(error)

    with engine.connect() as first:
        with writing(first):
            new = NewDisbursement(
                date(2024, 9, 10), KELURAHAN_A, 6_000_000, "PROP-A", kitchen_name="Dapur A"
            )
            asuh_money.record_disbursements(first, TOOL, [new], city_code=CITY)
            racer = threading.Thread(target=second)
            racer.start()
            time.sleep(1.0)
            waited = racer.is_alive()  # B waits for A's lock (or SQLite's write lock)
        racer.join(timeout=30)
    return outcome, waited


def test_a_disbursement_to_an_unknown_kitchen_is_refused_and_nothing_is_kept(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        official, _ = _sponsors(connection)
        _paid(connection, official, date(2023, 11, 10), 3_000_000, "BZN-001")
        new = NewDisbursement(
            date(2023, 11, 27),
            KELURAHAN_A,
            1_000_000,
            "PROP-1",
            kitchen_name="Dapur",
            kitchen_id=999,
        )
        with pytest.raises(FieldError) as refused:
            asuh_money.add_disbursement(connection, ADMIN, TOOL, new, city_code=CITY)
        assert refused.value.field == "kitchen_id"
        assert "tidak ada dapur bernomor 999" in refused.value.translated(ID)
        assert _count(connection, Disbursement) == 0


def test_a_disbursement_to_a_kitchen_of_another_kelurahan_is_refused(engine: Engine) -> None:
    with engine.connect() as connection:
        official, _ = _sponsors(connection)
        _paid(connection, official, date(2023, 11, 10), 3_000_000, "BZN-001")
        with writing(connection):
            elsewhere = add_kitchen(connection, KELURAHAN_B, "Dapur Umum PKK Tetangga")
            own = add_kitchen(connection, KELURAHAN_A, "Dapur Umum PKK Sendiri")
        new = NewDisbursement(
            date(2023, 11, 27), KELURAHAN_A, 1_000_000, "PROP-1", kitchen_id=elsewhere
        )
        with pytest.raises(FieldError) as refused:
            asuh_money.add_disbursement(connection, ADMIN, TOOL, new, city_code=CITY)
        assert refused.value.field == "kitchen_id"
        assert f"dapur nomor {elsewhere} memasak di kelurahan" in refused.value.translated(ID)
        assert _count(connection, Disbursement) == 0
        kept = NewDisbursement(date(2023, 11, 27), KELURAHAN_A, 1_000_000, "PROP-1", kitchen_id=own)
        asuh_money.add_disbursement(connection, ADMIN, TOOL, kept, city_code=CITY)
        assert _count(connection, Disbursement) == 1


def test_two_disbursements_at_once_cannot_both_spend_the_balance(engine: Engine) -> None:
    outcome, waited = _hold_the_ledger_and_disburse_from_another_connection(engine)
    assert waited
    [error] = outcome
    assert isinstance(error, FieldError)
    assert "saldo Rp 4.000.000" in error.translated(ID)
    with engine.connect() as connection:
        assert (
            connection.execute(
                select(func.sum(table_of(Disbursement).c.amount_rupiah))
            ).scalar_one()
            == 6_000_000
        )


@pytest.fixture
def postgres_engine(new_database_url: Callable[[str], str]) -> Iterator[Engine]:
    """A PostgreSQL database at the newest schema (skipped, or failed in CI, without one)."""
    engine = create_engine(new_database_url("postgresql"))
    upgrade_database(engine)
    yield engine
    engine.dispose()


def test_without_the_ledger_lock_postgresql_would_spend_the_balance_twice(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The control of the test above: it fails when the lock is gone. (SQLite's write
    # transaction lets one writer in at a time anyway: BEGIN IMMEDIATE.)
    monkeypatch.setattr(asuh_money, "lock_ledger", lambda _connection: None)
    outcome, waited = _hold_the_ledger_and_disburse_from_another_connection(postgres_engine)
    assert not waited
    assert [type(x) for x in outcome] == [int]  # B disbursed 6 million of the same 10


def _stunted_city(connection: Connection) -> dict[str, int]:
    """Two kelurahan: A with two stunted baduta and a stunted older balita, B with one
    stunted baduta; all measured on 15 August 2024, their cases opened."""
    with connection.begin():
        a = add_posyandu(connection, "P-A", KELURAHAN_A, "Mawar")
        b = add_posyandu(connection, "P-B", KELURAHAN_B, "Kenanga")
        children = {
            "a_baby": (a, date(2023, 8, 1), 64.0, 6.5),  # 12 months
            "a_toddler": (a, date(2023, 2, 10), 74.5, 8.8),  # 18 months
            "a_older": (a, date(2022, 3, 10), 80.0, 11.0),  # 29 months
            "b_baby": (b, date(2023, 5, 5), 68.0, 7.6),  # 15 months
        }
        ids = {}
        for key, (place, born, height, weight) in children.items():
            child = add_child(connection, birth_date=born, posyandu_id=place)
            add_measurement(
                connection,
                child_id=child,
                measured_on=date(2024, 8, 15),
                weight_kg=weight,
                height_cm=height,
                position=Position.LENGTH if born > date(2022, 8, 15) else Position.HEIGHT,
                posyandu_id=place,
            )
            ids[key] = child
        rederive_children(connection, list(ids.values()))
    places = load_places(connection, CITY)
    cases.open_cases(
        connection,
        ADMIN,
        month_period(2024, 8),
        places=places,
        area=Area(CITY, "Kota", AreaKind.KOTA),
        user=TOOL,
    )
    return ids


def test_the_proposal_list_puts_baduta_first_and_spreads_across_kelurahan(engine: Engine) -> None:
    with engine.connect() as connection:
        ids = _stunted_city(connection)
        listed = asuhan.proposal_list(connection, ADMIN, TODAY)
        order = [p.child_id for p in listed]
        first_round = sorted(
            [ids["a_baby"], ids["b_baby"]],
            key=lambda c: next(p.haz or 0.0 for p in listed if p.child_id == c),
        )
        assert order == [*first_round, ids["a_toddler"], ids["a_older"]]
        assert [p.baduta for p in listed] == [True, True, True, False]
        assert listed[0].child.startswith("Anak ")  # administrators see the name
        assert (
            asuhan.proposal_list(connection, ANALYST, TODAY)[0].child
            == "A. " + listed[0].child.split()[1][0] + "."
        )
        official, _ = _sponsors(connection)
        terms = AsuhanTerms(
            official, AsuhanKind.PRIORITAS, date(2024, 9, 1), date(2024, 11, 30), None
        )
        confirmed = asuhan.confirm_asuhan(connection, ANALYST, TOOL, terms, child_ids=order[:2])
        assert len(confirmed) == 2
        assert [p.child_id for p in asuhan.proposal_list(connection, ADMIN, TODAY)] == order[2:]
        with pytest.raises(FieldError, match="already has an asuhan"):
            asuhan.confirm_asuhan(connection, ANALYST, TOOL, terms, child_ids=order[:1])
        stored = asuhan.asuhan_list(connection, ANALYST, TODAY, sponsor_id=official)
        assert all(a["case_id"] is not None for a in _audits(connection, "asuhan"))
        assert [a.who[:2] for a in stored] == ["A.", "A."]  # initials for the TPPS analyst
        assert len(_audits(connection, "asuhan")) == 2  # one per child


def test_a_sponsor_sees_only_their_children_by_initials_and_their_money(engine: Engine) -> None:
    with engine.connect() as connection:
        ids = _stunted_city(connection)
        official, company = _sponsors(connection)
        terms = AsuhanTerms(official, AsuhanKind.PRIORITAS, date(2024, 9, 1), None, None)
        [mine] = asuhan.confirm_asuhan(connection, ADMIN, TOOL, terms, child_ids=[ids["a_baby"]])
        other = AsuhanTerms(company, AsuhanKind.PENDAMPING, date(2024, 9, 1), None, None)
        asuhan.confirm_asuhan(connection, ADMIN, TOOL, other, child_ids=[ids["b_baby"]])
        asuhan.add_delivery(
            connection,
            ADMIN,
            TOOL,
            NewDelivery(mine, date(2024, 9, 5), "Telur 30 butir", "TPK Mawar"),
        )
        _paid(connection, official, date(2024, 9, 2), 3_000_000, "BZN-1")
        _paid(connection, company, date(2024, 9, 3), 9_000_000, "BZN-2")
        _disburse(connection, date(2024, 9, 10), 4_000_000)
        scope = Scope(
            Role.SPONSOR,
            frozenset(),
            frozenset(),
            False,
            False,
            False,
            False,
            False,
            sponsor_id=official,
        )
        view = asuh_views.sponsor_view(connection, scope, TODAY)
        [item] = view.asuhan
        [child] = item.children
        assert (child.initials, child.age_months, item.kelurahan_name) == (
            "A. 2.",
            13,
            item.kelurahan_name,
        )
        assert [(p.month, p.age_months) for p in child.trend] == [(date(2024, 8, 1), 12)]
        assert (child.trend[0].haz or 0.0) < -2
        assert [(d.what, d.delivered_on) for d in item.deliveries] == [
            ("Telur 30 butir", date(2024, 9, 5))
        ]
        assert (view.paid, view.disbursed) == (3_000_000, 3_000_000)  # the oldest money went first
        assert [(u.kelurahan_name, u.amount_rupiah) for u in view.uses] == [
            (item.kelurahan_name, 3_000_000)
        ]
        text = repr(view)
        for private in ("Anak 2023", "2023-08-01", "PT Baja"):  # name, birth date, other sponsor
            assert private not in text


def test_the_public_figures_name_only_consenting_sponsors_and_withhold_small_counts(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        ids = _stunted_city(connection)
        official, company = _sponsors(connection)
        terms = AsuhanTerms(official, AsuhanKind.PRIORITAS, date(2024, 9, 1), None, None)
        asuhan.confirm_asuhan(connection, ADMIN, TOOL, terms, child_ids=list(ids.values()))
        _paid(connection, company, date(2024, 9, 3), 9_000_000, "BZN-2")
        _disburse(connection, date(2024, 9, 10), 7_500_000)
        public = asuh_views.transparency(connection, TODAY, city_code=CITY)
        assert (public.sponsors, public.named) == (2, ["Kepala Dinas Uji"])
        assert (public.received, public.disbursed, public.children) == (9_000_000, 7_500_000, None)
        assert [(k.code, k.disbursed, k.children) for k in public.kelurahan] == [
            (KELURAHAN_A, 7_500_000, None),  # 3 children: withheld
            (KELURAHAN_B, 0, None),
        ]


def test_the_monthly_statement_carries_each_sponsors_balance(engine: Engine) -> None:
    with engine.connect() as connection:
        official, company = _sponsors(connection)
        _paid(connection, official, date(2023, 10, 31), 2_000_000, "BZN-1")
        _paid(connection, company, date(2023, 11, 3), 9_000_000, "BZN-2")
        _disburse(connection, date(2023, 11, 10), 7_500_000)
        _paid(connection, official, date(2023, 12, 1), 1_000_000, "BZN-3")
        statement = asuh_money.baznas_statement(
            connection, ADMIN, month_period(2023, 11), city_code=CITY
        )
        got = [
            (s.sponsor_name, s.opening, s.received, s.disbursed, s.closing)
            for s in statement.sponsors
        ]
        assert got == [
            ("Kepala Dinas Uji", 2_000_000, 0, 2_000_000, 0),
            ("PT Baja Uji", 0, 9_000_000, 5_500_000, 3_500_000),
        ]
        assert (statement.total("opening"), statement.total("closing")) == (2_000_000, 3_500_000)
        assert [(k.kelurahan_code, k.disbursements, k.disbursed) for k in statement.kelurahan] == [
            (KELURAHAN_A, 1, 7_500_000)
        ]
        assert [p.reference for p in statement.payments] == ["BZN-2"]


def test_a_generator_records_a_cohort_in_one_transaction(engine: Engine) -> None:
    with engine.connect() as connection:
        with writing(connection):
            ids = asuh.record_sponsors(
                connection,
                TOOL,
                [NewSponsor(SponsorKind.OFFICIAL, f"Pejabat {i}", "OPD") for i in range(44)],
            )
            pledges = [
                NewPledge(
                    i, PledgeKind.MONEY, date(2023, 11, 1), 3, monthly_amount_rupiah=3_000_000
                )
                for i in ids
            ]
            asuh.record_pledges(connection, TOOL, pledges)
            payments = [NewPayment(i, date(2023, 11, 20), 6_200_000, f"R{i}") for i in ids[:5]]
            asuh_money.record_payments(connection, TOOL, payments)
            kitchen = NewDisbursement(
                date(2023, 11, 27), KELURAHAN_A, 7_500_000, "P1", RecipientKind.FAMILY
            )
            done = asuh_money.record_disbursements(connection, TOOL, [kitchen] * 4, city_code=CITY)
        assert len(done) == 4
        assert _count(connection, Payment) == 5
        assert len(_audits(connection, "asuh_sponsor")) == 44
        too_much = NewDisbursement(
            date(2023, 11, 28), KELURAHAN_B, 1_000_001, "P2", RecipientKind.FAMILY
        )
        late = NewPayment(ids[9], date(2023, 11, 29), 5_000_000, "R-late")
        with pytest.raises(FieldError):  # 31 million in by the 28th, 30 out: 1 left
            _batch(connection, late, too_much)
        assert _count(connection, Payment) == 5  # the refusal rolled the whole batch back


def _batch(connection: Connection, payment: NewPayment, disbursement: NewDisbursement) -> None:
    with writing(connection):
        asuh_money.record_payments(connection, TOOL, [payment])
        asuh_money.record_disbursements(connection, TOOL, [disbursement], city_code=CITY)
