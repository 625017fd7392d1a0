"""The trace an import leaves: its ``import_run`` row and its own audit row.

Written inside the import's transaction, so an import and its trace exist together or
not at all (docs/security.md, section 6). The run row is inserted first, since the
files, children and audit rows the import writes point at it; its counts are known
from the plan before anything is written. The audit row (entity ``import``, the run's
id) holds the file names, their SHA-256 and the counts as JSON: no names or NIK.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, update

from tumbuh.db.audit import Actor, audit_json
from tumbuh.db.models import ImportRun, table_of
from tumbuh.db.models_access import AuditAction, AuditEntry

ACTOR_LENGTH = 80  # import_run.actor and audit_log.actor
IMPORT_ENTITY = "import"  # audit_log.entity of an import's own row


@dataclass(frozen=True)
class RunCounts:
    """What an import added and changed (the counts of its ``import_run`` row)."""

    rows_read: int
    rows_skipped: int  # rows with errors left out (``skip_invalid``)
    measurements_added: int
    children_added: int
    children_changed: int  # registered children that got a NIK or missing values
    mothers_added: int
    families_added: int
    posyandu_added: int


@dataclass(frozen=True)
class FileTrace:
    """One file of an import as its trace names it."""

    name: str
    sha256: str
    layout: str
    rows: int  # measurements it added


def start_run(
    connection: Connection, run_id: int, actor: Actor, started_at: datetime, counts: RunCounts
) -> None:
    """Insert the run row under ``run_id`` (reserved by the caller); finished at
    :func:`finish_run`."""
    connection.execute(
        insert(table_of(ImportRun)).values(
            id=run_id,
            user_id=actor.user_id,
            actor=actor.name[:ACTOR_LENGTH],
            started_at=started_at,
            finished_at=started_at,
            **asdict(counts),
        )
    )


def finish_run(
    connection: Connection,
    run_id: int,
    actor: Actor,
    files: Sequence[FileTrace],
    counts: RunCounts,
) -> None:
    """Set the run's end and write the import's own audit row."""
    now = datetime.now(UTC)
    run = table_of(ImportRun)
    connection.execute(update(run).where(run.c.id == run_id).values(finished_at=now))
    after = {"files": [asdict(f) for f in files], **asdict(counts)}
    connection.execute(
        insert(table_of(AuditEntry)).values(
            at=now,
            user_id=actor.user_id,
            actor=actor.name[:ACTOR_LENGTH],
            action=AuditAction.CREATE,
            entity=IMPORT_ENTITY,
            entity_id=run_id,
            before=None,
            after=audit_json(after),
            import_run_id=run_id,
        )
    )
