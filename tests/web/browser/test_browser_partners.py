"""A partner closes its RTL item with evidence (issue 16, "Done when"): the Polres
account signs in, lands on its own actions, opens the RTL item the audit gave it, sets it
done with what was delivered and uploads a PDF; the TPPS (an administrator) then sees it
done with the file, and downloads it; the semester report then shows the item done with
its file. Screenshots go to artifacts/screenshots/.

The app runs on a registry of this module's own (one institution, one audit of this
semester in Kotasari, one RTL item from it)."""

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pypdfium2 as pdfium
import pytest
import uvicorn
from playwright.sync_api import Browser, expect

from tests.web.browser.conftest import SCREENSHOTS, _free_port
from tests.web.conftest import settings_for
from tumbuh.db import aks as aks_store
from tumbuh.db.actions import insert_action
from tumbuh.db.engine import create_engine
from tumbuh.db.institutions import insert_institution
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.growth.periods import Period, semester_period
from tumbuh.growth.tpps import ActionKind, ActionStatus, InstitutionKind
from tumbuh.reports.semester import semester_pdf
from tumbuh.usecases.access import Role
from tumbuh.usecases.reporting import semester_data
from tumbuh.usecases.users import DEMO_PASSWORD
from tumbuh.web.app import create_app

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
RTL = "Kunjungan rumah Bhabinkamtibmas ke 12 keluarga baduta stunting di Kotasari"


KOTASARI = "36.72.06.1001"


@dataclass(frozen=True)
class PartnerSite:
    """The running app, its database and its RTL item."""

    base_url: str
    url: str
    action: int


def _this_semester() -> Period:
    today = date.today()
    return semester_period(today.year, 1 if today.month <= 6 else 2)


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
                "kelurahan_code": KOTASARI,
                "agreed_on": date.today() - timedelta(days=60),
                "due_on": date.today() - timedelta(days=5),  # overdue until it is done
                "status": ActionStatus.PLANNED,
                "created_at": now,
                "updated_at": now,
            },
        )
        audit = aks_store.insert_audit(
            connection,
            {
                "semester": _this_semester().label,
                "started_on": date.today() - timedelta(days=70),
                "created_at": now,
                "updated_at": now,
            },
        )
        aks_store.set_locus(connection, audit, [KOTASARI])
        aks_store.link_rtl(connection, action, audit, None)
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
    yield PartnerSite(f"http://127.0.0.1:{port}", url, action)
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

    _the_semester_report_shows_it_done(partner_site.url)


def _the_semester_report_shows_it_done(url: str) -> None:
    """The semester report (as the TPPS signs it, data as of today) lists the RTL item
    done, with what was delivered."""
    engine = create_engine(url)
    with engine.connect() as connection:
        data = semester_data(connection, _this_semester(), settings_for(url))
    engine.dispose()
    pdf = pdfium.PdfDocument(semester_pdf(data, generated_on=date.today()).content)
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)
    rtl = text[text.index("Rencana tindak lanjut (RTL) hasil audit") :]
    assert "Kunjungan rumah Bhabinkamtibmas" in rtl
    assert "Polres Cilegon" in rtl
    assert "Selesai (terlaksana)" in rtl
    assert "12 keluarga dikunjungi" in rtl
