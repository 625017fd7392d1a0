"""The kader's home page in a real browser: her work list, a child's page from it, and
the statistics one click away. Screenshots go to artifacts/screenshots/."""

import re

from playwright.sync_api import Browser, expect

from tests.web.browser.conftest import SCREENSHOTS, Site
from tests.web.browser.test_browser import open_page


def test_the_kader_signs_in_to_her_work_list_and_follows_its_links(
    browser: Browser, site: Site
) -> None:
    page = open_page(browser, site, "kader")
    expect(page.locator("h1")).to_have_text("Daftar kerja")
    expect(page.locator("#session")).to_contain_text("bulan timbang")
    expect(page.locator("#work-counts")).to_contain_text("Belum ditimbang")
    page.screenshot(path=SCREENSHOTS / "work-list-kader.png", full_page=True)
    child = page.locator("section td a[href^='/children/']").first
    href = child.get_attribute("href")
    child.click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    assert href is not None
    assert page.url.endswith(href)
    page.go_back()
    page.click("#statistics-link")
    page.wait_for_url(f"**/posyandu/{site.kader_posyandu}")
    expect(page.locator("#prevalence")).to_have_text(re.compile(r"^\d+,\d\d%$"))
    page.close()
