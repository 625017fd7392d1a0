"""The Audit Kasus Stunting in the browser (issue 16, "Done when"): the Tim Teknis picks a
proposed case of the demo's semester II 2024 audit and sees it among the cases; an expert
of the Tim Pakar fills a case's worksheet (causes, analysis, recommendation) and sees it
stored. Screenshots go to artifacts/screenshots/."""

from playwright.sync_api import Browser, Page, expect

from tests.web.browser.conftest import SCREENSHOTS, Site
from tumbuh.usecases.users import DEMO_PASSWORD


def _sign_in(browser: Browser, site: Site, username: str) -> Page:
    page = browser.new_page(base_url=site.base_url)
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_load_state("networkidle")
    return page


def _open_semester_two(page: Page) -> None:
    page.click("#menu-aks")
    expect(page.locator("h1")).to_have_text("Audit Kasus Stunting")
    page.click("#audits a:text('2024-S2')")
    expect(page.locator("#audit-title")).to_have_text("Audit Kasus Stunting 2024-S2")


def test_the_technical_team_picks_a_proposed_case(browser: Browser, site: Site) -> None:
    page = _sign_in(browser, site, "tim_teknis")
    _open_semester_two(page)
    cases_before = page.locator("#case-list tbody tr").count()
    first = page.locator("#candidate-list tbody tr").first
    name = first.locator("td").nth(1).inner_text()
    first.locator("button.pick").click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("#case-list tbody tr")
    expect(rows).to_have_count(cases_before + 1)
    expect(rows.last).to_contain_text(name)
    expect(rows.last).to_contain_text("belum dikaji")
    page.screenshot(path=str(SCREENSHOTS / "aks-technical-pick.png"), full_page=True)
    page.close()


def test_an_expert_fills_a_worksheet_and_sees_it(browser: Browser, site: Site) -> None:
    page = _sign_in(browser, site, "tim_pakar")
    _open_semester_two(page)
    expect(page.locator("#candidate-list")).to_have_count(0)  # the expert does not pick
    page.locator("#case-list tbody tr:has-text('belum dikaji') a").first.click()
    expect(page.locator("#kka-title")).to_contain_text("Kertas kerja audit (KKA)")
    page.check("#causes input[value='feeding']")
    page.check("#causes input[value='water_sanitation']")
    page.fill("#analysis", "MP-ASI tanpa protein hewani; sumur dangkal.")
    page.fill("#recommendation", "Kunjungan rumah TPK tiap dua minggu.")
    page.click("#kka-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#reviewed")).to_contain_text("Dikaji pada")
    expect(page.locator("#analysis")).to_have_value("MP-ASI tanpa protein hewani; sumur dangkal.")
    expect(page.locator("#causes input[value='feeding']")).to_be_checked()
    page.goto(page.url.split("/cases/")[0])
    expect(page.locator("#case-list")).to_contain_text("Pemberian ASI atau MP-ASI")
    page.screenshot(path=str(SCREENSHOTS / "aks-expert-kka.png"), full_page=True)
    page.close()
