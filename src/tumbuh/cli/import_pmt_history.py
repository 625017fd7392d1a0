"""``tumbuh import pmt-history FILE``: e-PPGBM's PMT history of toddlers or pregnant
women, imported as PMT episodes in one transaction (docs/import-format.md §13)."""

from pathlib import Path
from typing import Annotated, NoReturn, Protocol

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
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.formatting import format_integer
from tumbuh.growth.pmt import Indication
from tumbuh.i18n import Language, translations
from tumbuh.ingest import pmt_messages as msg
from tumbuh.ingest import write_report
from tumbuh.ingest.pmt_history_layout import HistoryKind
from tumbuh.usecases.cases import COMMAND_LINE_SCOPE
from tumbuh.usecases.pmt_history import (
    HistoryImportResult,
    HistoryOutcome,
    ImportBusyError,
    import_pmt_history,
)

BUSY_EXIT = 75  # as tumbuh import eppgbm: another import runs, try again later
REPORT_SUFFIXES = (".csv", ".xlsx")
# --indication: the words of e-PPGBM's toddler lists.
INDICATIONS = {
    "gizi-kurang": Indication.WASTED,
    "bb-kurang": Indication.UNDERWEIGHT,
    "t": Indication.FALTERING,
}
_KIND_WORDS = {
    HistoryKind.TODDLER: msg.TODDLER_HISTORY,
    HistoryKind.PREGNANCY: msg.PREGNANCY_HISTORY,
}
_INDICATION_WORDS = {value: key for key, value in INDICATIONS.items()} | {
    Indication.PREGNANT_KEK: "KEK"
}


@import_app.command("pmt-history")
def import_pmt_history_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="An e-PPGBM PMT history: Daftar-Riwayat-PMT-Gikur.xls, "
            "Daftar-Riwayat-PMT-Underweight.xls, Daftar Riwayat T.xls or "
            "Daftar-Riwayat-PMT-Ibu-Hamil-....xls (HTML saved as .xls, or .xls/.xlsx).",
            show_default=False,
        ),
    ],
    indication: Annotated[
        str | None,
        typer.Option(
            "--indication",
            metavar="gizi-kurang|bb-kurang|t",
            help="Which PMT a toddler file is about, when its name does not say it.",
        ),
    ] = None,
    skip_invalid: SkipInvalidOption = False,
    dry_run: DryRunOption = False,
    report: ReportFileOption = None,
    wait: WaitOption = 0,
) -> None:
    """Import PMT episodes from an e-PPGBM PMT history file.

    Children are found by NIK (rows of children not registered are errors: import their
    measurements first); women of a pregnancy history are found by NIK or registered, with
    their pregnancy. An episode already recorded is not added again. The command acts for
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
    chosen = None
    if indication is not None:
        chosen = INDICATIONS.get(indication.strip().lower())
        if chosen is None:
            raise InputError(
                "--indication: '{value}' is not a PMT of toddlers; write gizi-kurang, "
                "bb-kurang or t",
                value=indication,
            )
    try:
        with registry(settings) as connection:
            result = import_pmt_history(
                connection,
                COMMAND_LINE_SCOPE,
                file,
                settings=settings,
                actor=cli_actor(),
                indication=chosen,
                skip_invalid=skip_invalid,
                dry_run=dry_run,
                wait_seconds=wait,
            )
    except ImportBusyError as error:
        hint = gettext("Use --wait SECONDS to wait for it.")
        _stop(f"{gettext('Error')}: {error.translated(gettext)}. {hint}", BUSY_EXIT)
    console = Console(highlight=False)
    _print_summary(console, result, language)
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


def _print_summary(console: Console, result: HistoryImportResult, language: Language) -> None:
    gettext = translations(language).gettext
    counts = result.counts

    def number(value: int) -> str:
        return format_integer(value, language)

    done = result.outcome is HistoryOutcome.IMPORTED
    table = Table(title=gettext("PMT history import"), show_header=False)
    table.add_column(justify="left")
    table.add_column(justify="right")
    if result.kind is not None:
        what = gettext(_KIND_WORDS[result.kind])
        if result.indication is not None:
            what += f" ({_INDICATION_WORDS[result.indication]})"
        table.add_row(gettext("File"), what)
    rows = [
        (gettext("Rows read"), number(counts.rows_read)),
        (gettext("Rows with errors (not imported)"), number(counts.rows_read - counts.rows_valid)),
        (
            gettext("Episodes added") if done else gettext("Episodes to add"),
            number(counts.episodes_added),
        ),
        (gettext("Episodes already recorded"), number(counts.episodes_present)),
        (
            gettext("Women registered") if done else gettext("Women to register"),
            number(counts.mothers_added),
        ),
        (gettext("Episodes starting on a stored measurement"), number(counts.baselines_linked)),
        (
            gettext("Errors / warnings"),
            f"{number(len(result.report.errors))} / {number(len(result.report.warnings))}",
        ),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    console.print(verdict(result.outcome, result.report.has_errors, result.counts, language))


class EpisodeCounts(Protocol):
    """What an episode import counted (the children's history file, the bumil file)."""

    @property
    def rows_read(self) -> int: ...
    @property
    def rows_valid(self) -> int: ...
    @property
    def episodes_added(self) -> int: ...
    @property
    def rows_skipped(self) -> int: ...


def verdict(
    outcome: HistoryOutcome, has_errors: bool, counts: EpisodeCounts, language: Language
) -> str:
    """The last line of an episode import: what was written, or why nothing was."""
    gettext = translations(language).gettext
    errors = format_integer(counts.rows_read - counts.rows_valid, language)
    if outcome is HistoryOutcome.DRY_RUN:
        text = gettext("Dry run: nothing was written.")
        if has_errors:
            text += " " + gettext(
                "Without --skip-invalid the import would stop: {rows} rows have errors."
            ).format(rows=errors)
        return text
    if outcome is HistoryOutcome.BLOCKED:
        return gettext(
            "Nothing was imported: {rows} rows have errors. Correct them (see the report), or "
            "run again with --skip-invalid to import only the rows without errors."
        ).format(rows=errors)
    added = format_integer(counts.episodes_added, language)
    if counts.rows_skipped:
        return gettext(
            "Imported {episodes} PMT episodes; {rows} rows with errors were skipped (see the "
            "report)."
        ).format(episodes=added, rows=errors)
    if counts.episodes_added == 0:
        return gettext("Nothing new: every episode is already recorded.")
    return gettext("Imported {episodes} PMT episodes.").format(episodes=added)
