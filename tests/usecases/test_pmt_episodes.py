"""PMT episodes on both databases (docs/pmt.md): the month's eligibility list by scope,
enrolment refused with its rule or overridden with a reason (audited), one open episode
per child, the episode's checkpoints and progress, closing by the rules of its version
(2022, 2023, 2025), the register, and the two evaluation queries."""

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
from tumbuh.db.models_pmt import Kitchen, PmtEpisode, PmtServing
from tumbuh.db.pmt_evaluation import comparison_children, ended_episodes
from tumbuh.db.setup import upgrade_database
from tumbuh.db.surveillance.areas import Area, AreaKind
from tumbuh.growth.cases import CaseStatus, Intervention, StepInput
from tumbuh.growth.enums import Position, Sex
from tumbuh.growth.periods import Period, month_period
from tumbuh.growth.pmt import EpisodeExit, Funding, Indication, Refusal
from tumbuh.growth.pmt_episodes import Closing, EpisodeProblem
from tumbuh.growth.referrals import DEFAULT_RULES
from tumbuh.usecases import cases, pmt_eligibility, pmt_enrolment, pmt_episodes, pmt_register
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope
from tumbuh.usecases.places import load_places

CITY = "36.72"
KELURAHAN = "36.72.01.1001"
OTHER_KELURAHAN = "36.72.01.1002"
ADMIN = Scope(Role.ADMIN, None, None, True, True, True, True, True)
ANALYST = Scope(Role.ANALYST, None, None, False, False, False, False, False)
NUTRITIONIST = Scope(Role.NUTRITIONIST, frozenset({KELURAHAN}), None, True, True, True, True, False)
TOOL = Actor("cli:test")
TODAY = date(2024, 12, 1)
AUGUST = month_period(2024, 8)
T = TypeVar("T")


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def _no_memo(key: object, compute: Callable[[], T]) -> T:
    return compute()


def _kader(posyandu_id: int) -> Scope:
    return Scope(
        Role.KADER, frozenset({KELURAHAN}), frozenset({posyandu_id}), True, True, True, False, False
    )


def _weigh(connection: Connection, child: int, day: date, kg: float, cm: float, at: int) -> int:
    return add_measurement(
        connection,
        child_id=child,
        measured_on=day,
        weight_kg=kg,
        height_cm=cm,
        position=Position.HEIGHT,
        posyandu_id=at,
    )


def _kitchen(connection: Connection, kelurahan: str, name: str) -> int:
    now = datetime.now(UTC)
    k = table_of(Kitchen)
    values = {
        "name": name,
        "kind": "dapur_umum_pkk",
        "kelurahan_code": kelurahan,
        "operator": "tp_pkk",
        "capacity": 30,
        "weekdays": 31,
        "active": True,
        "created_at": now,
        "updated_at": now,
    }
    return int(connection.execute(insert(k).values(**values).returning(k.c.id)).scalar_one())


class Town:
    """Posyandu A (kelurahan 1001) and B (1002), two kitchens, and children measured on
    15 August 2024 (WHO 2006, girls at 29 months and 85 cm: WHZ -2 SD is 9.7 kg, -3 SD
    8.9 kg; so 9.3 kg is gizi kurang, and BB kurang too):

    - ``girl``: gizi kurang at A; ``twin``: gizi kurang at A, never enrolled, weighed
      again on 16 September; ``boy``: gizi buruk at A (8.5 kg at 85 cm, WHZ < -3);
      ``far``: gizi kurang at B, outside the nutritionist's area.
    """

    def __init__(self, connection: Connection) -> None:
        with connection.begin():
            self.a = add_posyandu(connection, "P-A", KELURAHAN, "Mawar")
            self.b = add_posyandu(connection, "P-B", OTHER_KELURAHAN, "Kenanga")
            self.kitchen = _kitchen(connection, KELURAHAN, "Dapur Umum PKK Mawar")
            self.far_kitchen = _kitchen(connection, OTHER_KELURAHAN, "Dapur Kenanga")
            born = date(2022, 3, 10)
            self.girl = add_child(connection, birth_date=born, posyandu_id=self.a)
            self.twin = add_child(connection, birth_date=date(2022, 3, 12), posyandu_id=self.a)
            self.boy = add_child(
                connection, birth_date=date(2022, 4, 2), sex=Sex.MALE, posyandu_id=self.a
            )
            self.far = add_child(connection, birth_date=date(2022, 3, 11), posyandu_id=self.b)
            day = date(2024, 8, 15)
            self.baseline = _weigh(connection, self.girl, day, 9.3, 85.0, self.a)
            _weigh(connection, self.twin, day, 9.3, 85.0, self.a)
            _weigh(connection, self.twin, date(2024, 9, 16), 9.9, 85.5, self.a)
            _weigh(connection, self.boy, day, 8.5, 85.0, self.a)
            _weigh(connection, self.far, day, 9.3, 85.0, self.b)
            rederive_children(connection, [self.girl, self.twin, self.boy, self.far])


def _eligible(
    connection: Connection, scope: Scope, *, refused: bool = False, month: Period = AUGUST
) -> pmt_eligibility.EligibilityList:
    places = load_places(connection, CITY)
    query = pmt_eligibility.EligibilityQuery(month, show_refused=refused)
    return pmt_eligibility.eligibility_list(
        connection, places, _no_memo, places.city, scope, DEFAULT_RULES, query, today=TODAY
    )


def _enrolment(children: list[int], kitchen: int, **values: object) -> pmt_enrolment.Enrolment:
    fields: dict[str, object] = {
        "month": AUGUST,
        "started_on": date(2024, 8, 20),
        "funding": Funding.APBD,
    }
    fields.update(values)
    return pmt_enrolment.Enrolment(tuple(children), kitchen_id=kitchen, **fields)  # type: ignore[arg-type]


def _audits(connection: Connection, episode_id: int) -> list[tuple[str, dict[str, object]]]:
    a = table_of(AuditEntry)
    query = (
        select(a.c.action, a.c.after)
        .where(a.c.entity == "pmt_episode", a.c.entity_id == episode_id)
        .order_by(a.c.id)
    )
    return [(str(r.action), json.loads(r.after)) for r in connection.execute(query)]


def test_the_list_shows_the_eligible_children_of_the_scope_and_refuses_gizi_buruk(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        town = Town(connection)
        listed = _eligible(connection, NUTRITIONIST)
        assert (listed.measured, listed.rules_version, listed.may_enrol) == (True, "2023", True)
        assert [c.child_id for c in listed.children] == [town.girl, town.twin]
        girl = listed.children[0]
        assert (girl.indication, girl.planned_days, girl.age_months) == (Indication.WASTED, 56, 29)
        assert girl.kelurahan_code == KELURAHAN
        assert girl.whz is not None
        assert -3 < girl.whz < -2
        assert (listed.eligible, listed.refused, listed.enrolled) == (2, 1, 0)
        shown = _eligible(connection, NUTRITIONIST, refused=True)
        boy = shown.children[-1]
        assert (boy.child_id, boy.indication, boy.refusal) == (town.boy, None, Refusal.SEVERE)
        everyone = _eligible(connection, ADMIN)
        assert town.far in {c.child_id for c in everyone.children}
        kader = _eligible(connection, _kader(town.a))
        assert kader.may_enrol is False
        assert {c.child_id for c in kader.children} == {town.girl, town.twin}
        with pytest.raises(NotAllowed):
            _eligible(connection, ANALYST)
        assert _eligible(connection, ADMIN, month=month_period(2024, 7)).measured is False


def test_enrolment_stores_the_version_the_case_and_the_baseline_and_is_audited(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        town = Town(connection)
        cases.open_cases(
            connection,
            ADMIN,
            AUGUST,
            places=load_places(connection, CITY),
            area=Area(CITY, "Kota Uji", AreaKind.KOTA),
            user=TOOL,
        )
        [wasting] = [
            c
            for c in cases.child_cases(connection, ADMIN, town.girl)
            if c.problem.value == "wasting"
        ]
        done = pmt_enrolment.enrol(
            connection, NUTRITIONIST, TOOL, _enrolment([town.girl], town.kitchen), today=TODAY
        )
        assert done.errors == []
        [episode_id] = done.episode_ids
        view = pmt_episodes.find_episode(connection, NUTRITIONIST, episode_id, TODAY)
        row = view.episode
        assert (row.indication, row.rules_version, row.planned_days) == (
            Indication.WASTED,
            "2023",
            56,
        )
        assert (row.case_id, row.baseline_measurement_id) == (wasting.id, town.baseline)
        assert view.case is not None
        assert view.case.id == wasting.id
        assert view.planned_end == date(2024, 10, 14)
        [(action, after)] = _audits(connection, episode_id)
        assert action == "create"
        assert after["kitchen_id"] == town.kitchen
        assert "refused_by" not in after
        assert "child_name" not in after
        listed = _eligible(connection, NUTRITIONIST)
        assert listed.enrolled == 1
        assert listed.children[0].episode_id == episode_id


def test_one_open_episode_per_child(engine: Engine) -> None:
    with engine.connect() as connection:
        town = Town(connection)
        enrolment = _enrolment([town.girl], town.kitchen)
        [first] = pmt_enrolment.enrol(connection, ADMIN, TOOL, enrolment, today=TODAY).episode_ids
        again = pmt_enrolment.enrol(connection, ADMIN, TOOL, enrolment, today=TODAY)
        [error] = again.errors
        assert again.episode_ids == []
        assert (error.problem, error.value, error.accepted) == (
            EpisodeProblem.ALREADY_ENROLLED,
            str(first),
            "2024-08-20",
        )
        k = table_of(PmtEpisode)
        row = connection.execute(select(k).where(k.c.id == first)).mappings().one()
        copy = {key: value for key, value in row.items() if key != "id"}
        connection.rollback()  # end the read
        with pytest.raises(IntegrityError), connection.begin():
            connection.execute(insert(k).values(**copy))


def test_an_ineligible_child_is_refused_by_its_rule_unless_a_reason_overrides_it(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        town = Town(connection)
        both = _enrolment([town.girl, town.boy], town.kitchen)
        refused = pmt_enrolment.enrol(connection, NUTRITIONIST, TOOL, both, today=TODAY)
        [error] = refused.errors
        assert (error.problem, error.field) == (EpisodeProblem.REFUSED_SEVERE, "Anak 20220402")
        assert refused.episode_ids == []  # all or nothing: the girl was not enrolled either
        assert pmt_eligibility.may_enrol(NUTRITIONIST)
        reason = "Pulang dari perawatan klinis, dianjurkan dokter puskesmas"
        overridden = pmt_enrolment.enrol(
            connection,
            NUTRITIONIST,
            TOOL,
            _enrolment([town.girl, town.boy], town.kitchen, override_reason=reason),
            today=TODAY,
        )
        assert overridden.errors == []
        girl_episode, boy_episode = overridden.episode_ids
        boy = pmt_episodes.find_episode(connection, ADMIN, boy_episode, TODAY).episode
        assert (boy.indication, boy.override_reason) == (Indication.WASTED, reason)
        [(_, after)] = _audits(connection, boy_episode)
        assert (after["refused_by"], after["override_reason"]) == ("severe", reason)
        girl = pmt_episodes.find_episode(connection, ADMIN, girl_episode, TODAY).episode
        assert girl.override_reason is None  # eligible: nothing overridden


def test_enrolment_outside_the_area_or_by_a_kader_is_refused(engine: Engine) -> None:
    with engine.connect() as connection:
        town = Town(connection)
        with pytest.raises(OutOfScope):
            pmt_enrolment.enrol(
                connection, NUTRITIONIST, TOOL, _enrolment([town.far], town.kitchen), today=TODAY
            )
        with pytest.raises(NotAllowed):
            pmt_enrolment.enrol(
                connection, _kader(town.a), TOOL, _enrolment([town.girl], town.kitchen), today=TODAY
            )
        far_kitchen = _enrolment([town.girl], town.far_kitchen, started_on=date(2024, 8, 1))
        done = pmt_enrolment.enrol(connection, NUTRITIONIST, TOOL, far_kitchen, today=TODAY)
        problems = {(e.problem, e.field) for e in done.errors}
        assert problems == {
            (EpisodeProblem.NOT_FOUND, "kitchen_id"),
            (EpisodeProblem.START_BEFORE_BASELINE, "started_on"),
        }
        [kitchen_error] = [e for e in done.errors if e.field == "kitchen_id"]
        assert kitchen_error.accepted == f"{town.kitchen} (Dapur Umum PKK Mawar)"


def _serve(connection: Connection, episode_id: int, days: list[date]) -> None:
    connection.rollback()  # end the use case's read
    with connection.begin():
        connection.execute(
            insert(table_of(PmtServing)),
            [
                {"episode_id": episode_id, "served_on": d, "recorded_at": datetime.now(UTC)}
                for d in days
            ],
        )


def test_the_episode_page_reads_checkpoints_progress_and_adherence(engine: Engine) -> None:
    with engine.connect() as connection:
        town = Town(connection)
        enrolment = _enrolment([town.girl], town.kitchen)
        [episode_id] = pmt_enrolment.enrol(
            connection, ADMIN, TOOL, enrolment, today=TODAY
        ).episode_ids
        connection.rollback()
        with connection.begin():
            _weigh(connection, town.girl, date(2024, 9, 3), 9.6, 85.2, town.a)  # day 14
            _weigh(connection, town.girl, date(2024, 10, 15), 10.3, 85.8, town.a)  # day 56
            rederive_children(connection, [town.girl])
        _serve(connection, episode_id, [date(2024, 8, 20 + i) for i in range(10)])
        view = pmt_episodes.find_episode(connection, NUTRITIONIST, episode_id, TODAY)
        assert [(c.week, c.day) for c in view.checkpoints] == [(2, 14), (4, None), (8, 56)]
        assert view.adherence == pytest.approx(10 / 56)
        progress = view.progress
        assert progress is not None
        assert progress.day == 56
        # 9.3 kg on 15 August -> 10.3 kg on 15 October: 1000 g / 9.3 kg / 61 days.
        assert progress.gain_g_per_kg_day == pytest.approx(round(1000 / 9.3 / 61, 1))
        assert progress.whz_change is not None
        assert progress.whz_change > 0.5
        assert view.completed_now is EpisodeExit.RECOVERED
        assert view.may_close
        kader_view = pmt_episodes.find_episode(connection, _kader(town.a), episode_id, TODAY)
        assert kader_view.may_close is False
        with pytest.raises(OutOfScope):
            pmt_episodes.find_episode(connection, ANALYST, episode_id, TODAY)


def _close(
    connection: Connection, episode_id: int, closing: Closing, on: date, scope: Scope = ADMIN
) -> pmt_episodes.Closed:
    given = pmt_episodes.ClosingInput(closing, on, "Selesai 56 hari")
    return pmt_episodes.close_episode(connection, scope, TOOL, episode_id, given, today=TODAY)


def test_completed_is_judged_at_the_last_checkpoint_and_advances_the_case(engine: Engine) -> None:
    with engine.connect() as connection:
        town = Town(connection)
        places = load_places(connection, CITY)
        city = Area(CITY, "Kota Uji", AreaKind.KOTA)
        cases.open_cases(connection, ADMIN, AUGUST, places=places, area=city, user=TOOL)
        [episode_id] = pmt_enrolment.enrol(
            connection, ADMIN, TOOL, _enrolment([town.girl], town.kitchen), today=TODAY
        ).episode_ids
        case_id = pmt_episodes.find_episode(connection, ADMIN, episode_id, TODAY).episode.case_id
        assert case_id is not None
        for step in (
            StepInput(CaseStatus.DIRUJUK, date(2024, 8, 16), referred_to="Puskesmas Uji"),
            StepInput(CaseStatus.DIPERIKSA, date(2024, 8, 18), diagnosis_confirmed=True),
        ):
            assert cases.take_step(connection, ADMIN, TOOL, case_id, step, TODAY) == []
        early = _close(connection, episode_id, Closing.COMPLETED, date(2024, 10, 14))
        assert [e.problem for e in early.errors] == [EpisodeProblem.NO_CHECKPOINT]
        with pytest.raises(NotAllowed):
            _close(connection, episode_id, Closing.MOVED, date(2024, 10, 14), _kader(town.a))
        connection.rollback()
        with connection.begin():
            _weigh(connection, town.girl, date(2024, 10, 15), 10.3, 85.8, town.a)
            rederive_children(connection, [town.girl])
        done = _close(connection, episode_id, Closing.COMPLETED, date(2024, 10, 15))
        assert (done.errors, done.exit, done.case_step) == ([], EpisodeExit.RECOVERED, True)
        view = cases.find_case(connection, ADMIN, case_id, TODAY)
        assert (view.case.status, view.case.intervention) == (
            CaseStatus.DITANGANI,
            Intervention.PMT,
        )
        actions = [(action, after.get("exit")) for action, after in _audits(connection, episode_id)]
        assert actions == [("create", None), ("update", "recovered")]
        twice = _close(connection, episode_id, Closing.DROPPED_OUT, date(2024, 10, 16))
        assert [e.problem for e in twice.errors] == [EpisodeProblem.ALREADY_ENDED]
        ended = ended_episodes(connection)
        [row] = ended
        assert (row.exit, row.checkpoint_day, row.age_months) == (EpisodeExit.RECOVERED, 56, 29)
        assert row.baseline is not None
        assert row.baseline.weight_kg == 9.3
        assert row.checkpoint is not None
        assert row.checkpoint.weight_kg == 10.3


@pytest.mark.parametrize(
    ("month", "start", "checked", "version", "planned", "expected"),
    [
        # Gizi kurang weighed back to WHZ about -1.6 on day 60 (a gain of 0.9 kg):
        # recovered under 2022 (90 days) and 2023, but 2025 wants it by day 56.
        ((2022, 8), date(2022, 8, 20), date(2022, 10, 19), "2022", 90, EpisodeExit.RECOVERED),
        ((2024, 8), date(2024, 8, 20), date(2024, 10, 19), "2023", 56, EpisodeExit.RECOVERED),
        ((2024, 12), date(2025, 1, 2), date(2025, 3, 3), "2025", 56, EpisodeExit.NOT_RECOVERED),
    ],
)
def test_closing_follows_the_rules_of_the_episodes_version(
    engine: Engine,
    month: tuple[int, int],
    start: date,
    checked: date,
    version: str,
    planned: int,
    expected: EpisodeExit,
) -> None:
    with engine.connect() as connection:
        with connection.begin():
            a = add_posyandu(connection, "P-A", KELURAHAN, "Mawar")
            kitchen = _kitchen(connection, KELURAHAN, "Dapur Mawar")
            born = date(month[0] - 2, month[1], 10)  # 29 or so months old
            girl = add_child(connection, birth_date=born, posyandu_id=a)
            _weigh(connection, girl, date(*month, 15), 9.3, 85.0, a)
            _weigh(connection, girl, checked, 10.2, 85.6, a)
            rederive_children(connection, [girl])
        period = month_period(*month)
        enrolment = _enrolment([girl], kitchen, month=period, started_on=start)
        today = date(2025, 12, 1)
        done = pmt_enrolment.enrol(connection, ADMIN, TOOL, enrolment, today=today)
        [episode_id] = done.episode_ids
        row = pmt_episodes.find_episode(connection, ADMIN, episode_id, today).episode
        assert (row.rules_version, row.planned_days) == (version, planned)
        given = pmt_episodes.ClosingInput(Closing.COMPLETED, checked)
        closed = pmt_episodes.close_episode(connection, ADMIN, TOOL, episode_id, given, today=today)
        assert (closed.errors, closed.exit) == ([], expected)


def test_the_register_filters_and_the_comparison_leaves_out_enrolled_children(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        town = Town(connection)
        [girl_episode] = pmt_enrolment.enrol(
            connection, ADMIN, TOOL, _enrolment([town.girl], town.kitchen), today=TODAY
        ).episode_ids
        far = _enrolment([town.far], town.far_kitchen, funding=Funding.BAZNAS)
        [far_episode] = pmt_enrolment.enrol(connection, ADMIN, TOOL, far, today=TODAY).episode_ids
        _close(connection, far_episode, Closing.MOVED, date(2024, 9, 1))

        def ids(scope: Scope, **filters: object) -> list[int]:
            query = pmt_register.EpisodeQuery(**filters)  # type: ignore[arg-type]
            page = pmt_register.episode_list(connection, scope, query=query)
            return [r.id for r in page.episodes]

        assert ids(ADMIN) == [girl_episode, far_episode]  # open first
        assert ids(NUTRITIONIST) == [girl_episode]
        assert ids(ADMIN, state=pmt_register.EpisodeState.ENDED) == [far_episode]
        assert ids(ADMIN, kitchen_id=town.far_kitchen) == [far_episode]
        assert ids(ADMIN, month=month_period(2024, 10)) == [girl_episode]
        assert ids(ADMIN, indication=Indication.FALTERING) == []
        tally = pmt_register.episode_tally(connection, ANALYST, query=pmt_register.EpisodeQuery())
        assert tally == {(Indication.WASTED, None): 1, (Indication.WASTED, EpisodeExit.MOVED): 1}
        with pytest.raises(OutOfScope):
            pmt_register.episode_list(connection, ANALYST, query=pmt_register.EpisodeQuery())
        export = pmt_register.episode_export(
            connection, NUTRITIONIST, query=pmt_register.EpisodeQuery(), today=TODAY
        )
        [row] = export.rows
        assert (row.name, row.birth_date, row.served_days, row.planned_days) == (
            "A. 2.",
            None,
            0,
            56,
        )
        city = Area(CITY, "Kota Uji", AreaKind.KOTA)
        compared = comparison_children(connection, AUGUST, area=city)
        [twin] = compared  # girl and far were enrolled, the boy refused (gizi buruk)
        assert (twin.child_id, twin.indication, twin.kelurahan_code) == (
            town.twin,
            Indication.WASTED,
            KELURAHAN,
        )
        [follow_up] = twin.follow_ups
        assert (follow_up.day, follow_up.measured.weight_kg, twin.fed_from) == (32, 9.9, None)


def test_many_children_read_every_open_case_and_episode_the_same(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with engine.connect() as connection:
        town = Town(connection)
        places = load_places(connection, CITY)
        city = Area(CITY, "Kota Uji", AreaKind.KOTA)
        cases.open_cases(connection, ADMIN, AUGUST, places=places, area=city, user=TOOL)
        [episode_id] = pmt_enrolment.enrol(
            connection, ADMIN, TOOL, _enrolment([town.girl], town.kitchen), today=TODAY
        ).episode_ids
        few = _eligible(connection, ADMIN, refused=True)
        monkeypatch.setattr("tumbuh.db.pmt_episodes.MANY_CHILDREN", 0)  # read all, keep some
        many = _eligible(connection, ADMIN, refused=True)
        assert many == few
        assert {c.child_id: c.episode_id for c in many.children}[town.girl] == episode_id
        # girl, boy and far; the twin's August opens no case (she was weighed in September)
        assert sum(c.open_case is not None for c in many.children) == 3
        compared = comparison_children(connection, AUGUST, area=city)
        assert [c.child_id for c in compared] == [town.twin, town.far]
