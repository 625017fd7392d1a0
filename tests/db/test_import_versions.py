"""An import that completes a registered child moves the child's version on, so an edit
form opened before the import cannot put back what the import filled in
(docs/security.md, section 5)."""

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from tests.db.test_imports_fixtures import (
    add_child,
    add_mother,
    engine_fixture,  # noqa: F401 - the fixtures of this module
    fetch,
    import_url_fixture,  # noqa: F401
    run_import,
    settings_fixture,  # noqa: F401
    xlsx,
)
from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, row_of
from tumbuh.config import Settings
from tumbuh.db.models import Child, table_of
from tumbuh.growth.enums import Sex


def test_a_child_completed_by_an_import_is_at_a_new_version(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    mother = add_mother(engine, "Ibu Rina Wati")
    child = add_child(engine, "SITI AMINAH", date(2022, 8, 17), Sex.FEMALE, mother_id=mother)
    other = add_child(engine, "Anak Lain", date(2022, 1, 1), Sex.MALE)
    result = run_import([xlsx(tmp_path, "hasil.xlsx", LAYOUT_A, [row_of(LAYOUT_A, GOOD_A)])],
                        engine, settings)  # fmt: skip
    assert result.counts.niks_attached == 1
    assert fetch(engine, table_of(Child), "id", "version") == [(child, 2), (other, 1)]
