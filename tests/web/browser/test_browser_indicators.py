"""An analyst enters a hand-kept indicator figure in a real browser (issue 15, item 5):
opens "Indikator" from the menu, chooses 2024, sends the form once with a numerator but no
denominator (refused, the fields kept), then with both and the source, and finds the
figure with its percent, target and source in the table. Screenshots go to
artifacts/screenshots/."""

import re

from playwright.sync_api import Browser, expect

from tests.web.browser.conftest import SCREENSHOTS, Site
from tests.web.browser.test_browser import open_page

SOURCE = "Laporan tahunan puskesmas 2024 (uji peramban)"


def test_an_analyst_enters_a_figure_with_its_source(browser: Browser, site: Site) -> None:
    page = open_page(browser, site, "analis")
    page.click("nav.menu a[href='/indicators']")
    page.wait_for_url("**/indicators")
    page.select_option("#year", "2024")
    page.locator("#year-choice button[type=submit]").click()
    page.wait_for_url("**/indicators?year=2024")
    expect(page.locator("h1")).to_contain_text("Indikator intervensi 2024")
    expect(page.locator("#indicators tr[data-code='growth_monitored'] td").last).to_have_text(
        re.compile(r"^(tercapai|belum tercapai)$")
    )
    page.select_option("#indicator", "rematri_ttd")
    page.fill("#value-year", "2024")
    page.fill("#numerator", "120")
    page.fill("#source", SOURCE)
    page.locator("#value-form button[type=submit]").click()
    expect(page.locator("#value-errors")).to_have_text(
        "Pembilang/penyebut: isi keduanya, atau kosongkan keduanya dan isi persen"
    )
    expect(page.locator("#numerator")).to_have_value("120")
    page.fill("#denominator", "200")
    page.locator("#value-form button[type=submit]").click()
    page.wait_for_url("**/indicators?year=2024")
    row = page.locator("#indicators-entered tr[data-code='rematri_ttd']")
    expect(row.locator("td")).to_have_text(
        [
            "Remaja putri yang mengonsumsi TTD",
            "Kota Cilegon",
            "120",
            "200",
            "60,0",
            "58,0",
            "tercapai",
            SOURCE,
        ]
    )
    page.screenshot(path=str(SCREENSHOTS / "indicators-entered.png"), full_page=True)
    page.close()


def test_the_nutritionist_dashboard_loads_her_indicators_at_360_px(
    browser: Browser, site: Site
) -> None:
    """Her statistics (her home area's page, linked from her work list) show at once and
    fetch the panel of the year's indicators of her area afterwards; on a 360 px phone
    the page does not scroll sideways."""
    page = open_page(browser, site, "gizi", width=360)
    page.goto("/statistics")
    panel = page.locator("#indicator-panel-table")
    expect(panel.locator("tr[data-code='growth_monitored'] td").last).to_have_text(
        re.compile(r"^(tercapai|belum tercapai|tanpa target atau tanpa angka)$"), timeout=60_000
    )
    # the year of the latest measurement: 2024 in the demo city, this year once another
    # browser test of the session has weighed a child today
    expect(page.locator("#indicator-panel-heading")).to_have_text(
        re.compile(r"^Indikator intervensi 20\d\d: Cibeber$")
    )
    expect(page.locator("#indicator-panel-link")).to_have_attribute(
        "href", re.compile(r"^/indicators\?year=\d{4}$")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SCREENSHOTS / "dashboard-indicators-360.png"), full_page=True)
    page.close()
