"""``tumbuh export eppgbm``: a month's measurements as e-PPGBM's classic layout (A)."""

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tumbuh.cli._common import parse_month_option, registry
from tumbuh.cli._groups import export_app
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.formatting import format_integer
from tumbuh.i18n import Language, translations
from tumbuh.ingest.export import ExportInfo, write_layout_a
from tumbuh.usecases.exports import export_month

logger = logging.getLogger(__name__)


@export_app.command("eppgbm")
def export_eppgbm_command(
    period: Annotated[
        str, typer.Option(help="Month as YYYY-MM, e.g. 2024-08 for the August bulan timbang.")
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The .xlsx file to write.", show_default=False)
    ],
    area: Annotated[
        str | None,
        typer.Option(
            help="Code of a kecamatan (36.72.01), kelurahan (36.72.01.1001) or posyandu; "
            "default: the whole city."
        ),
    ] = None,
    unmask: Annotated[
        bool,
        typer.Option(
            "--unmask",
            help="Write NIK, names and street address in full (personal data: keep the file "
            "safe). Without it they are masked, and the file cannot be imported back.",
        ),
    ] = False,
) -> None:
    """Write one row per measurement of the month as e-PPGBM's "hasil pengukuran" layout.

    NIK and names are text, dates real Excel dates, numbers numbers; z-scores and
    categories are Tumbuh's. An export made with --unmask imports back as "already in
    the database".
    """
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    month = parse_month_option(period)
    if output.suffix.lower() != ".xlsx":
        raise InputError(
            "{name}: an export is written as .xlsx; name the file *.xlsx", name=output.name
        )
    with registry(settings) as connection:
        export = export_month(
            connection, None, month, area or settings.city_code, settings.city_code, unmask=unmask
        )
    found, rows = export.area, export.rows
    info = ExportInfo.now(month.label, f"{found.name} ({found.code})", masked=not unmask)
    try:
        write_layout_a(rows, output, info, unmask=unmask, language=language)
    except OSError as error:
        raise InputError(
            "cannot write {path} ({reason}); choose another file with -o",
            path=output,
            reason=error.strerror or str(error),
        ) from error
    # No names or NIK in the log: only what was exported and whether it was masked.
    logger.info(
        "e-PPGBM export: %d rows, %s, %s, unmask=%s", len(rows), month.label, found.code, unmask
    )
    text = (
        gettext("{rows} measurements of {period} in {area} written to {path}")
        if unmask
        else gettext(
            "{rows} measurements of {period} in {area} written to {path} (NIK and names masked)"
        )
    )
    Console(highlight=False).print(
        text.format(
            rows=format_integer(len(rows), language),
            period=month.label,
            area=found.name,
            path=output,
        )
    )
