"""``tumbuh db upgrade``: migrate the schema, then load the packaged regions."""

from dataclasses import dataclass

from sqlalchemy import Engine

from tumbuh.db import migrate
from tumbuh.db.regions import RegionLoad, load_packaged_regions
from tumbuh.errors import ConfigError


@dataclass(frozen=True)
class UpgradeResult:
    """Schema revision before and after, and what the region load changed."""

    revision_before: str | None
    revision_after: str | None
    regions: RegionLoad


def upgrade_database(engine: Engine) -> UpgradeResult:
    """Create or migrate the schema to the newest revision and load the regions.

    Safe to run any number of times: migrations already applied and regions already
    present are left alone.
    """
    with engine.connect() as connection:
        before = migrate.current_revision(connection)
    migrate.upgrade(engine)
    with engine.begin() as connection:
        loaded = load_packaged_regions(connection)
        after = migrate.current_revision(connection)
    return UpgradeResult(before, after, loaded)


def require_current_schema(engine: Engine) -> None:
    """Stop with a clear message unless the database is at this version's newest schema."""
    with engine.connect() as connection:
        current = migrate.current_revision(connection)
    head = migrate.head_revision()
    url = engine.url.render_as_string(hide_password=True)
    if current is None:
        raise ConfigError(
            "the database {url} has no tables yet; run tumbuh db upgrade first", url=url
        )
    if current != head:
        raise ConfigError(
            "the database {url} has schema revision {current} but this version of Tumbuh needs "
            "{head}; run tumbuh db upgrade first",
            url=url,
            current=current,
            head=head or "",
        )
