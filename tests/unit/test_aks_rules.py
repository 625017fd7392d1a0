"""The selection rule of the Audit Kasus Stunting (docs/aks.md): which records of the
locus are proposed as cases, in which group and why; and the small readers of its forms."""

from datetime import date

from tumbuh.growth.aks import (
    AksError,
    BirthRecord,
    CatinRecord,
    Cause,
    ChildRecord,
    PregnancyRecord,
    Reason,
    TargetGroup,
    audit_day,
    cause_counts,
    causes_of,
    causes_text,
    checked_causes,
    checked_date,
    checked_text,
    select_candidates,
)
from tumbuh.growth.periods import semester_period

S2 = semester_period(2024, 2)  # last day 2024-12-31


def _child(
    birth: date, haz: float | None, *, open_case: bool = False, krs: bool = False
) -> ChildRecord:
    return ChildRecord(1, birth, haz, open_case, krs)


def test_the_audit_day_is_the_semesters_last() -> None:
    assert audit_day(S2) == date(2024, 12, 31)


def test_a_stunted_baduta_and_balita_are_proposed_by_age_on_the_last_day() -> None:
    baduta = select_candidates(S2, children=[_child(date(2023, 1, 1), -2.01)])
    assert [(c.group, c.reasons) for c in baduta] == [(TargetGroup.BADUTA, (Reason.STUNTED,))]
    # 24 completed months on 2024-12-31: a balita
    balita = select_candidates(S2, children=[_child(date(2022, 12, 31), -2.5)])
    assert balita[0].group is TargetGroup.BALITA


def test_haz_of_minus_two_is_not_stunted_and_60_months_is_too_old() -> None:
    assert select_candidates(S2, children=[_child(date(2023, 1, 1), -2.0)]) == []
    assert select_candidates(S2, children=[_child(date(2019, 12, 31), -3.0)]) == []
    assert select_candidates(S2, children=[_child(date(2025, 1, 1), -3.0)]) == []


def test_an_open_case_or_a_krs_family_under_minus_one_is_proposed() -> None:
    opened = select_candidates(S2, children=[_child(date(2023, 5, 1), None, open_case=True)])
    assert opened[0].reasons == (Reason.OPEN_CASE,)
    krs = select_candidates(S2, children=[_child(date(2023, 5, 1), -1.2, krs=True)])
    assert krs[0].reasons == (Reason.KRS_FAMILY,)
    assert select_candidates(S2, children=[_child(date(2023, 5, 1), -0.9, krs=True)]) == []


def test_a_pregnancy_with_kek_or_anaemia_in_the_semester_is_proposed() -> None:
    kek = PregnancyRecord(7, date(2024, 6, 1), None, 23.4, 12.0)
    both = PregnancyRecord(8, date(2024, 6, 1), date(2024, 7, 2), 22.0, 10.9)
    fine = PregnancyRecord(9, date(2024, 6, 1), None, 23.5, 11.0)
    ended_before = PregnancyRecord(10, date(2023, 9, 1), date(2024, 6, 30), 20.0, 9.0)
    found = select_candidates(S2, pregnancies=[kek, both, fine, ended_before])
    assert [(c.pregnancy_id, c.reasons) for c in found] == [
        (8, (Reason.KEK, Reason.ANAEMIA)),
        (7, (Reason.KEK,)),
    ]
    assert {c.group for c in found} == {TargetGroup.IBU_HAMIL}


def test_a_small_birth_not_catching_up_makes_an_ibu_nifas_case() -> None:
    short = BirthRecord(3, 30, date(2024, 9, 1), 2.6, 47.5, -2.4)
    caught_up = BirthRecord(4, 31, date(2024, 9, 1), 2.3, 47.0, -1.0)
    unmeasured = BirthRecord(5, 32, date(2024, 2, 1), 2.4, 49.0, None)
    too_early = BirthRecord(6, 33, date(2023, 12, 31), 2.0, 45.0, None)
    found = select_candidates(S2, births=[short, caught_up, unmeasured, too_early])
    assert [(c.pregnancy_id, c.child_id, c.reasons) for c in found] == [
        (3, 30, (Reason.PBLR_NOT_CATCHING_UP,)),
        (5, 32, (Reason.BBLR_NOT_CATCHING_UP,)),
    ]


def test_a_catin_at_risk_of_the_semester_is_proposed() -> None:
    young = CatinRecord(
        1, True, date(2006, 3, 1), date(2024, 8, 1), date(2024, 11, 1), None, 24.0, 13.0, 50, 155
    )
    fine = CatinRecord(
        2, True, date(1998, 3, 1), date(2024, 8, 1), date(2024, 11, 1), None, 25.0, 13.0, 52, 155
    )
    other_semester = CatinRecord(
        3, True, date(2006, 3, 1), date(2024, 2, 1), date(2024, 3, 1), None, 20.0, 9.0, 40, 150
    )
    found = select_candidates(S2, catin=[young, fine, other_semester])
    assert [(c.catin_id, c.group) for c in found] == [(1, TargetGroup.CATIN)]


def test_candidates_come_by_group_then_most_reasons() -> None:
    found = select_candidates(
        S2,
        children=[
            ChildRecord(1, date(2023, 1, 1), -2.5, False, False),
            ChildRecord(2, date(2023, 1, 1), -2.5, True, False),
        ],
        pregnancies=[PregnancyRecord(7, date(2024, 6, 1), None, 22.0, None)],
    )
    assert [(c.group, c.child_id or c.pregnancy_id) for c in found] == [
        (TargetGroup.IBU_HAMIL, 7),
        (TargetGroup.BADUTA, 2),
        (TargetGroup.BADUTA, 1),
    ]


def test_causes_are_stored_as_codes_and_counted_most_frequent_first() -> None:
    assert causes_of(causes_text([Cause.POVERTY, Cause.FEEDING])) == (Cause.FEEDING, Cause.POVERTY)
    counts = cause_counts([(Cause.FEEDING,), (Cause.FEEDING, Cause.INFECTION), ()])
    assert counts == ((Cause.FEEDING, 2), (Cause.INFECTION, 1))


def test_the_form_readers_name_the_field_and_the_value() -> None:
    errors: list[AksError] = []
    assert checked_text("analysis", "  ok  ", errors) == "ok"
    assert checked_text("analysis", "x" * 2001, errors) is not None
    assert checked_date("due_on", "5/12/2024", errors) is None
    assert checked_causes(["feeding", "magic"], errors) == (Cause.FEEDING,)
    assert [(e.field, dict(e.values).get("value")) for e in errors] == [
        ("analysis", None),
        ("due_on", "5/12/2024"),
        ("causes", "magic"),
    ]
