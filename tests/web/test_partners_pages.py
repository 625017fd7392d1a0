"""The partners' pages on the small demo city (docs/tpps.md, docs/web.md): the TPPS's list
of actions, overdue first with its counts; a partner's own list as its home page, another
institution's action "not found"; a refused evidence file named in Indonesian and nothing
written; evidence bodies over the limit refused unread; partners, meetings and the
partner's account form."""

from datetime import date

from fastapi import FastAPI

from tests.web.conftest import City, SignedIn, nodes, strings, text, texts
from tests.web.test_upload_limits import MB, _drive
from tumbuh.growth.tpps import ActionStatus
from tumbuh.usecases import actions
from tumbuh.usecases.access import Role, Scope

TPPS = Scope(Role.ANALYST, None, None, False, False, False, False, False)


def _list(city: City) -> actions.ActionList:
    with city.engine.connect() as connection:
        return actions.action_list(connection, TPPS, date.today())


def _of(city: City, institution: str) -> list[actions.ActionView]:
    return [v for v in _list(city).actions if v.row.institution_name == institution]


def test_the_tpps_sees_every_action_overdue_first_with_counts(
    city: City, signed_in: SignedIn
) -> None:
    client, _ = signed_in("analis")
    page = client.get("/actions")
    assert page.status_code == 200
    assert text(page.text, "//h1") == "Tindakan mitra"
    rows = nodes(page.text, "//table[@id='actions']/tbody/tr")
    classes = [row.get("class") == "overdue" for row in rows]
    assert classes[0]
    assert classes == sorted(classes, reverse=True)
    listed = _list(city)
    assert len(rows) == len(listed.actions) >= 23  # 4 of the rembuk, 19 of November
    overdue = text(page.text, "//span[@id='count-overdue']")
    assert overdue == f"Lewat batas waktu: {listed.counts.overdue}"
    assert listed.counts.overdue > 0
    filtered = client.get("/actions", params={"status": "done"})
    statuses = texts(filtered.text, "//table[@id='actions']//td[@class='status']")
    assert statuses
    assert set(statuses) == {"Selesai (terlaksana)"}


def test_a_partner_lands_on_its_own_actions_and_not_anothers(
    city: City, signed_in: SignedIn
) -> None:
    client, _ = signed_in("polres")
    home = client.get("/", follow_redirects=False)
    assert home.headers["location"] == "/actions/mine"
    page = client.get("/actions/mine")
    links = strings(page.text, "//table[@id='actions']//a/@href")
    assert links == [f"/actions/{v.row.id}" for v in _of(city, "Polres Cilegon")]
    assert text(page.text, "//p[@id='institution']") == "Polres Cilegon"
    other = _of(city, "Baznas Kota Cilegon")[0].row.id
    refused = client.get(f"/actions/{other}")
    assert refused.status_code == 404
    assert client.get("/meetings").status_code == 403


def test_a_refused_evidence_file_is_named_and_nothing_is_written(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("baznas")
    open_one = next(
        v for v in _of(city, "Baznas Kota Cilegon") if v.row.status is not ActionStatus.DONE
    )
    response = client.post(
        f"/actions/{open_one.row.id}/progress",
        data={"csrf_token": token, "status": "done", "delivered": "Dana ditransfer"},
        files={"file": ("kuitansi.exe", b"MZ\x90\x00" * 100, "application/octet-stream")},
    )
    assert response.status_code == 422
    assert text(response.text, "//ul[@id='action-errors']/li") == (
        "berkas 'kuitansi.exe' bukan salah satu jenis yang diterima: PDF, JPG, PNG, XLSX, DOCX"
    )
    after = next(v for v in _of(city, "Baznas Kota Cilegon") if v.row.id == open_one.row.id)
    assert after.row.status is open_one.row.status
    assert after.evidence_files == open_one.evidence_files


def test_closing_without_saying_what_was_done_is_refused(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("baznas")
    open_one = next(
        v for v in _of(city, "Baznas Kota Cilegon") if v.row.status is not ActionStatus.DONE
    )
    response = client.post(
        f"/actions/{open_one.row.id}/progress", data={"csrf_token": token, "status": "done"}
    )
    assert response.status_code == 422
    assert text(response.text, "//ul[@id='action-errors']/li").startswith(
        "Yang sudah dilaksanakan: tuliskan apa yang sudah dilaksanakan"
    )


def test_an_evidence_body_over_its_limit_is_refused_unread(
    app: FastAPI, api_session: tuple[str, str]
) -> None:
    cookie, _ = api_session
    sender = _drive(app, "/actions/1/evidence", 20 * MB, cookie=cookie)
    assert sender.status == 413
    assert sender.pieces_read == 0
    assert text(sender.body(), "//p[@class='message']").startswith(
        "Berkas lebih besar dari 5 MB dan tidak dibaca. Berkas bukti paling besar 5 MB"
    )
    meeting = _drive(app, "/meetings/1/evidence", 20 * MB, cookie=cookie)
    assert meeting.status == 413


def test_the_tpps_reads_partners_and_the_november_meeting(city: City, signed_in: SignedIn) -> None:
    client, _ = signed_in("admin")
    partners = texts(client.get("/partners").text, "//table[@id='partners']//td[1]")
    assert {
        "Polres Cilegon",
        "Kodim 0623/Cilegon",
        "Kecamatan Grogol",
        "Forum CSR Kota Cilegon",
    } <= set(partners)
    meetings = client.get("/meetings").text
    titles = texts(meetings, "//table[@id='meetings']//td[3]")
    assert titles == [
        "Rapat TPPS: hasil Audit Kasus Stunting semester II 2024",
        "Rembuk Stunting Kota Cilegon 2024",
    ]
    href = strings(meetings, "//table[@id='meetings']//td[3]/a/@href")[0]
    page = client.get(href).text
    assert "Polres Cilegon" in text(page, "//dd[@id='meeting-attendees']")
    baznas = nodes(page, "//ol[@id='decision-list']/li[4]//ul[@class='linked']/li")
    assert len(baznas) == 4  # Rp 7,5 juta for each of four lokus kelurahan


def test_the_tpps_adds_a_commitment_and_the_form_names_bad_fields(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("admin")
    polres = _of(city, "Polres Cilegon")[0].row.institution_id
    bad = client.post(
        "/actions/new",
        data={
            "csrf_token": token,
            "action": "Paket gizi",
            "institution": str(polres),
            "agreed_on": "2025-01-10",
            "due_on": "2024-12-01",
        },
    )
    assert bad.status_code == 422
    assert texts(bad.text, "//ul[@id='action-errors']/li") == [
        "Batas waktu: 2024-12-01 lebih awal dari 2025-01-10; batas waktu tindakan tidak boleh "
        "sebelum tanggal disepakati dan tanggal mulai"
    ]
    good = client.post(
        "/actions/new",
        data={
            "csrf_token": token,
            "action": "Paket gizi Polres tahap II",
            "institution": str(polres),
            "kelurahan": "36.72.06.1004",
            "agreed_on": "2025-01-10",
            "due_on": "2025-02-01",
            "budget_rupiah": "Rp 5.000.000",
        },
        follow_redirects=False,
    )
    assert good.status_code == 303
    page = client.get(good.headers["location"]).text
    assert text(page, "//h1") == "Paket gizi Polres tahap II"
    assert "Gerem" in text(page, "//dl[@id='action-facts']")


def test_the_account_form_offers_the_partners_institution(signed_in: SignedIn) -> None:
    client, _ = signed_in("admin")
    form = client.get("/users/new").text
    options = texts(form, "//select[@id='institution_id']/option")
    assert "Baznas Kota Cilegon" in options
    assert "Polres Cilegon" in options
    listed = client.get("/users").text
    assert "Tim audit" in form  # the auditor role's label
    assert "Polres Cilegon" in listed
