"""``tumbuh demo generate``: build the demo city and store it, with a report of what was made."""

import dataclasses
import time
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Engine

from tumbuh.db.measurements import count_rows
from tumbuh.db.models import Child, PlantedErrorKind
from tumbuh.db.setup import upgrade_database
from tumbuh.demo.aks import AksCounts, store_demo_aks
from tumbuh.demo.aksi import store_demo_aksi
from tumbuh.demo.asuh import AsuhCounts, store_demo_asuh
from tumbuh.demo.cases import store_demo_cases
from tumbuh.demo.city import CITY_CODE, City, RoundFigure, build_city
from tumbuh.demo.first_1000_days import (
    First1000DaysCounts,
    store_first_1000_days,
    with_first_1000_days,
)
from tumbuh.demo.partners import store_demo_partners
from tumbuh.demo.pmt import PmtCounts, counts_of, feed_demo_children
from tumbuh.demo.pmt_store import store_demo_pmt
from tumbuh.demo.settings import DemoConfig
from tumbuh.demo.store import clear_registry, refresh_statistics, store_city
from tumbuh.errors import InputError


@dataclass(frozen=True)
class DemoReport:
    """What ``generate_demo_city`` made, how the calibrated rounds came out, and timings."""

    config: DemoConfig
    children: int
    mothers: int
    posyandu: int
    measurements: int
    planted: dict[PlantedErrorKind, int]
    calibrated: tuple[tuple[RoundFigure, int, int], ...]  # figure, target stunted, measured
    build_seconds: float
    store_seconds: float
    cases: int = 0  # cases opened from the referral lists of the last months
    cases_seconds: float = 0.0
    asuh: AsuhCounts | None = None  # the Bapak Asuh sponsors, money, asuhan, deliveries
    asuh_seconds: float = 0.0
    pmt: PmtCounts | None = None  # kitchens, episodes and servings of PMT lokal
    pmt_seconds: float = 0.0
    first_1000_days: First1000DaysCounts | None = None  # pregnancies, visits, catin, KRS
    first_1000_days_seconds: float = 0.0  # building them and storing the new records
    aks: AksCounts | None = None  # the Audit Kasus Stunting of 2024 (issue 16)


def _report(
    city: City,
    build_seconds: float,
    store_seconds: float,
    cases: tuple[int, float],
    pmt: tuple[PmtCounts, float],
    asuh: tuple[AsuhCounts, float],
    first_1000_days: tuple[First1000DaysCounts, float],
) -> DemoReport:
    counts: Counter[str] = city.planted_counts()
    by_month = {f.month: f for f in city.figures}
    return DemoReport(
        config=city.config,
        children=int(city.people.child_birth.shape[0]),
        mothers=len(city.people.mother_name),
        posyandu=city.places.posyandu_count,
        measurements=int(city.measurement["id"].shape[0]),
        planted={kind: counts.get(kind.value, 0) for kind in PlantedErrorKind},
        calibrated=tuple((by_month[t.month], t.stunted, t.measured) for t in city.config.targets()),
        build_seconds=build_seconds,
        store_seconds=store_seconds,
        cases=cases[0],
        cases_seconds=cases[1],
        pmt=pmt[0],
        pmt_seconds=pmt[1],
        asuh=asuh[0],
        asuh_seconds=asuh[1],
        first_1000_days=first_1000_days[0],
        first_1000_days_seconds=first_1000_days[1],
    )


def generate_demo_city(engine: Engine, config: DemoConfig, *, replace: bool = False) -> DemoReport:
    """Migrate the database, then build the demo city and store it in one transaction.

    A database that already holds children is left alone unless ``replace`` is set, in
    which case every record except the regions is deleted first.
    """
    upgrade_database(engine)
    with engine.connect() as connection:
        existing = count_rows(connection, Child)
    if existing and not replace:
        raise InputError(
            "the database already holds {count} children; the demo city needs an empty "
            "registry. Use --replace to delete all records first, or point "
            "TUMBUH_DATABASE_URL at another database",
            count=existing,
        )
    started = time.perf_counter()
    city = build_city(config)
    built = time.perf_counter()
    city, first_1000_days = with_first_1000_days(city)  # completes rows the city stores
    completed = time.perf_counter()
    with engine.begin() as connection:
        if existing:
            clear_registry(connection)
        store_city(connection, city)
    with engine.begin() as connection:
        refresh_statistics(connection)
    stored = time.perf_counter()
    with engine.begin() as connection:  # the effect of PMT goes into the measurements ...
        fed = feed_demo_children(connection, city, config.seed)
    fed_at = time.perf_counter()
    with engine.begin() as connection:  # ... before the cases open from the final lists
        cases = store_demo_cases(connection, CITY_CODE, config.seed)
    opened = time.perf_counter()
    with engine.begin() as connection:
        store_demo_pmt(connection, fed.kitchens, fed.episodes)
    done = time.perf_counter()
    with engine.begin() as connection:
        asuh = store_demo_asuh(connection, CITY_CODE, config.seed)
    sponsored = time.perf_counter()
    with engine.begin() as connection:
        first_1000_counts = store_first_1000_days(connection, city, first_1000_days)
    with engine.begin() as connection:
        store_demo_aksi(connection, CITY_CODE)  # the 2024 aksi and lokus (docs/aksi.md)
    with engine.begin() as connection:  # the TPPS's partners, meetings and commitments
        store_demo_partners(connection, CITY_CODE)
    finished = time.perf_counter()
    with engine.begin() as connection:
        audits = store_demo_aks(connection, config.seed)
    report = _report(
        city,
        built - started,
        stored - completed,
        (cases, opened - fed_at),
        (counts_of(fed), (fed_at - stored) + (done - opened)),
        (asuh, sponsored - done),
        (first_1000_counts, (completed - built) + (finished - sponsored)),
    )
    return dataclasses.replace(report, aks=audits)
