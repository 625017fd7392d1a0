"""Lists of children on the web: a posyandu's children a page at a time, the children due
at a posyandu session, and the search by name or whole NIK (the use cases are in
:mod:`tumbuh.usecases.registry.children`); here the search's query is read.

A query of digits is a NIK and must have all 16 (a partial NIK finds nothing, so numbers
cannot be guessed digit by digit); any other needs 3 characters of a name.
"""

from collections.abc import Sequence

from sqlalchemy import Connection

from tumbuh.usecases.access import Scope
from tumbuh.usecases.registry import children as registry
from tumbuh.usecases.registry.children import (
    PAGE_SIZE,
    SEARCH_LIMIT,
    ChildPage,
    ChildQuery,
    DueChild,
    SearchResult,
    children_due,
)
from tumbuh.web.text_input import without_control_characters

__all__ = [
    "NAME_QUERY_MIN",
    "NAME_TOO_SHORT",
    "NIK_DIGITS",
    "NIK_INCOMPLETE",
    "PAGE_SIZE",
    "SEARCH_LIMIT",
    "SEARCH_PROBLEMS",
    "ChildPage",
    "DueChild",
    "SearchResult",
    "child_query_of",
    "children_due",
    "posyandu_children_page",
    "search_children",
]

NAME_QUERY_MIN = 3  # characters of a name to search for
NIK_DIGITS = 16
NIK_INCOMPLETE = "Write all 16 digits of the NIK, or a part of the name."
NAME_TOO_SHORT = "Write at least 3 letters of the name."
SEARCH_PROBLEMS = (NIK_INCOMPLETE, NAME_TOO_SHORT)


def posyandu_children_page(
    connection: Connection,
    scope: Scope,
    posyandu_id: int,
    kelurahan_code: str,
    page: int,
    page_size: int = PAGE_SIZE,
) -> ChildPage:
    """Page ``page`` of the children of a posyandu in the scope, by name then id (a page
    past the last shows the last one); OutOfScope (404) outside it."""
    return registry.posyandu_children_page(
        connection, scope, posyandu_id, kelurahan_code, page, page_size
    )


def child_query_of(query: str) -> ChildQuery:
    """What a typed query looks for: a whole NIK (dots and spaces allowed), else a part
    of a name (3 characters or more, any case); else the problem."""
    text = " ".join(without_control_characters(query, " ").split())
    digits = text.replace(" ", "").replace(".", "")
    if digits.isdigit():
        if len(digits) != NIK_DIGITS:
            return ChildQuery(problem=NIK_INCOMPLETE)
        return ChildQuery(nik=digits)
    if len(text) < NAME_QUERY_MIN:
        return ChildQuery(problem=NAME_TOO_SHORT)
    return ChildQuery(needle=text.casefold())


def search_children(
    connection: Connection, scope: Scope, posyandu_in_scope: Sequence[int], query: str
) -> SearchResult:
    """Children in the scope (``posyandu_in_scope``: the posyandu ids the scope covers,
    ignored for the whole city) whose name or mother's name contains ``query``, or whose
    NIK is ``query`` (:func:`child_query_of`)."""
    return registry.search_children(connection, scope, posyandu_in_scope, child_query_of(query))
