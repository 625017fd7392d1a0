"""Exporting a month's measurements as e-PPGBM's classic layout (A): ``tumbuh export
eppgbm`` and the web's export page read the same rows here (``tumbuh.db.exports``) and
write the same file (``tumbuh.ingest.export``).

Only roles that see children export, and only areas wholly inside their scope: the
whole city, a kecamatan or a kelurahan for the whole city; a nutritionist's kelurahan
and their posyandu; a kader's posyandu. The scope is applied here once
(:func:`export_month`); the command line passes none, as its operator can read the
whole database. NIK and names are written in full only when asked and allowed.
"""

from dataclasses import dataclass

from sqlalchemy import Connection

from tumbuh.db.exports import export_rows, find_area, posyandu_kelurahan
from tumbuh.growth.periods import Period
from tumbuh.ingest.export import ExportRow
from tumbuh.usecases.access import NotAllowed, Scope
from tumbuh.usecases.areas import Area, AreaKind

__all__ = ["MonthExport", "NotAllowed", "OutsideScope", "export_month", "may_export"]


class OutsideScope(Exception):  # noqa: N818 - reads as what it says
    """The area asked for is not wholly inside the user's scope."""


@dataclass(frozen=True)
class MonthExport:
    """The rows of a month in an area, and whether NIK and names may be written."""

    area: Area
    rows: list[ExportRow]
    unmask: bool


def may_export(scope: Scope) -> bool:
    """True when the user of ``scope`` may export (those who see children)."""
    return scope.may_see_children


def _inside(connection: Connection, area: Area, scope: Scope) -> bool:
    """True when all of ``area`` lies inside ``scope``."""
    if scope.whole_city:
        return True
    if area.kind is AreaKind.POSYANDU and area.posyandu_id is not None:
        kelurahan = posyandu_kelurahan(connection, area.posyandu_id)
        return scope.covers_posyandu(area.posyandu_id, kelurahan)
    if area.kind is AreaKind.KELURAHAN:
        return scope.posyandu is None and scope.covers_kelurahan(area.code)
    return False


def export_month(
    connection: Connection,
    scope: Scope | None,
    period: Period,
    area_code: str,
    city_code: str,
    *,
    unmask: bool = False,
) -> MonthExport:
    """The measurements of ``period`` in the area ``area_code`` (an InputError naming
    ``--area`` when there is none), for the user of ``scope`` (None: the command line).

    :class:`NotAllowed` for a user who does not see children, :class:`OutsideScope` for
    an area not wholly inside the scope; ``unmask`` holds only for a user who sees NIK.
    """
    if scope is not None and not may_export(scope):
        raise NotAllowed
    area = find_area(connection, area_code, city_code)
    if scope is not None and not _inside(connection, area, scope):
        raise OutsideScope
    rows = export_rows(connection, period, area, city_code)
    allowed = unmask and (scope is None or scope.may_see_nik)
    return MonthExport(area, rows, allowed)
