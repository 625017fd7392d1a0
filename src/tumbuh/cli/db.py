"""``tumbuh db upgrade | recompute | status``: the database's schema and derived values."""

from rich.console import Console
from rich.table import Table

from tumbuh.cli._groups import db_app
from tumbuh.config import load_settings
from tumbuh.formatting import format_decimal_places, format_integer
from tumbuh.i18n import Language, translations
from tumbuh.usecases import database
from tumbuh.usecases.database import REFERENCE_WHO2006, load_kbm_table, safe_url


@db_app.command("upgrade")
def upgrade_command() -> None:
    """Create or migrate the database schema and load the region data (safe to repeat)."""
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    engine = database.open_database(settings.database_url)
    result = database.upgrade(engine)
    console = Console()
    console.print(
        gettext("Database {url}: schema revision {after} (was {before}).").format(
            url=safe_url(settings.database_url),
            after=result.revision_after,
            before=result.revision_before or gettext("empty"),
        ),
        highlight=False,
    )
    loaded = result.regions
    console.print(
        gettext("Regions: {inserted} added, {updated} updated, {aliases} spellings added.").format(
            inserted=format_integer(loaded.inserted, language),
            updated=format_integer(loaded.updated, language),
            aliases=format_integer(loaded.aliases_inserted, language),
        ),
        highlight=False,
    )
    engine.dispose()


@db_app.command("recompute")
def recompute_command() -> None:
    """Recompute z-scores, flags, categories and N/T of every measurement, in bulk."""
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    kbm = load_kbm_table(settings.kbm_table_file)
    result = database.recompute(settings.database_url, kbm)
    Console().print(
        gettext(
            "Recomputed {count} measurements in {seconds} s with {reference} and {kbm}."
        ).format(
            count=format_integer(result.measurements, language),
            seconds=format_decimal_places(result.seconds, 1, language),
            reference=REFERENCE_WHO2006,
            kbm=kbm.version,
        ),
        highlight=False,
    )


@db_app.command("status")
def status_command() -> None:
    """Show the schema revision and how many records the database holds."""
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    found = database.status(settings.database_url)
    table = Table(title=safe_url(settings.database_url), show_header=False)
    table.add_row(gettext("Schema revision"), found.current or gettext("empty"))
    table.add_row(gettext("Newest revision"), found.head or "")
    labels = {
        "regions": gettext("Regions"),
        "posyandu": gettext("Number of posyandu"),
        "children": gettext("Children"),
        "measurements": gettext("Measurements"),
        "derived": gettext("Measurements with derived values"),
    }
    for key, count in found.counts.items():
        table.add_row(labels[key], format_integer(count, language))
    Console().print(table)
