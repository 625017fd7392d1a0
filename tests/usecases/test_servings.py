"""The serving log on both databases: the tick list of a day, saving it (audited), a
serving logged twice on one day refused (also when two saves race), days outside the
episode or the allowed window refused, the scope of each role, and the week's adherence
(docs/kitchens.md)."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, Engine, insert, select, text

from tests.db.helpers import add_posyandu
from tests.db.kitchen_helpers import add_episode, add_kitchen, add_pregnancy, add_servings
from tumbuh.db.audit import Actor
from tumbuh.db.models import Child, Mother, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_pmt import PmtServing
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, UserInfo, create_user
from tumbuh.growth.enums import Sex
from tumbuh.growth.kitchens import FieldProblem
from tumbuh.growth.pmt import EpisodeExit
from tumbuh.usecases import servings
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, kitchen_scope

CIBEBER, KEDALEMAN, CIWADUK = "36.72.01.1001", "36.72.01.1002", "36.72.02.1005"
ADMIN = Scope(Role.ADMIN, None, None, True, True, True, True, True)
ANALYST = Scope(Role.ANALYST, None, None, False, False, False, False, False)
NUTRITIONIST = Scope(
    Role.NUTRITIONIST, frozenset({CIBEBER, KEDALEMAN}), None, True, True, True, True, False
)
KADER = Scope(Role.KADER, frozenset({CIBEBER}), frozenset({1}), True, True, True, False, False)
TOOL = Actor("cli:test")
TODAY = date(2024, 8, 15)  # a Thursday
THURSDAY_BEFORE = date(2024, 8, 8)


@dataclass(frozen=True)
class Place:
    """A kitchen (Monday to Friday, in Cibeber) with four people and an operator."""

    kitchen: int
    other_kitchen: int
    ani: int  # episode: Cibeber posyandu, from 5 August, open
    budi: int  # Kedaleman posyandu, 5 to 9 August
    citra: int  # Ciwaduk posyandu (outside the nutritionist's area), from 12 August
    dewi: int  # a pregnant woman, from 1 August
    elsewhere: int  # an episode at the other kitchen
    operator: UserInfo


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def _child(
    connection: Connection, name: str, born: date, posyandu_id: int, mother_id: int | None = None
) -> int:
    c = table_of(Child)
    values = {
        "name": name,
        "sex": Sex.FEMALE,
        "birth_date": born,
        "posyandu_id": posyandu_id,
        "mother_id": mother_id,
    }
    return int(connection.execute(insert(c).values(**values).returning(c.c.id)).scalar_one())


@pytest.fixture
def place(engine: Engine) -> Place:
    with engine.begin() as connection:
        kitchen = add_kitchen(connection, CIBEBER, "Dapur Umum PKK Cibeber")
        other = add_kitchen(connection, KEDALEMAN, "Dapur Kedaleman")
        posyandu = {
            code: add_posyandu(connection, f"P-{code}", code, f"Mawar {code[-4:]}")
            for code in (CIBEBER, KEDALEMAN, CIWADUK)
        }
        mother = table_of(Mother)
        siti = connection.execute(
            insert(mother).values(name="Siti Aminah").returning(mother.c.id)
        ).scalar_one()
        ani_child = _child(connection, "Ani Lestari", date(2022, 3, 10), posyandu[CIBEBER], siti)
        budi_child = _child(connection, "Budi Santoso", date(2023, 1, 20), posyandu[KEDALEMAN])
        citra_child = _child(connection, "Citra Ayu", date(2021, 6, 1), posyandu[CIWADUK])
        far_child = _child(connection, "Fajar Jauh", date(2022, 9, 9), posyandu[KEDALEMAN])
        start = date(2024, 8, 5)
        ani = add_episode(connection, kitchen, child_id=ani_child, started_on=start)
        budi = add_episode(
            connection,
            kitchen,
            child_id=budi_child,
            started_on=start,
            ended_on=date(2024, 8, 9),
            exit_=EpisodeExit.DROPPED_OUT,
        )
        citra = add_episode(connection, kitchen, child_id=citra_child, started_on=date(2024, 8, 12))
        dewi = add_episode(
            connection,
            kitchen,
            pregnancy_id=add_pregnancy(connection, "Dewi Kartika"),
            started_on=date(2024, 8, 1),
            planned_days=120,
        )
        elsewhere = add_episode(connection, other, child_id=far_child, started_on=start)
        operator = create_user(
            connection,
            NewUser("dapur", "Petugas Dapur", Role.KITCHEN, "rahasia-dapur", kitchen_id=kitchen),
            datetime.now(UTC),
        )
    return Place(kitchen, other, ani, budi, citra, dewi, elsewhere, operator)


def _servings(connection: Connection) -> list[tuple[int, date, int | None]]:
    s = table_of(PmtServing)
    rows = connection.execute(
        select(s.c.episode_id, s.c.served_on, s.c.recorded_by).order_by(
            s.c.episode_id, s.c.served_on
        )
    )
    served = []
    for r in rows:
        day = r.served_on if isinstance(r.served_on, date) else date.fromisoformat(str(r.served_on))
        served.append((int(r.episode_id), day, r.recorded_by))
    return served


def _audits(connection: Connection) -> list[tuple[str, object, object]]:
    a = table_of(AuditEntry)
    rows = connection.execute(
        select(a.c.action, a.c.before, a.c.after)
        .where(a.c.entity == "pmt_serving")
        .order_by(a.c.id)
    )
    return [
        (str(r.action), r.before and json.loads(r.before), r.after and json.loads(r.after))
        for r in rows
    ]


def test_the_tick_list_shows_who_is_fed_that_day_with_little_of_their_identity(
    engine: Engine, place: Place
) -> None:
    with engine.connect() as connection:
        day = servings.serving_day(
            connection, kitchen_scope(place.kitchen), place.kitchen, THURSDAY_BEFORE, TODAY
        )
    assert day.errors == []
    assert day.cooks
    assert day.earliest == date(2024, 8, 8)
    assert [r.episode_id for r in day.rows] == [place.ani, place.budi, place.dewi]
    ani, budi, dewi = day.rows
    assert (ani.name, ani.mother_initials, ani.age_months) == ("Ani Lestari", "S. A.", 28)
    assert (ani.kelurahan_name, ani.posyandu_name) == ("Cibeber", "Mawar 1001")
    assert budi.kelurahan_name == "Kedaleman"
    assert (dewi.name, dewi.is_child, dewi.age_months, dewi.posyandu_name) == (
        "Dewi Kartika",
        False,
        None,
        None,
    )
    assert [label for label, _rows in day.groups] == [
        "Cibeber · Mawar 1001",
        "Kedaleman · Mawar 1002",
        "",
    ]
    assert not any(hasattr(r, "birth_date") or hasattr(r, "nik") for r in day.rows)


def test_a_saved_day_records_one_serving_per_tick_and_unticking_takes_it_back_audited(
    engine: Engine, place: Place
) -> None:
    scope, user = kitchen_scope(place.kitchen), place.operator
    with engine.connect() as connection:
        done = servings.save_day(
            connection,
            scope,
            user,
            place.kitchen,
            THURSDAY_BEFORE,
            served=frozenset({place.ani, place.dewi}),
            known=frozenset(),
            today=TODAY,
        )
        assert (done.added, done.removed, done.errors) == (2, 0, [])
        assert _servings(connection) == [
            (place.ani, THURSDAY_BEFORE, user.id),
            (place.dewi, THURSDAY_BEFORE, user.id),
        ]
        day = servings.serving_day(connection, scope, place.kitchen, THURSDAY_BEFORE, TODAY)
        assert [r.served for r in day.rows] == [True, False, True]
        assert day.served == 2
        done = servings.save_day(
            connection,
            scope,
            user,
            place.kitchen,
            THURSDAY_BEFORE,
            served=frozenset({place.ani}),
            known=frozenset({place.ani, place.dewi}),
            today=TODAY,
        )
        assert (done.added, done.removed) == (0, 1)
        assert _servings(connection) == [(place.ani, THURSDAY_BEFORE, user.id)]
        audits = _audits(connection)
    assert [a for a, _b, _c in audits] == ["create", "create", "delete"]
    assert audits[0][2] == {
        "episode_id": place.ani,
        "kitchen_id": place.kitchen,
        "served_on": "2024-08-08",
    }
    assert audits[2][1] == {
        "episode_id": place.dewi,
        "kitchen_id": place.kitchen,
        "served_on": "2024-08-08",
    }
    assert "Dewi" not in json.dumps(audits)


def test_a_serving_logged_twice_on_one_day_is_refused_and_nothing_is_written(
    engine: Engine, place: Place
) -> None:
    scope = kitchen_scope(place.kitchen)
    with engine.connect() as connection:
        with connection.begin():
            add_servings(connection, place.ani, [THURSDAY_BEFORE])
        done = servings.save_day(
            connection,
            scope,
            place.operator,
            place.kitchen,
            THURSDAY_BEFORE,
            served=frozenset({place.ani, place.dewi}),
            known=frozenset(),
            today=TODAY,
        )
        assert done.double
        assert [(e.problem, e.field, e.value) for e in done.errors] == [
            (FieldProblem.SERVED_ALREADY, "Ani Lestari", "2024-08-08")
        ]
        assert (done.added, done.removed) == (0, 0)
        assert _servings(connection) == [(place.ani, THURSDAY_BEFORE, None)]  # dewi not saved
        assert _audits(connection) == []


def test_the_unique_constraint_refuses_a_double_the_check_did_not_see(
    engine: Engine, place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(servings, "servings_on", lambda *_args: [])  # a check that misses
    with engine.connect() as connection:
        with connection.begin():
            add_servings(connection, place.ani, [THURSDAY_BEFORE])
        done = servings.save_day(
            connection,
            ADMIN,
            TOOL,
            place.kitchen,
            THURSDAY_BEFORE,
            served=frozenset({place.dewi, place.ani}),
            known=frozenset(),
            today=TODAY,
        )
        assert done.double
        assert [e.field for e in done.errors] == ["Ani Lestari"]
        assert _servings(connection) == [(place.ani, THURSDAY_BEFORE, None)]
        assert _audits(connection) == []


def _save_at_once(engine: Engine, place: Place, saves: int) -> list[servings.DaySaved]:
    """``saves`` threads, each on its own connection, save the same tick at once."""
    start = threading.Barrier(saves)

    def save(_: int) -> servings.DaySaved:
        with engine.connect() as connection:
            start.wait()
            return servings.save_day(
                connection,
                kitchen_scope(place.kitchen),
                place.operator,
                place.kitchen,
                TODAY,
                served=frozenset({place.ani}),
                known=frozenset(),
                today=TODAY,
            )

    with ThreadPoolExecutor(saves) as pool:
        return list(pool.map(save, range(saves)))


def test_two_saves_of_the_same_tick_at_once_record_one_serving(
    engine: Engine, place: Place
) -> None:
    results = _save_at_once(engine, place, 4)
    assert sorted(r.added for r in results) == [0, 0, 0, 1]
    assert sum(r.double for r in results) == 3
    with engine.connect() as connection:
        assert _servings(connection) == [(place.ani, TODAY, place.operator.id)]
        assert [a for a, _b, _c in _audits(connection)] == ["create"]


def _waiting_for_a_lock(engine: Engine) -> bool:
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    with engine.connect() as connection:
        return bool(connection.execute(query).scalar_one())


def test_a_serving_another_transaction_commits_meanwhile_makes_the_save_a_double(
    engine: Engine, place: Place, backend: str
) -> None:
    """PostgreSQL: the save's check cannot see the other's uncommitted row, so its insert
    waits on the unique index and meets the committed row. SQLite: the save waits for the
    other's write lock and its check sees the row. A double either way."""
    with engine.connect() as other, ThreadPoolExecutor(1) as pool:
        add_servings(other, place.ani, [TODAY])  # uncommitted
        future = pool.submit(_save_at_once, engine, place, 1)
        for _ in range(400):
            if future.done() or (backend == "postgresql" and _waiting_for_a_lock(engine)):
                break
            time.sleep(0.05 if backend == "postgresql" else 0.5)
            if backend == "sqlite":
                break
        assert not future.done()
        other.commit()
        [result] = future.result()
    assert result.double
    with engine.connect() as connection:
        assert _servings(connection) == [(place.ani, TODAY, None)]


@pytest.mark.parametrize(
    ("who", "day", "problem", "bound"),
    [
        ("budi", date(2024, 8, 12), FieldProblem.AFTER_END, "2024-08-09"),
        ("citra", THURSDAY_BEFORE, FieldProblem.BEFORE_START, "2024-08-12"),
    ],
)
def test_a_day_outside_the_episode_is_refused(
    engine: Engine, place: Place, who: str, day: date, problem: FieldProblem, bound: str
) -> None:
    episode = getattr(place, who)
    with engine.connect() as connection:
        done = servings.save_day(
            connection,
            ADMIN,
            TOOL,
            place.kitchen,
            day,
            served=frozenset({episode, place.ani}),
            known=frozenset(),
            today=TODAY,
        )
        assert [(e.problem, e.value, e.accepted) for e in done.errors] == [
            (problem, day.isoformat(), bound)
        ]
        assert not done.double
        assert _servings(connection) == []


def test_a_person_of_another_kitchen_is_refused_with_the_whole_save(
    engine: Engine, place: Place
) -> None:
    with engine.connect() as connection:
        done = servings.save_day(
            connection,
            kitchen_scope(place.kitchen),
            place.operator,
            place.kitchen,
            TODAY,
            served=frozenset({place.ani, place.elsewhere}),
            known=frozenset(),
            today=TODAY,
        )
        assert [(e.problem, e.value) for e in done.errors] == [
            (FieldProblem.NOT_AT_KITCHEN, str(place.elsewhere))
        ]
        assert _servings(connection) == []


def test_a_kitchen_operator_logs_the_last_week_never_the_future(
    engine: Engine, place: Place
) -> None:
    scope = kitchen_scope(place.kitchen)
    with engine.connect() as connection:
        future = servings.serving_day(connection, scope, place.kitchen, date(2024, 8, 16), TODAY)
        assert [e.problem for e in future.errors] == [FieldProblem.DAY_IN_FUTURE]
        assert future.rows == []
        old = servings.serving_day(connection, scope, place.kitchen, date(2024, 8, 7), TODAY)
        assert [(e.problem, e.accepted) for e in old.errors] == [
            (FieldProblem.DAY_TOO_OLD, "2024-08-08")
        ]
        done = servings.save_day(
            connection,
            scope,
            place.operator,
            place.kitchen,
            date(2024, 8, 7),
            served=frozenset({place.ani}),
            known=frozenset(),
            today=TODAY,
        )
        assert [e.problem for e in done.errors] == [FieldProblem.DAY_TOO_OLD]
        # the nutritionist copies an older paper log
        late = servings.save_day(
            connection,
            NUTRITIONIST,
            TOOL,
            place.kitchen,
            date(2024, 8, 7),
            served=frozenset({place.ani}),
            known=frozenset(),
            today=TODAY,
        )
        assert late.added == 1
        assert _servings(connection) == [(place.ani, date(2024, 8, 7), None)]


def test_each_role_keeps_only_the_logs_of_its_place(engine: Engine, place: Place) -> None:
    with engine.connect() as connection:
        with pytest.raises(OutOfScope):
            servings.serving_day(
                connection, kitchen_scope(place.kitchen), place.other_kitchen, TODAY, TODAY
            )
        with pytest.raises(OutOfScope):
            servings.save_day(
                connection,
                kitchen_scope(place.kitchen),
                place.operator,
                place.other_kitchen,
                TODAY,
                served=frozenset({place.elsewhere}),
                known=frozenset(),
                today=TODAY,
            )
        for scope in (ANALYST, KADER):
            with pytest.raises(NotAllowed):
                servings.serving_day(connection, scope, place.kitchen, TODAY, TODAY)
        far = Scope(Role.NUTRITIONIST, frozenset({CIWADUK}), None, True, True, True, True, False)
        with pytest.raises(OutOfScope):
            servings.serving_week(connection, far, place.kitchen, TODAY, TODAY)
        assert _servings(connection) == []


def test_a_nutritionist_sees_the_children_of_her_area_and_the_pregnant_women(
    engine: Engine, place: Place
) -> None:
    with engine.connect() as connection:
        day = servings.serving_day(connection, NUTRITIONIST, place.kitchen, TODAY, TODAY)
        assert [r.episode_id for r in day.rows] == [place.ani, place.dewi]
        assert day.earliest is None
        done = servings.save_day(
            connection,
            NUTRITIONIST,
            TOOL,
            place.kitchen,
            TODAY,
            served=frozenset({place.citra}),
            known=frozenset(),
            today=TODAY,
        )
        assert [e.problem for e in done.errors] == [FieldProblem.NOT_AT_KITCHEN]
        admin = servings.serving_day(connection, ADMIN, place.kitchen, TODAY, TODAY)
        assert [r.episode_id for r in admin.rows] == [place.ani, place.citra, place.dewi]


def test_the_week_shows_the_days_served_and_the_adherence_so_far(
    engine: Engine, place: Place
) -> None:
    with engine.begin() as connection:
        first_week = [date(2024, 8, d) for d in (5, 6, 7, 8, 9)]
        add_servings(connection, place.ani, [*first_week, date(2024, 8, 12), date(2024, 8, 14)])
        add_servings(connection, place.citra, [date(2024, 8, 12), date(2024, 8, 13), TODAY])
        add_servings(connection, place.budi, first_week[:3])
    with engine.connect() as connection:
        week = servings.serving_week(connection, ADMIN, place.kitchen, TODAY, TODAY)
    assert week.days[0] == date(2024, 8, 12)
    assert week.days[-1] == date(2024, 8, 18)
    assert week.cooks == (True, True, True, True, True, False, False)
    rows = {r.episode_id: r for r in week.rows}
    assert set(rows) == {place.ani, place.citra, place.dewi}  # budi ended the week before
    ani, citra, dewi = rows[place.ani], rows[place.citra], rows[place.dewi]
    assert ani.served_on == frozenset({date(2024, 8, 12), date(2024, 8, 14)})
    assert (ani.planned_this_week, ani.served_so_far, ani.expected_so_far) == (5, 7, 9)
    assert ani.adherence == pytest.approx(7 / 9)
    assert (citra.planned_this_week, citra.served_so_far, citra.expected_so_far) == (5, 3, 4)
    assert citra.adherence == pytest.approx(0.75)
    # 1 August (Thursday) to 15 August, Monday to Friday: 2 + 5 + 4 cooking days
    assert (dewi.expected_so_far, dewi.adherence) == (11, 0.0)
    with engine.connect() as connection:
        before = servings.serving_week(connection, ADMIN, place.kitchen, date(2024, 8, 6), TODAY)
    budi = next(r for r in before.rows if r.episode_id == place.budi)
    assert (budi.planned_this_week, budi.served_so_far, budi.expected_so_far) == (5, 3, 5)
    assert budi.adherence == pytest.approx(0.6)


def test_the_days_planned_are_capped_at_the_episode_s_planned_days(
    engine: Engine, place: Place
) -> None:
    with engine.begin() as connection:
        short = add_episode(
            connection,
            place.kitchen,
            pregnancy_id=add_pregnancy(connection, "Eka Putri"),
            started_on=date(2024, 8, 5),
            planned_days=3,
        )
        add_servings(connection, short, [date(2024, 8, 5), date(2024, 8, 6), date(2024, 8, 7)])
    with engine.connect() as connection:
        week = servings.serving_week(connection, ADMIN, place.kitchen, THURSDAY_BEFORE, TODAY)
    row = next(r for r in week.rows if r.episode_id == short)
    assert (row.planned_this_week, row.expected_so_far, row.adherence) == (3, 3, 1.0)
