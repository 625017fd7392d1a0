"""PMT lokal for the demo city's pregnant women with KEK (issue 15; docs/demo-city.md).

Most pregnant women whose recorded LiLA at K1 is under 23.5 cm (:data:`ENROLLED_SHARE`)
are fed at a kitchen of their kelurahan (else of their kecamatan) that was open then,
starting one to five weeks after K1, for the days the rules of the start's year plan
(120; the 2022 rules feed no pregnant woman, so no episode starts before 2023), until
the day before the birth at the latest (:func:`tumbuh.growth.pmt_bumil.bumil_last_day`).
A few drop out; the others end "completed" with a LiLA at the end, judged by the rule
(23.5 cm or more: recovered). Episodes still running on the city's last day stay open.
Servings follow the kitchen's cooking days, most of them attended, within the
kitchen's capacity left by the children. One audit row per
enrolment, as the children's (actor ``demo``). Drawn from the first-1,000-days stream,
after the children's PMT, so nothing stored before changes.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, select

from tumbuh.db.audit import audit_json
from tumbuh.db.bulk import insert_columns, reset_id_sequences
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditAction, AuditEntry
from tumbuh.db.models_pmt import Kitchen, PmtEpisode, PmtServing
from tumbuh.demo.cases import DEMO_ACTOR
from tumbuh.growth.maternal import KEK_MUAC_CM
from tumbuh.growth.pmt import EpisodeExit, Funding, Indication, rules_for
from tumbuh.growth.pmt_bumil import bumil_last_day, bumil_recovered
from tumbuh.usecases.pmt_enrolment import ENTITY

ENROLLED_SHARE = 0.85  # of the pregnant women with KEK, fed at a kitchen
START_AFTER_K1_DAYS = (7, 36)  # the first serving 1 to 5 weeks after K1
DROPPED_OUT_SHARE = 0.06
ATTENDED_SHARE = 0.88  # of the kitchen's cooking days, the days she came
MUAC_GAIN_CM = (0.9, 0.6)  # mean and SD of the LiLA gained in 120 days of feeding
FUNDING = (Funding.APBD, Funding.DAK, Funding.BAZNAS)
FUNDING_SHARES = (0.45, 0.45, 0.1)


@dataclass(frozen=True)
class _Kitchen:
    id: int
    kelurahan_code: str
    opened_on: date
    weekdays: int
    capacity: int  # servings a day, shared with the children fed there


def _kitchens(connection: Connection) -> list[_Kitchen]:
    k = table_of(Kitchen)
    columns = (k.c.id, k.c.kelurahan_code, k.c.created_at, k.c.weekdays, k.c.capacity)
    query = select(*columns).order_by(k.c.id)
    return [
        _Kitchen(int(r[0]), str(r[1]), r[2].date(), int(r[3]), int(r[4]))
        for r in connection.execute(query)
    ]


def _cooked(connection: Connection) -> Counter[tuple[int, date]]:
    """Servings already given per kitchen and day (the children's)."""
    k, s = table_of(PmtEpisode), table_of(PmtServing)
    query = (
        select(k.c.kitchen_id, s.c.served_on, func.count())
        .join(k, k.c.id == s.c.episode_id)
        .group_by(k.c.kitchen_id, s.c.served_on)
    )
    return Counter({(int(r[0]), r[1]): int(r[2]) for r in connection.execute(query)})


def _kitchen_for(kitchens: list[_Kitchen], kelurahan: str, on: date) -> list[_Kitchen]:
    own = [k for k in kitchens if k.kelurahan_code == kelurahan and k.opened_on <= on]
    kecamatan = kelurahan.rsplit(".", 1)[0]
    near = [k for k in kitchens if k.kelurahan_code.startswith(kecamatan) and k.opened_on <= on]
    return own or near


def _day(value: object) -> date | None:
    day = np.datetime64(value, "D")  # type: ignore[call-overload]
    return None if np.isnat(day) else day.astype(date)


@dataclass
class _Episode:
    pregnancy_id: int
    kitchen: _Kitchen
    started_on: date
    planned_days: int
    rules_version: str
    funding: Funding
    start_muac_cm: float
    ended_on: date | None = None
    exit: EpisodeExit | None = None
    end_muac_cm: float | None = None
    served: tuple[date, ...] = ()


def _plan(
    rng: np.random.Generator,
    kitchens: list[_Kitchen],
    cooked: Counter[tuple[int, date]],
    pregnancy_id: int,
    facts: tuple[str, date, date | None, date | None, float],
    last_day: date,
) -> _Episode | None:
    kelurahan, k1, ended, due, muac = facts
    start = k1 + timedelta(days=int(rng.integers(*START_AFTER_K1_DAYS)))
    choices = _kitchen_for(kitchens, kelurahan, start)
    planned = rules_for(start.year).planned_days[Indication.PREGNANT_KEK]
    if not choices or planned is None or start > last_day or (ended and start >= ended):
        return None
    kitchen = choices[int(rng.integers(len(choices)))]
    source = FUNDING[int(rng.choice(len(FUNDING), p=FUNDING_SHARES))]
    episode = _Episode(pregnancy_id, kitchen, start, planned, rules_for(start.year).version,
                       source, muac)  # fmt: skip
    last = bumil_last_day(start, planned, ended or due)
    if rng.random() < DROPPED_OUT_SHARE:
        last = start + timedelta(days=int(rng.integers(7, max(8, (last - start).days))))
        episode.exit = EpisodeExit.DROPPED_OUT
    if last <= last_day:
        episode.ended_on = last
        fed = ((last - start).days + 1) / planned
        gain = rng.normal(*MUAC_GAIN_CM) * fed
        episode.end_muac_cm = round(max(muac + gain, 15.0), 1)
        if episode.exit is None:
            verdict = float(bumil_recovered([episode.end_muac_cm])[0])
            episode.exit = EpisodeExit.RECOVERED if verdict == 1.0 else EpisodeExit.NOT_RECOVERED
    stop = min(episode.ended_on or last_day, last_day)
    days = [start + timedelta(days=i) for i in range((stop - start).days + 1)]
    cooks = [d for d in days if kitchen.weekdays & (1 << d.weekday())]
    came = rng.random(len(cooks)) < ATTENDED_SHARE
    served = []
    for day, attended in zip(cooks, came.tolist(), strict=True):
        if attended and cooked[(kitchen.id, day)] < kitchen.capacity:  # a full kitchen: none
            cooked[(kitchen.id, day)] += 1
            served.append(day)
    episode.served = tuple(served)
    return episode


def plan_bumil_episodes(
    rng: np.random.Generator,
    pregnancy: dict[str, Any],
    kitchens: list[Any],
    last_day: date,
    cooked: Counter[tuple[int, date]],
) -> list[_Episode]:
    """The episodes of the pregnant women with KEK (see the module doc), in order of
    pregnancy."""
    muac = np.asarray(pregnancy["muac_cm"], dtype=np.float64)
    k1 = np.asarray(pregnancy["k1_on"], dtype="datetime64[D]")
    chosen = np.asarray(rng.random(muac.shape[0]) < ENROLLED_SHARE, dtype=bool)
    found = []
    for i in np.flatnonzero((np.nan_to_num(muac, nan=99.0) < KEK_MUAC_CM) & ~np.isnat(k1)):
        facts = (
            str(pregnancy["kelurahan_code"][i]),
            k1[i].astype(date),
            _day(pregnancy["ended_on"][i]),
            _day(pregnancy["due_date"][i]),
            float(muac[i]),
        )
        if not bool(chosen[i]):
            continue
        episode = _plan(rng, kitchens, cooked, int(i) + 1, facts, last_day)
        if episode is not None:
            found.append(episode)
    return found


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _next_id(connection: Connection, model: type[PmtEpisode] | type[PmtServing]) -> int:
    table = table_of(model)
    return int(connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1


def store_bumil_episodes(
    connection: Connection, rng: np.random.Generator, pregnancy: dict[str, Any], last_day: date
) -> int:
    """Plan and insert the episodes, their servings and audit rows; how many."""
    episodes = plan_bumil_episodes(
        rng, pregnancy, _kitchens(connection), last_day, _cooked(connection)
    )
    if not episodes:
        return 0
    first = _next_id(connection, PmtEpisode)
    ids = list(range(first, first + len(episodes)))
    rows = [
        {
            "id": n,
            "kitchen_id": e.kitchen.id,
            "pregnancy_id": e.pregnancy_id,
            "indication": Indication.PREGNANT_KEK.value,
            "rules_version": e.rules_version,
            "started_on": e.started_on,
            "planned_days": e.planned_days,
            "funding": e.funding.value,
            "start_muac_cm": e.start_muac_cm,
            "end_muac_cm": e.end_muac_cm,
            "ended_on": e.ended_on,
            "exit": None if e.exit is None else e.exit.value,
            "created_at": _at(e.started_on, 2),
            "updated_at": _at(e.ended_on or e.started_on, 2),
        }
        for n, e in zip(ids, episodes, strict=True)
    ]
    insert_columns(connection, table_of(PmtEpisode), {k: [r[k] for r in rows] for k in rows[0]})
    served = [(n, d) for n, e in zip(ids, episodes, strict=True) for d in e.served]
    start = _next_id(connection, PmtServing)
    insert_columns(
        connection,
        table_of(PmtServing),
        {
            "id": list(range(start, start + len(served))),
            "episode_id": [n for n, _ in served],
            "served_on": [d for _, d in served],
            "recorded_at": [_at(d, 5) for _, d in served],
        },
    )
    audited = ("pregnancy_id", "kitchen_id", "indication", "rules_version", "started_on",
               "planned_days", "funding", "start_muac_cm")  # fmt: skip
    insert_columns(
        connection,
        table_of(AuditEntry),
        {
            "at": [r["created_at"] for r in rows],
            "actor": DEMO_ACTOR.name,
            "action": AuditAction.CREATE.value,
            "entity": ENTITY,
            "entity_id": ids,
            "after": [audit_json({k: r[k] for k in audited}) for r in rows],
        },
    )
    reset_id_sequences(connection, [table_of(PmtEpisode), table_of(PmtServing)])
    return len(episodes)
