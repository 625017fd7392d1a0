"""The kitchens' rules (tumbuh.growth.kitchens): cooking days, reading a kitchen and a
funding line with one error per field, rupiah as whole numbers, and the days a serving
may be logged on."""

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tumbuh.growth.kitchens import (
    ALL_WEEKDAYS,
    FieldError,
    FieldProblem,
    cooking_days,
    day_errors,
    outside_episode,
    parse_rupiah,
    parse_weekdays,
    read_day,
    read_funding,
    read_kitchen,
    week_of,
    weekday_bit,
    weekday_numbers,
    weekdays_mask,
    weekdays_text,
)
from tumbuh.growth.pmt import Funding, KitchenKind, KitchenOperator

MONDAY = date(2024, 8, 5)  # a Monday
GOOD = {
    "name": "Dapur Umum PKK Ciwaduk",
    "kind": "dapur_umum_pkk",
    "kelurahan": "36.72.01.1001",
    "operator": "tp_pkk",
    "contact_name": "Ibu Ketua PKK",
    "contact_phone": "0812-3456-7890",
    "capacity": "40",
    "weekdays": "1-5",
    "active": "true",
    "note": "",
}


def test_the_weekday_bits_run_from_monday_1_to_sunday_64() -> None:
    bits = [weekday_bit(MONDAY + timedelta(days=i)) for i in range(7)]
    assert bits == [1, 2, 4, 8, 16, 32, 64]
    assert sum(bits) == ALL_WEEKDAYS
    assert weekdays_mask([1, 2, 3, 4, 5]) == 31
    assert weekday_numbers(31 + 64) == (1, 2, 3, 4, 5, 7)


@pytest.mark.parametrize(
    ("text", "mask"),
    [
        ("1-5", 31),
        ("1,3,5", 1 + 4 + 16),
        (" 6 - 7 ", 32 + 64),
        ("1-3, 6", 1 + 2 + 4 + 32),
        ("7", 64),
        ("1 2 3", 7),
    ],
)
def test_days_are_read_as_numbers_and_ranges(text: str, mask: int) -> None:
    assert parse_weekdays(text) == mask


@pytest.mark.parametrize("text", ["", "0", "8", "5-1", "senin", "1-9", ",", "1;2"])
def test_anything_else_is_not_a_list_of_days(text: str) -> None:
    assert parse_weekdays(text) is None


@given(st.integers(1, ALL_WEEKDAYS))
def test_a_mask_written_as_text_reads_back_the_same(mask: int) -> None:
    assert parse_weekdays(weekdays_text(mask)) == mask


def test_the_text_of_a_mask_uses_ranges() -> None:
    assert weekdays_text(31) == "1-5"
    assert weekdays_text(1 + 4 + 16) == "1,3,5"
    assert weekdays_text(1 + 2 + 4 + 32 + 64) == "1-3,6-7"


@given(
    mask=st.integers(0, ALL_WEEKDAYS),
    start=st.dates(date(2022, 1, 1), date(2026, 12, 31)),
    length=st.integers(-3, 120),
)
def test_cooking_days_count_the_schedule_days_of_a_span(
    mask: int, start: date, length: int
) -> None:
    end = start + timedelta(days=length)
    by_hand = sum(1 for i in range(length + 1) if mask & weekday_bit(start + timedelta(days=i)))
    counted = cooking_days(
        mask, np.array([start], dtype="datetime64[D]"), np.array([end], dtype="datetime64[D]")
    )
    assert counted.tolist() == [by_hand]


def test_cooking_days_are_counted_per_element() -> None:
    starts = np.array([MONDAY, MONDAY, MONDAY], dtype="datetime64[D]")
    ends = np.array(
        [MONDAY + timedelta(days=6), MONDAY + timedelta(days=13), MONDAY], dtype="datetime64[D]"
    )
    assert cooking_days(31, starts, ends).tolist() == [5, 10, 1]
    assert cooking_days(64, starts, ends).tolist() == [1, 2, 0]


def test_a_week_runs_from_monday_to_sunday() -> None:
    assert week_of(date(2024, 8, 8)) == (MONDAY, date(2024, 8, 11))
    assert week_of(MONDAY) == (MONDAY, date(2024, 8, 11))
    assert week_of(date(2024, 8, 11)) == (MONDAY, date(2024, 8, 11))


def test_a_good_kitchen_is_read() -> None:
    kitchen, errors = read_kitchen(GOOD)
    assert errors == []
    assert kitchen is not None
    assert kitchen.kind is KitchenKind.DAPUR_UMUM_PKK
    assert kitchen.operator is KitchenOperator.TP_PKK
    assert (kitchen.capacity, kitchen.weekdays, kitchen.active) == (40, 31, True)
    assert kitchen.contact_phone == "0812-3456-7890"
    assert kitchen.note is None


def _problems(errors: list[FieldError]) -> dict[str, tuple[FieldProblem, str, str]]:
    return {e.field: (e.problem, e.value, e.accepted) for e in errors}


def test_every_bad_field_of_a_kitchen_gets_its_own_error() -> None:
    bad = {
        **GOOD,
        "name": "",
        "kind": "warung",
        "operator": "",
        "contact_phone": "call me",
        "capacity": "40,5",
        "weekdays": "senin-jumat",
        "active": "maybe",
    }
    kitchen, errors = read_kitchen(bad)
    assert kitchen is None
    found = _problems(errors)
    assert found["name"][0] is FieldProblem.MISSING
    assert found["kind"] == (
        FieldProblem.NOT_A_CHOICE,
        "warung",
        "dapur_umum_pkk, dashat, kamus, other",
    )
    assert found["operator"][0] is FieldProblem.MISSING
    assert found["contact_phone"] == (FieldProblem.NOT_A_PHONE, "call me", "0812 3456 7890")
    assert found["capacity"] == (FieldProblem.NOT_A_NUMBER, "40,5", "1-2000")
    assert found["weekdays"] == (FieldProblem.NOT_WEEKDAYS, "senin-jumat", "1-5")
    assert found["active"] == (FieldProblem.NOT_A_CHOICE, "maybe", "true, false")


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("capacity", "0", FieldProblem.OUT_OF_RANGE),
        ("capacity", "2001", FieldProblem.OUT_OF_RANGE),
        ("capacity", "-5", FieldProblem.OUT_OF_RANGE),
        ("name", "x" * 101, FieldProblem.TOO_LONG),
        ("name", "Dapur\x00Satu", FieldProblem.CONTROL_CHARACTERS),
        ("contact_name", "Ibu\tAni", FieldProblem.CONTROL_CHARACTERS),
        ("note", "a\x1bb", FieldProblem.CONTROL_CHARACTERS),
        ("contact_phone", "0812", FieldProblem.NOT_A_PHONE),
        ("contact_phone", "+62 812 3456 7890 1234", FieldProblem.NOT_A_PHONE),
        ("weekdays", "", FieldProblem.MISSING),
        ("kelurahan", " ", FieldProblem.MISSING),
    ],
)
def test_a_kitchen_value_out_of_bounds_is_refused(
    field: str, value: str, problem: FieldProblem
) -> None:
    kitchen, errors = read_kitchen({**GOOD, field: value})
    assert kitchen is None
    assert [(e.field, e.problem) for e in errors] == [(field, problem)]


def test_a_note_keeps_its_line_breaks_and_names_lose_double_spaces() -> None:
    kitchen, _ = read_kitchen(
        {**GOOD, "name": "  Dapur   Sehat  ", "note": "Senin: bubur\r\nRabu: nasi"}
    )
    assert kitchen is not None
    assert kitchen.name == "Dapur Sehat"
    assert kitchen.note == "Senin: bubur\nRabu: nasi"


def test_an_unticked_active_box_makes_the_kitchen_inactive() -> None:
    kitchen, _ = read_kitchen({**GOOD, "active": "false"})
    assert kitchen is not None
    assert kitchen.active is False


@pytest.mark.parametrize(
    ("text", "rupiah"),
    [
        ("7500000", 7_500_000),
        ("7.500.000", 7_500_000),
        ("Rp 7.500.000", 7_500_000),
        ("Rp7.500.000,-", 7_500_000),
        ("rp. 7.500.000,00", 7_500_000),
        ("7,500,000", 7_500_000),
        ("0", 0),
    ],
)
def test_rupiah_are_read_as_indonesians_write_them(text: str, rupiah: int) -> None:
    assert parse_rupiah(text) == rupiah


@pytest.mark.parametrize(
    "text", ["7.500.000,50", "7500000.5", "7.5 juta", "-100", "7.50.000", "abc"]
)
def test_anything_but_whole_rupiah_is_not_an_amount(text: str) -> None:
    assert parse_rupiah(text) is None


def test_a_good_funding_line_is_read() -> None:
    raw = {
        "source": "baznas",
        "amount_rp": "Rp 7.500.000",
        "starts_on": "2024-01-01",
        "ends_on": "2024-12-31",
    }
    line, errors = read_funding(raw)
    assert errors == []
    assert line is not None
    assert (line.source, line.amount_rp) == (Funding.BAZNAS, 7_500_000)
    assert (line.starts_on, line.ends_on) == (date(2024, 1, 1), date(2024, 12, 31))


def test_a_funding_line_with_cents_a_bad_source_and_a_period_backwards_is_refused() -> None:
    raw = {
        "source": "apbn",
        "amount_rp": "7.500.000,50",
        "starts_on": "2024-12-31",
        "ends_on": "2024-01-01",
    }
    line, errors = read_funding(raw)
    assert line is None
    found = _problems(errors)
    assert found["source"] == (
        FieldProblem.NOT_A_CHOICE,
        "apbn",
        "apbd, dak, baznas, bapak_asuh, csr, other",
    )
    assert found["amount_rp"] == (FieldProblem.NOT_WHOLE_RUPIAH, "7.500.000,50", "7.500.000")
    assert found["ends_on"] == (FieldProblem.PERIOD_ORDER, "2024-01-01", "2024-12-31")


def test_a_funding_line_beyond_a_trillion_or_with_a_bad_date_is_refused() -> None:
    raw = {"source": "csr", "amount_rp": "2000000000000", "starts_on": "31/12/2024", "ends_on": ""}
    _, errors = read_funding(raw)
    found = _problems(errors)
    assert found["amount_rp"][0] is FieldProblem.OUT_OF_RANGE
    assert found["starts_on"] == (FieldProblem.NOT_A_DATE, "31/12/2024", "YYYY-MM-DD")
    assert found["ends_on"][0] is FieldProblem.MISSING


def test_a_day_of_the_log_is_today_unless_given() -> None:
    assert read_day(None, MONDAY) == (MONDAY, [])
    assert read_day(" 2024-08-01 ", MONDAY) == (date(2024, 8, 1), [])
    day, errors = read_day("01/08/2024", MONDAY)
    assert day == MONDAY
    assert errors == [FieldError(FieldProblem.NOT_A_DATE, "date", "01/08/2024", "YYYY-MM-DD")]


def test_a_kitchen_operator_logs_today_and_the_seven_days_before_never_the_future() -> None:
    today = date(2024, 8, 15)
    assert day_errors(today, today, days_back=7) == []
    assert day_errors(date(2024, 8, 8), today, days_back=7) == []
    too_old = day_errors(date(2024, 8, 7), today, days_back=7)
    assert too_old == [FieldError(FieldProblem.DAY_TOO_OLD, "date", "2024-08-07", "2024-08-08")]
    future = day_errors(date(2024, 8, 16), today, days_back=None)
    assert future == [FieldError(FieldProblem.DAY_IN_FUTURE, "date", "2024-08-16", "2024-08-15")]
    assert day_errors(date(2023, 1, 1), today, days_back=None) == []


def test_a_day_outside_an_episode_names_the_person_and_the_bound() -> None:
    start, end = date(2024, 8, 5), date(2024, 8, 30)
    assert outside_episode(date(2024, 8, 5), start, None, "Ani") is None
    assert outside_episode(date(2024, 8, 30), start, end, "Ani") is None
    assert outside_episode(date(2024, 8, 4), start, end, "Ani") == FieldError(
        FieldProblem.BEFORE_START, "Ani", "2024-08-04", "2024-08-05"
    )
    assert outside_episode(date(2024, 8, 31), start, end, "Ani") == FieldError(
        FieldProblem.AFTER_END, "Ani", "2024-08-31", "2024-08-30"
    )
