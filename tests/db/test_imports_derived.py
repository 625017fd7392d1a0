"""The import's derived values are the ones ``tumbuh db recompute`` stores for the same
database (issue 12: one write path), for new children and for registered children whose
stored measurements hold a head circumference and oedema."""

from pathlib import Path

from sqlalchemy import Engine, select, update

from tests.db.derived_rows import stored_and_recomputed
from tests.db.test_imports_fixtures import (
    engine_fixture,  # noqa: F401 - the fixtures of this module
    import_url_fixture,  # noqa: F401
    run_import,
    settings_fixture,  # noqa: F401
    xlsx,
)
from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, row_of
from tumbuh.config import Settings
from tumbuh.db.imports import ImportOutcome
from tumbuh.db.models import Child, Measurement, table_of

OTHER = {"NIK": None, "Nama": "Dewi Lestari", "Tgl_Lahir": "03/02/2023", "Usia_Saat_Ukur": None}


def child_ids(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.execute(select(table_of(Child).c.id)).scalars())


def test_an_import_of_new_children_stores_what_a_recompute_stores(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    rows = [
        row_of(LAYOUT_A, GOOD_A, Tanggal_Pengukuran="17/07/2024", Berat="10,5"),
        row_of(LAYOUT_A, GOOD_A),
        row_of(LAYOUT_A, GOOD_A, **OTHER),
    ]
    result = run_import([xlsx(tmp_path, "juli.xlsx", LAYOUT_A, rows)], engine, settings)
    assert result.outcome is ImportOutcome.IMPORTED
    children = child_ids(engine)
    stored, recomputed = stored_and_recomputed(engine, children)
    assert (len(children), len(stored)) == (2, 3)
    assert all(stored.values())
    assert stored == recomputed


def test_an_import_for_a_registered_child_keeps_its_head_circumference_and_oedema(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    july = row_of(LAYOUT_A, GOOD_A, Tanggal_Pengukuran="17/07/2024", Berat="10,5")
    run_import([xlsx(tmp_path, "juli.xlsx", LAYOUT_A, [july])], engine, settings)
    m = table_of(Measurement)
    with engine.begin() as connection:
        connection.execute(update(m).values(head_circumference_cm=47.5, oedema=True))
    august = xlsx(tmp_path, "agustus.xlsx", LAYOUT_A, [row_of(LAYOUT_A, GOOD_A)])
    assert run_import([august], engine, settings).outcome is ImportOutcome.IMPORTED
    stored, recomputed = stored_and_recomputed(engine, child_ids(engine))
    assert len(stored) == 2
    assert [stored[i]["hcz"] is not None for i in sorted(stored)] == [True, False]
    assert stored == recomputed
