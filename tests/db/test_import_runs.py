"""Every import leaves a trace: one ``import_run`` row written with its data, its files
(name and SHA-256), the children it created and the audit rows it wrote linked to it,
and one audit row of its own; runs are reviewed afterwards within the viewer's area."""

import hashlib
import json
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select

from tests.db.test_imports_fixtures import (
    add_child,
    add_mother,
    counts,
    engine_fixture,  # noqa: F401 - the fixtures of this module
    fetch,
    import_url_fixture,  # noqa: F401
    run_import,
    settings_fixture,  # noqa: F401
    xlsx,
)
from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, row_of
from tumbuh.config import Settings
from tumbuh.db.import_runs import RunViewer, children_created, import_run, import_runs
from tumbuh.db.imports import Actor, ImportOutcome
from tumbuh.db.models import Child, ImportFile, ImportRun, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.growth.enums import Sex

CIBEBER = frozenset({"36.72.01.1004"})  # kelurahan Cikerai, where GOOD_A's rows are
CILEGON = frozenset({"36.72.02.1001"})  # another kecamatan
NEW_CHILD = {"NIK": None, "Nama": "Dewi Lestari", "Nama_Ortu": "Sari Indah"}


def _file(folder: Path) -> Path:
    """Siti Aminah (registered without NIK: the import attaches it) and Dewi Lestari
    (new, with a new mother); both in posyandu Melati 1 of Cikerai (new)."""
    rows = [row_of(LAYOUT_A, GOOD_A), row_of(LAYOUT_A, GOOD_A, **NEW_CHILD)]
    return xlsx(folder, "agustus.xlsx", LAYOUT_A, rows)


def _registered(engine: Engine) -> int:
    mother = add_mother(engine, "Ibu Rina Wati")
    return add_child(engine, "SITI AMINAH", date(2022, 8, 17), Sex.FEMALE, mother_id=mother)


def test_an_import_writes_one_run_with_who_and_what_it_added(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    _registered(engine)
    path = _file(tmp_path)
    result = run_import([path], engine, settings, actor=Actor("cli:budi"))
    assert result.outcome is ImportOutcome.IMPORTED
    r = table_of(ImportRun)
    [run] = fetch(engine, r, "id", "user_id", "actor", "rows_read", "rows_skipped",
                  "measurements_added", "children_added", "children_changed", "mothers_added",
                  "families_added", "posyandu_added")  # fmt: skip
    assert run == (result.import_run_id, None, "cli:budi", 2, 0, 2, 1, 1, 1, 2, 1)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert fetch(engine, table_of(ImportFile), "import_run_id", "file_name", "sha256") == [
        (run[0], "agustus.xlsx", digest)
    ]
    with engine.connect() as connection:
        started, finished = connection.execute(select(r.c.started_at, r.c.finished_at)).one()
    assert started <= finished


def test_the_run_links_its_children_and_audit_rows_and_audits_itself(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    registered = _registered(engine)
    path = _file(tmp_path)
    run_id = run_import([path], engine, settings, actor=Actor("cli:budi")).import_run_id
    c = table_of(Child)
    assert [row[1:] for row in fetch(engine, c, "id", "name", "import_run_id")] == [
        ("SITI AMINAH", None),  # registered before: completed, not created
        ("Dewi Lestari", run_id),
    ]
    audit = fetch(engine, table_of(AuditEntry), "entity", "entity_id", "action", "actor",
                  "import_run_id", "after")  # fmt: skip
    assert [row[:5] for row in audit if row[0] != "child_month"] == [
        ("child", registered, "update", "cli:budi", run_id),
        ("import", run_id, "create", "cli:budi", run_id),
    ]
    months = [row[:5] for row in audit if row[0] == "child_month"]  # Jml Vit A, KPSP
    assert months
    assert all(row[2:] == ("create", "cli:budi", run_id) for row in months)
    imported = next(row for row in audit if row[0] == "import")
    after = json.loads(imported[5])
    assert after == {
        "files": [
            {
                "name": "agustus.xlsx",
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "layout": "eppgbm-a",
                "rows": 2,
            }
        ],
        "rows_read": 2,
        "rows_skipped": 0,
        "measurements_added": 2,
        "children_added": 1,
        "children_changed": 1,
        "mothers_added": 1,
        "families_added": 2,  # Siti's family too: the row gives her address
        "posyandu_added": 1,
    }
    assert "3672015708220001" not in imported[5]  # no NIK, no name in the import's row
    assert "Dewi" not in imported[5]
    assert "SITI" not in imported[5]


def test_importing_again_adds_a_run_that_added_nothing(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    path = _file(tmp_path)
    first = run_import([path], engine, settings)
    again = run_import([path], engine, settings, actor=Actor("cli:ani"))
    assert again.import_run_id == (first.import_run_id or 0) + 1
    runs = fetch(engine, table_of(ImportRun), "id", "actor", "measurements_added",
                 "children_added")  # fmt: skip
    assert runs == [(first.import_run_id, "import", 2, 2), (again.import_run_id, "cli:ani", 0, 0)]
    files = fetch(engine, table_of(ImportFile), "import_run_id", "file_name", "row_count")
    assert files == [(first.import_run_id, "agustus.xlsx", 2), (again.import_run_id,
                     "agustus.xlsx", 0)]  # fmt: skip
    third = run_import([path], engine, settings)
    assert third.files_imported_before == ("agustus.xlsx",)  # still told: imported before


def test_a_blocked_import_and_a_dry_run_write_no_run(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    bad = xlsx(tmp_path, "salah.xlsx", LAYOUT_A, [row_of(LAYOUT_A, GOOD_A, Berat="10945")])
    blocked = run_import([bad], engine, settings)
    checked = run_import([_file(tmp_path)], engine, settings, dry_run_only=True)
    assert (blocked.outcome, blocked.import_run_id) == (ImportOutcome.BLOCKED, None)
    assert (checked.outcome, checked.import_run_id) == (ImportOutcome.DRY_RUN, None)
    assert counts(engine)["import_run"] == 0


def test_rows_skipped_are_counted_on_the_run(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    rows = [row_of(LAYOUT_A, GOOD_A), row_of(LAYOUT_A, GOOD_A, **NEW_CHILD, Berat="10945")]
    path = xlsx(tmp_path, "campur.xlsx", LAYOUT_A, rows)
    run_import([path], engine, settings, skip_invalid=True)
    assert fetch(engine, table_of(ImportRun), "rows_read", "rows_skipped",
                 "measurements_added") == [(2, 1, 1)]  # fmt: skip


def test_a_viewer_of_an_area_sees_the_runs_that_touched_it_and_her_own(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    by_admin = run_import([_file(tmp_path)], engine, settings, actor=Actor("dinkes", None))
    run_id = by_admin.import_run_id or 0
    with engine.connect() as connection:
        city, _ = import_runs(connection, RunViewer())
        cibeber, _ = import_runs(connection, RunViewer(CIBEBER, user_id=7))
        cilegon, total = import_runs(connection, RunViewer(CILEGON, user_id=7))
        hidden = import_run(connection, run_id, RunViewer(CILEGON, user_id=7))
        shown = import_run(connection, run_id, RunViewer(CIBEBER, user_id=7))
        listed, created = children_created(connection, run_id, RunViewer(CIBEBER, user_id=7))
        none, zero = children_created(connection, run_id, RunViewer(CILEGON, user_id=7))
    assert [r.id for r in city] == [r.id for r in cibeber] == [run_id]
    assert (cilegon, total, hidden) == ([], 0, None)
    assert shown is not None
    assert shown.in_area is not None
    assert (shown.in_area.children_created, shown.in_area.measurements_added) == (2, 2)
    assert [f.file_name for f in shown.files] == ["agustus.xlsx"]
    assert ([c.name for c in listed], created) == (["Siti Aminah", "Dewi Lestari"], 2)
    assert (none, zero) == ([], 0)
