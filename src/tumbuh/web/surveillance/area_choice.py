"""The area a surveillance page is about: chosen in its form, always inside the scope.

The referral list and the cohort flows take an area from the query (``area=36.72.01`` for
the city, a kecamatan or kelurahan; ``posyandu=12`` for a posyandu), else the user's home
area. An area the user may not open is :class:`NotFound`, as on the area pages; the
use cases keep the figures to the posyandu of the area inside the scope
(:func:`tumbuh.usecases.places.posyandu_codes`).
"""

from dataclasses import dataclass

from tumbuh.usecases.access import Scope
from tumbuh.usecases.places import Area, AreaKind, Places
from tumbuh.web.deps import NotFound

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
