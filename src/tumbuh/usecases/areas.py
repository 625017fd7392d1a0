"""The areas a user names: the city, a kecamatan, a kelurahan, a posyandu.

One :class:`Area` for every layer (code, name, kind): the surveillance tables, the maps,
the exports and the pages all speak of it. :func:`find_area` turns the code a user typed
or chose into an area of the installation's city, or raises an :class:`InputError`
naming the field the adapter received it in (``option``).
"""

from tumbuh.db.surveillance.areas import (
    Area,
    AreaKind,
    AreaLevel,
    areas_at,
    city_area,
    find_area,
    find_posyandu,
)

__all__ = [
    "Area",
    "AreaKind",
    "AreaLevel",
    "areas_at",
    "city_area",
    "find_area",
    "find_posyandu",
]
