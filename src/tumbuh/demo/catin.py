"""Brides and grooms to be (catin) of the demo city (issue 15).

KUA reports each couple three to five months before the wedding (Elsimil asks for at
least three); the puskesmas screens most of them within a month, so about half are
screened in time and the others late (less than 3 months before, docs/catin.md). The
screening measures LiLA (for the bride), Hb, weight and height; a catin at risk by
:func:`tumbuh.growth.catin.catin_risks` (KEK, anaemia, IMT under 18.5, too young) is
mostly followed up.
About :data:`COUPLES_PER_YEAR` couples a year at full scale, weddings from 2022 on.
Names and NIK are invented like the demo's other people (``demo/names.py``).
"""

import numpy as np

from tumbuh.db.bulk import ColumnValues
from tumbuh.demo.maternal import or_none
from tumbuh.demo.names import identity_numbers, person_names
from tumbuh.demo.places import Places
from tumbuh.growth.catin import catin_risks
from tumbuh.growth.who2006 import DAYS_PER_YEAR

COUPLES_PER_YEAR = 320
WEDDING_YEARS = (2022, 2023, 2024)
REGISTERED_BEFORE_DAYS = (85, 150)  # three to five months before the wedding
SCREENED_SHARE = 0.8
FOLLOWED_UP_SHARE = 0.85
FOLLOW_UPS = (
    "TTD 1 tablet seminggu, konseling gizi",
    "Konseling gizi dan PMT catin",
    "Rujuk ke puskesmas, konseling gizi",
)


def build_catin(
    rng: np.random.Generator, places: Places, scale: float, last_day: np.datetime64
) -> dict[str, ColumnValues]:
    """``catin`` columns: both partners of each couple, registered by the last day."""
    couples = max(2, round(COUPLES_PER_YEAR * scale))
    weddings: list[np.ndarray] = []
    for year in WEDDING_YEARS:
        start = np.datetime64(f"{year}-01-01")
        weddings.append(start + rng.integers(0, 365, couples).astype("timedelta64[D]"))
    wedding = np.sort(np.concatenate(weddings))
    registered = wedding - rng.integers(*REGISTERED_BEFORE_DAYS, wedding.shape[0]).astype(
        "timedelta64[D]"
    )
    wedding, registered = wedding[registered <= last_day], registered[registered <= last_day]
    m = int(wedding.shape[0])
    posyandu = rng.integers(0, places.posyandu_count, m)  # kelurahan by their posyandu
    kelurahan = [places.posyandu_kelurahan[p] for p in posyandu.tolist()]
    bride_age = np.clip(rng.normal(23.5, 3.5, m), 17, 38)
    groom_age = np.clip(bride_age + rng.normal(3.0, 2.5, m), 19, 50)
    # rows: brides then grooms
    female = np.concatenate([np.ones(m, dtype=bool), np.zeros(m, dtype=bool)])
    age = np.concatenate([bride_age, groom_age])
    both_wedding = np.concatenate([wedding, wedding])
    both_registered = np.concatenate([registered, registered])
    birth = both_wedding - (age * DAYS_PER_YEAR).astype("timedelta64[D]")
    n = 2 * m
    screened_on = both_registered + rng.integers(0, 31, n).astype("timedelta64[D]")
    screened = (rng.random(n) < SCREENED_SHARE) & (screened_on <= last_day)
    screened &= screened_on <= both_wedding
    height = np.where(female, rng.normal(153.5, 5.5, n), rng.normal(165.0, 6.0, n))
    bmi = np.clip(np.where(female, rng.normal(22.0, 3.6, n), rng.normal(23.0, 3.4, n)), 15, 40)
    muac = np.where(female, np.round(rng.normal(25.4, 2.7, n), 1), np.nan)
    hb = np.round(np.where(female, rng.normal(12.6, 1.3, n), rng.normal(14.6, 1.2, n)), 1)
    weight = np.round(bmi * (height / 100) ** 2, 1)
    at_risk = catin_risks(
        female=female,
        birth_date=birth,
        wedding_on=both_wedding,
        screened_on=screened_on,
        muac_cm=muac,
        hb_g_dl=hb,
        weight_kg=weight,
        height_cm=np.round(height, 1),
    ).at_risk.yes
    follow_on = screened_on + rng.integers(3, 22, n).astype("timedelta64[D]")
    followed = screened & at_risk & (rng.random(n) < FOLLOWED_UP_SHARE) & (follow_on <= last_day)
    text = np.array(FOLLOW_UPS, dtype=object)[rng.integers(0, len(FOLLOW_UPS), n)]
    digits = np.array([int(places.posyandu_kelurahan[p][7]) for p in posyandu.tolist()] * 2)
    return {
        "nik": identity_numbers(digits, birth, female),
        "name": person_names(rng, ~female),
        "birth_date": birth,
        "sex": np.where(female, "female", "male"),
        "kelurahan_code": kelurahan + kelurahan,
        "wedding_planned_on": both_wedding,
        "registered_on": both_registered,
        "screened_on": np.where(screened, screened_on, np.datetime64("NaT")),
        "muac_cm": np.where(screened, muac, np.nan),
        "hb_g_dl": np.where(screened, hb, np.nan),
        "weight_kg": np.where(screened, weight, np.nan),
        "height_cm": np.where(screened, np.round(height, 1), np.nan),
        "follow_up": or_none(followed, text),
        "follow_up_on": np.where(followed, follow_on, np.datetime64("NaT")),
    }
