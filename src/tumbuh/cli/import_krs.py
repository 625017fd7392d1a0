"""``tumbuh import krs FILE``: BKKBN's family data (KRS) in Tumbuh's layout, imported in
one transaction (docs/krs-import.md)."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tumbuh.cli._common import DryRunOption, ReportFileOption, WaitOption, cli_actor, registry
from tumbuh.cli._groups import import_app
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.formatting import format_integer
from tumbuh.i18n import Language, translations
from tumbuh.ingest import write_report
from tumbuh.usecases.cases import COMMAND_LINE_SCOPE
from tumbuh.usecases.krs_import import ImportBusyError, KrsOutcome, import_krs

BUSY_EXIT = 75  # as tumbuh import eppgbm: another import runs, try again later
REPORT_SUFFIXES = (".csv", ".xlsx")


@import_app.command("krs")
def import_krs_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="A family file (.xlsx or .csv) in the layout of docs/krs-import.md: Nomor "
            "KK, Kode Kelurahan, Tanggal Pendataan and the six KRS criteria as Ya/Tidak.",
            show_default=False,
        ),
    ],
    dry_run: DryRunOption = False,
    report: ReportFileOption = None,
    wait: WaitOption = 0,
) -> None:
    """Import families and their KRS criteria (families at risk of stunting).

    A family is found by its Nomor KK: a new number adds the family, a known one gets its
    record replaced. Any error in the file means nothing is imported. The command acts for
    the whole city, with the actor "cli:<user>". Exit code 0 when imported (or, for
    --dry-run, when there are no errors), 1 otherwise, 75 while another import runs.
    """
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    if not file.is_file():
        raise InputError("file not found: {path}", path=file)
    if report is not None and report.suffix.lower() not in REPORT_SUFFIXES:
        raise InputError("{name}: unsupported report type; use .csv or .xlsx", name=report.name)
    console = Console(highlight=False)
    try:
        with registry(settings) as connection:
            result = import_krs(
                connection,
                COMMAND_LINE_SCOPE,
                file,
                settings=settings,
                actor=cli_actor(),
                dry_run=dry_run,
                wait_seconds=wait,
            )
    except ImportBusyError as error:
        hint = gettext("Use --wait SECONDS to wait for it.")
        Console(stderr=True).print(f"{gettext('Error')}: {error.translated(gettext)}. {hint}")
        raise typer.Exit(BUSY_EXIT) from None
    for line in result.report.lines[:20]:
        where = f"{line.row}, {line.column}" if line.row is not None else line.file
        console.print(f"{where}: {line.message(language)}")
    if report is not None:
        write_report(result.report, report, language)
        console.print(gettext("Report: {path}").format(path=report))
    added = format_integer(result.families_added, language)
    changed = format_integer(result.families_changed, language)
    if result.outcome is KrsOutcome.IMPORTED:
        text = gettext("Families added: {added}; families updated: {changed}.")
    elif result.outcome is KrsOutcome.DRY_RUN:
        text = (
            gettext("Dry run: nothing was written.")
            + " "
            + gettext("Families to add: {added}; families to update: {changed}.")
        )
    else:
        text = gettext("Nothing was imported: correct the errors and import the file again.")
    console.print(text.format(added=added, changed=changed))
    if not result.ok:
        raise typer.Exit(1)
