"""Cell values as people type them: dates in several spellings, decimal commas.

Every parser takes a pandas Series of raw cells (text, numbers or datetimes, as the
reader produced them) and returns parsed values plus a mask of cells that held
something but could not be read, so that callers can report each one.
"""

import re
from typing import Any

import numpy as np
import pandas as pd

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
