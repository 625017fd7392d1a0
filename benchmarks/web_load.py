"""Web load: concurrent sessions sign in and browse (issue 11: 0 errors, p95 < 300 ms).

Run: .venv/bin/python benchmarks/web_load.py [--sessions 50] [--seconds 60] [--think 1]
     [--ramp 5] [--workers 2] [--scale 1] [--database-url URL ...]

Without --database-url the demo city (scale 1: about 970,000 measurements) is generated
into a temporary SQLite file and, when TUMBUH_TEST_DATABASE_URL names a server, into a
temporary PostgreSQL database; a given URL is used as it is (the city generated first if
it holds no children). For each, ``tumbuh serve`` (--workers processes) runs on
127.0.0.1 and:

1. **baseline**: one session signs in and opens its pages back to back for
   ``--baseline-seconds`` (nothing else running): the latency without contention;
2. **load**: ``--sessions`` sessions (the five demo roles in turn; they start one after
   the other within ``--ramp`` s) each sign in, then open their pages in turn until
   ``--seconds`` are over, pausing ``--think`` s
   (0.5-1.5 times, at random) between two pages as a person would; ``--think 0`` is a
   stress test. The pages: home (``/``, a redirect), the user's area dashboard and a
   kecamatan, a child (roles that see children) and the referral list of their area.

Prints per kind of request p50/p95/p99/max latency and errors (a status of 400 or more, a
redirect to the login page, a timeout of 30 s or a refused connection), requests per
second, the ratio of the load's p50/p95 to the baseline's, the pages asked for after the last
sign-in ("after": without the queue of argon2id hashes at the start), and the server's
error log lines. Only loopback traffic; every phase is bounded in time.
"""

import argparse
import asyncio
import os
import random
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import select

from _databases import postgresql_url, sqlite_url
from tumbuh.db import migrate
from tumbuh.db.engine import create_engine
from tumbuh.db.measurements import count_rows
from tumbuh.db.models import Child, table_of
from tumbuh.demo.generate import generate_demo_city
from tumbuh.demo.settings import DemoConfig
from tumbuh.usecases.users import DEMO_PASSWORD, ensure_demo_users

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ROLES = ("admin", "analis", "gizi", "kader", "mitra")


@dataclass(frozen=True)
class Sample:
    kind: str
    seconds: float
    ok: bool
    ended: float = 0.0  # time.monotonic() when the answer came


Tours = dict[str, tuple[tuple[str, str], ...]]  # username -> (kind, path) in turn


def prepare(url: str, scale: float) -> Tours:
    """The demo city (generated if the database holds no children), the demo users, and
    each role's pages."""
    engine = create_engine(url)
    with engine.connect() as connection:
        empty = migrate.current_revision(connection) is None or count_rows(connection, Child) == 0
    if empty:
        started = time.perf_counter()
        generate_demo_city(engine, DemoConfig(scale=scale))
        print(f"  demo city generated in {time.perf_counter() - started:.0f} s")
    with engine.begin() as connection:
        users = {user.username: user for user in ensure_demo_users(connection)}
        posyandu = users["kader"].posyandu_id
        c = table_of(Child)
        children = connection.execute(
            select(c.c.id).where(c.c.posyandu_id == posyandu).order_by(c.c.id).limit(20)
        ).scalars()
        child = [f"/children/{i}" for i in children]
    engine.dispose()
    city = (("home", "/"), ("area", "/areas/36.72"), ("area", "/areas/36.72.01"))
    kids = tuple(("child", path) for path in child[:4])
    return {
        "admin": (*city, *kids, ("referral", "/referral-list")),
        "analis": (*city, ("referral", "/referral-list")),
        "mitra": (*city, ("referral", "/referral-list")),
        "gizi": (
            ("home", "/"),
            ("area", "/areas/36.72.01"),
            *tuple(("child", path) for path in child[4:8]),
            ("referral", "/referral-list?area=36.72.01"),
        ),
        "kader": (
            ("home", "/"),
            ("area", f"/posyandu/{posyandu}"),
            *tuple(("child", path) for path in child[8:12]),
            ("referral", f"/referral-list?posyandu={posyandu}"),
        ),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(url: str, workers: int, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``tumbuh serve`` on a free local port, its output in ``folder``/server.log."""
    port = _free_port()
    env = {
        **os.environ,
        "TUMBUH_DATABASE_URL": url,
        "TUMBUH_SECRET_KEY": "bench-" + "s" * 40,
        "TUMBUH_REPORT_CACHE_DIR": str(folder / "reports"),
    }
    tumbuh = Path(sys.executable).with_name("tumbuh")
    command = [str(tumbuh), "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(base + "/login", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"the server did not start; see {folder / 'server.log'}")


async def _timed(client: httpx.AsyncClient, kind: str, path: str, **post: str) -> Sample:
    started = time.perf_counter()
    try:
        if post:
            response = await client.post(path, data=post)
        else:
            response = await client.get(path)
    except httpx.HTTPError:
        return Sample(kind, time.perf_counter() - started, False, time.monotonic())
    seconds = time.perf_counter() - started
    lost = response.headers.get("location", "").startswith("/login")
    return Sample(kind, seconds, response.status_code < 400 and not lost, time.monotonic())


async def session(
    base: str, username: str, pages: tuple[tuple[str, str], ...], until: float, think: float
) -> list[Sample]:
    """One person: sign in, then the pages in turn (from a random one) until ``until``."""
    rng = random.Random()
    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=False) as client:
        try:
            token = CSRF.search((await client.get("/login")).text)
        except httpx.HTTPError:
            return [Sample("sign-in", 0.0, False)]
        form = {
            "username": username,
            "password": DEMO_PASSWORD,
            "csrf_token": token[1] if token else "",
        }
        samples = [await _timed(client, "sign-in", "/login", **form)]
        if not samples[0].ok:
            return samples
        turn = rng.randrange(len(pages))
        while time.monotonic() < until:
            kind, path = pages[turn % len(pages)]
            turn += 1
            samples.append(await _timed(client, kind, path))
            if think:
                await asyncio.sleep(min(think * rng.uniform(0.5, 1.5), until - time.monotonic()))
        return samples


@dataclass(frozen=True)
class Crowd:
    sessions: int
    seconds: float
    think: float  # mean pause between two pages, s
    ramp: float  # the sessions start one after the other over this many seconds


async def crowd(base: str, tours: Tours, people: Crowd) -> list[Sample]:
    until = time.monotonic() + people.seconds

    async def person(i: int) -> list[Sample]:
        await asyncio.sleep(people.ramp * i / people.sessions)
        username = ROLES[i % len(ROLES)]
        return await session(base, username, tours[username], until, people.think)

    found = await asyncio.gather(*(person(i) for i in range(people.sessions)))
    return [sample for samples in found for sample in samples]


def _quantiles(seconds: list[float]) -> tuple[float, float, float]:
    if len(seconds) < 2:
        value = 1000 * seconds[0] if seconds else float("nan")
        return value, value, value
    cuts = statistics.quantiles([1000 * s for s in seconds], n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def _line(label: str, samples: list[Sample]) -> str:
    p50, p95, p99 = _quantiles([s.seconds for s in samples])
    errors = sum(not s.ok for s in samples)
    top = 1000 * max((s.seconds for s in samples), default=0)
    return (
        f"    {label:<10} {len(samples):6d} req  p50 {p50:6.0f} ms  p95 {p95:6.0f} ms  "
        f"p99 {p99:6.0f} ms  max {top:6.0f} ms  errors {errors}"
    )


def report(baseline: list[Sample], load: list[Sample], options: argparse.Namespace) -> None:
    pages = [s for s in load if s.kind != "sign-in"]
    print(f"  baseline: one session, {options.baseline_seconds:.0f} s, no pause")
    print(_line("all", baseline))
    print(
        f"  load: {options.sessions} sessions, {options.seconds:.0f} s, pause {options.think} s, "
        f"start over {options.ramp} s, {options.workers} workers"
    )
    for kind in ("sign-in", "home", "area", "child", "referral"):
        chosen = [s for s in load if s.kind == kind]
        if chosen:
            print(_line(kind, chosen))
    print(_line("pages", pages))
    # Every sign-in is an argon2id hash (64 MiB, about 0.1 s of CPU); while they queue at
    # the start, pages wait behind them. After the last one, the steady state:
    last_sign_in = max(s.ended for s in load if s.kind == "sign-in")
    print(_line("after", [s for s in pages if s.ended - s.seconds > last_sign_in]))
    b50, b95, _ = _quantiles([s.seconds for s in baseline])
    l50, l95, _ = _quantiles([s.seconds for s in pages])
    print(
        f"    {len(load) / options.seconds:.1f} requests/s; errors {sum(not s.ok for s in load)} "
        f"of {len(load)}; pages p50 {l50 / b50:.1f}x, p95 {l95 / b95:.1f}x the baseline's"
    )


def server_errors(log: Path) -> Iterator[str]:
    """The distinct error lines of the server's log (exceptions, 5xx answers)."""
    seen: set[str] = set()
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if ("Error" in line or '" 50' in line) and line not in seen:
            seen.add(line)
            yield line[:200]


def run(name: str, url: str, options: argparse.Namespace) -> None:
    print(f"{name}")
    tours = prepare(url, options.scale)
    with tempfile.TemporaryDirectory(prefix="tumbuh-load-") as folder:
        process, base = start_server(url, options.workers, Path(folder))
        try:
            asyncio.run(crowd(base, tours, Crowd(1, 3, 0, 0)))  # warm the figures caches
            one = Crowd(1, options.baseline_seconds, 0, 0)
            baseline = asyncio.run(crowd(base, tours, one))
            many = Crowd(options.sessions, options.seconds, options.think, options.ramp)
            load = asyncio.run(crowd(base, tours, many))
        finally:
            process.terminate()
            process.wait(timeout=60)
        report(baseline, load, options)
        # The largest waited-for child so far: the server (or, with workers, its supervisor).
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print(f"  server process: peak memory {peak} MiB (largest child process so far)")
        errors = list(server_errors(Path(folder) / "server.log"))
        print(f"  server log: {len(errors)} distinct error lines")
        for line in errors[:5]:
            print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=10)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between pages, s")
    parser.add_argument("--ramp", type=float, default=5.0, help="sessions start over this, s")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0, help="demo city size (1 = Cilegon)")
    parser.add_argument("--database-url", action="append", default=[])
    options = parser.parse_args()
    for url in options.database_url:
        run(url.split(":", 1)[0], url, options)
    if options.database_url:
        return
    with ExitStack() as stack:
        sqlite = stack.enter_context(sqlite_url())
        postgresql = stack.enter_context(postgresql_url())
        for name, url in (("SQLite", sqlite), ("PostgreSQL", postgresql)):
            if url is None:
                print(f"{name}: skipped; set TUMBUH_TEST_DATABASE_URL to measure it")
                continue
            run(name, url, options)


if __name__ == "__main__":
    main()
