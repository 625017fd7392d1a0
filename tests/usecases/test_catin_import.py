"""Importing a catin list (docs/catin.md, "Importing a list") on both databases: a good
CSV and a good .xlsx read back, bad rows each named (row, column, value, what is
accepted; never the NIK), a formula cell refused, an oversized file refused unread, all
or nothing written, the import audited as an import run, another area refused."""

import csv
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select

from tumbuh.config import Settings
from tumbuh.db.audit import Actor
from tumbuh.db.models import ImportFile, ImportRun, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_maternal import Catin
from tumbuh.db.setup import upgrade_database
from tumbuh.ingest.limits import FileLimitError
from tumbuh.usecases.access import NotAllowed, Role, Scope
from tumbuh.usecases.cases import COMMAND_LINE_SCOPE
from tumbuh.usecases.catin_import import CatinImportResult, import_catin

TODAY = date(2024, 9, 1)
ACTOR = Actor("cli:test")
HEADER = [
    "NIK",
    "Nama",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Kode Kelurahan",
    "Tanggal Rencana Nikah",
    "Tanggal Daftar",
    "Tanggal Skrining",
    "LiLA",
    "Hb",
    "BB",
    "TB",
    "Tindak Lanjut",
    "Tanggal Tindak Lanjut",
]
BRIDE = [
    "3672014101990002",
    "Rina Marlina",
    "P",
    "02/03/1999",
    "36.72.01.1001",
    "16/11/2024",
    "12/08/2024",
    "14/08/2024",
    "22,0",
    "11,5",
    "48",
    "156",
    "TTD dan PMT catin",
    "20/08/2024",
]
GROOM = [
    "",
    "Budi Santoso",
    "L",
    "1996-07-21",
    "36.72.01.1001",
    "2024-11-16",
    "2024-08-12",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
]


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def write_csv(path: Path, rows: Sequence[Sequence[object]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out, delimiter=";").writerows([header, *rows])
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], header: list[str] = HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Daftar Catin Kota Cilegon"])  # a title line above the header
    for row in (header, *rows):
        sheet.append(list(row))
    book.save(path)
    return path


def run(
    engine: Engine, path: Path, scope: Scope = COMMAND_LINE_SCOPE, **options: object
) -> CatinImportResult:
    settings = Settings(database_url=str(engine.url), city_code="36.72", language="id")
    settings = settings.model_copy(update=options.pop("settings", {}))  # type: ignore[arg-type]
    with engine.connect() as connection:
        return import_catin(
            connection,
            ACTOR,
            scope,
            path,
            settings=settings,
            today=TODAY,
            **options,  # type: ignore[arg-type]
        )


def count(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table_of(model))) or 0)


def test_a_good_csv_is_imported_with_screening_and_follow_up(
    engine: Engine, tmp_path: Path
) -> None:
    result = run(engine, write_csv(tmp_path / "catin.csv", [BRIDE, GROOM]))
    assert (result.imported, result.added, result.problems) == (True, 2, ())
    with engine.connect() as connection:
        t = table_of(Catin)
        stored = connection.execute(select(t).order_by(t.c.id)).all()
        audit = table_of(AuditEntry)
        entries = connection.execute(
            select(audit.c.entity, audit.c.after, audit.c.import_run_id).order_by(audit.c.id)
        ).all()
    bride, groom = stored
    assert (bride.nik, bride.birth_date, bride.muac_cm, bride.hb_g_dl) == (
        "3672014101990002",
        date(1999, 3, 2),
        22.0,
        11.5,
    )
    assert (bride.follow_up, bride.follow_up_on) == ("TTD dan PMT catin", date(2024, 8, 20))
    assert (groom.nik, groom.sex, groom.screened_on) == (None, "male", None)
    assert [e.entity for e in entries] == ["catin", "catin", "import"]
    assert {e.import_run_id for e in entries} == {result.run_id}
    assert "3672014101990002" not in "".join(str(e.after) for e in entries)
    assert count(engine, ImportRun) == 1
    assert count(engine, ImportFile) == 1


def test_an_xlsx_below_a_title_line_reads_back_the_same(engine: Engine, tmp_path: Path) -> None:
    bride: list[object] = [*BRIDE]
    bride[3] = date(1999, 3, 2)  # a real date cell
    bride[8] = 22.0  # a real number cell
    result = run(engine, write_xlsx(tmp_path / "catin.xlsx", [bride, GROOM]))
    assert (result.imported, result.added) == (True, 2)
    with engine.connect() as connection:
        t = table_of(Catin)
        found = connection.execute(
            select(t.c.name, t.c.birth_date, t.c.muac_cm).order_by(t.c.id)
        ).all()
    assert [tuple(r) for r in found] == [
        ("Rina Marlina", date(1999, 3, 2), 22.0),
        ("Budi Santoso", date(1996, 7, 21), None),
    ]


def test_bad_rows_are_each_named_and_nothing_is_written(engine: Engine, tmp_path: Path) -> None:
    bad_lila = [*BRIDE[:8], "2,2", *BRIDE[9:]]
    bad_nik = ["36720141019900", *BRIDE[1:]]
    bad_sex = [*GROOM[:2], "X", *GROOM[3:]]
    bad_day = [*GROOM[:5], "31/02/2024", *GROOM[6:]]
    unknown = [*GROOM[:4], "36.72.09.9999", *GROOM[5:]]
    path = write_csv(tmp_path / "catin.csv", [GROOM, bad_lila, bad_nik, bad_sex, bad_day])
    result = run(engine, path)
    messages = [str(p) for p in result.problems]
    assert not result.imported
    assert messages == [
        "Row 3, column 'LiLA': '2,2' is not accepted; write a number from 10 to 50",
        "Row 4, column 'NIK': a NIK has 16 digits and nothing else; 14 digits were found (the "
        "value is not shown). Leave it empty when it is not known",
        "Row 5, column 'Jenis Kelamin': 'X' is not accepted; write L or P",
        "Row 6, column 'Tanggal Rencana Nikah': '31/02/2024' is not a date; write it as "
        "DD/MM/YYYY, for example 16/11/2024",
    ]
    assert "36720141019900" not in " ".join(messages)
    placed = run(engine, write_csv(tmp_path / "place.csv", [GROOM, unknown]))
    assert [str(p) for p in placed.problems] == [
        "Row 3, column 'Kode Kelurahan': '36.72.09.9999' is not a kelurahan of this city; "
        "write its code (for example 36.72.01.1001) or its name as the region list has it"
    ]
    assert count(engine, Catin) == 0
    assert count(engine, ImportRun) == 0


def test_a_formula_cell_is_refused_in_csv_and_xlsx(engine: Engine, tmp_path: Path) -> None:
    hostile = [*GROOM[:1], '=HYPERLINK("http://x","Budi")', *GROOM[2:]]
    in_csv = run(engine, write_csv(tmp_path / "catin.csv", [hostile]))
    formula = [*BRIDE[:10], "=40+8", *BRIDE[11:]]
    in_xlsx = run(engine, write_xlsx(tmp_path / "catin.xlsx", [formula]))
    assert [str(p) for p in in_csv.problems] == [
        "Row 2, column 'Nama': the cell holds a formula; Tumbuh does not read formulas. "
        "Write the value itself (copy, then paste values only)"
    ]
    assert [p.params["column"] for p in in_xlsx.problems] == ["BB"]
    assert [p.row for p in in_xlsx.problems] == [3]
    assert count(engine, Catin) == 0


def test_an_oversized_file_is_refused_unread(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "big.csv", [GROOM] * 20_000)  # over 1 MB
    with pytest.raises(FileLimitError):
        run(engine, path, settings={"import_max_file_mb": 1})
    assert count(engine, Catin) == 0


def test_the_same_file_twice_and_a_taken_nik_are_refused(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "catin.csv", [BRIDE])
    assert run(engine, path).imported
    again = run(engine, path)
    assert next(p.template.split(":")[1].strip() for p in again.problems).startswith("this file")
    other = write_csv(tmp_path / "other.csv", [[*BRIDE[:1], "Rina", *BRIDE[2:]]])
    taken = run(engine, other)
    assert [p.params.get("column") for p in taken.problems] == ["NIK"]
    assert count(engine, Catin) == 1


def test_another_areas_rows_and_a_tpk_are_refused(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "catin.csv", [BRIDE])
    ciwaduk = Scope(Role.BIDAN, frozenset({"36.72.02.1005"}), None, True, True, False, False, False)
    refused = run(engine, path, ciwaduk)
    assert [str(p) for p in refused.problems] == [
        "Row 2, column 'Kode Kelurahan': '36.72.01.1001' is not in your area"
    ]
    tpk = Scope(Role.TPK, None, None, True, False, False, False, False)
    with pytest.raises(NotAllowed):
        run(engine, path, tpk)
    by_name = [*GROOM[:4], "", *GROOM[5:]]
    header = [h if h != "Kode Kelurahan" else "Kelurahan" for h in HEADER]
    by_name[4] = "Cibeber"
    named = run(engine, write_csv(tmp_path / "named.csv", [by_name], header))
    assert named.imported
    assert json.dumps(named.problems) == "[]"
