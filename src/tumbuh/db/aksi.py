"""The 8 aksi of each year and the lokus kelurahan as rows: added, changed, read with the
owning office's and the kelurahan's names (docs/aksi.md). Also the institutions an aksi
can be owned by (listed, or found by name and added when missing).

Queries know nothing of roles: :mod:`tumbuh.usecases.aksi` and
:mod:`tumbuh.usecases.lokus` decide who reads and changes what.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, select, update

from tumbuh.db.models import Region, table_of
from tumbuh.db.models_aksi import AksiRecord, LokusKelurahan
from tumbuh.db.models_tpps import Institution
from tumbuh.db.rows import lock_row
from tumbuh.growth.aksi import Aksi
from tumbuh.growth.tpps import ActionStatus


@dataclass(frozen=True)
class AksiRow:
    """One aksi of one year with its owner's name."""

    id: int
    year: int
    aksi: Aksi
    status: ActionStatus
    done_on: date | None
    institution_id: int | None
    institution_name: str | None
    note: str | None
    updated_by: int | None
    updated_at: datetime


def _aksi_query() -> Select[Any]:
    a, i = table_of(AksiRecord), table_of(Institution)
    return select(a, i.c.name.label("institution_name")).outerjoin(i, i.c.id == a.c.institution_id)


def _aksi_row(r: Any) -> AksiRow:
    return AksiRow(
        id=int(r.id),
        year=int(r.year),
        aksi=Aksi(r.aksi),
        status=ActionStatus(r.status),
        done_on=r.done_on,
        institution_id=None if r.institution_id is None else int(r.institution_id),
        institution_name=r.institution_name,
        note=r.note,
        updated_by=r.updated_by,
        updated_at=r.updated_at,
    )


def aksi_rows(connection: Connection, year: int) -> list[AksiRow]:
    """The aksi recorded for ``year`` (in no particular order)."""
    query = _aksi_query().where(table_of(AksiRecord).c.year == year)
    return [_aksi_row(r) for r in connection.execute(query)]


def aksi_row(
    connection: Connection, year: int, aksi: Aksi, *, lock: bool = False
) -> AksiRow | None:
    """One aksi of a year (locked for the caller's write when ``lock``), or None."""
    a = table_of(AksiRecord)
    row = connection.execute(_aksi_query().where(a.c.year == year, a.c.aksi == aksi)).first()
    if row is None:
        return None
    if lock:
        lock_row(connection, AksiRecord, int(row.id))
        row = connection.execute(_aksi_query().where(a.c.id == row.id)).first()
    return None if row is None else _aksi_row(row)


def insert_aksi(connection: Connection, values: Mapping[str, object]) -> int:
    """Add an aksi of a year (``values``: the columns but ``id``); its id."""
    table = table_of(AksiRecord)
    return int(
        connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    )


def update_aksi(connection: Connection, aksi_id: int, values: Mapping[str, object]) -> None:
    """Change the given columns of an aksi of a year."""
    table = table_of(AksiRecord)
    connection.execute(update(table).where(table.c.id == aksi_id).values(**values))


def aksi_years(connection: Connection) -> list[int]:
    """The years with an aksi or a lokus recorded, latest first."""
    a, k = table_of(AksiRecord), table_of(LokusKelurahan)
    years = {int(y) for (y,) in connection.execute(select(a.c.year).distinct())}
    years |= {int(y) for (y,) in connection.execute(select(k.c.year).distinct())}
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class LokusRow:
    """A lokus kelurahan of a year with the figures it was chosen on."""

    kelurahan_code: str
    kelurahan_name: str
    rank: int
    stunted: int
    measured: int
    krs_families: int | None
    weighed: int | None
    registered: int | None
    round_month: date
    chosen_on: date
    chosen_by: int | None


def lokus_rows(connection: Connection, year: int) -> list[LokusRow]:
    """The lokus of ``year``, by rank then code."""
    k, r = table_of(LokusKelurahan), table_of(Region)
    query = (
        select(k, func.coalesce(r.c.local_name, r.c.name).label("kelurahan_name"))
        .join(r, r.c.code == k.c.kelurahan_code)
        .where(k.c.year == year)
        .order_by(k.c.rank, k.c.kelurahan_code)
    )
    return [_lokus_row(row) for row in connection.execute(query)]


def _maybe(value: Any) -> int | None:
    return None if value is None else int(value)


def _lokus_row(row: Any) -> LokusRow:
    return LokusRow(
        kelurahan_code=row.kelurahan_code,
        kelurahan_name=row.kelurahan_name,
        rank=int(row.rank),
        stunted=int(row.stunted),
        measured=int(row.measured),
        krs_families=_maybe(row.krs_families),
        weighed=_maybe(row.weighed),
        registered=_maybe(row.registered),
        round_month=row.round_month,
        chosen_on=row.chosen_on,
        chosen_by=row.chosen_by,
    )


def replace_lokus(connection: Connection, year: int, rows: Sequence[Mapping[str, object]]) -> None:
    """Make ``rows`` (the columns but ``id`` and ``year``) the lokus of ``year``."""
    k = table_of(LokusKelurahan)
    connection.execute(delete(k).where(k.c.year == year))
    if rows:
        connection.execute(insert(k), [{**row, "year": year} for row in rows])
