"""A kader on a 360 px phone records a 4-month-old's month (issue 15, item 2): the child's
page shows only the ASI eksklusif question (no MP-ASI at 4 months), she answers "ya" and
sees the month listed; no page scrolls sideways. Screenshot in artifacts/screenshots/.

The app runs on a registry of this module's own (one posyandu, one infant, the kader), so
nothing is added to the demo city other browser tests count."""

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.db.helpers import add_child, add_posyandu
from tests.web.browser.conftest import SCREENSHOTS, _free_port
from tests.web.conftest import settings_for
from tumbuh.db.engine import create_engine
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.usecases.access import Role
from tumbuh.usecases.users import DEMO_PASSWORD
from tumbuh.web.app import create_app

PHONE: ViewportSize = {"width": 360, "height": 740}


def _four_months_ago() -> date:
    """The first day of the month four months back: 4 completed months all this month."""
    today = date.today()
    index = today.year * 12 + today.month - 1 - 4
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class KaderSite:
    """The running app and its infant."""

    base_url: str
    child: int


@pytest.fixture(scope="module")
def kader_site(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KaderSite]:
    url = f"sqlite:///{tmp_path_factory.mktemp('months-browser') / 'city.sqlite'}"
    engine = create_engine(url)
    upgrade_database(engine)
    with engine.begin() as connection:
        posyandu = add_posyandu(connection, "36.72.01.1001.01", "36.72.01.1001", "Mawar")
        child = add_child(connection, birth_date=_four_months_ago(), posyandu_id=posyandu)
        user = NewUser("kader", "Kader Mawar", Role.KADER, DEMO_PASSWORD, posyandu_id=posyandu)
        create_user(connection, user, datetime.now(UTC))
    port = _free_port()
    app = create_app(settings_for(url), engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield KaderSite(f"http://127.0.0.1:{port}", child)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_a_kader_records_asi_eksklusif_of_a_4_month_old(
    browser: Browser, kader_site: KaderSite
) -> None:
    page = browser.new_page(
        viewport=PHONE, base_url=kader_site.base_url, is_mobile=True, has_touch=True
    )
    page.goto("/login")
    page.fill("#username", "kader")
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_load_state("networkidle")
    page.goto(f"/children/{kader_site.child}")
    section = page.locator("#monthly-monitoring")
    expect(section.locator("h2")).to_have_text("Pemantauan bulanan")
    expect(section.locator("h3")).to_contain_text("umur 4 bulan")
    expect(page.locator("#month-form select")).to_have_count(1)
    expect(page.locator("#complementary_feeding")).to_have_count(0)  # MP-ASI from 6 months
    expect(page.locator("label[for=exclusive_breastfeeding]")).to_have_text("ASI eksklusif")
    box = page.locator("#exclusive_breastfeeding").bounding_box()
    assert box is not None
    assert box["height"] >= 44  # a touch target
    page.select_option("#exclusive_breastfeeding", "yes")
    _fits(page)
    page.click("#month-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#month-saved")).to_have_text("Tersimpan.")
    listed = page.locator("#child-months li")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("ASI eksklusif: ya")
    expect(page.locator("#exclusive_breastfeeding")).to_have_value("yes")
    _fits(page)
    page.screenshot(path=str(SCREENSHOTS / "kader-child-months.png"), full_page=True)
