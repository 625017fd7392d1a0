"""The web application in a real browser: each role's dashboard with map and chart, the
drill-down to a posyandu and a child's growth chart, a kader's measurement appearing on
the chart, a child registered, corrected and found at 360 px, another area's child refused, a
semester report prepared while the page polls (HTMX), a kader's referral list and cohort
flows at 360 px, a nutritionist's import and export, and an administrator adding an
account.
Screenshots go to artifacts/screenshots/."""

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.browser.conftest import SCREENSHOTS, Site
from tumbuh.usecases.users import DEMO_PASSWORD

ROLES = {
    "admin": "/areas/36.72",
    "analis": "/areas/36.72",
    "gizi": "/areas/36.72.01",
    "kader": "/posyandu/",
    "mitra": "/areas/36.72",
}
WORK_LIST_ROLES = ("gizi", "kader")


def open_page(browser: Browser, site: Site, username: str, width: int = 1280) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900}, base_url=site.base_url)
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.parametrize("username", list(ROLES))
def test_each_role_sees_its_dashboard_with_map_and_chart(
    browser: Browser, site: Site, username: str
) -> None:
    page = open_page(browser, site, username)
    if username in WORK_LIST_ROLES:  # their home is the work list; statistics one click away
        expect(page.locator("h1")).to_have_text("Daftar kerja")
        page.click("#statistics-link")
        page.wait_for_load_state("networkidle")
    assert ROLES[username] in page.url
    expect(page.locator("#trend svg")).to_be_visible()
    expect(page.locator("#map")).to_have_attribute("data-ready", "leaflet")
    assert page.locator("#map path.leaflet-interactive").count() >= 1
    expect(page.locator("#prevalence")).to_have_text(re.compile(r"^\d+,\d\d%$"))
    page.screenshot(path=SCREENSHOTS / f"dashboard-{username}.png", full_page=True)
    page.close()


def test_map_click_and_table_links_drill_down_to_a_child(browser: Browser, site: Site) -> None:
    page = open_page(browser, site, "admin")
    page.locator("#map path.leaflet-interactive").first.click()
    page.wait_for_url(re.compile(r"/areas/36\.72\.\d\d$"))
    page.locator("#area-table tbody a").first.click()
    page.wait_for_url(re.compile(r"/areas/36\.72\.\d\d\.\d{4}$"))
    page.locator("#area-table tbody a").first.click()
    page.wait_for_url(re.compile(r"/posyandu/\d+$"))
    expect(page.locator("h1")).to_contain_text("Posyandu")
    page.locator("#children tbody a").first.click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    expect(page.locator(".kms-waz svg")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "child-admin.png", full_page=True)
    page.close()


def test_kader_enters_a_measurement_and_sees_it_on_the_chart(browser: Browser, site: Site) -> None:
    page = open_page(browser, site, "kader", width=360)
    page.goto(f"/children/{site.own_child}")
    before = page.locator(".kms-waz circle.point").count()
    month = f"{date.today():%Y-%m}"
    page.goto(f"/posyandu/{site.kader_posyandu}/bulan-timbang/{month}/children/{site.own_child}")
    page.fill("#weight_kg", "12500")
    expect(page.locator("#preview .errors")).to_contain_text("tampaknya dalam gram")
    page.fill("#weight_kg", "12,5")
    page.fill("#height_cm", "88,4")
    page.select_option("#position", "h")
    expect(page.locator("#preview table.zscores")).to_be_visible()
    page.fill("#muac_cm", "14,8")
    expect(page.locator("#preview table.zscores")).to_contain_text("LiLA/U")
    page.check("#oedema")  # oedema: WHO computes no weight-based z-score, the preview says so
    expect(page.locator("#oedema-note")).to_be_visible()
    page.uncheck("#oedema")
    expect(page.locator("#oedema-note")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / "entry-kader-360.png", full_page=True)
    page.click("form#entry button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"/children/{site.own_child}")
    assert page.locator(".kms-waz circle.point").count() == before + 1
    page.screenshot(path=SCREENSHOTS / "child-kader-360.png", full_page=True)
    page.close()


def test_kader_registers_corrects_and_finds_a_child_at_360_px(browser: Browser, site: Site) -> None:
    page = open_page(browser, site, "kader", width=360)
    page.goto(f"/posyandu/{site.kader_posyandu}/children/new")
    page.fill("#name", "Bunga Uji Peramban")
    page.select_option("#sex", "female")
    page.fill("#birth_date", "2024-03-05")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r"/children/\d+$"))
    page.click("#edit-child")
    expect(page.locator("#birth_date")).to_have_value("2024-03-05")
    page.fill("#birth_date", "2024-03-15")
    page.fill("#birth_weight_kg", "3,2")
    page.screenshot(path=SCREENSHOTS / "child-edit-kader-360.png", full_page=True)
    page.click("form#child-edit button[type=submit]")
    page.wait_for_url(re.compile(r"/children/\d+$"))
    expect(page.locator("dl.profile")).to_contain_text("15/03/2024")
    expect(page.locator("dl.profile")).to_contain_text("3,20 kg")
    page.click("nav.menu a[href='/children']")
    page.fill("#q", "bunga uji")
    page.click("form#search button[type=submit]")
    expect(page.locator("#results a", has_text="Bunga Uji Peramban")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "search-kader-360.png", full_page=True)
    page.close()


def test_kader_is_refused_another_areas_child(browser: Browser, site: Site) -> None:
    page = open_page(browser, site, "kader")
    response = page.goto(f"/children/{site.other_child}")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Tidak ditemukan")
    page.close()


def test_a_semester_report_is_prepared_while_the_page_polls(browser: Browser, site: Site) -> None:
    page = open_page(browser, site, "analis")
    page.goto("/reports")
    expect(page.locator("#semester option[selected]")).to_have_text("Semester II 2024")
    page.click("#prepare-pdf")
    expect(page.locator("#building-pdf")).to_contain_text("Sedang disiapkan")
    page.screenshot(path=SCREENSHOTS / "reports-building.png", full_page=True)
    expect(page.locator("#download-pdf")).to_be_visible(timeout=120_000)
    with page.expect_download() as download:
        page.click("#download-pdf")
    assert download.value.suggested_filename == "laporan-semester-2024-S2.pdf"
    page.screenshot(path=SCREENSHOTS / "reports-ready.png", full_page=True)
    page.close()


def test_a_kader_reads_her_referral_list_and_cohort_flows_at_360_px(
    browser: Browser, site: Site
) -> None:
    page = open_page(browser, site, "kader", width=360)
    page.goto("/referral-list?month=2024-08")
    expect(page.locator("#summary")).to_contain_text("anak perlu dirujuk")
    page.screenshot(path=SCREENSHOTS / "referrals-kader-360.png", full_page=True)
    page.goto("/cohort-flows")
    expect(page.locator("#flows-summary")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "flows-kader-360.png", full_page=True)
    page.close()


def test_a_nutritionist_checks_a_file_before_importing_it(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    upload = tmp_path / "posyandu-agustus.csv"
    upload.write_text(
        "NIK,Nama,JK,Tgl Lahir,Nama Ortu,Prov,Kab/Kota,Kec,Desa/Kel,Pukesmas,Posyandu,"
        "Tanggal Pengukuran,Berat,Tinggi,Cara Ukur\n"
        "3672014101230001,Anak Satu,L,01/01/2023,Ibu Satu,Banten,Kota Cilegon,Cibeber,Cibeber,"
        "Cibeber,Mawar 1,15/08/2024,10945,80,Berdiri\n"
        "3672014202230002,Anak Dua,P,02/02/2023,Ibu Dua,Banten,Kota Cilegon,Cibeber,Cibeber,"
        "Cibeber,Mawar 1,15/08/2024,9.8,79.5,Berdiri\n",
        encoding="utf-8",
    )
    page = open_page(browser, site, "gizi")
    page.goto("/import")
    page.set_input_files("#file", str(upload))
    page.click("form[action='/import'] button[type=submit]")
    expect(page.locator("#confirm")).to_have_text("Impor 1 baris tanpa kesalahan")
    page.screenshot(path=SCREENSHOTS / "import-check-gizi.png", full_page=True)
    page.click("#confirm")
    expect(page.locator("#verdict")).to_contain_text("1 pengukuran diimpor")
    page.screenshot(path=SCREENSHOTS / "import-done-gizi.png", full_page=True)
    page.click("#run a")  # the import's record: who, the file and its hash, the counts
    expect(page.locator("#who")).to_contain_text("Oleh gizi, ")
    expect(page.locator("#files tbody td").first).to_have_text("posyandu-agustus.csv")
    page.screenshot(path=SCREENSHOTS / "import-run-gizi.png", full_page=True)
    page.close()


def test_an_administrator_adds_a_kader_account(browser: Browser, site: Site) -> None:
    page = open_page(browser, site, "admin")
    page.click("nav.menu a[href='/users']")
    page.click("#add-user")
    page.fill("#username", "kader-peramban")
    page.fill("#full_name", "Kader Peramban")
    page.select_option("#role", "kader")
    page.select_option("#posyandu_id", str(site.kader_posyandu))
    page.fill("#password", "sandi-peramban-01")
    page.click("form#account button[type=submit]")
    page.wait_for_url(re.compile(r"/users$"))
    expect(page.locator("tr[data-user='kader-peramban']")).to_contain_text("Kader Peramban")
    page.screenshot(path=SCREENSHOTS / "users-admin.png", full_page=True)
    page.close()


def test_a_nutritionist_downloads_an_export_of_her_kelurahan(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    page = open_page(browser, site, "gizi", width=360)
    page.click("nav.menu a[href='/export']")
    page.fill("#month", "2024-08")
    page.select_option("#area", "36.72.01.1001")
    page.screenshot(path=SCREENSHOTS / "export-gizi-360.png", full_page=True)
    with page.expect_download() as download:
        page.click("form#export button[type=submit]")
    assert download.value.suggested_filename == "eppgbm-36.72.01.1001-2024-08.xlsx"
    saved = tmp_path / "export.xlsx"
    download.value.save_as(saved)
    assert saved.stat().st_size > 0
    page.close()
