"""Evidence files on both databases (docs/tpps.md, "Evidence"): a file is kept by its
first bytes with its checksum and an audit row; an empty, too large or unknown file is
refused with a message naming it and what is accepted, and nothing is written."""

import hashlib
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, Engine, func, select

from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_tpps import EvidenceDocument, EvidenceSubject
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, UserInfo, create_user
from tumbuh.errors import InputError
from tumbuh.growth.tpps import EVIDENCE_MAX_BYTES
from tumbuh.i18n import Language, translations
from tumbuh.usecases.access import OutOfScope, Role
from tumbuh.usecases.evidence import EvidenceUpload, attach_evidence, evidence_file

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def _user(connection: Connection) -> UserInfo:
    new = NewUser("polres", "Polres", Role.PARTNER, "a-long-password")
    with connection.begin():
        return create_user(connection, new, NOW)


def _count(connection: Connection, model: type[EvidenceDocument] | type[AuditEntry]) -> int:
    return int(connection.execute(select(func.count()).select_from(table_of(model))).scalar_one())


def test_a_png_is_kept_with_its_checksum_and_audited(engine: Engine) -> None:
    with engine.connect() as connection:
        user = _user(connection)
    with engine.begin() as connection:
        upload = EvidenceUpload("C:\\foto\\penyerahan.png", PNG, "  penyerahan paket  ")
        kept = attach_evidence(connection, user, EvidenceSubject.COMMITMENT, 7, upload, NOW)
    with engine.connect() as connection:
        found = evidence_file(connection, EvidenceSubject.COMMITMENT, kept)
        a = table_of(AuditEntry)
        audit = connection.execute(
            select(a.c.entity, a.c.entity_id, a.c.after).where(a.c.entity == "evidence")
        ).one()
        with pytest.raises(OutOfScope):  # the file is not the meeting's
            evidence_file(connection, EvidenceSubject.MEETING, kept)
    assert (found.filename, found.media_type, found.content) == ("penyerahan.png", "image/png", PNG)
    after = json.loads(audit.after)
    assert (audit.entity, audit.entity_id) == ("evidence", kept)
    assert after["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert after["subject_id"] == 7
    assert after["kind"] == "png"
    assert after["size_bytes"] == len(PNG)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("kosong.pdf", b"", "berkas 'kosong.pdf' kosong"),
        ("besar.pdf", b"%PDF-" + b"0" * EVIDENCE_MAX_BYTES, "berkas bukti paling besar 5 MB"),
        ("virus.pdf", b"MZ\x90\x00" * 10, "bukan salah satu jenis yang diterima: PDF, JPG"),
        ("tabel.xlsx", b"PK\x03\x04" + b"0" * 20, None),
    ],
)
def test_a_file_is_refused_or_kept_by_its_bytes(
    engine: Engine, name: str, content: bytes, expected: str | None
) -> None:
    with engine.connect() as connection:
        user = _user(connection)
        upload = EvidenceUpload(name, content)
        if expected is None:
            with connection.begin():
                attach_evidence(connection, user, EvidenceSubject.AKSI, 1, upload, NOW)
            assert _count(connection, EvidenceDocument) == 1
            assert _count(connection, AuditEntry) == 1
        else:
            with pytest.raises(InputError) as refused, connection.begin():
                attach_evidence(connection, user, EvidenceSubject.AKSI, 1, upload, NOW)
            message = refused.value.translated(translations(Language.ID).gettext)
            assert expected in message
            assert name in message
            assert _count(connection, EvidenceDocument) == 0
            assert _count(connection, AuditEntry) == 0
