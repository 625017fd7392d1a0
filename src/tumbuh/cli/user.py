"""``tumbuh user add | list | password | sign-out``: accounts of the web application.

``password`` and ``sign-out`` end every web session of the user (its session version goes
up; docs/security.md, section 3): for a forgotten password, a lost phone or a colleague
who left.
"""

import sys
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tumbuh.cli._common import cli_actor, registry
from tumbuh.cli._groups import user_app
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.i18n import Language, translations
from tumbuh.usecases.access import Role
from tumbuh.usecases.users import NewUser, accounts, add_account, end_sessions_of, new_password_of


@user_app.command("add")
def add_command(  # noqa: PLR0913, PLR0917 - one parameter per option, as Typer reads them
    username: Annotated[str, typer.Argument(help="Login name (no spaces).")],
    role: Annotated[
        Role,
        typer.Option(
            help=(
                "admin, analyst, nutritionist, kader, partner, kitchen, sponsor, bidan, tpk "
                "or auditor."
            )
        ),
    ],
    full_name: Annotated[str, typer.Option(help="The person's name as pages show it.")] = "",
    puskesmas: Annotated[
        str | None, typer.Option(help="Puskesmas name (nutritionist; bidan or tpk of its area).")
    ] = None,
    posyandu: Annotated[
        str | None,
        typer.Option(
            help="Posyandu code (kader; bidan or tpk of its kelurahan), e.g. 36.72.01.1001.01."
        ),
    ] = None,
    kitchen: Annotated[
        int | None, typer.Option(help="Kitchen number (kitchen operator; tumbuh kitchen list).")
    ] = None,
    sponsor: Annotated[
        int | None, typer.Option(help="The bapak asuh's number (sponsor; tumbuh asuh sponsors).")
    ] = None,
    institution: Annotated[
        str | None,
        typer.Option(
            help="Partner institution, by number or exact name (partner; it then updates "
            "its institution's actions)."
        ),
    ] = None,
    language: Annotated[str, typer.Option(help="Interface language: id or en.")] = "id",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user; asks for the password twice unless --password-stdin is given."""
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    if language not in ("id", "en"):
        raise InputError("--language: '{value}' is not accepted; use id or en", value=language)
    password = _read_password(password_stdin, gettext)
    new = NewUser(username, full_name, role, password, language=language, sponsor_id=sponsor)
    with registry(settings) as connection:
        user = add_account(
            connection,
            cli_actor(),
            new,
            puskesmas=puskesmas,
            posyandu=posyandu,
            kitchen=kitchen,
            institution=institution,
        )
    Console().print(
        gettext("User {username} ({role}) created.").format(
            username=user.username, role=gettext(user.role.value)
        ),
        highlight=False,
    )


def _read_password(from_stdin: bool, gettext: Callable[[str], str]) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt(gettext("Password"), hide_input=True, confirmation_prompt=True))


UsernameArgument = Annotated[str, typer.Argument(help="Login name of the account.")]


@user_app.command("password")
def password_command(
    username: UsernameArgument,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Set a new password (asked twice unless --password-stdin); ends the user's sessions."""
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    password = _read_password(password_stdin, gettext)
    with registry(settings) as connection:
        user = new_password_of(connection, cli_actor(), username, password)
    message = gettext("New password of {username} stored; every session of the user has ended.")
    Console().print(message.format(username=user.username), highlight=False)


@user_app.command("sign-out")
def sign_out_command(username: UsernameArgument) -> None:
    """End every web session of the user at once (e.g. a lost phone); the password stays."""
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    with registry(settings) as connection:
        user = end_sessions_of(connection, cli_actor(), username)
    message = gettext("Every session of {username} has ended.")
    Console().print(message.format(username=user.username), highlight=False)


@user_app.command("list")
def list_command() -> None:
    """Show every user with role and area (never a password)."""
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    table = Table()
    for header in (
        gettext("Username"),
        gettext("Name"),
        gettext("Role"),
        "Puskesmas",
        "Posyandu",
        gettext("Kitchen"),
        gettext("Active"),
    ):
        table.add_column(header)
    with registry(settings) as connection:
        for user in accounts(connection):
            table.add_row(
                user.username,
                user.full_name,
                gettext(user.role.value),
                str(user.puskesmas_id or ""),
                str(user.posyandu_id or ""),
                str(user.kitchen_id or ""),
                gettext("yes") if user.is_active else gettext("no"),
            )
    Console().print(table)
