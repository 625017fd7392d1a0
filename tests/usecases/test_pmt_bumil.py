"""PMT lokal for pregnant women with KEK on both databases: the area's list (open
pregnancies whose latest LiLA is under 23.5 cm), enrolment at a kitchen (audited, all or
nothing, one open episode per pregnancy), the episode's page, closing with the LiLA at the
end, the register and the pregnancy's page, and the scope (docs/pmt.md, "Pregnant women
with KEK"; juknis PMT lokal 2023: 120 days)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, Engine, insert, select

from tests.db.helpers import add_posyandu
from tumbuh.db.audit import Actor
from tumbuh.db.models import Mother, Pregnancy, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_maternal import AncVisit
from tumbuh.db.models_pmt import Kitchen
from tumbuh.db.setup import upgrade_database
from tumbuh.growth.pmt import EpisodeExit, Funding, Indication
from tumbuh.growth.pmt_episodes import Closing, EpisodeProblem
from tumbuh.usecases import pmt_bumil, pmt_bumil_episodes, pregnancies
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope

KELURAHAN, OTHER = "36.72.01.1001", "36.72.02.1005"
TODAY = date(2024, 8, 15)
NOW = datetime(2024, 8, 1, tzinfo=UTC)
TOOL = Actor("cli:test")
NUTRITIONIST = Scope(Role.NUTRITIONIST, frozenset({KELURAHAN}), None, True, True, True, True, False)
FAR_NUTRITIONIST = Scope(Role.NUTRITIONIST, frozenset({OTHER}), None, True, True, True, True, False)
BIDAN = Scope(Role.BIDAN, frozenset({KELURAHAN}), None, True, False, True, False, False)


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def _kitchen(connection: Connection) -> int:
    k = table_of(Kitchen)
    values = {
        "name": "Dapur Umum PKK Mawar",
        "kind": "dapur_umum_pkk",
        "kelurahan_code": KELURAHAN,
        "operator": "tp_pkk",
        "capacity": 30,
        "weekdays": 31,
        "active": True,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return int(connection.execute(insert(k).values(**values).returning(k.c.id)).scalar_one())


def _pregnancy(
    connection: Connection,
    posyandu: int,
    nik: str,
    muac: float | None,
    *,
    ended_on: date | None = None,
    visits: tuple[tuple[date, float], ...] = (),
) -> int:
    m, p, v = table_of(Mother), table_of(Pregnancy), table_of(AncVisit)
    mother = connection.execute(
        insert(m).values(nik=nik, name=f"Ibu {nik[-4:]}").returning(m.c.id)
    ).scalar_one()
    values = {
        "mother_id": mother,
        "hpht": date(2024, 4, 1),
        "due_date": date(2025, 1, 6),
        "muac_cm": muac,
        "registered_on": date(2024, 5, 20),
        "k1_on": date(2024, 5, 20),
        "kelurahan_code": KELURAHAN,
        "posyandu_id": posyandu,
        "ended_on": ended_on,
        "outcome": None if ended_on is None else "miscarriage",
    }
    pregnancy = int(connection.execute(insert(p).values(**values).returning(p.c.id)).scalar_one())
    for day, lila in visits:
        connection.execute(
            insert(v).values(
                pregnancy_id=pregnancy,
                visited_on=day,
                place="posyandu",
                muac_cm=lila,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    return pregnancy


class Town:
    """Four pregnancies of one kelurahan: KEK at K1, KEK by a later visit only, recovered
    by a later visit (not KEK now), and KEK but ended; and a kitchen."""

    def __init__(self, engine: Engine) -> None:
        with engine.begin() as connection:
            posyandu = add_posyandu(connection, "P-1", KELURAHAN, "Mawar")
            self.kitchen = _kitchen(connection)
            self.kek = _pregnancy(connection, posyandu, "3672014101950001", 22.4)
            self.later_kek = _pregnancy(
                connection, posyandu, "3672014101950002", 24.0, visits=((date(2024, 7, 1), 23.1),)
            )
            self.recovered = _pregnancy(
                connection, posyandu, "3672014101950003", 22.0, visits=((date(2024, 7, 2), 23.5),)
            )
            self.ended = _pregnancy(
                connection, posyandu, "3672014101950004", 21.0, ended_on=date(2024, 7, 1)
            )


@pytest.fixture
def town(engine: Engine) -> Town:
    return Town(engine)


def _enrol(
    ids: list[int], kitchen: int, start: date = date(2024, 8, 1)
) -> pmt_bumil.BumilEnrolment:
    return pmt_bumil.BumilEnrolment(tuple(ids), kitchen, start, Funding.DAK)


def test_the_list_holds_open_pregnancies_kek_at_their_latest_lila(
    engine: Engine, town: Town
) -> None:
    with engine.connect() as connection:
        found = pmt_bumil.bumil_list(connection, NUTRITIONIST, today=TODAY)
    assert [p.pregnancy_id for p in found.pregnancies] == [town.kek, town.later_kek]
    assert [p.muac_cm for p in found.pregnancies] == [22.4, 23.1]
    assert found.open_pregnancies == 3
    assert found.eligible == 2
    assert found.enrolled == 0
    assert found.pregnancies[0].planned_days == 120  # juknis 2023
    assert found.pregnancies[0].weeks == 19  # 1 April to 15 August: 136 days
    assert found.may_enrol
    with engine.connect() as connection:
        assert pmt_bumil.bumil_list(connection, FAR_NUTRITIONIST, today=TODAY).pregnancies == []
        assert not pmt_bumil.bumil_list(connection, BIDAN, today=TODAY).may_enrol


def test_enrolling_opens_an_audited_episode_and_marks_her_on_the_list(
    engine: Engine, town: Town
) -> None:
    with engine.connect() as connection:
        done = pmt_bumil.enrol_pregnancies(
            connection, NUTRITIONIST, TOOL, _enrol([town.kek], town.kitchen), today=TODAY
        )
        assert done.errors == []
        [episode_id] = done.episode_ids
        view = pmt_bumil_episodes.find_bumil_episode(connection, NUTRITIONIST, episode_id, TODAY)
        a = table_of(AuditEntry)
        audit = connection.execute(
            select(a).where(a.c.entity == "pmt_episode", a.c.entity_id == episode_id)
        ).one()
        found = pmt_bumil.bumil_list(connection, NUTRITIONIST, today=TODAY)
    e = view.episode
    assert (e.indication, e.planned_days, e.rules_version) == (Indication.PREGNANT_KEK, 120, "2023")
    assert e.start_muac_cm == 22.4
    assert e.kitchen_name == "Dapur Umum PKK Mawar"
    assert view.last_day == date(2024, 11, 28)  # 1 August + 119 days, before the HPL
    assert "Ibu" not in str(audit.after)
    assert "3672014101950001" not in str(audit.after)
    assert [p.episode_id for p in found.pregnancies] == [None, episode_id]  # fed ones last
    assert found.enrolled == 1


def test_a_refused_pregnancy_writes_nothing_and_says_why(engine: Engine, town: Town) -> None:
    with engine.connect() as connection:
        ids = [town.kek, town.recovered, town.ended]
        done = pmt_bumil.enrol_pregnancies(
            connection, NUTRITIONIST, TOOL, _enrol(ids, town.kitchen), today=TODAY
        )
        again = pmt_bumil.enrol_pregnancies(
            connection,
            NUTRITIONIST,
            TOOL,
            _enrol([town.kek], town.kitchen, date(2024, 5, 1)),
            today=TODAY,
        )
        assert pmt_bumil.bumil_list(connection, NUTRITIONIST, today=TODAY).enrolled == 0
    assert done.episode_ids == []
    assert [(e.problem, e.value) for e in done.errors] == [
        (EpisodeProblem.REFUSED_NOT_KEK, "23.5"),
        (EpisodeProblem.REFUSED_PREGNANCY_ENDED, "2024-07-01"),
    ]
    assert [(e.problem, e.accepted) for e in again.errors] == [
        (EpisodeProblem.START_BEFORE_K1, "2024-05-20")
    ]


def test_one_open_episode_per_pregnancy(engine: Engine, town: Town) -> None:
    with engine.connect() as connection:
        first = pmt_bumil.enrol_pregnancies(
            connection, NUTRITIONIST, TOOL, _enrol([town.kek], town.kitchen), today=TODAY
        )
        second = pmt_bumil.enrol_pregnancies(
            connection, NUTRITIONIST, TOOL, _enrol([town.kek], town.kitchen), today=TODAY
        )
    assert [(e.problem, e.value) for e in second.errors] == [
        (EpisodeProblem.ALREADY_ENROLLED, str(first.episode_ids[0]))
    ]


def test_scope_and_role_are_checked(engine: Engine, town: Town) -> None:
    with engine.connect() as connection:
        with pytest.raises(OutOfScope):
            pmt_bumil.enrol_pregnancies(
                connection, FAR_NUTRITIONIST, TOOL, _enrol([town.kek], town.kitchen), today=TODAY
            )
        with pytest.raises(NotAllowed):
            pmt_bumil.enrol_pregnancies(
                connection, BIDAN, TOOL, _enrol([town.kek], town.kitchen), today=TODAY
            )
        done = pmt_bumil.enrol_pregnancies(
            connection, NUTRITIONIST, TOOL, _enrol([town.kek], town.kitchen), today=TODAY
        )
        with pytest.raises(OutOfScope):
            pmt_bumil_episodes.find_bumil_episode(
                connection, FAR_NUTRITIONIST, done.episode_ids[0], TODAY
            )


def test_closing_as_completed_is_judged_by_the_lila_at_the_end(engine: Engine, town: Town) -> None:
    with engine.connect() as connection:
        done = pmt_bumil.enrol_pregnancies(
            connection, NUTRITIONIST, TOOL, _enrol([town.kek], town.kitchen), today=TODAY
        )
        episode_id = done.episode_ids[0]
        no_lila = pmt_bumil_episodes.BumilClosing(Closing.COMPLETED, TODAY, None)
        refused = pmt_bumil_episodes.close_bumil_episode(
            connection, NUTRITIONIST, TOOL, episode_id, no_lila, today=TODAY
        )
        closing = pmt_bumil_episodes.BumilClosing(Closing.COMPLETED, TODAY, 23.6, "lahir sehat")
        closed = pmt_bumil_episodes.close_bumil_episode(
            connection, NUTRITIONIST, TOOL, episode_id, closing, today=TODAY
        )
        view = pmt_bumil_episodes.any_episode(connection, BIDAN, episode_id, TODAY)
        page = pregnancies.pregnancy_page(connection, BIDAN, town.kek, today=TODAY)
        register = pmt_bumil_episodes.area_bumil_episodes(connection, BIDAN)
    assert [e.problem for e in refused.errors] == [EpisodeProblem.NO_END_MUAC]
    assert closed.errors == []
    assert closed.exit is EpisodeExit.RECOVERED
    assert isinstance(view, pmt_bumil_episodes.BumilEpisodeView)
    assert view.episode.end_muac_cm == 23.6
    assert view.episode.exit is EpisodeExit.RECOVERED
    assert view.episode.mother_nik == "3672************"  # a bidan does not see NIK
    assert [e.id for e in page.pmt_episodes] == [episode_id]
    assert [e.id for e in register] == [episode_id]


def test_a_lila_under_23_5_at_the_end_is_not_recovered(engine: Engine, town: Town) -> None:
    with engine.connect() as connection:
        done = pmt_bumil.enrol_pregnancies(
            connection, NUTRITIONIST, TOOL, _enrol([town.later_kek], town.kitchen), today=TODAY
        )
        closing = pmt_bumil_episodes.BumilClosing(Closing.COMPLETED, TODAY, 23.4)
        closed = pmt_bumil_episodes.close_bumil_episode(
            connection, NUTRITIONIST, TOOL, done.episode_ids[0], closing, today=TODAY
        )
        bad = pmt_bumil_episodes.BumilClosing(Closing.MOVED, TODAY, 234.0)
        refused = pmt_bumil_episodes.close_bumil_episode(
            connection, NUTRITIONIST, TOOL, done.episode_ids[0], bad, today=TODAY
        )
    assert closed.exit is EpisodeExit.NOT_RECOVERED
    assert [e.problem for e in refused.errors] == [
        EpisodeProblem.ALREADY_ENDED,
        EpisodeProblem.MUAC_OUT_OF_RANGE,
    ]
