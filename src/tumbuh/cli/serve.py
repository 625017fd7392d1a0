"""``tumbuh serve`` (the web application) and ``tumbuh demo setup`` (what ``make demo`` runs)."""

from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from tumbuh.cli import app
from tumbuh.cli._groups import demo_app
from tumbuh.config import load_settings
from tumbuh.demo.generate import generate_demo_city
from tumbuh.demo.settings import DemoConfig
from tumbuh.formatting import format_integer
from tumbuh.i18n import Language, translations
from tumbuh.usecases import database
from tumbuh.usecases.users import DEMO_PASSWORD


@app.command("serve")
def serve_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on; 0.0.0.0 for every interface.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (each keeps its own figures cache).")
    ] = 1,
) -> None:
    """Run the web application with uvicorn (Ctrl+C stops it)."""
    settings = load_settings()
    database.check_schema(settings.database_url)
    gettext = translations(Language(settings.language)).gettext
    Console().print(
        gettext("Tumbuh runs on http://{host}:{port}").format(host=host, port=port), highlight=False
    )
    uvicorn.run(
        "tumbuh.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        # The client's address behind a reverse proxy is the application's to find, from
        # TUMBUH_TRUSTED_PROXIES (tumbuh.web.security.client_address); uvicorn rewriting it
        # first (its default trusts X-Forwarded-For from 127.0.0.1) would contradict that.
        proxy_headers=False,
    )


@demo_app.command("setup")
def demo_setup_command(
    scale: Annotated[
        float, typer.Option(help="Size of the demo city if it is generated (1.0 = Cilegon).")
    ] = 1.0,
) -> None:
    """Migrate the database, generate the demo city if the registry is empty, and create one
    demo user per role (safe to repeat); prints the logins."""
    settings = load_settings()
    gettext = translations(Language(settings.language)).gettext
    console = Console()
    engine = database.open_database(settings.database_url)
    database.upgrade(engine)
    children = database.children_count(engine)
    if children == 0:
        console.print(gettext("Generating the demo city (about a minute)..."), highlight=False)
        generate_demo_city(engine, DemoConfig(scale=scale))
    else:
        console.print(
            gettext("The database already holds {count} children; the demo city is kept.").format(
                count=format_integer(children, Language(settings.language))
            ),
            highlight=False,
        )
    users = database.create_demo_users(engine)
    engine.dispose()
    console.print(
        gettext("Demo logins (password for all: {password}):").format(password=DEMO_PASSWORD),
        highlight=False,
    )
    for user in users:
        console.print(
            f"  {user.username:<10} {gettext(user.role.value)}  {user.full_name}", highlight=False
        )
