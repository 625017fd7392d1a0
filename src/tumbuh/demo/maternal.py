"""Pregnancies of the demo city in full (issue 15): registration, K1, area, 4 Terlalu,
antenatal (ANC) and post-partum (KF) visits, TTD, the end, and low birth weight.

``demo/people.py`` already drew the pregnancies (HPHT, LiLA, Hb) of the births from May
2021 and of the women still pregnant at the end; their LiLA feeds the children's growth,
so it stays. This module adds what the bidan records around it, from its own random
stream, so the calibrated city is untouched. Nothing is dated after the city's last day;
a woman whose first visit would come later is not registered yet (no registration, no
values, no visits).
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.db.bulk import ColumnValues
from tumbuh.db.models import BirthPlace, PregnancyOutcome
from tumbuh.db.models_maternal import AncPlace
from tumbuh.demo.people import People
from tumbuh.demo.places import Places
from tumbuh.growth.ages import completed_months_or_nan
from tumbuh.growth.maternal import (
    BBLR_GRAMS,
    KEK_MUAC_CM,
    PRETERM_WEEKS,
    pregnancy_four_terlalu,
)

K1_TRIMESTER_1_SHARE = 0.8  # K1 by week 12
FULL_ANC_SHARE = 0.82  # six visits or more
ANC_PLACES = (AncPlace.PUSKESMAS, AncPlace.PUSTU, AncPlace.POSYANDU, AncPlace.PRAKTIK_BIDAN,
              AncPlace.HOSPITAL)  # fmt: skip
ANC_PLACE_SHARES = (0.34, 0.06, 0.2, 0.3, 0.1)
BIRTH_PLACES = (BirthPlace.HOSPITAL, BirthPlace.PUSKESMAS, BirthPlace.PRAKTIK_BIDAN,
                BirthPlace.PUSTU, BirthPlace.HOME, BirthPlace.OTHER)  # fmt: skip
BIRTH_PLACE_SHARES = (0.38, 0.22, 0.32, 0.02, 0.05, 0.01)
TTD_PER_VISIT = 30  # a month's tablets at each visit, up to 120
TTD_COMPLIANT_SHARE = 0.8  # take every tablet handed over
KF_WINDOWS = ((0, 2, 0.96), (3, 7, 0.88), (8, 28, 0.78), (29, 42, 0.62))  # days, share
BBLR_TARGET = 0.065  # WHO: about 6-7 % in Indonesia's surveys (Riskesdas 2018: 6.2 %)
MAX_VISITS = 12
# The LiLA people.py draws (mean 25.8 cm) is the latent value the children's growth risk
# comes from, so it stays; the bidan's recorded LiLA at K1 is that value plus this shift,
# which puts the recorded KEK share near the 15 % the issue asks (Riskesdas 2018: 17.3 %)
# instead of the latent 18.7 %. No random draw is added, so the stream is unchanged.
RECORDED_MUAC_SHIFT_CM = 0.4


@dataclass(frozen=True)
class MaternalRecords:
    """New pregnancy columns (one per pregnancy row), ANC and KF visit columns, and
    the children's birth weights with low birth weight at :data:`BBLR_TARGET`."""

    pregnancy: dict[str, ColumnValues]
    anc: dict[str, ColumnValues]
    postpartum: dict[str, ColumnValues]
    birth_weight_kg: np.ndarray


def or_none(condition: np.ndarray, values: object) -> np.ndarray:
    """An object array: ``values`` where ``condition`` holds, else None."""
    result = np.full(condition.shape[0], None, dtype=object)
    result[condition] = np.broadcast_to(np.asarray(values, dtype=object), condition.shape)[
        condition
    ]
    return result


def _days(values: np.ndarray) -> np.ndarray:
    return np.round(values).astype(np.int64).astype("timedelta64[D]")


def _posyandu_of_family(people: People, places: Places, family: np.ndarray) -> np.ndarray:
    """Posyandu id of each family (one posyandu per RW of a kelurahan)."""
    by_rw = {
        (k, r): i + 1
        for i, (k, r) in enumerate(zip(places.posyandu_kelurahan, places.posyandu_rw, strict=True))
    }
    kelurahan = np.asarray(people.family["kelurahan_code"], dtype=object)
    rw = np.asarray(people.family["rw"], dtype=object)
    return np.array([by_rw[(kelurahan[f - 1], rw[f - 1])] for f in family.tolist()])


def build_maternal(
    rng: np.random.Generator,
    people: People,
    places: Places,
    birth_weight_kg: np.ndarray,
    last_day: np.datetime64,
) -> MaternalRecords:
    """Everything the bidan records of the city's pregnancies (see the module doc)."""
    pregnancy = people.pregnancy
    hpht = np.asarray(pregnancy["hpht"], dtype="datetime64[D]")
    ended = np.asarray(pregnancy["ended_on"], dtype="datetime64[D]")
    mother = np.asarray(pregnancy["mother_id"], dtype=np.int64)
    n = int(hpht.shape[0])
    child_of = np.flatnonzero(people.child_pregnancy > 0)  # child index per ended pregnancy
    born = child_of.shape[0]
    posyandu = np.concatenate(
        [people.child_posyandu[child_of], _posyandu_of_family(people, places, mother[born:])]
    )
    kelurahan = [places.posyandu_kelurahan[p - 1] for p in posyandu.tolist()]
    k1_week = np.where(
        rng.random(n) < K1_TRIMESTER_1_SHARE, rng.uniform(5, 12.9, n), rng.uniform(13, 24, n)
    )
    k1 = hpht + _days(k1_week * 7)
    registered = (k1 <= last_day) & (np.isnat(ended) | (k1 < ended))
    # visits: weeks since HPHT of K1 ... K12, the 2-1-3 pattern when K1 is early
    weeks = np.empty((n, MAX_VISITS))
    weeks[:, 0] = k1_week
    weeks[:, 1] = np.maximum(k1_week + 3, rng.uniform(9, 12.9, n))
    weeks[:, 2] = np.maximum(weeks[:, 1] + 4, rng.uniform(16, 24, n))
    weeks[:, 3] = np.maximum(weeks[:, 2] + 4, rng.uniform(26, 30, n))
    weeks[:, 4] = np.maximum(weeks[:, 3] + 3, rng.uniform(31, 34, n))
    weeks[:, 5] = np.maximum(weeks[:, 4] + 2, rng.uniform(35, 37, n))
    for k in range(6, MAX_VISITS):
        weeks[:, k] = weeks[:, k - 1] + rng.uniform(1.5, 3.0, n)
    wanted = np.where(
        rng.random(n) < FULL_ANC_SHARE,
        np.minimum(6 + rng.poisson(0.8, n), MAX_VISITS),
        rng.integers(1, 6, n),
    )
    day = hpht[:, None] + _days(weeks * 7 + rng.integers(0, 3, (n, MAX_VISITS)))
    end = np.where(np.isnat(ended), last_day + np.timedelta64(1, "D"), ended)
    keep = (np.arange(MAX_VISITS)[None, :] < wanted[:, None]) & (day < end[:, None])
    keep &= (day <= last_day) & registered[:, None]
    visits = keep.sum(axis=1)
    given = np.where(keep & (np.cumsum(keep, axis=1) <= 4), TTD_PER_VISIT, 0)
    adherence = np.where(rng.random(n) < TTD_COMPLIANT_SHARE, 1.0, rng.beta(4, 3, n))
    taken = np.floor(given.sum(axis=1) * adherence).astype(np.int64)
    # the woman: height and weight before pregnancy, thinner with a low LiLA
    latent_muac = np.asarray(pregnancy["muac_cm"], dtype=np.float64)
    height = np.round(np.clip(rng.normal(153.5, 5.5, n), 135, 180), 1)
    bmi = np.clip(22.8 + 0.9 * (latent_muac - 25.8) + rng.normal(0, 2.0, n), 15.5, 40)
    weight = np.round(bmi * (height / 100) ** 2, 1)
    gain = np.clip(weeks - 12, 0, None) * 0.42 + rng.normal(0, 0.8, (n, MAX_VISITS))
    hb = np.asarray(pregnancy["hb_g_dl"], dtype=np.float64)
    hb_late = np.round(np.clip(hb + rng.normal(-0.2, 0.6, n), 5, 17), 1)
    # 4 Terlalu at registration, from the mother's age and the births before (the register's)
    age = completed_months_or_nan(people.mother_birth[mother - 1], hpht) / 12
    previous, births = _previous_birth(people, mother, hpht)
    terlalu = pregnancy_four_terlalu(
        age_years=np.floor(age),
        previous_births=births,
        previous_birth_on=previous,
        hpht=hpht,
        k1_on=k1,
    )
    assessed = registered & (rng.random(n) < 0.9)
    is_ended = ~np.isnat(ended)
    place_idx = rng.choice(len(BIRTH_PLACES), n, p=BIRTH_PLACE_SHARES)
    columns: dict[str, ColumnValues] = {
        "registered_on": np.where(registered, k1, np.datetime64("NaT")),
        "k1_on": np.where(registered, k1, np.datetime64("NaT")),
        "gestational_age_at_registration_weeks": np.where(
            registered, np.floor((k1 - hpht).astype(np.float64) / 7), np.nan
        ),
        "kelurahan_code": kelurahan,
        "posyandu_id": posyandu,
        "puskesmas_id": np.array([places.puskesmas_area[k] for k in kelurahan]),
        "weight_before_kg": np.where(registered, weight, np.nan),
        "height_cm": np.where(registered, height, np.nan),
        "muac_cm": np.where(registered | is_ended, recorded_muac(latent_muac), np.nan),
        "hb_g_dl": np.where(registered | is_ended, hb, np.nan),
        "anc_visits": np.where(registered | is_ended, visits, np.nan),
        "iron_tablets": np.where(registered | is_ended, taken, np.nan),
        "mother_under_20": or_none(assessed, terlalu.muda.yes),
        "mother_35_or_older": or_none(assessed, terlalu.tua.yes),
        "birth_spacing_under_2_years": or_none(assessed, terlalu.dekat.yes),
        "more_than_3_children": or_none(assessed, terlalu.banyak.yes),
        "previous_live_births": np.where(assessed, births, np.nan),
        "previous_birth_on": np.where(assessed, previous, np.datetime64("NaT")),
        "birth_place": or_none(
            is_ended, np.array([p.value for p in BIRTH_PLACES], dtype=object)[place_idx]
        ),
        "gestational_age_at_end_weeks": np.where(
            is_ended, np.floor((ended - hpht).astype(np.float64) / 7), np.nan
        ),
        "outcome": or_none(is_ended, PregnancyOutcome.LIVE_BIRTH.value),
    }
    row, visit = np.nonzero(keep)
    first_hb = visit == 0
    late_hb = visit == 3
    place = rng.choice(len(ANC_PLACES), row.shape[0], p=ANC_PLACE_SHARES)
    anc: dict[str, ColumnValues] = {
        "pregnancy_id": row + 1,
        "visited_on": day[row, visit],
        "place": np.array([p.value for p in ANC_PLACES], dtype=object)[place],
        "weight_kg": np.round(weight[row] + gain[row, visit], 1),
        "muac_cm": np.where(first_hb, recorded_muac(latent_muac)[row], np.nan),
        "hb_g_dl": np.where(first_hb, hb[row], np.where(late_hb, hb_late[row], np.nan)),
        "iron_tablets_given": np.where(given[row, visit] > 0, given[row, visit], np.nan),
    }
    return MaternalRecords(
        pregnancy=columns,
        anc=anc,
        postpartum=_postpartum(rng, ended, last_day),
        birth_weight_kg=_low_birth_weights(
            rng, people, birth_weight_kg, child_of, recorded_muac(latent_muac), hb
        ),
    )


def recorded_muac(latent_cm: np.ndarray) -> np.ndarray:
    """The LiLA the bidan records at K1: the latent one shifted (see
    :data:`RECORDED_MUAC_SHIFT_CM`), to 0.1 cm."""
    return np.round(latent_cm + RECORDED_MUAC_SHIFT_CM, 1)


def _previous_birth(
    people: People, mother: np.ndarray, hpht: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The mother's last birth before each pregnancy's HPHT (NaT: none) and how many of
    her children were born before it (the register's children: the demo knows no others)."""
    order = np.lexsort((people.child_birth, people.child_mother))
    sorted_mother = people.child_mother[order]
    sorted_birth = people.child_birth[order]
    key = sorted_mother.astype(np.int64) * 1_000_000 + sorted_birth.astype(np.int64)
    target = mother.astype(np.int64) * 1_000_000 + hpht.astype(np.int64)
    at = np.searchsorted(key, target) - 1
    found = (at >= 0) & (sorted_mother[np.maximum(at, 0)] == mother)
    first = np.searchsorted(sorted_mother, mother)
    births = np.where(found, at - first + 1, 0)
    return np.where(found, sorted_birth[np.maximum(at, 0)], np.datetime64("NaT")), births


def _postpartum(
    rng: np.random.Generator, ended: np.ndarray, last_day: np.datetime64
) -> dict[str, ColumnValues]:
    """KF1 to KF4 after each birth, within their windows, never after the last day."""
    ids: list[np.ndarray] = []
    numbers: list[np.ndarray] = []
    days: list[np.ndarray] = []
    for number, (low, high, share) in enumerate(KF_WINDOWS, start=1):
        day = ended + rng.integers(low, high + 1, ended.shape[0]).astype("timedelta64[D]")
        keep = ~np.isnat(ended) & (rng.random(ended.shape[0]) < share) & (day <= last_day)
        ids.append(np.flatnonzero(keep) + 1)
        numbers.append(np.full(int(keep.sum()), number))
        days.append(day[keep])
    return {
        "pregnancy_id": np.concatenate(ids),
        "visit_number": np.concatenate(numbers),
        "visited_on": np.concatenate(days),
    }


def _low_birth_weights(
    rng: np.random.Generator,
    people: People,
    birth_weight_kg: np.ndarray,
    child_of: np.ndarray,
    muac: np.ndarray,
    hb: np.ndarray,
) -> np.ndarray:
    """Birth weights with a share under 2,500 g of :data:`BBLR_TARGET` among the recorded
    ones of the pregnancies: the growth model gives about 3 %; the babies added are
    drawn with more weight for preterm births and mothers with KEK or anaemia."""
    weights = birth_weight_kg.copy()
    recorded = child_of[~np.isnan(weights[child_of])]
    low = weights[recorded] * 1000 < BBLR_GRAMS
    missing = round(BBLR_TARGET * recorded.shape[0]) - int(low.sum())
    if missing <= 0:
        return weights
    pregnancy = people.child_pregnancy[recorded] - 1
    risk = 1.0 + 3.0 * (people.child_gestation_weeks[recorded] < PRETERM_WEEKS)
    risk += 1.5 * (muac[pregnancy] < KEK_MUAC_CM) + 0.7 * (hb[pregnancy] < 11.0)
    keys = np.where(low, -1.0, rng.random(recorded.shape[0]) ** (1.0 / risk))
    chosen = recorded[np.argsort(-keys, kind="stable")[:missing]]
    weights[chosen] = np.round(rng.uniform(2.0, 2.45, chosen.shape[0]) * 20) / 20
    return weights
