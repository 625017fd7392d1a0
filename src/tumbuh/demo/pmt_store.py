"""Writing the demo city's PMT records in bulk: kitchens, funding lines, episodes linked to
the case open when they started, servings, and one audit row per enrolment (actor
``demo``, dated the day the episode started)."""

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, select

from tumbuh.db.audit import audit_json
from tumbuh.db.bulk import chunks, insert_columns, reset_id_sequences
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditAction, AuditEntry
from tumbuh.db.models_cases import NutritionCase
from tumbuh.db.models_pmt import Kitchen, KitchenFunding, PmtEpisode, PmtServing
from tumbuh.demo.cases import DEMO_ACTOR
from tumbuh.demo.pmt_episodes import Episode
from tumbuh.demo.pmt_kitchens import KitchenPlan
from tumbuh.growth.cases import Problem
from tumbuh.growth.pmt import Funding
from tumbuh.growth.pmt_episodes import linked_case
from tumbuh.usecases.pmt_enrolment import ENTITY as EPISODE_ENTITY

PMT_TABLES = (Kitchen, KitchenFunding, PmtEpisode, PmtServing)
AUDITED = (  # what an enrolment on the page records (tumbuh.usecases.pmt_enrolment)
    "child_id",
    "kitchen_id",
    "indication",
    "rules_version",
    "started_on",
    "planned_days",
    "funding",
    "case_id",
    "baseline_measurement_id",
)
_PARTNER = {
    Funding.BAPAK_ASUH: "Bapak Asuh Anak Stunting (Baznas Kota Cilegon)",
    Funding.BAZNAS: "Baznas Kota Cilegon",
    Funding.CSR: "CSR perusahaan",
}


def _at(day: date, hour_utc: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour_utc, 0, tzinfo=UTC)


def _open_cases(connection: Connection, episodes: list[Episode]) -> dict[int, int]:
    """Episode id -> the case it links, as an enrolment links it
    (:func:`tumbuh.growth.pmt_episodes.linked_case`): of the child's cases open on the day
    the episode started, most severe first, the one of the episode's problem, else the
    most severe."""
    k = table_of(NutritionCase)
    children = sorted({e.child for e in episodes})
    cases: dict[int, list[tuple[int, Problem, date, date | None]]] = defaultdict(list)
    columns = (k.c.id, k.c.child_id, k.c.problem, k.c.opened_on, k.c.closed_on)
    for part in chunks(children):
        query = select(*columns).where(k.c.child_id.in_(part)).order_by(k.c.severity, k.c.id)
        for case, child, problem, opened, closed in connection.execute(query):
            cases[int(child)].append((int(case), Problem(problem), opened, closed))
    linked = {}
    for episode in episodes:
        day = episode.started_on
        found = [
            (case, problem)
            for case, problem, opened, closed in cases.get(episode.child, [])
            if opened <= day and (closed is None or closed >= day)
        ]
        chosen = linked_case([problem for _, problem in found], episode.indication)
        if chosen >= 0:
            linked[episode.id] = found[chosen][0]
    return linked


def _kitchen_columns(kitchens: list[KitchenPlan]) -> dict[str, list[Any]]:
    created = [_at(k.opened_on, 2) for k in kitchens]
    return {
        "id": [k.id for k in kitchens],
        "name": [k.name for k in kitchens],
        "kind": [k.kind.value for k in kitchens],
        "kelurahan_code": [k.kelurahan_code for k in kitchens],
        "operator": [k.operator.value for k in kitchens],
        "contact_name": [k.contact_name for k in kitchens],
        "contact_phone": [k.contact_phone for k in kitchens],
        "capacity": [k.capacity for k in kitchens],
        "weekdays": [k.weekdays for k in kitchens],
        "active": [k.closes_on is None for k in kitchens],
        "note": [k.note for k in kitchens],
        "created_at": created,
        "updated_at": created,
    }


def _funding_columns(kitchens: list[KitchenPlan]) -> dict[str, list[Any]]:
    lines = [line for k in kitchens for line in k.lines]
    return {
        "id": [line.id for line in lines],
        "kitchen_id": [line.kitchen_id for line in lines],
        "source": [line.source.value for line in lines],
        "amount_rp": [line.amount_rp for line in lines],
        "starts_on": [line.starts_on for line in lines],
        "ends_on": [line.ends_on for line in lines],
        "note": [line.note for line in lines],
    }


def _episode_rows(episodes: list[Episode], cases: dict[int, int]) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id,
            "kitchen_id": e.kitchen.id,
            "child_id": e.child,
            "indication": e.indication.value,
            "rules_version": e.rules.version,
            "started_on": e.started_on,
            "planned_days": len(e.window),
            "funding": e.funding.source.value,
            "partner": _PARTNER.get(e.funding.source),
            "cycle": e.cycle,
            "case_id": cases.get(e.id),
            "baseline_measurement_id": e.baseline + 1,
            "ended_on": e.ended_on,
            "exit": None if e.exit is None else e.exit.value,
            "exit_note": e.note,
            "created_at": _at(e.started_on, 2),
            "updated_at": _at(e.ended_on or e.started_on, 2),
        }
        for e in episodes
    ]


def store_demo_pmt(
    connection: Connection, kitchens: list[KitchenPlan], episodes: list[Episode]
) -> None:
    """Insert the PMT records of the demo city in the caller's transaction (after the
    cases, which the episodes point at)."""
    insert_columns(connection, table_of(Kitchen), _kitchen_columns(kitchens))
    insert_columns(connection, table_of(KitchenFunding), _funding_columns(kitchens))
    rows = _episode_rows(episodes, _open_cases(connection, episodes))
    if rows:
        insert_columns(connection, table_of(PmtEpisode), {k: [r[k] for r in rows] for k in rows[0]})
    servings = [(e.id, day) for e in episodes for day in e.served]
    insert_columns(
        connection,
        table_of(PmtServing),
        {
            "id": list(range(1, len(servings) + 1)),
            "episode_id": [episode for episode, _ in servings],
            "served_on": [day for _, day in servings],
            "recorded_at": [_at(day, 5) for _, day in servings],
        },
    )
    audits = [{k: row[k] for k in AUDITED} | {"override_reason": None} for row in rows]
    insert_columns(
        connection,
        table_of(AuditEntry),
        {
            "at": [_at(e.started_on, 2) for e in episodes],
            "actor": DEMO_ACTOR.name,
            "action": AuditAction.CREATE.value,
            "entity": EPISODE_ENTITY,
            "entity_id": [e.id for e in episodes],
            "after": [
                audit_json({**a, "ended_on": None, "exit": None, "exit_note": None}) for a in audits
            ],
        },
    )
    reset_id_sequences(connection, [table_of(model) for model in PMT_TABLES])
