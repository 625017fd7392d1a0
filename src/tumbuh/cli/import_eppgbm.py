"""``tumbuh import eppgbm FILE...``: check e-PPGBM files and write them in one transaction."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from tumbuh.cli._common import cli_actor
from tumbuh.cli._groups import import_app
from tumbuh.config import Settings, load_settings
from tumbuh.errors import InputError
from tumbuh.formatting import format_integer
from tumbuh.i18n import Language, translations
from tumbuh.ingest import write_report
from tumbuh.ingest.tabular import EXCEL_MAX_ROWS
from tumbuh.usecases.imports import (
    MAX_WAIT_SECONDS,
    ImportBusyError,
    ImportOutcome,
    ImportResult,
    ImportStage,
    import_into_configured,
)
from tumbuh.usecases.transactions import busy

REPORT_SUFFIXES = (".csv", ".xlsx")
INTERRUPTED_EXIT = 130  # 128 + SIGINT, as shells report Ctrl-C
BUSY_EXIT = 75  # EX_TEMPFAIL of sysexits.h: another import runs, try again later
_STAGES = {
    ImportStage.READ: "Reading and checking the files",
    ImportStage.MATCH: "Matching rows with the database",
    ImportStage.WRITE: "Writing to the database",
}


@import_app.command("eppgbm")
def import_eppgbm_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="e-PPGBM files: .xlsx, .xls (also HTML tables saved as .xls) or .csv; "
            "layout A (hasil pengukuran) or B (register).",
            show_default=False,
        ),
    ],
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Import the rows without errors and list the others in the report. "
            "Without it, any error means nothing is imported.",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Check only: read, check and match against the database, write nothing.",
        ),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Write every problem to this .csv or .xlsx file (the .xlsx also holds the "
            "original rows with their problems). Without it, a report is written next to the "
            "first file when there are errors.",
        ),
    ] = None,
    wait: Annotated[
        int,
        typer.Option(
            "--wait",
            metavar="SECONDS",
            min=0,
            max=MAX_WAIT_SECONDS,
            help="When another import is running, wait up to this many seconds for it to "
            "finish. Without it (0), the import is refused at once (exit code 75).",
        ),
    ] = 0,
) -> None:
    """Import e-PPGBM measurements: every row checked, nothing half-written.

    Children are found by NIK, else by name, birth date, sex and parent's name; unknown
    posyandu of a known kelurahan are created. Rows the database already holds are not
    added again; other values for the same child and date are conflicts (reported, never
    overwritten). One import at a time: while another runs, exit code 75 and nothing
    written (or wait, with --wait). Exit code 0 when imported (or, for --dry-run, when
    there are no errors), 1 otherwise. Each import is recorded with the operating-system
    user as "cli:<user>" (see tumbuh import list).
    """
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    for path in files:
        if not path.is_file():
            raise InputError("file not found: {path}", path=path)
    if report is not None and report.suffix.lower() not in REPORT_SUFFIXES:
        raise InputError("{name}: unsupported report type; use .csv or .xlsx", name=report.name)
    result = _import(files, settings, gettext, skip_invalid, dry_run, wait)
    console = Console(highlight=False)
    written = _write_report(result, report, files[0], language)
    _print_summary(console, result, language)
    if written is not None:
        console.print(gettext("Report: {path}").format(path=written))
    elif result.report.lines:
        console.print(gettext("Use --report FILE.xlsx to list every problem."))
    if not result.ok:
        raise typer.Exit(1)


def _import(
    files: list[Path],
    settings: Settings,
    gettext: Callable[[str], str],
    skip_invalid: bool,
    dry_run: bool,
    wait: int,
) -> ImportResult:
    """The import with a progress bar; Ctrl-C and a busy database end the command."""
    try:
        with ProgressBar(gettext, len(files)) as progress:
            return import_into_configured(
                files,
                settings,
                skip_invalid=skip_invalid,
                dry_run_only=dry_run,
                progress=progress,
                actor=cli_actor(),
                wait_seconds=wait,
            )
    except KeyboardInterrupt:
        _stop(gettext("Import interrupted; the database is unchanged."), INTERRUPTED_EXIT)
    except ImportBusyError as error:
        hint = gettext("Use --wait SECONDS to wait for it.")
        _stop(f"{gettext('Error')}: {error.translated(gettext)}. {hint}", BUSY_EXIT)
    except Exception as error:
        if not busy(error):
            raise
        message = gettext(
            "The database is busy with another change; nothing was written. Run the import "
            "again in a minute."
        )
        _stop(message, BUSY_EXIT)


def _stop(message: str, code: int) -> NoReturn:
    Console(stderr=True, highlight=False).print(message)
    raise typer.Exit(code)


class ProgressBar:
    """A Rich progress bar on stderr; the instance is the import's progress callback."""

    def __init__(self, gettext: Callable[[str], str], files: int) -> None:
        self.gettext = gettext
        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.bar.add_task(gettext(_STAGES[ImportStage.READ]), total=files)

    def __enter__(self) -> "ProgressBar":
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(None, None, None)

    def __call__(self, stage: ImportStage, done: int, total: int) -> None:
        self.bar.update(
            self.task, description=self.gettext(_STAGES[stage]), completed=done, total=total
        )


def _write_report(
    result: ImportResult, given: Path | None, first: Path, language: Language
) -> Path | None:
    """Write the report where asked, or next to the first file when there are errors."""
    path = given
    if path is None and result.report.has_errors:
        too_big = result.report.rows_read + 100 >= EXCEL_MAX_ROWS
        path = first.with_name(f"{first.stem}-laporan{'.csv' if too_big else '.xlsx'}")
    if path is None:
        return None
    try:
        write_report(result.report, path, language)
    except OSError as error:
        raise InputError(
            "cannot write the report {path} ({reason}); name another file with --report",
            path=path,
            reason=error.strerror or str(error),
        ) from error
    return path


def _print_summary(console: Console, result: ImportResult, language: Language) -> None:
    gettext = translations(language).gettext
    counts = result.counts

    def number(value: int) -> str:
        return format_integer(value, language)

    dry = result.outcome is ImportOutcome.DRY_RUN
    done = result.outcome is ImportOutcome.IMPORTED
    table = Table(title=gettext("e-PPGBM import"), show_header=False)
    table.add_column(justify="left")
    table.add_column(justify="right")
    rows = [
        (gettext("Rows read"), number(counts.rows_read)),
        (
            gettext("Rows to import") if dry else gettext("Rows imported"),
            number(counts.rows_ready if dry else counts.rows_imported),
        ),
        (gettext("Rows with errors (not imported)"), number(counts.rows_with_errors)),
        (gettext("Rows already in the database"), number(counts.rows_already_present)),
        (gettext("Rows repeated in the files"), number(counts.rows_repeated)),
        (gettext("Conflicts with the database"), number(counts.conflicts)),
        (
            gettext("Children new / matched") if done else gettext("Children to create / matched"),
            f"{number(counts.children_created)} / {number(counts.children_matched)}",
        ),
        (gettext("NIK attached to registered children"), number(counts.niks_attached)),
        (
            gettext("Posyandu created") if done else gettext("Posyandu to create"),
            number(counts.posyandu_created),
        ),
        (
            gettext("e-PPGBM z-scores: compared / differ by more than 0.1 / other category"),
            f"{number(counts.eppgbm_compared)} / {number(counts.eppgbm_differing)} / "
            f"{number(counts.eppgbm_category_differs)}",
        ),
        (
            gettext("Errors / warnings"),
            f"{number(len(result.report.errors))} / {number(len(result.report.warnings))}",
        ),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    if result.posyandu_created and done:
        names = ", ".join(p.name for p in result.posyandu_created)
        console.print(gettext("New posyandu: {names}").format(names=names))
    console.print(_verdict(result, language))


def _verdict(result: ImportResult, language: Language) -> str:
    gettext = translations(language).gettext
    counts = result.counts
    errors = format_integer(counts.rows_with_errors, language)
    if result.outcome is ImportOutcome.DRY_RUN:
        text = gettext("Dry run: nothing was written.")
        if result.report.has_errors:
            text += " " + gettext(
                "Without --skip-invalid the import would stop: {rows} rows have errors."
            ).format(rows=errors)
        return text
    if result.outcome is ImportOutcome.BLOCKED:
        return gettext(
            "Nothing was imported: {rows} rows have errors. Correct them (see the report), or "
            "run again with --skip-invalid to import only the rows without errors."
        ).format(rows=errors)
    imported = format_integer(counts.rows_imported, language)
    if counts.rows_with_errors:
        return gettext(
            "Imported {imported} measurements; {rows} rows with errors were skipped (see the "
            "report)."
        ).format(imported=imported, rows=errors)
    if counts.rows_imported == 0:
        return gettext("Nothing new: every row is already in the database.")
    return gettext("Imported {rows} measurements.").format(rows=imported)
