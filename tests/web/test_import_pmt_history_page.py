"""The import page recognises e-PPGBM's PMT history files: the check (a dry run) shows what
would be added, the confirmation adds the episodes, a cancel forgets the upload; a
nutritionist adds only women of her area (SQLite and PostgreSQL)."""

import io
from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from tests.db.test_imports_fixtures import add_child
from tests.unit.ingest.pmt_builders import CHILD, MOTHER, PREGNANCY, TODDLER, history_html, row
from tests.web.conftest import nodes, strings, text, texts
from tests.web.test_import_page import (
    client_of,
    confirm,
    engine,  # noqa: F401 - the fixtures of this module
    web,  # noqa: F401
)
from tumbuh.db.models import table_of
from tumbuh.db.models_pmt import PmtEpisode
from tumbuh.growth.enums import Sex

GIKUR = "Daftar-Riwayat-PMT-Gikur.xls"
BUMIL = "Daftar-Riwayat-PMT-Ibu-Hamil-240926092628.xls"


def _upload(client: TestClient, token: str, name: str, content: str) -> str:
    response = client.post(
        "/import",
        data={"csrf_token": token},
        files={"file": (name, io.BytesIO(content.encode()), "application/vnd.ms-excel")},
    )
    assert response.status_code == 200, response.text
    return str(response.text)


def _episodes(database: Engine) -> int:
    with database.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(table_of(PmtEpisode))).scalar_one()
        )


def test_a_toddler_history_is_checked_then_added(engine: Engine, web: FastAPI) -> None:  # noqa: F811
    add_child(engine, "Siti Aminah", date(2022, 8, 17), Sex.FEMALE, nik=str(CHILD["NIK"]))
    client, token = client_of(web, "dinkes")
    assert "Riwayat PMT dari e-PPGBM" in client.get("/import").text
    content = history_html(
        TODDLER, [row(TODDLER, CHILD), row(TODDLER, CHILD, NIK="3672011203230002")], "Riwayat"
    )
    checked = _upload(client, token, GIKUR, content)
    assert text(checked, "//section[@id='pmt-history']/h2") == f"Riwayat PMT: {GIKUR}"
    assert text(checked, "//*[@id='verdict']") == (
        "Sudah diperiksa terhadap database; belum ada yang disimpan. 1 episode PMT dapat "
        "ditambahkan."
    )
    rows = texts(checked, "//table[@id='report']/tbody/tr")
    assert len(rows) == 1
    assert "tidak ada anak dengan NIK ini" in rows[0]
    assert _episodes(engine) == 0
    assert text(checked, "//button[@id='confirm']") == "Tambahkan 1 episode PMT"
    done = confirm(client, token, checked)
    assert text(done, "//*[@id='verdict']") == (
        "1 episode PMT diimpor; 1 baris dengan error dilewati (lihat laporan)."
    )
    assert nodes(done, "//p[@id='run']/a")
    assert _episodes(engine) == 1
    again = _upload(client, token, GIKUR, content)
    assert nodes(again, "//button[@id='confirm']") == []


def test_a_cancel_forgets_the_upload_and_an_area_adds_only_its_women(
    engine: Engine,  # noqa: F811
    web: FastAPI,  # noqa: F811
) -> None:
    client, token = client_of(web, "gizi")  # kelurahan Cibeber
    elsewhere = history_html(PREGNANCY, [row(PREGNANCY, MOTHER)], "Riwayat")  # Kedaleman
    checked = _upload(client, token, BUMIL, elsewhere)
    assert "ibu ini tidak dapat dicatat dari wilayah Anda" in " ".join(
        texts(checked, "//table[@id='report']/tbody/tr")
    )
    assert nodes(checked, "//button[@id='confirm']") == []
    cancel = strings(checked, "//form[contains(@action, '/cancel')]/@action")[0]
    assert (
        client.post(cancel, data={"csrf_token": token}, follow_redirects=False).status_code == 303
    )
    key = cancel.split("/")[3]
    gone = client.post(f"/import/pmt/{key}/confirm", data={"csrf_token": token})
    assert gone.status_code == 404
    here = history_html(
        PREGNANCY,
        [row(PREGNANCY, MOTHER, Tanggal_Selesai=None, **{"Desa/Kel": "Cibeber"})],
        "Riwayat",
    )
    done = confirm(client, token, _upload(client, token, BUMIL, here))
    assert text(done, "//*[@id='verdict']") == "1 episode PMT diimpor."
    assert _episodes(engine) == 1
