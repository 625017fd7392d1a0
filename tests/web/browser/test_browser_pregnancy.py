"""A bidan at work on a 360 px phone (issue 15, item 7): she signs in, registers a
pregnancy, records two ANC visits and the birth, and the baby appears on the posyandu's
child list; no page scrolls sideways. Screenshots go to artifacts/screenshots/.

The app runs on a registry of this module's own (one posyandu, the bidan), so the birth
adds no child to the demo city other browser tests count."""

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.db.helpers import add_posyandu
from tests.web.browser.conftest import SCREENSHOTS, _free_port
from tests.web.conftest import settings_for
from tumbuh.db.engine import create_engine
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.usecases.access import Role
from tumbuh.usecases.users import DEMO_PASSWORD
from tumbuh.web.app import create_app

PHONE: ViewportSize = {"width": 360, "height": 740}
TODAY = date.today()
HPHT = TODAY - timedelta(weeks=39)


@dataclass(frozen=True)
class BidanSite:
    """The running app and its posyandu."""

    base_url: str
    posyandu: int


@pytest.fixture(scope="module")
def bidan_site(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BidanSite]:
    url = f"sqlite:///{tmp_path_factory.mktemp('bidan-browser') / 'city.sqlite'}"
    engine = create_engine(url)
    upgrade_database(engine)
    with engine.begin() as connection:
        posyandu = add_posyandu(connection, "36.72.01.1001.01", "36.72.01.1001", "Mawar")
        user = NewUser("bidan", "Bidan Desa", Role.BIDAN, DEMO_PASSWORD, posyandu_id=posyandu)
        create_user(connection, user, datetime.now(UTC))
    port = _free_port()
    app = create_app(settings_for(url), engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield BidanSite(f"http://127.0.0.1:{port}", posyandu)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def _submit(page: Page, form: str) -> None:
    page.click(f"#{form} button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_bidan_registers_a_pregnancy_and_the_baby_reaches_the_posyandu(
    browser: Browser, bidan_site: BidanSite
) -> None:
    page = browser.new_page(
        viewport=PHONE, base_url=bidan_site.base_url, is_mobile=True, has_touch=True
    )
    page.goto("/login")
    page.fill("#username", "bidan")
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_load_state("networkidle")
    page.goto("/pregnancies")
    page.click("#new-pregnancy")
    page.fill("#nik", "3672014101950004")  # synthetic
    page.fill("#mother_name", "Ibu Rahma")
    page.select_option("#posyandu_id", str(bidan_site.posyandu))
    page.fill("#hpht", HPHT.isoformat())
    page.fill("#k1_on", (HPHT + timedelta(weeks=8)).isoformat())
    page.fill("#muac_cm", "24")
    page.fill("#hb_g_dl", "11.5")
    _fits(page)
    _submit(page, "pregnancy-form")
    expect(page.locator("#mother")).to_have_text("Ibu Rahma")
    expect(page.locator("#hpl")).to_have_text((HPHT + timedelta(days=280)).isoformat())
    for weeks in (20, 32):
        page.fill("#visited_on", (HPHT + timedelta(weeks=weeks)).isoformat())
        page.fill("#iron_tablets_given", "30")
        _submit(page, "visit-form")
    expect(page.locator("#k-visits")).to_have_text("K3")
    expect(page.locator("#ttd")).to_have_text("60/90")
    _fits(page)
    page.screenshot(path=str(SCREENSHOTS / "bidan-pregnancy.png"), full_page=True)
    page.fill("#ended_on", TODAY.isoformat())
    page.fill("#child_name", "Bayi Rahma")
    page.select_option("#sex", "female")
    page.fill("#birth_weight_g", "3100")
    page.fill("#birth_length_cm", "49")
    _submit(page, "birth-form")
    expect(page.locator("#births li")).to_have_count(1)
    page.goto(f"/posyandu/{bidan_site.posyandu}")
    expect(page.locator("#children")).to_contain_text("Bayi Rahma")
    _fits(page)
    page.screenshot(path=str(SCREENSHOTS / "bidan-posyandu-children.png"), full_page=True)
