"""``tumbuh asuh sponsors | add-sponsor | pledge | payment | disburse | summary |
statement``: Bapak Asuh from the command line (docs/asuh.md).

The command line acts for the whole city, as an administrator; each change is audited
with the actor "cli:<user>". Options are read by the same readers as the pages and the
API (:mod:`tumbuh.usecases.asuh_input`), so a mistake gets the same message, with the
option it was typed in.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from tumbuh.asuh_labels import SPONSOR_KIND_NAMES
from tumbuh.cli._common import cli_actor, parse_month_option, registry
from tumbuh.cli._groups import asuh_app
from tumbuh.config import load_settings
from tumbuh.errors import InputError, TumbuhError
from tumbuh.formatting import format_integer
from tumbuh.growth.asuh import Channel, RecipientKind, SponsorKind
from tumbuh.i18n import Language, translations
from tumbuh.reports.asuh_statement import write_statement
from tumbuh.usecases import asuh, asuh_money
from tumbuh.usecases.asuh_input import (
    FieldError,
    read_disbursement,
    read_payment,
    read_pledge,
    read_sponsor,
)

T = TypeVar("T")
SCOPE = asuh.COMMAND_LINE_SCOPE
SponsorArgument = Annotated[
    int, typer.Argument(help="The sponsor's number (tumbuh asuh sponsors).")
]
AmountOption = Annotated[str, typer.Option(help="Amount in whole rupiah, e.g. 7500000.")]
NoteOption = Annotated[str, typer.Option(help="A short note.")]


class OptionsError(TumbuhError):
    """The mistakes in a command's options, each named by its option."""

    def __init__(self, errors: Sequence[tuple[str, FieldError]]) -> None:
        super().__init__("; ".join(f"{option}: {error}" for option, error in errors))
        self.errors = list(errors)

    def translated(self, gettext: Callable[[str], str]) -> str:
        """Each option with its mistake in the language of ``gettext``."""
        return "; ".join(f"{option} ({e.translated(gettext)})" for option, e in self.errors)


def _checked(found: tuple[T | None, list[FieldError]], options: Mapping[str, str]) -> T:
    value, errors = found
    if errors or value is None:
        raise OptionsError([(options.get(e.field, e.field), e) for e in errors])
    return value


def _writes(work: Callable[[], T], options: Mapping[str, str]) -> T:
    try:
        return work()
    except FieldError as error:
        raise OptionsError([(options.get(error.field, error.field), error)]) from None


def _say(text: str) -> None:
    Console().print(text, highlight=False, soft_wrap=True)


def _gettext() -> Callable[[str], str]:
    return translations(Language(load_settings().language)).gettext


def _rupiah(value: int | None) -> str:
    return "-" if value is None else format_integer(value, Language.ID)


@asuh_app.command("sponsors")
def sponsors_command() -> None:
    """Every sponsor with what they pledged, paid and what of it was disbursed (rupiah)."""
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    with registry(settings) as connection:
        found = {s.id: s for s in asuh.sponsor_list(connection, SCOPE)}
        lines = asuh_money.money_summary(
            connection, SCOPE, asuh_money.SummaryBy.SPONSOR, city_code=settings.city_code
        )
    table = Table(title=gettext("Sponsors (bapak asuh): {count}").format(count=len(found)))
    for heading in ("Number", "Name", "Kind", "OPD or institution", "Pledged", "Received"):
        table.add_column(gettext(heading))
    for heading in ("Disbursed", "Balance", "Named publicly"):
        table.add_column(gettext(heading))
    for line in lines:
        sponsor = found[int(line.key)]
        table.add_row(
            str(sponsor.id),
            sponsor.name,
            gettext(SPONSOR_KIND_NAMES[sponsor.kind]),
            sponsor.institution or "-",
            _rupiah(line.pledged),
            _rupiah(line.received),
            _rupiah(line.disbursed),
            _rupiah((line.received or 0) - line.disbursed),
            gettext("yes") if sponsor.listed_publicly else gettext("no"),
        )
    Console().print(table)


@asuh_app.command("add-sponsor")
def add_sponsor_command(
    name: Annotated[str, typer.Argument(help="The sponsor's name as pages show it.")],
    kind: Annotated[
        SponsorKind,
        typer.Option(
            help="official, polres, kodim, kemenag, baznas, company, institution or person."
        ),
    ],
    institution: Annotated[str, typer.Option(help="The OPD or institution.")] = "",
    contact: Annotated[str, typer.Option(help="Telephone or e-mail.")] = "",
    public: Annotated[
        bool, typer.Option("--public", help="The sponsor agrees to be named on the public page.")
    ] = False,
) -> None:
    """Record a bapak asuh."""
    raw = {
        "kind": kind.value,
        "name": name,
        "institution": institution,
        "contact": contact,
        "listed_publicly": "1" if public else "",
    }
    options = {
        "kind": "--kind",
        "name": "NAME",
        "institution": "--institution",
        "contact": "--contact",
    }
    new = _checked(read_sponsor(raw), options)
    with registry(load_settings()) as connection:
        found = asuh.add_sponsor(connection, SCOPE, cli_actor(), new)
    _say(
        _gettext()("Bapak asuh {number} recorded: {name}.").format(number=found.id, name=found.name)
    )


@asuh_app.command("pledge")
def pledge_command(
    sponsor: SponsorArgument,
    months: Annotated[str, typer.Option(help="For how many months (1 to 60).")],
    start: Annotated[str, typer.Option(help="The first month, YYYY-MM (e.g. 2023-11).")],
    amount: Annotated[str, typer.Option(help="Rupiah a month (leave out for help in kind).")] = "",
    in_kind: Annotated[str, typer.Option(help="What is given in kind, instead of money.")] = "",
    channel: Annotated[Channel, typer.Option(help="baznas, direct or other.")] = Channel.BAZNAS,
    note: NoteOption = "",
) -> None:
    """Record a sponsor's pledge: rupiah a month (or help in kind) for some months."""
    raw = {
        "monthly_amount_rupiah": amount,
        "in_kind": in_kind,
        "months": months,
        "start_month": start,
        "channel": channel.value,
        "note": note,
    }
    options = {
        "monthly_amount_rupiah": "--amount",
        "in_kind": "--in-kind",
        "months": "--months",
        "start_month": "--start",
        "sponsor_id": "SPONSOR",
    }
    new = _checked(read_pledge(raw, sponsor), options)
    with registry(load_settings()) as connection:
        number = _writes(lambda: asuh.add_pledge(connection, SCOPE, cli_actor(), new), options)
    _say(_gettext()("Pledge {number} recorded.").format(number=number))


@asuh_app.command("payment")
def payment_command(
    sponsor: SponsorArgument,
    amount: AmountOption,
    reference: Annotated[str, typer.Option(help="Baznas's receipt number (unique).")],
    on: Annotated[
        str, typer.Option("--on", help="The day received, YYYY-MM-DD (default: today).")
    ] = "",
    pledge: Annotated[str, typer.Option(help="The pledge it pays, by number.")] = "",
    note: NoteOption = "",
) -> None:
    """Record money Baznas received from a sponsor."""
    today = date.today()
    raw = {
        "sponsor_id": str(sponsor),
        "received_on": on or today.isoformat(),
        "amount_rupiah": amount,
        "reference": reference,
        "pledge_id": pledge,
        "note": note,
    }
    options = {
        "sponsor_id": "SPONSOR",
        "received_on": "--on",
        "amount_rupiah": "--amount",
        "reference": "--reference",
        "pledge_id": "--pledge",
    }
    new = _checked(read_payment(raw, today), options)
    with registry(load_settings()) as connection:
        number = _writes(
            lambda: asuh_money.add_payment(connection, SCOPE, cli_actor(), new), options
        )
    _say(_gettext()("Payment {number} recorded.").format(number=number))


DISBURSE_OPTIONS = {
    "paid_on": "--on",
    "kelurahan_code": "--kelurahan",
    "amount_rupiah": "--amount",
    "proposal_reference": "--proposal",
    "recipient_kind": "--recipient",
    "kitchen_name": "--kitchen",
    "kitchen_id": "--kitchen-id",
    "sponsor_id": "--sponsor",
}


@asuh_app.command("disburse")
def disburse_command(  # noqa: PLR0913, PLR0917 - one option per field of the form
    kelurahan: Annotated[
        str, typer.Option(help="The kelurahan's Kemendagri code, e.g. 36.72.01.1001.")
    ],
    amount: AmountOption,
    proposal: Annotated[str, typer.Option(help="The number of the lurah's proposal.")],
    on: Annotated[
        str, typer.Option("--on", help="The day paid out, YYYY-MM-DD (default: today).")
    ] = "",
    recipient: Annotated[
        RecipientKind, typer.Option(help="kitchen (dapur umum) or family (packages).")
    ] = RecipientKind.KITCHEN,
    kitchen: Annotated[str, typer.Option(help="The kitchen's name (for a kitchen).")] = "",
    kitchen_id: Annotated[str, typer.Option(help="The kitchen's number, when known.")] = "",
    sponsor: Annotated[
        str, typer.Option(help="Draw only on this sponsor's money (default: the oldest money).")
    ] = "",
    note: NoteOption = "",
) -> None:
    """Record money Baznas paid out on a kelurahan's proposal; refused above the balance."""
    today = date.today()
    raw = {
        "paid_on": on or today.isoformat(),
        "kelurahan_code": kelurahan,
        "amount_rupiah": amount,
        "proposal_reference": proposal,
        "recipient_kind": recipient.value,
        "kitchen_name": kitchen,
        "kitchen_id": kitchen_id,
        "sponsor_id": sponsor,
        "note": note,
    }
    new = _checked(read_disbursement(raw, today), DISBURSE_OPTIONS)
    settings = load_settings()
    with registry(settings) as connection:
        number = _writes(
            lambda: asuh_money.add_disbursement(
                connection, SCOPE, cli_actor(), new, city_code=settings.city_code
            ),
            DISBURSE_OPTIONS,
        )
    _say(_gettext()("Disbursement {number} recorded.").format(number=number))


@asuh_app.command("summary")
def summary_command(
    by: Annotated[
        asuh_money.SummaryBy, typer.Option(help="sponsor, institution, kelurahan or month.")
    ] = asuh_money.SummaryBy.MONTH,
) -> None:
    """Pledged, received and disbursed rupiah per sponsor, OPD, kelurahan or month."""
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    with registry(settings) as connection:
        lines = asuh_money.money_summary(connection, SCOPE, by, city_code=settings.city_code)
    table = Table()
    for heading in ("Name", "Pledged", "Received", "Disbursed"):
        table.add_column(gettext(heading))
    for line in lines:
        label = line.label or gettext("(no OPD)")
        table.add_row(label, _rupiah(line.pledged), _rupiah(line.received), _rupiah(line.disbursed))
    Console().print(table)


@asuh_app.command("statement")
def statement_command(
    month: Annotated[str, typer.Option(help="The month, YYYY-MM (e.g. 2023-11).")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write the statement to this .xlsx file."),
    ] = None,
) -> None:
    """The month's Baznas statement: money in, out and the balance per sponsor and the
    money out per kelurahan; on screen, or as a spreadsheet with -o."""
    period = parse_month_option(month, "--month")
    if output is not None and output.suffix.lower() != ".xlsx":
        raise InputError(
            "-o {path}: the statement is written as a spreadsheet; give a file name ending "
            "in .xlsx",
            path=output.name,
        )
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    with registry(settings) as connection:
        found = asuh_money.baznas_statement(connection, SCOPE, period, city_code=settings.city_code)
    if output is not None:
        write_statement(found, period, output, language=language)
        _say(gettext("Written to {path}").format(path=output))
        return
    table = Table(title=gettext("Baznas statement, {month}").format(month=period.label))
    for heading in ("Name", "Balance at the start", "Received", "Disbursed", "Balance at the end"):
        table.add_column(gettext(heading))
    for line in found.sponsors:
        table.add_row(
            line.sponsor_name,
            *(_rupiah(v) for v in (line.opening, line.received, line.disbursed, line.closing)),
        )
    table.add_row(
        gettext("Total"),
        *(_rupiah(found.total(c)) for c in ("opening", "received", "disbursed", "closing")),
    )
    Console().print(table)
