"""The quality package stays inside the pure core: NumPy and tumbuh.growth only."""

import ast
from importlib import resources

ALLOWED = ("numpy", "tumbuh.growth", "collections", "dataclasses", "enum", "math", "typing")


def test_quality_modules_import_only_numpy_and_the_growth_core() -> None:
    package = resources.files("tumbuh.growth.quality")
    modules = [p for p in package.iterdir() if p.name.endswith(".py")]
    assert len(modules) >= 10
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.startswith(ALLOWED), f"{module.name} imports {name}"
