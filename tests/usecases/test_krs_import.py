"""Importing BKKBN's family data (KRS) in Tumbuh's layout (docs/krs-import.md), on SQLite
and PostgreSQL: families created or updated by Nomor KK, every problem of a row named with
its row, column and value, nothing written on any error, formulas and oversized files
refused, the nutritionist's area, audited as an import without the Nomor KK."""

import csv
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select

from tests.db.test_imports_fixtures import (
    engine_fixture,  # noqa: F401 - the fixtures of this module
    fetch,
    import_url_fixture,  # noqa: F401
    settings_fixture,  # noqa: F401
)
from tumbuh.config import Settings
from tumbuh.db.audit import Actor
from tumbuh.db.models import Family, ImportRun, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.i18n import Language
from tumbuh.ingest.limits import FileLimitError
from tumbuh.usecases.access import NotAllowed, Role, Scope
from tumbuh.usecases.cases import COMMAND_LINE_SCOPE
from tumbuh.usecases.krs_import import KrsImportResult, KrsOutcome, import_krs

TODAY = date(2024, 9, 1)
ACTOR = Actor("cli:test")
CIBEBER, GEREM = "36.72.01.1001", "36.72.06.1004"
KK_1, KK_2 = "3672010101240001", "3672060101240002"  # synthetic
HEADER = ["Nomor KK", "Kode Kelurahan", "Alamat", "RT", "RW", "Sumber Air Minum Layak",
          "Jamban Layak", "Istri Usia < 20", "Istri Usia ≥ 35", "Jarak Kelahiran < 2 Tahun",
          "Anak > 3", "Tanggal Pendataan"]  # fmt: skip
GOOD = [
    [KK_1, CIBEBER, "Jl. Mawar 3", "4", "002", "Ya", "Tidak", "Tidak", "Tidak", "Ya", "Tidak",
     "2024-06-30"],
    [KK_2, GEREM, "", "", "", "Ya", "Ya", "", "", "", "", "30/06/2024"],
]  # fmt: skip


def _csv(folder: Path, rows: Sequence[Sequence[object]], name: str = "krs.csv") -> Path:
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([HEADER, *rows])
    return path


def _xlsx(folder: Path, rows: Sequence[Sequence[object]], name: str = "krs.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append(list(row))
    for cell in sheet["A"]:
        cell.number_format = "@"  # the Nomor KK as text, as the layout asks
    path = folder / name
    book.save(path)
    return path


def _import(
    engine: Engine,
    settings: Settings,
    path: Path,
    scope: Scope = COMMAND_LINE_SCOPE,
) -> KrsImportResult:
    with engine.connect() as connection:
        return import_krs(connection, scope, path, settings=settings, actor=ACTOR, today=TODAY)


def _families(engine: Engine) -> dict[str, tuple[object, ...]]:
    names = ("nomor_kk", "kelurahan_code", "rt", "rw", "has_safe_drinking_water",
             "has_safe_latrine", "wife_under_20", "birth_spacing_under_2_years",
             "krs_assessed_on")  # fmt: skip
    return {row[0]: row[1:] for row in fetch(engine, table_of(Family), *names)}


def _lines(result: KrsImportResult) -> list[tuple[object, ...]]:
    return [(ln.row, ln.column, ln.value, ln.message(Language.ID)) for ln in result.report.lines]


@pytest.mark.parametrize("write", [_csv, _xlsx])
def test_a_good_file_creates_its_families(
    engine: Engine, settings: Settings, tmp_path: Path, write: object
) -> None:
    path = write(tmp_path, GOOD)  # type: ignore[operator]
    result = _import(engine, settings, path)
    assert (result.outcome, result.families_added, result.families_changed) == (
        KrsOutcome.IMPORTED, 2, 0)  # fmt: skip
    assert _families(engine) == {
        KK_1: (CIBEBER, "004", "002", True, False, False, True, date(2024, 6, 30)),
        KK_2: (GEREM, None, None, True, True, None, None, date(2024, 6, 30)),  # empty: not asked
    }


def test_a_known_nomor_kk_updates_its_family_and_is_audited_without_it(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    _import(engine, settings, _csv(tmp_path, GOOD))
    again = [[KK_1, CIBEBER, "Jl. Mawar 3", "4", "002", "Ya", "Ya", "Tidak", "Tidak", "Tidak",
              "Tidak", "2024-08-01"]]  # fmt: skip
    result = _import(engine, settings, _csv(tmp_path, again, "again.csv"))
    assert (result.families_added, result.families_changed) == (0, 1)
    assert _families(engine)[KK_1][3:] == (True, True, False, False, date(2024, 8, 1))
    with engine.connect() as connection:
        audit = connection.execute(select(table_of(AuditEntry))).all()
        runs = connection.execute(select(table_of(ImportRun))).all()
    assert len(runs) == 2
    changes = [a for a in audit if a.entity == "family"]
    assert [a.action for a in changes].count("update") == 1
    text = json.dumps([[a.before, a.after] for a in audit], default=str)
    assert KK_1 not in text
    assert "Mawar" not in text


def test_every_bad_cell_is_named_and_nothing_is_written(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    bad = [
        GOOD[0],
        ["367201", CIBEBER, "", "", "", "Mungkin", "", "", "", "", "", "2024-13-01"],
        [KK_1, "Cibeber", "", "", "", "", "", "", "", "", "", "2025-01-01"],
    ]
    result = _import(engine, settings, _csv(tmp_path, bad))
    assert result.outcome is KrsOutcome.BLOCKED
    assert _families(engine) == {}
    found = _lines(result)
    assert found == [
        (3, "Nomor KK", None, "Nomor KK: Nomor KK harus 16 angka dan tidak lebih; ditemukan 6 "
         "karakter (tulis sebagai teks agar semua angka tersimpan)"),
        (3, "Sumber Air Minum Layak", "Mungkin", "Sumber Air Minum Layak: 'Mungkin' tidak "
         "diterima; tulis Ya atau Tidak, atau kosongkan (tidak ditanyakan)"),
        (3, "Tanggal Pendataan", "2024-13-01", "Tanggal Pendataan: '2024-13-01' bukan tanggal; "
         "tulis sebagai YYYY-MM-DD (2024-06-30) atau DD/MM/YYYY"),
        (4, "Kode Kelurahan", "Cibeber", "Kode Kelurahan: 'Cibeber' bukan kode kelurahan; "
         "tulis kode Kemendagri, misalnya 36.72.01.1001"),
        (4, "Tanggal Pendataan", "2025-01-01", "Tanggal Pendataan: 01/01/2025 setelah hari "
         "ini; tulis tanggal keluarga itu didata"),
    ]  # fmt: skip


def test_a_formula_is_refused(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    rows = [[*GOOD[0][:11], "=TODAY()"]]
    result = _import(engine, settings, _xlsx(tmp_path, rows))
    assert result.outcome is KrsOutcome.BLOCKED
    assert "rumus" in result.report.lines[0].message(Language.ID)
    typed = [[*GOOD[0][:2], '=HYPERLINK("http://x")', *GOOD[0][3:]]]
    result = _import(engine, settings, _csv(tmp_path, typed))
    assert [(ln.row, ln.column) for ln in result.report.errors] == [(2, "Alamat")]
    assert _families(engine) == {}


def test_an_oversized_file_is_refused_before_it_is_read(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    small = settings.model_copy(update={"import_max_file_mb": 1})
    path = _csv(tmp_path, GOOD * 20_000)  # about 1.6 MB
    with pytest.raises(FileLimitError):
        _import(engine, small, path)
    assert _families(engine) == {}


def test_a_nutritionist_imports_only_her_area_and_a_tpk_not_at_all(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    gizi = Scope(Role.NUTRITIONIST, frozenset({CIBEBER}), None, True, True, True, True, False)
    result = _import(engine, settings, _csv(tmp_path, GOOD), gizi)
    assert result.outcome is KrsOutcome.BLOCKED
    assert [(ln.row, ln.column, ln.value) for ln in result.report.errors] == [
        (3, "Kode Kelurahan", GEREM)]  # fmt: skip
    assert _families(engine) == {}
    tpk = Scope(Role.TPK, frozenset({CIBEBER}), None, True, False, False, False, False)
    with pytest.raises(NotAllowed):
        _import(engine, settings, _csv(tmp_path, GOOD[:1]), tpk)


def test_a_family_stored_outside_her_area_is_not_changed(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    _import(engine, settings, _csv(tmp_path, GOOD))
    moved = [[KK_2, CIBEBER, "", "", "", "Tidak", "", "", "", "", "", "2024-07-01"]]
    gizi = Scope(Role.NUTRITIONIST, frozenset({CIBEBER}), None, True, True, True, True, False)
    result = _import(engine, settings, _csv(tmp_path, moved, "moved.csv"), gizi)
    assert result.outcome is KrsOutcome.BLOCKED
    assert _families(engine)[KK_2][0] == GEREM
