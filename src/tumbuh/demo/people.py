"""Children, mothers, families and pregnancies of the demo city.

Children are born every month from 59 months before the first weighing month to the
last one, so that every month has a full set of balita while the oldest age out. About
one child in three is a younger sibling: it shares the mother (and family) of a child
born 18 to 48 months earlier at the same posyandu. Families carry the KRS criteria of
BKKBN PK21; pregnancies are recorded for the births of the weighing window and for
the women still pregnant at its end.
"""

from dataclasses import dataclass, field

import numpy as np

from tumbuh.db.bulk import ColumnValues
from tumbuh.demo.names import addresses, identity_numbers, person_names
from tumbuh.demo.places import Places
from tumbuh.demo.settings import MONTHS, DemoConfig, month_start
from tumbuh.growth.ages import BALITA_MONTHS
from tumbuh.growth.who2006 import DAYS_PER_YEAR

SIBLING_SHARE = 0.3
SIBLING_GAP_DAYS = (548, 1461)  # 18 to 48 months
KRS_SURVEY = np.datetime64("2021-07-01")  # PK21
PREGNANCY_RECORDS_FROM = np.datetime64("2021-05-01")
ONGOING_DUE = (np.datetime64("2025-01-01"), np.datetime64("2025-09-30"))
KEK_MUAC_CM = 23.5  # docs/domain.md §1 [verify]; only used to shape the demo


@dataclass(frozen=True)
class People:
    """Column arrays for child, mother, family and pregnancy (ids are position + 1)."""

    child_birth: np.ndarray  # datetime64[D], ascending
    child_male: np.ndarray
    child_posyandu: np.ndarray  # posyandu id
    child_mother: np.ndarray  # mother id (= family id)
    child_pregnancy: np.ndarray  # pregnancy id or 0
    child_name: list[str]
    child_nik: list[str | None]
    child_gestation_weeks: np.ndarray  # float, NaN when not recorded
    child_risk: np.ndarray  # count of family and pregnancy risk factors
    mother_birth: np.ndarray
    mother_name: list[str]
    mother_nik: list[str | None]
    family: dict[str, ColumnValues]  # column -> values for the family table
    pregnancy: dict[str, ColumnValues]  # column -> values for the pregnancy table
    # further child columns (the first 1,000 days: the day basic immunisation was complete)
    child_extra: dict[str, ColumnValues] = field(default_factory=dict)


def _births(rng: np.random.Generator, config: DemoConfig) -> np.ndarray:
    """Birth dates from BALITA_MONTHS - 1 months before the first weighing month on."""
    days: list[np.ndarray] = []
    for index in range(-(BALITA_MONTHS - 1), MONTHS):
        start = np.datetime64(month_start(index))
        length = int((np.datetime64(month_start(index + 1)) - start).astype(int))
        seasonal = 1.0 + 0.05 * np.sin(2 * np.pi * (index % 12) / 12)
        count = rng.poisson(config.births_per_month * config.scale * seasonal)
        days.append(start + rng.integers(0, length, count).astype("timedelta64[D]"))
    return np.sort(np.concatenate(days))


def _mothers(rng: np.random.Generator, birth: np.ndarray, posyandu: np.ndarray) -> np.ndarray:
    """Mother id per child: a new mother, or the mother of an older sibling."""
    mother = np.zeros(int(birth.shape[0]), dtype=np.int64)
    order = np.argsort(posyandu, kind="stable")  # children stay in birth order per posyandu
    bounds = np.searchsorted(posyandu[order], np.arange(posyandu.max() + 2))
    n = int(birth.shape[0])
    sibling = rng.random(n) < SIBLING_SHARE
    pick = rng.random(n)
    day = birth.astype(np.int64)
    next_id = 1
    for p in range(1, int(posyandu.max()) + 1):
        members = order[bounds[p] : bounds[p + 1]]
        days = day[members]
        for position, child in enumerate(members.tolist()):
            lo = np.searchsorted(days, days[position] - SIBLING_GAP_DAYS[1])
            hi = np.searchsorted(days, days[position] - SIBLING_GAP_DAYS[0], side="right")
            if sibling[child] and hi > lo:
                mother[child] = mother[members[lo + int(pick[child] * (hi - lo))]]
            else:
                mother[child] = next_id
                next_id += 1
    return mother


def build_people(rng: np.random.Generator, config: DemoConfig, places: Places) -> People:
    """Every child, mother, family and pregnancy of the city."""
    birth = _births(rng, config)
    n = int(birth.shape[0])
    male = rng.random(n) < 0.515
    posyandu = rng.choice(places.posyandu_count, n, p=places.posyandu_weight) + 1
    mother = _mothers(rng, birth, posyandu)
    with_children = int(mother.max())
    first_child = np.full(with_children + 1, -1)
    first_child[mother[::-1]] = np.arange(n)[::-1]  # earliest child of each mother
    first_child = first_child[1:]
    gestation = np.clip(np.round(rng.normal(38.9, 1.6, n)), 30, 42)
    pregnancy, child_pregnancy, kek, due = _pregnancies(rng, config, birth, mother, gestation)
    mothers = with_children + int(due.shape[0])
    mother_posyandu = np.concatenate(
        [posyandu[first_child], rng.choice(places.posyandu_count, due.shape[0]) + 1]
    )
    reference_day = np.concatenate([birth[first_child], due])  # first birth or due date
    mother_age = np.clip(rng.normal(27.5, 5.5, mothers), 16, 44)
    mother_birth = reference_day - (mother_age * DAYS_PER_YEAR).astype("timedelta64[D]")
    family, risk = _families(
        rng, places, birth, mother, reference_day, mother_posyandu, mother_birth
    )
    kecamatan = _kecamatan_digit(places, posyandu)
    niks = identity_numbers(kecamatan, birth, ~male)
    has_nik = (rng.random(n) < 0.88).tolist()
    mother_niks = identity_numbers(
        _kecamatan_digit(places, mother_posyandu), mother_birth, np.ones(mothers, dtype=bool)
    )
    mother_has_nik = (rng.random(mothers) < 0.95).tolist()
    known_gestation = rng.random(n) < np.where(birth >= PREGNANCY_RECORDS_FROM, 0.95, 0.6)
    return People(
        child_birth=birth,
        child_male=male,
        child_posyandu=posyandu,
        child_mother=mother,
        child_pregnancy=child_pregnancy,
        child_name=person_names(rng, male),
        child_nik=[x if ok else None for x, ok in zip(niks, has_nik, strict=True)],
        child_gestation_weeks=np.where(known_gestation, gestation, np.nan),
        child_risk=risk[mother - 1] + kek + (gestation < 37),
        mother_birth=mother_birth,
        mother_name=person_names(rng, np.zeros(mothers, dtype=bool)),
        mother_nik=[x if ok else None for x, ok in zip(mother_niks, mother_has_nik, strict=True)],
        family=family,
        pregnancy=pregnancy,
    )


def _kecamatan_digit(places: Places, posyandu: np.ndarray) -> np.ndarray:
    """Last digit of the kecamatan code (36.72.0X) of each posyandu id."""
    digits = np.array([int(code[7]) for code in places.posyandu_kelurahan])
    result: np.ndarray = digits[posyandu - 1]
    return result


def _families(
    rng: np.random.Generator,
    places: Places,
    birth: np.ndarray,
    mother: np.ndarray,
    reference_day: np.ndarray,
    posyandu: np.ndarray,
    mother_birth: np.ndarray,
) -> tuple[dict[str, ColumnValues], np.ndarray]:
    """Family columns (one family per mother) and each family's count of KRS criteria."""
    count = int(reference_day.shape[0])
    assessed_on = np.minimum(
        np.maximum(KRS_SURVEY, reference_day - np.timedelta64(180, "D")),
        np.datetime64("2024-12-31"),
    )
    age = (assessed_on - mother_birth).astype(np.float64) / DAYS_PER_YEAR
    order = np.lexsort((birth, mother))
    same = mother[order][1:] == mother[order][:-1]
    gaps = (birth[order][1:] - birth[order][:-1]).astype(np.int64)
    close = np.zeros(count + 1, dtype=bool)
    close[mother[order][1:][same & (gaps < 730)]] = True
    criteria = {
        "has_safe_drinking_water": rng.random(count) < 0.91,
        "has_safe_latrine": rng.random(count) < 0.88,
        "wife_under_20": age < 20,
        "wife_35_or_older": age >= 35,
        "birth_spacing_under_2_years": close[1:],
        "more_than_3_children": rng.random(count) < 0.06,
    }
    risk = np.zeros(count, dtype=np.int64)
    for name, values in criteria.items():
        risk += ~values if name.startswith("has_") else values
    assessed = rng.random(count) < 0.88
    family: dict[str, ColumnValues] = {
        name: np.where(assessed, values, None) for name, values in criteria.items()
    }
    issued = reference_day - rng.integers(30, 1500, count).astype("timedelta64[D]")
    family["nomor_kk"] = identity_numbers(
        _kecamatan_digit(places, posyandu), issued, np.zeros(count, dtype=bool)
    )
    family["kelurahan_code"] = [places.posyandu_kelurahan[p - 1] for p in posyandu.tolist()]
    family["address"] = addresses(rng, count)
    family["rt"] = [f"{r:03d}" for r in rng.integers(1, 11, count).tolist()]
    family["rw"] = [places.posyandu_rw[p - 1] for p in posyandu.tolist()]
    family["krs_assessed_on"] = np.where(assessed, assessed_on, np.datetime64("NaT"))
    return family, risk


def _pregnancies(
    rng: np.random.Generator,
    config: DemoConfig,
    birth: np.ndarray,
    mother: np.ndarray,
    gestation: np.ndarray,
) -> tuple[dict[str, ColumnValues], np.ndarray, np.ndarray, np.ndarray]:
    """Pregnancy columns, pregnancy id per child (0 = none), KEK per child, due dates of
    the pregnancies still going on (their mothers get the ids after the others)."""
    recorded = np.flatnonzero(birth >= PREGNANCY_RECORDS_FROM)
    hpht = birth[recorded] - (gestation[recorded] * 7).astype("timedelta64[D]")
    hpht -= rng.integers(0, 7, recorded.shape[0]).astype("timedelta64[D]")
    ongoing = int(config.births_per_month * config.scale * 9 * 0.9)
    span = int((ONGOING_DUE[1] - ONGOING_DUE[0]).astype(np.int64))
    due = np.sort(ONGOING_DUE[0] + rng.integers(0, span, ongoing).astype("timedelta64[D]"))
    total = recorded.shape[0] + ongoing
    muac = np.round(rng.normal(25.8, 2.6, total), 1)
    child_pregnancy = np.zeros(birth.shape[0], dtype=np.int64)
    child_pregnancy[recorded] = np.arange(1, recorded.shape[0] + 1)
    kek = np.zeros(birth.shape[0], dtype=np.int64)
    kek[recorded] = muac[: recorded.shape[0]] < KEK_MUAC_CM
    all_hpht = np.concatenate([hpht, due - np.timedelta64(280, "D")])
    first_new_mother = int(mother.max()) + 1
    columns: dict[str, ColumnValues] = {
        "mother_id": np.concatenate(
            [mother[recorded], np.arange(first_new_mother, first_new_mother + ongoing)]
        ),
        "hpht": all_hpht,
        "due_date": all_hpht + np.timedelta64(280, "D"),
        "muac_cm": muac,
        "hb_g_dl": np.round(rng.normal(11.6, 1.2, total), 1),
        "anc_visits": np.clip(rng.poisson(6.2, total), 0, 12),
        "iron_tablets": np.clip(rng.normal(85, 30, total), 0, 180).astype(np.int64),
        "ended_on": np.concatenate(
            [birth[recorded], np.full(ongoing, np.datetime64("NaT"), dtype="datetime64[D]")]
        ),
        "outcome": np.array(["live_birth"] * recorded.shape[0] + [None] * ongoing, dtype=object),
    }
    return columns, child_pregnancy, kek, due
