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
