"""Running the ``tumbuh`` command in-process, through its one error handler."""

import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tumbuh.cli import main


@dataclass(frozen=True)
class CliResult:
    """Exit code and captured output of one ``tumbuh`` run."""

    exit_code: int
    stdout: str
    stderr: str


RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> RunCli:
    """``run_cli("zscore", "in.csv", "-o", "out.csv")`` -> CliResult."""

    def run(*args: str) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["tumbuh", *args])
        monkeypatch.setenv("COLUMNS", "200")
        code = 0
        try:
            main()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
