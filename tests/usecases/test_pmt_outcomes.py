"""The PMT outcome evaluation on both databases (docs/pmt.md, "Outcomes";
docs/methods-programmes.md): a small registry with children fed and not fed, read into
the matched comparison, scoped by the user's area; the follow-up rows of the comparison
children, the rule for a child enrolled later, and the next weighing of a child that
dropped out."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

import pytest
from sqlalchemy import Connection, Engine

from tests.db.helpers import add_child, add_measurement, add_posyandu
from tests.db.kitchen_helpers import add_kitchen
from tumbuh.db.audit import Actor
from tumbuh.db.measurements import rederive_children
from tumbuh.db.pmt_evaluation import FOLLOW_UP_DAYS, comparison_children, ended_episodes
from tumbuh.db.setup import upgrade_database
from tumbuh.db.surveillance.areas import Area, AreaKind
from tumbuh.growth.enums import Position
from tumbuh.growth.periods import month_period
from tumbuh.growth.pmt import EpisodeExit, Funding
from tumbuh.growth.pmt_episodes import Closing
from tumbuh.growth.referrals import DEFAULT_RULES
from tumbuh.usecases import pmt_enrolment, pmt_episodes, pmt_outcomes
from tumbuh.usecases.access import NotAllowed, Role, Scope, kitchen_scope
from tumbuh.usecases.places import load_places
from tumbuh.usecases.pmt_outcomes import Measure, OutcomeGroup, OutcomeQuery, SampleSize

CITY = "36.72"
KELURAHAN = "36.72.01.1001"
OTHER_KELURAHAN = "36.72.01.1002"
ADMIN = Scope(Role.ADMIN, None, None, True, True, True, True, True)
PARTNER = Scope(Role.PARTNER, None, None, False, False, False, False, False)
NUTRITIONIST = Scope(Role.NUTRITIONIST, frozenset({KELURAHAN}), None, True, True, True, True, False)
TOOL = Actor("cli:test")
TODAY = date(2024, 12, 1)
AUGUST, SEPTEMBER = month_period(2024, 8), month_period(2024, 9)
BASELINE, SECOND, THIRD = date(2024, 8, 15), date(2024, 9, 16), date(2024, 10, 15)
START = date(2024, 8, 20)
FED, NOT_FED = 24, 15  # at posyandu A
T = TypeVar("T")


def no_memo(key: Hashable, compute: Callable[[], T]) -> T:
    return compute()


def _weigh(connection: Connection, child: int, day: date, kg: float, cm: float, at: int) -> None:
    add_measurement(
        connection,
        child_id=child,
        measured_on=day,
        weight_kg=round(kg, 2),
        height_cm=cm,
        position=Position.HEIGHT,
        posyandu_id=at,
    )


@dataclass
class Registry:
    """Girls of 28-29 months at 85 cm weighed on 15 August 2024 with gizi kurang (WHO 2006:
    WHZ -2 SD is 9.7 kg, -3 SD 8.9 kg), at posyandu A (kelurahan 1001, the nutritionist's)
    and B (1002), each with its kitchen, "Dapur Mawar" and "Dapur Kenanga":

    - ``fed``: 24 at A, enrolled at Dapur Mawar from 20 August (half APBD, half Baznas),
      weighed again on 15 October (day 56 of feeding, 61 after the baseline) about 0.75 kg
      heavier, and closed as completed; ``fed_b``: 3 at B, the same at Dapur Kenanga;
    - ``not_fed``: 15 at A and 2 at B (``not_fed_b``), never enrolled, weighed on
      16 September (day 32) and 15 October (day 61), about 0.25 kg heavier;
    - ``dropped``: enrolled at A, dropped out on 25 August before any weighing, weighed
      on 16 September;
    - ``later``: at A, not enrolled from August's list, still gizi kurang on 16 September
      and enrolled from that month's list on 20 September (open), weighed on 15 October.
    """

    a: int
    b: int
    kitchen_a: int
    kitchen_b: int
    fed: list[int]
    fed_b: list[int]
    not_fed: list[int]
    not_fed_b: list[int]
    dropped: int
    later: int

    @classmethod
    def build(cls, connection: Connection) -> "Registry":
        with connection.begin():
            a = add_posyandu(connection, "P-A", KELURAHAN, "Mawar")
            b = add_posyandu(connection, "P-B", OTHER_KELURAHAN, "Kenanga")
            kitchen_a = add_kitchen(connection, KELURAHAN, "Dapur Mawar")
            kitchen_b = add_kitchen(connection, OTHER_KELURAHAN, "Dapur Kenanga")

            def girl(i: int, at: int) -> int:
                born = date(2022, 3, 1) + timedelta(days=i % 20)
                return add_child(connection, birth_date=born, posyandu_id=at)

            fed = [girl(i, a) for i in range(FED)]
            for i, child in enumerate(fed):
                kg = 9.10 + 0.01 * i
                _weigh(connection, child, BASELINE, kg, 85.0, a)
                _weigh(connection, child, THIRD, kg + 0.75 + 0.02 * (i % 4), 85.6, a)
            not_fed = [girl(i, a) for i in range(NOT_FED)]
            fed_b = [girl(i, b) for i in range(3)]
            not_fed_b = [girl(i, b) for i in range(2)]
            for i, child in enumerate(not_fed + not_fed_b):
                at = a if child in not_fed else b
                kg = 9.11 + 0.015 * i
                _weigh(connection, child, BASELINE, kg, 85.0, at)
                _weigh(connection, child, SECOND, kg + 0.12, 85.3, at)
                _weigh(connection, child, THIRD, kg + 0.25 + 0.02 * (i % 4), 85.6, at)
            for i, child in enumerate(fed_b):
                _weigh(connection, child, BASELINE, 9.15 + 0.02 * i, 85.0, b)
                _weigh(connection, child, THIRD, 9.95, 85.6, b)
            dropped, later = girl(3, a), girl(4, a)
            _weigh(connection, dropped, BASELINE, 9.2, 85.0, a)
            _weigh(connection, dropped, SECOND, 9.4, 85.3, a)
            _weigh(connection, later, BASELINE, 9.2, 85.0, a)
            _weigh(connection, later, SECOND, 9.3, 85.2, a)
            _weigh(connection, later, THIRD, 9.8, 85.6, a)
            rederive_children(connection, [*fed, *not_fed, *fed_b, *not_fed_b, dropped, later])
        found = cls(a, b, kitchen_a, kitchen_b, fed, fed_b, not_fed, not_fed_b, dropped, later)
        found._feed(connection)
        return found

    def _enrol(
        self, connection: Connection, children: list[int], kitchen: int, **values: object
    ) -> list[int]:
        fields: dict[str, object] = {"month": AUGUST, "started_on": START, "funding": Funding.APBD}
        enrolment = pmt_enrolment.Enrolment(tuple(children), kitchen_id=kitchen, **fields | values)  # type: ignore[arg-type]
        done = pmt_enrolment.enrol(connection, ADMIN, TOOL, enrolment, today=TODAY)
        assert not done.errors, done.errors
        return done.episode_ids

    def _close(self, connection: Connection, episodes: list[int], how: Closing, on: date) -> None:
        for episode in episodes:
            given = pmt_episodes.ClosingInput(how, on)
            closed = pmt_episodes.close_episode(
                connection, ADMIN, TOOL, episode, given, today=TODAY
            )
            assert not closed.errors, closed.errors

    def _feed(self, connection: Connection) -> None:
        half = FED // 2
        apbd = self._enrol(connection, self.fed[:half], self.kitchen_a)
        baznas = self._enrol(connection, self.fed[half:], self.kitchen_a, funding=Funding.BAZNAS)
        self._close(connection, apbd + baznas, Closing.COMPLETED, THIRD)
        far = self._enrol(connection, self.fed_b, self.kitchen_b)
        self._close(connection, far, Closing.COMPLETED, THIRD)
        dropped = self._enrol(connection, [self.dropped], self.kitchen_a)
        self._close(connection, dropped, Closing.DROPPED_OUT, date(2024, 8, 25))
        self._enrol(
            connection, [self.later], self.kitchen_a, month=SEPTEMBER, started_on=date(2024, 9, 20)
        )


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def _outcomes(
    connection: Connection, scope: Scope, query: OutcomeQuery | None = None
) -> pmt_outcomes.PmtOutcomes:
    places = load_places(connection, CITY)
    return pmt_outcomes.pmt_outcomes(
        connection, places, no_memo, scope, DEFAULT_RULES, query or OutcomeQuery()
    )


def test_the_comparison_children_have_a_row_per_weighing_and_none_after_their_feeding(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        town = Registry.build(connection)
        city = Area(CITY, "Kota Uji", AreaKind.KOTA)
        august = {c.child_id: c for c in comparison_children(connection, AUGUST, area=city)}
        # every child fed from August's list is left out; the one fed from September's is in
        assert set(august) == {*town.not_fed, *town.not_fed_b, town.later}
        days = [(f.day, f.measured.on) for f in august[town.not_fed[0]].follow_ups]
        assert days == [(32, SECOND), (61, THIRD)]
        later = august[town.later]
        # fed from 20 September: its 15 October weighing came during the feeding
        assert [f.measured.on for f in later.follow_ups] == [SECOND]
        assert later.fed_from == date(2024, 9, 20)
        september = comparison_children(connection, SEPTEMBER, area=city)
        assert town.later not in {c.child_id for c in september}  # fed from this list
        assert FOLLOW_UP_DAYS == (7, 135)


def test_an_episode_that_ended_without_a_checkpoint_has_the_next_weighing(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        town = Registry.build(connection)
        ended = {e.child_id: e for e in ended_episodes(connection)}
        assert len(ended) == FED + 3 + 1  # the later child's episode is open
        dropped = ended[town.dropped]
        assert (dropped.exit, dropped.checkpoint, dropped.next_weighing_day) == (
            EpisodeExit.DROPPED_OUT,
            None,
            27,  # 16 September, day 27 of the episode begun on 20 August
        )
        assert dropped.next_weighing is not None
        assert dropped.next_weighing.weight_kg == 9.4
        fed = ended[town.fed[0]]
        assert (fed.checkpoint_day, fed.next_weighing, fed.posyandu_id) == (56, None, town.a)
        started = ended_episodes(connection, started=(SEPTEMBER.start, SEPTEMBER.end))
        assert started == []


def test_the_fed_are_compared_with_the_children_not_fed_by_every_grouping(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        town = Registry.build(connection)
        found = _outcomes(connection, ADMIN)
        assert found.months == (AUGUST,)
        assert found.candidate_children == NOT_FED + 2 + 1  # and the later child
        city = found.whole
        assert (city.n_enrolled, city.n_followed, city.too_small) == (FED + 3 + 1, 28, False)
        assert city.n_matched == 28  # the dropped-out child too, on its next weighing
        assert city.n_controls >= 10
        assert city.exits[EpisodeExit.DROPPED_OUT] == 1
        assert sum(city.exits.values()) == 28
        recovered = city.compared[Measure.RECOVERED]
        assert recovered.fed is not None
        assert recovered.comparison is not None
        assert recovered.fed > 0.8
        assert recovered.comparison < 0.2
        assert recovered.lower is not None
        assert recovered.lower > 0.4
        whz = city.compared[Measure.WHZ_CHANGE]
        assert whz.difference is not None
        assert whz.lower is not None
        assert whz.upper is not None
        assert whz.lower < whz.difference < whz.upper
        assert whz.lower > 0
        assert city.before_after[Measure.RECOVERED] == pytest.approx(recovered.fed, abs=0.05)
        gain = city.compared[Measure.GAIN]
        assert gain.fed is not None
        assert gain.fed > 0
        kitchens = {r.name: r for r in found.rows[OutcomeGroup.KITCHEN]}
        assert list(kitchens) == ["Dapur Kenanga", "Dapur Mawar"]  # by name
        far = kitchens["Dapur Kenanga"]
        assert (far.code, far.n_enrolled, far.too_small, far.reason) == (
            str(town.kitchen_b),
            3,
            True,
            SampleSize.FEW_MATCHED,
        )
        assert far.compared[Measure.RECOVERED].difference is None
        assert far.before_after[Measure.RECOVERED] is None  # nothing shown for too few
        assert kitchens["Dapur Mawar"].n_enrolled == FED + 1
        assert kitchens["Dapur Mawar"].adherence == 0.0  # no serving logged
        kelurahan = [(r.code, r.n_enrolled) for r in found.rows[OutcomeGroup.KELURAHAN]]
        assert sorted(kelurahan) == [(KELURAHAN, FED + 1), (OTHER_KELURAHAN, 3)]
        assert all(r.name for r in found.rows[OutcomeGroup.KELURAHAN])
        funding = [(r.code, r.n_enrolled) for r in found.rows[OutcomeGroup.FUNDING]]
        assert funding == [("apbd", FED // 2 + 3 + 1), ("baznas", FED // 2)]
        assert [r.code for r in found.rows[OutcomeGroup.INDICATION]] == ["wasted"]
        assert _outcomes(connection, PARTNER) == found  # figures only: every city role


def test_a_nutritionist_sees_her_areas_episodes_and_comparison_children_only(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        town = Registry.build(connection)
        found = _outcomes(connection, NUTRITIONIST)
        assert found.whole.n_enrolled == FED + 1
        assert found.candidate_children == NOT_FED + 1  # posyandu B's two are not hers
        assert [r.name for r in found.rows[OutcomeGroup.KITCHEN]] == ["Dapur Mawar"]
        assert [r.code for r in found.rows[OutcomeGroup.KELURAHAN]] == [KELURAHAN]
        assert str(town.kitchen_b) not in {r.code for r in found.rows[OutcomeGroup.KITCHEN]}
        with pytest.raises(NotAllowed):
            _outcomes(connection, kitchen_scope(town.kitchen_a))


def test_the_period_keeps_the_episodes_started_in_it(engine: Engine) -> None:
    with engine.connect() as connection:
        Registry.build(connection)
        later = _outcomes(connection, ADMIN, OutcomeQuery(started_from=SEPTEMBER))
        assert (later.whole.n_enrolled, later.months, later.whole.too_small) == (0, (), True)
        assert later.rows[OutcomeGroup.KITCHEN] == []
        august = _outcomes(connection, ADMIN, OutcomeQuery(AUGUST, AUGUST))
        assert august.whole.n_enrolled == FED + 3 + 1


def test_the_comparison_children_are_kept_in_the_memo(engine: Engine) -> None:
    kept: dict[Hashable, object] = {}
    calls: list[Hashable] = []

    def memo(key: Hashable, compute: Callable[[], T]) -> T:
        calls.append(key)
        if key not in kept:
            kept[key] = compute()
        return kept[key]  # type: ignore[return-value]

    with engine.connect() as connection:
        Registry.build(connection)
        places = load_places(connection, CITY)
        query = OutcomeQuery()
        first = pmt_outcomes.pmt_outcomes(connection, places, memo, ADMIN, DEFAULT_RULES, query)
        mine = pmt_outcomes.pmt_outcomes(
            connection, places, memo, NUTRITIONIST, DEFAULT_RULES, query
        )
        assert len(kept) == 1  # the city's, cut to each user's area afterwards
        assert len(calls) == 2
        assert first.candidate_children > mine.candidate_children
