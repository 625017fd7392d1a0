"""A list of children in a real browser: filter by area and reason, turn a page, download
the .xlsx and print the list on A4 (Chromium's own PDF printer, read back with PDFium).
Screenshots go to artifacts/screenshots/."""

from pathlib import Path

import pypdfium2
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from tests.web.browser.conftest import SCREENSHOTS, Site
from tests.web.browser.test_browser import open_page

A4_LANDSCAPE_PT = (842, 595)  # 297 x 210 mm in PDF points (1/72 inch), rounded


def _ids(page: Page) -> list[str]:
    found = page.locator("#referrals tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.child)"
    )
    return [str(i) for i in found]


def test_an_administrator_filters_pages_downloads_and_prints_a_list(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    page = open_page(browser, site, "admin")
    page.goto("/counselling-list?month=2024-08&area=36.72.01")  # the longest list
    page.select_option("#area", "36.72")
    page.click("#list-filters button[type=submit]")
    page.wait_for_url("**/counselling-list?*area=36.72&*")
    counts = {
        str(item.locator(".label").inner_text()): int(
            item.locator("strong").inner_text().replace(".", "")
        )
        for item in page.locator("#reason-counts li").all()
    }
    label = max(counts, key=lambda name: counts[name])  # the reason with the most children
    assert counts[label] > 50
    page.select_option("#reason", label=label)
    page.click("#list-filters button[type=submit]")
    page.wait_for_url("**/counselling-list?*reason=*")
    expect(page.locator("#children-shown")).to_contain_text("dari")
    first_page = page.locator("#referrals tbody tr td:first-child").all_inner_texts()
    assert len(first_page) == 50
    first_ids = _ids(page)
    page.locator("#pages a[rel=next]").click()
    page.wait_for_url("**page=2*")
    second_page = page.locator("#referrals tbody tr td:first-child").all_inner_texts()
    assert second_page
    assert not set(_ids(page)) & set(first_ids)  # names repeat in the demo city; ids do not
    assert all(label in r for r in page.locator("#referrals td.reasons").all_inner_texts())
    page.screenshot(path=SCREENSHOTS / "counselling-filtered-admin.png", full_page=True)

    with page.expect_download() as download:
        page.click("#download button[type=submit]")
    assert download.value.suggested_filename == "daftar-konseling-36.72-2024-08.xlsx"
    saved = tmp_path / "list.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(saved).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows[:50]] == [
        " ".join(f"{word[0].upper()}." for word in name.split()) for name in first_page
    ]  # masked: initials, in the page's order

    page.goto(str(page.locator("#print-link").get_attribute("href")))
    printed = page.locator("#print-list tbody tr td.name").all_inner_texts()
    assert printed[:50] == first_page
    assert printed[50:100] == second_page
    pdf = pypdfium2.PdfDocument(page.pdf(prefer_css_page_size=True))
    width, height = pdf[0].get_size()
    assert (round(width), round(height)) == A4_LANDSCAPE_PT
    text = " ".join(pdf[0].get_textpage().get_text_range().split())  # lines wrap in cells
    assert first_page[0] in text
    assert "Catatan dan paraf kader" in text
    page.close()
