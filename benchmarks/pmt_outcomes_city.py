"""Time of the PMT outcome evaluation on the demo city (docs/pmt.md, "Outcomes"): the whole
use case (the ended episodes, the comparison children of every baseline month, the matched
comparison by every grouping) against a baseline measured in the same run, reading the
ended episodes alone.

Run: .venv/bin/python benchmarks/pmt_outcomes_city.py [--url URL ...] [--repeat 3]

Without ``--url``, generates the demo city (not timed) into a new SQLite file and, when
TUMBUH_TEST_DATABASE_URL names a server, a new PostgreSQL database; with it, uses those
databases (for instance ones made once with ``tumbuh demo generate``). A city without
ended PMT episodes (the demo before it had them) first gets them, not timed, through the
enrolment and closing use cases: for every month of 2024 from January to September, one
eligible child in :data:`SHARE` not fed yet is enrolled at its kecamatan's kitchen at the
month's end and closed about when the rules plan (completed when a checkpoint was weighed,
else dropped out). Those episodes change nothing in the children's growth, so the
comparison finds no effect; only the time is the point here.

Prints, per database: the episodes and comparison rows, then the median and slowest
seconds of the baseline, of the whole evaluation for the city (first view: nothing kept),
of the same with the comparison children kept (a second view on the web), and of one
puskesmas area (first view), each with its ratio to the baseline.
"""

import argparse
import statistics
import time
from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, func, insert, select

from _databases import demo_cities
from tumbuh.db.audit import Actor
from tumbuh.db.engine import create_engine
from tumbuh.db.models import table_of
from tumbuh.db.models_pmt import Kitchen, PmtEpisode
from tumbuh.db.pmt_evaluation import ended_episodes
from tumbuh.growth.periods import Period, last_day, month_period
from tumbuh.growth.pmt import Funding
from tumbuh.growth.pmt_episodes import Closing
from tumbuh.growth.referrals import DEFAULT_RULES
from tumbuh.usecases import pmt_eligibility, pmt_enrolment, pmt_episodes, pmt_outcomes
from tumbuh.usecases.access import Role, Scope
from tumbuh.usecases.memo import Memo
from tumbuh.usecases.places import Places, load_places

CITY = "36.72"
KECAMATAN = "36.72.01"  # the demo nutritionist's puskesmas area
SCOPE = pmt_episodes.COMMAND_LINE_SCOPE
TODAY = date(2025, 3, 31)
MONTHS = [month_period(2024, m) for m in range(1, 10)]
SHARE = 4  # one eligible child in four is enrolled
FUNDINGS = (Funding.APBD, Funding.BAZNAS, Funding.DAK, Funding.CSR)
ACTOR = Actor("cli:bench")
T = TypeVar("T")


def _no_memo(key: Hashable, compute: Callable[[], T]) -> T:
    return compute()


class Kept:
    """A memo that keeps everything (the web's figures cache, without its size limit)."""

    def __init__(self) -> None:
        self.kept: dict[Hashable, object] = {}

    def __call__(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key not in self.kept:
            self.kept[key] = compute()
        return cast(T, self.kept[key])


def _kitchens(connection: Connection, places: Places) -> dict[str, int]:
    """A kitchen in the first kelurahan of every kecamatan: kecamatan code -> kitchen id."""
    k = table_of(Kitchen)
    now = datetime.now(UTC)
    found: dict[str, int] = {}
    with connection.begin():
        for code in sorted(places.kecamatan):
            first = min(c for c in places.kelurahan if c.startswith(code + "."))
            values = {
                "name": f"Dapur Umum PKK {places.kelurahan[first].name}",
                "kind": "dapur_umum_pkk",
                "kelurahan_code": first,
                "operator": "tp_pkk",
                "capacity": 500,
                "weekdays": 63,
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
            found[code] = int(
                connection.execute(insert(k).values(**values).returning(k.c.id)).scalar_one()
            )
    return found


def _close(connection: Connection, episode_id: int, on: date) -> None:
    for closing, day in ((Closing.COMPLETED, on), (Closing.DROPPED_OUT, on)):
        given = pmt_episodes.ClosingInput(closing, min(day, TODAY), advance_case=False)
        closed = pmt_episodes.close_episode(
            connection, SCOPE, ACTOR, episode_id, given, today=TODAY
        )
        if not closed.errors:
            return


def _month(connection: Connection, places: Places, kitchens: dict[str, int], month: Period) -> int:
    """Enrol and close one month's share of eligible children; how many."""
    query = pmt_eligibility.EligibilityQuery(month, page_size=2**31 - 1)
    listed = pmt_eligibility.eligibility_list(
        connection, places, _no_memo, places.city, SCOPE, DEFAULT_RULES, query, today=TODAY
    )
    connection.rollback()
    free = [c for c in listed.children if c.episode_id is None and c.kelurahan_code]
    chosen = free[::SHARE]
    start = last_day(month)
    count = 0
    for number, (kecamatan, kitchen) in enumerate(sorted(kitchens.items())):
        ids = tuple(c.child_id for c in chosen if (c.kelurahan_code or "").startswith(kecamatan))
        if not ids:
            continue
        funding = FUNDINGS[number % len(FUNDINGS)]
        enrolment = pmt_enrolment.Enrolment(ids, month, kitchen, start, funding)
        done = pmt_enrolment.enrol(connection, SCOPE, ACTOR, enrolment, today=TODAY)
        assert not done.errors, done.errors[:3]
        for episode_id, child in zip(done.episode_ids, ids, strict=True):
            planned = next(c.planned_days for c in chosen if c.child_id == child) or 56
            _close(connection, episode_id, start + timedelta(days=planned + 3))
        count += len(ids)
    return count


def ensure_episodes(url: str) -> int:
    """Ended episodes in the database; enrolled and closed here when there are none."""
    engine = create_engine(url)
    with engine.connect() as connection:
        k = table_of(PmtEpisode)
        ended = select(func.count()).select_from(k).where(k.c.ended_on.is_not(None))
        count = int(connection.execute(ended).scalar_one())
        connection.rollback()
        if count == 0:
            places = load_places(connection, CITY)
            kitchens = _kitchens(connection, places)
            began = time.perf_counter()
            count = sum(_month(connection, places, kitchens, m) for m in MONTHS)
            print(
                f"  (enrolled and closed {count} episodes in {time.perf_counter() - began:.0f} s)"
            )
    engine.dispose()
    return count


def _area_scope(connection: Connection) -> Scope:
    places = load_places(connection, CITY)
    codes = frozenset(c for c in places.kelurahan if c.startswith(KECAMATAN + "."))
    return Scope(Role.NUTRITIONIST, codes, None, True, True, True, True, False)


def _evaluate(scope: Scope | None, memo: Memo) -> Callable[[Connection], Any]:
    def run(connection: Connection) -> pmt_outcomes.PmtOutcomes:
        places = load_places(connection, CITY)
        return pmt_outcomes.pmt_outcomes(
            connection,
            places,
            memo,
            scope or _area_scope(connection),
            DEFAULT_RULES,
            pmt_outcomes.OutcomeQuery(),
        )

    return run


def _timed(url: str, work: Callable[[Connection], Any], repeat: int) -> tuple[float, float, Any]:
    engine = create_engine(url)
    seconds, found = [], None
    for _ in range(repeat):
        with engine.connect() as connection:
            start = time.perf_counter()
            found = work(connection)
            seconds.append(time.perf_counter() - start)
    engine.dispose()
    return statistics.median(seconds), max(seconds), found


def _run(name: str, url: str, repeat: int) -> None:
    print(f"{name}:")
    ensure_episodes(url)
    base, base_max, ended = _timed(url, ended_episodes, repeat)
    print(f"  {'ended episodes alone (baseline)':<46} {base:6.2f} s (slowest {base_max:5.2f})")
    kept = Kept()
    reads: list[tuple[str, Callable[[Connection], Any], bool]] = [
        ("evaluation, city, first view", _evaluate(SCOPE, _no_memo), False),
        ("evaluation, city, comparison children kept", _evaluate(SCOPE, kept), True),
        ("evaluation, one puskesmas area, first view", _evaluate(None, _no_memo), False),
    ]
    found = None
    for label, work, warm in reads:
        if warm:
            _timed(url, work, 1)  # the first view fills the memo, untimed
        median, slowest, result = _timed(url, work, repeat)
        found = found or result
        print(f"  {label:<46} {median:6.2f} s (slowest {slowest:5.2f})  {median / base:6.1f}x")
    assert found is not None
    city = found.whole
    recovered = city.compared[pmt_outcomes.Measure.RECOVERED]
    print(
        f"  {len(ended)} ended episodes, {len(found.months)} baseline months, "
        f"{found.candidate_rows} comparison rows of {found.candidate_children} children; "
        f"matched {city.n_matched} of {city.n_enrolled} with {city.n_controls} children; "
        f"recovered {recovered.fed} vs {recovered.comparison}: {recovered.difference} "
        f"({recovered.lower} to {recovered.upper})"
    )


def main() -> None:
    """Parse the options, run on each database, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--url", action="append", help="an existing demo-city database")
    options = parser.parse_args()
    if options.url:
        for url in options.url:
            _run(url.split(":", 1)[0], url, options.repeat)
        return
    for name, url in demo_cities(options.scale):
        if url is None:
            print(f"{name}: skipped, set TUMBUH_TEST_DATABASE_URL to measure it")
            continue
        _run(name, url, options.repeat)


if __name__ == "__main__":
    main()
