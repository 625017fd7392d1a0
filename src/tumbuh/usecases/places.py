"""The city's areas as the pages walk them: kota, kecamatan, kelurahan, posyandu.

Loaded in one go (a few hundred rows) and kept with the figures
(:mod:`tumbuh.usecases.figures`); every listing here is filtered through the user's
:class:`Scope`, so a page never shows an area the user may not open. The areas are the
one :class:`~tumbuh.usecases.areas.Area` of every layer.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from tumbuh.db.models import RegionLevel
from tumbuh.db.regions import city_region, read_boundaries, regions
from tumbuh.db.surveillance.areas import city_posyandu
from tumbuh.usecases.access import Scope
from tumbuh.usecases.areas import Area, AreaKind

__all__ = [
    "Area",
    "AreaKind",
    "Places",
    "PosyanduPlace",
    "boundaries",
    "counts_unplaced",
    "load_places",
    "posyandu_codes",
    "sub_areas",
]


@dataclass(frozen=True)
class PosyanduPlace:
    """A posyandu and the kelurahan it lies in."""

    id: int
    code: str
    name: str
    kelurahan_code: str


@dataclass(frozen=True)
class Places:
    """Every area of the city, by code, and the posyandu by id."""

    city: Area
    kecamatan: dict[str, Area]
    kelurahan: dict[str, Area]
    posyandu: dict[int, PosyanduPlace]
    # Posyandu ids under each kota, kecamatan and kelurahan code (built once).
    _under: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        under: dict[str, list[int]] = {}
        for place in self.posyandu.values():
            kelurahan = place.kelurahan_code
            for code in (kelurahan, kelurahan.rsplit(".", 1)[0], self.city.code):
                under.setdefault(code, []).append(place.id)
        self._under.update({code: tuple(ids) for code, ids in under.items()})

    def area(self, code: str) -> Area | None:
        """The kota, kecamatan or kelurahan with this Kemendagri code."""
        if code == self.city.code:
            return self.city
        return self.kecamatan.get(code) or self.kelurahan.get(code)

    def posyandu_area(self, posyandu_id: int) -> Area | None:
        """The area page of a posyandu."""
        place = self.posyandu.get(posyandu_id)
        if place is None:
            return None
        return Area(place.code, place.name, AreaKind.POSYANDU, place.id, place.kelurahan_code)

    def posyandu_ids(self, area: Area, scope: Scope) -> list[int]:
        """The posyandu of ``area`` that lie in ``scope``."""
        if area.kind is AreaKind.POSYANDU:
            ids: tuple[int, ...] = (area.posyandu_id,) if area.posyandu_id is not None else ()
        else:
            ids = self._under.get(area.code, ())
        if scope.whole_city:
            return list(ids)
        return [
            i
            for i in ids
            if (place := self.posyandu.get(i)) is not None
            and scope.covers_posyandu(i, place.kelurahan_code)
        ]

    def visible(self, area: Area, scope: Scope) -> bool:
        """True when the user may open this area's page (part of it lies in the scope)."""
        if scope.whole_city:
            return True
        return bool(self.posyandu_ids(area, scope))

    def children(self, area: Area, scope: Scope) -> list[Area]:
        """The areas one level down that are (partly) in the scope, in code order."""
        if area.kind is AreaKind.KOTA:
            below = list(self.kecamatan.values())
        elif area.kind is AreaKind.KECAMATAN:
            below = [k for k in self.kelurahan.values() if k.parent_code == area.code]
        elif area.kind is AreaKind.KELURAHAN:
            below = [
                a
                for p in self.posyandu.values()
                if p.kelurahan_code == area.code and (a := self.posyandu_area(p.id)) is not None
            ]
        else:
            return []
        return sorted((a for a in below if self.visible(a, scope)), key=lambda a: a.code)

    def trail(self, area: Area) -> list[Area]:
        """The areas above ``area``, kota first (for the breadcrumb)."""
        chain: list[Area] = []
        code = area.parent_code
        while code is not None:
            parent = self.area(code)
            if parent is None:
                break
            chain.append(parent)
            code = parent.parent_code
        if area.kind is not AreaKind.KOTA and self.city not in chain:
            chain.append(self.city)
        return list(reversed(chain))

    def home(self, scope: Scope) -> Area:
        """The area a user lands on: the city, their puskesmas area's kecamatan (when the
        area is one kecamatan) or kelurahan, or their posyandu."""
        if scope.whole_city:
            return self.city
        if scope.posyandu is not None and len(scope.posyandu) == 1:
            found = self.posyandu_area(next(iter(scope.posyandu)))
            if found is not None:
                return found
        codes = sorted(scope.kelurahan or ())
        parents = {self.kelurahan[c].parent_code for c in codes if c in self.kelurahan}
        if len(codes) == 1 and codes[0] in self.kelurahan:
            return self.kelurahan[codes[0]]
        if len(parents) == 1:
            parent = self.kecamatan.get(next(iter(parents)) or "")
            if parent is not None:
                return parent
        return self.city


def load_places(connection: Connection, city_code: str) -> Places:
    """Read the city's kecamatan, kelurahan and posyandu."""
    city = city_region(connection, city_code)
    kecamatan = {
        r.code: Area(r.code, r.display_name, AreaKind.KECAMATAN, parent_code=city_code)
        for r in regions(connection, RegionLevel.KECAMATAN, within=city_code)
    }
    kelurahan = {
        r.code: Area(r.code, r.display_name, AreaKind.KELURAHAN, parent_code=r.parent_code)
        for r in regions(connection, RegionLevel.KELURAHAN, within=city_code)
    }
    posyandu = {
        id_: PosyanduPlace(id_, code, name, kelurahan_code)
        for id_, code, name, kelurahan_code in city_posyandu(connection, city_code)
    }
    return Places(Area(city_code, city.display_name, AreaKind.KOTA), kecamatan, kelurahan, posyandu)


def boundaries(kind: AreaKind) -> dict[str, Any]:
    """The packaged GeoJSON outlines of the city's kecamatan (``kind`` KECAMATAN) or
    kelurahan (any other kind)."""
    level = RegionLevel.KECAMATAN if kind is AreaKind.KECAMATAN else RegionLevel.KELURAHAN
    return read_boundaries(level)


def posyandu_codes(places: Places, area: Area, scope: Scope) -> frozenset[str]:
    """Codes of the posyandu of ``area`` inside ``scope``: the surveillance tables count
    per posyandu, and keeping only these is exact, since every child is counted at
    exactly one posyandu."""
    return frozenset(places.posyandu[i].code for i in places.posyandu_ids(area, scope))


def counts_unplaced(area: Area, scope: Scope) -> bool:
    """Whether children measured at no posyandu belong to the area for this user: only
    the whole city, for roles that see the whole city."""
    return area.kind is AreaKind.KOTA and scope.whole_city


def sub_areas(places: Places, area: Area, scope: Scope) -> dict[str, Area]:
    """Posyandu code -> the area one level below ``area`` that holds it, for the posyandu
    of ``area`` inside ``scope`` (empty for a posyandu, which has nothing below)."""
    if area.kind is AreaKind.POSYANDU:
        return {}
    found: dict[str, Area] = {}
    for posyandu_id in places.posyandu_ids(area, scope):
        place = places.posyandu[posyandu_id]
        if area.kind is AreaKind.KELURAHAN:
            below = places.posyandu_area(posyandu_id)
        elif area.kind is AreaKind.KECAMATAN:
            below = places.kelurahan.get(place.kelurahan_code)
        else:
            below = places.kecamatan.get(place.kelurahan_code.rsplit(".", 1)[0])
        if below is not None:
            found[place.code] = below
    return found
