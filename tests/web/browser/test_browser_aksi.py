"""The TPPS at work on the 8 aksi in a real browser (issue 16, deliverable 3): the analyst
opens "8 Aksi" from the menu, marks last year's rembuk stunting done with its date and
owner, uploads the berita acara as evidence and finds it on the scorecard; then chooses
three lokus kelurahan from the proposal of the August round before it. Screenshots go to
artifacts/screenshots/."""

from datetime import date

from playwright.sync_api import Browser, FilePayload, expect

from tests.web.browser.conftest import SCREENSHOTS, Site
from tests.web.browser.test_browser import open_page
from tumbuh.demo.aksi import tiny_pdf

YEAR = date.today().year - 1  # the demo city records 2024; this year is the test's own


def test_the_tpps_marks_the_rembuk_done_with_evidence_and_chooses_lokus(
    browser: Browser, site: Site
) -> None:
    page = open_page(browser, site, "analis")
    page.click("nav.menu a#menu-aksi")
    page.wait_for_url("**/aksi")
    expect(page.locator("h1")).to_have_text("8 Aksi Konvergensi")
    page.goto(f"/aksi/{YEAR}")
    rembuk = page.locator("#aksi-rembuk")
    rembuk.locator("select[name=status]").select_option("done")
    rembuk.locator("input[name=done_on]").fill(f"{YEAR}-07-25")
    rembuk.locator("select[name=institution]").select_option(label="Bappeda Kota Cilegon")
    rembuk.locator("form.aksi-form button[type=submit]").click()
    page.wait_for_url(f"**/aksi/{YEAR}#aksi-rembuk")
    row = page.locator("#scorecard tr[data-aksi='rembuk'] td")
    expect(row).to_have_text(
        ["Selesai (terlaksana)", f"25/07/{YEAR}", "Bappeda Kota Cilegon", "0", "1,0"]
    )
    expect(page.locator("#aksi-score")).to_have_text("Nilai: 1,0 dari 8")
    minutes: FilePayload = {
        "name": "berita-acara-rembuk.pdf",
        "mimeType": "application/pdf",
        "buffer": tiny_pdf("Berita acara rembuk stunting"),
    }
    page.locator("#file-rembuk").set_input_files(files=[minutes])
    page.locator("#file-note-rembuk").fill("Berita acara")
    page.locator("#aksi-rembuk form.evidence-form button[type=submit]").click()
    page.wait_for_url(f"**/aksi/{YEAR}#aksi-rembuk")
    expect(page.locator("#aksi-rembuk ul.evidence li a")).to_have_text("berita-acara-rembuk.pdf")
    expect(row.nth(3)).to_have_text("1")
    page.screenshot(path=str(SCREENSHOTS / "aksi-rembuk-done.png"), full_page=True)

    page.click("#lokus-link")
    page.wait_for_url(f"**/lokus/{YEAR}")
    expect(page.locator("#no-lokus")).to_be_visible()
    page.fill("#round", f"{YEAR - 1}-08")
    page.locator("#round-choice button[type=submit]").click()
    page.wait_for_url(f"**/lokus/{YEAR}?round={YEAR - 1}-08")
    boxes = page.locator("#lokus-proposal input[name=kelurahan]")
    codes = [boxes.nth(i).get_attribute("value") for i in range(3)]
    for i in range(3):
        boxes.nth(i).check()
    page.locator("#lokus-form button[type=submit]").click()
    page.wait_for_url(f"**/lokus/{YEAR}?round={YEAR - 1}-08#chosen")
    chosen = page.locator("#lokus-chosen tbody tr")
    expect(chosen).to_have_count(3)
    assert [chosen.nth(i).get_attribute("data-code") for i in range(3)] == codes
    page.screenshot(path=str(SCREENSHOTS / "lokus-chosen.png"), full_page=True)
    page.close()
