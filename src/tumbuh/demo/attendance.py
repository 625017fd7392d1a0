"""Who comes to the posyandu each month, on which day, and what is measured.

Every child from 7 days to 59 completed months old is a balita of its posyandu. A
calibrated bulan timbang takes exactly the published number of children, drawn by
weighted sampling without replacement (Efraimidis-Spirakis keys ``u ** (1 / w)``, where
``w`` is the family's regularity); the children not drawn are kept in draw order as a
reserve. Other months draw each child independently: ordinary months with the
configured attendance (lower in the 2021 pandemic months), bulan timbang that were not
published at about 90 %, the June 2024 serentak at its configured rate. Bulan timbang and
serentak measure everybody's length/height; ordinary months most children's.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.db.models import RoundKind
from tumbuh.demo.people import People
from tumbuh.demo.places import Places
from tumbuh.demo.settings import CalibrationTarget, DemoConfig, month_start
from tumbuh.demo.trajectories import Latent
from tumbuh.growth.ages import BALITA_MONTHS, completed_months
from tumbuh.growth.types import BoolArray, FloatArray, IntArray
from tumbuh.growth.who2006 import DAYS_PER_YEAR, MAX_AGE_DAYS

MIN_AGE_DAYS = 7
TWO_YEARS_DAYS = 2 * DAYS_PER_YEAR  # 730.5: a whole age in days below it is under two
UNPUBLISHED_BULAN_TIMBANG = 0.9
OFF_DAY_SHARE = 0.04  # weighed on another day of the month (home visit, sweeping)
HAZ_NOISE_SD = 0.13  # measurement error of length/height, in z units (about 0.4 cm)


@dataclass(frozen=True)
class Visits:
    """One row per child weighed in a month."""

    child: IntArray  # 0-based child index
    measured_on: np.ndarray  # datetime64[D]
    age_days: FloatArray
    height_taken: BoolArray
    muac_taken: BoolArray
    head_taken: BoolArray
    haz_noise: FloatArray

    def __len__(self) -> int:
        return int(self.child.shape[0])

    def take(self, rows: IntArray | BoolArray) -> "Visits":
        """The visits at ``rows``."""
        return Visits(*(getattr(self, f)[rows] for f in self.__dataclass_fields__))

    @staticmethod
    def join(parts: list["Visits"]) -> "Visits":
        """Visits of several parts, in order."""
        fields = Visits.__dataclass_fields__
        return Visits(*(np.concatenate([getattr(p, f) for p in parts]) for f in fields))


@dataclass(frozen=True)
class MonthPlan:
    """The visits of one weighing month, and the reserve of a calibrated round."""

    index: int
    kind: RoundKind
    visits: Visits
    reserve: IntArray  # eligible children not drawn, in draw order (calibrated only)
    target: CalibrationTarget | None


def visits_for(
    rng: np.random.Generator,
    index: int,
    kind: RoundKind,
    child: IntArray,
    people: People,
    places: Places,
    config: DemoConfig,
) -> Visits:
    """Visit rows for the given children in month ``index``."""
    n = int(child.shape[0])
    start = np.datetime64(month_start(index))
    day = places.posyandu_day[people.child_posyandu[child] - 1].astype(np.int64)
    usual = start + (day - 1).astype("timedelta64[D]")
    off = rng.random(n) < OFF_DAY_SHARE
    later = start + (np.minimum(day + rng.integers(1, 7, n), 28) - 1).astype("timedelta64[D]")
    still_balita = completed_months(people.child_birth[child], later) < BALITA_MONTHS
    still_balita &= (later - people.child_birth[child]).astype(np.int64) <= MAX_AGE_DAYS
    measured_on = np.where(off & still_balita, later, usual)
    age = (measured_on - people.child_birth[child]).astype(np.float64)
    thorough = kind is not RoundKind.MONTHLY
    height: BoolArray = (
        np.ones(n, dtype=bool) if thorough else rng.random(n) < config.height_in_monthly_rounds
    )
    return Visits(
        child=child,
        measured_on=measured_on,
        age_days=age,
        height_taken=height,
        muac_taken=(age >= 183) & (rng.random(n) < (0.5 if thorough else 0.2)),
        head_taken=(age < TWO_YEARS_DAYS) & (rng.random(n) < 0.35),
        haz_noise=rng.normal(0.0, HAZ_NOISE_SD, n),
    )


def _eligible(index: int, people: People, places: Places) -> IntArray:
    """Children who are balita on their posyandu's weighing day of month ``index``."""
    start = np.datetime64(month_start(index))
    day = places.posyandu_day[people.child_posyandu - 1].astype(np.int64)
    on = start + (day - 1).astype("timedelta64[D]")
    age = (on - people.child_birth).astype(np.int64)
    months = completed_months(people.child_birth, on)
    ok = (age >= MIN_AGE_DAYS) & (age <= MAX_AGE_DAYS) & (months < BALITA_MONTHS)
    return np.flatnonzero(ok)


def plan_month(
    rng: np.random.Generator,
    index: int,
    kind: RoundKind,
    people: People,
    places: Places,
    latent: Latent,
    config: DemoConfig,
    target: CalibrationTarget | None,
) -> MonthPlan:
    """Who is weighed in month ``index``."""
    eligible = _eligible(index, people, places)
    age = (np.datetime64(month_start(index)) - people.child_birth[eligible]).astype(np.float64)
    older = age >= TWO_YEARS_DAYS
    # Older children come less to ordinary months, more to bulan timbang (vitamin A).
    age_factor = np.where(older, 0.8 if kind is RoundKind.MONTHLY else 1.0, 1.0)
    weight = latent.propensity[eligible] * age_factor
    reserve = np.zeros(0, dtype=np.int64)
    if target is not None:
        if target.measured > eligible.shape[0]:
            raise ValueError(
                f"{month_start(index)}: {target.measured} children to measure but only "
                f"{eligible.shape[0]} balita; raise births_per_month"
            )
        keys = rng.random(eligible.shape[0]) ** (1.0 / weight)
        drawn = eligible[np.argsort(-keys, kind="stable")]
        chosen, reserve = np.sort(drawn[: target.measured]), drawn[target.measured :]
    else:
        if kind is RoundKind.SERENTAK:
            rate = config.serentak_attendance
        elif kind is RoundKind.BULAN_TIMBANG:
            rate = UNPUBLISHED_BULAN_TIMBANG
        else:  # fewer children in the 2021 pandemic months, recovering over a year
            rate = config.monthly_attendance * (0.85 + 0.15 * min(1.0, index / 12))
        chance = np.clip(rate * weight / weight.mean(), 0.0, 0.99)
        chosen = eligible[rng.random(eligible.shape[0]) < chance]
    visits = visits_for(rng, index, kind, chosen, people, places, config)
    return MonthPlan(index, kind, visits, reserve, target)
