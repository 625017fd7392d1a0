"""Partners, their actions and meetings on both databases (docs/tpps.md): a partner sees
and updates only its institution's actions; the TPPS sees every action, overdue first;
every change is audited; a refused file writes nothing; the report's lines are as of the
cut-off day."""

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, Engine, func, select

from tumbuh.db.actions import action_row, insert_action
from tumbuh.db.audit import Actor
from tumbuh.db.institutions import insert_institution
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_tpps import EvidenceDocument
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, UserInfo, create_user
from tumbuh.errors import InputError
from tumbuh.growth.partners import (
    CommitmentInput,
    InstitutionInput,
    MeetingInput,
    MeetingKind,
    PartnerProblem,
    ProgressInput,
)
from tumbuh.growth.tpps import ActionKind, ActionStatus, InstitutionKind
from tumbuh.usecases import actions, institutions, meetings
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, scope_for
from tumbuh.usecases.evidence import EvidenceUpload

CITY = "36.72"
KOTASARI = "36.72.06.1001"
ADMIN = Scope(Role.ADMIN, None, None, True, True, True, True, True)
KADER = Scope(Role.KADER, frozenset({KOTASARI}), frozenset({1}), True, True, True, False, False)
TOOL = Actor("cli:test")
TODAY = date(2025, 3, 1)
PDF = b"%PDF-1.4\n% test\n" + b"0" * 100


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def _institution(connection: Connection, name: str) -> int:
    values = {"name": name, "kind": InstitutionKind.OPD, "active": True}
    return insert_institution(connection, {**values, "created_at": datetime.now(UTC)})


def _action(
    connection: Connection,
    institution_id: int,
    due_on: date | None,
    status: ActionStatus = ActionStatus.PLANNED,
    kind: ActionKind = ActionKind.COMMITMENT,
) -> int:
    now = datetime.now(UTC)
    return insert_action(
        connection,
        {
            "kind": kind,
            "action": f"Action due {due_on}",
            "institution_id": institution_id,
            "agreed_on": date(2024, 11, 26),
            "due_on": due_on,
            "status": status,
            "created_at": now,
            "updated_at": now,
        },
    )


def _partner(connection: Connection, institution_id: int, name: str) -> UserInfo:
    new = NewUser(name, name, Role.PARTNER, "a-long-password", institution_id=institution_id)
    return create_user(connection, new, datetime.now(UTC))


def _admin(connection: Connection) -> UserInfo:
    return create_user(
        connection, NewUser("boss", "Boss", Role.ADMIN, "a-long-password"), datetime.now(UTC)
    )


def _audits(connection: Connection, entity: str) -> list[tuple[str, object, object]]:
    a = table_of(AuditEntry)
    rows = connection.execute(
        select(a.c.action, a.c.before, a.c.after).where(a.c.entity == entity).order_by(a.c.id)
    )
    return [
        (str(r.action), r.before and json.loads(r.before), r.after and json.loads(r.after))
        for r in rows
    ]


def _files(connection: Connection) -> int:
    table = table_of(EvidenceDocument)
    return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.fixture
def world(engine: Engine) -> dict[str, int]:
    with engine.begin() as connection:
        polres, baznas = _institution(connection, "Polres"), _institution(connection, "Baznas")
        ids = {
            "polres": polres,
            "baznas": baznas,
            "done": _action(connection, polres, date(2025, 1, 1), ActionStatus.DONE),
            "later": _action(connection, polres, date(2025, 6, 1)),
            "late": _action(connection, polres, date(2025, 2, 1), ActionStatus.IN_PROGRESS),
            "rtl": _action(connection, polres, None, kind=ActionKind.RTL),
            "other": _action(connection, baznas, date(2025, 1, 15)),
        }
    return ids


def test_a_partner_sees_and_opens_only_its_own_institutions_actions(
    engine: Engine, world: dict[str, int]
) -> None:
    with engine.begin() as connection:
        user = _partner(connection, world["polres"], "polres")
    with engine.connect() as connection:
        scope = scope_for(connection, user)
        listed = actions.action_list(connection, scope, TODAY)
        shown = {v.row.id for v in listed.actions}
        assert shown == {world["done"], world["later"], world["late"], world["rtl"]}
        assert listed.institution_name == "Polres"
        assert not listed.may_add
        with pytest.raises(OutOfScope):
            actions.find_action(connection, scope, world["other"], TODAY)
        with pytest.raises(NotAllowed):
            actions.action_list(connection, KADER, TODAY)


def test_the_tpps_sees_every_action_overdue_first_with_the_counts(
    engine: Engine, world: dict[str, int]
) -> None:
    with engine.connect() as connection:
        listed = actions.action_list(connection, ADMIN, TODAY)
    order = [v.row.id for v in listed.actions]
    # overdue (by due date), then open (by due date, none last), then closed
    assert order == [
        world["other"],
        world["late"],
        world["later"],
        world["rtl"],
        world["done"],
    ]
    assert (listed.counts.open, listed.counts.overdue, listed.counts.done) == (4, 2, 1)
    with engine.connect() as connection:
        only = actions.action_list(
            connection, ADMIN, TODAY, actions.ActionFilter(kind=ActionKind.RTL)
        )
    assert [v.row.id for v in only.actions] == [world["rtl"]]


def test_a_partner_closes_its_action_with_evidence_audited(
    engine: Engine, world: dict[str, int]
) -> None:
    with engine.begin() as connection:
        user = _partner(connection, world["polres"], "polres")
    done = ProgressInput(ActionStatus.DONE, "20 children fed", date(2025, 2, 20))
    with engine.connect() as connection:
        scope = scope_for(connection, user)
        actions.report_progress(
            connection, scope, user, world["late"], done, EvidenceUpload("bukti.pdf", PDF)
        )
        detail = actions.find_action(connection, scope, world["late"], TODAY)
        assert detail.row.status is ActionStatus.DONE
        assert detail.row.delivered == "20 children fed"
        assert [e.filename for e in detail.evidence] == ["bukti.pdf"]
        found = actions.action_evidence(connection, scope, world["late"], detail.evidence[0].id)
        assert found.content == PDF
        assert found.media_type == "application/pdf"
        audits = _audits(connection, "action_item")
        evidence = _audits(connection, "evidence")
    assert len(audits) == 1
    assert audits[0][1]["status"] == "in_progress"  # type: ignore[index]
    assert audits[0][2]["status"] == "done"  # type: ignore[index]
    assert audits[0][2]["delivered"] == "20 children fed"  # type: ignore[index]
    assert evidence[0][2]["subject"] == "commitment"  # type: ignore[index]


def test_a_refused_file_writes_nothing_not_even_the_status(
    engine: Engine, world: dict[str, int]
) -> None:
    with engine.begin() as connection:
        user = _partner(connection, world["polres"], "polres")
    done = ProgressInput(ActionStatus.DONE, "done", date(2025, 2, 20))
    with engine.connect() as connection:
        scope = scope_for(connection, user)
        with pytest.raises(InputError) as refused:
            actions.report_progress(
                connection, scope, user, world["late"], done, EvidenceUpload("x.exe", b"MZ" * 50)
            )
        assert "x.exe" in str(refused.value)
        assert "PDF, JPG, PNG, XLSX, DOCX" in str(refused.value)
    with engine.connect() as connection:
        row = action_row(connection, world["late"])
        assert row is not None
        assert row.status is ActionStatus.IN_PROGRESS
        assert _files(connection) == 0
        assert _audits(connection, "action_item") == []
        assert _audits(connection, "evidence") == []


def test_another_institutions_action_cannot_be_updated(
    engine: Engine, world: dict[str, int]
) -> None:
    with engine.begin() as connection:
        user = _partner(connection, world["polres"], "polres")
    with engine.connect() as connection:
        scope = scope_for(connection, user)
        progress = ProgressInput(ActionStatus.IN_PROGRESS, None, None)
        with pytest.raises(OutOfScope):
            actions.report_progress(connection, scope, user, world["other"], progress)
        with pytest.raises(OutOfScope):
            actions.add_action_evidence(
                connection, scope, user, world["other"], EvidenceUpload("a.pdf", PDF)
            )


def _commitment(institution_id: int, **changes: object) -> CommitmentInput:
    values: dict[str, object] = {
        "action": "Paket pangan untuk 20 anak",
        "institution_id": institution_id,
        "kelurahan": KOTASARI,
        "agreed_on": date(2024, 11, 26),
        "starts_on": date(2024, 12, 1),
        "due_on": date(2025, 5, 31),
        "budget_rupiah": 24_000_000,
        "budget_source": "Polres",
    }
    values.update(changes)
    return CommitmentInput(**values)  # type: ignore[arg-type]


def test_the_tpps_adds_and_changes_a_commitment_audited(
    engine: Engine, world: dict[str, int]
) -> None:
    with engine.connect() as connection:
        saved = actions.create_commitment(
            connection, ADMIN, TOOL, _commitment(world["polres"]), city_code=CITY
        )
        assert saved.errors == []
        assert saved.action_id is not None
        errors = actions.update_commitment(
            connection,
            ADMIN,
            TOOL,
            saved.action_id,
            _commitment(world["polres"], budget_rupiah=30_000_000),
            city_code=CITY,
        )
        assert errors == []
        audits = _audits(connection, "action_item")
        row = action_row(connection, saved.action_id)
    assert row is not None
    assert row.kelurahan_name == "Kotasari"
    assert row.budget_rupiah == 30_000_000
    assert [a[0] for a in audits] == ["create", "update"]
    assert audits[1][1]["budget_rupiah"] == 24_000_000  # type: ignore[index]
    assert audits[1][2]["budget_rupiah"] == 30_000_000  # type: ignore[index]


def test_a_commitment_elsewhere_or_of_no_partner_is_refused_unwritten(
    engine: Engine, world: dict[str, int]
) -> None:
    with engine.connect() as connection:
        saved = actions.create_commitment(
            connection, ADMIN, TOOL, _commitment(999, kelurahan="31.71.01.1001"), city_code=CITY
        )
        with pytest.raises(NotAllowed):
            actions.create_commitment(
                connection, KADER, TOOL, _commitment(world["polres"]), city_code=CITY
            )
        audits = _audits(connection, "action_item")
    problems = [e.problem for e in saved.errors]
    assert saved.action_id is None
    assert problems == [PartnerProblem.UNKNOWN_INSTITUTION, PartnerProblem.UNKNOWN_KELURAHAN]
    assert audits == []


def test_the_report_lines_are_as_of_the_cut_off(engine: Engine, world: dict[str, int]) -> None:
    with engine.begin() as connection:
        user = _partner(connection, world["polres"], "polres")
    with engine.connect() as connection:
        progress = ProgressInput(ActionStatus.DONE, "delivered", date(2025, 2, 20))
        actions.report_progress(
            connection, scope_for(connection, user), user, world["late"], progress
        )
        before = actions.commitment_lines(connection, date(2025, 2, 10))
        after = actions.commitment_lines(connection, date(2025, 3, 1))
        rtl = actions.action_lines(connection, [world["rtl"]], date(2025, 3, 1))
        too_early = actions.commitment_lines(connection, date(2024, 11, 1))
    by_due = {line.due_on: line for line in before}
    late = by_due[date(2025, 2, 1)]
    assert late.status is ActionStatus.IN_PROGRESS
    assert late.overdue
    assert late.delivered is None
    assert {line.due_on: line for line in after}[date(2025, 2, 1)].status is ActionStatus.DONE
    assert before[0].overdue
    assert before[0].responsible == "Baznas"
    assert all(line.kind is ActionKind.COMMITMENT for line in after)
    assert len(after) == 4
    assert [line.kind for line in rtl] == [ActionKind.RTL]
    assert too_early == ()


def test_institutions_need_a_region_of_their_kind_and_a_free_name(engine: Engine) -> None:
    camat = InstitutionInput("Kecamatan Grogol", "Camat", InstitutionKind.KECAMATAN, KOTASARI, True)
    with engine.connect() as connection:
        wrong = institutions.create_institution(connection, ADMIN, TOOL, camat, city_code=CITY)
        right = institutions.create_institution(
            connection,
            ADMIN,
            TOOL,
            InstitutionInput(
                "Kecamatan Grogol", "Camat", InstitutionKind.KECAMATAN, "36.72.06", True
            ),
            city_code=CITY,
        )
        again = institutions.create_institution(
            connection,
            ADMIN,
            TOOL,
            InstitutionInput("kecamatan grogol", None, InstitutionKind.OTHER, None, True),
            city_code=CITY,
        )
        assert right.institution_id is not None
        off = InstitutionInput(
            "Kecamatan Grogol", "Camat", InstitutionKind.KECAMATAN, "36.72.06", False
        )
        errors = institutions.update_institution_of(
            connection, ADMIN, TOOL, right.institution_id, off, city_code=CITY
        )
        listed = institutions.institution_list(connection, ADMIN)
        audits = _audits(connection, "institution")
        with pytest.raises(NotAllowed):
            institutions.institution_list(connection, KADER)
    assert [e.problem for e in wrong.errors] == [PartnerProblem.UNKNOWN_REGION]
    assert [e.problem for e in again.errors] == [PartnerProblem.NAME_TAKEN]
    assert errors == []
    assert not listed[0].active
    assert listed[0].region_name == "Grogol"
    assert [a[0] for a in audits] == ["create", "update"]


def test_a_decision_makes_a_commitment_linked_to_it(engine: Engine, world: dict[str, int]) -> None:
    typed = MeetingInput(
        date(2024, 11, 26),
        MeetingKind.TPPS,
        "Rapat TPPS",
        "Setda",
        "Sekda",
        None,
        (world["polres"], world["baznas"]),
    )
    with engine.connect() as connection:
        made = meetings.create_meeting(connection, ADMIN, TOOL, typed)
        assert made.meeting_id is not None
        decision = meetings.add_decision(connection, ADMIN, TOOL, made.meeting_id, "Bapak Asuh")
        saved = meetings.commitment_from_decision(
            connection,
            ADMIN,
            TOOL,
            made.meeting_id,
            decision,
            _commitment(world["polres"]),
            city_code=CITY,
        )
        meetings.link_decision(connection, ADMIN, TOOL, made.meeting_id, decision, world["rtl"])
        view = meetings.find_meeting(connection, ADMIN, made.meeting_id)
        detail = actions.find_action(connection, ADMIN, world["rtl"], TODAY)
        with pytest.raises(OutOfScope):
            meetings.link_decision(connection, ADMIN, TOOL, made.meeting_id, decision + 1, 1)
        entities = {
            e for e in ("meeting", "meeting_decision", "decision_action") if _audits(connection, e)
        }
    linked = view.decisions[0][1]
    assert [a.id for a in linked] == sorted([saved.action_id or 0, world["rtl"]])
    assert {name for _i, name in view.meeting.attendees} == {"Polres", "Baznas"}
    assert detail.decisions[0][2] == "Rapat TPPS"
    assert entities == {"meeting", "meeting_decision", "decision_action"}
