"""Random cells through the whole import, into a database that keeps what earlier examples
wrote: never a crash, every row accounted for, and the counts match what was written."""

import math
import string
import tempfile
from datetime import date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from tests.db.test_imports_fixtures import (
    counts,
    engine_fixture,  # noqa: F401 - the fixtures of this module
    import_url_fixture,  # noqa: F401
    run_import,
    settings_fixture,  # noqa: F401
)
from tests.unit.ingest.builders import GOOD_A, GOOD_B, LAYOUT_A, LAYOUT_B, grid, row_of, write_xlsx
from tumbuh.config import Settings
from tumbuh.db.imports import ImportOutcome
from tumbuh.i18n import Language

# Cells as people type them, slips included, and values close to the good ones so that
# some rows import and meet each other (same child, same date, other values).
TYPED = st.one_of(
    st.text(alphabet=string.digits + ".,-+eE /:*", max_size=18),
    st.text(max_size=120),
    st.sampled_from(
        ["999.99", "83..9", "10.7 it", "3.67E+15", "#N/A", "-", "Berdiri", "L", "P",
         "Posy. Melati 01", "Kenanga", "Cikerai", "Gerem", "Grogol", "10,9", "11,2", "84,5",
         "3672015708220001", "3672015708220009", "17/07/2024", "17/08/2024", "Rina Wati",
         "Siti Aminah", "S*** A***", "367201**********"]
    ),
)  # fmt: skip
CELL = st.one_of(
    st.none(),
    TYPED,
    st.floats(min_value=-1e6, max_value=1e17),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1)),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1)),
)
LAYOUTS = {"A": (LAYOUT_A, GOOD_A), "B": (LAYOUT_B, GOOD_B)}


def _rows(layout: str, changes: list[dict[str, object]]) -> list[list[object]]:
    header, good = LAYOUTS[layout]
    rows = [row_of(header, good, **{k.replace(" ", "_"): v for k, v in c.items()})
            for c in changes]  # fmt: skip
    return [[None if isinstance(v, float) and not math.isfinite(v) else v for v in r]
            for r in rows]  # fmt: skip


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    layout=st.sampled_from(sorted(LAYOUTS)),
    changes=st.lists(
        st.dictionaries(st.sampled_from(sorted(set(LAYOUT_A) | set(LAYOUT_B))), CELL, max_size=6),
        min_size=1,
        max_size=5,
    ),
    skip_invalid=st.booleans(),
)
def test_random_cells_never_crash_the_import(
    engine: Engine,
    settings: Settings,
    layout: str,
    changes: list[dict[str, object]],
    skip_invalid: bool,
) -> None:
    header, _ = LAYOUTS[layout]
    changes = [{k: v for k, v in c.items() if k in header} for c in changes]
    before = counts(engine)["measurement"]
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(Path(folder) / "acak.xlsx", grid(header, _rows(layout, changes)))
        result = run_import([path], engine, settings, skip_invalid=skip_invalid)
    c = result.counts
    valid = c.rows_ready + c.rows_already_present + c.rows_repeated
    assert c.rows_read == c.rows_with_errors + valid
    assert counts(engine)["measurement"] == before + c.rows_imported
    if result.outcome is ImportOutcome.BLOCKED:
        assert c.rows_imported == 0
        assert result.report.has_errors
    else:
        assert c.rows_imported == c.rows_ready
    for line in result.report.lines:  # every message renders, with all its placeholders
        line.cells(Language.ID)
        line.cells(Language.EN)
