"""The 8 aksi of a year on both databases: changed by the TPPS (admin, analyst), read by a
partner, refused to other roles; every change audited; a refused value or file writes
nothing; evidence read back only through its own aksi; the report's lines
(docs/aksi.md)."""

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, Engine, func, select

from tumbuh.db.audit import Actor
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_aksi import AksiRecord
from tumbuh.db.models_tpps import EvidenceDocument
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, UserInfo, create_user
from tumbuh.demo.partners import institution_id
from tumbuh.errors import InputError
from tumbuh.growth.aksi import Aksi
from tumbuh.growth.tpps import EVIDENCE_MAX_BYTES, ActionStatus, InstitutionKind
from tumbuh.usecases import aksi
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope
from tumbuh.usecases.evidence import EvidenceUpload

ADMIN = Scope(Role.ADMIN, None, None, True, True, True, True, True)
ANALYST = Scope(Role.ANALYST, None, None, False, False, False, False, False)
PARTNER = Scope(Role.PARTNER, None, None, False, False, False, False, False)
KADER = Scope(
    Role.KADER, frozenset({"36.72.01.1001"}), frozenset({1}), True, True, True, False, False
)
TODAY = date(2024, 8, 15)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BAPPEDA = "Bappeda Kota Cilegon"


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def _analyst(connection: Connection) -> UserInfo:
    with connection.begin():
        user = NewUser("tpps", "Sekretariat TPPS", Role.ANALYST, "a-long-password-1")
        return create_user(connection, user, datetime.now(UTC))


def _office(connection: Connection, name: str = BAPPEDA) -> int:
    with connection.begin():
        return institution_id(connection, name, InstitutionKind.OPD)


def _audits(connection: Connection, entity: str) -> list[tuple[str, object, object]]:
    a = table_of(AuditEntry)
    rows = connection.execute(
        select(a.c.action, a.c.before, a.c.after).where(a.c.entity == entity).order_by(a.c.id)
    )
    return [
        (str(r.action), r.before and json.loads(r.before), r.after and json.loads(r.after))
        for r in rows
    ]


def _count(connection: Connection, model: type[AksiRecord] | type[EvidenceDocument]) -> int:
    return int(connection.execute(select(func.count()).select_from(table_of(model))).scalar_one())


def test_the_tpps_marks_the_rembuk_done_and_the_change_is_audited(engine: Engine) -> None:
    with engine.connect() as connection:
        user, office = _analyst(connection), _office(connection)
        form = aksi.AksiForm("done", "2024-07-25", str(office), "Rembuk di aula Setda")
        aksi_id = aksi.save_aksi(connection, ANALYST, user, 2024, Aksi.REMBUK, form, today=TODAY)
        again = aksi.AksiForm("done", "2024-07-25", str(office), "Rembuk di aula Setda")
        assert (
            aksi.save_aksi(connection, ANALYST, user, 2024, Aksi.REMBUK, again, today=TODAY)
            == aksi_id
        )
        card = aksi.scorecard(connection, PARTNER, 2024)
        rembuk = card.entries[2]
        assert rembuk.aksi is Aksi.REMBUK
        assert rembuk.row is not None
        assert (rembuk.status, rembuk.row.done_on) == (ActionStatus.DONE, date(2024, 7, 25))
        assert rembuk.row.institution_name == BAPPEDA
        assert card.score == 1.0
        assert not card.may_edit
        assert card.institutions == ()
        audits = _audits(connection, "aksi")
    assert len(audits) == 1  # the unchanged second save writes no audit row
    action, before, after = audits[0]
    assert (action, before) == ("create", None)
    assert after == {
        "year": 2024,
        "aksi": "rembuk",
        "status": "done",
        "done_on": "2024-07-25",
        "institution_id": office,
        "note": "Rembuk di aula Setda",
    }


def test_a_change_is_audited_with_what_it_was(engine: Engine) -> None:
    with engine.connect() as connection:
        user = _analyst(connection)
        planned = aksi.AksiForm("in_progress")
        aksi.save_aksi(connection, ADMIN, user, 2024, Aksi.PERWAL, planned, today=TODAY)
        done = aksi.AksiForm("done", "2024-05-02")
        aksi.save_aksi(connection, ADMIN, user, 2024, Aksi.PERWAL, done, today=TODAY)
        audits = _audits(connection, "aksi")
        card = aksi.scorecard(connection, ADMIN, 2024)
    assert [a[0] for a in audits] == ["create", "update"]
    assert isinstance(audits[1][1], dict)
    assert audits[1][1]["status"] == "in_progress"
    assert isinstance(audits[1][2], dict)
    assert audits[1][2]["done_on"] == "2024-05-02"
    assert card.score == 1.0
    assert card.may_edit


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (aksi.AksiForm("done"), "a done aksi needs the date it was done"),
        (
            aksi.AksiForm("finished"),
            "Status: finished is not accepted; choose one of planned, in_progress, done, cancelled",
        ),
        (
            aksi.AksiForm("done", "25/07/2024"),
            "Date done: 25/07/2024 is not a date; write it as YYYY-MM-DD, e.g. 2024-07-25",
        ),
        (aksi.AksiForm("done", "2024-09-01"), "the date 2024-09-01 lies in the future"),
        (
            aksi.AksiForm("done", "2022-12-01"),
            "the date 2022-12-01 lies outside 2024 and the first half of 2025",
        ),
        (
            aksi.AksiForm("planned", "", "999"),
            "Owning office: 999 is not a known office; choose one from the list",
        ),
    ],
)  # fmt: skip
def test_a_refused_value_names_the_field_and_writes_nothing(
    engine: Engine, form: aksi.AksiForm, message: str
) -> None:
    with engine.connect() as connection:
        user = _analyst(connection)
        with pytest.raises(InputError) as refused:
            aksi.save_aksi(connection, ANALYST, user, 2024, Aksi.REMBUK, form, today=TODAY)
        assert str(refused.value).endswith(message)
        assert _count(connection, AksiRecord) == 0
        assert _audits(connection, "aksi") == []


def test_roles_other_than_the_tpps_change_nothing(engine: Engine) -> None:
    with engine.connect() as connection:
        user = _analyst(connection)
        form = aksi.AksiForm("done", "2024-07-25")
        for scope in (PARTNER, KADER):
            with pytest.raises(NotAllowed):
                aksi.save_aksi(connection, scope, user, 2024, Aksi.REMBUK, form, today=TODAY)
        with pytest.raises(NotAllowed):
            aksi.scorecard(connection, KADER, 2024)
        upload = EvidenceUpload("undangan.pdf", PDF)
        with pytest.raises(NotAllowed):
            aksi.add_aksi_evidence(connection, PARTNER, user, 2024, Aksi.REMBUK, upload)
        assert _count(connection, AksiRecord) == 0


def test_evidence_is_kept_audited_and_read_back_only_through_its_aksi(engine: Engine) -> None:
    with engine.connect() as connection:
        user = _analyst(connection)
        upload = EvidenceUpload("berita-acara.pdf", PDF, "Berita acara rembuk")
        doc = aksi.add_aksi_evidence(connection, ANALYST, user, 2024, Aksi.REMBUK, upload)
        found = aksi.aksi_evidence(connection, PARTNER, 2024, Aksi.REMBUK, doc)
        assert (found.filename, found.media_type, found.content) == (
            "berita-acara.pdf",
            "application/pdf",
            PDF,
        )
        with pytest.raises(OutOfScope):
            aksi.aksi_evidence(connection, PARTNER, 2024, Aksi.PERWAL, doc)
        with pytest.raises(OutOfScope):
            aksi.aksi_evidence(connection, PARTNER, 2025, Aksi.REMBUK, doc)
        card = aksi.scorecard(connection, ANALYST, 2024)
        assert card.entries[2].status is ActionStatus.PLANNED  # recorded with its first file
        assert [e.filename for e in card.entries[2].evidence] == ["berita-acara.pdf"]
        assert [a[0] for a in _audits(connection, "evidence")] == ["create"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            EvidenceUpload("foto.gif", b"GIF89a" + b"\0" * 20),
            "the file 'foto.gif' is not one of PDF, JPG, PNG, XLSX, DOCX",
        ),
        (EvidenceUpload("kosong.pdf", b""), "the file 'kosong.pdf' is empty"),
        (
            EvidenceUpload("besar.pdf", b"%PDF-" + b"0" * EVIDENCE_MAX_BYTES),
            "the file 'besar.pdf' has 5.0 MB; evidence files may have at most 5 MB",
        ),
    ],
)  # fmt: skip
def test_a_refused_file_writes_nothing(
    engine: Engine, upload: EvidenceUpload, message: str
) -> None:
    with engine.connect() as connection:
        user = _analyst(connection)
        with pytest.raises(InputError) as refused:
            aksi.add_aksi_evidence(connection, ANALYST, user, 2024, Aksi.REMBUK, upload)
        assert str(refused.value) == message
        assert _count(connection, EvidenceDocument) == 0
        assert _count(connection, AksiRecord) == 0  # not even the aksi it would have recorded
        assert _audits(connection, "aksi") == []
        assert _audits(connection, "evidence") == []


def test_the_report_lines_list_all_eight_in_order_or_none(engine: Engine) -> None:
    with engine.connect() as connection:
        user, office = _analyst(connection), _office(connection)
        assert aksi.aksi_lines(connection, 2024, date(2024, 12, 31)) is None
        form = aksi.AksiForm("done", "2024-07-25", str(office))
        aksi.save_aksi(connection, ANALYST, user, 2024, Aksi.REMBUK, form, today=TODAY)
        aksi.add_aksi_evidence(
            connection, ANALYST, user, 2024, Aksi.REMBUK, EvidenceUpload("a.pdf", PDF)
        )
        lines = aksi.aksi_lines(connection, 2024, date(2024, 12, 31))
        assert aksi.aksi_lines(connection, 2023, date(2023, 12, 31)) is None
    assert lines is not None
    assert [line.aksi for line in lines] == list(Aksi)
    rembuk = lines[2]
    assert (rembuk.status, rembuk.done_on, rembuk.owner, rembuk.evidence_files) == (
        ActionStatus.DONE,
        date(2024, 7, 25),
        BAPPEDA,
        1,
    )
    assert lines[0].status is ActionStatus.PLANNED
    assert lines[0].owner is None


def test_an_institution_is_found_by_its_exact_name_or_added(engine: Engine) -> None:
    with engine.connect() as connection:
        first = _office(connection)
        assert _office(connection) == first
        assert _office(connection, "Dinas Kesehatan Kota Cilegon") != first


def test_the_years_listed_are_those_recorded_and_this_year(engine: Engine) -> None:
    with engine.connect() as connection:
        user = _analyst(connection)
        aksi.save_aksi(
            connection, ANALYST, user, 2023, Aksi.REMBUK, aksi.AksiForm("planned"), today=TODAY
        )
        assert aksi.years(connection, PARTNER, TODAY) == [2024, 2023]
        with pytest.raises(InputError):
            aksi.scorecard(connection, PARTNER, 1999)
        tool = Actor("cli:test")
        aksi.save_aksi(
            connection, ADMIN, tool, 2022, Aksi.PERWAL, aksi.AksiForm("planned"), today=TODAY
        )
        assert aksi.years(connection, ADMIN, TODAY) == [2024, 2023, 2022]
