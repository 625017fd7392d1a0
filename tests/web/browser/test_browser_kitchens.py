"""A kitchen operator logs a week of servings on a 360 px phone (issue 14, "Done when"):
signs in, lands on today's tick list, logs the last seven days with some children absent,
sees each child's week and adherence, and a second phone's entry of a day already logged
is refused; no page scrolls sideways at 360 px. Screenshots go to artifacts/screenshots/.

The app runs on a small demo city of this module's own, with a kitchen that cooks every
day, four children fed there for ten days and the kitchen's operator."""

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlalchemy import select

from tests.db.kitchen_helpers import add_episode, add_kitchen, without_demo_kitchens
from tests.web.browser.conftest import SCREENSHOTS, _free_port
from tests.web.conftest import settings_for
from tumbuh.db.engine import create_engine
from tumbuh.db.models import Child, Posyandu, table_of
from tumbuh.db.users import NewUser, create_user
from tumbuh.demo.generate import generate_demo_city
from tumbuh.demo.settings import DemoConfig
from tumbuh.usecases.access import Role
from tumbuh.usecases.users import DEMO_PASSWORD
from tumbuh.web.app import create_app

PHONE: ViewportSize = {"width": 360, "height": 740}
TODAY = date.today()
WEEK = [TODAY - timedelta(days=6 - i) for i in range(7)]  # the last seven days, oldest first
STARTED = TODAY - timedelta(days=10)


@dataclass(frozen=True)
class KitchenSite:
    """The running app, its kitchen and the four episodes fed there."""

    base_url: str
    kitchen: int
    episodes: tuple[int, ...]
    names: tuple[str, ...]


@pytest.fixture(scope="module")
def kitchen_site(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KitchenSite]:
    url = f"sqlite:///{tmp_path_factory.mktemp('kitchen-browser') / 'city.sqlite'}"
    engine = create_engine(url)
    generate_demo_city(engine, DemoConfig(scale=0.05, seed=13))
    without_demo_kitchens(engine)  # the demo's own kitchen of Cibeber would take the name
    c, p = table_of(Child), table_of(Posyandu)
    with engine.begin() as connection:
        children = connection.execute(
            select(c.c.id, c.c.name)
            .join(p, p.c.id == c.c.posyandu_id)
            .where(
                p.c.kelurahan_code.startswith("36.72.01."),
                c.c.birth_date >= TODAY - timedelta(days=1700),  # under 59 months
            )
            .order_by(c.c.id)
            .limit(4)
        ).all()
        kitchen = add_kitchen(connection, "36.72.01.1001", "Dapur Umum PKK Cibeber", weekdays=127)
        episodes = tuple(
            add_episode(connection, kitchen, child_id=int(r.id), started_on=STARTED)
            for r in children
        )
        create_user(
            connection,
            NewUser(
                "dapur", "Petugas Dapur Cibeber", Role.KITCHEN, DEMO_PASSWORD, kitchen_id=kitchen
            ),
            datetime.now(UTC),
        )
    port = _free_port()
    app = create_app(settings_for(url), engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    names = tuple(str(r.name) for r in children)
    yield KitchenSite(f"http://127.0.0.1:{port}", kitchen, episodes, names)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def _phone(browser: Browser, site: KitchenSite) -> Page:
    """The operator signed in on a 360 px phone."""
    page = browser.new_page(
        viewport=PHONE, base_url=site.base_url, is_mobile=True, has_touch=True, locale="id-ID"
    )
    page.goto("/login")
    page.fill("#username", "dapur")
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_load_state("networkidle")
    return page


def _fits(page: Page) -> None:
    """Nothing wider than the screen: no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def _tick(page: Page, site: KitchenSite, present: set[int]) -> None:
    """Tap each child present (as a finger would: on the row) and save."""
    for episode in site.episodes:
        row = page.locator(f"label.tick[data-episode='{episode}']")
        box = row.locator("input[type=checkbox]")
        if (episode in present) != box.is_checked():
            row.tap()
    page.click("#save")
    page.wait_for_load_state("networkidle")


# Who came on each of the seven days: the third child missed two days, the fourth three.
ABSENT = {2: {1, 4}, 3: {0, 3, 5}}


def _present(site: KitchenSite, day_index: int) -> set[int]:
    return {
        episode for n, episode in enumerate(site.episodes) if day_index not in ABSENT.get(n, set())
    }


def test_a_kitchen_operator_logs_a_week_on_a_phone_and_a_double_entry_is_refused(
    browser: Browser, kitchen_site: KitchenSite
) -> None:
    site = kitchen_site
    page = _phone(browser, site)
    assert page.url.endswith(f"/kitchens/{site.kitchen}/servings")
    expect(page.locator("#day-name")).to_contain_text("(hari ini)")
    expect(page.locator("label.tick")).to_have_count(4)
    heights = page.locator("label.tick").evaluate_all("rows => rows.map(r => r.offsetHeight)")
    assert min(heights) >= 48  # big tap targets
    _fits(page)
    page.screenshot(path=SCREENSHOTS / "servings-kitchen-360.png", full_page=True)

    # A second phone opens today's list before the first one saves it.
    other = _phone(browser, site)

    for index, day in enumerate(WEEK):
        if day == TODAY:  # the day after the one shown: the arrow
            page.click("#next-day")
        else:  # the date picker
            page.fill("#date", day.isoformat())
            page.click("#day-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        expect(page.locator("#day-name")).to_contain_text(day.strftime("%d/%m/%Y"))
        _tick(page, site, _present(site, index))
        present = len(_present(site, index))
        expect(page.locator("#saved")).to_have_text(
            f"Tersimpan: {present} porsi ditambahkan, 0 dibatalkan."
        )
        expect(page.locator("#served-count")).to_contain_text(f"{present} dari 4 sudah menerima")
    _fits(page)

    # The second phone ticks the first child today: logged already, refused.
    first = site.episodes[0]
    other.locator(f"label.tick[data-episode='{first}']").tap()
    other.click("#save")
    other.wait_for_load_state("networkidle")
    expect(other.locator("#serving-errors li")).to_have_text(
        f"{site.names[0]}: porsi pada {TODAY.isoformat()} sudah tercatat (orang lain "
        "menyimpannya lebih dulu); hanya satu porsi sehari yang dicatat, jadi tidak ada yang "
        "disimpan: periksa daftar lalu simpan lagi"
    )
    _fits(other)
    other.screenshot(path=SCREENSHOTS / "servings-double-refused-360.png", full_page=True)
    other.click("#save")  # the list now shows the day as it stands: nothing more to add
    other.wait_for_load_state("networkidle")
    expect(other.locator("#saved")).to_have_text("Tersimpan: 0 porsi ditambahkan, 0 dibatalkan.")
    other.close()

    page.click("#week-link")
    page.wait_for_url(f"**/kitchens/{site.kitchen}/week*")
    _fits(page)
    expected = (TODAY - STARTED).days + 1  # cooks every day
    for n, episode in enumerate(site.episodes):
        row = page.locator(f"article.week-row[data-episode='{episode}']")
        served = 7 - len(ABSENT.get(n, set()))
        expect(row.locator(".adherence")).to_contain_text(f"({served} dari {expected} hari)")
        percent = round(100 * served / expected)
        expect(row.locator(".adherence")).to_contain_text(f"kepatuhan {percent}%")
    this_week = [d for d in WEEK if d >= TODAY - timedelta(days=TODAY.weekday())]
    fourth = page.locator(f"article.week-row[data-episode='{site.episodes[3]}'] li.served")
    missed = {WEEK[i] for i in ABSENT[3]}
    expect(fourth).to_have_count(len([d for d in this_week if d not in missed]))
    page.screenshot(path=SCREENSHOTS / "serving-week-kitchen-360.png", full_page=True)
    page.close()
