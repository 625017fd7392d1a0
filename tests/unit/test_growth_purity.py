"""``tumbuh.growth`` is pure: no database, web, Excel or other Tumbuh modules, no I/O."""

import ast
import subprocess
import sys
from pathlib import Path

import tumbuh.growth

GROWTH_DIR = Path(tumbuh.growth.__file__).parent
BLOCKED = ("sqlalchemy", "fastapi", "openpyxl", "xlsxwriter", "pandas", "starlette", "jinja2")
# Calls that mean I/O, the environment, the clock or printing.
FORBIDDEN_CALLS = {"open", "print", "input", "getenv"}
FORBIDDEN_ATTRIBUTES = {"now", "today", "environ", "getLogger", "read_csv", "urlopen"}


def growth_modules() -> list[Path]:
    return sorted(GROWTH_DIR.rglob("*.py"))


def test_growth_imports_with_heavy_modules_blocked() -> None:
    names = [
        "tumbuh.growth." + ".".join(p.relative_to(GROWTH_DIR).with_suffix("").parts)
        for p in growth_modules()
        if p.name != "__init__.py"
    ]
    script = (
        "import sys\n"
        f"for name in {BLOCKED!r}: sys.modules[name] = None\n"
        "import importlib\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_growth_imports_nothing_else_from_tumbuh() -> None:
    for path in growth_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module
                assert not module.startswith("tumbuh.") or module.startswith("tumbuh.growth"), (
                    f"{path.name} imports {module}"
                )


def test_growth_does_no_io_logging_or_clock() -> None:
    for path in growth_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in FORBIDDEN_CALLS, f"{path.name}: {node.func.id}()"
            if isinstance(node, ast.Attribute):
                assert node.attr not in FORBIDDEN_ATTRIBUTES, f"{path.name}: .{node.attr}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name not in {"logging", "datetime", "time", "os.path"}, (
                        f"{path.name} imports {alias.name}"
                    )
