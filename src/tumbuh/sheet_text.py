"""User text in the spreadsheets and CSV files Tumbuh writes: shown as text, never run.

A spreadsheet evaluates a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (Excel
also after a leading tab or carriage return): a posyandu named ``=HYPERLINK(...)`` in an
imported file would become a live link or formula in every report that names it
("CSV injection", OWASP). Names, posyandu, file and column names and values as written
come from users' files, so every writer follows one rule (docs/security.md, section 4):

* **XLSX**: text is written as a string cell (xlsxwriter ``write_string``, openpyxl data
  type ``s``), which no spreadsheet evaluates; text that starts like a formula also gets
  the *quote prefix* cell style, so it stays text when the cell is edited. The text
  itself is unchanged, so an e-PPGBM export imports back with the same names.
* **CSV** has no cell types: text that starts like a formula gets a leading apostrophe
  (``'=HYPERLINK(...)``), which spreadsheets show and never evaluate (OWASP's advice).
  A CSV is read by people and spreadsheets; Tumbuh never imports its own CSV files.
* **Numbers stay numbers**: a value written as a plain number (``-1.25``, ``-2,5``,
  ``+6281234``) cannot be a formula and is left alone, in both formats.
"""

import re
from typing import TypeVar

T = TypeVar("T")

# OWASP "CSV Injection": the characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# A plain number, with either decimal mark and thousands separators: no operator in it.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?")


def starts_like_formula(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula (a plain number is not)."""
    return text.startswith(FORMULA_START) and _NUMBER.fullmatch(text) is None


def csv_cell(value: T) -> T | str:
    """A value for a CSV cell: text that starts like a formula gets a leading ``'``;
    numbers, plain text and anything else are returned as they are."""
    if isinstance(value, str) and starts_like_formula(value):
        return QUOTE + value
    return value
