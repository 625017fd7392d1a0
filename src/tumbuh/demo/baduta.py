"""What the posyandu records of a young child besides its measurement (issue 15):
exclusive breastfeeding, MP-ASI, vitamin A, KPSP, and the day basic immunisation was
complete.

A ``child_month`` row goes with a weighing from :data:`CHILD_MONTHS_FROM` on: for a
baduta every such month, for an older balita only the vitamin A months (February and
August, which are also the bulan timbang). Each child has one day it stopped exclusive
breastfeeding and one propensity for MP-ASI, so a child's months tell one story.
"""

import numpy as np

from tumbuh.db.bulk import ColumnValues
from tumbuh.demo.maternal import or_none
from tumbuh.demo.people import People
from tumbuh.growth.child_months import KpspResult
from tumbuh.growth.who2006 import DAYS_PER_MONTH

CHILD_MONTHS_FROM = np.datetime64("2023-01-01")
EXCLUSIVE_TO_SIX_MONTHS = 0.2  # the others stop at a uniform age under 6 months
MP_ASI_PROPENSITY = (8.5, 1.8)  # beta: about 83 % of a baduta's months
VITAMIN_A_MONTHS = (2, 8)
VITAMIN_A_GIVEN = 0.9
VITAMIN_A_AGE_MONTHS = (6, 59)
KPSP_AGES_MONTHS = (3, 6, 9, 12, 15, 18, 21)
KPSP_RECORDED = 0.6
KPSP_SHARES = (0.88, 0.09, 0.03)  # sesuai, meragukan, penyimpangan
IMMUNISED_SHARE = 0.87
IMMUNISED_AT_DAYS = (270, 330)  # measles-rubella at 9 months completes the basic series


def build_child_months(
    rng: np.random.Generator, people: People, measurement: dict[str, np.ndarray]
) -> dict[str, ColumnValues]:
    """``child_month`` columns, one row per child and month with a weighing."""
    child = measurement["child_id"] - 1
    on = measurement["measured_on"].astype("datetime64[D]")
    month = on.astype("datetime64[M]").astype("datetime64[D]")
    age = np.floor((on - people.child_birth[child]).astype(np.float64) / DAYS_PER_MONTH)
    calendar = on.astype("datetime64[M]").astype(np.int64) % 12 + 1
    vitamin_a_month = np.isin(calendar, VITAMIN_A_MONTHS)
    baduta = age < 24
    keep = (on >= CHILD_MONTHS_FROM) & (baduta | (vitamin_a_month & (age < 60)))
    n_children = int(people.child_birth.shape[0])
    stop = np.where(
        rng.random(n_children) < EXCLUSIVE_TO_SIX_MONTHS, 6.0, rng.uniform(0, 6, n_children)
    )
    propensity = rng.beta(*MP_ASI_PROPENSITY, n_children)
    rows = np.flatnonzero(keep)
    c, a = child[rows], age[rows]
    r = rng.random(rows.shape[0])
    young = a < 6
    feeding = (a >= 6) & (a < 24)
    vitamin = vitamin_a_month[rows] & (a >= VITAMIN_A_AGE_MONTHS[0])
    kpsp = np.isin(a, KPSP_AGES_MONTHS) & (rng.random(rows.shape[0]) < KPSP_RECORDED)
    results = np.array([k.value for k in KpspResult], dtype=object)
    kpsp_value = results[rng.choice(3, rows.shape[0], p=KPSP_SHARES)]
    return {
        "child_id": c + 1,
        "month": month[rows],
        "exclusive_breastfeeding": or_none(young, a < stop[c]),
        "complementary_feeding": or_none(feeding, r < propensity[c]),
        "vitamin_a_given": or_none(vitamin, rng.random(rows.shape[0]) < VITAMIN_A_GIVEN),
        "kpsp_result": or_none(kpsp, kpsp_value),
    }


def build_immunisation(
    rng: np.random.Generator, people: People, last_day: np.datetime64
) -> np.ndarray:
    """The day each child's basic immunisation was complete (NaT: not, or not known)."""
    n = int(people.child_birth.shape[0])
    late = np.where(rng.random(n) < 0.1, rng.integers(0, 180, n), 0)
    day = people.child_birth + (rng.integers(*IMMUNISED_AT_DAYS, n) + late).astype("timedelta64[D]")
    done = (rng.random(n) < IMMUNISED_SHARE) & (day <= last_day)
    result: np.ndarray = np.where(done, day, np.datetime64("NaT"))
    return result
