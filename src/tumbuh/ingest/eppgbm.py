"""e-PPGBM spreadsheet layouts (docs/domain.md §2): header names and their meaning.

Layout A ("hasil pengukuran") and layout B (the newer register) name the same fields
differently; both map onto WHO anthro's input columns here. Headers are compared after
:func:`tumbuh.ingest.tabular.normalise_header`.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tumbuh.growth.enums import Problem
from tumbuh.growth.types import UInt32Array
from tumbuh.ingest.tabular import normalise_header
from tumbuh.ingest.values import is_missing, parse_dates, parse_oedema

# field -> accepted headers (normalised), layout A first.
EPPGBM_HEADERS: dict[str, tuple[str, ...]] = {
    "nik": ("nik",),
    "name": ("nama", "namaanak"),
    "sex": ("jk", "jeniskelamin"),
    "birth_date": ("tgllahir", "tanggallahir"),
    "measurement_date": ("tanggalpengukuran", "tglpengukuran", "tglukur"),
    "weight": ("berat", "beratkg", "bb"),
    "lenhei": ("tinggi", "tinggicm", "tb", "pbtb"),
    "measure": ("caraukur",),
    "armc": ("lila", "lilacm"),
    "oedema": ("edema", "oedema", "bengkak", "edemabilateral", "bengkakkeduakaki"),
}


@dataclass(frozen=True)
class AnthroInputs:
    """An e-PPGBM table turned into anthro's input columns.

    ``labels`` names each anthro column as the file did (for messages); ``problems``
    holds the bits found here (unreadable dates, measured before birth).
    """

    frame: pd.DataFrame
    labels: dict[str, str]
    problems: UInt32Array


def find_columns(columns: "pd.Index[Any]") -> dict[str, str]:
    """Which of ``columns`` holds each e-PPGBM field (only fields that are present)."""
    by_key = {normalise_header(c): str(c) for c in columns}
    found = {}
    for field, keys in EPPGBM_HEADERS.items():
        for key in keys:
            if key in by_key:
                found[field] = by_key[key]
                break
    return found


def is_eppgbm(columns: "pd.Index[Any]") -> bool:
    """True when the headers look like an e-PPGBM export (JK or Jenis Kelamin and dates)."""
    found = find_columns(columns)
    return "sex" in found and "birth_date" in found and "measurement_date" in found


def to_anthro_inputs(table: pd.DataFrame) -> AnthroInputs:
    """anthro's columns (age in days from the two dates) for an e-PPGBM table."""
    source = find_columns(table.columns)
    born, bad_birth = parse_dates(table[source["birth_date"]])
    measured, bad_measured = parse_dates(table[source["measurement_date"]])
    days = (measured - born).dt.days.astype("float64")
    before_birth = (days < 0).fillna(False).to_numpy(dtype=bool)
    problems = (
        np.where(bad_birth.to_numpy(dtype=bool), np.uint32(Problem.BIRTH_DATE_INVALID), 0)
        | np.where(
            bad_measured.to_numpy(dtype=bool), np.uint32(Problem.MEASUREMENT_DATE_INVALID), 0
        )
        | np.where(before_birth, np.uint32(Problem.MEASURED_BEFORE_BIRTH), 0)
    ).astype(np.uint32)
    frame = pd.DataFrame(index=table.index)
    frame["sex"] = table[source["sex"]]
    frame["age"] = days.where(~before_birth)
    # The raw dates ride along so that problem messages can quote them.
    frame["birth_date"] = table[source["birth_date"]]
    frame["measurement_date"] = table[source["measurement_date"]]
    for field in ("weight", "lenhei", "measure", "armc"):
        if field in source:
            frame[field] = table[source[field]]
    if "oedema" in source:
        frame["oedema"] = table[source["oedema"]].map(_oedema_code)
    labels = dict(source.items())
    labels["age"] = source["measurement_date"]
    return AnthroInputs(frame=frame, labels=labels, problems=problems)


def _oedema_code(raw: object) -> object:
    """An e-PPGBM oedema cell (ya/tidak, y/t, 1/0, true/false) as anthro's ``y``/``n``;
    empty is None (no oedema); anything else stays as written, so it is reported."""
    if is_missing(raw):
        return None
    found = parse_oedema(raw)
    return raw if found is None else ("y" if found else "n")
