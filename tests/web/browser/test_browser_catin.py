"""A bidan and her catin on a 360 px phone (issue 15, items 3 and 7): the demo city's
list of catin of her puskesmas area (real-looking: screened, at risk, followed up), then
she registers a bride, records the screening with LiLA 22.0 and sees the KEK flag; no
page scrolls sideways. Screenshots go to artifacts/screenshots/."""

from datetime import date, timedelta

from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.web.browser.conftest import SCREENSHOTS, Site
from tumbuh.usecases.users import DEMO_PASSWORD

PHONE: ViewportSize = {"width": 360, "height": 740}


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def _submit(page: Page, form: str) -> None:
    page.click(f"#{form} button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_bidan_registers_a_bride_screens_her_and_sees_kek(browser: Browser, site: Site) -> None:
    page = browser.new_page(viewport=PHONE, base_url=site.base_url, is_mobile=True, has_touch=True)
    page.goto("/login")
    page.fill("#username", "bidan")
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_load_state("networkidle")
    page.goto("/catin")
    expect(page.locator("h1")).to_have_text("Catin (calon pengantin)")
    expect(page.locator("#catin li").first).to_be_visible()  # the demo's catin of her area
    expect(page.locator("#catin")).to_contain_text("sudah ditindaklanjuti")
    _fits(page)
    page.screenshot(path=str(SCREENSHOTS / "bidan-catin-list.png"), full_page=True)
    page.click("#new-catin")
    page.fill("#name", "Rina Uji Coba")
    page.select_option("#sex", "female")
    page.fill("#birth_date", "2000-05-17")
    page.select_option("#kelurahan_code", index=1)
    page.fill("#wedding_planned_on", (date.today() + timedelta(days=95)).isoformat())
    _fits(page)
    _submit(page, "catin-form")
    expect(page.locator("#catin-name")).to_have_text("Rina Uji Coba")
    expect(page.locator("#not-screened")).to_be_visible()
    page.fill("#muac_cm", "22.0")
    page.fill("#hb_g_dl", "12.8")
    page.fill("#weight_kg", "47")
    page.fill("#height_cm", "155")
    _submit(page, "screening-form")
    expect(page.locator("#kek")).to_have_text("ya")
    expect(page.locator("#at-risk")).to_have_text("Berisiko")
    page.fill("#follow_up", "PMT catin dan konseling gizi")
    _submit(page, "follow-up-form")
    expect(page.locator("#follow-up")).to_contain_text("PMT catin dan konseling gizi")
    _fits(page)
    page.screenshot(path=str(SCREENSHOTS / "bidan-catin-kek.png"), full_page=True)
    page.goto("/catin?at_risk=1")
    expect(page.locator("#catin")).to_contain_text("Rina Uji Coba")
    _fits(page)
