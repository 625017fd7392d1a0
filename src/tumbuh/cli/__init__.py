"""The ``tumbuh`` command: one Typer application with a subcommand per task.

Each subcommand lives in its own module of this package and registers itself on
``app``; ``main`` imports every module here, so adding a command needs no edit. ``main`` is
the one error handler: a ``TumbuhError`` prints its message and exits 1; anything else
is a bug, logged with its traceback (without personal data, :mod:`tumbuh.safe_logs`) to
a file only the user can read (:mod:`tumbuh.cli.error_log`), and the user sees a plain
apology.
"""

import importlib
import logging
import pkgutil
import sys

import typer
from rich.console import Console

from tumbuh import safe_logs
from tumbuh.cli.error_log import log_bug
from tumbuh.config import load_settings
from tumbuh.errors import ConfigError, TumbuhError
from tumbuh.i18n import DEFAULT_LANGUAGE, Language, translations

app = typer.Typer(
    name="tumbuh",
    help="Tumbuh: WHO growth standards, records and reports for stunting reduction.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True)
logger = logging.getLogger(__name__)


@app.callback()
def root() -> None:
    """Tumbuh: WHO growth standards, records and reports for stunting reduction."""


def register_commands() -> None:
    """Import every module of this package: each adds its commands to ``app``."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def _user_language() -> Language:
    """The configured language, or Indonesian when the settings themselves are invalid."""
    try:
        return Language(load_settings().language)
    except ConfigError:
        return DEFAULT_LANGUAGE


def main() -> None:
    """Entry point of the ``tumbuh`` script."""
    safe_logs.install()
    register_commands()
    try:
        app()
    except TumbuhError as error:
        gettext = translations(_user_language()).gettext
        message = error.translated(gettext)
        err_console.print(f"[bold red]{gettext('Error')}:[/] {message}", highlight=False)
        sys.exit(1)
    except Exception:
        log_file = log_bug(logger, "unexpected error in the tumbuh command")
        where = f"tercatat di {log_file}" if log_file else "tertulis di atas"
        err_console.print(
            "Maaf, terjadi kesalahan di dalam Tumbuh (bukan kesalahan Anda). "
            f"Rinciannya {where}; mohon laporkan kepada pengelola.",
            highlight=False,
        )
        sys.exit(70)
