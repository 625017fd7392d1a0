"""Cell values as people type them: numbers, dates, NIK, codes, e-PPGBM's age text."""

from datetime import date, datetime

import pandas as pd
import pytest

from tumbuh.growth.enums import Position, Sex
from tumbuh.ingest.values import (
    CellIssue,
    nik_birth_date,
    parse_age_text,
    parse_date,
    parse_dates,
    parse_decimal,
    parse_nik,
    parse_number,
    parse_position,
    parse_sex,
)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        (" 7 ", 7.0),
        (10.9, 10.9),
        (11, 11.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("12 kg", 12.0),
        ("+3", 3.0),
    ],
)
def test_numbers_as_people_type_them_are_read(raw: object, value: float) -> None:
    assert parse_number(raw).value == value
    assert parse_number(raw).issue is None


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "NA", "n/a", float("nan")])
def test_empty_and_dash_cells_are_missing_not_errors(raw: object) -> None:
    cell = parse_number(raw)
    assert (cell.value, cell.issue) == (None, None)


@pytest.mark.parametrize(
    ("raw", "issue", "guess"),
    [
        ("83..9", CellIssue.DOUBLE_SEPARATOR, 83.9),
        ("10,,5", CellIssue.DOUBLE_SEPARATOR, 10.5),
        ("10.7 it", CellIssue.TRAILING_TEXT, 10.7),
        ("12,5kgg", CellIssue.TRAILING_TEXT, 12.5),
        ("999.99", CellIssue.PLACEHOLDER, None),
        (999.99, CellIssue.PLACEHOLDER, None),
        ("9999", CellIssue.PLACEHOLDER, None),
        ("#VALUE!", CellIssue.SPREADSHEET_ERROR, None),
        ("-3,5", CellIssue.NEGATIVE, 3.5),
        ("abc", CellIssue.JUNK, None),
        (True, CellIssue.JUNK, None),
    ],
)
def test_junk_numbers_name_the_slip(raw: object, issue: CellIssue, guess: float | None) -> None:
    cell = parse_number(raw)
    assert (cell.value, cell.issue, cell.guess) == (None, issue, guess)


def test_nines_that_are_real_values_are_not_placeholders() -> None:
    assert parse_number("99,9").value == 99.9
    assert parse_number("9,99").value == 9.99


@pytest.mark.parametrize("unit", ["g", "gr", "gram", "mm", "m", "cm", "kg"])
def test_a_unit_after_the_number_is_kept_for_the_column_to_judge(unit: str) -> None:
    expected = {"gr": "g", "gram": "g"}.get(unit, unit)
    assert parse_number(f"875 {unit}").unit == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("17/08/2024", date(2024, 8, 17)),
        ("7-8-24", date(2024, 8, 7)),
        ("2024-08-17", date(2024, 8, 17)),
        ("17.08.2024", date(2024, 8, 17)),
        ("12 Agustus 2024", date(2024, 8, 12)),
        ("12-Agt-2024", date(2024, 8, 12)),
        ("3 Nopember 2023", date(2023, 11, 3)),
        ("20240817", date(2024, 8, 17)),
        ("17082024", date(2024, 8, 17)),
        (45521, date(2024, 8, 17)),  # Excel serial: 45521 days after 1899-12-30
        (45521.0, date(2024, 8, 17)),
        (datetime(2024, 8, 17, 9, 30), date(2024, 8, 17)),
        (date(2024, 8, 17), date(2024, 8, 17)),
    ],
)
def test_dates_in_every_accepted_spelling(raw: object, expected: date) -> None:
    assert parse_date(raw).value == expected


def test_an_impossible_day_is_named() -> None:
    assert parse_date("31/02/2024").issue is CellIssue.IMPOSSIBLE_DATE


def test_a_month_first_date_offers_the_day_first_one() -> None:
    cell = parse_date("08/17/2024")
    assert (cell.issue, cell.swapped) == (CellIssue.MONTH_FIRST, date(2024, 8, 17))


def test_a_readable_date_carries_its_day_month_swap() -> None:
    assert parse_date("05/08/2024").swapped == date(2024, 5, 8)
    assert parse_date("12 Agustus 2024").swapped is None  # a written month is not swapped


@pytest.mark.parametrize("raw", ["kemarin", "2024", "12 Agustusan 2024", "#N/A"])
def test_text_that_is_no_date_is_reported(raw: str) -> None:
    assert parse_date(raw).issue in {CellIssue.NOT_A_DATE, CellIssue.SPREADSHEET_ERROR}


def test_column_parsers_keep_their_signatures_for_the_zscore_command() -> None:
    dates, bad = parse_dates(pd.Series(["17/08/2024", "x", None], dtype=object))
    assert dates.iloc[0] == pd.Timestamp("2024-08-17")
    assert bad.tolist() == [False, True, False]
    numbers, bad_numbers = parse_decimal(pd.Series(["12,5", "x"], dtype=object))
    assert numbers.iloc[0] == 12.5
    assert bad_numbers.tolist() == [False, True]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("3672015708220001", "3672015708220001"),
        ("'3672015708220001", "3672015708220001"),  # Excel's text prefix
        ("3672 0157 0822 0001", "3672015708220001"),
        (3672015708220001.0, "3672015708220001"),  # a number, but all 16 digits intact
    ],
)
def test_valid_niks_are_kept_as_text(raw: object, value: str) -> None:
    assert parse_nik(raw).value == value


@pytest.mark.parametrize(
    ("raw", "issue", "digits"),
    [
        ("3.67E+15", CellIssue.SCIENTIFIC, 0),
        ("3,67202E+15", CellIssue.SCIENTIFIC, 0),
        (3672015708220000.0, CellIssue.NUMBER_TRUNCATED, 16),  # Excel zeroed digit 16
        ("367201570822001", CellIssue.WRONG_LENGTH, 15),
        ("36720157082200011", CellIssue.WRONG_LENGTH, 17),
        ("3672O15708220001", CellIssue.NOT_DIGITS, 15),  # letter O for zero
        ("0000000000000000", CellIssue.PLACEHOLDER, 16),
        (3672.5, CellIssue.NOT_DIGITS, 0),
    ],
)
def test_mangled_niks_are_named(raw: object, issue: CellIssue, digits: int) -> None:
    cell = parse_nik(raw)
    assert (cell.value, cell.issue, cell.digits) == (None, issue, digits)


def test_a_girls_nik_carries_her_birth_day_plus_40() -> None:
    # 36 72 01 | 57 08 22 | 0001: day 57 - 40 = 17, August 2022, a girl.
    assert nik_birth_date("3672015708220001") == (date(2022, 8, 17), True)
    assert nik_birth_date("3672061203230002") == (date(2023, 3, 12), False)
    assert nik_birth_date("3672019913230002") == (None, True)


@pytest.mark.parametrize(
    ("raw", "sex"),
    [("L", Sex.MALE), ("l", Sex.MALE), ("Laki-laki", Sex.MALE), (1.0, Sex.MALE)],
)
def test_boys_are_l(raw: object, sex: Sex) -> None:
    assert parse_sex(raw) is sex


@pytest.mark.parametrize("raw", ["P", "Perempuan", "PR", 2])
def test_girls_are_p(raw: object) -> None:
    assert parse_sex(raw) is Sex.FEMALE


def test_unknown_sex_codes_are_none() -> None:
    assert parse_sex("X") is None


@pytest.mark.parametrize(
    ("raw", "position"),
    [
        ("Terlentang", Position.LENGTH),
        ("TELENTANG", Position.LENGTH),
        ("Berdiri", Position.HEIGHT),
        (" berdiri ", Position.HEIGHT),
    ],
)
def test_cara_ukur_words(raw: str, position: Position) -> None:
    assert parse_position(raw) is position


def test_eppgbm_age_text_in_days() -> None:
    # 2 x 365.25 + 3 x 30.4375 + 12 = 833.8125 days
    assert parse_age_text("2 Tahun - 3 Bulan - 12 Hari") == pytest.approx(833.8125)
    assert parse_age_text("11 bulan") == pytest.approx(334.8125)
    assert parse_age_text("-") is None
