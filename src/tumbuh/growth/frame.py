"""``zscores(frame)``: WHO anthro's input and output columns on a pandas DataFrame.

This adapter turns anthro's input columns (as in ``anthro_zscores``/``anthroplus_zscores``
and the reference files) into the arrays of :mod:`tumbuh.growth.who2006` or
:mod:`tumbuh.growth.who2007`, and their results into anthro's output columns. It is the
only part of ``tumbuh.growth`` that uses pandas, which is imported when it is called.

Where anthro stops the whole call on one bad value (an unknown sex, measure or oedema
code, a negative age, text in a number column), only that row is refused here: it gets
no z-scores and a ``problem`` text naming the column and the value.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from tumbuh.growth import categories, who2006, who2007
from tumbuh.growth.enums import Indicator, Problem, Standard
from tumbuh.growth.problems import PROBLEM_COLUMNS, PROBLEM_TEMPLATES
from tumbuh.growth.types import BoolArray, FloatArray, Int8Array, UInt32Array

if TYPE_CHECKING:
    import pandas as pd

Language = Literal["id", "en"]

WHO2006_INPUT_COLUMNS = (
    "sex",
    "age",
    "is_age_in_month",
    "weight",
    "lenhei",
    "measure",
    "oedema",
    "headc",
    "armc",
    "triskin",
    "subskin",
)
WHO2006_OUTPUT_COLUMNS = (
    "clenhei",
    "cmeasure",
    "c9mo_flag",
    "cbmi",
    "csex",
    *(f"{p}{i.anthro_name}" for i in Indicator for p in ("z", "f")),
)
WHO2007_INPUT_COLUMNS = ("sex", "age_in_months", "oedema", "height_in_cm", "weight_in_kg")
WHO2007_OUTPUT_COLUMNS = (
    "csex",
    "coedema",
    "cbmi",
    "zhfa",
    "zwfa",
    "zbfa",
    "fhfa",
    "fwfa",
    "fbfa",
)
# Permenkes 2/2020 category columns (see tumbuh.growth.categories).
WHO2006_CATEGORY_COLUMNS = {
    "kategori_bbu": (Indicator.WAZ, categories.classify_waz, categories.WazCategory),
    "kategori_tbu": (Indicator.HAZ, categories.classify_haz, categories.HazCategory),
    "kategori_bbtb": (Indicator.WHZ, categories.classify_whz, categories.WhzCategory),
    "kategori_imtu": (Indicator.BAZ, categories.classify_whz, categories.WhzCategory),
}
WHO2007_CATEGORY_COLUMNS = {
    "kategori_tbu": (Indicator.HAZ, categories.classify_haz, categories.HazCategory),
    "kategori_imtu": (Indicator.BAZ, categories.classify_baz_5_18, categories.BazCategory),
}
PROBLEM_COLUMN = "problem"

# anthro's accepted spellings (anthro_zscores argument checks); numbers for numeric input.
# Extensions where anthro would stop: e-PPGBM's JK (L = laki-laki, P = perempuan) and
# Cara Ukur (Terlentang = lying, Berdiri = standing), the spellings Indonesian files use.
SEX_CODES: dict[object, int] = {"1": 1, "2": 2, "m": 1, "M": 1, "f": 2, "F": 2, 1: 1, 2: 2}
SEX_CODES |= {"L": 1, "P": 2}
MEASURE_CODES: dict[object, int] = {"l": 1, "L": 1, "h": 2, "H": 2}
MEASURE_CODES |= dict.fromkeys(("Terlentang", "terlentang", "TERLENTANG", "Telentang"), 1)
MEASURE_CODES |= dict.fromkeys(("Berdiri", "berdiri", "BERDIRI"), 2)
OEDEMA_CODES: dict[object, bool] = {
    "n": False,
    "N": False,
    "2": False,
    2: False,
    "y": True,
    "Y": True,
    "1": True,
    1: True,
}
# anthroplus lower-cases sex and oedema before checking them, so it accepts the same set.

_NOT_A_NUMBER = {
    "age": Problem.AGE_NOT_A_NUMBER,
    "age_in_months": Problem.AGE_NOT_A_NUMBER,
    "weight": Problem.WEIGHT_NOT_A_NUMBER,
    "weight_in_kg": Problem.WEIGHT_NOT_A_NUMBER,
    "lenhei": Problem.LENHEI_NOT_A_NUMBER,
    "height_in_cm": Problem.LENHEI_NOT_A_NUMBER,
    "headc": Problem.HEADC_NOT_A_NUMBER,
    "armc": Problem.ARMC_NOT_A_NUMBER,
    "triskin": Problem.TRISKIN_NOT_A_NUMBER,
    "subskin": Problem.SUBSKIN_NOT_A_NUMBER,
}
# Columns a WHO 2007 problem refers to, where they differ from anthro's names.
_WHO2007_PROBLEM_COLUMNS = {
    "age": "age_in_months",
    "weight": "weight_in_kg",
    "lenhei": "height_in_cm",
}


class _Inputs:
    """Parsed columns of one frame plus the problem bits found while parsing."""

    def __init__(self, frame: "pd.DataFrame", problems: UInt32Array | None) -> None:
        self.frame = frame
        self.n = len(frame)
        self.problems: UInt32Array = np.zeros(self.n, dtype=np.uint32)
        if problems is not None:
            self.problems |= np.asarray(problems, dtype=np.uint32)

    def _column(self, name: str) -> "pd.Series[Any]":
        import pandas as pd

        if name in self.frame.columns:
            return self.frame[name]
        return pd.Series([None] * self.n, index=self.frame.index, dtype=object)

    def _mark(self, bad: "pd.Series[bool] | BoolArray", problem: Problem) -> None:
        self.problems |= np.where(np.asarray(bad, dtype=bool), np.uint32(problem), np.uint32(0))

    def codes(self, name: str, mapping: Mapping[object, int], problem: Problem) -> Int8Array:
        """Integer codes of a coded column; 0 where missing; unknown values refuse the row."""
        series = self._column(name)
        missing = series.isna()
        mapped = series.map(mapping)
        self._mark(~missing & mapped.isna(), problem)
        return np.asarray(mapped.fillna(0).to_numpy(), dtype=np.int8)

    def number(self, name: str) -> FloatArray:
        """A numeric column; text that is not a number refuses the row (decimal comma ok)."""
        import pandas as pd

        series = self._column(name)
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            return series.to_numpy(dtype=np.float64, na_value=np.nan)
        # Plain numbers parse in C; only cells that fail get the slower text clean-up.
        parsed = np.array(
            pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        )
        retry = np.flatnonzero(np.isnan(parsed) & series.notna().to_numpy(dtype=bool))
        if retry.size:
            text = series.iloc[retry].astype("string").str.strip()
            text = text.str.replace(",", ".", regex=False).mask(text == "")
            again = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
            parsed[retry] = again
            bad = np.zeros(self.n, dtype=bool)
            bad[retry] = text.notna().to_numpy(dtype=bool) & np.isnan(again)
            self._mark(bad, _NOT_A_NUMBER[name])
        return parsed

    def flag_column(self, name: str, default: bool) -> BoolArray:
        """A per-row TRUE/FALSE column, or ``default`` for every row when it is absent."""
        if name not in self.frame.columns:
            return np.full(self.n, default)
        series = self.frame[name]
        # R writes TRUE/FALSE, Python True/False, spreadsheets 1/0: any case is accepted.
        truth = {True: True, False: False, "true": True, "false": False, "t": True, "f": False}
        truth |= {"1": True, "0": False}
        lowered = series.map(lambda v: v.strip().lower() if isinstance(v, str) else v)
        mapped = lowered.map(truth)
        self._mark(mapped.isna(), Problem.AGE_IN_MONTH_UNKNOWN)
        return mapped.astype(object).eq(True).to_numpy(dtype=bool)

    def oedema(self) -> BoolArray:
        """Oedema as booleans; missing means no oedema (as in anthro)."""
        series = self._column("oedema")
        mapped = series.map(OEDEMA_CODES)
        self._mark(series.notna() & mapped.isna(), Problem.OEDEMA_UNKNOWN)
        return mapped.fillna(False).to_numpy(dtype=bool)


def zscores(
    frame: "pd.DataFrame",
    *,
    standard: Standard = Standard.WHO2006,
    age_in_months: bool = False,
    unrounded: bool = False,
    language: Language = "id",
    translate: Callable[[str], str] | None = None,
    column_labels: Mapping[str, str] | None = None,
    problems: UInt32Array | None = None,
) -> "pd.DataFrame":
    """anthro's output columns (plus Permenkes categories and ``problem``) for ``frame``.

    ``frame`` has anthro's input columns (absent ones count as missing). For WHO 2006,
    ``is_age_in_month`` may be a per-row TRUE/FALSE column; otherwise ``age_in_months``
    applies to all rows; ``age_days`` is accepted in place of ``age``. With ``unrounded``
    the z columns hold z-scores before the 2-decimal rounding (flags stay those of the
    rounded z, as anthro computes them). Problem texts are English message templates
    passed through ``translate``; ``column_labels`` names the columns as the user wrote
    them; ``problems`` adds bits the caller found (e.g. unreadable dates). The result has
    the same index as ``frame``.
    """
    result, _ = scored_frame(
        frame,
        standard=standard,
        age_in_months=age_in_months,
        unrounded=unrounded,
        language=language,
        translate=translate,
        column_labels=column_labels,
        problems=problems,
    )
    return result


def scored_frame(
    frame: "pd.DataFrame",
    *,
    standard: Standard = Standard.WHO2006,
    age_in_months: bool = False,
    unrounded: bool = False,
    language: Language = "id",
    translate: Callable[[str], str] | None = None,
    column_labels: Mapping[str, str] | None = None,
    problems: UInt32Array | None = None,
) -> "tuple[pd.DataFrame, UInt32Array]":
    """Like :func:`zscores`, also returning each row's problem bits (0 = scored)."""
    if standard is Standard.WHO2007:
        return _zscores_2007(frame, unrounded, language, translate, column_labels, problems)
    if "age" not in frame.columns and "age_days" in frame.columns:
        frame = frame.rename(columns={"age_days": "age"})
    inputs = _Inputs(frame, problems)
    sex = inputs.codes("sex", SEX_CODES, Problem.SEX_UNKNOWN)
    measure = inputs.codes("measure", MEASURE_CODES, Problem.MEASURE_UNKNOWN)
    numbers = {name: inputs.number(name) for name in ("age", "weight", "lenhei")}
    numbers |= {name: inputs.number(name) for name in ("headc", "armc", "triskin", "subskin")}
    result = who2006.compute(
        sex=sex,
        age=numbers["age"],
        age_in_months=inputs.flag_column("is_age_in_month", age_in_months),
        weight_kg=numbers["weight"],
        lenhei_cm=numbers["lenhei"],
        measure=measure,
        oedema=inputs.oedema(),
        headc_cm=numbers["headc"],
        armc_cm=numbers["armc"],
        triskin_mm=numbers["triskin"],
        subskin_mm=numbers["subskin"],
        problems=inputs.problems,
    )
    columns: dict[str, Any] = {
        "clenhei": result.clenhei,
        "cmeasure": _labelled(result.cmeasure, ("l", "h")),
        "c9mo_flag": _nullable_int(result.c9mo_flag, missing=-1),
        "cbmi": result.cbmi,
        "csex": _nullable_int(result.csex, missing=0),
    }
    for indicator in Indicator:
        scores = result.scores[indicator]
        columns[f"z{indicator.anthro_name}"] = scores.z_unrounded if unrounded else scores.z
        columns[f"f{indicator.anthro_name}"] = _nullable_flag(scores.flag)
    for name, (indicator, classify, enum) in WHO2006_CATEGORY_COLUMNS.items():
        codes = classify(result.scores[indicator].z)
        columns[name] = _labelled(codes + 1, [m.label(language) for m in enum])
    columns[PROBLEM_COLUMN] = _problem_texts(inputs, result.problems, translate, column_labels)
    return _frame(columns, frame.index), result.problems


def _zscores_2007(
    frame: "pd.DataFrame",
    unrounded: bool,
    language: Language,
    translate: Callable[[str], str] | None,
    column_labels: Mapping[str, str] | None,
    problems: UInt32Array | None,
) -> "tuple[pd.DataFrame, UInt32Array]":
    inputs = _Inputs(frame, problems)
    sex = inputs.codes("sex", SEX_CODES, Problem.SEX_UNKNOWN)
    oedema = inputs.oedema()
    numbers = {n: inputs.number(n) for n in ("age_in_months", "height_in_cm", "weight_in_kg")}
    result = who2007.compute(
        sex=sex,
        age_months=numbers["age_in_months"],
        oedema=oedema,
        height_cm=numbers["height_in_cm"],
        weight_kg=numbers["weight_in_kg"],
        problems=inputs.problems,
    )
    refused = result.problems != 0
    columns: dict[str, Any] = {
        "csex": _nullable_int(result.csex, missing=0),
        "coedema": _labelled(np.where(refused, 0, np.where(result.coedema, 2, 1)), ("n", "y")),
        "cbmi": result.cbmi,
    }
    names = {ind: ind.anthroplus_name for ind in result.scores}
    for indicator, name in names.items():
        scores = result.scores[indicator]
        columns[f"z{name}"] = scores.z_unrounded if unrounded else scores.z
    for indicator, name in names.items():
        columns[f"f{name}"] = _nullable_flag(result.scores[indicator].flag)
    for name, (indicator, classify, enum) in WHO2007_CATEGORY_COLUMNS.items():
        codes = classify(result.scores[indicator].z)
        columns[name] = _labelled(codes + 1, [m.label(language) for m in enum])
    labels = {**_WHO2007_PROBLEM_COLUMNS, **(column_labels or {})}
    columns[PROBLEM_COLUMN] = _problem_texts(inputs, result.problems, translate, labels)
    return _frame(columns, frame.index), result.problems


def _frame(columns: dict[str, Any], index: "pd.Index[Any]") -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame(columns, index=index)


def _nullable_int(codes: np.ndarray, missing: int) -> "pd.arrays.IntegerArray":
    import pandas as pd

    values = np.asarray(codes)
    return pd.arrays.IntegerArray(values.astype(np.int8), values == missing)


def _nullable_flag(flag: FloatArray) -> "pd.arrays.IntegerArray":
    import pandas as pd

    missing = np.isnan(flag)
    return pd.arrays.IntegerArray(np.where(missing, 0, flag).astype(np.int8), missing)


def _labelled(codes: np.ndarray, names: Sequence[str]) -> "pd.Categorical[str]":
    """Categorical of ``names`` from 1-based codes (0 = missing); fast on millions of rows."""
    import pandas as pd

    return pd.Categorical.from_codes(
        np.asarray(codes, dtype=np.int64) - 1, categories=pd.Index(list(names))
    )


def _problem_texts(
    inputs: _Inputs,
    problems: UInt32Array,
    translate: Callable[[str], str] | None,
    column_labels: Mapping[str, str] | None,
) -> list[str | None]:
    """One text per row ("; "-joined problems), None where the row was accepted.

    Works per kind of problem, not per cell lookup, so a file where every row has the
    same slip is still described quickly.
    """
    texts: list[str | None] = [None] * inputs.n
    if not np.any(problems):
        return texts
    tr = translate or (lambda s: s)
    labels = column_labels or {}
    parts: dict[int, list[str]] = {}
    for problem in Problem:
        rows = np.flatnonzero(problems & np.uint32(problem))
        if rows.size == 0:
            continue
        column = PROBLEM_COLUMNS[problem]
        source = labels.get(column, column)
        values = _cells(inputs, source if source in inputs.frame.columns else column, rows)
        template = tr(PROBLEM_TEMPLATES[problem])
        for row, value in zip(rows.tolist(), values, strict=True):
            parts.setdefault(row, []).append(template.format(column=source, value=value))
    for row, row_parts in parts.items():
        texts[row] = "; ".join(row_parts)
    return texts


def _cells(inputs: _Inputs, column: str, rows: np.ndarray) -> list[str]:
    """The cells of ``column`` at positions ``rows``, as the user wrote them."""
    if column not in inputs.frame.columns:
        return [""] * len(rows)
    values = inputs.frame[column].to_numpy(dtype=object)[rows]
    return ["" if value is None else str(value) for value in values.tolist()]
