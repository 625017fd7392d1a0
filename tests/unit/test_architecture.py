"""The walls between the layers (docs/architecture.md), read from the source.

- ``growth`` imports nothing else of Tumbuh (and does no I/O: test_growth_purity.py);
- ``ingest`` (reading and writing files) imports no ``db``, ``usecases``, ``web``, ``cli``
  or ``reports``;
- ``db`` (persistence) imports no ``usecases``, ``web``, ``cli`` or ``reports``;
- ``reports`` (drawing documents from plain data) imports no ``db``, ``usecases``, ``web``
  or ``cli``;
- ``usecases`` imports no ``web`` or ``cli``;
- ``web`` and ``cli`` (the adapters) import nothing of ``db``, and of SQLAlchemy only the
  ``Connection`` and ``Engine`` types; they run no statement (no ``execute``, ``scalar``,
  ``commit``... on a connection): every read and write goes through a use case, which
  applies the user's scope.

The checks walk each module's syntax tree: every import (also inside functions and
``TYPE_CHECKING`` blocks) and every call of a statement method. The last tests feed the
checker one forbidden line each, so the walls cannot pass by checking nothing.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import tumbuh

PACKAGE = Path(tumbuh.__file__).parent
LAYERS = ("growth", "ingest", "db", "reports", "usecases", "web", "cli")
FORBIDDEN: dict[str, frozenset[str]] = {
    "growth": frozenset(),  # nothing but itself: see _crosses
    "ingest": frozenset({"db", "usecases", "web", "cli", "reports"}),
    "db": frozenset({"usecases", "web", "cli", "reports"}),
    "reports": frozenset({"db", "usecases", "web", "cli"}),
    "usecases": frozenset({"web", "cli"}),
    "web": frozenset({"db", "cli"}),
    "cli": frozenset({"db", "web"}),
}
ADAPTERS = frozenset({"web", "cli"})
SQLALCHEMY_TYPES = frozenset({"Connection", "Engine"})
# Methods of a SQLAlchemy Connection/Engine/Session that run or end a statement.
STATEMENT_METHODS = frozenset(
    {
        "execute",
        "exec_driver_sql",
        "scalar",
        "scalars",
        "scalar_one",
        "scalar_one_or_none",
        "commit",
        "rollback",
        "begin",
        "begin_nested",
        "connect",
    }
)


@dataclass(frozen=True)
class Breach:
    """One line that crosses a wall."""

    module: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.what}"


def _imported(node: ast.Import | ast.ImportFrom, module: str) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for one import statement of ``module``."""
    if isinstance(node, ast.Import):
        return [(alias.name, []) for alias in node.names]
    names = [alias.name for alias in node.names]
    if node.level:  # relative: resolve against the importing module's package
        base = module.split(".")[: -node.level]
        return [(".".join([*base, *([node.module] if node.module else [])]), names)]
    return [(node.module or "", names)]


def _crosses(layer: str, imported: str) -> bool:
    """True when a module of ``layer`` may not import the top-level ``imported``."""
    if layer == "growth":
        return imported != "growth"
    return imported in FORBIDDEN.get(layer, frozenset())


def breaches(source: str, module: str) -> list[Breach]:
    """Every wall ``source`` (the text of ``module``, e.g. ``tumbuh.web.app``) crosses."""
    layer = module.split(".")[1] if module.count(".") >= 1 else ""
    found: list[Breach] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for target, names in _imported(node, module):
                parts = target.split(".")
                if parts[0] == "tumbuh" and len(parts) > 1 and _crosses(layer, parts[1]):
                    found.append(Breach(module, node.lineno, f"imports {target}"))
                if layer in ADAPTERS and parts[0] == "sqlalchemy":
                    extra = sorted(set(names) - SQLALCHEMY_TYPES) if names else [target]
                    if target != "sqlalchemy" or extra:
                        found.append(Breach(module, node.lineno, f"imports {target} {extra}"))
        if (
            layer in ADAPTERS
            and isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in STATEMENT_METHODS
        ):
            found.append(Breach(module, node.lineno, f"calls .{node.func.attr}()"))
    return found


def tumbuh_modules() -> list[tuple[str, Path]]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        modules.append((".".join(("tumbuh", *parts)), path))
    return modules


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_keeps_to_its_walls(layer: str) -> None:
    found = [
        str(breach)
        for module, path in tumbuh_modules()
        if module.split(".")[1] == layer
        for breach in breaches(path.read_text(encoding="utf-8"), module)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("tumbuh.web.pages", "from sqlalchemy import select"),
        ("tumbuh.web.pages", "from sqlalchemy import Connection, text"),
        ("tumbuh.web.pages", "import sqlalchemy.orm"),
        ("tumbuh.web.pages", "from tumbuh.db.models import Child"),
        ("tumbuh.web.children.pages", "from ...db import models"),
        ("tumbuh.cli.report", "def f(c):\n    return c.execute(q)"),
        ("tumbuh.cli.report", "def f(c):\n    c.exec_driver_sql('DELETE FROM child')"),
        ("tumbuh.web.pages", "def f(c):\n    c.commit()"),
        ("tumbuh.reports.pdf", "from tumbuh.db.semester import SemesterData"),
        ("tumbuh.ingest.checks", "from tumbuh.db import models"),
        ("tumbuh.db.children", "from tumbuh.usecases.access import Scope"),
        ("tumbuh.growth.scores", "import tumbuh.config"),
        ("tumbuh.usecases.registry", "from tumbuh.web.deps import Viewer"),
        ("tumbuh.web.pages", "if TYPE_CHECKING:\n    from tumbuh.db.users import UserInfo"),
    ],
)
def test_checker_sees_a_single_breach(module: str, line: str) -> None:
    assert len(breaches(line, module)) == 1


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("tumbuh.web.pages", "from sqlalchemy import Connection, Engine"),
        ("tumbuh.web.pages", "from tumbuh.usecases.access import Scope"),
        ("tumbuh.cli.report", "from tumbuh.growth.periods import Period"),
        ("tumbuh.usecases.registry", "from tumbuh.db.children import lock_child"),
        ("tumbuh.db.children", "def f(c):\n    return c.execute(q)"),
    ],
)
def test_checker_lets_the_allowed_pass(module: str, line: str) -> None:
    assert breaches(line, module) == []
