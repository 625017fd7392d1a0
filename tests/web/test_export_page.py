"""e-PPGBM export from the web: a real workbook read back, the rows of the chosen month
and area only, masked unless asked, and only areas wholly inside the user's scope."""

import io
from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.web.conftest import City, SignedIn, nodes, texts
from tumbuh.db.models import Child, Measurement, Posyandu, table_of
from tumbuh.ingest.export import LAYOUT_A_HEADERS, SHEET

MONTH = "2024-08"


def options(client: TestClient) -> list[str]:
    page = client.get("/export")
    assert page.status_code == 200
    return [str(o.get("value")) for o in nodes(page.text, "//select[@id='area']/option")]


def export(client: TestClient, token: str, area: str, **extra: str) -> list[dict[str, object]]:
    response = client.post(
        "/export", data={"month": MONTH, "area": area, "csrf_token": token, **extra}
    )
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-disposition"] == (
        f'attachment; filename="eppgbm-{area}-{MONTH}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content), read_only=True)[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == LAYOUT_A_HEADERS
    return [dict(zip(LAYOUT_A_HEADERS, row, strict=True)) for row in rows[1:]]


def measured_in(city: City, posyandu_code: str) -> int:
    m, p = table_of(Measurement), table_of(Posyandu)
    with city.engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count())
                .select_from(m.join(p, p.c.id == m.c.posyandu_id))
                .where(
                    p.c.code == posyandu_code,
                    m.c.measured_on >= date(2024, 8, 1),
                    m.c.measured_on < date(2024, 9, 1),
                )
            ).scalar_one()
        )


def kader_posyandu_code(city: City) -> str:
    p = table_of(Posyandu)
    with city.engine.connect() as connection:
        return str(
            connection.execute(select(p.c.code).where(p.c.id == city.kader_posyandu)).scalar_one()
        )


def test_a_kader_exports_her_posyandus_month_masked(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("kader")
    code = kader_posyandu_code(city)
    assert options(client) == [code]
    rows = export(client, token, code)
    assert len(rows) == measured_in(city, code) > 0
    days = [row["Tanggal Pengukuran"] for row in rows]
    assert all(isinstance(day, datetime) and f"{day:%Y-%m}" == MONTH for day in days)
    for row in rows:
        nik, name = row["NIK"], str(row["Nama"])
        assert nik is None or "*" in str(nik)
        assert all(part.endswith(".") and len(part) == 2 for part in name.split())
        assert row["Alamat"] is None


def test_unmasked_on_request_the_niks_are_the_registered_ones(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("kader")
    code = kader_posyandu_code(city)
    rows = export(client, token, code, unmask="1")
    c = table_of(Child)
    with city.engine.connect() as connection:
        names = set(
            connection.execute(
                select(c.c.name).where(c.c.posyandu_id == city.kader_posyandu)
            ).scalars()
        )
    assert {str(row["Nama"]) for row in rows} <= names
    assert any(row["NIK"] and "*" not in str(row["NIK"]) for row in rows)


def test_a_nutritionist_is_offered_only_what_lies_inside_her_area(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("gizi")
    offered = options(client)
    assert offered
    assert city.nutritionist_kecamatan not in offered  # a kecamatan may reach past her area
    assert all(code.startswith(city.nutritionist_kecamatan + ".") for code in offered)
    refused = client.post(
        "/export", data={"month": MONTH, "area": city.other_kecamatan, "csrf_token": token}
    )
    assert refused.status_code == 422
    assert texts(refused.text, "//ul[@class='errors']/li") == [
        "Wilayah: pilih salah satu wilayah dalam daftar"
    ]


def test_an_administrator_exports_a_kecamatan(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    offered = options(client)
    assert offered[:2] == ["36.72", "36.72.01"]
    rows = export(client, token, city.nutritionist_kecamatan)
    assert rows
    assert {row["Kec"] for row in rows} == {"Cibeber"}


@pytest.mark.parametrize("month", ["2024-S2", "2024", "24-08", ""])
def test_a_month_that_is_not_one_is_refused(city: City, signed_in: SignedIn, month: str) -> None:
    client, token = signed_in("admin")
    response = client.post("/export", data={"month": month, "area": "36.72", "csrf_token": token})
    assert response.status_code == 422
    assert texts(response.text, "//ul[@class='errors']/li") == [
        "Bulan: pilih satu bulan, misalnya 2024-08"
    ]


@pytest.mark.parametrize("username", ["analis", "mitra"])
def test_figure_only_roles_cannot_export(signed_in: SignedIn, username: str) -> None:
    client, token = signed_in(username)
    assert client.get("/export").status_code == 404
    response = client.post("/export", data={"month": MONTH, "area": "36.72", "csrf_token": token})
    assert response.status_code == 404


def test_an_export_needs_the_csrf_token(signed_in: SignedIn) -> None:
    client, _ = signed_in("admin")
    assert client.post("/export", data={"month": MONTH, "area": "36.72"}).status_code == 403
