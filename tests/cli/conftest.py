"""Running the ``tumbuh`` command in-process, through its one error handler; and the
small register by hand and the demo city that the ``tumbuh report`` tests read."""

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.db.test_surveillance_builders import register_database
from tumbuh.cli import main


@dataclass(frozen=True)
class CliResult:
    """Exit code and captured output of one ``tumbuh`` run."""

    exit_code: int
    stdout: str
    stderr: str


RunCli = Callable[..., CliResult]


def invoke(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    stdin: str | None = None,
) -> CliResult:
    """Run ``tumbuh *args`` (200 columns wide; ``stdin`` as standard input when given)."""
    monkeypatch.setattr(sys, "argv", ["tumbuh", *args])
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.setenv("COLUMNS", "200")
    code = 0
    try:
        main()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return CliResult(code, captured.out, captured.err)


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> RunCli:
    """``run_cli("zscore", "in.csv", "-o", "out.csv")`` -> CliResult."""

    def run(*args: str) -> CliResult:
        return invoke(monkeypatch, capsys, *args)

    return run


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new, empty SQLite file as the configured database (Indonesian); its URL."""
    url = f"sqlite:///{tmp_path / 'tumbuh.sqlite'}"
    monkeypatch.setenv("TUMBUH_DATABASE_URL", url)
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    return url


@pytest.fixture
def register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The register of ``tests.db.test_surveillance_builders`` in a new SQLite file, set
    as the configured database (Indonesian); returns its URL."""
    url = register_database(tmp_path / "register.sqlite")
    monkeypatch.setenv("TUMBUH_DATABASE_URL", url)
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    return url


@pytest.fixture
def demo_city(demo_city_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The demo city (tests/conftest.py) as the configured database (Indonesian)."""
    monkeypatch.setenv("TUMBUH_DATABASE_URL", demo_city_url)
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    return demo_city_url
