"""Each child's own growth channel, its faltering, and the city's trend.

A child's length/height-for-age z-score at an age is its channel (lower with more
family and pregnancy risk factors), plus a slow drift over the first five years, minus
a faltering that 18 % of children go through (a decline over seven months starting
between 4 and 20 months of age), plus the city's trend of that calendar month, plus
measurement noise. Weight-for-age follows the same channel in part, its own channel,
short episodes of weight loss (illness) and noise that carries over from month to
month. MUAC and head circumference follow weight and length. Values come from the WHO
2006 tables through the inverse of the LMS z-score, so the recorded measurements give
back the intended z-scores when Tumbuh scores them.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.demo.people import People
from tumbuh.demo.settings import MONTHS
from tumbuh.growth.lms import LMS, value_at_zscore, value_at_zscore_restricted
from tumbuh.growth.tables import TableName, load_table
from tumbuh.growth.types import FloatArray, IntArray
from tumbuh.growth.who2006 import MAX_AGE_DAYS

FALTER_SHARE = 0.18
FALTER_RAMP_DAYS = 210.0
EPISODE_HAZARD = 0.03  # monthly chance that a weight-loss episode starts
WEIGHT_NOISE_CARRY = 0.6


@dataclass(frozen=True)
class Latent:
    """Per child (and per child x month for weight): the hidden state of its growth."""

    sex_code: np.ndarray  # 1 boy, 2 girl
    channel: FloatArray
    slope: FloatArray
    falter_onset_days: FloatArray
    falter_depth: FloatArray
    weight_channel: FloatArray
    muac_channel: FloatArray
    head_channel: FloatArray
    propensity: FloatArray  # how regularly the family comes to the posyandu
    weight_dip: np.ndarray  # children x months, z units (float32)
    weight_noise: np.ndarray  # children x months, z units (float32)
    birth_weight_kg: FloatArray
    birth_length_cm: FloatArray

    def haz(self, child: IntArray, age_days: FloatArray) -> FloatArray:
        """Length/height-for-age z-score of the child's own channel at an age (no trend)."""
        falter = self.falter_depth[child] * np.clip(
            (age_days - self.falter_onset_days[child]) / FALTER_RAMP_DAYS, 0.0, 1.0
        )
        drift = self.slope[child] * age_days / MAX_AGE_DAYS
        result: FloatArray = self.channel[child] + drift - falter
        return result

    def waz(self, child: IntArray, age_days: FloatArray, month: int) -> FloatArray:
        """Weight-for-age z-score at an age in weighing month ``month`` (no trend)."""
        result: FloatArray = (
            0.55 * self.haz(child, age_days)
            + self.weight_channel[child]
            - self.weight_dip[child, month]
            + self.weight_noise[child, month]
        )
        return result


def lms_at(table: TableName, sex_code: np.ndarray, age_days: np.ndarray) -> LMS:
    """L, M, S of an age-indexed WHO 2006 table at whole days."""
    loaded = load_table(table)
    index = loaded.flat_index(sex_code, age_days)
    return LMS(loaded.power[index], loaded.median[index], loaded.cv[index])


def _weight_matrices(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Episodes of weight loss (start, 2-3 months down, 2 months back) and AR(1) noise."""
    dip = np.zeros((n, MONTHS), dtype=np.float32)
    noise = np.zeros((n, MONTHS), dtype=np.float32)
    previous = rng.normal(0.0, 0.12, n)
    for month in range(MONTHS):
        previous = WEIGHT_NOISE_CARRY * previous + rng.normal(0.0, 0.1, n)
        noise[:, month] = previous
        starts = np.flatnonzero(rng.random(n) < EPISODE_HAZARD)
        depth = rng.uniform(0.25, 0.6, starts.shape[0])
        shape = (0.5, 1.0, 1.0, 0.5, 0.2)  # fall, bottom, recover
        for offset, share in enumerate(shape):
            if month + offset < MONTHS:
                column = dip[:, month + offset]
                column[starts] = np.maximum(column[starts], share * depth)
    return dip, noise


def build_latent(rng: np.random.Generator, people: People) -> Latent:
    """Hidden growth state of every child."""
    n = int(people.child_birth.shape[0])
    sex = np.where(people.child_male, 1, 2).astype(np.int8)
    channel = rng.normal(-0.25, 0.85, n) - 0.12 * people.child_risk
    falters = rng.random(n) < FALTER_SHARE
    dip, noise = _weight_matrices(rng, n)
    gestation = np.nan_to_num(people.child_gestation_weeks, nan=39.0)
    preterm = np.maximum(0.0, 38.0 - gestation)
    zero = np.zeros(n)
    birth_waz = 0.5 * channel + rng.normal(0.0, 0.75, n) - 0.3 * preterm
    birth_haz = 0.7 * channel + rng.normal(0.0, 0.6, n) - 0.3 * preterm
    weight = value_at_zscore_restricted(birth_waz, lms_at(TableName.WEIGHT_FOR_AGE, sex, zero))
    length = value_at_zscore(birth_haz, lms_at(TableName.LENGTH_HEIGHT_FOR_AGE, sex, zero))
    recorded = rng.random(n) < 0.92
    return Latent(
        sex_code=sex,
        channel=channel,
        slope=rng.normal(0.0, 0.35, n),
        falter_onset_days=rng.uniform(120.0, 600.0, n),
        falter_depth=np.where(falters, rng.uniform(0.3, 1.1, n), 0.0),
        weight_channel=rng.normal(0.0, 0.7, n),
        muac_channel=rng.normal(0.0, 0.6, n),
        head_channel=rng.normal(0.0, 0.8, n),
        propensity=rng.beta(6.0, 2.0, n),
        weight_dip=dip,
        weight_noise=noise,
        birth_weight_kg=np.where(recorded, np.round(np.clip(weight, 1.0, 5.5) * 20) / 20, np.nan),
        birth_length_cm=np.where(recorded, np.round(np.clip(length, 35.0, 58.0) * 2) / 2, np.nan),
    )


def monotone_spline(x_known: FloatArray, y_known: FloatArray, x: FloatArray) -> FloatArray:
    """Monotone cubic (Fritsch-Carlson / PCHIP) through the known points; flat outside.

    Used to give the months between calibrated rounds a smooth city trend that never
    overshoots the neighbouring rounds.
    """
    xk = np.asarray(x_known, dtype=np.float64)
    yk = np.asarray(y_known, dtype=np.float64)
    h = np.diff(xk)
    delta = np.diff(yk) / h
    slopes = np.zeros_like(yk)
    for i in range(1, xk.shape[0] - 1):
        if delta[i - 1] * delta[i] > 0:
            w1, w2 = 2 * h[i] + h[i - 1], h[i] + 2 * h[i - 1]
            slopes[i] = (w1 + w2) / (w1 / delta[i - 1] + w2 / delta[i])
    xx = np.clip(np.asarray(x, dtype=np.float64), xk[0], xk[-1])
    k = np.clip(np.searchsorted(xk, xx, side="right") - 1, 0, xk.shape[0] - 2)
    t = (xx - xk[k]) / h[k]
    h00 = (1 + 2 * t) * (1 - t) ** 2
    h10 = t * (1 - t) ** 2
    h01 = t**2 * (3 - 2 * t)
    h11 = t**2 * (t - 1)
    result: FloatArray = (
        h00 * yk[k] + h10 * h[k] * slopes[k] + h01 * yk[k + 1] + h11 * h[k] * slopes[k + 1]
    )
    return result
