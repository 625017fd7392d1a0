"""The generated documentation is current."""

from pathlib import Path

from tumbuh.docs_cli import render

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_cli_reference_matches_the_commands_help() -> None:
    # Regenerate with `make docs-cli` after changing a command or its options.
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render()
