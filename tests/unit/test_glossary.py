"""Every code name docs/glossary.md gives exists in the code.

The glossary's "code identifier" column is the vocabulary of the code; a name there that the
code does not have is a glossary that lies. Checked, for each name in backticks in that
column (and every ``tumbuh.``-dotted path anywhere in the glossary):

* a dotted path from ``tumbuh`` is importable (its module, then attributes);
* ``Class.member`` is a class of that name with that member (field, enum member, method,
  property); ``module.name`` a module ending so that defines the name;
* a plain name is defined somewhere in ``src/tumbuh`` (class, function, constant, field,
  parameter, module), or is a string the code uses (a table, column or setting name);
* ``tumbuh <command>`` and ``--option`` are commands and options of the ``tumbuh`` command.

Only where a name lives is deliberately loose, so that moving a module does not break the
glossary; a name that exists nowhere does.
"""

import ast
import importlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer

import tumbuh
from tumbuh.config import ENV_PREFIX, Settings

GLOSSARY = Path(__file__).parents[2] / "docs" / "glossary.md"
SOURCE = Path(tumbuh.__file__).parent
CODE_COLUMN = 3  # | term | meaning | code identifier | UI label |

_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
_DOTTED = re.compile(rf"^\.?{_IDENTIFIER}(?:\.{_IDENTIFIER})*$")
_CALL = re.compile(rf"^({_IDENTIFIER})\(([^()]*)\)$")
_ALTERNATIVES = re.compile(
    rf"^({_IDENTIFIER}(?:\.{_IDENTIFIER})*)\.({_IDENTIFIER}(?:/{_IDENTIFIER})+)$"
)
_WILDCARD = re.compile(rf"^({_IDENTIFIER}(?:\.{_IDENTIFIER})*)\.\*$")
_CODE_SPAN = re.compile(r"`([^`]+)`")


@dataclass
class CodeIndex:
    """The names ``src/tumbuh`` defines, read with ``ast`` (no import needed)."""

    modules: set[str] = field(default_factory=set)  # dotted, without the "tumbuh." prefix
    module_names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    class_members: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    names: set[str] = field(default_factory=set)  # every defined name, anywhere

    def has_module(self, dotted: str) -> bool:
        """A module whose dotted path ends with ``dotted`` (``reports.tables``)."""
        return any(m == dotted or m.endswith(f".{dotted}") for m in self.modules)

    def module_defines(self, dotted: str, name: str) -> bool:
        return any(
            name in names
            for module, names in self.module_names.items()
            if module == dotted or module.endswith(f".{dotted}")
        )


def _targets(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.Tuple | ast.List):
        return [name for item in node.elts for name in _targets(item)]
    return []


def _defined(statement: ast.stmt) -> list[str]:
    """The names one statement of a module or class body defines."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [statement.name]
    if isinstance(statement, ast.Assign):
        return [name for target in statement.targets for name in _targets(target)]
    if isinstance(statement, ast.AnnAssign | ast.AugAssign):
        return _targets(statement.target)
    return []


@cache
def code_index() -> CodeIndex:
    index = CodeIndex()
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if module:
            index.modules.add(module)
            index.names.update(module.split("."))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for statement in tree.body:
            index.module_names[module].update(_defined(statement))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    index.class_members[node.name].update(_defined(statement))
            if isinstance(node, ast.stmt):
                index.names.update(_defined(node))
            index.names.update(_bound(node))
    return index


def _bound(node: ast.AST) -> list[str]:
    """A parameter, keyword argument or attribute assigned to; or a string that looks like
    a name (tables, columns and settings are named by strings)."""
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.keyword):
        return [node.arg] if node.arg else []
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
        return [node.attr]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if re.fullmatch(_IDENTIFIER, node.value) else []
    return []


@cache
def cli_words() -> tuple[frozenset[str], frozenset[str]]:
    """Every ``tumbuh`` command path (``tumbuh report semester``) and every option."""
    cli = importlib.import_module("tumbuh.cli")
    cli.register_commands()
    commands: set[str] = set()
    options: set[str] = set()

    def walk(command: Any, path: str) -> None:  # Typer's own click: read by duck typing
        commands.add(path)
        for parameter in command.params:
            options.update(getattr(parameter, "opts", []))
            options.update(getattr(parameter, "secondary_opts", []))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(cli.app), "tumbuh")
    return frozenset(commands), frozenset(options)


def _importable(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def _outside_python(name: str) -> bool:
    """A ``tumbuh`` command, one of its options, or a setting's environment variable."""
    if name.startswith("tumbuh "):
        return name in cli_words()[0]
    if name.startswith("--"):
        return name in cli_words()[1]
    return name.removeprefix(ENV_PREFIX).lower() in Settings.model_fields


def _in_source(name: str) -> bool:
    """A plain name, ``Class.member`` or ``module.name`` that ``src/tumbuh`` defines."""
    index = code_index()
    if "." not in name:
        return name in index.names
    head, member = name.rsplit(".", 1)
    if member in index.class_members.get(head.rsplit(".", 1)[-1], set()):
        return True
    return index.module_defines(head, member) or index.has_module(name)


def exists(name: str) -> bool:
    """Whether the code has the (expanded, absolute) code name ``name``."""
    if name.startswith(("tumbuh ", "--", ENV_PREFIX)):
        return _outside_python(name)
    if name == "tumbuh" or name.startswith("tumbuh."):
        return _importable(name)
    return _in_source(name)


def expand(span: str, previous: str | None) -> list[str]:
    """The code names in one backticked span (``[]`` for one that names no code).

    ``.MEMBER`` continues the class of the span before it; ``X.A/B`` is ``X.A`` and
    ``X.B``; ``X.*`` is ``X``; ``Name(a, b)`` is the class and its fields.
    """
    text = span.strip()
    if text.startswith(".") and previous is not None:
        text = previous.rsplit(".", 1)[0] + text
    if re.fullmatch(r"tumbuh( [a-z][a-z-]*)+", text) or re.fullmatch(r"--[a-z][a-z-]*", text):
        return [text]
    if match := _WILDCARD.match(text):
        return [match[1]]
    if match := _ALTERNATIVES.match(text):
        return [f"{match[1]}.{member}" for member in match[2].split("/")]
    if match := _CALL.match(text):
        fields = [arg.strip() for arg in match[2].split(",") if arg.strip()]
        return [match[1], *(f"{match[1]}.{name}" for name in fields)]
    if _DOTTED.match(text) and not text.startswith("."):
        return [text]
    return []


def glossary_names() -> list[str]:
    """Every code name of the glossary: the code column of the table, and each dotted
    ``tumbuh.`` path anywhere."""
    names: list[str] = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells = line.replace("\\|", "\0").split("|")
            if len(cells) > CODE_COLUMN and cells[CODE_COLUMN].strip() != "code identifier":
                previous: str | None = None
                for span in _CODE_SPAN.findall(cells[CODE_COLUMN]):
                    for name in expand(span, previous):
                        names.append(name)
                        previous = name
        names += [s for s in _CODE_SPAN.findall(line) if s.startswith("tumbuh.")]
    return list(dict.fromkeys(names))


NAMES = glossary_names()


def test_the_glossary_names_enough_code_to_be_read_right() -> None:
    # A parser that found next to nothing would make the test below pass vacuously.
    assert len(NAMES) > 150
    assert {"Sex.MALE", "HazCategory.SANGAT_PENDEK", "WeightTrend.O", "Estimate.low"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_glossary_code_name_exists(name: str) -> None:
    assert exists(name), f"docs/glossary.md names `{name}`, which the code does not have"


@pytest.mark.parametrize(
    "name", ["NoSuchClass", "Sex.NO_SUCH_MEMBER", "tumbuh.growth.no_such", "tumbuh nothing"]
)
def test_a_name_the_code_does_not_have_is_found_out(name: str) -> None:
    assert not exists(name)
