"""Import page: upload an e-PPGBM file, read the check against the database, download the
report, then import or cancel. Only administrators and nutritionists import, and a
nutritionist only rows of her puskesmas' working area.

The upload tests run on the small demo city; the tests that write run on a database of
their own (the regions, users, and one registered child), so they change no other test's
figures.
"""

import io
import json
from datetime import UTC, date, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine, func, insert, select

from tests.db.test_imports_fixtures import add_child, add_mother
from tests.web.conftest import (
    City,
    SignedIn,
    cells,
    csrf_of,
    nodes,
    settings_for,
    sign_in,
    strings,
    text,
    texts,
)
from tumbuh.db.models import (
    Child,
    ImportFile,
    Measurement,
    Posyandu,
    Puskesmas,
    PuskesmasArea,
    table_of,
)
from tumbuh.db.models_access import AuditEntry, Role
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.growth.enums import Sex
from tumbuh.web.app import create_app

PASSWORD = "kata-sandi-uji-1"
HEADER = (
    "NIK,Nama,JK,Tgl Lahir,Nama Ortu,Prov,Kab/Kota,Kec,Desa/Kel,Pukesmas,Posyandu,"
    "Tanggal Pengukuran,Berat,Tinggi,Cara Ukur"
)
GRAMS = (
    "3672014101230001,Anak Satu,L,01/01/2023,Ibu Satu,Banten,Kota Cilegon,Cibeber,Cibeber,"
    "Cibeber,Mawar 1,15/08/2024,10945,80,Berdiri"
)
GOOD = (
    "3672014202230002,Anak Dua,P,02/02/2023,Ibu Dua,Banten,Kota Cilegon,Cibeber,Cibeber,"
    "Cibeber,Mawar 1,15/08/2024,9.8,79.5,Berdiri"
)
OUTSIDE = (
    "3672024303230003,Anak Tiga,P,03/03/2023,Ibu Tiga,Banten,Kota Cilegon,Cilegon,Bagendung,"
    "Cilegon,Melati 1,15/08/2024,10.1,80.5,Berdiri"
)


def csv_file(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


def upload(client: TestClient, token: str, data: bytes) -> str:
    response = client.post(
        "/import",
        data={"csrf_token": token},
        files={"file": ("posyandu-agustus.csv", io.BytesIO(data), "text/csv")},
    )
    assert response.status_code in (200, 403)
    return str(response.text)


def test_upload_shows_every_problem_with_row_and_column(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    html = upload(client, token, csv_file(GRAMS, GOOD))
    summary = text(html, "//*[@id='summary']")
    assert summary.startswith(
        "posyandu-agustus.csv: 2 baris dibaca, 1 tanpa kesalahan, 1 kesalahan"
    )
    rows = nodes(html, "//table[@id='report']/tbody/tr[contains(@class, 'error')]")
    first = cells(rows[0])
    assert first[:3] == ["2", "Berat", "10945"]
    assert "gram" in first[4]
    assert counted(html)["Baris yang akan diimpor"] == "1"
    assert counted(html)["Baris berisi error (tidak diimpor)"] == "1"
    assert text(html, "//button[@id='confirm']") == "Impor 1 baris tanpa kesalahan"


def test_a_file_that_is_no_spreadsheet_can_import_nothing(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    response = client.post(
        "/import",
        data={"csrf_token": token},
        files={"file": ("hasil.pdf", io.BytesIO(b"%PDF-1.4 not a table"), "application/pdf")},
    )
    assert response.status_code == 200
    assert text(response.text, "//*[@id='verdict']") == (
        "Tidak ada yang dapat diimpor dari berkas ini: perbaiki masalah di bawah (laporan "
        "memuat semuanya) lalu unggah lagi."
    )
    assert nodes(response.text, "//button[@id='confirm']") == []
    assert len(nodes(response.text, "//table[@id='report']/tbody/tr[@class='error']")) == 1


def test_a_strange_file_name_is_kept_harmless(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    response = client.post(
        "/import",
        data={"csrf_token": token},
        files={"file": ("../../../agustus.csv", io.BytesIO(csv_file(GOOD)), "text/csv")},
    )
    assert response.status_code == 200
    assert text(response.text, "//*[@id='summary']").startswith("agustus.csv: 1 baris dibaca")


def test_report_downloads_as_a_workbook(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    html = upload(client, token, csv_file(GRAMS, GOOD))
    link = strings(html, "//a[contains(@href, 'report.xlsx')]/@href")[0]
    response = client.get(link)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    problems = list(book.worksheets[0].iter_rows(values_only=True))
    assert problems[0][:3] == ("berkas", "baris", "kolom")
    assert ("posyandu-agustus.csv", 2, "Berat", "10945") in [p[:4] for p in problems]


def test_cancel_forgets_the_upload(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    html = upload(client, token, csv_file(GRAMS, GOOD))
    action = strings(html, "//form[contains(@action, '/cancel')]/@action")[0]
    cancelled = client.post(action, data={"csrf_token": token}, follow_redirects=False)
    assert cancelled.status_code == 303
    key = action.split("/")[2]
    assert client.get(f"/import/{key}/report.xlsx").status_code == 404


@pytest.mark.parametrize("username", ["analis", "kader", "mitra"])
def test_import_is_for_admins_and_nutritionists(
    city: City, signed_in: SignedIn, username: str
) -> None:
    client, token = signed_in(username)
    assert client.get("/import").status_code == 404
    refused = client.post(
        "/import",
        data={"csrf_token": token},
        files={"file": ("a.csv", io.BytesIO(csv_file(GOOD)), "text/csv")},
    )
    assert refused.status_code == 404


def test_another_session_cannot_read_an_upload(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    html = upload(client, token, csv_file(GRAMS, GOOD))
    link = strings(html, "//a[contains(@href, 'report.xlsx')]/@href")[0]
    other, _ = signed_in("gizi")
    assert other.get(link).status_code == 404
    assert csrf_of(html)


# --- importing into a database of its own -------------------------------------------------


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """Regions, an administrator, a nutritionist for kelurahan Cibeber, and Anak Dua
    registered without NIK (found again by name, birth date, sex and mother)."""
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        puskesmas = connection.execute(
            insert(table_of(Puskesmas))
            .values(name="Puskesmas Cibeber", kecamatan_code="36.72.01")
            .returning(table_of(Puskesmas).c.id)
        ).scalar_one()
        connection.execute(
            insert(table_of(PuskesmasArea)).values(
                kelurahan_code="36.72.01.1001", puskesmas_id=puskesmas
            )
        )
        now = datetime.now(UTC)
        create_user(connection, NewUser("dinkes", "Dinkes", Role.ADMIN, PASSWORD), now)
        create_user(
            connection,
            NewUser("gizi", "Gizi", Role.NUTRITIONIST, PASSWORD, puskesmas_id=int(puskesmas)),
            now,
        )
    mother = add_mother(empty_engine, "Ibu Dua")
    add_child(empty_engine, "Anak Dua", date(2023, 2, 2), Sex.FEMALE, mother_id=mother)
    return empty_engine


@pytest.fixture
def web(engine: Engine) -> FastAPI:
    return create_app(settings_for(engine.url.render_as_string(hide_password=False)), engine=engine)


def client_of(app: FastAPI, username: str) -> tuple[TestClient, str]:
    client = TestClient(app)
    return client, sign_in(client, username, PASSWORD)


def measurements(engine: Engine) -> int:
    with engine.connect() as connection:
        query = select(func.count()).select_from(table_of(Measurement))
        return int(connection.execute(query).scalar_one())


def confirm(client: TestClient, token: str, html: str) -> str:
    action = strings(html, "//form[contains(@action, '/confirm')]/@action")[0]
    fields = dict(zip(strings(html, "//form[contains(@action, '/confirm')]//input/@name"),
                      strings(html, "//form[contains(@action, '/confirm')]//input/@value"),
                      strict=True))  # fmt: skip
    response = client.post(action, data={**fields, "csrf_token": token})
    assert response.status_code == 200
    return str(response.text)


def test_admin_imports_the_rows_without_errors_and_the_audit_names_her(
    engine: Engine, web: FastAPI
) -> None:
    client, token = client_of(web, "dinkes")
    checked = upload(client, token, csv_file(GRAMS, GOOD))
    assert counted(checked)["NIK ditambahkan pada anak terdaftar"] == "1"
    assert counted(checked)["Anak yang akan dibuat / cocok"] == "0 / 1"
    assert measurements(engine) == 0  # the check wrote nothing
    done = confirm(client, token, checked)
    assert text(done, "//*[@id='verdict']") == (
        "1 pengukuran diimpor; 1 baris berisi error dilewati (lihat laporan)."
    )
    assert measurements(engine) == 1
    skipped = strings(done, "//a[contains(@href, 'report.xlsx')]/@href")[0]
    assert client.get(skipped).status_code == 200  # the skipped row's report stays
    a, c = table_of(AuditEntry), table_of(Child)
    with engine.connect() as connection:
        child_id, nik = connection.execute(
            select(c.c.id, c.c.nik).where(c.c.name == "Anak Dua")
        ).one()
        entry = connection.execute(select(a).where(a.c.entity == "child")).one()
    assert nik == "3672014202230002"
    assert (entry.actor, entry.entity_id, entry.user_id) == ("dinkes", child_id, 1)
    assert json.loads(entry.after)["nik"] == "3672************"


def test_a_nutritionist_is_refused_a_file_with_a_row_outside_her_area(
    engine: Engine, web: FastAPI
) -> None:
    client, token = client_of(web, "gizi")
    html = upload(client, token, csv_file(GOOD, OUTSIDE))
    assert text(html, "//*[@id='outside']/p").startswith(
        "posyandu-agustus.csv: 1 baris berada di luar wilayah kerja Anda, sehingga seluruh "
        "berkas ditolak dan tidak ada yang disimpan."
    )
    assert texts(html, "//*[@id='outside']//li") == ["Baris 3: kelurahan Bagendung"]
    assert nodes(html, "//form[contains(@action, '/confirm')]") == []
    key = strings(html, "//form[contains(@action, '/cancel')]/@action")[0].split("/")[2]
    refused = client.post(f"/import/{key}/confirm", data={"csrf_token": token})
    assert refused.status_code == 403
    assert measurements(engine) == 0


def test_a_nutritionist_imports_rows_of_her_area(engine: Engine, web: FastAPI) -> None:
    client, token = client_of(web, "gizi")
    html = upload(client, token, csv_file(GOOD))
    assert text(html, "//button[@id='confirm']") == "Impor 1 baris"
    done = confirm(client, token, html)
    assert text(done, "//*[@id='verdict']") == "1 pengukuran diimpor."
    assert measurements(engine) == 1


def test_the_commit_checks_again_so_a_file_confirmed_twice_adds_nothing(
    engine: Engine, web: FastAPI
) -> None:
    first, first_token = client_of(web, "dinkes")
    second, second_token = client_of(web, "gizi")
    first_check = upload(first, first_token, csv_file(GOOD))
    second_check = upload(second, second_token, csv_file(GOOD))
    confirm(first, first_token, first_check)
    again = confirm(second, second_token, second_check)
    assert text(again, "//*[@id='verdict']") == (
        "Tidak ada yang baru: semua baris sudah ada di database."
    )
    assert measurements(engine) == 1
    recheck = upload(first, first_token, csv_file(GOOD))
    assert nodes(recheck, "//button[@id='confirm']") == []


def test_a_checked_upload_is_found_by_its_hash_in_another_worker(
    engine: Engine, web: FastAPI
) -> None:
    client, token = client_of(web, "dinkes")
    html = upload(client, token, csv_file(GOOD))
    other_worker = TestClient(create_app(web.state.tumbuh.settings, engine=engine))
    other_worker.cookies.update(client.cookies)
    done = confirm(other_worker, token, html)
    assert text(done, "//*[@id='verdict']") == "1 pengukuran diimpor."
    assert measurements(engine) == 1


def counted(html: str) -> dict[str, str]:
    """The counts table of a check or an import: label -> value."""
    return {
        " ".join(str(row.xpath("string(th)")).split()): " ".join(
            str(row.xpath("string(td)")).split()
        )
        for row in nodes(html, "//table[@id='counts']//tr")
    }


def test_a_file_name_with_a_nul_is_stored_without_it(engine: Engine, web: FastAPI) -> None:
    client, token = client_of(web, "dinkes")
    # Written by hand: an HTTP client library would encode the NUL as %00.
    body = b"".join(
        [
            b'--B\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n',
            token.encode(),
            b'\r\n--B\r\nContent-Disposition: form-data; name="file"; filename="agu\x00stus.csv"',
            b"\r\nContent-Type: text/csv\r\n\r\n",
            csv_file(GOOD),
            b"\r\n--B--\r\n",
        ]
    )
    response = client.post(
        "/import", content=body, headers={"Content-Type": "multipart/form-data; boundary=B"}
    )
    assert response.status_code == 200
    confirm(client, token, response.text)
    f = table_of(ImportFile)
    with engine.connect() as connection:
        names = connection.execute(select(f.c.file_name)).scalars().all()
    assert names == ["agu_stus.csv"]


def test_a_child_registered_on_the_web_is_found_again_by_an_import_without_nik(
    engine: Engine,
) -> None:
    p = table_of(Posyandu)
    with engine.begin() as connection:
        posyandu = connection.execute(
            insert(p)
            .values(code="36.72.01.1001.01", name="Mawar 1", kelurahan_code="36.72.01.1001")
            .returning(p.c.id)
        ).scalar_one()
    web = create_app(settings_for(engine.url.render_as_string(hide_password=False)), engine=engine)
    client, token = client_of(web, "dinkes")
    registered = client.post(
        f"/posyandu/{posyandu}/children/new",
        data={"name": "Anak Empat", "sex": "female", "birth_date": "2023-04-04",
              "mother_name": "Ibu Empat", "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert registered.status_code == 303
    row = (
        ",Anak Empat,P,04/04/2023,Ibu Empat,Banten,Kota Cilegon,Cibeber,Cibeber,Cibeber,"
        "Mawar 1,15/08/2024,9.5,78.0,Berdiri"
    )
    checked = upload(client, token, csv_file(row))
    assert counted(checked)["Anak yang akan dibuat / cocok"] == "0 / 1"
