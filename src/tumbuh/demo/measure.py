"""Measured values of one weighing month, the planted errors, and the exact calibration.

Values come from the children's channels (``trajectories``) and the city trend of the
month. Then data errors are planted, each measurement getting at most one kind, in this
order: values copied from last month's record, a weight typed in grams, a position
against the age rule at 18-30 months (the value is what was measured in that position),
and digit preference (height and/or weight rounded to a whole or half unit, more at some
posyandu than others). A digit-preference record is kept only when rounding changed
the value.

For a calibrated bulan timbang the month is then settled: children from the reserve are
added until exactly the published number have a valid length/height-for-age z-score,
and the heights of the children closest to -2 SD (never a row with a planted error) are
moved by 0.1 cm steps until exactly the published number are stunted.
"""

from dataclasses import dataclass, field

import numpy as np

from tumbuh.db.models import PlantedErrorKind
from tumbuh.demo.attendance import Visits
from tumbuh.demo.people import People
from tumbuh.demo.places import KADER_PER_POSYANDU, Places
from tumbuh.demo.settings import ErrorRates
from tumbuh.demo.trajectories import Latent, lms_at
from tumbuh.growth import who2006
from tumbuh.growth.enums import Indicator
from tumbuh.growth.lms import value_at_zscore, value_at_zscore_restricted
from tumbuh.growth.tables import TableName
from tumbuh.growth.types import FloatArray, IntArray

STUNTED_BELOW = -2.0
POSITION_SHIFT_CM = 0.7
WRONG_POSITION_AGE_DAYS = (548, 913)  # 18 to 30 months
MAX_NUDGE_STEPS = 40


@dataclass
class LastRecord:
    """Each child's last recorded weight and height, for copied values."""

    month: IntArray
    weight_kg: FloatArray
    height_cm: FloatArray
    clean: np.ndarray

    @classmethod
    def empty(cls, n: int) -> "LastRecord":
        """Nobody weighed yet."""
        return cls(np.full(n, -9), np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, bool))


@dataclass
class MonthRows:
    """The final measurements of one month and the errors planted in them."""

    visits: Visits
    weight_kg: FloatArray
    height_cm: FloatArray
    position: np.ndarray  # int8: 1 lying, 2 standing, 0 none
    muac_cm: FloatArray
    head_cm: FloatArray
    kader: IntArray
    planted_row: list[int] = field(default_factory=list)
    planted_kind: list[PlantedErrorKind] = field(default_factory=list)
    planted_field: list[str] = field(default_factory=list)
    planted_true: list[str] = field(default_factory=list)

    def plant(self, rows: IntArray, kind: PlantedErrorKind, name: str, true: list[str]) -> None:
        """Record errors planted in ``rows``."""
        self.planted_row += rows.tolist()
        self.planted_kind += [kind] * rows.shape[0]
        self.planted_field += [name] * rows.shape[0]
        self.planted_true += true

    def has_error(self) -> np.ndarray:
        """Rows with any planted error."""
        mask = np.zeros(len(self.visits), dtype=bool)
        mask[self.planted_row] = True
        return mask


def measured_values(
    rng: np.random.Generator,
    visits: Visits,
    month: int,
    shift: float,
    latent: Latent,
    people: People,
) -> MonthRows:
    """True (error-free) values of the visits; weights are kept to the gram here."""
    child, age = visits.child, visits.age_days
    sex = latent.sex_code[child]
    haz = latent.haz(child, age) + visits.haz_noise + shift
    height = value_at_zscore(haz, lms_at(TableName.LENGTH_HEIGHT_FOR_AGE, sex, age))
    waz = latent.waz(child, age, month) + 0.5 * shift
    weight = value_at_zscore_restricted(waz, lms_at(TableName.WEIGHT_FOR_AGE, sex, age))
    acz = 0.6 * waz + latent.muac_channel[child] + rng.normal(0.0, 0.2, len(visits))
    muac = value_at_zscore_restricted(acz, lms_at(TableName.ARM_CIRCUMFERENCE_FOR_AGE, sex, age))
    hcz = 0.4 * latent.channel[child] + latent.head_channel[child]
    head = value_at_zscore(
        hcz + rng.normal(0.0, 0.15, len(visits)),
        lms_at(TableName.HEAD_CIRCUMFERENCE_FOR_AGE, sex, age),
    )
    posyandu = people.child_posyandu[child]
    kader = (posyandu - 1) * KADER_PER_POSYANDU + rng.integers(
        1, KADER_PER_POSYANDU + 1, len(child)
    )
    return MonthRows(
        visits=visits,
        weight_kg=np.round(weight, 3),
        height_cm=np.where(visits.height_taken, np.round(height, 1), np.nan),
        position=np.where(
            visits.height_taken, np.where(age < who2006.LENGTH_HEIGHT_SWITCH_DAYS, 1, 2), 0
        ).astype(np.int8),
        muac_cm=np.where(visits.muac_taken, np.round(muac, 1), np.nan),
        head_cm=np.where(visits.head_taken, np.round(head, 1), np.nan),
        kader=kader,
    )


def plant_errors(
    rng: np.random.Generator,
    rows: MonthRows,
    month: int,
    last: LastRecord,
    rates: ErrorRates,
    places: Places,
    people: People,
) -> None:
    """Plant the configured errors, then round weights to the recorded 0.1 kg."""
    n = len(rows.visits)
    child = rows.visits.child
    free = np.ones(n, dtype=bool)
    grams = np.round(rows.weight_kg * 1000)
    rows.weight_kg = np.round(rows.weight_kg, 1)
    copyable = (last.month[child] == month - 1) & last.clean[child] & rows.visits.height_taken
    copyable &= ~np.isnan(last.height_cm[child]) & ~np.isnan(last.weight_kg[child])
    copied = np.flatnonzero(copyable & (rng.random(n) < rates.copied_values))
    true = [
        f"{w:g};{h:g}" for w, h in zip(rows.weight_kg[copied], rows.height_cm[copied], strict=True)
    ]
    rows.weight_kg[copied] = last.weight_kg[child[copied]]
    rows.height_cm[copied] = last.height_cm[child[copied]]
    rows.plant(copied, PlantedErrorKind.COPIED_VALUES, "weight_kg;height_cm", true)
    free[copied] = False
    in_grams = np.flatnonzero(free & (rng.random(n) < rates.weight_in_grams))
    rows.plant(
        in_grams, PlantedErrorKind.WEIGHT_IN_GRAMS, "weight_kg", _text(rows.weight_kg[in_grams])
    )
    rows.weight_kg[in_grams] = grams[in_grams]
    free[in_grams] = False
    age = rows.visits.age_days
    near_two = (age >= WRONG_POSITION_AGE_DAYS[0]) & (age <= WRONG_POSITION_AGE_DAYS[1])
    wrong = np.flatnonzero(
        free & near_two & rows.visits.height_taken & (rng.random(n) < rates.wrong_position)
    )
    rows.plant(wrong, PlantedErrorKind.WRONG_POSITION, "position", _text(rows.height_cm[wrong]))
    lying_now = rows.position[wrong] == 1
    rows.position[wrong] = np.where(lying_now, 2, 1)  # measured in the other position ...
    shift = np.where(lying_now, -POSITION_SHIFT_CM, POSITION_SHIFT_CM)  # ... so it reads so
    rows.height_cm[wrong] = np.round(rows.height_cm[wrong] + shift, 1)
    free[wrong] = False
    heaping = np.minimum(
        1.0, rates.digit_preference * places.posyandu_heaping[people.child_posyandu[child] - 1]
    )
    for name, values in (("height_cm", rows.height_cm), ("weight_kg", rows.weight_kg)):
        rounded = np.round(values * 2) / 2
        hit = np.flatnonzero(
            free & (rng.random(n) < heaping) & (rounded != values) & ~np.isnan(values)
        )
        rows.plant(hit, PlantedErrorKind.DIGIT_PREFERENCE, name, _text(values[hit]))
        values[hit] = rounded[hit]


def _text(values: FloatArray) -> list[str]:
    return [f"{v:g}" for v in values.tolist()]


def haz_and_flag(
    rows: MonthRows, latent: Latent, subset: IntArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """WHO 2006 length/height-for-age z-score and flag, exactly as stored later."""
    take = np.arange(len(rows.visits)) if subset is None else subset
    k = take.shape[0]
    nothing = np.full(k, np.nan)
    result = who2006.compute(
        sex=latent.sex_code[rows.visits.child[take]],
        age=rows.visits.age_days[take],
        age_in_months=np.zeros(k, dtype=bool),
        weight_kg=nothing,
        lenhei_cm=rows.height_cm[take],
        measure=rows.position[take],
        oedema=np.zeros(k, dtype=bool),
        headc_cm=nothing,
        armc_cm=nothing,
        triskin_mm=nothing,
        subskin_mm=nothing,
        problems=np.zeros(k, dtype=np.uint32),
    )
    scores = result.scores[Indicator.HAZ]
    return scores.z, scores.flag
