"""The 8 aksi and the lokus kelurahan on both databases (docs/aksi.md): the demo city's
2024 scorecard and lokus, who sees the pages, the TPPS's form and evidence uploads with
their Indonesian refusals (a refused file writes nothing; a body over the limit is not
read), the lokus chosen and audited, and the lokus figures equal to the prevalence
report's per-kelurahan figures of the same round.

Changes go to 2023 and 2025, which the demo city leaves empty (it records 2024)."""

from sqlalchemy import func, select

from tests.web.conftest import City, SignedIn, cells, nodes, text, texts
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_tpps import EvidenceDocument
from tumbuh.db.prevalence import AreaLevel, stunting_prevalence
from tumbuh.demo.aksi import tiny_png
from tumbuh.growth.lokus import rank_lokus
from tumbuh.growth.periods import month_period
from tumbuh.usecases.lokus import lokus_figures, lokus_lines

CITY = "36.72"


def _evidence_count(city: City) -> int:
    with city.engine.connect() as connection:
        table = table_of(EvidenceDocument)
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_the_demo_scorecard_of_2024_shows_the_rembuk_and_the_score(signed_in: SignedIn) -> None:
    client, _ = signed_in("mitra")
    page = client.get("/aksi/2024")
    assert page.status_code == 200
    rows = nodes(page.text, "//table[@id='scorecard']/tbody/tr")
    assert len(rows) == 8
    rembuk = nodes(page.text, "//tr[@data-aksi='rembuk']")[0]
    assert text(page.text, "//tr[@data-aksi='rembuk']/th") == "3. Rembuk Stunting"
    assert cells(rembuk) == [
        "Selesai (terlaksana)",
        "25/07/2024",
        "Bappeda Kota Cilegon",
        "2",
        "1,0",
    ]
    assert text(page.text, "//p[@id='aksi-score']") == "Nilai: 6,5 dari 8"
    assert not nodes(page.text, "//form[contains(@class, 'aksi-form')]")  # a partner reads
    assert "/aksi" in [a.get("href") for a in nodes(page.text, "//nav//a")]


def test_roles_outside_the_tpps_and_partners_do_not_see_the_aksi(signed_in: SignedIn) -> None:
    client, _ = signed_in("kader")
    assert client.get("/aksi/2024").status_code == 403
    assert client.get("/lokus/2024").status_code == 403
    assert "/aksi" not in [a.get("href") for a in nodes(client.get("/").text, "//nav//a")]


def test_the_tpps_saves_an_aksi_and_a_wrong_date_is_refused_in_indonesian(
    signed_in: SignedIn,
) -> None:
    client, token = signed_in("analis")
    form = {"csrf_token": token, "status": "done", "done_on": "20-07-2023", "note": ""}
    refused = client.post("/aksi/2023/rembuk", data=form)
    assert refused.status_code == 422
    assert texts(refused.text, "//section[@id='aksi-rembuk']//ul[@class='errors']/li") == [
        "Tanggal selesai: 20-07-2023 bukan tanggal; tulis sebagai TTTT-BB-HH, misalnya 2024-07-25"
    ]
    saved = client.post(
        "/aksi/2023/rembuk", data={**form, "done_on": "2023-07-20"}, follow_redirects=False
    )
    assert saved.status_code == 303
    row = nodes(client.get("/aksi/2023").text, "//tr[@data-aksi='rembuk']")[0]
    assert cells(row)[:2] == ["Selesai (terlaksana)", "20/07/2023"]


def test_evidence_is_uploaded_downloaded_and_a_wrong_file_is_refused(
    signed_in: SignedIn, city: City
) -> None:
    client, token = signed_in("analis")
    before = _evidence_count(city)
    gif = {"file": ("foto.gif", b"GIF89a" + bytes(40), "image/gif")}
    refused = client.post("/aksi/2023/perwal/evidence", data={"csrf_token": token}, files=gif)
    assert refused.status_code == 422
    assert texts(refused.text, "//section[@id='aksi-perwal']//ul[@class='errors']/li") == [
        "berkas 'foto.gif' bukan salah satu jenis yang diterima: PDF, JPG, PNG, XLSX, DOCX"
    ]
    assert _evidence_count(city) == before
    png = {"file": ("perwal.png", tiny_png(), "image/png")}
    sent = client.post(
        "/aksi/2023/perwal/evidence",
        data={"csrf_token": token, "note": "Salinan perwal"},
        files=png,
        follow_redirects=False,
    )
    assert sent.status_code == 303
    page = client.get("/aksi/2023").text
    link = nodes(page, "//section[@id='aksi-perwal']//ul[@class='evidence']/li/a")[0]
    assert link.text_content() == "perwal.png"
    download = client.get(str(link.get("href")))
    assert download.status_code == 200
    assert download.headers["content-type"] == "image/png"
    assert download.content == tiny_png()


def test_a_body_over_the_evidence_limit_is_refused_unread(signed_in: SignedIn) -> None:
    client, token = signed_in("analis")
    big = {"file": ("besar.pdf", b"%PDF-" + bytes(7 * 1024 * 1024), "application/pdf")}
    refused = client.post("/aksi/2023/perwal/evidence", data={"csrf_token": token}, files=big)
    assert refused.status_code == 413
    assert "Berkas bukti paling besar 5 MB" in refused.text


def test_a_partner_changes_nothing(signed_in: SignedIn) -> None:
    client, token = signed_in("mitra")
    form = {"csrf_token": token, "status": "done", "done_on": "2023-07-20"}
    assert client.post("/aksi/2023/perwal", data=form).status_code == 403
    choice = {"csrf_token": token, "round": "2024-08", "kelurahan": "36.72.01.1001"}
    assert client.post("/lokus/2025", data=choice).status_code == 403


def test_the_lokus_figures_are_the_prevalence_reports_per_kelurahan(city: City) -> None:
    round_month = month_period(2023, 8)
    with city.engine.connect() as connection:
        figures = lokus_figures(connection, round_month, CITY)
        report = stunting_prevalence(
            connection, round_month, city_code=CITY, by=AreaLevel.KELURAHAN
        )
    by_code = {r.code: (r.cases, r.measured) for r in report if r.level == "kelurahan"}
    assert {f.code: (f.stunted, f.measured) for f in figures} == by_code
    assert sum(f.stunted for f in figures) > 0


def test_the_demo_lokus_of_2024_are_the_first_five_of_august_2023(city: City) -> None:
    with city.engine.connect() as connection:
        lines = lokus_lines(connection, 2024)
        proposal = rank_lokus(lokus_figures(connection, month_period(2023, 8), CITY))
        assert lokus_lines(connection, 2019) is None
    assert lines is not None
    assert [line.kelurahan_code for line in lines] == [r.figures.code for r in proposal[:5]]
    assert [line.rank for line in lines] == [1, 2, 3, 4, 5]
    assert lines[0].stunted == proposal[0].figures.stunted


def test_the_tpps_chooses_lokus_and_the_choice_is_kept_and_audited(
    signed_in: SignedIn, city: City
) -> None:
    client, token = signed_in("analis")
    page = client.get("/lokus/2025?round=2024-08")
    assert page.status_code == 200
    boxes = nodes(page.text, "//table[@id='lokus-proposal']//input[@name='kelurahan']")
    first_two = [str(box.get("value")) for box in boxes[:2]]
    choice = {"csrf_token": token, "round": "2024-08", "kelurahan": first_two}
    kept = client.post("/lokus/2025", data=choice, follow_redirects=False)
    assert kept.status_code == 303
    shown = client.get("/lokus/2025?round=2024-08").text
    assert [
        r.get("data-code") for r in nodes(shown, "//table[@id='lokus-chosen']/tbody/tr")
    ] == first_two
    with city.engine.connect() as connection:
        a = table_of(AuditEntry)
        audits = connection.execute(
            select(a.c.entity_id).where(a.c.entity == "lokus", a.c.entity_id == 2025)
        ).all()
    assert len(audits) >= 1
    empty = client.post("/lokus/2025", data={"csrf_token": token, "round": "2024-08"})
    assert empty.status_code == 400
    assert "Lokus: pilih sedikitnya satu kelurahan" in empty.text
