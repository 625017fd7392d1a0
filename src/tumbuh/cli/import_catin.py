"""``tumbuh import catin FILE``: a list of catin (brides and grooms to be) from Elsimil,
KUA or a hand-made sheet, in the layout of docs/catin.md; all rows or none."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tumbuh.cli._common import DryRunOption, WaitOption, cli_actor, registry
from tumbuh.cli._groups import import_app
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.i18n import Language, translations
from tumbuh.usecases.cases import COMMAND_LINE_SCOPE
from tumbuh.usecases.catin_import import ImportBusyError, import_catin

BUSY_EXIT = 75  # as tumbuh import eppgbm: another import runs, try again later


@import_app.command("catin")
def import_catin_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="A .csv or .xlsx list of catin with the columns of docs/catin.md (NIK, Nama, "
            "Jenis Kelamin, Tanggal Lahir, Kode Kelurahan or Kelurahan, Tanggal Rencana "
            "Nikah, Tanggal Daftar, Tanggal Skrining, LiLA, Hb, BB, TB).",
            show_default=False,
        ),
    ],
    dry_run: DryRunOption = False,
    wait: WaitOption = 0,
) -> None:
    """Import catin (brides and grooms to be) with their screening and follow-up.

    Every row is checked and every problem is listed (row, column, value, what is
    accepted; never a NIK). Any problem means nothing is imported. The command acts for
    the whole city, with the actor "cli:<user>". Exit code 0 when imported (or, for
    --dry-run, when there are no problems), 1 otherwise, 75 while another import runs.
    """
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    if not file.is_file():
        raise InputError("file not found: {path}", path=file)
    console = Console(highlight=False)
    try:
        with registry(settings) as connection:
            result = import_catin(
                connection,
                cli_actor(),
                COMMAND_LINE_SCOPE,
                file,
                settings=settings,
                dry_run=dry_run,
                wait_seconds=wait,
            )
    except ImportBusyError as error:
        hint = gettext("Use --wait SECONDS to wait for it.")
        Console(stderr=True, highlight=False).print(
            f"{gettext('Error')}: {error.translated(gettext)}. {hint}"
        )
        raise typer.Exit(BUSY_EXIT) from None
    for problem in result.problems:
        console.print(problem.translated(gettext))
    if result.imported:
        console.print(gettext("{count} catin imported from the list.").format(count=result.added))
    elif not result.problems:
        console.print(gettext("Dry run: nothing was written."))
    else:
        console.print(
            gettext(
                "Nothing was imported from {name}: correct these rows and upload the file again."
            ).format(name=result.name)
        )
        raise typer.Exit(1)
