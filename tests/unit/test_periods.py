"""Reporting periods: months, semesters, years, bulan timbang rounds and trend steps."""

from datetime import date

import pytest

from tumbuh.growth.periods import (
    PeriodKind,
    Step,
    covering,
    date_ranges,
    last_day,
    month_period,
    months_before,
    parse_period,
    semester_period,
    steps,
    year_period,
)


@pytest.mark.parametrize(
    ("text", "start", "end", "label", "kind"),
    [
        ("2024-08", date(2024, 8, 1), date(2024, 9, 1), "2024-08", PeriodKind.MONTH),
        ("2024-12", date(2024, 12, 1), date(2025, 1, 1), "2024-12", PeriodKind.MONTH),
        (" 2022-02 ", date(2022, 2, 1), date(2022, 3, 1), "2022-02", PeriodKind.MONTH),
        ("2024-S1", date(2024, 1, 1), date(2024, 7, 1), "2024-S1", PeriodKind.SEMESTER),
        ("2024-s2", date(2024, 7, 1), date(2025, 1, 1), "2024-S2", PeriodKind.SEMESTER),
        ("2023", date(2023, 1, 1), date(2024, 1, 1), "2023", PeriodKind.YEAR),
    ],
)
def test_a_period_runs_from_its_first_day_to_the_first_day_after_it(
    text: str, start: date, end: date, label: str, kind: PeriodKind
) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.start, period.end, period.label, period.kind) == (start, end, label, kind)


@pytest.mark.parametrize(
    "text", ["2024-8", "2024-13", "2024-00", "08-2024", "Agustus 2024", "2024-S3", "24", "", "1850"]
)
def test_anything_else_is_not_a_period(text: str) -> None:
    assert parse_period(text) is None


@pytest.mark.parametrize(
    ("text", "previous"),
    [
        ("2024-01", "2023-12"),
        ("2024-08", "2024-07"),
        ("2024-S1", "2023-S2"),
        ("2024-S2", "2024-S1"),
        ("2024", "2023"),
    ],
)
def test_the_previous_period_has_the_same_kind(text: str, previous: str) -> None:
    period = parse_period(text)
    assert period is not None
    assert period.previous() == parse_period(previous)


def test_only_february_and_august_months_are_bulan_timbang() -> None:
    found = [m for m in range(1, 13) if month_period(2024, m).is_bulan_timbang]
    assert found == [2, 8]
    assert not year_period(2024).is_bulan_timbang


def test_bulan_timbang_steps_are_the_february_and_august_rounds_in_range() -> None:
    labels = [
        p.label for p in steps(month_period(2021, 8), month_period(2024, 12), Step.BULAN_TIMBANG)
    ]
    assert labels == ["2021-08", "2022-02", "2022-08", "2023-02", "2023-08", "2024-02", "2024-08"]


def test_semester_steps_cover_the_months_given() -> None:
    labels = [p.label for p in covering(date(2021, 8, 14), date(2023, 1, 3), Step.SEMESTER)]
    assert labels == ["2021-S2", "2022-S1", "2022-S2", "2023-S1"]


def test_month_and_year_steps() -> None:
    months = steps(month_period(2023, 11), month_period(2024, 2), Step.MONTH)
    assert [p.label for p in months] == ["2023-11", "2023-12", "2024-01", "2024-02"]
    years = covering(date(2021, 8, 1), date(2024, 12, 31), Step.YEAR)
    assert [p.label for p in years] == ["2021", "2022", "2023", "2024"]


def test_steps_are_empty_when_the_last_period_ends_before_the_first() -> None:
    assert steps(month_period(2024, 8), month_period(2024, 1), Step.MONTH) == []


def test_date_ranges_merge_touching_periods_only() -> None:
    periods = [month_period(2024, 2), month_period(2024, 1), month_period(2024, 8)]
    assert date_ranges(periods) == [
        (date(2024, 1, 1), date(2024, 3, 1)),
        (date(2024, 8, 1), date(2024, 9, 1)),
    ]


def test_last_day_and_the_number_of_months() -> None:
    assert last_day(month_period(2024, 2)) == date(2024, 2, 29)  # a leap year
    assert last_day(semester_period(2024, 2)) == date(2024, 12, 31)
    assert [
        p.months for p in (month_period(2024, 2), semester_period(2024, 1), year_period(2024))
    ] == [
        1,
        6,
        12,
    ]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 8, 1), 60, date(2019, 8, 1)),
        (date(2024, 3, 1), 1, date(2024, 2, 1)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),  # clipped to the month's last day
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


def test_a_semester_is_one_or_two() -> None:
    with pytest.raises(ValueError, match="1 or 2"):
        semester_period(2024, 3)
