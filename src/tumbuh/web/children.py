"""Children and their measurements on the web: the registry's use cases
(:mod:`tumbuh.usecases.registry`) under the names the pages import, and the route class
that answers the use cases' "not found" as the pages' 404.

A child outside the user's scope is "not found", exactly like an id that does not exist
(docs/web.md); the use cases raise their own :class:`NotFound`, which
:class:`RegistryRoute` turns into :class:`tumbuh.web.deps.NotFound` for the app's handler.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from tumbuh.usecases.registry import records
from tumbuh.usecases.registry.children import find_child, find_measurement, history
from tumbuh.usecases.registry.measurements import add_measurement, change_measurement
from tumbuh.usecases.registry.records import (
    ChildRecord,
    FieldChange,
    MeasurementValues,
    MeasurementView,
    changes,
    measurement_changes,
    require_write,
    same_day,
    shown_nik,
)
from tumbuh.web.deps import NotFound

__all__ = [
    "ChildRecord",
    "FieldChange",
    "MeasurementValues",
    "MeasurementView",
    "RegistryRoute",
    "add_measurement",
    "change_measurement",
    "changes",
    "find_child",
    "find_measurement",
    "history",
    "measurement_changes",
    "require_write",
    "same_day",
    "shown_nik",
]


class RegistryRoute(APIRoute):
    """A route whose use cases may answer "not found" (outside the scope): 404 as
    everywhere (:class:`tumbuh.web.deps.NotFound`)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def scoped(request: Request) -> Response:
            try:
                return await handler(request)
            except records.NotFound:
                raise NotFound from None

        return scoped
