"""``tumbuh db upgrade | recompute | status``: the database's schema and derived values."""

import time

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from tumbuh.cli._groups import db_app
from tumbuh.config import Settings, load_settings
from tumbuh.db import migrate
from tumbuh.db.derive import REFERENCE_WHO2006, load_kbm_table
from tumbuh.db.engine import open_engine, safe_url
from tumbuh.db.measurements import count_rows, recompute_derived
from tumbuh.db.models import Child, Measurement, MeasurementDerived, Posyandu, Region
from tumbuh.db.setup import require_current_schema, upgrade_database
from tumbuh.formatting import format_decimal_places, format_integer
from tumbuh.i18n import Language, translations


def _engine(settings: Settings) -> Engine:
    return open_engine(settings.database_url)


@db_app.command("upgrade")
def upgrade_command() -> None:
    """Create or migrate the database schema and load the region data (safe to repeat)."""
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    engine = _engine(settings)
    result = upgrade_database(engine)
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
    engine = _engine(settings)
    require_current_schema(engine)
    started = time.perf_counter()
    with engine.begin() as connection:
        result = recompute_derived(connection, kbm)
    seconds = time.perf_counter() - started
    Console().print(
        gettext(
            "Recomputed {count} measurements in {seconds} s with {reference} and {kbm}."
        ).format(
            count=format_integer(result.measurements, language),
            seconds=format_decimal_places(seconds, 1, language),
            reference=REFERENCE_WHO2006,
            kbm=kbm.version,
        ),
        highlight=False,
    )
    engine.dispose()


@db_app.command("status")
def status_command() -> None:
    """Show the schema revision and how many records the database holds."""
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    engine = _engine(settings)
    table = Table(title=safe_url(settings.database_url), show_header=False)
    with engine.connect() as connection:
        current = migrate.current_revision(connection)
        table.add_row(gettext("Schema revision"), current or gettext("empty"))
        table.add_row(gettext("Newest revision"), migrate.head_revision() or "")
        if current is not None:
            models = (
                (gettext("Regions"), Region),
                (gettext("Number of posyandu"), Posyandu),
                (gettext("Children"), Child),
                (gettext("Measurements"), Measurement),
                (gettext("Measurements with derived values"), MeasurementDerived),
            )
            for label, model in models:
                table.add_row(label, format_integer(count_rows(connection, model), language))
    Console().print(table)
    engine.dispose()
