"""The registry: children, their mothers and their measurements, always through the
user's :class:`~tumbuh.usecases.access.Scope` (docs/web.md).

- :mod:`.records`: what the pages and the API show of a child and a measurement, and
  :class:`OutOfScope` (outside the scope, or absent: the same answer);
- :mod:`.children`: finding children (one, a posyandu's, those due at a session, a search);
- :mod:`.profiles`: registering a child and correcting its details;
- :mod:`.measurements`: adding, correcting and deleting a measurement, and the preview.

Every write commits itself (:func:`tumbuh.usecases.transactions.writing`), with its audit
row and the recomputed derived values in the same transaction.
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
