"""``tumbuh user add | list``: accounts of the web application."""

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tumbuh.cli._common import registry
from tumbuh.cli._groups import user_app
from tumbuh.config import load_settings
from tumbuh.db.models_access import Role
from tumbuh.db.users import NewUser, create_user, list_users, posyandu_by_code, puskesmas_by_name
from tumbuh.errors import InputError
from tumbuh.i18n import Language, translations


@user_app.command("add")
def add_command(
    username: Annotated[str, typer.Argument(help="Login name (no spaces).")],
    role: Annotated[Role, typer.Option(help="admin, analyst, nutritionist, kader or partner.")],
    full_name: Annotated[str, typer.Option(help="The person's name as pages show it.")] = "",
    puskesmas: Annotated[str | None, typer.Option(help="Puskesmas name (nutritionist).")] = None,
    posyandu: Annotated[
        str | None, typer.Option(help="Posyandu code (kader), e.g. 36.72.01.1001.01.")
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
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(gettext("Password"), hide_input=True, confirmation_prompt=True)
    with registry(settings, write=True) as connection:
        puskesmas_id = posyandu_id = None
        if puskesmas is not None:
            puskesmas_id = puskesmas_by_name(connection, puskesmas)
            if puskesmas_id is None:
                raise InputError("--puskesmas: no puskesmas is named '{name}'", name=puskesmas)
        if posyandu is not None:
            posyandu_id = posyandu_by_code(connection, posyandu)
            if posyandu_id is None:
                raise InputError("--posyandu: no posyandu has the code '{code}'", code=posyandu)
        user = create_user(
            connection,
            NewUser(username, full_name, role, password, puskesmas_id, posyandu_id, language),
            datetime.now(UTC),
        )
    Console().print(
        gettext("User {username} ({role}) created.").format(
            username=user.username, role=gettext(user.role.value)
        ),
        highlight=False,
    )


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
        gettext("Active"),
    ):
        table.add_column(header)
    with registry(settings) as connection:
        for user in list_users(connection):
            table.add_row(
                user.username,
                user.full_name,
                gettext(user.role.value),
                str(user.puskesmas_id or ""),
                str(user.posyandu_id or ""),
                gettext("yes") if user.is_active else gettext("no"),
            )
    Console().print(table)
