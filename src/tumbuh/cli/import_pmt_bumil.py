"""``tumbuh import pmt-bumil FILE``: e-PPGBM's list of pregnant women with KEK (Sasaran PMT
Ibu Hamil KEK), imported as PMT bumil episodes in one transaction (docs/pmt.md)."""

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from tumbuh.cli._common import (
    DryRunOption,
    ReportFileOption,
    SkipInvalidOption,
    WaitOption,
    cli_actor,
    registry,
)
from tumbuh.cli._groups import import_app
from tumbuh.cli.import_pmt_history import verdict
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.formatting import format_integer
from tumbuh.i18n import Language, translations
from tumbuh.ingest import write_report
from tumbuh.usecases.cases import COMMAND_LINE_SCOPE
from tumbuh.usecases.pmt_bumil_import import (
    BumilImportResult,
    HistoryOutcome,
    ImportBusyError,
    import_pmt_bumil,
)

BUSY_EXIT = 75  # as tumbuh import eppgbm: another import runs, try again later
REPORT_SUFFIXES = (".csv", ".xlsx")


@import_app.command("pmt-bumil")
def import_pmt_bumil_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="e-PPGBM's list of pregnant women with KEK (Sasaran PMT Ibu Hamil KEK): "
            ".csv, .xlsx, .xls or an HTML table saved as .xls, in the layout of docs/pmt.md.",
            show_default=False,
        ),
    ],
    skip_invalid: SkipInvalidOption = False,
    dry_run: DryRunOption = False,
    report: ReportFileOption = None,
    wait: WaitOption = 0,
) -> None:
    """Import PMT episodes of pregnant women with KEK from e-PPGBM's list.

    Each row is matched to a registered pregnancy by the mother's NIK and the start of
    PMT (rows of women not registered are errors: register the pregnancy first). An
    episode already recorded is not added again. The command acts for the whole city,
    with the actor "cli:<user>". Exit code 0 when imported (or, for --dry-run, when there
    are no errors), 1 otherwise, 75 while another import runs.
    """
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    if not file.is_file():
        raise InputError("file not found: {path}", path=file)
    if report is not None and report.suffix.lower() not in REPORT_SUFFIXES:
        raise InputError("{name}: unsupported report type; use .csv or .xlsx", name=report.name)
    try:
        with registry(settings) as connection:
            result = import_pmt_bumil(
                connection,
                COMMAND_LINE_SCOPE,
                file,
                settings=settings,
                actor=cli_actor(),
                skip_invalid=skip_invalid,
                dry_run=dry_run,
                wait_seconds=wait,
            )
    except ImportBusyError as error:
        hint = gettext("Use --wait SECONDS to wait for it.")
        _stop(f"{gettext('Error')}: {error.translated(gettext)}. {hint}", BUSY_EXIT)
    console = Console(highlight=False)
    console.print(_summary(result, language))
    console.print(verdict(result.outcome, result.report.has_errors, result.counts, language))
    if report is not None:
        write_report(result.report, report, language)
        console.print(gettext("Report: {path}").format(path=report))
    elif result.report.lines:
        console.print(gettext("Use --report FILE.xlsx to list every problem."))
    if not result.ok:
        raise typer.Exit(1)


def _stop(message: str, code: int) -> NoReturn:
    Console(stderr=True, highlight=False).print(message)
    raise typer.Exit(code)


def _summary(result: BumilImportResult, language: Language) -> Table:
    gettext = translations(language).gettext
    counts = result.counts

    def number(value: int) -> str:
        return format_integer(value, language)

    done = result.outcome is HistoryOutcome.IMPORTED
    table = Table(title=gettext("PMT import of pregnant women with KEK"), show_header=False)
    table.add_column(justify="left")
    table.add_column(justify="right")
    rows = [
        (gettext("Rows read"), number(counts.rows_read)),
        (gettext("Rows with errors (not imported)"), number(counts.rows_read - counts.rows_valid)),
        (
            gettext("Episodes added") if done else gettext("Episodes to add"),
            number(counts.episodes_added),
        ),
        (gettext("of them still running"), number(counts.episodes_running)),
        (gettext("Episodes already recorded"), number(counts.episodes_present)),
        (
            gettext("Errors / warnings"),
            f"{number(len(result.report.errors))} / {number(len(result.report.warnings))}",
        ),
    ]
    for label, value in rows:
        table.add_row(label, value)
    return table
