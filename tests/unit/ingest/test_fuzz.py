"""Random cells never crash the import: every row ends up ready or with an error line."""

import math
import string
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, grid, row_of, write_csv, write_xlsx
from tests.unit.ingest.wilayah import cilegon_regions
from tumbuh.i18n import Language
from tumbuh.ingest import check_files
from tumbuh.ingest.report import ImportReport, Severity
from tumbuh.ingest.values import parse_date, parse_nik, parse_number, parse_position, parse_sex

TODAY = date(2024, 9, 1)
REGIONS = cilegon_regions()
# Text people type into these columns, slips included.
TYPED = st.one_of(
    st.text(alphabet=string.digits + ".,-+eE /:", max_size=18),
    st.text(max_size=12),
    st.sampled_from(
        ["999.99", "83..9", "10.7 it", "3.67E+15", "#N/A", "-", "31/02/2024", "Berdiri", "L"]
    ),
)
ANY_CELL = st.one_of(
    st.none(),
    TYPED,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 2), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2100, 1, 1)),
    st.times(),
    st.timedeltas(min_value=timedelta(days=-1000), max_value=timedelta(days=1000)),
)


@given(ANY_CELL)
def test_cell_parsers_take_any_cell(cell: object) -> None:
    parse_number(cell)
    parse_date(cell)
    parse_nik(cell)
    parse_sex(cell)
    parse_position(cell)


def _every_row_is_accounted_for(report: ImportReport, ready: set[int]) -> None:
    errors = {line.row for line in report.lines if line.severity is Severity.ERROR}
    assert report.rows_valid + len({r for r in errors if r is not None}) >= report.rows_read
    assert not ready & errors
    for line in report.lines:
        line.cells(Language.ID)  # every message renders, with all its placeholders
        line.cells(Language.EN)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(st.sampled_from(LAYOUT_A), TYPED, max_size=8), max_size=6))
def test_random_text_in_a_csv_never_crashes(changes: list[dict[str, str]]) -> None:
    rows = [row_of(LAYOUT_A, GOOD_A, **{k.replace(" ", "_"): v for k, v in c.items()})
            for c in changes]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "acak.csv", grid(LAYOUT_A, rows))
        batch, report = check_files([path], REGIONS, today=TODAY)
    _every_row_is_accounted_for(report, {r.row for r in batch.rows})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(LAYOUT_A),
            ANY_CELL.filter(lambda c: not isinstance(c, time | timedelta)),
            max_size=8,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_random_typed_cells_in_an_xlsx_never_crash(changes: list[dict[str, object]]) -> None:
    rows = [row_of(LAYOUT_A, GOOD_A, **{k.replace(" ", "_"): v for k, v in c.items()})
            for c in changes]  # fmt: skip
    # xlsx has no NaN or infinity: such cells are written empty.
    rows = [[None if isinstance(v, float) and not math.isfinite(v) else v for v in r]
            for r in rows]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(Path(folder) / "acak.xlsx", grid(LAYOUT_A, rows))
        batch, report = check_files([path], REGIONS, today=TODAY)
    _every_row_is_accounted_for(report, {r.row for r in batch.rows})


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_are_a_report_line_not_a_traceback(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "acak.xls"
        path.write_bytes(data)
        batch, report = check_files([path], REGIONS, today=TODAY)
    assert batch.rows == ()
    for line in report.lines:
        line.cells(Language.ID)
