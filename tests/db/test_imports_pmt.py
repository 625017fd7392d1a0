"""e-PPGBM's PMT Diterima (kg): stored with the cell as written, compared on re-import only
when both sides have an amount, and written back by the export (SQLite and PostgreSQL)."""

from pathlib import Path

from sqlalchemy import Engine, update

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
from tumbuh.db.models import Measurement, table_of

PMT = "PMT Diterima (kg)"


def _file(folder: Path, *amounts: object) -> Path:
    folder.mkdir(exist_ok=True)
    rows = [
        row_of(LAYOUT_A, GOOD_A, NIK=f"36720157082200{i + 1:02d}", Nama=f"Siti {'ABCDEFG'[i]}",
               **{"PMT_Diterima_(kg)": amount})
        for i, amount in enumerate(amounts)
    ]  # fmt: skip
    return xlsx(folder, "hasil.xlsx", LAYOUT_A, rows)


def test_the_pmt_amount_and_its_cell_are_stored(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    result = run_import([_file(tmp_path, "1,5", 2.25, None, "0")], engine, settings)
    assert result.ok, lines(result)
    stored = fetch(
        engine, table_of(Measurement), "import_row", "pmt_received_kg", "pmt_received_raw"
    )
    assert stored == [(5, 1.5, "1,5"), (6, 2.25, "2.25"), (7, None, None), (8, 0.0, "0")]


def test_an_unreadable_pmt_amount_blocks_the_import_with_a_row_error(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    result = run_import([_file(tmp_path, "1,5", "1200")], engine, settings)
    assert not result.ok
    errors = [line for line in lines(result) if line[4] == "error"]
    assert [(line[1], line[2], line[3]) for line in errors] == [(6, PMT, "1200")]
    assert "tulis 1,2" in str(errors[0][5])
    assert fetch(engine, table_of(Measurement), "id") == []


def test_a_reimport_conflicts_only_with_another_stored_amount(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    assert run_import([_file(tmp_path / "a", "1,5")], engine, settings).ok
    same = run_import([_file(tmp_path / "b", "1.5")], engine, settings)
    assert (same.counts.rows_already_present, same.counts.conflicts) == (1, 0)
    empty = run_import([_file(tmp_path / "c", None)], engine, settings)
    assert (empty.counts.rows_already_present, empty.counts.conflicts) == (1, 0)
    other = run_import([_file(tmp_path / "d", "2")], engine, settings)
    assert not other.ok
    assert [(d.field, d.in_file, d.stored) for d in other.conflicts[0].differences] == [
        ("pmt_received_kg", 2.0, 1.5)
    ]
    errors = [line for line in lines(other) if line[4] == "error"]
    assert [(line[1], line[2], line[3]) for line in errors] == [(5, PMT, "2")]
    assert "(PMT Diterima (kg) 1,5; diimpor dari hasil.xlsx, baris 5)" in str(errors[0][5])
    # A measurement stored before the amount was kept has none: the same file is present.
    with engine.begin() as connection:
        m = table_of(Measurement)
        connection.execute(update(m).values(pmt_received_kg=None, pmt_received_raw=None))
    before = run_import([_file(tmp_path / "e", "2")], engine, settings)
    assert (before.counts.rows_already_present, before.counts.conflicts) == (1, 0)
    assert fetch(engine, table_of(Measurement), "pmt_received_kg") == [(None,)]
