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
