"""The camat's semester report (issue 16) on a real database, SQLite and PostgreSQL: the
figures of one kecamatan only, named by its code or its name, and a report that renders
with no records at all (every section says its data are missing)."""

from datetime import date

import pypdfium2 as pdfium
import pytest
from sqlalchemy import Engine

from tumbuh.config import Settings
from tumbuh.errors import InputError
from tumbuh.growth.periods import semester_period
from tumbuh.reports.semester import semester_pdf
from tumbuh.reports.tpps_data import TppsFigures
from tumbuh.usecases.reporting import semester_data

SETTINGS = Settings(city_code="36.72")


def test_a_kecamatan_report_holds_only_that_kecamatan(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        data = semester_data(
            connection, semester_period(2024, 2), SETTINGS, kecamatan="cibeber",
            cut_off=date(2024, 12, 31),
        )  # fmt: skip
    assert (data.city_code, data.city_name, data.city_of) == (
        "36.72.01", "Kecamatan Cibeber", "Kota Cilegon",
    )  # fmt: skip
    assert data.kecamatan == ()
    assert len(data.kelurahan) == 6
    assert all(k.code.startswith("36.72.01.") for k in data.kelurahan)
    for status in data.nutrition:
        assert status.areas[0].total.code == "36.72.01"
        assert all(a.total.code and a.total.code.startswith("36.72.01") for a in status.areas)
    assert data.flows[0].code == "36.72.01"
    assert all((row.code or "").startswith("36.72.01") for row in data.flows)
    assert data.tpps == TppsFigures(audit=None, commitments=None, aksi=None, lokus=None)
    assert data.cut_off == date(2024, 12, 31)
    pdf = pdfium.PdfDocument(semester_pdf(data, generated_on=date(2025, 1, 10)).content)
    text = " ".join(" ".join(str(p.get_textpage().get_text_range()).split()) for p in pdf)
    assert "Kecamatan Cibeber, Kota Cilegon – Semester II 2024" in text
    assert "Belum ada data Audit Kasus Stunting untuk semester ini." in text
    assert "Belum ada data komitmen mitra untuk semester ini." in text
    assert "Grogol" not in text  # another kecamatan (and its kelurahan)


def test_the_same_kecamatan_by_code(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        data = semester_data(connection, semester_period(2024, 2), SETTINGS, kecamatan="36.72.01")
    assert data.city_name == "Kecamatan Cibeber"
    assert data.cut_off == date(2024, 12, 31)  # no cut-off: the semester's last day


def test_an_unknown_kecamatan_is_an_input_error(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection, pytest.raises(InputError) as raised:
        semester_data(connection, semester_period(2024, 2), SETTINGS, kecamatan="36.72.99")
    assert raised.value.params["value"] == "36.72.99"
