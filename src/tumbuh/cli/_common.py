"""What several ``tumbuh`` commands share: the database connection, and the options and
checks they take the same way (one help text per option, one error message per mistake).

The options are ``Annotated`` types: a command declares ``output: OutputOption = None``
and gets the same flag, help text and type as every other command with that option.
Output itself (a Rich table or CSV, to screen or file) is :mod:`tumbuh.cli.report_output`.
"""

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NamedTuple

import typer
from sqlalchemy import Connection

from tumbuh.cli.report_output import OutputFormat
from tumbuh.config import Settings
from tumbuh.errors import InputError
from tumbuh.growth import periods
from tumbuh.growth.enums import Standard
from tumbuh.usecases import database
from tumbuh.usecases.areas import Area, AreaLevel, find_area, find_posyandu
from tumbuh.usecases.audit import Actor
from tumbuh.usecases.imports import MAX_WAIT_SECONDS
from tumbuh.usecases.surveillance import AgeChoice

# tumbuh report ...: how and where the figures are written.
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table (readable) or csv.")]
OutputOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Write to this file instead of the screen."),
]
# tumbuh report ...: which part of the city.
ByOption = Annotated[
    AreaLevel | None,
    typer.Option(help="Break the city down by kecamatan, kelurahan or posyandu."),
]
PosyanduOption = Annotated[
    str | None, typer.Option(help="Only this posyandu (its code or number).")
]
AreaOption = Annotated[
    str | None, typer.Option(help="Only this kecamatan or kelurahan (Kemendagri code).")
]
MonthOption = Annotated[str, typer.Option(help="The month, YYYY-MM (e.g. 2024-08).")]
AgeGroupOption = Annotated[
    AgeChoice,
    typer.Option(
        help="Which children: all balita 0-59 months (the published figure), baduta "
        "(0-23 completed months) or 24-59 (balita 24-59 completed months). The two "
        "groups add up to all."
    ),
]
# tumbuh zscore / prevalence: a file of measurements in, a file out.
InputFileArgument = Annotated[Path, typer.Argument(help="CSV or .xlsx file, one child per row.")]
OutputFileOption = Annotated[
    Path, typer.Option("-o", "--output", help="Output file (.csv or .xlsx, by extension).")
]
StandardOption = Annotated[
    Standard,
    typer.Option(help="who2006 (0-5 years, as WHO anthro) or who2007 (5-19, as anthroplus)."),
]
AgeInMonthsOption = Annotated[
    bool,
    typer.Option(
        "--age-in-months",
        help="Read 'age' as months for every row when there is no is_age_in_month column.",
    ),
]

# tumbuh import ...: the options every file import takes the same way.
SkipInvalidOption = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        help="Import the rows without errors and list the others in the report. "
        "Without it, any error means nothing is imported.",
    ),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Check and match only; write nothing.")
]
ReportFileOption = Annotated[
    Path | None,
    typer.Option("--report", help="Write every problem to this .csv or .xlsx file."),
]
WaitOption = Annotated[
    int,
    typer.Option(
        "--wait",
        metavar="SECONDS",
        min=0,
        max=MAX_WAIT_SECONDS,
        help="When another import is running, wait up to this many seconds for it.",
    ),
]


@contextmanager
def registry(settings: Settings, *, write: bool = False) -> Iterator[Connection]:
    """A connection to the configured database, whose schema must be current; with
    ``write`` in a transaction committed at the end. The engine is disposed of after."""
    with database.registry(settings.database_url, write=write) as connection:
        yield connection


class MonthAtPlace(NamedTuple):
    """The month and the place a report is for, and the connection to read it with."""

    month: periods.Period
    area: Area
    connection: Connection


@contextmanager
def month_at_place(
    settings: Settings,
    period: str,
    posyandu: str | None,
    area: str | None,
    not_a_month: Callable[[str], InputError],
) -> Iterator[MonthAtPlace]:
    """``--period`` as a month, the place of ``--posyandu`` or ``--area`` (default: the
    city) and a connection to read it with. A semester or year raises
    ``not_a_month(period)``, which says why the command needs a month (anything else:
    :func:`parse_period_option`'s error); both ``--posyandu`` and ``--area`` are refused."""
    month = parse_period_option(period)
    if month.kind is not periods.PeriodKind.MONTH:
        raise not_a_month(period)
    if posyandu is not None and area is not None:
        raise InputError("give either --posyandu or --area, not both")
    with registry(settings) as connection:
        chosen = resolve_area(connection, settings.city_code, posyandu, area)
        yield MonthAtPlace(month, chosen, connection)


def parse_period_option(text: str, option: str = "--period") -> periods.Period:
    """A month ``2024-08``, a semester ``2024-S2`` or a year ``2024``; anything else is an
    :class:`InputError` naming the option."""
    found = periods.parse_period(text)
    if found is None:
        raise InputError(
            "{option}: '{value}' is not a period; write a month as YYYY-MM (2024-08), a "
            "semester as YYYY-S1 or YYYY-S2 (2024-S2), or a year as YYYY (2024)",
            option=option,
            value=text,
        )
    return found


def parse_month_option(text: str, option: str = "--period") -> periods.Period:
    """The calendar month written ``YYYY-MM`` (a bulan timbang is ``2024-08``); anything
    else is an :class:`InputError` naming the option."""
    found = periods.parse_period(text)
    if found is None or found.kind is not periods.PeriodKind.MONTH:
        raise InputError(
            "{option}: '{value}' is not a month; write it as YYYY-MM, for example 2024-08",
            option=option,
            value=text,
        )
    return found


def resolve_area(
    connection: Connection, city_code: str, posyandu: str | None, area: str | None
) -> Area:
    """The posyandu (code or number) or area (code) chosen, else the city."""
    if posyandu is not None:
        found = find_posyandu(connection, posyandu, city_code=city_code)
        if found is None:
            raise InputError(
                "--posyandu: there is no posyandu '{value}' in {city}; give its code (as in "
                "tumbuh report prevalence --by posyandu) or its number",
                value=posyandu,
                city=city_code,
            )
        return found
    return find_area(connection, area or city_code, city_code=city_code)


def cli_actor() -> Actor:
    """The command line as the actor of an import or an audit row: "cli:" and the
    operating-system user (just "cli" when unknown).

    A trace, not an authentication: whoever can run the command can write the database.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password file
        user = ""
    return Actor(f"cli:{user}" if user else "cli")
