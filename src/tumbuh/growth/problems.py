"""What each refused-row problem means, as English message templates.

The templates are message ids of the translation catalog: an adapter translates the
template, then fills ``{column}`` (the column as the user named it) and ``{value}`` (the
cell as written). The core itself never shows text to users.
"""

from tumbuh.growth.enums import Problem

# The input column each problem is about (canonical WHO anthro names).
PROBLEM_COLUMNS: dict[Problem, str] = {
    Problem.SEX_UNKNOWN: "sex",
    Problem.MEASURE_UNKNOWN: "measure",
    Problem.OEDEMA_UNKNOWN: "oedema",
    Problem.AGE_NEGATIVE: "age",
    Problem.AGE_NOT_A_NUMBER: "age",
    Problem.WEIGHT_NOT_A_NUMBER: "weight",
    Problem.LENHEI_NOT_A_NUMBER: "lenhei",
    Problem.HEADC_NOT_A_NUMBER: "headc",
    Problem.ARMC_NOT_A_NUMBER: "armc",
    Problem.TRISKIN_NOT_A_NUMBER: "triskin",
    Problem.SUBSKIN_NOT_A_NUMBER: "subskin",
    Problem.WEIGHT_NEGATIVE: "weight",
    Problem.LENHEI_NEGATIVE: "lenhei",
    Problem.AGE_IN_MONTH_UNKNOWN: "is_age_in_month",
    Problem.BIRTH_DATE_INVALID: "birth_date",
    Problem.MEASUREMENT_DATE_INVALID: "measurement_date",
    Problem.MEASURED_BEFORE_BIRTH: "measurement_date",
}

_NOT_A_NUMBER = (
    "column {column}: '{value}' is not a number; write digits with a decimal point or comma, e.g. "
    "12.5"
)

PROBLEM_TEMPLATES: dict[Problem, str] = {
    Problem.SEX_UNKNOWN: (
        "column {column}: '{value}' is not a sex code; use 1, m or L for a boy, 2, f or P for a "
        "girl"
    ),
    Problem.MEASURE_UNKNOWN: (
        "column {column}: '{value}' is not a measuring position; use l or Terlentang (lying), h "
        "or Berdiri (standing)"
    ),
    Problem.OEDEMA_UNKNOWN: (
        "column {column}: '{value}' is not an oedema code; use n or 2 (no oedema), y or 1 (oedema)"
    ),
    Problem.AGE_NEGATIVE: (
        "column {column}: age {value} is negative; check the dates of birth and of measurement"
    ),
    Problem.AGE_NOT_A_NUMBER: _NOT_A_NUMBER,
    Problem.WEIGHT_NOT_A_NUMBER: _NOT_A_NUMBER,
    Problem.LENHEI_NOT_A_NUMBER: _NOT_A_NUMBER,
    Problem.HEADC_NOT_A_NUMBER: _NOT_A_NUMBER,
    Problem.ARMC_NOT_A_NUMBER: _NOT_A_NUMBER,
    Problem.TRISKIN_NOT_A_NUMBER: _NOT_A_NUMBER,
    Problem.SUBSKIN_NOT_A_NUMBER: _NOT_A_NUMBER,
    Problem.WEIGHT_NEGATIVE: (
        "column {column}: weight {value} is negative; write the weight in kg, e.g. 12.5"
    ),
    Problem.LENHEI_NEGATIVE: (
        "column {column}: height {value} is negative; write the height in cm, e.g. 112.5"
    ),
    Problem.AGE_IN_MONTH_UNKNOWN: "column {column}: '{value}' is neither TRUE nor FALSE",
    Problem.BIRTH_DATE_INVALID: (
        "column {column}: '{value}' is not a date; write it as dd/mm/yyyy, e.g. 17/08/2024"
    ),
    Problem.MEASUREMENT_DATE_INVALID: (
        "column {column}: '{value}' is not a date; write it as dd/mm/yyyy, e.g. 17/08/2024"
    ),
    Problem.MEASURED_BEFORE_BIRTH: (
        "column {column}: measured on {value}, before the date of birth; check both dates"
    ),
}

# Short names of the problems, for summaries ("JK: unknown sex code: 3 rows").
PROBLEM_SHORT_NAMES: dict[Problem, str] = {
    Problem.SEX_UNKNOWN: "unknown sex code",
    Problem.MEASURE_UNKNOWN: "unknown measuring position",
    Problem.OEDEMA_UNKNOWN: "unknown oedema code",
    Problem.AGE_NEGATIVE: "negative age",
    Problem.AGE_NOT_A_NUMBER: "not a number",
    Problem.WEIGHT_NOT_A_NUMBER: "not a number",
    Problem.LENHEI_NOT_A_NUMBER: "not a number",
    Problem.HEADC_NOT_A_NUMBER: "not a number",
    Problem.ARMC_NOT_A_NUMBER: "not a number",
    Problem.TRISKIN_NOT_A_NUMBER: "not a number",
    Problem.SUBSKIN_NOT_A_NUMBER: "not a number",
    Problem.WEIGHT_NEGATIVE: "negative weight",
    Problem.LENHEI_NEGATIVE: "negative height",
    Problem.AGE_IN_MONTH_UNKNOWN: "neither TRUE nor FALSE",
    Problem.BIRTH_DATE_INVALID: "not a date",
    Problem.MEASUREMENT_DATE_INVALID: "not a date",
    Problem.MEASURED_BEFORE_BIRTH: "measured before birth",
}
