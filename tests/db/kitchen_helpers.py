"""Builders of kitchen, episode and serving rows for the tests (synthetic people only).

Episodes are inserted directly: enrolling them is the episodes' own use case (issue 14,
another part); the serving log only needs them to exist."""

from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine, delete, insert, update

from tumbuh.db.models import Mother, Pregnancy, table_of
from tumbuh.db.models_access import AppUser
from tumbuh.db.models_asuh import Disbursement
from tumbuh.db.models_pmt import Kitchen, KitchenFunding, PmtEpisode, PmtServing
from tumbuh.growth.pmt import EpisodeExit, Funding, Indication, KitchenKind, KitchenOperator

NOW = datetime(2024, 8, 1, tzinfo=UTC)


def add_kitchen(
    connection: Connection,
    kelurahan_code: str,
    name: str = "Dapur Umum PKK Uji",
    *,
    weekdays: int = 31,
    capacity: int = 40,
) -> int:
    """Insert a kitchen of the TP PKK (Monday to Friday unless ``weekdays``); its id."""
    table = table_of(Kitchen)
    values = {
        "name": name,
        "kind": KitchenKind.DAPUR_UMUM_PKK,
        "kelurahan_code": kelurahan_code,
        "operator": KitchenOperator.TP_PKK,
        "capacity": capacity,
        "weekdays": weekdays,
        "active": True,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return int(
        connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    )


def add_funding(
    connection: Connection,
    kitchen_id: int,
    source: Funding,
    amount_rp: int,
    period: tuple[date, date],
) -> int:
    """Insert a funding line; its id."""
    table = table_of(KitchenFunding)
    values = {
        "kitchen_id": kitchen_id,
        "source": source,
        "amount_rp": amount_rp,
        "starts_on": period[0],
        "ends_on": period[1],
    }
    return int(
        connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    )


def add_episode(  # noqa: PLR0913 - an episode's columns as options
    connection: Connection,
    kitchen_id: int,
    *,
    child_id: int | None = None,
    pregnancy_id: int | None = None,
    started_on: date,
    planned_days: int = 56,
    indication: Indication = Indication.WASTED,
    ended_on: date | None = None,
    exit_: EpisodeExit | None = None,
) -> int:
    """Insert an episode of a child or a pregnant woman at a kitchen; its id."""
    table = table_of(PmtEpisode)
    values = {
        "kitchen_id": kitchen_id,
        "child_id": child_id,
        "pregnancy_id": pregnancy_id,
        "indication": indication,
        "rules_version": "2023",
        "started_on": started_on,
        "planned_days": planned_days,
        "funding": Funding.APBD,
        "ended_on": ended_on,
        "exit": exit_,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return int(
        connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    )


def add_pregnancy(connection: Connection, mother_name: str) -> int:
    """Insert a mother and her pregnancy; the pregnancy's id."""
    mother = table_of(Mother)
    mother_id = connection.execute(
        insert(mother).values(name=mother_name).returning(mother.c.id)
    ).scalar_one()
    pregnancy = table_of(Pregnancy)
    return int(
        connection.execute(
            insert(pregnancy).values(mother_id=mother_id).returning(pregnancy.c.id)
        ).scalar_one()
    )


def add_servings(connection: Connection, episode_id: int, days: list[date]) -> None:
    """Insert servings of an episode on ``days``."""
    if days:
        connection.execute(
            insert(table_of(PmtServing)),
            [{"episode_id": episode_id, "served_on": d, "recorded_at": NOW} for d in days],
        )


def without_demo_kitchens(engine: Engine) -> None:
    """Delete the demo city's own PMT lokal (servings, episodes, kitchens, their kitchen
    operator's account), so a test's counts are its own kitchens' alone."""
    with engine.begin() as connection:
        for model in (PmtServing, PmtEpisode, KitchenFunding):
            connection.execute(delete(table_of(model)))
        paid = table_of(Disbursement)
        connection.execute(update(paid).values(kitchen_id=None))
        users = table_of(AppUser)
        connection.execute(delete(users).where(users.c.kitchen_id.is_not(None)))
        connection.execute(delete(table_of(Kitchen)))
