"""anthro's groupings of children, and group keys read from DataFrame columns.

``anthro_groupings`` gives the groups of ``anthro_prevalence`` in anthro's order (All,
age group, sex, age + sex, then typeres, gregion, wealthq, mothered, othergr) or of
``anthroplus_prevalence``, plus any extra ``by`` groupings; ``column_keys`` turns one
column of a frame into group codes. pandas is imported when a function is called.
"""

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tumbuh.growth.enums import Standard
from tumbuh.growth.grouping import ALL, Grouping, everyone, from_codes, sort_key
from tumbuh.growth.prevalence_table import (
    PLUS_AGE_BREAKS,
    PLUS_AGE_LABELS,
    PLUS_WIDER_BREAKS,
    PLUS_WIDER_LABELS,
)
from tumbuh.growth.types import FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

OPTIONAL_GROUPINGS = {
    "typeres": "Area",
    "gregion": "Geographical region",
    "wealthq": "Wealth quintile",
    "mothered": "Maternal education",
    "othergr": "Other grouping",
}
WEALTH_LEVELS = ("Q1: Poorest", "Q2", "Q3", "Q4", "Q5: Richest")
SEX_LEVELS = ("Female", "Male")  # anthro: factor(sex, levels = c("Female", "Male"))
# anthro utils.R anthro_age_groups: completed months, intervals closed on the left.
AGE_BREAKS_MONTHS = (0, 6, 12, 24, 36, 48, 60)
AGE_LABELS = ("00-05 mo", "06-11 mo", "12-23 mo", "24-35 mo", "36-47 mo", "48-59 mo")
# Names that ``by`` understands as anthro's derived groups rather than input columns.
DERIVED_KEYS = ("sex", "age_group")


def column_keys(frame: "pd.DataFrame", column: str) -> tuple[IntArray, list[Any]]:
    """Codes (-1 missing) and sorted levels of a key column; blank text counts as missing.

    The column is factorised first, so only its distinct values are cleaned: text is
    stripped, and when every value reads as a number the levels are numbers (whole ones
    as integers, so Excel's 1.0 and a CSV's "1" are the same group), sorted numerically;
    otherwise text, sorted alphabetically.
    """
    import pandas as pd

    codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
    cleaned: list[Any] = []
    for unique in uniques.tolist():
        # Excel's 2.0 is the group 2.
        value = int(unique) if isinstance(unique, float) and unique.is_integer() else unique
        text = str(value).strip()
        cleaned.append(None if text == "" else value if not isinstance(value, str) else text)
    numbers = [_as_number(v) for v in cleaned]
    if all(v is None or n is not None for v, n in zip(cleaned, numbers, strict=True)):
        cleaned = numbers
    levels = sorted({v for v in cleaned if v is not None}, key=sort_key)
    position = {v: i for i, v in enumerate(levels)}
    remap = np.array([position.get(v, -1) if v is not None else -1 for v in cleaned] + [-1])
    codes = np.asarray(codes, dtype=np.int64)
    return remap[np.where(codes >= 0, codes, len(cleaned))].astype(np.int64), levels


def _as_number(value: Any) -> int | float | None:
    """``value`` as a number (whole numbers as int), or None if it is not one."""
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    if math.isnan(number):
        return None
    return int(number) if number.is_integer() else number


def interval_codes(values: FloatArray, breaks: Sequence[float]) -> IntArray:
    """Index of the left-closed interval of ``breaks`` holding each value; -1 outside."""
    with np.errstate(invalid="ignore"):
        inside = (values >= breaks[0]) & (values < breaks[-1])
    index = np.searchsorted(np.asarray(breaks, dtype=np.float64), values, side="right") - 1
    return np.where(inside, index, -1).astype(np.int64)


def _sex_codes(scored: "pd.DataFrame") -> IntArray:
    csex = scored["csex"].to_numpy(dtype=np.float64, na_value=np.nan)
    return np.where(csex == 2, 0, np.where(csex == 1, 1, -1)).astype(np.int64)


def anthro_groupings(
    kept: "pd.DataFrame",
    scored: "pd.DataFrame",
    months: FloatArray,
    *,
    standard: Standard,
    optional: Mapping[str, str],
    by: Sequence[Sequence[str]],
) -> tuple[list[tuple[str, Grouping]], int]:
    """anthro's groupings in its order, then the extra ``by`` groupings.

    ``kept`` holds the rows of the analysis, ``scored`` their z-score columns (``csex``),
    ``months`` their unrounded age in months; ``optional`` maps anthro's ``typeres`` ...
    ``othergr`` to columns. Returns the groupings and the count of invalid wealth
    quintiles.
    """
    n = len(kept)
    sex = _sex_codes(scored)
    result: list[tuple[str, Grouping]] = [(ALL, everyone(n))]
    if standard is Standard.WHO2007:
        age = interval_codes(months, PLUS_AGE_BREAKS)
        wider = interval_codes(months, PLUS_WIDER_BREAKS)
        result += [
            ("Sex", from_codes([sex], [SEX_LEVELS], ["sex"])),
            ("Age Group 1", from_codes([age], [PLUS_AGE_LABELS], ["age_group"])),
            ("Age Group 2", from_codes([wider], [PLUS_WIDER_LABELS], ["wider_age_group"])),
            (
                "Age + Sex",
                from_codes([sex, wider], [SEX_LEVELS, PLUS_WIDER_LABELS], ["sex", "age"]),
            ),
        ]
        derived = {"sex": (sex, SEX_LEVELS), "age_group": (age, PLUS_AGE_LABELS)}
    else:
        age = interval_codes(months, AGE_BREAKS_MONTHS)
        result += [
            ("Age group", from_codes([age], [AGE_LABELS], ["age_group"])),
            ("Sex", from_codes([sex], [SEX_LEVELS], ["sex"])),
            ("Age + sex", from_codes([age, sex], [AGE_LABELS, SEX_LEVELS], ["age_group", "sex"])),
        ]
        derived = {"sex": (sex, SEX_LEVELS), "age_group": (age, AGE_LABELS)}
    invalid_wealthq = 0
    for argument, label in OPTIONAL_GROUPINGS.items():
        column = optional.get(argument)
        if not column:
            continue
        codes, levels = column_keys(kept, column)
        if argument == "wealthq":
            codes, levels, invalid_wealthq = _wealth_quintiles(codes, levels)
        if (codes >= 0).any() or argument == "wealthq":
            result.append((label, from_codes([codes], [levels], [argument], complete=True)))
    result += [(" + ".join(keys), _extra(kept, keys, derived)) for keys in by]
    return result, invalid_wealthq


def _wealth_quintiles(codes: IntArray, levels: Sequence[Any]) -> tuple[IntArray, list[str], int]:
    """anthro: 1-5 or Q1-Q5 become 'Q1: Poorest' ... 'Q5: Richest', anything else missing."""
    names = {str(k): i for i, k in enumerate(range(1, 6))} | {f"Q{k}": k - 1 for k in range(1, 6)}
    remap = np.array([names.get(str(v).strip(), -1) for v in levels] + [-1], dtype=np.int64)
    mapped = remap[np.where(codes >= 0, codes, len(levels))]
    invalid = int(((codes >= 0) & (mapped < 0)).sum())
    return mapped, list(WEALTH_LEVELS), invalid


def _extra(
    kept: "pd.DataFrame",
    keys: Sequence[str],
    derived: Mapping[str, tuple[IntArray, Sequence[str]]],
) -> Grouping:
    """A ``by`` grouping: input columns, or anthro's derived sex and age group."""
    codes: list[IntArray] = []
    levels: list[Sequence[Any]] = []
    for key in keys:
        if key in derived:
            key_codes, key_levels = derived[key]
        else:
            key_codes, key_levels = column_keys(kept, key)
        codes.append(key_codes)
        levels.append(key_levels)
    return from_codes(codes, levels, list(keys), complete=False)
