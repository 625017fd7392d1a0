"""Checked imports kept in memory between the check and the commit of a web upload."""

import threading
import time
from collections import OrderedDict

from tumbuh.db.imports.api import PreparedImport


class CheckedImports:
    """Checked imports kept in memory between the check and the commit (web uploads).

    Bounded: at most ``size`` entries, each kept ``seconds`` long. One per process; a
    deployment with several worker processes must send the commit to the same worker
    (or check again, which needs the upload again).
    """

    def __init__(self, size: int = 8, seconds: float = 3600.0) -> None:
        self.size = size
        self.seconds = seconds
        self._items: OrderedDict[str, tuple[float, PreparedImport]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, prepared: PreparedImport) -> str:
        """Keep ``prepared``; returns its key."""
        with self._lock:
            self._expire()
            self._items[prepared.key] = (time.monotonic(), prepared)
            self._items.move_to_end(prepared.key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return prepared.key

    def get(self, key: str) -> PreparedImport | None:
        """The checked import with ``key``, or None when unknown or expired."""
        with self._lock:
            self._expire()
            item = self._items.get(key)
            return None if item is None else item[1]

    def pop(self, key: str) -> PreparedImport | None:
        """Like :meth:`get`, and forget it (after a commit)."""
        with self._lock:
            self._expire()
            item = self._items.pop(key, None)
            return None if item is None else item[1]

    def expire(self) -> None:
        """Forget the entries older than ``seconds`` now (every access does it too; an
        application calls this on a schedule, so nothing outlives its time unasked)."""
        with self._lock:
            self._expire()

    def _expire(self) -> None:
        limit = time.monotonic() - self.seconds
        for key in [k for k, (at, _) in self._items.items() if at < limit]:
            del self._items[key]
