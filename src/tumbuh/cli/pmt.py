"""``tumbuh pmt eligible | episodes | show | enrol | close``: PMT lokal from the command
line (docs/pmt.md).

The command line acts for the whole city, as an administrator; each change is audited
with the actor "cli:<user>". Names and NIK are personal data: lists show initials and a
masked NIK unless ``--unmask`` is given.
"""

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from tumbuh.case_labels import PROBLEM_NAMES
from tumbuh.cli._common import (
    AreaOption,
    PosyanduOption,
    cli_actor,
    parse_month_option,
    resolve_area,
)
from tumbuh.cli._common import registry as open_registry
from tumbuh.cli._groups import pmt_app
from tumbuh.config import load_settings
from tumbuh.episode_labels import (
    EXIT_NAMES,
    INDICATION_NAMES,
    REFUSAL_NAMES,
    episode_error_text,
)
from tumbuh.errors import InputError
from tumbuh.growth.pmt import Funding, Indication
from tumbuh.growth.pmt_episodes import Closing, EpisodeError
from tumbuh.i18n import Language, translations
from tumbuh.privacy import mask_name, mask_nik
from tumbuh.reports.pmt_register import episode_register_table
from tumbuh.reports.xlsx import write_workbook
from tumbuh.usecases import pmt_eligibility, pmt_enrolment, pmt_episodes, pmt_register
from tumbuh.usecases.places import load_places
from tumbuh.usecases.surveillance import referral_rules

T = TypeVar("T")
MonthOption = Annotated[
    str, typer.Option(help="The month whose lists judge the children, YYYY-MM (e.g. 2024-08).")
]
EpisodeArgument = Annotated[int, typer.Argument(help="The episode number (tumbuh pmt episodes).")]
UnmaskOption = Annotated[
    bool,
    typer.Option(
        "--unmask", help="Show full names and NIK (personal data: only for those who may)."
    ),
]


def _no_memo(key: object, compute: Callable[[], T]) -> T:
    return compute()


def _gettext() -> Callable[[str], str]:
    return translations(Language(load_settings().language)).gettext


def _z(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


@pmt_app.command("eligible")
def eligible_command(
    month: MonthOption,
    posyandu: PosyanduOption = None,
    area: AreaOption = None,
    refused: Annotated[
        bool, typer.Option("--refused", help="Also the children a rule refuses, with the rule.")
    ] = False,
    unmask: UnmaskOption = False,
) -> None:
    """The month's children who may be fed PMT lokal: indication, z-scores, open case,
    days planned by the rules of the month's year, and the open episode if any."""
    settings = load_settings()
    gettext = _gettext()
    period = parse_month_option(month, "--month")
    if posyandu is not None and area is not None:
        raise InputError("give either --posyandu or --area, not both")
    with open_registry(settings) as connection:
        places = load_places(connection, settings.city_code)
        where = resolve_area(connection, settings.city_code, posyandu, area)
        query = pmt_eligibility.EligibilityQuery(period, None, refused, 1, 2**31 - 1)
        found = pmt_eligibility.eligibility_list(
            connection,
            places,
            _no_memo,
            where,
            pmt_episodes.COMMAND_LINE_SCOPE,
            referral_rules(settings),
            query,
            today=date.today(),
        )
    title = gettext("{month}: {eligible} children eligible, {enrolled} enrolled").format(
        month=period.label, eligible=found.eligible, enrolled=found.enrolled
    )
    table = Table(title=f"{title} ({found.rules_version or '-'})")
    for heading in ("Child", "Name", "Posyandu", "Age (months)", "Indication"):
        table.add_column(gettext(heading))
    for heading in ("ZS BB/U", "ZS BB/TB", "ZS TB/U"):
        table.add_column(heading)
    for heading in ("Open case", "Days planned", "Episode"):
        table.add_column(gettext(heading))
    for c in found.children:
        judged = (
            gettext(INDICATION_NAMES[c.indication])
            if c.indication
            else gettext(REFUSAL_NAMES[c.refusal])
        )
        case = gettext(PROBLEM_NAMES[c.open_case.problem]) if c.open_case else "-"
        table.add_row(
            str(c.child_id),
            c.name if unmask else mask_name(c.name),
            c.posyandu_name or "-",
            str(c.age_months),
            judged,
            _z(c.waz),
            _z(c.whz),
            _z(c.haz),
            case,
            str(c.planned_days or "-"),
            str(c.episode_id or "-"),
        )
    Console().print(table)


XlsxOption = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help="Write the register to this .xlsx file (every episode with the filters; names "
        "masked unless --unmask) instead of the screen.",
    ),
]


def _query(
    state: pmt_register.EpisodeState | None,
    kitchen: int | None,
    indication: Indication | None,
    month: str | None,
) -> pmt_register.EpisodeQuery:
    period = None if month is None else parse_month_option(month, "--month")
    return pmt_register.EpisodeQuery(kitchen, indication, state, period)


@pmt_app.command("episodes")
def episodes_command(
    state: Annotated[
        pmt_register.EpisodeState | None, typer.Option(help="Only open or ended episodes.")
    ] = None,
    kitchen: Annotated[int | None, typer.Option(help="Only this kitchen (its number).")] = None,
    indication: Annotated[Indication | None, typer.Option(help="Only this indication.")] = None,
    month: Annotated[
        str | None, typer.Option(help="Only episodes running in this month, YYYY-MM.")
    ] = None,
    unmask: UnmaskOption = False,
    output: XlsxOption = None,
) -> None:
    """The register of PMT episodes: open ones first, then the latest start."""
    settings = load_settings()
    gettext = _gettext()
    query = _query(state, kitchen, indication, month)
    if output is not None:
        _write_xlsx(output, query, unmask)
        return
    with open_registry(settings) as connection:
        listed = pmt_register.episode_list(
            connection, pmt_episodes.COMMAND_LINE_SCOPE, query=query, per_page=None
        )
    table = Table(title=gettext("PMT episodes: {count}").format(count=listed.total))
    for heading in ("Episode number", "Name", "NIK", "Kitchen", "Indication", "Start date"):
        table.add_column(gettext(heading))
    for heading in ("Days served", "Days planned", "Outcome"):
        table.add_column(gettext(heading))
    for e in listed.episodes:
        outcome = gettext(EXIT_NAMES[e.exit]) if e.exit else gettext("open")
        table.add_row(
            str(e.id),
            e.child_name if unmask else mask_name(e.child_name),
            (e.nik if unmask else mask_nik(e.nik)) or "",
            e.kitchen_name or "-",
            gettext(INDICATION_NAMES[e.indication]),
            e.started_on.isoformat(),
            str(e.served_days),
            str(e.planned_days),
            outcome,
        )
    Console().print(table)


def _write_xlsx(output: Path, query: pmt_register.EpisodeQuery, unmask: bool) -> None:
    if output.suffix.lower() != ".xlsx":
        raise InputError(
            "-o {path}: the register is written as a spreadsheet; give a file name ending in .xlsx",
            path=output.name,
        )
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    with open_registry(settings) as connection:
        places = load_places(connection, settings.city_code)
        found = pmt_register.episode_export(
            connection,
            pmt_episodes.COMMAND_LINE_SCOPE,
            query=query,
            today=date.today(),
            places=places,
            unmask=unmask,
        )
    title = gettext("PMT episodes: {count}").format(count=len(found.rows))
    table = episode_register_table(
        found.rows, title=f"{title}, {found.today.isoformat()}", masked=not unmask, gettext=gettext
    )
    write_workbook([table], output, language=language)
    Console().print(
        gettext("Written to {path}").format(path=output), highlight=False, soft_wrap=True
    )


def _refused(errors: Sequence[EpisodeError]) -> InputError:
    gettext = _gettext()
    return InputError("; ".join(episode_error_text(e, gettext) for e in errors))


def _day(text: str | None, option: str) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            "{option}: '{value}' is not a date; write it as YYYY-MM-DD, for example 2024-08-17",
            option=option,
            value=text,
        ) from None


@pmt_app.command("enrol")
def enrol_command(
    children: Annotated[
        list[int], typer.Argument(help="The children's numbers (tumbuh pmt eligible).")
    ],
    month: MonthOption,
    kitchen: Annotated[int, typer.Option(help="The kitchen's number.")],
    funding: Annotated[Funding, typer.Option(help="Where the money comes from.")],
    start: Annotated[
        str, typer.Option("--start", help="The first day of feeding, YYYY-MM-DD (default: today).")
    ] = "",
    indication: Annotated[
        Indication | None,
        typer.Option(help="Only for an exception whose month's reasons give no indication."),
    ] = None,
    override_reason: Annotated[
        str | None,
        typer.Option(help="Enrol the children a rule refuses, for this reason (audited)."),
    ] = None,
) -> None:
    """Enrol children at a kitchen (all or none): the indication and the days planned
    come from the month's lists and the rules in force at the start."""
    settings = load_settings()
    enrolment = pmt_enrolment.Enrolment(
        tuple(children),
        parse_month_option(month, "--month"),
        kitchen,
        _day(start, "--start"),
        funding,
        indication=indication,
        override_reason=override_reason,
    )
    with open_registry(settings) as connection:
        try:
            done = pmt_enrolment.enrol(
                connection,
                pmt_episodes.COMMAND_LINE_SCOPE,
                cli_actor(),
                enrolment,
                today=date.today(),
                rules=referral_rules(settings),
            )
        except pmt_enrolment.OutOfScope:
            raise InputError(
                "a child of {value} does not exist; see tumbuh pmt eligible",
                value=", ".join(str(c) for c in children),
            ) from None
    if done.errors:
        raise _refused(done.errors)
    gettext = _gettext()
    Console().print(
        gettext("Enrolled: episode {episodes}.").format(
            episodes=", ".join(str(i) for i in done.episode_ids)
        ),
        highlight=False,
    )


@pmt_app.command("show")
def show_command(episode: EpisodeArgument, unmask: UnmaskOption = False) -> None:
    """One episode: the child, the kitchen, the days, the checkpoints and the progress."""
    settings = load_settings()
    gettext = _gettext()
    with open_registry(settings) as connection:
        try:
            view = pmt_episodes.find_episode(
                connection, pmt_episodes.COMMAND_LINE_SCOPE, episode, date.today()
            )
        except pmt_episodes.OutOfScope:
            raise InputError(
                "episode {value} does not exist; see tumbuh pmt episodes", value=episode
            ) from None
    e = view.episode
    console = Console(highlight=False)
    name = e.child_name if unmask else mask_name(e.child_name)
    console.print(f"{gettext('PMT episode')} {e.id}: {name} ({e.posyandu_name or '-'})")
    console.print(
        f"{gettext(INDICATION_NAMES[e.indication])}; {gettext('Rules of')} {e.rules_version}; "
        f"{gettext('Kitchen')}: {e.kitchen_name or '-'}"
    )
    console.print(
        f"{gettext('Start date')}: {e.started_on.isoformat()}; {gettext('Days planned')}: "
        f"{e.planned_days}; {gettext('Days served')}: {e.served_days}"
    )
    for c in view.checkpoints:
        point = c.point
        measured = (
            f"{point.measured_on.isoformat()} ({c.day}) {_z(point.waz)} {_z(point.whz)}"
            if point
            else "-"
        )
        console.print(f"  {gettext('Week {week}').format(week=c.week)}: {measured}")
    outcome = gettext(EXIT_NAMES[e.exit]) if e.exit else gettext("open")
    console.print(f"{gettext('Outcome')}: {outcome}")


@pmt_app.command("close")
def close_command(
    episode: EpisodeArgument,
    exit_: Annotated[
        Closing,
        typer.Option(
            "--exit",
            help="completed (recovered or not, judged by the rule of the episode's version), "
            "dropped_out, moved or referred.",
        ),
    ],
    on: Annotated[
        str, typer.Option("--on", help="The last day, YYYY-MM-DD (default: today).")
    ] = "",
    note: Annotated[str | None, typer.Option(help="A short note.")] = None,
    case_step: Annotated[
        bool,
        typer.Option(
            "--case-step/--no-case-step",
            help="Record the PMT on the episode's case (treated) when it was examined.",
        ),
    ] = True,
) -> None:
    """Close an episode (audited)."""
    settings = load_settings()
    closing = pmt_episodes.ClosingInput(exit_, _day(on, "--on"), note, case_step)
    with open_registry(settings) as connection:
        try:
            done = pmt_episodes.close_episode(
                connection,
                pmt_episodes.COMMAND_LINE_SCOPE,
                cli_actor(),
                episode,
                closing,
                today=date.today(),
            )
        except pmt_episodes.OutOfScope:
            raise InputError(
                "episode {value} does not exist; see tumbuh pmt episodes", value=episode
            ) from None
    if done.errors or done.exit is None:
        raise _refused(done.errors)
    gettext = _gettext()
    Console().print(
        gettext("Episode {episode} closed: {outcome}.").format(
            episode=episode, outcome=gettext(EXIT_NAMES[done.exit])
        ),
        highlight=False,
    )
