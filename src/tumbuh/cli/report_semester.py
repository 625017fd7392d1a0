"""``tumbuh report semester``: the TPPS semester report as a PDF or an Excel workbook."""

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tumbuh.cli._common import parse_period_option, registry
from tumbuh.cli._groups import report_app
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.i18n import Language, translations
from tumbuh.reports.letterhead import Letterhead, Signature
from tumbuh.reports.semester import semester_pdf, write_semester_workbook
from tumbuh.reports.semester_text import headline
from tumbuh.usecases.reporting import (
    report_letterhead,
    report_signature,
    semester_data,
    semester_rounds,
)

SUFFIXES = (".pdf", ".xlsx")


def _day(text: str | None, option: str) -> date | None:
    """A date option written YYYY-MM-DD, or a clear error naming the option."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            "{option}: '{value}' is not a date; write it as YYYY-MM-DD, such as 2024-12-31",
            option=option,
            value=text,
        ) from None


def _check_output(output: Path) -> None:
    if output.suffix.lower() not in SUFFIXES:
        raise InputError(
            "-o {path}: the file must end in .pdf (the report) or .xlsx (its tables)",
            path=str(output),
        )
    if not output.parent.exists():
        raise InputError(
            "-o {path}: the folder {folder} does not exist; create it or choose another",
            path=str(output),
            folder=str(output.parent),
        )


def _signature(base: Signature, name: str | None, title: str | None, nip: str | None) -> Signature:
    return replace(base, name=name or base.name, title=title or base.title, nip=nip or base.nip)


def _letterhead(base: Letterhead, lines: list[str] | None, logo: Path | None) -> Letterhead:
    found = base if not lines else replace(base, lines=tuple(lines))
    if logo is None:
        return found
    if not logo.is_file():
        raise InputError("--logo: the file {path} does not exist", path=str(logo))
    content = logo.read_bytes()
    if not content.startswith((b"\x89PNG", b"\xff\xd8\xff")):
        raise InputError("--logo: {path} is not a PNG or JPEG file", path=str(logo))
    return replace(found, logo=content)


@report_app.command("semester")
def semester_command(  # noqa: PLR0913, PLR0917 - one option per line of letterhead, signature
    period: Annotated[
        str,
        typer.Option(help="Semester as YYYY-S1 (January-June) or YYYY-S2 (July-December)."),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="The file to write: .pdf for the report, .xlsx for its tables."
        ),
    ],
    kecamatan: Annotated[
        str | None,
        typer.Option(help="One kecamatan (code or name): the camat's report of its area."),
    ] = None,
    cut_off: Annotated[
        str | None,
        typer.Option(
            "--cut-off",
            help="Data as of this day, YYYY-MM-DD (default: today); actions are overdue "
            "against it.",
        ),
    ] = None,
    sign_name: Annotated[
        str | None,
        typer.Option(help="Name of the signer (default: TUMBUH_REPORT_SIGNATURE_NAME)."),
    ] = None,
    sign_title: Annotated[
        str | None,
        typer.Option(help="Title of the signer (default: TUMBUH_REPORT_SIGNATURE_TITLE)."),
    ] = None,
    sign_nip: Annotated[
        str | None,
        typer.Option(help="NIP of the signer (default: TUMBUH_REPORT_SIGNATURE_NIP)."),
    ] = None,
    letterhead: Annotated[
        list[str] | None,
        typer.Option(
            help="A line of the letterhead; repeat for each line (default: the "
            "TUMBUH_REPORT_GOVERNMENT, _TEAM and _ADDRESS settings)."
        ),
    ] = None,
    logo: Annotated[
        Path | None,
        typer.Option(help="PNG or JPEG logo of the letterhead (default: TUMBUH_REPORT_LOGO_FILE)."),
    ] = None,
) -> None:
    """The TPPS semester report, to be signed: summary and recommendations, nutritional
    status, stunting per area, trend, lokus, coverage, programmes, the 1,000-days
    indicators, the case audit, partners' commitments, the 8 aksi, register and surveys,
    and an appendix on methods and data quality; dated today.
    """
    settings = load_settings()
    language = Language(settings.language)
    _check_output(output)
    semester = parse_period_option(period)
    semester_rounds(semester)  # a semester, or a clear error before reading anything
    today = date.today()
    day = _day(cut_off, "--cut-off") or today
    head = _letterhead(report_letterhead(settings), letterhead, logo)
    sign = _signature(report_signature(settings), sign_name, sign_title, sign_nip)
    with registry(settings) as connection:
        data = semester_data(connection, semester, settings, cut_off=day, kecamatan=kecamatan)
    if output.suffix.lower() == ".pdf":
        report = semester_pdf(
            data, generated_on=today, language=language, letterhead=head, signature=sign
        )
        output.write_bytes(report.content)
    else:
        write_semester_workbook(data, output, language=language)
    _ = translations(language).gettext
    console = Console()
    console.print(headline(data, language), highlight=False)
    console.print(_("Written to {path}").format(path=output), highlight=False)
