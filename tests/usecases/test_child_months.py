"""A child's monthly record on both databases: a kader records and corrects a month, an
answer that does not apply at the child's age is refused with a message naming field,
value and what is accepted, nothing is half-written, every change is audited; the bidan
writes, the TPK reads, another area gets nothing; the day of complete basic immunisation
is set and cleared within birth and today. Rules: docs/domain.md §14."""

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, Engine, func, select

from tests.db.helpers import add_child, add_posyandu
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_maternal import ChildMonth
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, UserInfo, create_user
from tumbuh.growth.child_months import KpspResult, MonthQuestion, VitaminACapsule
from tumbuh.i18n import Language, translations
from tumbuh.usecases import child_months
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, scope_for
from tumbuh.usecases.child_month_input import MonthFieldError, read_day, read_month, read_record

CIBEBER, CIWADUK = "36.72.01.1001", "36.72.02.1005"
TODAY = date(2025, 2, 20)
NOW = datetime(2025, 2, 1, tzinfo=UTC)
BORN_4_MONTHS = date(2024, 10, 1)  # 4 completed months all February 2025
BORN_8_MONTHS = date(2024, 6, 1)  # 8 completed months: MP-ASI and vitamin A (blue)


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


@pytest.fixture
def place(engine: Engine) -> dict[str, int]:
    with engine.begin() as connection:
        mawar = add_posyandu(connection, "P-1", CIBEBER, "Mawar")
        melati = add_posyandu(connection, "P-2", CIWADUK, "Melati")
        return {
            "mawar": mawar,
            "melati": melati,
            "infant": add_child(connection, birth_date=BORN_4_MONTHS, posyandu_id=mawar),
            "older": add_child(connection, birth_date=BORN_8_MONTHS, posyandu_id=mawar),
            "elsewhere": add_child(connection, birth_date=BORN_4_MONTHS, posyandu_id=melati),
        }


def _user(connection: Connection, role: Role, posyandu_id: int) -> tuple[UserInfo, Scope]:
    name = f"{role.value}-{posyandu_id}"
    new = NewUser(name, name.title(), role, "rahasia-sekali-1", posyandu_id=posyandu_id)
    user = create_user(connection, new, NOW)
    connection.commit()
    return user, scope_for(connection, user)


def _month_rows(connection: Connection) -> int:
    count = select(func.count()).select_from(table_of(ChildMonth))
    return int(connection.execute(count).scalar_one())


def _id(error: MonthFieldError) -> str:
    return error.translated(translations(Language.ID).gettext)


def test_a_kader_records_asi_eksklusif_of_a_4_month_old_and_reads_it_back(
    engine: Engine, place: dict[str, int]
) -> None:
    with engine.connect() as connection:
        kader = _user(connection, Role.KADER, place["mawar"])
        record = read_record({"exclusive_breastfeeding": "yes"})
        month = read_month("2025-02", TODAY)
        child_months.record_month(connection, *kader, place["infant"], month, record)
        seen = child_months.child_months(connection, kader[1], place["infant"], today=TODAY)
    assert seen.current is not None
    assert seen.current.questions == (MonthQuestion.EXCLUSIVE_BREASTFEEDING,)
    assert seen.current.record.exclusive_breastfeeding is True
    assert [(m.month, m.record.exclusive_breastfeeding) for m in seen.months] == [
        (date(2025, 2, 1), True)
    ]
    assert seen.may_record


def test_a_correction_replaces_the_month_and_both_are_audited(
    engine: Engine, place: dict[str, int]
) -> None:
    with engine.connect() as connection:
        kader = _user(connection, Role.KADER, place["mawar"])
        month = date(2025, 2, 1)
        first = read_record({"complementary_feeding": "no", "vitamin_a_given": "yes"})
        second = read_record({"complementary_feeding": "yes", "vitamin_a_given": "yes"})
        one = child_months.record_month(connection, *kader, place["older"], month, first)
        two = child_months.record_month(connection, *kader, place["older"], month, second)
        audits = connection.execute(
            select(AuditEntry.action, AuditEntry.before, AuditEntry.after)
            .where(AuditEntry.entity == "child_month")
            .order_by(AuditEntry.id)
        ).all()
        seen = child_months.child_months(connection, kader[1], place["older"], today=TODAY)
        assert _month_rows(connection) == 1
    assert one == two
    assert [a.action.value for a in audits] == ["create", "update"]
    assert json.loads(audits[1].before)["complementary_feeding"] is False
    assert json.loads(audits[1].after)["complementary_feeding"] is True
    assert seen.months[0].capsule is VitaminACapsule.BLUE  # 8 months: blue, 100,000 IU


def test_asi_eksklusif_at_8_months_is_refused_naming_field_value_and_ages(
    engine: Engine, place: dict[str, int]
) -> None:
    with engine.connect() as connection:
        kader = _user(connection, Role.KADER, place["mawar"])
        record = read_record({"exclusive_breastfeeding": "yes", "complementary_feeding": "yes"})
        with pytest.raises(MonthFieldError) as refused:
            child_months.record_month(connection, *kader, place["older"], date(2025, 2, 1), record)
        assert _month_rows(connection) == 0  # nothing half-written
    assert refused.value.field == "exclusive_breastfeeding"
    assert _id(refused.value) == (
        "ASI eksklusif: 'ya' tidak diterima pada umur 8 bulan; ASI eksklusif ditanyakan "
        "untuk bayi umur 0 sampai 5 bulan; kosongkan"
    )


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"complementary_feeding": "no"}, "complementary_feeding"),  # 4 months: no MP-ASI
        ({"vitamin_a_given": "yes"}, "vitamin_a_given"),  # under 6 months
        ({"kpsp_result": "sesuai"}, "kpsp_result"),  # 4 months: no KPSP age
    ],
)
def test_questions_not_asked_of_a_4_month_old_are_refused(
    engine: Engine, place: dict[str, int], raw: dict[str, str], field: str
) -> None:
    with engine.connect() as connection:
        kader = _user(connection, Role.KADER, place["mawar"])
        with pytest.raises(MonthFieldError) as refused:
            child_months.record_month(
                connection, *kader, place["infant"], date(2025, 2, 1), read_record(raw)
            )
    assert refused.value.field == field


def test_vitamin_a_outside_february_and_august_is_refused(
    engine: Engine, place: dict[str, int]
) -> None:
    with engine.connect() as connection:
        kader = _user(connection, Role.KADER, place["mawar"])
        with pytest.raises(MonthFieldError) as refused:
            child_months.record_month(
                connection,
                *kader,
                place["older"],
                date(2025, 1, 1),
                read_record({"vitamin_a_given": "no"}),
            )
    assert _id(refused.value).startswith("Kapsul vitamin A diberikan: 'tidak' tidak diterima")


def test_a_month_before_the_birth_or_in_the_future_is_refused(
    engine: Engine, place: dict[str, int]
) -> None:
    with engine.connect() as connection:
        kader = _user(connection, Role.KADER, place["mawar"])
        with pytest.raises(MonthFieldError) as before:
            child_months.record_month(
                connection, *kader, place["infant"], date(2024, 9, 1), read_record({})
            )
    with pytest.raises(MonthFieldError) as future:
        read_month("2025-03", TODAY)
    assert before.value.field == future.value.field == "month"


def test_a_bidan_records_a_month_and_a_tpk_only_reads(
    engine: Engine, place: dict[str, int]
) -> None:
    with engine.connect() as connection:
        bidan = _user(connection, Role.BIDAN, place["mawar"])
        tpk = _user(connection, Role.TPK, place["mawar"])
        record = read_record({"complementary_feeding": "yes"})
        child_months.record_month(connection, *bidan, place["older"], date(2025, 2, 1), record)
        with pytest.raises(NotAllowed):
            child_months.record_month(connection, *tpk, place["older"], date(2025, 2, 1), record)
        seen = child_months.child_months(connection, tpk[1], place["older"], today=TODAY)
    assert seen.months[0].record.complementary_feeding is True
    assert not seen.may_record


def test_a_child_of_another_area_is_not_found(engine: Engine, place: dict[str, int]) -> None:
    with engine.connect() as connection:
        kader = _user(connection, Role.KADER, place["mawar"])
        with pytest.raises(OutOfScope):
            child_months.child_months(connection, kader[1], place["elsewhere"], today=TODAY)
        with pytest.raises(OutOfScope):
            child_months.record_month(
                connection, *kader, place["elsewhere"], date(2025, 2, 1), read_record({})
            )


def test_the_immunisation_day_is_set_cleared_and_audited(
    engine: Engine, place: dict[str, int]
) -> None:
    with engine.connect() as connection:
        kader = _user(connection, Role.KADER, place["mawar"])
        day = read_day("2025-01-15")
        child_months.set_immunisation(connection, *kader, place["older"], day, today=TODAY)
        set_to = child_months.child_months(connection, kader[1], place["older"], today=TODAY)
        child_months.set_immunisation(connection, *kader, place["older"], None, today=TODAY)
        cleared = child_months.child_months(connection, kader[1], place["older"], today=TODAY)
        audits = connection.execute(
            select(AuditEntry.after).where(AuditEntry.entity == "child").order_by(AuditEntry.id)
        ).all()
    assert set_to.immunisation_completed_on == date(2025, 1, 15)
    assert cleared.immunisation_completed_on is None
    assert [json.loads(a.after)["basic_immunisation_completed_on"] for a in audits] == [
        "2025-01-15",
        None,
    ]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-05-31", "Hari imunisasi dasar lengkap: 2024-05-31 sebelum anak lahir"),
        ("2025-02-21", "Hari imunisasi dasar lengkap: 2025-02-21 sesudah hari ini"),
    ],
)
def test_an_immunisation_day_before_birth_or_after_today_is_refused(
    engine: Engine, place: dict[str, int], day: str, expected: str
) -> None:
    with engine.connect() as connection:
        kader = _user(connection, Role.KADER, place["mawar"])
        with pytest.raises(MonthFieldError) as refused:
            child_months.set_immunisation(
                connection, *kader, place["older"], read_day(day), today=TODAY
            )
    assert _id(refused.value).startswith(expected)


def test_a_kpsp_result_that_is_not_a_choice_is_refused() -> None:
    with pytest.raises(MonthFieldError) as refused:
        read_record({"kpsp_result": "baik"})
    assert _id(refused.value) == (
        "Hasil KPSP: 'baik' bukan salah satu pilihan; yang diterima: "
        "sesuai, meragukan, penyimpangan"
    )
    assert read_record({"kpsp_result": "Meragukan"}).kpsp_result is KpspResult.MERAGUKAN
