"""Cell values as people type them: dates in several spellings, decimal commas.

Every parser takes a pandas Series of raw cells (text, numbers or datetimes, as the
reader produced them) and returns parsed values plus a mask of cells that held
something but could not be read, so that callers can report each one.
"""

import math
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from tumbuh.growth.enums import Position, Sex
from tumbuh.growth.who2006 import DAYS_PER_MONTH, DAYS_PER_YEAR

# Excel's day 0 is 1899-12-30 (its serial numbers count the non-existent 1900-02-29).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_SERIAL_RANGE = (1, 2958465)  # 1900-01-01 .. 9999-12-31

MONTHS_ID = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "september": 9, "sep": 9,
    "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11,
    "nopember": 11, "desember": 12, "des": 12, "dec": 12, "may": 5, "june": 6,
    "july": 7, "august": 8, "october": 10, "december": 12, "january": 1, "february": 2,
    "march": 3,
}  # fmt: skip

_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_TEXT_MONTH = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})$")
_SERIAL = re.compile(r"^\d{1,7}(?:\.0+)?$")


def _two_digit_year(year: int) -> int:
    """Years written with two digits: 00-69 are 2000s, 70-99 are 1900s (as Excel does)."""
    return year + (2000 if year < 70 else 1900) if year < 100 else year


def _from_text(text: str) -> pd.Timestamp | None:
    day: int
    month: int
    year: int
    if m := _DMY.match(text):
        day, month, year = int(m[1]), int(m[2]), _two_digit_year(int(m[3]))
    elif m := _YMD.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _TEXT_MONTH.match(text):
        found = MONTHS_ID.get(m[2].lower())
        if found is None:
            return None
        day, month, year = int(m[1]), found, int(m[3])
    elif _SERIAL.match(text):
        return _from_serial(float(text))
    else:
        return None
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        return None


def _from_serial(serial: float) -> pd.Timestamp | None:
    if not (_EXCEL_SERIAL_RANGE[0] <= serial <= _EXCEL_SERIAL_RANGE[1]) or serial != int(serial):
        return None
    return EXCEL_EPOCH + pd.Timedelta(days=int(serial))


def _one_date(value: Any) -> pd.Timestamp | None:
    if isinstance(value, pd.Timestamp):
        return value.normalize()
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        return pd.Timestamp(year=value.year, month=value.month, day=value.day)
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        return _from_serial(float(value))
    if isinstance(value, str):
        return _from_text(value.strip())
    return None


def parse_dates(cells: "pd.Series[Any]") -> tuple["pd.Series[Any]", "pd.Series[bool]"]:
    """Dates from ``dd/mm/yyyy``, ``d-m-yy``, ``yyyy-mm-dd``, ``12 Agustus 2024``, Excel
    serial numbers and real dates; returns (datetime64 series, unreadable-cell mask).

    Day comes before month, as Indonesians write dates. Each distinct spelling is parsed
    once, so a column of repeated dates costs one parse per distinct value.
    """
    present = cells.notna() & (cells.astype("string").str.strip() != "")
    uniques = pd.unique(cells[present])
    lookup = {value: _one_date(value) for value in uniques}
    parsed = pd.to_datetime(cells.where(present).map(lookup), errors="coerce")
    return parsed, present & parsed.isna()


def parse_decimal(cells: "pd.Series[Any]") -> tuple["pd.Series[float]", "pd.Series[bool]"]:
    """Numbers that may use a decimal comma (``12,5``); returns (floats, unreadable mask)."""
    if pd.api.types.is_numeric_dtype(cells) and not pd.api.types.is_bool_dtype(cells):
        return cells.astype("float64"), pd.Series(False, index=cells.index)
    text = cells.astype("string").str.strip().str.replace(",", ".", regex=False)
    text = text.mask(text == "")
    parsed = pd.to_numeric(text, errors="coerce").astype("float64")
    return parsed, text.notna() & parsed.isna()


# --- One cell at a time --------------------------------------------------------------
# The import checks read each distinct cell once (see tumbuh.ingest.checks) and need to
# know not only whether a cell parses but *why* it does not, to say what to fix.


class CellIssue(StrEnum):
    """Why a cell could not be read as the value its column holds."""

    JUNK = "junk"  # nothing number-like: "abc"
    DOUBLE_SEPARATOR = "double_separator"  # "83..9": a key pressed twice
    TRAILING_TEXT = "trailing_text"  # "10.7 it": text after the number
    PLACEHOLDER = "placeholder"  # 999, 999.99: "unknown" typed as a number
    SPREADSHEET_ERROR = "spreadsheet_error"  # #VALUE!, #REF!, #N/A ...
    NEGATIVE = "negative"
    NOT_A_DATE = "not_a_date"
    IMPOSSIBLE_DATE = "impossible_date"  # 31/02/2024: the right shape, no such day
    MONTH_FIRST = "month_first"  # 08/17/2024: month written before the day
    SCIENTIFIC = "scientific"  # a NIK shown by a spreadsheet as 3.67E+15
    NUMBER_TRUNCATED = "number_truncated"  # a NIK stored as a number; last digit lost
    WRONG_LENGTH = "wrong_length"
    NOT_DIGITS = "not_digits"
    UNKNOWN_CODE = "unknown_code"


@dataclass(frozen=True, slots=True)
class NumberCell:
    """A number read from a cell: ``value`` when it reads, else ``issue`` (and a ``guess``).

    ``unit`` is a unit written after the number (``kg``, ``g``, ``cm``, ``mm``, ``m``);
    the caller decides whether it fits the column.
    """

    value: float | None = None
    issue: CellIssue | None = None
    guess: float | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class DateCell:
    """A date read from a cell; ``swapped`` is the date with day and month exchanged."""

    value: date | None = None
    issue: CellIssue | None = None
    swapped: date | None = None


MISSING_TOKENS = frozenset({"", "-", "--", "\u2013", "\u2014", "na", "n/a", "null", "none", "nan"})
SPREADSHEET_ERRORS = frozenset(
    {"#n/a", "#value!", "#ref!", "#div/0!", "#name?", "#num!", "#null!", "#getting_data"}
)
UNITS = {"kg": "kg", "g": "g", "gr": "g", "gram": "g", "cm": "cm", "mm": "mm", "m": "m"}

_PLAIN = re.compile(r"^\+?(\d+)(?:[.,](\d+))?$")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d+$")  # 1.234,5 (Indonesian)
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(?:,\d{3})+\.\d+$")  # 1,234.5 (English)
_WITH_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([a-z]+)\.?$")
_DOUBLE_SEPARATOR = re.compile(r"^\d+[.,]{2,}\d+$")
_LEADING_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)(?=\D)\s*\S")
_NINES = re.compile(r"^9{3,}(?:\.9+)?$")


def is_missing(raw: object) -> bool:
    """True for an empty cell or a typed stand-in for "nothing" (``-``, ``NA``)."""
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and raw.strip().lower() in MISSING_TOKENS


def _is_placeholder(value: float) -> bool:
    """999, 999.9, 999.99, 9999 ...: all nines, at least three before the point."""
    return value >= 999 and bool(_NINES.match(f"{value:.6f}".rstrip("0").rstrip(".")))


def _checked(value: float, unit: str | None = None) -> NumberCell:
    if value < 0:
        return NumberCell(issue=CellIssue.NEGATIVE, guess=-value)
    if _is_placeholder(value):
        return NumberCell(issue=CellIssue.PLACEHOLDER)
    return NumberCell(value=value, unit=unit)


def parse_number(raw: object) -> NumberCell:  # noqa: PLR0911 - one return per case it names
    """A measurement as people type it: ``12,5``, ``12.5``, ``1.234,5``, ``12 kg``.

    Missing cells give an empty ``NumberCell``. Typing slips are named: ``83..9``
    (guess 83.9), ``10.7 it`` (guess 10.7), ``999.99`` (a placeholder), spreadsheet errors.
    """
    if is_missing(raw):
        return NumberCell()
    if isinstance(raw, bool):
        return NumberCell(issue=CellIssue.JUNK)
    if isinstance(raw, int | float | np.integer | np.floating):
        return _checked(float(raw)) if math.isfinite(raw) else NumberCell(issue=CellIssue.JUNK)
    text = str(raw).strip().replace("\u00a0", " ").lower()
    if text in SPREADSHEET_ERRORS:
        return NumberCell(issue=CellIssue.SPREADSHEET_ERROR)
    negative = text.startswith("-")
    body = text[1:].strip() if negative else text
    if m := _PLAIN.match(body):
        value = float(m[1] + ("." + m[2] if m[2] else ""))
        return _checked(-value if negative else value)
    if _THOUSANDS_DOT.match(body):
        return _checked(float(body.replace(".", "").replace(",", ".")))
    if _THOUSANDS_COMMA.match(body):
        return _checked(float(body.replace(",", "")))
    if (m := _WITH_UNIT.match(body)) and m[2] in UNITS:
        return _checked(float(m[1].replace(",", ".")), UNITS[m[2]])
    if _DOUBLE_SEPARATOR.match(body):
        collapsed = re.sub(r"[.,]{2,}", ".", body)
        return NumberCell(issue=CellIssue.DOUBLE_SEPARATOR, guess=float(collapsed))
    if m := _LEADING_NUMBER.match(body):
        return NumberCell(issue=CellIssue.TRAILING_TEXT, guess=float(m[1].replace(",", ".")))
    return NumberCell(issue=CellIssue.JUNK)


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_EIGHT_DIGITS = re.compile(r"^\d{8}$")


def parse_date(raw: object) -> DateCell:  # noqa: PLR0911 - one return per case it names
    """A date as people type it (see :func:`parse_dates`), naming why it does not read.

    ``31/02/2024`` is an impossible date; ``08/17/2024`` looks written month first (its
    ``swapped`` form is the guess). Every readable date also carries ``swapped``, the
    date with day and month exchanged where that is a real date, so a check can suggest
    it (a birth date after the measurement often has day and month swapped).
    """
    if is_missing(raw):
        return DateCell()
    if isinstance(raw, str):
        text = raw.strip()
        if text.lower() in SPREADSHEET_ERRORS:
            return DateCell(issue=CellIssue.SPREADSHEET_ERROR)
        if m := _DMY.match(text):
            day, month, year = int(m[1]), int(m[2]), _two_digit_year(int(m[3]))
            return _dated(year, month, day)
        if m := _YMD.match(text):
            return _dated(int(m[1]), int(m[2]), int(m[3]))
        if m := _TEXT_MONTH.match(text):
            month_number = MONTHS_ID.get(m[2].lower())
            value = _valid_date(int(m[3]), month_number, int(m[1])) if month_number else None
            return DateCell(value=value, issue=None if value else CellIssue.NOT_A_DATE)
        if _EIGHT_DIGITS.match(text):
            if 1900 <= int(text[:4]) <= 2100:
                return _dated(int(text[:4]), int(text[4:6]), int(text[6:]))
            return _dated(int(text[4:]), int(text[2:4]), int(text[:2]))
    if _serial_before_1928(raw):
        return DateCell(issue=CellIssue.NOT_A_DATE)  # a year alone (2024) or a stray number
    found = _one_date(raw)
    if found is None:
        return DateCell(issue=CellIssue.NOT_A_DATE)
    return _dated(found.year, found.month, found.day)


_MIN_DATE_SERIAL = 10_000  # 18/05/1927: no child's or measurement date is earlier


def _serial_before_1928(raw: object) -> bool:
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int | float | np.integer | np.floating):
        return float(raw) < _MIN_DATE_SERIAL
    return (
        isinstance(raw, str) and bool(_SERIAL.match(raw.strip())) and float(raw) < _MIN_DATE_SERIAL
    )


def _dated(year: int, month: int, day: int) -> DateCell:
    value = _valid_date(year, month, day)
    swapped = _valid_date(year, day, month) if day != month else None
    if value is None:
        if swapped is not None:
            return DateCell(issue=CellIssue.MONTH_FIRST, swapped=swapped)
        return DateCell(issue=CellIssue.IMPOSSIBLE_DATE)
    return DateCell(value=value, swapped=swapped)


@dataclass(frozen=True, slots=True)
class NikCell:
    """A NIK read as text; ``issue`` says why it cannot be trusted (``digits`` found)."""

    value: str | None = None
    issue: CellIssue | None = None
    digits: int = 0


NIK_DIGITS = 16
# Doubles hold every integer exactly only up to 2**53 (about 9.007e15).
_EXACT_FLOAT_LIMIT = 2**53
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?e\+?\d+$")


def parse_nik(raw: object) -> NikCell:  # noqa: PLR0911 - one return per case it names
    """A 16-digit NIK, kept as text; names what a spreadsheet did to it.

    Excel keeps 15 significant digits, so a NIK typed into a number cell comes back
    with its 16th digit turned to 0 (3672010101180007 -> 3672010101180000), and shown
    as ``3.67201E+15`` once the column is narrow or saved as CSV. A number cell whose
    last digit is not 0 cannot have been cut that way and is accepted.
    """
    if is_missing(raw):
        return NikCell()
    if isinstance(raw, bool):
        return NikCell(issue=CellIssue.NOT_DIGITS)
    if isinstance(raw, int | float | np.integer | np.floating):
        number = float(raw)
        if not math.isfinite(number) or not number.is_integer():
            return NikCell(issue=CellIssue.NOT_DIGITS)
        digits = str(int(number))
        if len(digits) != NIK_DIGITS:
            return NikCell(issue=CellIssue.WRONG_LENGTH, digits=len(digits))
        if digits.endswith("0") or number > _EXACT_FLOAT_LIMIT:
            return NikCell(issue=CellIssue.NUMBER_TRUNCATED, digits=len(digits))
        return NikCell(value=digits, digits=len(digits))
    text = re.sub(r"\s+", "", str(raw)).lstrip("'")
    if _SCIENTIFIC.match(text.lower()):
        return NikCell(issue=CellIssue.SCIENTIFIC)
    if not text.isascii() or not text.isdigit():
        return NikCell(issue=CellIssue.NOT_DIGITS, digits=sum(c.isdigit() for c in text))
    if len(text) != NIK_DIGITS:
        return NikCell(issue=CellIssue.WRONG_LENGTH, digits=len(text))
    if len(set(text)) == 1:
        return NikCell(issue=CellIssue.PLACEHOLDER, digits=len(text))
    return NikCell(value=text, digits=len(text))


def nik_birth_date(nik: str) -> tuple[date | None, bool]:
    """Birth date and sex (True = female) encoded in a NIK's digits 7-12 (DDMMYY).

    Women's day of birth is written plus 40 (UU 24/2013 on Adminduk, Permendagri
    on NIK numbering). The century is not written; children's NIKs are read as 2000s.
    """
    day, month, year = int(nik[6:8]), int(nik[8:10]), 2000 + int(nik[10:12])
    female = day > 40
    return _valid_date(year, month, day - 40 if female else day), female


def _letters(raw: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(raw).lower())


SEX_WORDS: dict[str, Sex] = dict.fromkeys(
    ("l", "lk", "laki", "lakilaki", "pria", "m", "male", "1"), Sex.MALE
) | dict.fromkeys(("p", "pr", "perempuan", "wanita", "f", "female", "2"), Sex.FEMALE)
POSITION_WORDS: dict[str, Position] = dict.fromkeys(
    ("terlentang", "telentang", "berbaring", "tidur", "l", "pb", "length"), Position.LENGTH
) | dict.fromkeys(("berdiri", "h", "tb", "height", "standing"), Position.HEIGHT)


def parse_sex(raw: object) -> Sex | None:
    """``L``/``P`` (and Laki-laki, Perempuan, 1, 2); None when not a sex code."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return SEX_WORDS.get(_letters(raw))


def parse_position(raw: object) -> Position | None:
    """``Terlentang`` (lying) or ``Berdiri`` (standing); None when not a position."""
    return POSITION_WORDS.get(_letters(raw))


# Bilateral oedema as e-PPGBM files and hand-made sheets write it (docs/import-format.md).
OEDEMA_WORDS: dict[str, bool] = dict.fromkeys(("ya", "y", "1", "true"), True) | dict.fromkeys(
    ("tidak", "t", "0", "false"), False
)


def parse_oedema(raw: object) -> bool | None:
    """``ya``/``tidak`` (also ``y``/``t``, ``1``/``0``, ``true``/``false``); None when none."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return OEDEMA_WORDS.get(str(raw).strip().lower())


_AGE_PART = re.compile(r"(\d+)\s*(tahun|thn|th|bulan|bln|bl|hari|hr)", re.IGNORECASE)
_AGE_UNIT_DAYS = {"t": DAYS_PER_YEAR, "b": DAYS_PER_MONTH, "h": 1.0}


def parse_age_text(raw: object) -> float | None:
    """Days in an e-PPGBM ``Usia Saat Ukur`` text (``2 Tahun - 3 Bulan - 12 Hari``)."""
    if not isinstance(raw, str):
        return None
    parts = _AGE_PART.findall(raw)
    if not parts:
        return None
    return sum(int(n) * _AGE_UNIT_DAYS[unit[0].lower()] for n, unit in parts)
