"""The audit trail: who changed which child or measurement, when, and what it was before.

Every create, update and delete of a child or a measurement made through Tumbuh's
adapters is written here in the same transaction as the change itself, so a change
without its audit row cannot exist. ``before`` and ``after`` are JSON objects of the
record's columns. Privacy decision (docs/security.md, section 4): the NIK is stored
**masked** (:func:`tumbuh.privacy.mask_nik`: the kota's 4 digits only), with
``nik_changed`` telling whether an update changed it, and **no birth date** (the child's,
or a mother's): ``birth_date_changed`` says whether it changed. The birth date with the
area and sex would give back most of the NIK, and the audit log is kept for years and
read by administrators who need to see *that* it changed, not the value. Names stay in
full: without them an entry cannot be traced back to the child. Rows written before this
rule keep what they hold (no migration rewrites the audit log). Nothing of this goes to
log lines.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection, func, insert, select

from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditAction, AuditEntry
from tumbuh.db.users import UserInfo
from tumbuh.privacy import mask_nik

# Masked: ``nik``, ``mother_nik``, ...; never stored: ``birth_date``,
# ``mother_birth_date``, ... (see the module doc).
NIK_SUFFIX = "nik"
BIRTH_DATE_SUFFIX = "birth_date"


def _plain(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def audit_json(
    record: Mapping[str, object] | None, other: Mapping[str, object] | None = None
) -> str | None:
    """The record as JSON with NIK masked and birth dates left out; ``other`` (the
    record's other side) sets ``nik_changed`` and ``birth_date_changed`` when both sides
    have the field."""
    if record is None:
        return None
    values = {key: _plain(value) for key, value in record.items()}
    for key, raw in record.items():
        if key.endswith(NIK_SUFFIX):
            values[key] = mask_nik(raw if isinstance(raw, str) else None)
        elif key.endswith(BIRTH_DATE_SUFFIX):
            del values[key]
        else:
            continue
        if other is not None and key in other:
            values[f"{key}_changed"] = other[key] != raw
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a user of the web app (``user_id``), or a tool such as the
    command line (``"cli:<OS user>"``, no user id)."""

    name: str = "import"
    user_id: int | None = None


def actor_of(user: UserInfo) -> Actor:
    """The web user as the actor of an audit row."""
    return Actor(user.username, user.id)


def write_audit(
    connection: Connection,
    user: UserInfo | Actor,
    action: AuditAction,
    entity: str,
    entity_id: int,
    *,
    before: Mapping[str, object] | None,
    after: Mapping[str, object] | None,
    at: datetime | None = None,
) -> None:
    """Add one audit row of a change ``user`` (a web user or a tool) makes (``at``, by
    default now), inside the caller's transaction."""
    actor = actor_of(user) if isinstance(user, UserInfo) else user
    connection.execute(
        insert(table_of(AuditEntry)).values(
            at=at or datetime.now(UTC),
            user_id=actor.user_id,
            actor=actor.name[:80],
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=audit_json(before, after),
            after=audit_json(after, before),
        )
    )


def write_audits(
    connection: Connection,
    user: UserInfo | Actor,
    action: AuditAction,
    entity: str,
    changes: Sequence[tuple[int, Mapping[str, object] | None, Mapping[str, object] | None]],
    *,
    at: datetime | None = None,
    import_run_id: int | None = None,
) -> None:
    """Add one audit row per (entity id, before, after) in ``changes``, in one statement:
    the rows :func:`write_audit` would write one by one (``import_run_id``: the import
    that made the changes)."""
    if not changes:
        return
    actor = actor_of(user) if isinstance(user, UserInfo) else user
    when = at or datetime.now(UTC)
    connection.execute(
        insert(table_of(AuditEntry)),
        [
            {
                "at": when,
                "user_id": actor.user_id,
                "actor": actor.name[:80],
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "before": audit_json(before, after),
                "after": audit_json(after, before),
                "import_run_id": import_run_id,
            }
            for entity_id, before, after in changes
        ],
    )


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as pages show it; ``before``/``after`` are the parsed JSON."""

    id: int
    at: datetime
    actor: str
    action: AuditAction
    entity: str
    entity_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _parse(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    parsed = json.loads(text)
    return parsed if isinstance(parsed, dict) else None


def audit_entries(
    connection: Connection,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AuditRow], int]:
    """Entries newest first (optionally of one entity), and how many there are in all."""
    table = table_of(AuditEntry)
    conditions = []
    if entity is not None:
        conditions.append(table.c.entity == entity)
    if entity_id is not None:
        conditions.append(table.c.entity_id == entity_id)
    total = connection.execute(select(func.count()).select_from(table).where(*conditions))
    rows = connection.execute(
        select(table)
        .where(*conditions)
        .order_by(table.c.at.desc(), table.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    entries = [
        AuditRow(
            id=int(r.id),
            at=r.at,
            actor=r.actor,
            action=AuditAction(r.action),
            entity=r.entity,
            entity_id=int(r.entity_id),
            before=_parse(r.before),
            after=_parse(r.after),
        )
        for r in rows
    ]
    return entries, int(total.scalar_one())
