"""The area a surveillance page is about: chosen in its form, always inside the scope.

The referral list and the cohort flows take an area from the query (``area=36.72.01`` for
the city, a kecamatan or kelurahan; ``posyandu=12`` for a posyandu), else the user's home
area. An area the user may not open is :class:`NotFound`, as on the area pages. The
surveillance functions of :mod:`tumbuh.db.surveillance` count per posyandu; the web layer
keeps only the posyandu of the area that lie in the scope (:func:`posyandu_codes`), which
is exact because every child is counted at exactly one posyandu.
"""

from dataclasses import dataclass

from tumbuh.db.surveillance import areas as surveillance
from tumbuh.web.deps import NotFound
from tumbuh.web.places import Area, AreaKind, Places
from tumbuh.usecases.access import Scope

BELOW = {
    AreaKind.KOTA: AreaKind.KECAMATAN,
    AreaKind.KECAMATAN: AreaKind.KELURAHAN,
    AreaKind.KELURAHAN: AreaKind.POSYANDU,
}


@dataclass(frozen=True)
class AreaOption:
    """One entry of an area selector: the query value and the label."""

    value: str
    label: str
    kind: AreaKind


def chosen_area(places: Places, scope: Scope, code: str | None, posyandu: int | None) -> Area:
    """The area named in the query (a code wins over a posyandu: the form keeps the current
    posyandu while another area is chosen), else the home area; NotFound when it does not
    exist or lies outside the scope."""
    if code:
        found = places.area(code)
    elif posyandu is not None:
        found = places.posyandu_area(posyandu)
    else:
        found = places.home(scope)
    if found is None or not places.visible(found, scope):
        raise NotFound
    return found


def area_options(places: Places, scope: Scope) -> list[AreaOption]:
    """The city (for whole-city roles), then every kecamatan with its kelurahan, that the
    user may open, in code order. Posyandu are reached through the table of an area."""
    options = []
    if scope.whole_city:
        options.append(AreaOption(places.city.code, places.city.name, AreaKind.KOTA))
    for kecamatan in places.children(places.city, scope):
        options.append(AreaOption(kecamatan.code, kecamatan.name, AreaKind.KECAMATAN))
        for kelurahan in places.children(kecamatan, scope):
            options.append(AreaOption(kelurahan.code, kelurahan.name, AreaKind.KELURAHAN))
    return options


def query_area(area: Area) -> surveillance.Area:
    """The same area as the surveillance functions take it."""
    return surveillance.Area(
        area.code, area.name, surveillance.AreaKind(area.kind.value), area.posyandu_id
    )


def posyandu_codes(places: Places, area: Area, scope: Scope) -> frozenset[str]:
    """Codes of the posyandu of ``area`` inside ``scope``."""
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
