"""``tumbuh cases open | list | show | refer | examine | treat | close``: the cases of the
city from the command line (docs/cases.md).

The command line acts for the whole city, as an administrator; each change is audited
with the actor "cli:<user>". Names and NIK are personal data: the list and a case show
initials and a masked NIK unless ``--unmask`` is given.
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tumbuh.case_labels import (
    PROBLEM_NAMES,
    STATUS_NAMES,
    STEP_FIELD_NAMES,
    accepted_text,
    reason_name,
)
from tumbuh.cli._common import AreaOption, MonthOption, PosyanduOption, cli_actor, month_at_place
from tumbuh.cli._common import registry as open_registry
from tumbuh.cli._groups import cases_app
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.growth.cases import (
    STEP_TEMPLATES,
    CaseStatus,
    Intervention,
    Outcome,
    Problem,
    StepError,
    StepInput,
)
from tumbuh.i18n import Language, translations
from tumbuh.privacy import mask_name, mask_nik
from tumbuh.reports.case_register import case_register_table
from tumbuh.reports.xlsx import write_workbook
from tumbuh.usecases import cases
from tumbuh.usecases.places import load_places
from tumbuh.usecases.surveillance import referral_rules

CaseArgument = Annotated[int, typer.Argument(help="The case number (tumbuh cases list).")]
OnOption = Annotated[
    str, typer.Option("--on", help="The day of this step, YYYY-MM-DD (default: today).")
]
NoteOption = Annotated[str | None, typer.Option(help="A short note for this step.")]
UnmaskOption = Annotated[
    bool,
    typer.Option(
        "--unmask", help="Show full names and NIK (personal data: only for those who may)."
    ),
]


@cases_app.command("open")
def open_command(
    month: MonthOption, posyandu: PosyanduOption = None, area: AreaOption = None
) -> None:
    """Open a case for each child and problem on the month's referral list that has no open
    case (only when that month is the child's latest month with a measurement, and the
    child is under 60 months)."""
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    with month_at_place(
        settings,
        month,
        posyandu,
        area,
        lambda value: InputError(
            "--month: '{value}' is not a month; cases open from a month's referral list, so "
            "write it as YYYY-MM, for example 2024-08",
            value=value,
        ),
    ) as at:
        places = load_places(at.connection, settings.city_code)
        done = cases.open_cases(
            at.connection,
            cases.COMMAND_LINE_SCOPE,
            at.month,
            places=places,
            area=at.area,
            user=cli_actor(),
            rules=referral_rules(settings),
        )
    Console().print(
        gettext(
            "{month}: {opened} cases opened; {already} already open; {later} children "
            "measured again later; {aged} aged 60 months or more."
        ).format(
            month=at.month.label,
            opened=done.opened,
            already=done.already_open,
            later=done.not_latest,
            aged=done.aged_out,
        ),
        highlight=False,
    )


def _identity(row: cases.CaseRow, unmask: bool) -> tuple[str, str]:
    if unmask:
        return row.child_name, row.nik or ""
    return mask_name(row.child_name), mask_nik(row.nik) or ""


XlsxOption = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help="Write the register to this .xlsx file (every case with the filters; names "
        "masked unless --unmask) instead of the screen.",
    ),
]


@cases_app.command("list")
def list_command(
    status: Annotated[CaseStatus | None, typer.Option(help="Only cases in this status.")] = None,
    problem: Annotated[Problem | None, typer.Option(help="Only cases of this problem.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue follow-ups.")] = False,
    closed: Annotated[
        bool, typer.Option("--closed", help="Include closed cases (default: open ones).")
    ] = False,
    unmask: UnmaskOption = False,
    output: XlsxOption = None,
) -> None:
    """The case register: most severe first, then the youngest child, with the next
    follow-up due (! when overdue)."""
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    today = date.today()
    if output is not None:
        _write_xlsx(output, status, problem, overdue, closed, unmask)
        return
    with open_registry(settings) as connection:
        page = cases.case_list(
            connection,
            cases.COMMAND_LINE_SCOPE,
            today=today,
            status=status,
            problem=problem,
            only_overdue=overdue,
            closed=closed,
            per_page=None,
        )
    table = Table(title=gettext("Cases: {count}").format(count=page.total))
    for heading in ("Case", "Name", "NIK", "Posyandu", "Problem", "Stage", "Next follow-up"):
        table.add_column(gettext(heading))
    for row in page.cases:
        name, nik = _identity(row, unmask)
        due = row.next_due_on.isoformat() if row.next_due_on else "-"
        table.add_row(
            str(row.id),
            name,
            nik,
            row.posyandu_name or "-",
            gettext(PROBLEM_NAMES[row.problem]),
            gettext(STATUS_NAMES[row.status]),
            f"{due} !" if row.id in page.overdue else due,
        )
    Console().print(table)


def _write_xlsx(
    output: Path,
    status: CaseStatus | None,
    problem: Problem | None,
    overdue: bool,
    closed: bool,
    unmask: bool,
) -> None:
    if output.suffix.lower() != ".xlsx":
        raise InputError(
            "-o {path}: the register is written as a spreadsheet; give a file name ending in .xlsx",
            path=output.name,
        )
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    with open_registry(settings) as connection:
        found = cases.case_export(
            connection,
            cases.COMMAND_LINE_SCOPE,
            today=date.today(),
            status=status,
            problem=problem,
            only_overdue=overdue,
            closed=closed,
            unmask=unmask,
        )
    title = gettext("Cases: {count}").format(count=len(found.rows))
    table = case_register_table(
        found.rows, title=f"{title}, {found.today.isoformat()}", masked=not unmask, gettext=gettext
    )
    write_workbook([table], output, language=language)
    Console().print(
        gettext("Written to {path}").format(path=output), highlight=False, soft_wrap=True
    )


@cases_app.command("show")
def show_command(case_id: CaseArgument, unmask: UnmaskOption = False) -> None:
    """One case: the child, the reasons, each step with its findings (the rujukan balik)."""
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    with open_registry(settings) as connection:
        view = _found(
            lambda: cases.find_case(connection, cases.COMMAND_LINE_SCOPE, case_id, date.today()),
            case_id,
        )
    row = view.case
    name, nik = _identity(row, unmask)
    console = Console()
    reasons = ", ".join(reason_name(r, gettext) for r in row.reasons)
    console.print(
        f"{gettext('Case')} {row.id}: {name} {nik} ({row.posyandu_name or '-'})", highlight=False
    )
    console.print(f"{gettext(PROBLEM_NAMES[row.problem])}: {reasons}", highlight=False)
    due = row.next_due_on.isoformat() if row.next_due_on else "-"
    console.print(
        f"{gettext(STATUS_NAMES[row.status])}; {gettext('Next follow-up')}: {due}", highlight=False
    )
    for step in view.steps:
        fields = "; ".join(
            f"{gettext(STEP_FIELD_NAMES.get(k, k))}: {v}"
            for k, v in step.fields.items()
            if k != "status"
        )
        status = gettext(STATUS_NAMES[step.status])
        console.print(
            f"  {step.taken_on.isoformat()} {status} ({step.actor}) {fields}", highlight=False
        )


def _found(read: Callable[[], cases.CaseView], case_id: int) -> cases.CaseView:
    try:
        view: cases.CaseView = read()
    except cases.OutOfScope:
        raise InputError(
            "case {value} does not exist; see tumbuh cases list", value=case_id
        ) from None
    return view


def _day(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            "--on: '{value}' is not a date; write it as YYYY-MM-DD, for example 2024-08-17",
            value=text,
        ) from None


def _step(case_id: int, step: StepInput) -> None:
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    with open_registry(settings) as connection:
        try:
            errors = cases.take_step(
                connection, cases.COMMAND_LINE_SCOPE, cli_actor(), case_id, step, date.today()
            )
        except cases.OutOfScope:
            raise InputError(
                "case {value} does not exist; see tumbuh cases list", value=case_id
            ) from None
    if errors:
        raise InputError("; ".join(_error_text(e, gettext) for e in errors))
    Console().print(
        gettext("Case {case}: {status} recorded.").format(
            case=case_id, status=gettext(STATUS_NAMES[step.status])
        ),
        highlight=False,
    )


def _error_text(error: StepError, gettext: Callable[[str], str]) -> str:
    field = gettext(STEP_FIELD_NAMES.get(error.field, error.field))
    return str(
        gettext(STEP_TEMPLATES[error.problem]).format(
            field=field, value=error.value, accepted=accepted_text(error.accepted, gettext)
        )
    )


@cases_app.command("refer")
def refer_command(
    case_id: CaseArgument,
    to: Annotated[str, typer.Option("--to", help="Where the child was referred (puskesmas).")],
    on: OnOption = "",
    note: NoteOption = None,
) -> None:
    """Record that the child was referred (dirujuk)."""
    _step(case_id, StepInput(CaseStatus.DIRUJUK, _day(on), referred_to=to, note=note))


@cases_app.command("examine")
def examine_command(
    case_id: CaseArgument,
    confirmed: Annotated[
        bool,
        typer.Option(
            "--confirmed/--not-confirmed", help="Whether the puskesmas confirmed the problem."
        ),
    ],
    on: OnOption = "",
    comorbidity: Annotated[str | None, typer.Option(help="Co-morbidity found.")] = None,
    given: Annotated[str | None, typer.Option(help="What the puskesmas gave.")] = None,
    note: NoteOption = None,
) -> None:
    """Record the puskesmas's examination (diperiksa): the rujukan balik."""
    step = StepInput(
        CaseStatus.DIPERIKSA,
        _day(on),
        diagnosis_confirmed=confirmed,
        comorbidity=comorbidity,
        given=given,
        note=note,
    )
    _step(case_id, step)


@cases_app.command("treat")
def treat_command(
    case_id: CaseArgument,
    intervention: Annotated[Intervention, typer.Option(help="What was done.")],
    on: OnOption = "",
    note: NoteOption = None,
) -> None:
    """Record an intervention or a follow-up visit (ditangani)."""
    _step(case_id, StepInput(CaseStatus.DITANGANI, _day(on), intervention=intervention, note=note))


@cases_app.command("close")
def close_command(
    case_id: CaseArgument,
    outcome: Annotated[Outcome, typer.Option(help="How the case ended.")],
    on: OnOption = "",
    note: NoteOption = None,
) -> None:
    """Close the case (selesai) with its outcome."""
    _step(case_id, StepInput(CaseStatus.SELESAI, _day(on), outcome=outcome, note=note))
