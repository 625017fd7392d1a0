"""``tumbuh import list | show ID``: the imports recorded so far (docs/import-format.md §11).

The command line sees the whole city, as its operator can read the whole database. No
child's name or NIK is printed: a run is reviewed by its files, hashes and counts; the
web page of a run lists the children it created.
"""

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tumbuh.cli._common import registry
from tumbuh.cli._groups import import_app
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.formatting import format_integer
from tumbuh.i18n import Language, translations
from tumbuh.labels import RUN_COUNT_LABELS
from tumbuh.usecases.import_runs import ImportRunInfo, list_runs, show_run


def _when(run: ImportRunInfo) -> str:
    return f"{run.started_at:%Y-%m-%d %H:%M} UTC"


@import_app.command("list")
def list_command(
    limit: Annotated[
        int, typer.Option(min=1, max=10_000, help="Show at most this many, newest first.")
    ] = 20,
) -> None:
    """Imports recorded so far, newest first: when, who, files and what they added."""
    settings = load_settings()
    language = Language(settings.language)
    _ = translations(language).gettext
    with registry(settings) as connection:
        runs, total = list_runs(connection, None, limit=limit)
    table = Table(title=_("Imports ({shown} of {total})").format(shown=len(runs), total=total))
    table.add_column(_("Number"), justify="right")
    table.add_column(_("When"))
    table.add_column(_("Who"))
    table.add_column(_("Files"))
    table.add_column(_("Measurements added"), justify="right")
    table.add_column(_("Children new"), justify="right")
    for run in runs:
        table.add_row(
            str(run.id),
            _when(run),
            run.actor,
            ", ".join(run.file_names),
            format_integer(run.measurements_added, language),
            format_integer(run.children_added, language),
        )
    Console(highlight=False).print(table)


@import_app.command("show")
def show_command(
    run_id: Annotated[int, typer.Argument(help="The import's number (from tumbuh import list).")],
) -> None:
    """One import: when, who, each file with its SHA-256, and what it added or changed."""
    settings = load_settings()
    language = Language(settings.language)
    _ = translations(language).gettext
    with registry(settings) as connection:
        found = show_run(connection, run_id, None, limit=0)
    if found is None:
        raise InputError(
            "there is no import number {number}; see tumbuh import list", number=run_id
        )
    detail = found.detail
    run = detail.run
    console = Console(highlight=False)
    console.print(_("Import {number}").format(number=run.id))
    console.print(_("By {who}, {when}").format(who=run.actor, when=_when(run)))
    files = Table(title=_("Files"))
    files.add_column(_("File"))
    files.add_column("SHA-256")
    files.add_column(_("Measurements added"), justify="right")
    for file in detail.files:
        files.add_row(file.file_name, file.sha256, format_integer(file.row_count, language))
    console.print(files)
    counts = Table(show_header=False)
    counts.add_column()
    counts.add_column(justify="right")
    for field, label in RUN_COUNT_LABELS.items():
        counts.add_row(_(label), format_integer(getattr(run, field), language))
    console.print(counts)
