"""A web import leaves a trace that can be reviewed: the run names the user, its files
and hashes and counts; the audit log shows it readably; the imports pages list runs and
their children within the viewer's area (404 outside it); the demo city has runs too."""

import hashlib
import json

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select

from tests.web.conftest import City, SignedIn, cells, nodes, strings, text, texts
from tests.web.test_import_page import (
    GOOD,
    OUTSIDE,
    client_of,
    confirm,
    engine,  # noqa: F401 - a database of its own, with users dinkes and gizi
    upload,
    web,  # noqa: F401
)
from tests.web.test_import_page import csv_file as page_csv
from tumbuh.db.models import Child, ImportRun, table_of
from tumbuh.db.models_access import AppUser, AuditEntry
from tumbuh.i18n import Language, translations
from tumbuh.labels import RUN_COUNT_LABELS

NEW = (
    ",Anak Lima,P,05/05/2023,Ibu Lima,Banten,Kota Cilegon,Cibeber,Cibeber,Cibeber,Mawar 1,"
    "15/08/2024,9.1,76.5,Berdiri"
)


def csv_file(*rows: str) -> bytes:
    """The import page tests' CSV, with three blank lines more: bytes of this module's own
    (uploads are kept by user id and hash in one folder shared by every test run)."""
    return page_csv(*rows) + b"\n\n\n"


def _import(web: FastAPI, username: str, *rows: str) -> str:  # noqa: F811
    client, token = client_of(web, username)
    return confirm(client, token, upload(client, token, csv_file(*rows)))


def _user_id(engine: Engine, username: str) -> int:  # noqa: F811
    u = table_of(AppUser)
    with engine.connect() as connection:
        return int(connection.execute(select(u.c.id).where(u.c.username == username)).scalar_one())


def test_a_web_import_records_its_user_files_and_counts(
    engine: Engine,  # noqa: F811
    web: FastAPI,  # noqa: F811
) -> None:
    done = _import(web, "dinkes", GOOD, NEW)
    assert texts(done, "//p[@id='run']/a") == ["Catatan impor ini (nomor 1)"]
    assert strings(done, "//p[@id='run']/a/@href") == ["/imports/1"]
    r = table_of(ImportRun)
    with engine.connect() as connection:
        run = connection.execute(select(r)).one()
    assert (run.user_id, run.actor) == (_user_id(engine, "dinkes"), "dinkes")
    assert (run.rows_read, run.measurements_added, run.children_added) == (2, 2, 1)
    assert (run.children_changed, run.posyandu_added) == (1, 1)  # Anak Dua got her NIK


def test_the_import_page_shows_who_files_hashes_counts_and_children(
    engine: Engine,  # noqa: F811
    web: FastAPI,  # noqa: F811
) -> None:
    _import(web, "dinkes", GOOD, NEW)
    client, _ = client_of(web, "dinkes")
    listed = client.get("/imports")
    assert listed.status_code == 200
    assert text(listed.text, "//h1") == "Riwayat impor"
    [row] = nodes(listed.text, "//table[@id='imports']/tbody/tr")
    assert cells(row)[0] == "1"
    assert cells(row)[2:] == ["dinkes", "posyandu-agustus.csv", "2", "1", "1"]
    page = client.get("/imports/1")
    assert page.status_code == 200
    assert text(page.text, "//h1") == "Impor 1"
    assert text(page.text, "//p[@id='who']").startswith("Oleh dinkes, ")
    digest = hashlib.sha256(csv_file(GOOD, NEW)).hexdigest()
    [file] = nodes(page.text, "//table[@id='files']/tbody/tr")
    assert cells(file) == ["posyandu-agustus.csv", digest, "eppgbm-a", "2"]
    counts = {
        " ".join(str(tr.xpath("string(th)")).split()): str(tr.xpath("string(td)")).strip()
        for tr in nodes(page.text, "//table[@id='counts']//tr")
    }
    assert counts == {
        "Baris dibaca": "2",
        "Baris berisi error yang dilewati": "0",
        "Pengukuran ditambahkan": "2",
        "Anak baru": "1",
        "Anak terdaftar yang dilengkapi": "1",
        "Ibu baru": "1",
        "Keluarga baru": "0",
        "Posyandu baru": "1",
    }
    c = table_of(Child)
    with engine.connect() as connection:
        lima = connection.execute(select(c.c.id).where(c.c.name == "Anak Lima")).scalar_one()
    assert texts(page.text, "//table[@id='children']//a") == ["Anak Lima"]
    assert strings(page.text, "//table[@id='children']//a/@href") == [f"/children/{lima}"]


def test_the_audit_log_shows_the_import_readably(
    engine: Engine,  # noqa: F811
    web: FastAPI,  # noqa: F811
) -> None:
    _import(web, "dinkes", GOOD, NEW)
    client, _ = client_of(web, "dinkes")
    log = client.get("/audit-log?entity=import")
    assert log.status_code == 200
    [row] = nodes(log.text, "//table[@id='audit']/tbody/tr")
    assert cells(row)[1:4] == ["dinkes", "tambah", "impor 1"]
    assert strings(log.text, "//table[@id='audit']//td[4]/a/@href") == ["/imports/1"]
    digest = hashlib.sha256(csv_file(GOOD, NEW)).hexdigest()
    assert texts(log.text, "//td[contains(@class, 'import')]/div[@class='file']") == [
        f"posyandu-agustus.csv {digest[:12]}…: 2 pengukuran"
    ]
    assert "Pengukuran ditambahkan: 2" in texts(log.text, "//div[@class='count']")
    everything = client.get("/audit-log")
    via = texts(everything.text, "//div[@class='via']")
    assert via == ["melalui impor 1"]  # the child the import completed
    a = table_of(AuditEntry)
    with engine.connect() as connection:
        after = connection.execute(select(a.c.after).where(a.c.entity == "import")).scalar_one()
    assert "3672014202230002" not in after
    assert json.loads(after)["files"][0]["name"] == "posyandu-agustus.csv"


def test_a_nutritionist_reviews_only_runs_of_her_area_and_her_own(
    engine: Engine,  # noqa: F811
    web: FastAPI,  # noqa: F811
) -> None:
    client, token = client_of(web, "gizi")
    checked = upload(client, token, csv_file(GOOD))
    _import(web, "dinkes", OUTSIDE)  # run 1: kelurahan Bagendung, outside her area
    _import(web, "dinkes", GOOD)  # run 2: Cibeber, her area
    again = confirm(client, token, checked)  # run 3: hers, adding nothing
    assert text(again, "//*[@id='verdict']") == (
        "Tidak ada yang baru: semua baris sudah ada di database."
    )
    listed = client.get("/imports")
    rows = nodes(listed.text, "//table[@id='imports']/tbody/tr")
    assert [(cells(r)[0], cells(r)[2]) for r in rows] == [("3", "gizi"), ("2", "dinkes")]
    assert client.get("/imports/1").status_code == 404
    assert text(client.get("/imports/1").text, "//h1") == "Tidak ditemukan"
    shown = client.get("/imports/2")
    assert shown.status_code == 200
    assert text(shown.text, "//p[@id='in-area']") == (
        "Di wilayah Anda saat ini: 0 anak yang dibuatnya dan 1 pengukuran yang ditambahkannya."
    )
    assert client.get("/imports/3").status_code == 200
    assert client.get("/imports/999").status_code == 404


@pytest.mark.parametrize("username", ["analis", "kader", "mitra"])
def test_imports_are_reviewed_by_those_who_import(
    city: City, signed_in: SignedIn, username: str
) -> None:
    client, _ = signed_in(username)
    assert client.get("/imports").status_code == 404
    assert client.get("/imports/1").status_code == 404


def test_the_demo_city_has_import_runs_to_review(city: City, signed_in: SignedIn) -> None:
    client, _ = signed_in("gizi")
    listed = client.get("/imports")
    files = [cells(r)[3] for r in nodes(listed.text, "//table[@id='imports']/tbody/tr")]
    assert "eppgbm-cibeber-2024-12.xlsx" in files
    assert not [f for f in files if f.startswith("eppgbm-") and "cibeber" not in f]
    admin, _ = signed_in("admin")
    log = admin.get("/audit-log?entity=import")
    # the demo's imports, by the city's operator (other tests of the session upload too)
    assert "cli:dinkes" in texts(log.text, "//table[@id='audit']/tbody/tr/td[2]")


@pytest.mark.parametrize("label", sorted(RUN_COUNT_LABELS.values()))
def test_every_count_of_a_run_has_an_indonesian_label(label: str) -> None:
    assert translations(Language.ID).gettext(label) != label
