"""Log records without personal data, whatever raised (docs/security.md, section 4).

A database error's text carries the values of the row it refused: PostgreSQL's
``DETAIL: Key (nik)=(3672...) already exists``, ``Failing row contains (...)``, a COPY's
``CONTEXT`` line with the whole row; a validation error's text carries the input.
Engines hide the statement's parameters (``hide_parameters``), but the driver's message
is still in ``str(error)``, and so in every traceback a handler prints: Tumbuh's own
error handlers, uvicorn's "Exception in ASGI application", an operator's log set-up.

:func:`install` therefore wraps the process's log record factory: every record, from any
logger, for any handler, leaves the factory with its exception already written out as a
*safe* traceback (``exc_text``; ``exc_info`` is cleared so that no formatter can print
the original). The frames stay as Python prints them (file, line, code); each exception
line is :func:`describe`'s:

* a database error (SQLAlchemy's, psycopg's or sqlite3's): its class, SQLSTATE or SQLite
  error name, constraint, table and column names, and the statement's verb and table;
  the driver's message only where it cannot hold values (connection errors, "database
  is locked", SQLite's "UNIQUE constraint failed: child.nik");
* a validation error (pydantic, FastAPI): where and which check failed, not the input;
* anything else: its message, with any run of 16 digits (a NIK's or a family card's
  shape) replaced by ``*``.

Exceptions passed as log arguments (``logger.error("... %s", error)``) are described the
same way, and text arguments lose NIK-shaped numbers too. Tumbuh's own messages never
name a person; this catches what libraries and drivers write.
"""

import logging
import re
import sqlite3
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.exc import StatementError

NIK_SHAPED = re.compile(r"(?<!\d)\d{16}(?!\d)")
# SQLite messages that name only the schema, never a value.
_SQLITE_SAFE = re.compile(
    r"(?:UNIQUE|NOT NULL|CHECK|FOREIGN KEY|PRIMARY KEY) constraint failed(?:: [\w., ]+)?"
    r"|database (?:table )?is locked|database or disk is full|disk I/O error"
    r"|attempt to write a readonly database|database disk image is malformed"
    r"|no such (?:table|column): [\w.]+|table \w+ has no column named \w+"
)
# SQLSTATE classes whose primary message names no value: connection, transaction
# rollback (deadlock, serialization), resources, object state, operator, system.
_SAFE_SQLSTATE_CLASSES = ("08", "40", "53", "55", "57", "58")
_STATEMENT = re.compile(
    r"\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|SELECT|WITH|CREATE|ALTER|DROP|PRAGMA)"
    r"(?:\s+([\w.\"]+))?",
    re.IGNORECASE,
)
HIDDEN = "values hidden"


def describe(error: BaseException) -> str:
    """``error``'s class and a message that holds no personal data."""
    name = _qualified(type(error))
    if isinstance(error, StatementError):
        return f"{name}: {_statement(error.statement)}; {HIDDEN}"
    if _is_driver_error(error):
        return f"{name}: {_driver_details(error)}"
    errors = getattr(error, "errors", None)
    if callable(errors) and _is_validation(error):
        return f"{name}: {_validation(errors)}; input {HIDDEN}"
    try:
        text = str(error)
    except Exception:  # a broken __str__ must not lose the traceback
        text = "(message cannot be shown)"
    return f"{name}: {NIK_SHAPED.sub('*' * 16, text)}" if text else name


def safe_traceback(error: BaseException) -> str:
    """The traceback Python would print for ``error``, each exception line replaced by
    :func:`describe` (causes and contexts included, as Python chains them)."""
    lines: list[str] = []
    _chain(error, lines, set())
    return "".join(lines).rstrip("\n")


def make_safe(record: logging.LogRecord) -> logging.LogRecord:
    """Replace the record's exception (and exceptions among its arguments) by safe text."""
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = safe_traceback(record.exc_info[1])
        record.exc_info = None
    if isinstance(record.msg, BaseException):
        record.msg = describe(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_safe_argument(a) for a in record.args)
    elif isinstance(record.args, Mapping):
        record.args = {k: _safe_argument(v) for k, v in record.args.items()}
    return record


class _SafeRecordFactory:
    """Wraps the record factory in use: every record leaves it through :func:`make_safe`."""

    def __init__(self, wrapped: Callable[..., logging.LogRecord]) -> None:
        self.wrapped = wrapped

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        return make_safe(self.wrapped(*args, **kwargs))


def install() -> None:
    """Make every log record of this process safe (once; later calls change nothing).
    The web application and the command line call it before anything can log."""
    current = logging.getLogRecordFactory()
    if not isinstance(current, _SafeRecordFactory):
        logging.setLogRecordFactory(_SafeRecordFactory(current))


def _chain(error: BaseException, lines: list[str], seen: set[int]) -> None:
    seen.add(id(error))
    cause, context = error.__cause__, error.__context__
    if cause is not None and id(cause) not in seen:
        _chain(cause, lines, seen)
        lines.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif context is not None and not error.__suppress_context__ and id(context) not in seen:
        _chain(context, lines, seen)
        lines.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    if error.__traceback__ is not None:
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(error.__traceback__))
    lines.append(describe(error) + "\n")
    if isinstance(error, BaseExceptionGroup):
        for number, inner in enumerate(error.exceptions, start=1):
            lines.append(f"\n+-- sub-exception {number} of {len(error.exceptions)}:\n")
            _chain(inner, lines, seen)


def _safe_argument(value: object) -> object:
    if isinstance(value, BaseException):
        return describe(value)
    if isinstance(value, str):  # e.g. a path typed into the address bar
        return NIK_SHAPED.sub("*" * 16, value)
    return value


def _qualified(kind: type) -> str:
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def _statement(sql: str | None) -> str:
    """The statement's verb and table only (``UPDATE child``): a statement built with
    literals could hold values."""
    found = _STATEMENT.match(sql or "")
    if found is None:
        return "statement hidden"
    verb = " ".join(found.group(1).split()).upper()
    return f"{verb} {found.group(2)}" if found.group(2) else verb


def _is_driver_error(error: BaseException) -> bool:
    return isinstance(error, sqlite3.Error) or type(error).__module__.startswith("psycopg")


def _driver_details(error: BaseException) -> str:
    if isinstance(error, sqlite3.Error):
        name = getattr(error, "sqlite_errorname", "SQLITE_ERROR")
        first = str(error).splitlines()[0] if str(error) else ""
        return f"{name}, {first}" if _SQLITE_SAFE.fullmatch(first) else f"{name}, {HIDDEN}"
    sqlstate = getattr(error, "sqlstate", None)
    diag = getattr(error, "diag", None)
    parts = [f"SQLSTATE {sqlstate}"] if sqlstate else []
    for label in ("constraint", "table", "column"):
        value = getattr(diag, f"{label}_name", None)
        if value:
            parts.append(f"{label} {value}")
    if sqlstate is None or sqlstate[:2] in _SAFE_SQLSTATE_CLASSES:
        text = str(error).strip()
        parts.append(text.splitlines()[0] if text else "")
    else:
        parts.append(f"message {HIDDEN}")
    return ", ".join(part for part in parts if part)


def _is_validation(error: BaseException) -> bool:
    return any(kind.__name__.endswith("ValidationError") for kind in type(error).__mro__)


def _validation(errors: Callable[[], object]) -> str:
    try:
        found = errors()
    except Exception:
        return "details hidden"
    if not isinstance(found, list):
        return "details hidden"
    where = [
        "{}: {}".format(".".join(str(p) for p in item.get("loc", ())), item.get("type", "?"))
        for item in found
        if isinstance(item, dict)
    ]
    return f"{len(found)} error(s) at " + "; ".join(where)
