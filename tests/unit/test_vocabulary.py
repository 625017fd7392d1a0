"""One concept, one definition (issue 12): WHO's constants and the balita limit are written
down once, in growth, and imported everywhere else.

``PENDING`` lists the files that still repeat one, to be switched to the constant of
growth; the list may only shrink: a new repeat anywhere else fails.
"""

import ast
from pathlib import Path

import tumbuh

SOURCE = Path(tumbuh.__file__).parent
# WHO anthro's average month (and year), and the first day measured standing.
WHO_NUMBERS = {30.4375: "DAYS_PER_MONTH", 365.25: "DAYS_PER_YEAR", 731: "LENGTH_HEIGHT_SWITCH_DAYS"}
HOME = {"growth/who2006.py"}
ONE_DEFINITION = {"BALITA_MONTHS": "growth/ages.py", "WHO_FLAG_LIMITS": "growth/who2006.py"}
PENDING: set[str] = set()  # files still to switch: none left


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (path.relative_to(SOURCE).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(SOURCE.rglob("*.py"))
    ]


def test_who_numbers_are_written_only_where_they_are_defined() -> None:
    repeats = [
        f"{name}:{node.lineno}: {node.value} (use {WHO_NUMBERS[node.value]})"
        for name, tree in _modules()
        if name not in HOME | PENDING
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
        and node.value in WHO_NUMBERS
    ]
    assert not repeats


def test_shared_names_are_defined_once() -> None:
    definitions = [
        f"{name}:{node.lineno}: {target.id}"
        for name, tree in _modules()
        if name not in PENDING
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
        and target.id in ONE_DEFINITION
        and ONE_DEFINITION[target.id] != name
    ]
    assert not definitions
