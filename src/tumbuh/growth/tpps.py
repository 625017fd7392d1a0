"""The TPPS's follow-up work, its shared rules (issue 16; docs/tpps.md): who a partner
institution is, the state of an action that someone promised (an RTL item of the audit, a
partner's commitment, one of the 8 aksi konvergensi), when it is overdue, and which files
may be kept as its evidence.

Pure: the caller passes today in; messages are English templates (message ids of the
translation catalog), filled by the adapter.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024  # a scanned letter or a few photos; docs/tpps.md
EVIDENCE_NAME_MAX = 200
INSTITUTION_NAME_MAX = 150


class InstitutionKind(StrEnum):
    """What kind of body a partner is (DOMAIN §9: the partners at the TPPS meeting)."""

    OPD = "opd"  # a city office: Dinkes, DP3AP2KB, Bappeda, Dinsos, PUPR, ...
    POLICE = "police"  # Polres
    MILITARY = "military"  # Kodim
    RELIGIOUS_AFFAIRS = "religious_affairs"  # Kemenag
    ZAKAT = "zakat"  # Baznas
    PKK = "pkk"  # TP PKK
    KECAMATAN = "kecamatan"  # a camat's office
    KELURAHAN = "kelurahan"  # a lurah's office
    COMPANY = "company"  # CSR of a firm
    PROFESSIONAL = "professional"  # IDAI, POGI, a university, ...
    OTHER = "other"


class ActionKind(StrEnum):
    """Where a partner's action comes from."""

    RTL = "rtl"  # rencana tindak lanjut: from a recommendation of the Audit Kasus Stunting
    COMMITMENT = "commitment"  # promised at a TPPS meeting or the rembuk stunting


class ActionStatus(StrEnum):
    """Where a promised action stands: an RTL item, a commitment, an aksi of the year."""

    PLANNED = "planned"  # agreed, not begun
    IN_PROGRESS = "in_progress"
    DONE = "done"  # delivered; evidence expected
    CANCELLED = "cancelled"  # dropped, with a reason in the note


OPEN_STATUSES = frozenset({ActionStatus.PLANNED, ActionStatus.IN_PROGRESS})


def is_overdue(status: ActionStatus, due_on: date | None, today: date) -> bool:
    """An action is overdue when it is still open and its due date has passed.

    An action without a due date is never overdue (it is listed as such, not hidden)."""
    return status in OPEN_STATUSES and due_on is not None and due_on < today


class EvidenceKind(StrEnum):
    """File types kept as evidence, recognised by their first bytes, not their name."""

    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    XLSX = "xlsx"
    DOCX = "docx"


MEDIA_TYPES: dict[EvidenceKind, str] = {
    EvidenceKind.PDF: "application/pdf",
    EvidenceKind.JPEG: "image/jpeg",
    EvidenceKind.PNG: "image/png",
    EvidenceKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    EvidenceKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

_MAGIC: tuple[tuple[bytes, EvidenceKind], ...] = (
    (b"%PDF-", EvidenceKind.PDF),
    (b"\xff\xd8\xff", EvidenceKind.JPEG),
    (b"\x89PNG\r\n\x1a\n", EvidenceKind.PNG),
)
_ZIP_MAGIC = b"PK\x03\x04"
_OFFICE_KIND = {".xlsx": EvidenceKind.XLSX, ".docx": EvidenceKind.DOCX}


@dataclass(frozen=True)
class EvidenceRefusal:
    """Why a file is not kept: a message template and its values."""

    message: str
    values: dict[str, str | int | float]


def evidence_kind(filename: str, head: bytes, size: int) -> EvidenceKind | EvidenceRefusal:
    """The kind of an uploaded evidence file from its first bytes (at least 8), or why it
    is refused: empty, larger than :data:`EVIDENCE_MAX_BYTES`, or not a PDF, JPEG, PNG,
    XLSX or DOCX file. An XLSX or DOCX (both ZIP containers) is told apart by its name's
    ending; the file is stored as sent, never opened or unpacked on the server."""
    accepted = "PDF, JPG, PNG, XLSX, DOCX"
    if size <= 0:
        return EvidenceRefusal("the file '{name}' is empty", {"name": filename})
    if size > EVIDENCE_MAX_BYTES:
        return EvidenceRefusal(
            "the file '{name}' has {size} MB; evidence files may have at most {limit} MB",
            {"name": filename, "size": round(size / 1024 / 1024, 1), "limit": 5},
        )
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    suffix = filename.lower()[filename.rfind(".") :] if "." in filename else ""
    if head.startswith(_ZIP_MAGIC) and suffix in _OFFICE_KIND:
        return _OFFICE_KIND[suffix]
    return EvidenceRefusal(
        "the file '{name}' is not one of {accepted}", {"name": filename, "accepted": accepted}
    )
