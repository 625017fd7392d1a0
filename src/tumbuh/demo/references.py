"""Reference figures of the demo city: Buku KIA ownership, target balita, targets, surveys.

* ``has_buku_kia`` (the K of SKDN): most children have a KMS or Buku KIA; a few have
  none, and for a few it was not recorded.
* ``target_population`` (the S of coverage): for each kelurahan and year, Dinkes' target
  is modelled as a projection of the kelurahan's balita: the children registered at its
  posyandu who are balita on 1 July, times a kelurahan factor between 0.97 and 1.08
  (projections tend to run above the register).
* ``survey_figure`` and ``prevalence_target``: the real published figures for Kota
  Cilegon and Banten (docs/domain.md §12, sources in the rows) and the city's 2023
  stunting target of 9 %, on the survey scale (the national path is packaged data,
  ``tumbuh/data/targets/national.csv``, not a demo row).

Everything here draws from its own random stream, so the calibrated rounds and the rest
of the city do not change.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.demo.people import People
from tumbuh.demo.places import Places
from tumbuh.demo.settings import FIRST_MONTH, LAST_MONTH
from tumbuh.growth.ages import BALITA_MONTHS, completed_months

BUKU_KIA_SHARE = 0.92
NO_BUKU_KIA_SHARE = 0.05  # the rest (3 %) not recorded
PROJECTION_FACTOR = (0.97, 1.08)
POPULATION_SOURCE = "kota demo: proyeksi sintetis dari balita terdaftar per 1 Juli"
DATABOKS_2021 = (
    "https://databoks.katadata.co.id/datapublish/2022/08/05/daftar-kabupaten-dengan-prevalensi"
    "-balita-stunting-tertinggi-di-banten-pada-2021"
)
DATABOKS_2022 = (
    "https://databoks.katadata.co.id/layanan-konsumen-kesehatan/statistik/160f340f3a95954/"
    "kabupaten-pandeglang-miliki-prevalensi-balita-stunting-tertinggi-di-banten-pada-2022"
)
TRIBUN_2024 = (
    "https://banten.tribunnews.com/2024/07/25/850-anak-masuk-kategori-stunting-pemkot-cilegon-"
    "gandeng-stakeholder-turunkan-angka-prevalensi"
)
SELATSUNDA_2023 = (
    "https://selatsunda.com/944-balita-di-cilegon-tercatat-stunting-pemkot-yakin-angka-"
    "penurunan-pada-2024/"
)
# (region, year, survey, percent, source): stunting, as published (docs/domain.md §12).
SURVEY_FIGURES = (
    ("36.72", 2021, "SSGI", 20.6, f"SSGI 2021 via databoks: {DATABOKS_2021}"),
    ("36", 2021, "SSGI", 24.5, f"SSGI 2021 via databoks: {DATABOKS_2021}"),
    ("36.72", 2022, "SSGI", 19.1, f"SSGI 2022 via databoks: {DATABOKS_2022}"),
    ("36", 2022, "SSGI", 20.0, f"SSGI 2022 via databoks: {DATABOKS_2022}"),
    ("36.72", 2023, "SKI", 22.0, f"SKI 2023, about 22 % as quoted by the Sekda: {TRIBUN_2024}"),
)
# The 9 % is on the survey scale: the Wali Kota set it against SSGI's 20 % and the
# national 14 % (docs/domain.md §13), so it is drawn beside the surveys, not the register.
# No 2024 or 2025 local target was found published.
LOCAL_TARGETS = (
    ("36.72", 2023, "stunting", 9.0, f"target Pemkot Cilegon 2023: {SELATSUNDA_2023}", "survey"),
)


@dataclass(frozen=True)
class References:
    """Column values for child.has_buku_kia and the three reference tables."""

    has_buku_kia: np.ndarray  # per child: True, False or None (object)
    population: dict[str, list[object]]  # target_population columns
    surveys: dict[str, list[object]]  # survey_figure columns
    targets: dict[str, list[object]]  # prevalence_target columns


def _buku_kia(rng: np.random.Generator, n: int) -> np.ndarray:
    draw = rng.random(n)
    values = np.full(n, None, dtype=object)
    values[draw < BUKU_KIA_SHARE] = True
    values[(draw >= BUKU_KIA_SHARE) & (draw < BUKU_KIA_SHARE + NO_BUKU_KIA_SHARE)] = False
    return values


def _population(
    rng: np.random.Generator, people: People, places: Places
) -> dict[str, list[object]]:
    kelurahan = sorted(set(places.posyandu_kelurahan))
    factor = dict(zip(kelurahan, rng.uniform(*PROJECTION_FACTOR, len(kelurahan)), strict=True))
    of_child = np.array(places.posyandu_kelurahan, dtype=object)[people.child_posyandu - 1]
    columns: dict[str, list[object]] = {
        "kelurahan_code": [],
        "year": [],
        "balita": [],
        "source": [],
    }
    for year in range(FIRST_MONTH.year, LAST_MONTH.year + 1):
        day = np.datetime64(f"{year}-07-01")
        birth = people.child_birth
        balita = (birth <= day) & (
            completed_months(birth, np.full(birth.shape, day)) < BALITA_MONTHS
        )
        codes, counts = np.unique(of_child[balita].astype(str), return_counts=True)
        registered = dict(zip(codes.tolist(), counts.tolist(), strict=True))
        for code in kelurahan:
            columns["kelurahan_code"].append(code)
            columns["year"].append(year)
            columns["balita"].append(round(registered.get(code, 0) * factor[code]))
            columns["source"].append(POPULATION_SOURCE)
    return columns


def build_references(rng: np.random.Generator, people: People, places: Places) -> References:
    """The demo city's reference figures (deterministic for the stream ``rng``)."""
    surveys: dict[str, list[object]] = {
        "region_code": [s[0] for s in SURVEY_FIGURES],
        "year": [s[1] for s in SURVEY_FIGURES],
        "survey": [s[2] for s in SURVEY_FIGURES],
        "indicator": ["stunting"] * len(SURVEY_FIGURES),
        "percent": [s[3] for s in SURVEY_FIGURES],
        "source": [s[4] for s in SURVEY_FIGURES],
    }
    targets: dict[str, list[object]] = {
        "region_code": [t[0] for t in LOCAL_TARGETS],
        "year": [t[1] for t in LOCAL_TARGETS],
        "indicator": [t[2] for t in LOCAL_TARGETS],
        "percent": [t[3] for t in LOCAL_TARGETS],
        "source": [t[4] for t in LOCAL_TARGETS],
        "scale": [t[5] for t in LOCAL_TARGETS],
    }
    return References(
        has_buku_kia=_buku_kia(rng, int(people.child_birth.shape[0])),
        population=_population(rng, people, places),
        surveys=surveys,
        targets=targets,
    )
