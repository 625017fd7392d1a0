"""``tumbuh kitchen list | add | funding | servings | report``: the PMT kitchens from the
command line (docs/kitchens.md).

The command line acts for the whole city, as an administrator; each change is audited
with the actor "cli:<user>". The serving log names children: ``servings`` shows initials
unless ``--unmask`` is given.
"""

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tumbuh.cli._common import cli_actor, parse_month_option, registry
from tumbuh.cli._groups import kitchen_app
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.growth.kitchens import FieldError, read_day, read_funding, read_kitchen, weekday_numbers
from tumbuh.i18n import Language, translations
from tumbuh.kitchen_labels import (
    FUNDING_NAMES,
    KIND_NAMES,
    OPERATOR_NAMES,
    error_text,
    weekdays_names,
)
from tumbuh.privacy import mask_name
from tumbuh.reports.pmt_report import write_pmt_report
from tumbuh.usecases import kitchens, servings
from tumbuh.usecases.pmt_report import pmt_month

KitchenArgument = Annotated[int, typer.Argument(help="The kitchen number (tumbuh kitchen list).")]
# The option each field of the rules is typed in.
OPTIONS = {
    "name": "NAME",
    "kind": "--kind",
    "kelurahan": "--kelurahan",
    "operator": "--operator",
    "contact_name": "--contact-name",
    "contact_phone": "--contact-phone",
    "capacity": "--capacity",
    "weekdays": "--days",
    "note": "--note",
    "source": "--source",
    "amount_rp": "--amount",
    "starts_on": "--from",
    "ends_on": "--to",
    "date": "--date",
}


def _refuse(errors: list[FieldError], language: Language) -> InputError:
    """The errors as one message, each naming the option it was typed in."""
    gettext = translations(language).gettext
    texts = [error_text(replace(e, field=OPTIONS.get(e.field, e.field)), gettext) for e in errors]
    return InputError("; ".join(texts))


def _missing(kitchen_id: int) -> InputError:
    return InputError("kitchen {value} does not exist; see tumbuh kitchen list", value=kitchen_id)


@kitchen_app.command("list")
def list_command() -> None:
    """Every kitchen: number, name, kelurahan, kind, who runs it, servings a day, cooking
    days and whether it is active."""
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    with registry(settings) as connection:
        listed = kitchens.kitchen_list(connection, kitchens.COMMAND_LINE_SCOPE)
    table = Table(title=gettext("PMT kitchens: {count}").format(count=len(listed.kitchens)))
    for heading in ("No.", "Kitchen name", "Kelurahan", "Kind of kitchen", "Run by"):
        table.add_column(gettext(heading))
    for heading in ("Servings a day", "Cooking days", "Active"):
        table.add_column(gettext(heading))
    for k in listed.kitchens:
        table.add_row(
            str(k.id),
            k.name,
            k.kelurahan_name,
            gettext(KIND_NAMES[k.kind]),
            gettext(OPERATOR_NAMES[k.operator]),
            str(k.capacity),
            weekdays_names(weekday_numbers(k.weekdays), gettext),
            gettext("yes") if k.active else gettext("no"),
        )
    Console().print(table)


@kitchen_app.command("add")
def add_command(  # noqa: PLR0913 - a kitchen's fields as options
    name: Annotated[str, typer.Argument(help="The kitchen's name.")],
    *,
    kind: Annotated[str, typer.Option(help="dapur_umum_pkk, dashat, kamus or other.")],
    kelurahan: Annotated[str, typer.Option(help="Kelurahan code (36.72.01.1001) or name.")],
    operator: Annotated[str, typer.Option(help="Who runs it: tp_pkk, pokja, tpk or other.")],
    capacity: Annotated[str, typer.Option(help="Servings it can cook a day.")],
    days: Annotated[
        str, typer.Option(help="Cooking days: 1 = Monday ... 7 = Sunday, e.g. 1-5 or 1,3,5.")
    ] = "1-5",
    contact_name: Annotated[str, typer.Option(help="Contact person.")] = "",
    contact_phone: Annotated[str, typer.Option(help="Contact phone, e.g. 0812 3456 7890.")] = "",
    note: Annotated[str, typer.Option(help="A short note.")] = "",
) -> None:
    """Add a kitchen (audited)."""
    settings = load_settings()
    language = Language(settings.language)
    raw = {
        "name": name,
        "kind": kind,
        "kelurahan": kelurahan,
        "operator": operator,
        "capacity": capacity,
        "weekdays": days,
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "note": note,
        "active": "true",
    }
    kitchen, errors = read_kitchen(raw)
    if kitchen is None:
        raise _refuse(errors, language)
    with registry(settings) as connection:
        saved = kitchens.create_kitchen(
            connection,
            kitchens.COMMAND_LINE_SCOPE,
            cli_actor(),
            kitchen,
            city_code=settings.city_code,
        )
    if saved.kitchen_id is None:
        raise _refuse(saved.errors, language)
    message = translations(language).gettext("Kitchen {number} added: {name}.")
    Console().print(message.format(number=saved.kitchen_id, name=kitchen.name), highlight=False)


def _funding_table(view: kitchens.KitchenView, language: Language) -> Table:
    gettext = translations(language).gettext
    title = gettext("Funding lines of {kitchen}").format(kitchen=view.kitchen.name)
    table = Table(title=title)
    for heading in ("No.", "Source of funds", "Amount (Rp)", "From", "Until", "In force", "Note"):
        table.add_column(gettext(heading))
    for f in view.funding:
        table.add_row(
            str(f.id),
            gettext(FUNDING_NAMES[f.source]),
            f"{f.amount_rp:,}".replace(",", "."),
            f.starts_on.isoformat(),
            f.ends_on.isoformat(),
            gettext("yes") if f.id in view.in_force else gettext("no"),
            f.note or "",
        )
    return table


@kitchen_app.command("funding")
def funding_command(
    kitchen_id: KitchenArgument,
    source: Annotated[
        str | None,
        typer.Option(help="Add a line from: apbd, dak, baznas, bapak_asuh, csr or other."),
    ] = None,
    amount: Annotated[str, typer.Option(help="Amount in whole rupiah, e.g. 7500000.")] = "",
    starts_on: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")] = "",
    ends_on: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = "",
    note: Annotated[str, typer.Option(help="A short note.")] = "",
) -> None:
    """Show a kitchen's funding lines; with --source, add one first (audited)."""
    settings = load_settings()
    language = Language(settings.language)
    scope = kitchens.COMMAND_LINE_SCOPE
    with registry(settings) as connection:
        try:
            if source is not None:
                raw = {
                    "source": source,
                    "amount_rp": amount,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "note": note,
                }
                line, errors = read_funding(raw)
                if line is None:
                    raise _refuse(errors, language)
                kitchens.add_funding(connection, scope, cli_actor(), kitchen_id, line)
            view = kitchens.find_kitchen(connection, scope, kitchen_id, date.today())
        except kitchens.OutOfScope:
            raise _missing(kitchen_id) from None
    Console().print(_funding_table(view, language))


def _ids(text: str, option: str) -> frozenset[int]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        raise InputError(
            "{option}: '{value}' is not a list of numbers; write the numbers of the list, "
            "for example 12,15",
            option=option,
            value=text,
        )
    return frozenset(int(p) for p in parts)


@kitchen_app.command("servings")
def servings_command(
    kitchen_id: KitchenArgument,
    day: Annotated[str, typer.Option("--date", help="The day, YYYY-MM-DD (default today).")] = "",
    serve: Annotated[
        str, typer.Option(help="Log a serving for these numbers of the list, e.g. 12,15.")
    ] = "",
    take_back: Annotated[
        str, typer.Option(help="Take back the servings of these numbers, e.g. 14.")
    ] = "",
    unmask: Annotated[
        bool, typer.Option("--unmask", help="Show full names (personal data).")
    ] = False,
) -> None:
    """The day's tick list of a kitchen (who was served); with --serve or --take-back,
    change it first (audited; a second serving on one day is refused)."""
    settings = load_settings()
    language = Language(settings.language)
    today = date.today()
    on, errors = read_day(day, today)
    if errors:
        raise _refuse(errors, language)
    scope, actor = kitchens.COMMAND_LINE_SCOPE, cli_actor()
    with registry(settings) as connection:
        try:
            found = servings.serving_day(connection, scope, kitchen_id, on, today)
            added, taken = _ids(serve, "--serve"), _ids(take_back, "--take-back")
            if found.errors:
                raise _refuse(found.errors, language)
            if added or taken:
                known = frozenset(r.episode_id for r in found.rows if r.served)
                done = servings.save_day(
                    connection,
                    scope,
                    actor,
                    kitchen_id,
                    on,
                    served=(known | added) - taken,
                    known=known - added,
                    today=today,
                )
                if done.errors:
                    raise _refuse(done.errors, language)
                found = servings.serving_day(connection, scope, kitchen_id, on, today)
        except servings.OutOfScope:
            raise _missing(kitchen_id) from None
    _print_day(found, unmask, language)


def _print_day(found: servings.ServingDay, unmask: bool, language: Language) -> None:
    gettext = translations(language).gettext
    title = gettext("{kitchen}, {day}: {served} of {people} served").format(
        kitchen=found.kitchen.name,
        day=found.day.isoformat(),
        served=found.served,
        people=len(found.rows),
    )
    table = Table(title=title)
    for heading in ("No.", "Name", "Age (months)", "Posyandu", "Served"):
        table.add_column(gettext(heading))
    for r in found.rows:
        table.add_row(
            str(r.episode_id),
            r.name if unmask else mask_name(r.name),
            "-" if r.age_months is None else str(r.age_months),
            r.posyandu_name or "-",
            "✓" if r.served else "",
        )
    Console().print(table)


@kitchen_app.command("report")
def report_command(
    month: Annotated[str, typer.Option(help="The month, YYYY-MM (e.g. 2024-08).")],
    output: Annotated[
        Path, typer.Option("-o", "--out", "--output", help="The .xlsx file to write.")
    ],
) -> None:
    """The monthly PMT report of every kitchen (funding in force, people fed, servings,
    serving days, adherence, episodes started and ended), as .xlsx."""
    settings = load_settings()
    language = Language(settings.language)
    period = parse_month_option(month, "--month")
    if output.suffix.lower() != ".xlsx":
        raise InputError(
            "--out {path}: the report is written as a spreadsheet; give a file name ending "
            "in .xlsx",
            path=output.name,
        )
    with registry(settings) as connection:
        found = pmt_month(connection, kitchens.COMMAND_LINE_SCOPE, period, date.today())
    write_pmt_report(found, output, language=language)
    gettext = translations(language).gettext
    Console().print(
        gettext("Written to {path}").format(path=output), highlight=False, soft_wrap=True
    )
