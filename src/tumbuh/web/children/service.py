"""Children and their measurements on the web: the registry's use cases
(:mod:`tumbuh.usecases.registry`) under the names the pages import.

A child outside the user's scope is "not found", exactly like an id that does not exist
(docs/web.md): the use cases raise :class:`tumbuh.usecases.access.OutOfScope`, which the
app answers with the same 404 page as any unknown address.
"""

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

__all__ = [
    "ChildRecord",
    "FieldChange",
    "MeasurementValues",
    "MeasurementView",
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
