"""Signing out in a real browser: the back button and a reload land on the login page, not
on a kept copy of a page with children's names (pages are sent with no-store), and the
session cookie of before, put back into the browser, opens nothing."""

from playwright._impl._api_structures import SetCookieParam
from playwright.sync_api import Browser, expect

from tests.web.browser.conftest import Site
from tumbuh.usecases.users import DEMO_PASSWORD


def test_after_sign_out_back_and_reload_show_the_login_page(browser: Browser, site: Site) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, base_url=site.base_url)
    page.goto("/login")
    page.fill("#username", "kader")
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#not-weighed tbody a").first).to_be_visible()  # her work list
    copied: list[SetCookieParam] = [
        {"name": c["name"], "value": c["value"], "url": site.base_url}
        for c in page.context.cookies()
    ]
    page.click("form[action='/logout'] button")
    page.wait_for_url("**/login")
    page.go_back()
    page.wait_for_load_state()
    assert "/login" in page.url
    expect(page.locator("h1")).to_have_text("Masuk")
    assert page.locator("#children").count() == 0
    page.reload()
    expect(page.locator("h1")).to_have_text("Masuk")
    assert page.locator("#children").count() == 0
    page.context.add_cookies(copied)  # as someone who copied the cookie before
    page.goto(f"/posyandu/{site.kader_posyandu}")
    expect(page.locator("h1")).to_have_text("Masuk")
    assert page.locator("#children").count() == 0
    page.close()
