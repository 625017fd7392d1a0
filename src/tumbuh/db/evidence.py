"""Evidence files as rows: kept, listed, counted, read back (docs/tpps.md, "Evidence").

Queries take the subject (what the file belongs to) and its ids and know nothing of roles:
the use case that owns the subject decides who may add or read its files.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select

from tumbuh.db.models import table_of
from tumbuh.db.models_tpps import EvidenceDocument, EvidenceSubject
from tumbuh.growth.tpps import EvidenceKind


@dataclass(frozen=True)
class EvidenceRow:
    """An evidence file without its content."""

    id: int
    subject: EvidenceSubject
    subject_id: int
    filename: str
    kind: EvidenceKind
    size_bytes: int
    sha256: str
    note: str | None
    uploaded_by: int | None
    uploaded_at: datetime


@dataclass(frozen=True)
class NewEvidence:
    """A checked file to keep (:func:`tumbuh.growth.tpps.evidence_kind` said its kind)."""

    subject: EvidenceSubject
    subject_id: int
    filename: str
    kind: EvidenceKind
    content: bytes
    sha256: str
    note: str | None
    uploaded_by: int | None
    uploaded_at: datetime


def insert_evidence(connection: Connection, evidence: NewEvidence) -> int:
    """Keep one file; its id."""
    table = table_of(EvidenceDocument)
    return int(
        connection.execute(
            insert(table)
            .values(
                subject=evidence.subject,
                subject_id=evidence.subject_id,
                filename=evidence.filename,
                kind=evidence.kind,
                size_bytes=len(evidence.content),
                sha256=evidence.sha256,
                content=evidence.content,
                note=evidence.note,
                uploaded_by=evidence.uploaded_by,
                uploaded_at=evidence.uploaded_at,
            )
            .returning(table.c.id)
        ).scalar_one()
    )


def evidence_rows(
    connection: Connection, subject: EvidenceSubject, subject_ids: Iterable[int]
) -> list[EvidenceRow]:
    """The files of the given subjects, oldest first (without their content)."""
    table = table_of(EvidenceDocument)
    ids = sorted(set(subject_ids))
    if not ids:
        return []
    rows = connection.execute(
        select(*[c for c in table.c if c.name != "content"])
        .where(table.c.subject == subject, table.c.subject_id.in_(ids))
        .order_by(table.c.uploaded_at, table.c.id)
    )
    return [
        EvidenceRow(
            id=int(r.id),
            subject=EvidenceSubject(r.subject),
            subject_id=int(r.subject_id),
            filename=r.filename,
            kind=EvidenceKind(r.kind),
            size_bytes=int(r.size_bytes),
            sha256=r.sha256,
            note=r.note,
            uploaded_by=r.uploaded_by,
            uploaded_at=r.uploaded_at,
        )
        for r in rows
    ]


def evidence_counts(
    connection: Connection, subject: EvidenceSubject, subject_ids: Iterable[int] | None = None
) -> dict[int, int]:
    """Files per subject id (ids without files are absent); every subject when None."""
    table = table_of(EvidenceDocument)
    query = (
        select(table.c.subject_id, func.count())
        .where(table.c.subject == subject)
        .group_by(table.c.subject_id)
    )
    if subject_ids is not None:
        query = query.where(table.c.subject_id.in_(sorted(set(subject_ids))))
    return {int(k): int(n) for k, n in connection.execute(query)}


def evidence_content(
    connection: Connection, subject: EvidenceSubject, document_id: int
) -> tuple[EvidenceRow, bytes] | None:
    """One file of ``subject`` with its content, or None."""
    table = table_of(EvidenceDocument)
    row = connection.execute(
        select(table).where(table.c.id == document_id, table.c.subject == subject)
    ).first()
    if row is None:
        return None
    info = evidence_rows(connection, subject, [int(row.subject_id)])
    found = next(e for e in info if e.id == document_id)
    return found, bytes(row.content)
