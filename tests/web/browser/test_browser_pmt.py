"""A PMT episode from the eligibility list to its outcome, in a real browser (issue 14,
"Done when"): the nutritionist opens the month's eligibility list, enrols a child with
faltering weight (T) at the kitchen of her area, opens the episode, enters the week-2
checkpoint through the posyandu's ordinary entry form (a gain of 1 kg), and closes the
episode as completed, which the 2023 rules judge as recovered (WAZ rose, weight gained).
Screenshots go to artifacts/screenshots/."""

import re
from datetime import UTC, datetime

from playwright.sync_api import Browser, expect
from sqlalchemy import insert, select

from tests.web.browser.conftest import SCREENSHOTS, Site
from tests.web.browser.test_browser import open_page
from tumbuh.db.engine import create_engine
from tumbuh.db.models import Posyandu, table_of
from tumbuh.db.models_pmt import Kitchen

KITCHEN = "Dapur Umum PKK Uji Peramban"
START = "2024-12-31"  # the demo city's last month is December 2024
CHECKPOINT = "2025-01-14"  # day 14: week 2


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


def _weight(text: str) -> float:
    return float(text.replace(",", "."))


def test_a_nutritionist_enrols_from_the_list_and_closes_with_an_outcome(
    browser: Browser, site: Site
) -> None:
    _kitchen(site)
    gizi = open_page(browser, site, "gizi")
    gizi.click("nav.menu a:text-is('PMT')")
    gizi.wait_for_url("**/pmt/eligible")
    expect(gizi.locator("h1")).to_have_text("PMT lokal: anak sasaran")
    # the demo's last month (another test of the session may have weighed a child today)
    gizi.fill("#month", "2024-12")
    gizi.locator("#eligible-filters button[type=submit]").click()
    gizi.wait_for_url("**/pmt/eligible?month=2024-12*")
    expect(gizi.locator("#summary")).to_contain_text("Desember 2024")
    row = gizi.locator("#eligible tr[data-child]", has_text="Berat badan tidak naik").first
    child_id = row.get_attribute("data-child")
    row.locator("input[name=child_id]").check()
    kitchen = gizi.locator("#kitchen_id option", has_text=KITCHEN).get_attribute("value")
    gizi.select_option("#kitchen_id", kitchen or "")
    gizi.fill("#started_on", START)
    gizi.select_option("#funding", "apbd")
    gizi.screenshot(path=SCREENSHOTS / "pmt-eligible-nutritionist.png", full_page=True)
    gizi.click("#enrol-button")
    gizi.wait_for_url(re.compile(r"/pmt/episodes/\d+$"))
    episode_url = gizi.url
    expect(gizi.locator("#episode-kitchen")).to_have_text(KITCHEN)
    expect(gizi.locator("#episode-indication")).to_have_text("Berat badan tidak naik (T, 2T)")
    expect(gizi.locator("#episode-planned")).to_contain_text("14")
    expect(gizi.locator("#completed-now")).to_contain_text("belum dapat menilai")
    baseline = gizi.locator("#checkpoints tr[data-checkpoint='0'] td").nth(2).inner_text()

    gizi.locator("a[data-entry='2']").click()
    gizi.wait_for_url(re.compile(rf"/bulan-timbang/2025-01/children/{child_id}$"))
    gizi.fill("#measured_on", CHECKPOINT)
    gizi.fill("#weight_kg", f"{_weight(baseline) + 1.0:.1f}".replace(".", ","))
    gizi.select_option("#position", "")
    gizi.click("form#entry button[type=submit]")
    gizi.wait_for_load_state("networkidle")

    gizi.goto(episode_url)
    week2 = gizi.locator("#checkpoints tr[data-checkpoint='2']")
    expect(week2).to_contain_text("14/01/2025")
    expect(gizi.locator("#gain")).not_to_have_text("–")
    expect(gizi.locator("#completed-now")).to_contain_text("Pulih")
    gizi.select_option("#closing", "completed")
    gizi.fill("#ended_on", CHECKPOINT)
    gizi.fill("#note", "Selesai 14 hari di dapur")
    gizi.locator("#close-form button[type=submit]").click()
    gizi.wait_for_load_state("networkidle")
    expect(gizi.locator("#close-errors")).to_have_count(0)
    expect(gizi.locator("#episode-status")).to_contain_text("Pulih, 14/01/2025")
    expect(gizi.locator("#close-form")).to_have_count(0)
    gizi.screenshot(path=SCREENSHOTS / "pmt-episode-closed-nutritionist.png", full_page=True)

    gizi.goto("/pmt/episodes?state=ended")
    episode_id = episode_url.rsplit("/", 1)[1]
    expect(gizi.locator(f"#episodes tr[data-episode='{episode_id}']")).to_contain_text("Pulih")
    gizi.close()
