"""The demo city's first 1,000 days (issue 15, docs/demo-city.md "The first 1,000 days").

Built from the generated city with a random stream of its own (the eighth spawned from
the seed; the city uses the first seven), so the calibrated city, its measurements and
every later step stay as they were. :func:`with_first_1000_days` puts what belongs to
rows the city already stores (pregnancy registration and end, birth weights, the day
basic immunisation was complete, the families' KRS record) into the city before it is
stored; :func:`store_first_1000_days` then inserts the new records in bulk.
"""

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.bulk import ColumnValues, insert_columns, reset_id_sequences
from tumbuh.db.models import table_of
from tumbuh.db.models_maternal import (
    AncVisit,
    Catin,
    ChildMonth,
    PostpartumVisit,
    TpkVisit,
    TpkVisitAction,
)
from tumbuh.demo.baduta import build_child_months, build_immunisation
from tumbuh.demo.catin import build_catin
from tumbuh.demo.city import City
from tumbuh.demo.families_krs import build_krs
from tumbuh.demo.maternal import build_maternal
from tumbuh.demo.pmt_bumil import store_bumil_episodes

STREAM = 7  # index of the spawned stream (build_city uses 0 to 6)
PARTS = 5  # maternal, baduta, catin, KRS, then PMT bumil (spawned children keep their order)


@dataclass(frozen=True)
class First1000Days:
    """The new records, as columns ready for the database."""

    anc: dict[str, ColumnValues]
    postpartum: dict[str, ColumnValues]
    child_month: dict[str, ColumnValues]
    catin: dict[str, ColumnValues]
    tpk_visit: dict[str, ColumnValues]
    tpk_action: dict[str, ColumnValues]


@dataclass(frozen=True)
class First1000DaysCounts:
    """Rows stored, for the report of ``tumbuh demo generate``."""

    pregnancies: int
    ongoing: int
    anc_visits: int
    postpartum_visits: int
    child_months: int
    catin: int
    families_at_risk: int
    tpk_visits: int
    pmt_bumil: int = 0  # episodes of PMT for pregnant women with KEK


def last_day(city: City) -> np.datetime64:
    """The city's last day: its last measurement."""
    day: np.datetime64 = city.measurement["measured_on"].astype("datetime64[D]").max()
    return day


def with_first_1000_days(city: City) -> tuple[City, First1000Days]:
    """The city with its pregnancies, birth weights, immunisation and KRS record
    completed, and the new records of the first 1,000 days."""
    stream = np.random.SeedSequence(city.config.seed).spawn(STREAM + 1)[STREAM]
    rng_maternal, rng_baduta, rng_catin, rng_krs = (
        np.random.default_rng(s) for s in stream.spawn(4)
    )
    people = city.people
    end = last_day(city)
    maternal = build_maternal(rng_maternal, people, city.places, city.latent.birth_weight_kg, end)
    krs = build_krs(rng_krs, people, end, city.config.scale)
    child_months = build_child_months(rng_baduta, people, city.measurement)
    immunised = build_immunisation(rng_baduta, people, end)
    people = dataclasses.replace(
        people,
        pregnancy={**people.pregnancy, **maternal.pregnancy},
        family={**people.family, **krs.family},
        child_extra={"basic_immunisation_completed_on": immunised},
    )
    latent = dataclasses.replace(city.latent, birth_weight_kg=maternal.birth_weight_kg)
    records = First1000Days(
        anc=maternal.anc,
        postpartum=maternal.postpartum,
        child_month=child_months,
        catin=build_catin(rng_catin, city.places, city.config.scale, end),
        tpk_visit=krs.visit,
        tpk_action=krs.action,
    )
    return dataclasses.replace(city, people=people, latent=latent), records


def _stamped(columns: dict[str, ColumnValues], day: str) -> dict[str, ColumnValues]:
    """``columns`` with ``created_at``/``updated_at`` at 02:00 UTC of their ``day`` column."""
    days = np.asarray(columns[day], dtype="datetime64[D]").astype(object).tolist()
    stamps = [datetime(d.year, d.month, d.day, 2, 0, tzinfo=UTC) for d in days]
    return {"id": np.arange(1, len(stamps) + 1), **columns, "created_at": stamps,
            "updated_at": stamps}  # fmt: skip


def store_first_1000_days(
    connection: Connection, city: City, records: First1000Days
) -> First1000DaysCounts:
    """Insert the records of the first 1,000 days (after the city is stored)."""
    insert_columns(connection, table_of(AncVisit), _stamped(records.anc, "visited_on"))
    insert_columns(
        connection, table_of(PostpartumVisit), _stamped(records.postpartum, "visited_on")
    )
    month = np.asarray(records.child_month["month"], dtype="datetime64[D]")
    child = np.asarray(records.child_month["child_id"])
    birth = city.people.child_birth[child - 1]
    stamp = {**records.child_month, "stamp": np.maximum(month, birth)}
    insert_columns(connection, table_of(ChildMonth), _without(_stamped(stamp, "stamp"), "stamp"))
    insert_columns(connection, table_of(Catin), _stamped(records.catin, "registered_on"))
    visits = _stamped(records.tpk_visit, "visited_on")
    insert_columns(connection, table_of(TpkVisit), visits)
    insert_columns(connection, table_of(TpkVisitAction), records.tpk_action)
    tables = [AncVisit, PostpartumVisit, ChildMonth, Catin, TpkVisit]
    reset_id_sequences(connection, [table_of(model) for model in tables])
    pregnancy = city.people.pregnancy
    ended = np.asarray(pregnancy["ended_on"], dtype="datetime64[D]")
    registered = np.asarray(pregnancy["registered_on"], dtype="datetime64[D]")
    stream = np.random.SeedSequence(city.config.seed).spawn(STREAM + 1)[STREAM]
    fed = store_bumil_episodes(
        connection,
        np.random.default_rng(stream.spawn(PARTS)[PARTS - 1]),
        pregnancy,
        last_day(city).astype(date),
    )
    return First1000DaysCounts(
        pregnancies=int(ended.shape[0]),
        ongoing=int((np.isnat(ended) & ~np.isnat(registered)).sum()),
        anc_visits=_count(records.anc["visited_on"]),
        postpartum_visits=_count(records.postpartum["visited_on"]),
        child_months=_count(records.child_month["month"]),
        catin=_count(records.catin["registered_on"]),
        families_at_risk=len(np.unique(np.asarray(records.tpk_visit["family_id"]))),
        tpk_visits=_count(records.tpk_visit["visited_on"]),
        pmt_bumil=fed,
    )


def _count(values: ColumnValues) -> int:
    return int(np.asarray(values).shape[0])


def _without(columns: dict[str, ColumnValues], name: str) -> dict[str, ColumnValues]:
    return {k: v for k, v in columns.items() if k != name}
