"""Generates docs/cli.md from the ``--help`` of every ``tumbuh`` command (``make docs-cli``).

A test compares docs/cli.md with this output, so the reference never goes stale.
"""

import sys

import typer
from typer.testing import CliRunner

from tumbuh.cli import app, register_commands

WIDTH = "100"


def _paths(typer_app: typer.Typer, prefix: list[str]) -> list[list[str]]:
    """Command paths below ``typer_app``, groups before their commands, sorted by name."""
    paths: list[list[str]] = []
    commands = sorted(
        (c.name or (c.callback.__name__ if c.callback else ""))
        for c in typer_app.registered_commands
    )
    paths.extend([*prefix, name] for name in commands)
    for group in sorted(typer_app.registered_groups, key=lambda g: g.name or ""):
        if group.typer_instance is None or group.name is None:
            continue
        paths.append([*prefix, group.name])
        paths.extend(_paths(group.typer_instance, [*prefix, group.name]))
    return paths


def render() -> str:
    """The Markdown reference of all commands, in a stable order."""
    register_commands()
    runner = CliRunner(env={"COLUMNS": WIDTH, "TERMINAL_WIDTH": WIDTH})
    parts = [
        "# Command reference\n",
        "Generated from `tumbuh ... --help` by `make docs-cli`; do not edit by hand.\n",
    ]
    for path in [[], *_paths(app, [])]:
        result = runner.invoke(app, [*path, "--help"], prog_name="tumbuh", color=False)
        text = "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())
        parts.append(f"## `{' '.join(['tumbuh', *path])}`\n\n```text\n{text}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(render())
