"""The public page of PMT lokal (docs/pmt.md, "The public page"): what the kitchens did,
as totals only, readable without signing in. Counts of people from 1 to 4 are withheld
(:func:`tumbuh.growth.asuh.public_count`), as on the Bapak Asuh page, so that no family
can be recognised in a small kelurahan."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from tumbuh.db.asuh import kelurahan_names
from tumbuh.db.pmt_public import active_kitchens, exit_counts, month_counts, place_counts
from tumbuh.growth.asuh import public_count
from tumbuh.growth.pmt import EpisodeExit
from tumbuh.usecases.transactions import end_read


@dataclass(frozen=True)
class PublicMonth:
    """One month: servings given, people served (None: 1 to 4), episodes started."""

    month: date
    servings: int
    served: int | None
    started: int


@dataclass(frozen=True)
class PublicPlace:
    """One kelurahan with a kitchen: kitchens, and the people fed (None: 1 to 4)."""

    name: str
    kitchens: int
    people: int | None


@dataclass(frozen=True)
class PmtTransparency:
    """The public page's figures, as of a day."""

    as_of: date
    kitchens: int  # active ones
    people: int | None  # fed at least once, ever
    servings: int
    still_fed: int | None  # episodes not yet ended
    ended: list[tuple[EpisodeExit, int | None]]  # how the episodes ended
    months: list[PublicMonth]
    places: list[PublicPlace]


def pmt_transparency(connection: Connection, today: date, *, city_code: str) -> PmtTransparency:
    """The public figures of PMT lokal up to ``today`` (no sign-in, aggregates only)."""
    try:
        months = month_counts(connection, today)
        places = place_counts(connection)
        exits = exit_counts(connection)
        kitchens = active_kitchens(connection)
        names = kelurahan_names(connection, city_code)
    finally:
        end_read(connection)
    return PmtTransparency(
        as_of=today,
        kitchens=kitchens,
        people=public_count(sum(p.people for p in places)),
        servings=sum(m.servings for m in months),
        still_fed=public_count(exits.get(None, 0)),
        ended=[(e, public_count(exits.get(e.value, 0))) for e in EpisodeExit],
        months=[
            PublicMonth(m.month, m.servings, public_count(m.served), m.started) for m in months
        ],
        places=[
            PublicPlace(
                names.get(p.kelurahan_code, p.kelurahan_code), p.kitchens, public_count(p.people)
            )
            for p in places
        ],
    )
