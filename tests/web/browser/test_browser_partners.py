"""A partner closes its RTL item with evidence (issue 16, "Done when"): the Polres
account signs in, lands on its own actions, opens the RTL item the audit gave it, sets it
done with what was delivered and uploads a PDF; the TPPS (an administrator) then sees it
done with the file, and downloads it. Screenshots go to artifacts/screenshots/.

The app runs on a registry of this module's own (one institution, one RTL item)."""

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import uvicorn
from playwright.sync_api import Browser, expect

from tests.web.browser.conftest import SCREENSHOTS, _free_port
from tests.web.conftest import settings_for
from tumbuh.db.actions import insert_action
from tumbuh.db.engine import create_engine
from tumbuh.db.institutions import insert_institution
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.growth.tpps import ActionKind, ActionStatus, InstitutionKind
from tumbuh.usecases.access import Role
from tumbuh.usecases.users import DEMO_PASSWORD
from tumbuh.web.app import create_app

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
RTL = "Kunjungan rumah Bhabinkamtibmas ke 12 keluarga baduta stunting di Kotasari"


@dataclass(frozen=True)
class PartnerSite:
    """The running app and its RTL item."""

    base_url: str
    action: int


@pytest.fixture(scope="module")
def partner_site(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PartnerSite]:
    url = f"sqlite:///{tmp_path_factory.mktemp('partner-browser') / 'city.sqlite'}"
    engine = create_engine(url)
    upgrade_database(engine)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        polres = insert_institution(
            connection,
            {
                "name": "Polres Cilegon",
                "kind": InstitutionKind.POLICE,
                "active": True,
                "created_at": now,
            },
        )
        action = insert_action(
            connection,
            {
                "kind": ActionKind.RTL,
                "action": RTL,
                "institution_id": polres,
                "kelurahan_code": "36.72.06.1001",
                "agreed_on": date.today() - timedelta(days=60),
                "due_on": date.today() - timedelta(days=5),  # overdue until it is done
                "status": ActionStatus.PLANNED,
                "created_at": now,
                "updated_at": now,
            },
        )
        for user in (
            NewUser("polres", "Kasat Binmas", Role.PARTNER, DEMO_PASSWORD, institution_id=polres),
            NewUser("admin", "Admin TPPS", Role.ADMIN, DEMO_PASSWORD),
        ):
            create_user(connection, user, now)
    port = _free_port()
    app = create_app(settings_for(url), engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield PartnerSite(f"http://127.0.0.1:{port}", action)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def test_a_partner_closes_its_rtl_item_with_evidence_and_the_tpps_sees_it(
    browser: Browser, partner_site: PartnerSite
) -> None:
    context = browser.new_context(base_url=partner_site.base_url)
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", "polres")
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/actions/mine")
    expect(page.locator("#actions tbody tr.overdue")).to_have_count(1)
    page.click(f"#actions a[href='/actions/{partner_site.action}']")
    expect(page.locator("#action-title")).to_have_text(RTL)
    page.select_option("#status", "done")
    page.fill("#delivered", "12 keluarga dikunjungi; 3 anak dirujuk ke puskesmas")
    page.set_input_files(
        "#progress-file",
        {"name": "laporan-kunjungan.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    page.screenshot(path=str(SCREENSHOTS / "partner-rtl-progress.png"), full_page=True)
    page.click("#progress-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#action-status")).to_have_text("Selesai (terlaksana)")
    expect(page.locator("#evidence-files a")).to_have_text("laporan-kunjungan.pdf")
    context.close()

    tpps = browser.new_context(base_url=partner_site.base_url, accept_downloads=True)
    page = tpps.new_page()
    page.goto("/login")
    page.fill("#username", "admin")
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_load_state("networkidle")
    page.goto("/actions")
    row = page.locator(f"#actions tr[data-action='{partner_site.action}']")
    expect(row.locator("td.status")).to_have_text("Selesai (terlaksana)")
    expect(row.locator("td.num")).to_have_text("1")
    expect(page.locator("#count-done")).to_have_text("Selesai: 1")
    row.locator("a").click()
    expect(page.locator("#action-delivered")).to_have_text(
        "12 keluarga dikunjungi; 3 anak dirujuk ke puskesmas"
    )
    with page.expect_download() as waiting:
        page.click("#evidence-files a")
    download = waiting.value
    assert download.suggested_filename == "laporan-kunjungan.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF
    page.screenshot(path=str(SCREENSHOTS / "tpps-rtl-done.png"), full_page=True)
    tpps.close()
