"""Cases on both databases: opened from the referral list once per child and problem,
walked through their steps by the roles allowed to, scoped and audited (docs/cases.md)."""

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TypeVar

import pytest
from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from tests.db.helpers import add_child, add_measurement, add_posyandu
from tumbuh.db.audit import Actor
from tumbuh.db.measurements import rederive_children
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_cases import NutritionCase
from tumbuh.db.setup import upgrade_database
from tumbuh.db.surveillance.areas import Area, AreaKind
from tumbuh.db.users import NewUser, create_user
from tumbuh.growth.cases import CaseStatus, Intervention, Outcome, Problem, StepInput, StepProblem
from tumbuh.growth.enums import Position, Sex
from tumbuh.growth.periods import month_period
from tumbuh.growth.referrals import DEFAULT_RULES, ReferralReason
from tumbuh.growth.weight_gain import DEFAULT_KBM
from tumbuh.usecases import cases, referrals, registry
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope
from tumbuh.usecases.places import load_places

CITY = "36.72"
KELURAHAN = "36.72.01.1001"
OTHER_KELURAHAN = "36.72.01.1002"
ADMIN = Scope(Role.ADMIN, None, None, True, True, True, True, True)
ANALYST = Scope(Role.ANALYST, None, None, False, False, False, False, False)
NUTRITIONIST = Scope(Role.NUTRITIONIST, frozenset({KELURAHAN}), None, True, True, True, True, False)
TOOL = Actor("cli:test")
TODAY = date(2024, 9, 30)
AUGUST = month_period(2024, 8)
T = TypeVar("T")


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def _kader(posyandu_id: int) -> Scope:
    return Scope(
        Role.KADER, frozenset({KELURAHAN}), frozenset({posyandu_id}), True, True, True, False, False
    )


def _children(connection: Connection) -> tuple[int, int, int, int]:
    """Posyandu A with a stunted girl and a boy with gizi buruk (WHZ < -3, WAZ < -3),
    posyandu B (another kelurahan) with a stunted girl; both measured in August 2024."""
    with connection.begin():
        a = add_posyandu(connection, "P-A", KELURAHAN, "Mawar")
        b = add_posyandu(connection, "P-B", OTHER_KELURAHAN, "Kenanga")
        girl = add_child(connection, birth_date=date(2022, 3, 10), posyandu_id=a)
        boy = add_child(connection, birth_date=date(2022, 4, 2), sex=Sex.MALE, posyandu_id=a)
        far = add_child(connection, birth_date=date(2022, 3, 11), posyandu_id=b)
        # WHO 2006: girls at 29 months, median length-for-age ~88.9 cm; 80 cm is HAZ ~ -2.7.
        for child, place in ((girl, a), (far, b)):
            add_measurement(
                connection,
                child_id=child,
                measured_on=date(2024, 8, 15),
                weight_kg=11.0,
                height_cm=80.0,
                position=Position.HEIGHT,
                posyandu_id=place,
            )
        # Boys, 85 cm: -3 SD weight-for-height is 9.2 kg (WHO 2006), so 8.5 kg is gizi buruk.
        add_measurement(
            connection,
            child_id=boy,
            measured_on=date(2024, 8, 15),
            weight_kg=8.5,
            height_cm=85.0,
            position=Position.HEIGHT,
            posyandu_id=a,
        )
        rederive_children(connection, [girl, boy, far])
    return a, girl, boy, far


def _open(connection: Connection) -> cases.OpenedCases:
    city = Area(CITY, "Kota Uji", AreaKind.KOTA)
    places = load_places(connection, CITY)
    return cases.open_cases(connection, ADMIN, AUGUST, places=places, area=city, user=TOOL)


def _audits(connection: Connection, case_id: int) -> list[tuple[str, dict[str, object]]]:
    a = table_of(AuditEntry)
    query = (
        select(a.c.action, a.c.after)
        .where(a.c.entity == "case", a.c.entity_id == case_id)
        .order_by(a.c.id)
    )
    return [(str(r.action), json.loads(r.after)) for r in connection.execute(query)]


def test_the_referral_list_opens_one_case_per_child_and_problem_once(engine: Engine) -> None:
    with engine.connect() as connection:
        _, girl, boy, far = _children(connection)
        first = _open(connection)
        assert first.opened == 4  # girl, far: stunting; boy: wasting, underweight
        again = _open(connection)
        assert (again.opened, again.already_open) == (0, first.opened)
        found = cases.open_problems(connection, [girl, boy, far])
        assert found[girl] == {Problem.STUNTING}
        assert found[far] == {Problem.STUNTING}
        assert {Problem.WASTING, Problem.UNDERWEIGHT} <= found[boy]
        page = cases.case_list(connection, ADMIN, today=TODAY)
        assert page.total == first.opened
        top = page.cases[0]
        assert (top.child_id, top.problem, top.severity) == (boy, Problem.WASTING, 1)
        assert top.next_due_on == date(2024, 8, 22)  # refer within 7 days
        assert top.id in page.overdue
        [(action, after)] = _audits(connection, top.id)
        assert action == "create"
        assert after["reasons"] == "SEVERE_WASTING"
        assert "child_name" not in after


def test_the_database_refuses_a_second_open_case_of_a_problem(engine: Engine) -> None:
    with engine.connect() as connection:
        _, girl, _, _ = _children(connection)
        _open(connection)
        k = table_of(NutritionCase)
        values = {
            "child_id": girl,
            "problem": "stunting",
            "status": "dirujuk",
            "opened_on": date(2024, 8, 1),
            "opened_month": date(2024, 8, 1),
            "reasons": "STUNTED",
            "severity": 5,
            "created_at": TODAY,
            "updated_at": TODAY,
        }
        with pytest.raises(IntegrityError), connection.begin():
            connection.execute(insert(k).values(**values))
        with connection.begin():  # a closed one beside it is fine
            connection.execute(insert(k).values(**{**values, "status": "selesai"}))


def test_a_case_walks_to_its_end_and_the_kader_reads_the_rujukan_balik(engine: Engine) -> None:
    with engine.connect() as connection:
        a, girl, _, _ = _children(connection)
        _open(connection)
        [case] = cases.child_cases(connection, ADMIN, girl)
        kader = _kader(a)
        step = StepInput(CaseStatus.DIRUJUK, date(2024, 8, 17), referred_to="Puskesmas Uji")
        assert cases.take_step(connection, kader, TOOL, case.id, step, TODAY) == []
        examined = StepInput(
            CaseStatus.DIPERIKSA, date(2024, 8, 24), diagnosis_confirmed=True, given="Obat cacing"
        )
        with pytest.raises(NotAllowed):
            cases.take_step(connection, kader, TOOL, case.id, examined, TODAY)
        assert cases.take_step(connection, NUTRITIONIST, TOOL, case.id, examined, TODAY) == []
        treated = StepInput(CaseStatus.DITANGANI, date(2024, 8, 26), intervention=Intervention.PMT)
        assert cases.take_step(connection, NUTRITIONIST, TOOL, case.id, treated, TODAY) == []
        view = cases.find_case(connection, kader, case.id, TODAY)
        assert (view.case.diagnosis_confirmed, view.case.given) == (True, "Obat cacing")
        assert view.case.next_due_on == date(2024, 9, 25)  # monthly follow-up
        assert view.overdue
        assert view.next_steps == ()
        assert [s.status for s in view.steps] == [
            CaseStatus.PERLU_DIRUJUK,
            CaseStatus.DIRUJUK,
            CaseStatus.DIPERIKSA,
            CaseStatus.DITANGANI,
        ]
        closed = StepInput(CaseStatus.SELESAI, date(2024, 9, 28), outcome=Outcome.RECOVERED)
        assert cases.take_step(connection, NUTRITIONIST, TOOL, case.id, closed, TODAY) == []
        assert cases.child_cases(connection, ADMIN, girl) == []
        actions = [action for action, _ in _audits(connection, case.id)]
        assert actions == ["create", "update", "update", "update", "update"]


def test_a_refused_step_writes_nothing(engine: Engine) -> None:
    with engine.connect() as connection:
        _, girl, _, _ = _children(connection)
        _open(connection)
        [case] = cases.child_cases(connection, ADMIN, girl)
        early = StepInput(CaseStatus.DIRUJUK, date(2024, 8, 1), referred_to="Puskesmas")
        [error] = cases.take_step(connection, ADMIN, TOOL, case.id, early, TODAY)
        assert (error.problem, error.accepted) == (StepProblem.DATE_BEFORE_PREVIOUS, "2024-08-15")
        assert len(_audits(connection, case.id)) == 1
        assert cases.find_case(connection, ADMIN, case.id, TODAY).case.status is (
            CaseStatus.PERLU_DIRUJUK
        )


def test_cases_outside_the_scope_are_not_found_and_figure_roles_see_counts(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        a, _, _, far = _children(connection)
        _open(connection)
        [far_case] = cases.child_cases(connection, ADMIN, far)
        for scope in (_kader(a), NUTRITIONIST, ANALYST):
            with pytest.raises(OutOfScope):
                cases.find_case(connection, scope, far_case.id, TODAY)
        step = StepInput(CaseStatus.DIRUJUK, date(2024, 8, 17), referred_to="Puskesmas")
        with pytest.raises(OutOfScope):
            cases.take_step(connection, _kader(a), TOOL, far_case.id, step, TODAY)
        with pytest.raises(OutOfScope):
            cases.case_list(connection, ANALYST, today=TODAY)
        assert far_case.id not in {
            c.id for c in cases.case_list(connection, NUTRITIONIST, today=TODAY).cases
        }
        counts = cases.case_counts(connection, ANALYST, today=TODAY)
        assert counts.by_problem_status[(Problem.STUNTING, CaseStatus.PERLU_DIRUJUK)] == 2
        assert counts.overdue == counts.open


def test_a_stored_measurement_opens_the_childs_case_in_its_transaction(engine: Engine) -> None:
    with engine.connect() as connection:
        with connection.begin():
            a = add_posyandu(connection, "P-A", KELURAHAN, "Mawar")
            girl = add_child(connection, birth_date=date(2022, 3, 10), posyandu_id=a)
            new = NewUser("gizi-uji", "Gizi Uji", Role.ADMIN, "kata-sandi-uji-panjang")
            admin = create_user(connection, new, datetime.now(UTC))
        child = registry.find_child(connection, ADMIN, girl)
        values = registry.MeasurementValues(
            date(2024, 8, 15), 11.0, 80.0, Position.HEIGHT, None
        )  # HAZ ~ -2.7: stunted
        registry.add_measurement(connection, ADMIN, admin, child, values, DEFAULT_KBM)
        [case] = cases.child_cases(connection, ADMIN, girl)
        assert (case.problem, case.status, case.opened_on) == (
            Problem.STUNTING,
            CaseStatus.PERLU_DIRUJUK,
            date(2024, 8, 15),
        )
        a_table = table_of(AuditEntry)
        query = select(a_table.c.user_id).where(
            a_table.c.entity == "case", a_table.c.entity_id == case.id
        )
        assert connection.execute(query).scalar_one() == admin.id


def _no_memo(key: object, compute: Callable[[], T]) -> T:
    return compute()


def test_a_child_whose_case_was_referred_is_not_referred_again(engine: Engine) -> None:
    city = Area(CITY, "Kota Uji", AreaKind.KOTA)

    def listed(connection: Connection, scope: Scope) -> referrals.ReferralView:
        places = load_places(connection, CITY)
        return referrals.referral_view(
            connection, places, _no_memo, city, scope, AUGUST, DEFAULT_RULES
        )

    with engine.connect() as connection:
        a, girl, boy, far = _children(connection)
        before = listed(connection, ADMIN)
        assert before.referrals is not None
        assert {r.child_id for r in before.referrals} == {girl, boy, far}
        _open(connection)
        # perlu dirujuk: the case still waits for its referral, the child stays listed
        assert listed(connection, ADMIN).followed == 0
        [case] = cases.child_cases(connection, ADMIN, girl)
        step = StepInput(CaseStatus.DIRUJUK, date(2024, 8, 17), referred_to="Puskesmas Uji")
        assert cases.take_step(connection, _kader(a), TOOL, case.id, step, TODAY) == []
        after = listed(connection, ADMIN)
        assert after.referrals is not None
        assert {r.child_id for r in after.referrals} == {boy, far}
        assert (after.total.children, after.followed) == (2, 1)
        counts = listed(connection, ANALYST)  # counts only: the same numbers
        assert counts.referrals is None
        assert (counts.total.children, counts.followed) == (2, 1)
        assert counts.total.by_reason[ReferralReason.STUNTED] == 1  # far's
