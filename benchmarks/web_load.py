"""Dashboard latency with 20 concurrent users (issue 7: p95 under 300 ms).

Run: .venv/bin/python benchmarks/web_load.py [--users 20] [--requests 25] [--workers 2]
     [--database-url URL]

Without --database-url the full demo city (scale 1, about 970,000 measurements) is
generated into a temporary SQLite file and, when TUMBUH_TEST_DATABASE_URL names a
server, into a temporary PostgreSQL database. For each, ``tumbuh serve``'s app runs in
uvicorn on 127.0.0.1 (``--workers`` processes); every simulated user signs in with its
own session (the five demo roles in turn) and requests its dashboard ``--requests`` times
back to back, all users at once (httpx, asyncio). Prints p50, p95, p99 and max latency
and the throughput. Only loopback traffic; the loop is bounded by the request count.
"""

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack

import httpx
from sqlalchemy import Connection

from _databases import postgresql_url, sqlite_url
from tumbuh.db import migrate
from tumbuh.db.engine import create_engine
from tumbuh.db.measurements import count_rows
from tumbuh.db.models import Child
from tumbuh.demo.generate import generate_demo_city
from tumbuh.demo.settings import DemoConfig
from tumbuh.web.demo_users import DEMO_PASSWORD, ensure_demo_users

ROLES = ("admin", "analis", "gizi", "kader", "mitra")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def prepare(url: str) -> None:
    """The demo city (generated if the database holds no children) and the demo users."""
    engine = create_engine(url)
    with engine.connect() as connection:
        empty = count_rows(connection, Child) == 0 if _has_schema(connection) else True
    if empty:
        started = time.perf_counter()
        generate_demo_city(engine, DemoConfig())
        print(f"  demo city generated in {time.perf_counter() - started:.0f} s")
    with engine.begin() as connection:
        ensure_demo_users(connection)
    engine.dispose()


def _has_schema(connection: Connection) -> bool:
    return migrate.current_revision(connection) is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn with the app factory; returns the process and its base URL."""
    port = _free_port()
    env = {**os.environ, "TUMBUH_DATABASE_URL": url, "TUMBUH_SECRET_KEY": "bench-" + "s" * 40}
    command = [
        sys.executable, "-m", "uvicorn", "tumbuh.web.app:app_from_environment", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/login", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the server did not start within 60 s")


async def user(base: str, username: str, requests: int) -> tuple[list[float], str]:
    """Sign in, open the dashboard once (warm-up), then time ``requests`` dashboard loads."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        token = CSRF.search((await client.get("/login")).text)
        assert token is not None
        data = {"username": username, "password": DEMO_PASSWORD, "csrf_token": token[1]}
        home = (await client.post("/login", data=data, follow_redirects=True)).url.path
        await client.get(home)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = await client.get(home)
            times.append(time.perf_counter() - started)
            response.raise_for_status()
        return times, home


async def load(base: str, users: int, requests: int) -> tuple[list[float], float]:
    started = time.perf_counter()
    results = await asyncio.gather(
        *(user(base, ROLES[i % len(ROLES)], requests) for i in range(users))
    )
    return [t for times, _ in results for t in times], time.perf_counter() - started


def report(name: str, latencies: list[float], seconds: float, users: int, workers: int) -> None:
    ms = sorted(1000 * t for t in latencies)
    quantiles = statistics.quantiles(ms, n=100)
    print(
        f"{name:<10}  {users} users x {len(ms) // users} dashboards, {workers} workers: "
        f"p50 {quantiles[49]:5.0f} ms  p95 {quantiles[94]:5.0f} ms  p99 {quantiles[98]:5.0f} ms  "
        f"max {ms[-1]:5.0f} ms  {len(ms) / seconds:5.1f} req/s"
    )


def run(name: str, url: str, options: argparse.Namespace) -> None:
    prepare(url)
    process, base = start_server(url, options.workers)
    try:
        latencies, seconds = asyncio.run(load(base, options.users, options.requests))
        report(name, latencies, seconds, options.users, options.workers)
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args()
    if options.database_url:
        run("given", options.database_url, options)
        return
    with ExitStack() as stack:
        sqlite = stack.enter_context(sqlite_url())
        postgresql = stack.enter_context(postgresql_url())
        for name, url in (("SQLite", sqlite), ("PostgreSQL", postgresql)):
            if url is None:
                print(f"{name:<10}  skipped: set TUMBUH_TEST_DATABASE_URL to measure it")
                continue
            run(name, url, options)


if __name__ == "__main__":
    main()
