"""Time of the PMT episode work on the demo city (docs/pmt.md): the month's eligibility
list for the city and for one puskesmas area, enrolling children, closing them, and the
outcome evaluation's two queries.

Run: .venv/bin/python benchmarks/pmt_episodes.py [--scale 1.0] [--repeat 3] [--url URL]

Generates the demo city (not timed) into SQLite and, when TUMBUH_TEST_DATABASE_URL names
a server, PostgreSQL (or uses an existing database given with --url: it gets a kitchen
and episodes); prints the median and the slowest time of the reads, in milliseconds,
and the time of one enrolment of many children and of closing them.
"""

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, insert

from _databases import demo_cities
from tumbuh.db.audit import Actor
from tumbuh.db.engine import create_engine
from tumbuh.db.models import table_of
from tumbuh.db.models_pmt import Kitchen
from tumbuh.db.pmt_evaluation import comparison_children, ended_episodes
from tumbuh.growth.periods import month_period
from tumbuh.growth.pmt import Funding
from tumbuh.growth.pmt_episodes import Closing
from tumbuh.growth.referrals import DEFAULT_RULES
from tumbuh.usecases import pmt_eligibility, pmt_enrolment, pmt_episodes
from tumbuh.usecases.places import load_places

CITY = "36.72"
KECAMATAN = "36.72.01"  # the demo nutritionist's puskesmas area
MONTH = month_period(2024, 12)
SCOPE = pmt_episodes.COMMAND_LINE_SCOPE
TODAY = date(2025, 3, 31)
ENROL = 200  # children enrolled at once
T = TypeVar("T")


def _no_memo(key: object, compute: Callable[[], T]) -> T:
    return compute()


def _eligible(connection: Connection, code: str) -> pmt_eligibility.EligibilityList:
    places = load_places(connection, CITY)
    area = places.area(code) or places.city
    query = pmt_eligibility.EligibilityQuery(MONTH, page_size=2**31 - 1)
    return pmt_eligibility.eligibility_list(
        connection, places, _no_memo, area, SCOPE, DEFAULT_RULES, query, today=TODAY
    )


def reads() -> dict[str, Callable[[Connection], Any]]:
    """Name -> one read."""
    return {
        "eligibility list 2024-12, city": lambda c: _eligible(c, CITY),
        "eligibility list 2024-12, puskesmas area": lambda c: _eligible(c, KECAMATAN),
        "comparison children 2024-12, city": lambda c: comparison_children(
            c, MONTH, area=load_places(c, CITY).city
        ),
        "ended episodes, city": ended_episodes,
    }


def _kitchen(connection: Connection) -> int:
    now = datetime.now(UTC)
    k = table_of(Kitchen)
    values = {
        "name": f"Dapur Benchmark {now.timestamp():.0f}",
        "kind": "dapur_umum_pkk",
        "kelurahan_code": f"{KECAMATAN}.1001",
        "operator": "tp_pkk",
        "capacity": 500,
        "weekdays": 127,
        "active": True,
        "created_at": now,
        "updated_at": now,
    }
    with connection.begin():
        return int(connection.execute(insert(k).values(**values).returning(k.c.id)).scalar_one())


def write_episodes(url: str) -> tuple[int, float, float]:
    """Enrol up to :data:`ENROL` eligible children of the city at once, then close each as
    completed (or dropped out when undecided): (episodes, enrol s, close s)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        kitchen = _kitchen(connection)
        free = [c for c in _eligible(connection, CITY).children if c.episode_id is None][:ENROL]
        connection.rollback()
        start = max(c.measured_on for c in free)
        enrolment = pmt_enrolment.Enrolment(
            tuple(c.child_id for c in free), MONTH, kitchen, start, Funding.APBD
        )
        began = time.perf_counter()
        done = pmt_enrolment.enrol(connection, SCOPE, Actor("cli:bench"), enrolment, today=TODAY)
        enrolled = time.perf_counter() - began
        assert not done.errors, done.errors[:3]
        began = time.perf_counter()
        for episode_id in done.episode_ids:
            for closing in (Closing.COMPLETED, Closing.DROPPED_OUT):
                given = pmt_episodes.ClosingInput(closing, date(2025, 2, 28))
                closed = pmt_episodes.close_episode(
                    connection, SCOPE, Actor("cli:bench"), episode_id, given, today=TODAY
                )
                if not closed.errors:
                    break
        closing_time = time.perf_counter() - began
    engine.dispose()
    return len(done.episode_ids), enrolled, closing_time


def time_reads(url: str, repeat: int) -> list[tuple[str, float, float]]:
    """(read, median ms, slowest ms) for every read."""
    engine = create_engine(url)
    results = []
    for name, read in reads().items():
        seconds = []
        for _ in range(repeat):
            with engine.connect() as connection:
                start = time.perf_counter()
                read(connection)
                seconds.append(time.perf_counter() - start)
        results.append((name, 1000 * statistics.median(seconds), 1000 * max(seconds)))
    engine.dispose()
    return results


def _run(name: str, url: str, repeat: int) -> None:
    count, enrolled, closed = write_episodes(url)
    print(f"{name}:")
    print(
        f"  enrol {count} children at once: {enrolled:.1f} s; close them one by one: {closed:.1f} s"
    )
    for read, median, slowest in time_reads(url, repeat):
        print(f"  {read:<42} median {median:7.0f} ms   slowest {slowest:7.0f} ms")
    with create_engine(url).connect() as connection:
        print(f"  ({len(_eligible(connection, CITY).children)} children on the city's list)")


def main() -> None:
    """Parse the options, run on each available engine, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--url", help="an existing demo-city database instead of new ones")
    options = parser.parse_args()
    if options.url:
        _run(options.url.split(":", 1)[0], options.url, options.repeat)
        return
    for name, url in demo_cities(options.scale):
        if url is None:
            print(f"{name}: skipped, set TUMBUH_TEST_DATABASE_URL to measure it")
            continue
        _run(name, url, options.repeat)


if __name__ == "__main__":
    main()
