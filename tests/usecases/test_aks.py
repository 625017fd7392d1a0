"""The Audit Kasus Stunting on both databases (docs/aks.md): only the audit team (and an
administrator) opens an audit; the Tim Teknis confirms proposed cases, the Tim Pakar fills
the worksheet, the coordination team writes recommendations, RTL items and the next
semester's evaluation; every change is audited; the report's figures name no one."""

from dataclasses import asdict
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, Engine, insert, select

from tests.db.helpers import add_child, add_derived, add_measurement, add_posyandu
from tumbuh.db.models import Mother, Pregnancy, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_tpps import Institution
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.growth.aks import Cause, ExpertRole, Reason, TargetGroup, Team
from tumbuh.growth.periods import semester_period
from tumbuh.growth.tpps import ActionStatus, InstitutionKind
from tumbuh.usecases import aks
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, UserInfo
from tumbuh.usecases.aks_kka import KkaInput, kka_view, save_kka

CIBEBER, KEDALEMAN = "36.72.01.1001", "36.72.01.1002"
CITY = {CIBEBER: "Cibeber", KEDALEMAN: "Kedaleman"}
ADMIN = Scope(Role.ADMIN, None, None, True, True, True, True, True)
AUDITOR = Scope(Role.AUDITOR, None, None, False, False, False, False, False)
ANALYST = Scope(Role.ANALYST, None, None, False, False, False, False, False)
TODAY = date(2024, 12, 10)
S1, S2 = semester_period(2024, 1), semester_period(2024, 2)


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def _user(connection: Connection, username: str, role: Role) -> UserInfo:
    return create_user(
        connection,
        NewUser(username, username.title(), role, "kata-sandi-demo-1"),
        datetime.now(UTC),
    )


def _institution(connection: Connection, name: str) -> int:
    table = table_of(Institution)
    return int(
        connection.execute(
            insert(table)
            .values(name=name, kind=InstitutionKind.OPD, active=True, created_at=datetime.now(UTC))
            .returning(table.c.id)
        ).scalar_one()
    )


def _registers(connection: Connection) -> tuple[int, int, int]:
    """A stunted baduta, a child growing well (Cibeber), and a pregnancy with KEK."""
    posyandu = add_posyandu(connection, "P1", CIBEBER, "Mawar")
    stunted = add_child(connection, birth_date=date(2023, 6, 1), posyandu_id=posyandu)
    add_derived(
        connection,
        add_measurement(connection, child_id=stunted, measured_on=date(2024, 8, 5)),
        -2.6,
        False,
    )
    well = add_child(connection, birth_date=date(2023, 7, 1), posyandu_id=posyandu)
    add_derived(
        connection,
        add_measurement(connection, child_id=well, measured_on=date(2024, 8, 5)),
        -0.4,
        False,
    )
    mother = table_of(Mother)
    mother_id = connection.execute(
        insert(mother).values(name="Ibu Sari").returning(mother.c.id)
    ).scalar_one()
    p = table_of(Pregnancy)
    pregnancy = connection.execute(
        insert(p)
        .values(
            mother_id=mother_id,
            hpht=date(2024, 5, 1),
            muac_cm=22.1,
            hb_g_dl=11.5,
            kelurahan_code=CIBEBER,
        )
        .returning(p.c.id)
    ).scalar_one()
    return stunted, well, int(pregnancy)


def _audit(connection: Connection, period_label: str, started: date) -> int:
    saved = aks.create_audit(
        connection,
        ADMIN,
        _admin(connection),
        aks.AuditInput(period_label, started, (CIBEBER,)),
        CITY,
    )
    assert saved.errors == []
    assert saved.audit_id is not None
    return saved.audit_id


def _admin(connection: Connection) -> UserInfo:
    from tumbuh.db.users import find_user

    return find_user(connection, "admin") or _user(connection, "admin", Role.ADMIN)


def _member(
    connection: Connection, audit_id: int, user: UserInfo, team: Team, role: ExpertRole
) -> None:
    member = aks.MemberInput(team, role, user.full_name, None, user.id)
    aks.add_member(connection, ADMIN, _admin(connection), audit_id, member)


def _entities(connection: Connection) -> list[str]:
    a = table_of(AuditEntry)
    return [r for (r,) in connection.execute(select(a.c.entity).order_by(a.c.id))]


def test_the_audit_team_selects_reviews_and_follows_up(engine: Engine) -> None:
    with engine.connect() as connection:
        stunted, well, pregnancy = _registers(connection)
        connection.commit()
        audit_id = _audit(connection, "2024-S2", date(2024, 10, 1))
        teknis = _user(connection, "tim_teknis", Role.AUDITOR)
        pakar = _user(connection, "tim_pakar", Role.AUDITOR)
        connection.commit()
        _member(connection, audit_id, teknis, Team.TECHNICAL, ExpertRole.NUTRITIONIST)
        _member(connection, audit_id, pakar, Team.EXPERT, ExpertRole.PEDIATRICIAN)

        view = aks.audit_view(connection, AUDITOR, teknis, audit_id, TODAY)
        proposed = {
            (c.candidate.group, c.candidate.child_id, c.candidate.pregnancy_id): c
            for c in view.candidates
        }
        assert set(proposed) == {
            (TargetGroup.BADUTA, stunted, None),
            (TargetGroup.IBU_HAMIL, None, pregnancy),
        }
        assert proposed[(TargetGroup.IBU_HAMIL, None, pregnancy)].name == "Ibu Sari"
        assert proposed[(TargetGroup.BADUTA, stunted, None)].candidate.reasons == (Reason.STUNTED,)
        assert well not in {c.candidate.child_id for c in view.candidates}

        pick = aks.Pick(TargetGroup.BADUTA, stunted, None, None)
        with pytest.raises(NotAllowed):  # the expert does not select
            aks.confirm_case(connection, AUDITOR, pakar, audit_id, pick, TODAY)
        case_id = aks.confirm_case(connection, AUDITOR, teknis, audit_id, pick, TODAY)
        with pytest.raises(OutOfScope):  # once only
            aks.confirm_case(connection, AUDITOR, teknis, audit_id, pick, TODAY)
        with pytest.raises(OutOfScope):  # not proposed
            aks.confirm_case(
                connection,
                AUDITOR,
                teknis,
                audit_id,
                aks.Pick(TargetGroup.BADUTA, well, None, None),
                TODAY,
            )

        kka = KkaInput(
            None,
            "Posyandu bulanan",
            (Cause.FEEDING, Cause.INFECTION),
            "MP-ASI terlambat",
            "Rujuk lebih awal",
            "Kelas ibu balita",
        )
        with pytest.raises(NotAllowed):
            save_kka(connection, AUDITOR, teknis, audit_id, case_id, kka, TODAY)
        save_kka(connection, AUDITOR, pakar, audit_id, case_id, kka, TODAY)
        sheet = kka_view(connection, AUDITOR, pakar, audit_id, case_id)
        assert sheet.causes == (Cause.INFECTION, Cause.FEEDING)  # in the order of Cause
        assert sheet.case.reviewed_on == TODAY
        assert [g.haz for g in sheet.growth] == [-2.6]

        rec = aks.add_recommendation(
            connection, ADMIN, _admin(connection), audit_id, "Perkuat kelas ibu balita"
        )
        dinkes = _institution(connection, "Dinas Kesehatan Kota Cilegon")
        connection.commit()
        item = aks.RtlInput(
            rec, "Kelas ibu balita di tiap posyandu lokus", dinkes, CIBEBER, date(2024, 11, 30)
        )
        with pytest.raises(NotAllowed):  # the technical team does not manage
            aks.add_rtl(connection, AUDITOR, teknis, audit_id, item, TODAY)
        aks.add_rtl(connection, ADMIN, _admin(connection), audit_id, item, TODAY)
        lines = aks.audit_view(connection, ADMIN, _admin(connection), audit_id, TODAY).rtl
        assert [(r.action.status, r.overdue, r.evidence_files) for r in lines] == [
            (ActionStatus.PLANNED, True, 0)
        ]
        assert _entities(connection)[-6:] == [
            "aks_member",
            "aks_member",
            "aks_case",
            "aks_case",
            "aks_recommendation",
            "action_item",
        ]


def test_outsiders_get_not_found_and_analysts_never_see_the_audit(engine: Engine) -> None:
    with engine.connect() as connection:
        audit_id = _audit(connection, "2024-S2", date(2024, 10, 1))
        stranger = _user(connection, "stranger", Role.AUDITOR)
        analyst = _user(connection, "analis", Role.ANALYST)
        connection.commit()
        _member(connection, audit_id, analyst, Team.COORDINATION, ExpertRole.OFFICIAL)
        with pytest.raises(OutOfScope):
            aks.audit_view(connection, AUDITOR, stranger, audit_id, TODAY)
        assert aks.audit_list(connection, AUDITOR, stranger).audits == []
        with pytest.raises(OutOfScope):  # linked, but a figures-only role
            aks.audit_view(connection, ANALYST, analyst, audit_id, TODAY)
        with pytest.raises(OutOfScope):
            aks.audit_list(connection, ANALYST, analyst)
        with pytest.raises(OutOfScope):
            aks.audit_view(connection, ADMIN, _admin(connection), audit_id + 99, TODAY)


def test_a_refused_audit_names_the_field_and_writes_nothing(engine: Engine) -> None:
    with engine.connect() as connection:
        _audit(connection, "2024-S2", date(2024, 10, 1))
        before = len(_entities(connection))
        saved = aks.create_audit(
            connection, ADMIN, _admin(connection), aks.AuditInput("2024-S2", None, ("99.99",)), CITY
        )
        assert saved.audit_id is None
        assert [e.field for e in saved.errors] == ["semester", "started_on", "locus"]
        saved = aks.create_audit(
            connection,
            ADMIN,
            _admin(connection),
            aks.AuditInput("2024-08", date(2024, 9, 1), (CIBEBER,)),
            CITY,
        )
        assert [e.field for e in saved.errors] == ["semester"]
        assert len(_entities(connection)) == before


def test_the_report_figures_count_without_names_and_carry_the_evaluation(engine: Engine) -> None:
    with engine.connect() as connection:
        stunted, _, pregnancy = _registers(connection)
        dinkes = _institution(connection, "Dinas Kesehatan Kota Cilegon")
        connection.commit()
        admin = _admin(connection)
        first = _audit(connection, "2024-S1", date(2024, 4, 15))
        rec = aks.add_recommendation(connection, ADMIN, admin, first, "Data e-PPGBM dipadankan")
        old = aks.add_rtl(
            connection,
            ADMIN,
            admin,
            first,
            aks.RtlInput(rec, "Padankan data", dinkes, None, date(2024, 6, 30)),
            date(2024, 5, 20),
        )
        second = _audit(connection, "2024-S2", date(2024, 10, 1))
        aks.confirm_case(
            connection,
            ADMIN,
            admin,
            second,
            aks.Pick(TargetGroup.IBU_HAMIL, None, pregnancy, None),
            TODAY,
        )
        case_id = aks.confirm_case(
            connection,
            ADMIN,
            admin,
            second,
            aks.Pick(TargetGroup.BADUTA, stunted, None, None),
            TODAY,
        )
        save_kka(
            connection,
            ADMIN,
            admin,
            second,
            case_id,
            KkaInput(None, None, (Cause.POVERTY,), "Miskin", None, None),
            TODAY,
        )
        with pytest.raises(OutOfScope):  # an item of this audit is not evaluated here
            aks.evaluate_rtl(connection, ADMIN, admin, first, old, "x", TODAY)
        aks.evaluate_rtl(connection, ADMIN, admin, second, old, "Sebagian selesai", TODAY)
        aks.save_dissemination(
            connection,
            ADMIN,
            admin,
            second,
            aks.Dissemination(date(2024, 12, 5), "Aula Setda", None),
        )

        figures = aks.audit_figures(connection, S2, date(2024, 12, 31))
        assert figures is not None
        assert dict(figures.cases)[TargetGroup.BADUTA] == 1
        assert dict(figures.cases)[TargetGroup.IBU_HAMIL] == 1
        assert len(figures.cases) == len(TargetGroup)
        assert figures.reviewed == 1
        assert figures.causes == ((Cause.POVERTY, 1),)
        assert figures.locus == ("Cibeber",)
        assert figures.disseminated_on == date(2024, 12, 5)
        assert [(a.evaluation, a.overdue) for a in figures.previous_rtl] == [
            ("Sebagian selesai", True)
        ]
        text = repr(asdict(figures))
        assert "Ibu Sari" not in text
        assert "Anak " not in text
        assert aks.audit_figures(connection, semester_period(2023, 2), TODAY) is None
