"""In a real browser: two users correcting one child at once; the second save is refused
with the first one's change shown field by field, and the form refilled with it."""

import re

from playwright.sync_api import Browser, expect

from tests.web.browser.conftest import SCREENSHOTS, Site
from tests.web.browser.test_browser import open_page


def test_the_second_of_two_editors_sees_what_the_first_changed(
    browser: Browser, site: Site
) -> None:
    kader = open_page(browser, site, "kader", width=360)
    kader.goto(f"/posyandu/{site.kader_posyandu}/children/new")
    kader.fill("#name", "Wulan Uji Bersamaan")
    kader.select_option("#sex", "female")
    kader.fill("#birth_date", "2024-01-20")
    kader.click("form.stack button[type=submit]")
    kader.wait_for_url(re.compile(r"/children/\d+$"))
    edit_url = kader.url + "/edit"
    admin = open_page(browser, site, "admin")
    admin.goto(edit_url)
    kader.goto(edit_url)
    kader.fill("#name", "Wulan Uji Kader")
    kader.click("form#child-edit button[type=submit]")
    kader.wait_for_url(re.compile(r"/children/\d+$"))
    expect(kader.locator("h1")).to_have_text("Wulan Uji Kader")
    admin.fill("#birth_weight_kg", "3,05")
    admin.click("form#child-edit button[type=submit]")
    expect(admin.locator("#stale")).to_contain_text("Orang lain menyimpan data anak ini")
    rows = admin.locator("#conflict tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_text(re.compile(r"Nama\s*Wulan Uji Kader\s*Wulan Uji Bersamaan"))
    expect(rows.nth(1)).to_have_text(re.compile(r"Berat lahir \(kg\)\s*–\s*3,05"))
    expect(admin.locator("#name")).to_have_value("Wulan Uji Kader")
    expect(admin.locator("#birth_weight_kg")).to_have_value("")
    admin.screenshot(path=SCREENSHOTS / "child-edit-conflict-admin.png", full_page=True)
    admin.fill("#birth_weight_kg", "3,05")
    admin.click("form#child-edit button[type=submit]")
    admin.wait_for_url(re.compile(r"/children/\d+$"))
    expect(admin.locator("dl.profile")).to_contain_text("3,05 kg")
    expect(admin.locator("h1")).to_have_text("Wulan Uji Kader")
    kader.close()
    admin.close()


def test_registering_a_child_twice_warns_and_registers_only_when_ticked(
    browser: Browser, site: Site
) -> None:
    kader = open_page(browser, site, "kader", width=360)

    def fill_in() -> None:
        kader.goto(f"/posyandu/{site.kader_posyandu}/children/new")
        kader.fill("#name", "Sari Uji Kembar")
        kader.select_option("#sex", "female")
        kader.fill("#birth_date", "2024-02-11")
        kader.fill("#mother_name", "Ibu Uji Kembar")
        kader.click("form.stack button[type=submit]")

    fill_in()
    kader.wait_for_url(re.compile(r"/children/\d+$"))
    first = kader.url
    fill_in()
    warning = kader.locator("#same-child")
    expect(warning).to_contain_text("Anak ini mungkin sudah terdaftar")
    expect(warning.locator("li")).to_contain_text("11/02/2024")
    expect(warning.locator("li a")).to_have_text("Sari Uji Kembar")
    assert first.endswith(str(warning.locator("li a").get_attribute("href")))
    expect(kader.locator("label.check")).to_have_text("Ini anak yang berbeda, tetap daftarkan")
    expect(kader.locator("#name")).to_have_value("Sari Uji Kembar")
    kader.screenshot(path=SCREENSHOTS / "child-new-duplicate-kader-360.png", full_page=True)
    kader.check("#confirm_duplicate")
    kader.click("form.stack button[type=submit]")
    kader.wait_for_url(re.compile(r"/children/\d+$"))
    assert kader.url != first
    expect(kader.locator("h1")).to_have_text("Sari Uji Kembar")
    kader.close()
