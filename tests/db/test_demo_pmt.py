"""The demo city's PMT lokal (docs/demo-city.md, "PMT lokal"): kitchens and their funding,
episodes of eligible children only, planned days by the rule of the start year, servings on
the kitchen's days, plausible adherence and exits by the recovery rule, the planted effect
in the fed children's weights only, and the published rounds still exact."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Connection, Engine, func, select

from tests.db.conftest import PMT_DEMO
from tumbuh.db.models import Child, Measurement, MeasurementDerived, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_cases import NutritionCase
from tumbuh.db.models_pmt import Kitchen, KitchenFunding, PmtEpisode, PmtServing
from tumbuh.db.pmt_episodes import child_points, measured_point
from tumbuh.db.prevalence import stunting_prevalence
from tumbuh.db.surveillance.areas import Area, AreaKind
from tumbuh.db.surveillance.referrals import referral_marks
from tumbuh.demo.city import build_city
from tumbuh.demo.pmt import PLANTED_EFFECT, planted_boosts
from tumbuh.growth.ages import completed_months
from tumbuh.growth.periods import month_period
from tumbuh.growth.pmt import (
    Checkpoint,
    EpisodeExit,
    Funding,
    Indication,
    KitchenKind,
    eligibility,
    rules_for,
)
from tumbuh.growth.pmt_episodes import checkpoint_rows, completed_exit, last_checkpoint
from tumbuh.growth.referrals import ReferralReason

CONFIG = PMT_DEMO
CITY = Area("36.72", "36.72", AreaKind.KOTA)


@pytest.fixture
def db(pmt_demo: Engine) -> Iterator[Connection]:
    with pmt_demo.connect() as connection:
        yield connection


def _rows(connection: Connection, model: type[Any]) -> list[Any]:
    """The rows of ``model``; of PMT episodes, the children's (a pregnant woman's episode
    is tested with the first 1,000 days, tests/db/test_demo_maternal.py)."""
    table = table_of(model)
    query = select(table).order_by(table.c[table.primary_key.columns.keys()[0]])
    if model is PmtEpisode:
        query = query.where(table.c.child_id.is_not(None))
    return list(connection.execute(query))


def _last_day(connection: Connection) -> date:
    m = table_of(Measurement)
    last: date = connection.execute(select(func.max(m.c.measured_on))).scalar_one()
    return last


def _measurements(connection: Connection) -> dict[int, Any]:
    m, d = table_of(Measurement), table_of(MeasurementDerived)
    query = select(
        m.c.id,
        m.c.child_id,
        m.c.measured_on,
        m.c.weight_kg,
        d.c.waz,
        d.c.waz_flag,
        d.c.whz,
        d.c.whz_flag,
    ).join(d, d.c.measurement_id == m.c.id)
    return {int(r.id): r for r in connection.execute(query)}


def test_kitchens_run_where_cilegon_runs_them_with_funding_in_rupiah(db: Connection) -> None:
    kitchens = _rows(db, Kitchen)
    lines = _rows(db, KitchenFunding)
    kinds = Counter(k.kind for k in kitchens)
    assert kinds[KitchenKind.DAPUR_UMUM_PKK] >= 30  # in most of the 43 kelurahan
    assert kinds[KitchenKind.KAMUS] == 1
    assert kinds[KitchenKind.DASHAT] == 3  # two of a Kampung KB, and the 2024 programme
    assert all(k.contact_phone.startswith("0840") and k.capacity > 0 for k in kitchens)
    kamus = next(k for k in kitchens if k.kind is KitchenKind.KAMUS)
    assert kamus.weekdays == 1 + 4 + 16  # Monday, Wednesday, Friday
    by_kitchen = defaultdict(list)
    for line in lines:
        by_kitchen[line.kitchen_id].append(line)
    assert set(by_kitchen) == {k.id for k in kitchens}
    assert min(line.starts_on for line in by_kitchen[kamus.id]).year == 2022
    assert {line.source for line in lines} == {
        Funding.APBD,
        Funding.DAK,
        Funding.BAZNAS,
        Funding.BAPAK_ASUH,
        Funding.CSR,
    }
    asuh = [line for line in lines if line.source is Funding.BAPAK_ASUH]
    assert len(asuh) == 20
    assert {line.amount_rp for line in asuh} == {7_500_000}
    assert all(date(2023, 12, 1) <= line.starts_on <= date(2024, 2, 29) for line in asuh)
    sehat = next(k for k in kitchens if k.name == "Dapur Sehat Atasi Anak Stunting 2024")
    assert sehat.kelurahan_code == "36.72.01.1002"  # Kedaleman
    assert not sehat.active
    period = [(line.starts_on, line.ends_on) for line in by_kitchen[sehat.id]]
    assert period == [(date(2024, 5, 1), date(2024, 7, 31))]  # three months
    assert all(isinstance(line.amount_rp, int) and line.ends_on >= line.starts_on for line in lines)


def test_only_eligible_children_are_enrolled_and_never_with_gizi_buruk(db: Connection) -> None:
    episodes = _rows(db, PmtEpisode)
    measured = _measurements(db)
    born = dict(db.execute(select(table_of(Child).c.id, table_of(Child).c.birth_date)).all())
    by_month: dict[date, list[Any]] = defaultdict(list)
    for episode in episodes:
        baseline = measured[episode.baseline_measurement_id]
        assert baseline.child_id == episode.child_id
        assert 2 <= (episode.started_on - baseline.measured_on).days <= 24
        by_month[baseline.measured_on.replace(day=1)].append((episode, baseline))
    assert len(episodes) > 300
    for month, enrolled in by_month.items():
        marks = referral_marks(
            db,
            month_period(month.year, month.month),
            area=CITY,
            kind=None,
        )
        reasons = {m.child_id: m.reasons for m in marks}
        for episode, baseline in enrolled:
            listed = reasons[episode.child_id]
            assert ReferralReason.SEVERE_WASTING not in listed
            age = completed_months(
                np.array([born[episode.child_id]], dtype="datetime64[D]"),
                np.array([baseline.measured_on], dtype="datetime64[D]"),
            )
            code, _ = eligibility([sum(r.bit for r in listed)], age)
            assert list(Indication)[int(code[0])] is episode.indication


def test_planned_days_are_those_of_the_rules_of_the_start_year(db: Connection) -> None:
    episodes = _rows(db, PmtEpisode)
    for episode in episodes:
        rules = rules_for(episode.started_on.year)
        assert episode.rules_version == rules.version
        assert episode.planned_days == rules.planned_days[episode.indication]
    assert {e.rules_version for e in episodes} == {"2022", "2023"}
    assert {e.indication for e in episodes} == {
        Indication.WASTED,
        Indication.UNDERWEIGHT,
        Indication.FALTERING,
    }


def test_servings_fall_on_the_kitchens_days_once_a_day_within_the_episode(
    db: Connection,
) -> None:
    kitchens = {k.id: k for k in _rows(db, Kitchen)}
    episodes = {e.id: e for e in _rows(db, PmtEpisode)}
    k = table_of(PmtEpisode)
    query = select(k.c.id, k.c.kitchen_id).where(k.c.pregnancy_id.is_not(None))
    bumil = {int(r[0]): int(r[1]) for r in db.execute(query)}
    last = _last_day(db)
    days: dict[int, list[date]] = defaultdict(list)
    cooked: Counter[tuple[int, date]] = Counter()
    for serving in _rows(db, PmtServing):
        if serving.episode_id not in episodes:  # a pregnant woman's: counts for capacity
            cooked[(bumil[serving.episode_id], serving.served_on)] += 1
            continue
        episode = episodes[serving.episode_id]
        assert kitchens[episode.kitchen_id].weekdays & (1 << serving.served_on.weekday())
        cooked[(episode.kitchen_id, serving.served_on)] += 1
        assert episode.started_on <= serving.served_on <= last
        assert episode.ended_on is None or serving.served_on < episode.ended_on
        days[serving.episode_id].append(serving.served_on)
    for episode_id, served in days.items():
        assert len(served) == len(set(served)) <= episodes[episode_id].planned_days
    assert all(count <= kitchens[kitchen].capacity for (kitchen, _), count in cooked.items())


def test_adherence_and_exits_look_like_a_kitchens_register(db: Connection) -> None:
    episodes = _rows(db, PmtEpisode)
    served = Counter(s.episode_id for s in _rows(db, PmtServing))  # children's ids only read
    last = _last_day(db)
    exits = Counter(e.exit for e in episodes)
    assert exits[EpisodeExit.RECOVERED] > exits[EpisodeExit.NOT_RECOVERED] > 0
    assert (
        min(exits[x] for x in (EpisodeExit.DROPPED_OUT, EpisodeExit.MOVED, EpisodeExit.REFERRED))
        > 0
    )
    assert 0 < exits[None] < 0.15 * len(episodes)  # still open on the city's last day
    assert all(e.ended_on is None or e.started_on <= e.ended_on <= last for e in episodes)
    assert len({e.child_id for e in episodes if e.ended_on is None}) == exits[None]
    completed = np.array(
        [
            served[e.id] / e.planned_days
            for e in episodes
            if e.exit in (EpisodeExit.RECOVERED, EpisodeExit.NOT_RECOVERED)
        ]
    )
    assert 0.8 <= float(np.median(completed)) <= 0.9
    assert float(np.mean((completed >= 0.7) & (completed <= 0.95))) > 0.55
    dropped = [served[e.id] / e.planned_days for e in episodes if e.exit is EpisodeExit.MOVED]
    assert float(np.median(dropped)) < float(np.median(completed))


def _value(value: float | None) -> float:
    return float("nan") if value is None else value


def test_recovered_or_not_follows_the_rule_at_the_last_checkpoint(db: Connection) -> None:
    """As the episode page judges "completed": the rule of the episode's version at its
    last checkpoint (weeks 2, 4, 8) among its measurements up to its end."""
    judged = 0
    for episode in _rows(db, PmtEpisode):
        if episode.exit not in (EpisodeExit.RECOVERED, EpisodeExit.NOT_RECOVERED):
            continue
        rules = rules_for(int(episode.rules_version))
        indicator = rules.exits[episode.indication].indicator
        start = measured_point(db, episode.baseline_measurement_id)
        points = child_points(
            db, episode.child_id, after=episode.started_on, up_to=episode.ended_on
        )
        assert points[-1].measured_on == episode.ended_on  # it ends at a weighing
        days = [(p.measured_on - episode.started_on).days for p in points]
        last = last_checkpoint(checkpoint_rows(days))
        assert start is not None
        assert last >= 0
        at = Checkpoint(
            day=[days[last]],
            start_z=[_value(getattr(start, indicator))],
            z=[_value(getattr(points[last], indicator))],
            start_weight_kg=[_value(start.weight_kg)],
            weight_kg=[_value(points[last].weight_kg)],
        )
        assert completed_exit(rules, episode.indication, at) is episode.exit
        judged += 1
    assert judged > 200


def test_only_fed_children_carry_the_planted_effect_and_heights_never_move(
    db: Connection,
) -> None:
    original = build_city(CONFIG)
    m = original.measurement
    stored = {
        int(r.id): (r.weight_kg, r.height_cm, r.waz)
        for r in db.execute(
            select(
                table_of(Measurement).c.id,
                table_of(Measurement).c.weight_kg,
                table_of(Measurement).c.height_cm,
                table_of(MeasurementDerived).c.waz,
            ).join(
                table_of(MeasurementDerived),
                table_of(MeasurementDerived).c.measurement_id == table_of(Measurement).c.id,
            )
        )
    }
    boosts = planted_boosts(db)
    fed = {int(c) for c in db.execute(select(table_of(PmtEpisode).c.child_id)).scalars() if c}
    residual = []
    for i, (mid, child) in enumerate(zip(m["id"].tolist(), m["child_id"].tolist(), strict=True)):
        weight, height, waz = stored[mid]
        before = float(m["height_cm"][i])
        assert (height is None and np.isnan(before)) or height == pytest.approx(before)
        if child not in fed:
            assert weight == pytest.approx(float(m["weight_kg"][i]))
            assert mid not in boosts
            continue
        was = float(original.derived["waz"][i])
        if boosts[mid] > 0 and waz is not None and not np.isnan(was) and abs(was) < 4:
            residual.append(waz - was - boosts[mid])
    assert len(residual) > 1000
    assert abs(float(np.mean(residual))) < 0.01  # what was put in is what the weights carry
    assert max(boosts.values()) <= PLANTED_EFFECT.child_cap


def test_unfed_children_listed_for_their_weight_still_rise_afterwards(db: Connection) -> None:
    """Regression to the mean: children listed for a low weight rise anyway."""
    measured = sorted(_measurements(db).values(), key=lambda r: (r.child_id, r.measured_on))
    fed = {int(c) for c in db.execute(select(table_of(PmtEpisode).c.child_id)).scalars() if c}
    rises = []
    for before, after in pairwise(measured):
        if before.child_id != after.child_id or before.child_id in fed:
            continue
        if before.waz is None or after.waz is None or before.waz_flag or after.waz_flag:
            continue
        if -3 <= before.waz < -2 and (after.measured_on - before.measured_on).days < 45:
            rises.append(after.waz - before.waz)
    assert len(rises) > 100
    assert float(np.mean(rises)) > 0.02


def test_enrolments_are_audited_and_linked_to_the_open_case(db: Connection) -> None:
    episodes = _rows(db, PmtEpisode)
    audit = table_of(AuditEntry)
    rows = db.execute(
        select(audit.c.entity_id, audit.c.actor).where(audit.c.entity == "pmt_episode")
    ).all()
    children = {e.id for e in episodes}
    assert sorted(r[0] for r in rows if r[0] in children) == [e.id for e in episodes]
    every = {int(i) for i in db.execute(select(table_of(PmtEpisode).c.id)).scalars()}
    assert sorted(r[0] for r in rows) == sorted(every)  # a pregnant woman's too
    assert {r[1] for r in rows} == {"demo"}
    cases = {c.id: c for c in _rows(db, NutritionCase)}
    linked = [e for e in episodes if e.case_id is not None]
    assert linked
    for episode in linked:
        case = cases[episode.case_id]
        assert case.child_id == episode.child_id
        assert case.opened_on <= episode.started_on
        assert case.closed_on is None or case.closed_on >= episode.started_on


def test_the_published_rounds_stay_exact(db: Connection) -> None:
    for target in CONFIG.targets():
        city = stunting_prevalence(
            db, month_period(target.month.year, target.month.month), city_code="36.72"
        )[0]
        assert (city.measured, city.stunted) == (target.measured, target.stunted)
