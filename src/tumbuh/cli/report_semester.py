"""``tumbuh report semester``: the TPPS semester report as a PDF or an Excel workbook."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tumbuh.cli._common import registry
from tumbuh.cli._groups import report_app
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.growth.periods import Period, parse_period
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
    semester = _period(period)
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


def _period(text: str) -> Period:
    """A month ``2024-08``, a semester ``2024-S2`` or a year ``2024``; else an InputError
    naming ``--period`` (a semester is checked next, by :func:`semester_rounds`)."""
    found = parse_period(text)
    if found is None:
        raise InputError(
            "{option}: '{value}' is not a period; write a month as YYYY-MM (2024-08), a "
            "semester as YYYY-S1 or YYYY-S2 (2024-S2), or a year as YYYY (2024)",
            option="--period",
            value=text,
        )
    return found
