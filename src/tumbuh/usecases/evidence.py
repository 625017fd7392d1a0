"""Evidence files of the TPPS's work: checked, kept and read back (docs/tpps.md,
"Evidence"). The use case that owns the subject (an RTL item or commitment in
:mod:`tumbuh.usecases.actions`, an aksi in :mod:`tumbuh.usecases.aksi`, a meeting) checks
that the user may touch it, then calls :func:`attach_evidence` inside its own write
transaction, so the file and the change it proves are kept together or not at all.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from tumbuh.db.audit import write_audit
from tumbuh.db.evidence import EvidenceRow, NewEvidence, evidence_content, insert_evidence
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_tpps import EvidenceSubject
from tumbuh.errors import InputError
from tumbuh.growth.tpps import (
    EVIDENCE_NAME_MAX,
    MEDIA_TYPES,
    EvidenceRefusal,
    evidence_kind,
)
from tumbuh.usecases.access import OutOfScope, UserInfo

NOTE_MAX = 300


@dataclass(frozen=True)
class EvidenceUpload:
    """A file as sent: its name, its bytes (already cut at the upload limit by the
    adapter, which refuses a larger body before reading it) and a note."""

    filename: str
    content: bytes
    note: str | None = None


@dataclass(frozen=True)
class EvidenceFile:
    """A file to download: its name, media type and bytes."""

    filename: str
    media_type: str
    content: bytes


def _clean_name(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(c for c in name if c.isprintable())
    return name[-EVIDENCE_NAME_MAX:] or "bukti"


def attach_evidence(
    connection: Connection,
    user: UserInfo,
    subject: EvidenceSubject,
    subject_id: int,
    upload: EvidenceUpload,
    now: datetime,
) -> int:
    """Keep ``upload`` as evidence of ``subject_id`` (the caller has checked the user may)
    and audit it; refuses an empty, too large or unknown file with an :class:`InputError`
    that names the file, its size or kind, and what is accepted."""
    name = _clean_name(upload.filename)
    kind = evidence_kind(name, upload.content[:16], len(upload.content))
    if isinstance(kind, EvidenceRefusal):
        raise InputError(kind.message, **kind.values)
    note = (upload.note or "").strip()[:NOTE_MAX] or None
    digest = hashlib.sha256(upload.content).hexdigest()
    document_id = insert_evidence(
        connection,
        NewEvidence(subject, subject_id, name, kind, upload.content, digest, note, user.id, now),
    )
    record = {
        "subject": subject.value,
        "subject_id": subject_id,
        "filename": name,
        "kind": kind.value,
        "size_bytes": len(upload.content),
        "sha256": digest,
    }
    write_audit(
        connection, user, AuditAction.CREATE, "evidence", document_id, before=None, after=record
    )
    return document_id


def evidence_file(
    connection: Connection, subject: EvidenceSubject, document_id: int
) -> EvidenceFile:
    """A kept file of ``subject`` (the caller has checked the user may read the subject);
    :class:`OutOfScope` when there is none."""
    found = evidence_content(connection, subject, document_id)
    if found is None:
        raise OutOfScope(document_id)
    row, content = found
    return EvidenceFile(row.filename, MEDIA_TYPES[row.kind], content)


__all__ = ["EvidenceFile", "EvidenceRow", "EvidenceUpload", "attach_evidence", "evidence_file"]
