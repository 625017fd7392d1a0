"""The city's areas as the web pages walk them; they live in
:mod:`tumbuh.usecases.places` (the use cases apply the scope), named here for the web
modules that import them from this place."""

from tumbuh.usecases.places import Area, AreaKind, Places, PosyanduPlace, load_places

__all__ = ["Area", "AreaKind", "Places", "PosyanduPlace", "load_places"]
