"""The audit log as administrators read it, and who a change is made by.

Every change to a child, measurement or user account, and every import, is an audit row
(written by the use case that makes the change); this module reads them back, a page at
a time, for administrators only.
"""

from dataclasses import dataclass

from sqlalchemy import Connection

from tumbuh.db.audit import Actor, AuditRow, actor_of, audit_entries
from tumbuh.db.import_runs import audit_import_runs
from tumbuh.usecases.access import OutOfScope, Scope

__all__ = ["Actor", "AuditPage", "AuditRow", "actor_of", "audit_page"]


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit log: its entries (newest first), how many there are in all,
    and the import run of each entry an import wrote (audit id -> run id)."""

    entries: list[AuditRow]
    total: int
    runs: dict[int, int]


def audit_page(
    connection: Connection, scope: Scope, entity: str | None, page: int, per_page: int
) -> AuditPage:
    """Page ``page`` (from 1) of the entries, optionally of one kind of entity
    (administrators only; anyone else gets :class:`OutOfScope`)."""
    if not scope.may_administer:
        raise OutOfScope
    entries, total = audit_entries(
        connection, entity=entity, limit=per_page, offset=(page - 1) * per_page
    )
    return AuditPage(entries, total, audit_import_runs(connection, [e.id for e in entries]))
