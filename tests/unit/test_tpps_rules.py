"""The TPPS's shared rules: when an action is overdue, which files are kept as evidence
(docs/tpps.md)."""

from datetime import date

import pytest

from tumbuh.growth.aksi import Aksi
from tumbuh.growth.tpps import (
    EVIDENCE_MAX_BYTES,
    ActionStatus,
    EvidenceKind,
    EvidenceRefusal,
    evidence_kind,
    is_overdue,
)

TODAY = date(2024, 12, 1)


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        (ActionStatus.PLANNED, date(2024, 11, 30), True),
        (ActionStatus.IN_PROGRESS, date(2024, 11, 30), True),
        (ActionStatus.IN_PROGRESS, TODAY, False),  # due today is not late yet
        (ActionStatus.DONE, date(2024, 1, 1), False),
        (ActionStatus.CANCELLED, date(2024, 1, 1), False),
        (ActionStatus.PLANNED, None, False),
    ],
)
def test_overdue_is_open_and_past_due(
    status: ActionStatus, due: date | None, *, overdue: bool
) -> None:
    assert is_overdue(status, due, TODAY) is overdue


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("notulen.pdf", b"%PDF-1.7\n", EvidenceKind.PDF),
        ("foto.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF", EvidenceKind.JPEG),
        ("foto.png", b"\x89PNG\r\n\x1a\n\x00", EvidenceKind.PNG),
        ("daftar.xlsx", b"PK\x03\x04\x14\x00", EvidenceKind.XLSX),
        ("surat.docx", b"PK\x03\x04\x14\x00", EvidenceKind.DOCX),
        ("bukti.pdf.png", b"%PDF-1.4", EvidenceKind.PDF),  # the bytes decide, not the name
    ],
)
def test_evidence_kind_from_first_bytes(name: str, head: bytes, kind: EvidenceKind) -> None:
    assert evidence_kind(name, head, 1000) == kind


@pytest.mark.parametrize(
    ("name", "head", "size", "words"),
    [
        ("kosong.pdf", b"", 0, "empty"),
        ("besar.pdf", b"%PDF-1.7", EVIDENCE_MAX_BYTES + 1, "at most"),
        ("skrip.pdf", b"<script>", 100, "is not one of"),
        ("arsip.zip", b"PK\x03\x04", 100, "is not one of"),  # a ZIP that is no Office file
        ("macro.xlsm", b"PK\x03\x04", 100, "is not one of"),
    ],
)
def test_evidence_refusals_name_the_file(name: str, head: bytes, size: int, words: str) -> None:
    refusal = evidence_kind(name, head, size)
    assert isinstance(refusal, EvidenceRefusal)
    assert words in refusal.message
    assert refusal.values["name"] == name


def test_evidence_limit_is_exactly_five_megabytes() -> None:
    assert evidence_kind("a.pdf", b"%PDF-", EVIDENCE_MAX_BYTES) == EvidenceKind.PDF


def test_the_eight_aksi_are_numbered_in_order() -> None:
    assert [a.number for a in Aksi] == list(range(1, 9))
    assert Aksi.REMBUK.number == 3
