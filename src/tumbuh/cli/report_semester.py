"""``tumbuh report semester``: the TPPS semester report as a PDF or an Excel workbook."""

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
from tumbuh.reports.semester import semester_pdf, write_semester_workbook
from tumbuh.reports.semester_text import headline
from tumbuh.usecases.reporting import semester_data, semester_rounds

SUFFIXES = (".pdf", ".xlsx")


@report_app.command("semester")
def semester_command(
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
) -> None:
    """The TPPS semester report: the semester's bulan timbang against the previous one,
    per kecamatan and kelurahan, trend, cohort flows, referrals, coverage, data quality
    and the surveys; dated today.
    """
    settings = load_settings()
    language = Language(settings.language)
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
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
    semester = parse_period_option(period)
    semester_rounds(semester)  # a semester, or a clear error before reading anything
    with registry(settings) as connection:
        data = semester_data(connection, semester, settings)
    if suffix == ".pdf":
        output.write_bytes(semester_pdf(data, generated_on=date.today(), language=language).content)
    else:
        write_semester_workbook(data, output, language=language)
    _ = translations(language).gettext
    console = Console()
    console.print(headline(data, language), highlight=False)
    console.print(_("Written to {path}").format(path=output), highlight=False)
