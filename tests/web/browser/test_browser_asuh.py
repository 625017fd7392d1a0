"""A sponsor in a real browser (issue 14, "Done when"): a bapak asuh signs in, lands on
their own page and sees only their sponsored children (initials, age, kelurahan, the
z-score chart), their delivery and their money; the TPPS pages and a child's page are
"not found"; the second sponsor, signed in after them, sees theirs and not the first
one's. Screenshots go to artifacts/screenshots/."""

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect

from tests.web.asuh.conftest import COMPANY_NAME, OFFICIAL_NAME, AsuhCity, build_asuh_city
from tests.web.browser.conftest import SCREENSHOTS, _free_port, require_chromium
from tests.web.conftest import settings_for
from tumbuh.privacy import mask_name
from tumbuh.usecases.users import DEMO_PASSWORD
from tumbuh.web.app import create_app


@dataclass(frozen=True)
class AsuhSite:
    """The app on the city with its Bapak Asuh programme, served locally."""

    base_url: str
    city: AsuhCity


@pytest.fixture(scope="module")
def asuh_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AsuhSite]:
    require_chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('asuhbrowser') / 'city.sqlite'}"
    city = build_asuh_city(url)
    port = _free_port()
    app = create_app(settings_for(url), engine=city.city.engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield AsuhSite(f"http://127.0.0.1:{port}", city)
    server.should_exit = True
    thread.join(timeout=10)
    city.city.engine.dispose()


def _signed_in(browser: Browser, site: AsuhSite, username: str, width: int = 1280) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900}, base_url=site.base_url)
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_load_state("networkidle")
    return page


def _initials(site: AsuhSite, children: list[int]) -> list[str]:
    return sorted(mask_name(site.city.child_names[c]) for c in children)


def test_a_sponsor_sees_only_their_children(browser: Browser, asuh_site: AsuhSite) -> None:
    page = _signed_in(browser, asuh_site, "sponsor1", width=360)
    assert page.url.endswith("/asuh/mine")
    expect(page.locator("h1")).to_have_text("Anak asuh saya")
    shown = sorted(page.locator("div.child span.initials").all_inner_texts())
    assert shown == _initials(asuh_site, asuh_site.city.official_children)
    expect(page.locator("figure.chart svg").first).to_be_visible()
    expect(page.locator("section.asuhan ul.deliveries").first).to_contain_text("Telur 30 butir")
    expect(page.locator("#paid")).to_have_text("Rp 3.000.000")
    body = page.locator("main").inner_text()
    for child, name in asuh_site.city.child_names.items():
        assert name not in body, child
    assert COMPANY_NAME not in body
    assert page.locator("nav.menu a").all_inner_texts() == ["Anak asuh saya"]
    page.screenshot(path=SCREENSHOTS / "asuh-sponsor-360.png", full_page=True)
    for url in ("/asuh/sponsors", f"/children/{asuh_site.city.company_children[0]}", "/statistics"):
        response = page.goto(url)
        assert response is not None
        assert response.status == 404, url
        expect(page.locator("h1")).to_have_text("Tidak ditemukan")
    page.goto("/asuh/mine")
    page.click("form[action='/logout'] button")
    page.wait_for_load_state("networkidle")
    page.close()


def test_the_other_sponsor_does_not_see_the_first_ones(
    browser: Browser, asuh_site: AsuhSite
) -> None:
    page = _signed_in(browser, asuh_site, "sponsor2")
    assert page.url.endswith("/asuh/mine")
    shown = sorted(page.locator("div.child span.initials").all_inner_texts())
    assert shown == _initials(asuh_site, asuh_site.city.company_children)
    body = page.locator("main").inner_text()
    assert "Telur 30 butir" not in body
    assert OFFICIAL_NAME not in body
    page.screenshot(path=SCREENSHOTS / "asuh-sponsor-other.png", full_page=True)
    page.close()
