"""A case from the posyandu to the puskesmas and back, in a real browser (issue 13,
"Done when"): the kader registers a child and weighs her with a MUAC below 11.5 cm (gizi
buruk), which opens a case "perlu dirujuk"; the kader records the referral; the
nutritionist finds the case in her register, records the examination (the rujukan balik)
and the PMT; the kader signs in again and reads the answer on the case page and on the
child's page. Then the register is printed on A4 (Chromium's PDF printer, read back with
PDFium). Screenshots go to artifacts/screenshots/."""

import re
from datetime import date, timedelta

import pypdfium2
from playwright.sync_api import Browser, Page, expect

from tests.web.browser.conftest import SCREENSHOTS, Site
from tests.web.browser.test_browser import open_page
from tests.web.browser.test_browser_lists import A4_LANDSCAPE_PT

NAME = "Melati Uji Rujukan"
PUSKESMAS = "Puskesmas Uji Rujukan"
GIVEN = "Obat cacing dan vitamin A"


def _register_and_weigh(page: Page, site: Site) -> int:
    """A girl of about 20 months, weighed today with MUAC 11.0 cm: the child's id."""
    today = date.today()
    page.goto(f"/posyandu/{site.kader_posyandu}/children/new")
    page.fill("#name", NAME)
    page.select_option("#sex", "female")
    page.fill("#birth_date", (today - timedelta(days=610)).isoformat())
    page.fill("#mother_name", "Ibu Uji Rujukan")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r"/children/\d+$"))
    child_id = int(page.url.rsplit("/", 1)[1])
    page.goto(f"/posyandu/{site.kader_posyandu}/bulan-timbang/{today:%Y-%m}/children/{child_id}")
    page.fill("#measured_on", today.isoformat())
    page.fill("#weight_kg", "9,0")
    page.fill("#height_cm", "78,0")
    page.select_option("#position", "l")
    page.fill("#muac_cm", "11,0")
    page.click("form#entry button[type=submit]")
    page.wait_for_url(re.compile(r"/bulan-timbang/"))
    page.wait_for_load_state("networkidle")
    return child_id


def _open_case(page: Page, child_id: int) -> int:
    page.goto(f"/children/{child_id}")
    link = page.locator("#open-cases a").first
    expect(link).to_contain_text("Gizi buruk")
    link.click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def _step(page: Page, status: str, **fields: str) -> None:
    form = page.locator("#step-form")
    form.locator("select[name=status]").select_option(status)
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#step-errors")).to_have_count(0)


def test_a_case_goes_to_the_puskesmas_and_its_answer_comes_back_to_the_kader(
    browser: Browser, site: Site
) -> None:
    kader = open_page(browser, site, "kader")
    child_id = _register_and_weigh(kader, site)
    case_id = _open_case(kader, child_id)
    expect(kader.locator("#case-status")).to_have_text("Perlu dirujuk")
    expect(kader.locator("#rujukan-balik")).to_contain_text(
        "Puskesmas belum mengirim rujukan balik"
    )
    _step(kader, "dirujuk", referred_to=PUSKESMAS)
    expect(kader.locator("#case-status")).to_have_text("Dirujuk")
    expect(kader.locator("#steps")).to_contain_text(PUSKESMAS)
    kader.screenshot(path=SCREENSHOTS / "case-referred-kader.png", full_page=True)
    kader.close()

    gizi = open_page(browser, site, "gizi")
    gizi.goto("/cases?status=dirujuk")
    row = gizi.locator(f"#cases tr[data-case='{case_id}']")
    expect(row).to_contain_text(NAME)
    row.locator("a").click()
    gizi.wait_for_url(f"**/cases/{case_id}")
    _step(gizi, "diperiksa", diagnosis_confirmed="true", given=GIVEN)
    expect(gizi.locator("#case-status")).to_have_text("Diperiksa")
    _step(gizi, "ditangani", intervention="pmt")
    expect(gizi.locator("#case-status")).to_have_text("Ditangani")
    gizi.screenshot(path=SCREENSHOTS / "case-answered-nutritionist.png", full_page=True)
    gizi.close()

    kader = open_page(browser, site, "kader")
    kader.goto(f"/cases/{case_id}")
    answer = kader.locator("#rujukan-balik")
    expect(answer).to_contain_text("diagnosis dipastikan")
    expect(answer).to_contain_text(GIVEN)
    expect(answer).to_contain_text("PMT")
    kader.goto(f"/children/{child_id}")
    on_child = kader.locator(f"#open-cases [data-case-answer='{case_id}']")
    expect(on_child).to_contain_text("diagnosis dipastikan")
    expect(on_child).to_contain_text(GIVEN)
    kader.screenshot(path=SCREENSHOTS / "case-answer-on-child-kader.png", full_page=True)

    kader.goto("/cases")
    kader.locator("#print-link").click()
    kader.wait_for_url("**/cases/print*")
    printed = kader.locator(f"#print-cases tr[data-case='{case_id}']")
    expect(printed).to_contain_text(NAME)
    expect(printed.locator("td.answer")).to_contain_text(GIVEN)
    pdf = pypdfium2.PdfDocument(kader.pdf(prefer_css_page_size=True))
    width, height = pdf[0].get_size()
    assert (round(width), round(height)) == A4_LANDSCAPE_PT
    text = " ".join(
        " ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))
    )
    assert "Catatan dan paraf kader" in text
    assert "Rujukan balik dari puskesmas" in text
    kader.close()
