"""A TPK at work on a 360 px phone (issue 15, item 7): she signs in and lands on the
families of her kelurahan, keeps those at risk, opens one, records a visit with two
actions and sees it listed; no page scrolls sideways. Screenshots go to
artifacts/screenshots/."""

from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.web.browser.conftest import SCREENSHOTS, Site
from tumbuh.usecases.users import DEMO_PASSWORD

PHONE: ViewportSize = {"width": 360, "height": 740}


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_a_tpk_records_a_visit_to_a_family_at_risk(browser: Browser, site: Site) -> None:
    page = browser.new_page(viewport=PHONE, base_url=site.base_url, is_mobile=True, has_touch=True)
    page.goto("/login")
    page.fill("#username", "tpk")
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("Keluarga")  # her home: the families
    page.check("#at_risk")
    page.click("#family-filter button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#families li.family").first).to_contain_text("Berisiko stunting")
    _fits(page)
    page.screenshot(path=str(SCREENSHOTS / "tpk-families.png"), full_page=True)
    page.locator("#families li.family h2 a").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#krs")).to_have_text("Berisiko stunting")
    before = page.locator("#visits a.edit-visit").count()
    page.fill("#visited_on", "2024-11-20")
    page.fill("#tpk_member", "Bu Lina")
    page.check("input[name=actions][value=nutrition_counselling]")
    page.check("input[name=actions][value=posyandu_invitation]")
    _fits(page)
    page.click("#visit-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    mine = page.locator("#visits > li", has=page.locator("a.edit-visit"))
    expect(mine).to_have_count(before + 1)
    visit = page.locator("#visits > li", has_text="Bu Lina").first
    expect(visit).to_contain_text("penyuluhan gizi (makanan, ASI, MP-ASI)")
    expect(visit).to_contain_text("diajak ke posyandu")
    _fits(page)
    page.screenshot(path=str(SCREENSHOTS / "tpk-family-visit.png"), full_page=True)
