"""Which questions of a young child's monthly record apply at its age (docs/domain.md §14,
"A child's month"): exclusive breastfeeding (ASI eksklusif), complementary feeding
(MP-ASI), vitamin A and the KPSP development screening; and the checks of the day basic
immunisation was complete.

Ages are completed months (:mod:`tumbuh.growth.ages`). A record belongs to a calendar
month, not a day, and a child has two ages in most months (it turns one month older on
its monthly birthday): a question applies in a month when it applies at either age, the
child's age on the month's first day or on its last day. So a child who turns 6 months
in the month may be asked about ASI eksklusif (before that day) and MP-ASI (after it).

Sources: Buku KIA 2020 and Permenkes 2/2020 for ASI eksklusif under 6 months and MP-ASI
from 6 months (Perpres 72/2021, Annex A, counts them at 0-5 and 6-23 completed months);
Kemenkes' vitamin A guidance (Panduan Manajemen Suplementasi Vitamin A, 2016): capsules in
February and August, blue (100,000 IU) at 6-11 months, red (200,000 IU) at 12-59 months;
SDIDTK (Pedoman Stimulasi, Deteksi dan Intervensi Dini Tumbuh Kembang Anak, Kemenkes 2016):
KPSP at 3, 6, 9, 12, 15, 18, 21, 24, 30, 36, 42, 48, 54, 60, 66 and 72 months.
"""

from datetime import date
from enum import StrEnum

import numpy as np

from tumbuh.growth.ages import BADUTA_MONTHS, BALITA_MONTHS, completed_months
from tumbuh.growth.types import BoolArray, MaybeValues

EXCLUSIVE_BREASTFEEDING_MONTHS = (0, 5)  # completed months, inclusive: under 6 months
COMPLEMENTARY_FEEDING_MONTHS = (6, BADUTA_MONTHS - 1)  # 6-23 completed months
VITAMIN_A_CALENDAR_MONTHS = (2, 8)  # February and August
VITAMIN_A_MONTHS = (6, BALITA_MONTHS - 1)  # 6-59 completed months
BLUE_CAPSULE_MONTHS = (6, 11)  # 100,000 IU; red (200,000 IU) from 12 months
KPSP_AGES_MONTHS = (3, 6, 9, 12, 15, 18, 21, 24, 30, 36, 42, 48, 54, 60, 66, 72)


class MonthQuestion(StrEnum):
    """A question of a child's monthly record; the value is its field's name."""

    EXCLUSIVE_BREASTFEEDING = "exclusive_breastfeeding"
    COMPLEMENTARY_FEEDING = "complementary_feeding"
    VITAMIN_A = "vitamin_a_given"
    KPSP = "kpsp_result"


class KpspResult(StrEnum):
    """The result of a KPSP development screening, as the health worker wrote it (SDIDTK:
    9-10 "yes" answers sesuai, 7-8 meragukan, 6 or fewer penyimpangan)."""

    SESUAI = "sesuai"  # development as expected for the age
    MERAGUKAN = "meragukan"  # doubtful: screen again in two weeks
    PENYIMPANGAN = "penyimpangan"  # possible deviation: refer


class VitaminACapsule(StrEnum):
    """The vitamin A capsule for an age: blue 100,000 IU or red 200,000 IU."""

    BLUE = "blue"
    RED = "red"


def _between(months: MaybeValues, bounds: tuple[int, int]) -> BoolArray:
    age = np.asarray(months, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        result: BoolArray = (age >= bounds[0]) & (age <= bounds[1])
    return result


def asked_at(
    question: MonthQuestion, age_months: MaybeValues, calendar_month: MaybeValues
) -> BoolArray:
    """True where ``question`` is asked of a child ``age_months`` completed months old in
    calendar month ``calendar_month`` (1-12); False where the age is unknown (NaN/None)."""
    if question is MonthQuestion.EXCLUSIVE_BREASTFEEDING:
        return _between(age_months, EXCLUSIVE_BREASTFEEDING_MONTHS)
    if question is MonthQuestion.COMPLEMENTARY_FEEDING:
        return _between(age_months, COMPLEMENTARY_FEEDING_MONTHS)
    if question is MonthQuestion.VITAMIN_A:
        month = np.asarray(calendar_month, dtype=np.float64)
        in_season: BoolArray = np.isin(month, VITAMIN_A_CALENDAR_MONTHS)
        result: BoolArray = in_season & _between(age_months, VITAMIN_A_MONTHS)
        return result
    kpsp: BoolArray = np.isin(np.asarray(age_months, dtype=np.float64), KPSP_AGES_MONTHS)
    return kpsp


def vitamin_a_capsule(age_months: MaybeValues) -> np.ndarray:
    """The capsule for each age (:class:`VitaminACapsule`), None outside 6-59 months."""
    result = np.full(np.shape(np.asarray(age_months, dtype=np.float64)), None, dtype=object)
    result[_between(age_months, BLUE_CAPSULE_MONTHS)] = VitaminACapsule.BLUE
    result[_between(age_months, (BLUE_CAPSULE_MONTHS[1] + 1, VITAMIN_A_MONTHS[1]))] = (
        VitaminACapsule.RED
    )
    return result


def ages_in_month(birth_date: date, month: date) -> tuple[int, int]:
    """The child's completed months on the first and on the last day of ``month`` (a
    month's first day); negative before the child was born."""
    last = (np.datetime64(month, "M") + 1).astype("datetime64[D]") - 1
    days = np.array([np.datetime64(month, "D"), last])
    ages = completed_months(np.array([birth_date, birth_date], "datetime64[D]"), days)
    return int(ages[0]), int(ages[1])


def questions_in_month(birth_date: date, month: date) -> tuple[MonthQuestion, ...]:
    """The questions that apply to a child born on ``birth_date`` in ``month`` (its first
    day), in :class:`MonthQuestion`'s order: those asked at either age the child has in
    the month (:func:`ages_in_month`)."""
    ages = np.array(ages_in_month(birth_date, month), dtype=np.float64)
    return tuple(q for q in MonthQuestion if bool(asked_at(q, ages, month.month).any()))


def capsule_in_month(birth_date: date, month: date) -> VitaminACapsule | None:
    """The vitamin A capsule of the child in ``month`` (None when not asked): red as soon
    as the child is 12 months old at some day of the month."""
    if MonthQuestion.VITAMIN_A not in questions_in_month(birth_date, month):
        return None
    capsules = vitamin_a_capsule(np.array(ages_in_month(birth_date, month)))
    return VitaminACapsule.RED if VitaminACapsule.RED in capsules else VitaminACapsule.BLUE


class ImmunisationDay(StrEnum):
    """Why a day of complete basic immunisation is refused (None: accepted)."""

    BEFORE_BIRTH = "before_birth"
    IN_FUTURE = "in_future"


def immunisation_day_problem(day: date, birth_date: date, today: date) -> ImmunisationDay | None:
    """What is wrong with ``day`` as the day basic immunisation was complete: not before
    the birth (hepatitis B 0 is given on the birth day), not after ``today``."""
    if day < birth_date:
        return ImmunisationDay.BEFORE_BIRTH
    if day > today:
        return ImmunisationDay.IN_FUTURE
    return None
