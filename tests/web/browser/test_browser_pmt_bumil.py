"""PMT for a pregnant woman with KEK in a real browser (issue 15): the nutritionist opens
the PMT eligibility list, goes to the pregnant women with KEK of her area, ticks one not
fed yet, enrols her at the kitchen of her area and lands on the episode's page (120 days,
the LiLA at the start). Screenshot in artifacts/screenshots/."""

import re
from datetime import UTC, date, datetime

from playwright.sync_api import Browser, expect
from sqlalchemy import insert, select

from tests.web.browser.conftest import SCREENSHOTS, Site
from tests.web.browser.test_browser import open_page
from tumbuh.db.engine import create_engine
from tumbuh.db.models import Posyandu, table_of
from tumbuh.db.models_pmt import Kitchen

KITCHEN = "Dapur Bumil Uji Peramban"  # its own, beside the children's browser test's


def _kitchen(site: Site) -> None:
    """A kitchen in the kelurahan of the kader's posyandu (the nutritionist's area)."""
    engine = create_engine(site.database_url)
    now = datetime.now(UTC)
    p = table_of(Posyandu)
    with engine.begin() as connection:
        kelurahan = connection.execute(
            select(p.c.kelurahan_code).where(p.c.id == site.kader_posyandu)
        ).scalar_one()
        connection.execute(
            insert(table_of(Kitchen)).values(
                name=KITCHEN,
                kind="dapur_umum_pkk",
                kelurahan_code=kelurahan,
                operator="tp_pkk",
                capacity=30,
                weekdays=31,
                active=True,
                created_at=now,
                updated_at=now,
            )
        )
    engine.dispose()


def test_a_nutritionist_enrols_a_pregnant_woman_with_kek(browser: Browser, site: Site) -> None:
    _kitchen(site)
    gizi = open_page(browser, site, "gizi")
    gizi.click("nav.menu a:text-is('PMT')")
    gizi.wait_for_url("**/pmt/eligible")
    gizi.click("#bumil-link")
    gizi.wait_for_url("**/pmt/eligible/bumil")
    expect(gizi.locator("h1")).to_have_text("PMT lokal: ibu hamil KEK")
    row = gizi.locator("#eligible-bumil tr[data-pregnancy]", has=gizi.locator("input")).first
    lila = row.locator("td").nth(6).inner_text()
    assert float(lila.replace(",", ".")) < 23.5
    row.locator("input[name=pregnancy_id]").check()
    kitchen = gizi.locator("#kitchen_id option", has_text=KITCHEN).first.get_attribute("value")
    gizi.select_option("#kitchen_id", kitchen or "")
    gizi.fill("#started_on", date.today().isoformat())
    gizi.select_option("#funding", "dak")
    gizi.screenshot(path=SCREENSHOTS / "pmt-bumil-eligible-nutritionist.png", full_page=True)
    gizi.click("#enrol-button")
    gizi.wait_for_url(re.compile(r"/pmt/episodes/\d+$"))
    expect(gizi.locator("#episode-indication")).to_have_text("Ibu hamil KEK")
    expect(gizi.locator("#episode-kitchen")).to_have_text(KITCHEN)
    expect(gizi.locator("#episode-planned")).to_contain_text("120")
    expect(gizi.locator("#episode-start-muac")).to_have_text(lila)
    gizi.set_viewport_size({"width": 360, "height": 740})
    gizi.screenshot(path=SCREENSHOTS / "pmt-bumil-episode-phone.png", full_page=True)
    gizi.close()
