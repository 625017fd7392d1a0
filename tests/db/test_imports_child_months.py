"""e-PPGBM's Jml Vit A and KPSP: stored in the child's month of the row's month (> 0 doses
given, 0 not, empty not recorded; Sesuai/Meragukan/Penyimpangan or S/M/P), an unknown KPSP
a warning that keeps the row, a kader's answers of the month kept, each change audited with
the run, and written back by the export: a round trip xlsx -> import -> export -> read
(SQLite and PostgreSQL)."""

import json
from datetime import date
from pathlib import Path

import openpyxl
from sqlalchemy import Engine, select

from tests.db.test_imports_fixtures import (
    engine_fixture,  # noqa: F401 - the fixtures of this module
    fetch,
    import_url_fixture,  # noqa: F401
    lines,
    run_import,
    settings_fixture,  # noqa: F401
    xlsx,
)
from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, row_of
from tumbuh.config import Settings
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_maternal import ChildMonth
from tumbuh.growth.periods import month_period
from tumbuh.ingest.export import ExportInfo, write_layout_a
from tumbuh.usecases.exports import export_month

NAMES = "ABCDEFG"


def _file(folder: Path, *cells: tuple[object, object], day: str = "17/08/2024") -> Path:
    """One child per (Jml Vit A, KPSP), measured on ``day``."""
    folder.mkdir(exist_ok=True)
    rows = [
        row_of(LAYOUT_A, GOOD_A, NIK=f"36720157082200{i + 1:02d}", Nama=f"Siti {NAMES[i]}",
               Tanggal_Pengukuran=day, **{"Jml_Vit_A": vitamin, "KPSP": kpsp})
        for i, (vitamin, kpsp) in enumerate(cells)
    ]  # fmt: skip
    return xlsx(folder, "hasil.xlsx", LAYOUT_A, rows)


def _months(engine: Engine) -> list[tuple[object, ...]]:
    return fetch(
        engine, table_of(ChildMonth), "child_id", "month", "vitamin_a_given", "kpsp_result"
    )


def test_vitamin_a_and_kpsp_are_stored_in_the_childs_month(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    cells = [("1", "Sesuai"), ("0", "M"), (None, "penyimpangan"), ("2", None), (None, None)]
    result = run_import([_file(tmp_path, *cells)], engine, settings)
    assert result.ok, lines(result)
    stored = [(v, k) for _, _, v, k in _months(engine)]
    # the fifth child has neither: no month row
    assert stored == [(True, "sesuai"), (False, "meragukan"), (None, "penyimpangan"), (True, None)]
    assert {m for _, m, _, _ in _months(engine)} == {date(2024, 8, 1)}
    with engine.connect() as connection:
        audits = connection.execute(
            select(AuditEntry.action, AuditEntry.after, AuditEntry.import_run_id).where(
                AuditEntry.entity == "child_month"
            )
        ).all()
    assert len(audits) == 4
    assert all(a.action.value == "create" and a.import_run_id for a in audits)
    assert json.loads(audits[0].after)["month"] == "2024-08-01"


def test_an_unknown_kpsp_is_a_warning_and_the_row_is_imported(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    result = run_import([_file(tmp_path, ("1", "Baik"))], engine, settings)
    assert result.ok
    warnings = [line for line in lines(result) if line[2] == "KPSP"]
    assert [(line[1], line[3], line[4]) for line in warnings] == [(5, "Baik", "peringatan")]
    assert str(warnings[0][5]) == (
        "'Baik' bukan hasil KPSP; tulis Sesuai, Meragukan, atau Penyimpangan (atau S, M, P); "
        "nilai ini diabaikan"
    )
    assert [(v, k) for _, _, v, k in _months(engine)] == [(True, None)]


def test_a_reimport_keeps_the_kaders_answers_and_changes_only_what_the_file_gives(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    assert run_import([_file(tmp_path / "a", ("0", None))], engine, settings).ok
    table = table_of(ChildMonth)
    with engine.begin() as connection:
        connection.execute(table.update().values(complementary_feeding=True))
    again = run_import([_file(tmp_path / "b", ("1", "S"))], engine, settings)
    assert again.ok, lines(again)
    assert fetch(engine, table, "vitamin_a_given", "kpsp_result", "complementary_feeding") == [
        (True, "sesuai", True)
    ]
    with engine.connect() as connection:
        update = connection.execute(
            select(AuditEntry.before, AuditEntry.after).where(
                AuditEntry.entity == "child_month", AuditEntry.action == "update"
            )
        ).one()
    assert json.loads(update.before) == {"vitamin_a_given": False, "kpsp_result": None}
    assert json.loads(update.after) == {"vitamin_a_given": True, "kpsp_result": "sesuai"}
    same = run_import([_file(tmp_path / "c", ("1", "Sesuai"))], engine, settings)
    assert same.ok
    with engine.connect() as connection:
        count = len(
            connection.execute(
                select(AuditEntry.id).where(AuditEntry.entity == "child_month")
            ).all()
        )
    assert count == 2  # the same answers again: nothing written


def test_the_export_writes_vitamin_a_and_kpsp_back(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    cells = [("1", "Sesuai"), ("0", "Penyimpangan"), (None, None)]
    assert run_import([_file(tmp_path, *cells)], engine, settings).ok
    with engine.connect() as connection:
        export = export_month(
            connection, None, month_period(2024, 8), "36.72", "36.72", unmask=True
        )
    out = tmp_path / "agustus.xlsx"
    write_layout_a(
        export.rows, out, ExportInfo.now("2024-08", "Kota Cilegon", masked=False), unmask=True
    )
    sheet = openpyxl.load_workbook(out)["Hasil Pengukuran"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    vitamin, kpsp = header.index("Jml Vit A"), header.index("KPSP")
    assert sorted((r[1], r[vitamin], r[kpsp]) for r in rows) == [
        ("Siti A", 1, "Sesuai"),
        ("Siti B", 0, "Penyimpangan"),
        ("Siti C", None, None),
    ]
    with engine.begin() as connection:
        connection.execute(table_of(ChildMonth).delete())
    back = run_import([out], engine, settings)  # the measurements are there: only the months
    assert back.ok, lines(back)
    assert [(v, k) for _, _, v, k in _months(engine)] == [(True, "sesuai"), (False, "penyimpangan")]
