"""Browser tests: Debian's /usr/bin/chromium driven by Playwright's bundled driver.

Never ``playwright install``: the browser is the system's. Without /usr/bin/chromium the
tests skip with the reason shown, except when ``CI=true`` (then they fail: .ci/run
installs the package). The app runs in a uvicorn thread on 127.0.0.1 over a small demo
city (scale 0.05) generated once for this module's session.
"""

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select

from tests.web.conftest import settings_for
from tumbuh.db.engine import create_engine
from tumbuh.db.models import Child, table_of
from tumbuh.demo.generate import generate_demo_city
from tumbuh.demo.settings import DemoConfig
from tumbuh.usecases.users import ensure_demo_users
from tumbuh.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"


@dataclass(frozen=True)
class Site:
    """The running app and ids the tests use."""

    base_url: str
    kader_posyandu: int
    own_child: int
    other_child: int
    database_url: str = ""  # for rows a test must add directly (a kitchen)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require_chromium() -> None:
    """Skip without /usr/bin/chromium, with the reason shown; fail instead under CI=true."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app on a small demo city, served on a free local port."""
    require_chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'city.sqlite'}"
    engine = create_engine(url)
    generate_demo_city(engine, DemoConfig(scale=0.05, seed=11))
    with engine.begin() as connection:
        users = {u.username: u for u in ensure_demo_users(connection)}
        posyandu = users["kader"].posyandu_id or 0
        c = table_of(Child)
        own = connection.execute(
            select(c.c.id)
            .where(c.c.posyandu_id == posyandu, c.c.birth_date >= "2023-06-01")
            .order_by(c.c.id)
            .limit(1)
        ).scalar_one()
        other = connection.execute(
            select(c.c.id).where(c.c.posyandu_id > 20).order_by(c.c.id).limit(1)
        ).scalar_one()
    port = _free_port()
    app = create_app(settings_for(url), engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield Site(f"http://127.0.0.1:{port}", posyandu, int(own), int(other), url)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session: Playwright's synchronous driver runs
    one event loop per thread, so a second one opened beside it would be refused."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
