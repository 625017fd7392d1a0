"""Reading an oedema cell of an e-PPGBM file, and its column's headers."""

import pytest

from tumbuh.ingest.layouts import HEADER_KEYS, Field
from tumbuh.ingest.tabular import normalise_header
from tumbuh.ingest.values import parse_oedema


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ya", True), ("Ya", True), (" YA ", True), ("y", True), ("1", True), (1, True),
        (1.0, True), ("true", True), (True, True),
        ("tidak", False), ("Tidak", False), ("t", False), ("0", False), (0, False),
        ("false", False), (False, False),
        ("mungkin", None), ("2", None), ("", None), ("yes", None),
    ],
)  # fmt: skip
def test_oedema_answers(raw: object, expected: bool | None) -> None:
    assert parse_oedema(raw) is expected


@pytest.mark.parametrize("header", ["Edema", "Oedema", "Bengkak", "EDEMA BILATERAL"])
def test_oedema_headers(header: str) -> None:
    assert HEADER_KEYS[normalise_header(header)] is Field.OEDEMA
