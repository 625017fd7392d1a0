"""Results kept until the records change: what a use case may be handed to avoid
counting a month or two rounds again on every page view."""

from collections.abc import Callable, Hashable
from typing import Protocol, TypeVar

T = TypeVar("T")

__all__ = ["Memo"]


class Memo(Protocol):
    """``memo(key, compute)``: ``compute()``, or the result kept under ``key``. Only for
    results that do not depend on the user's scope (the scope is applied after)."""

    def __call__(self, key: Hashable, compute: Callable[[], T]) -> T: ...
