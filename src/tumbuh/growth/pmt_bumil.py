"""PMT lokal for pregnant women with KEK (ibu hamil KEK): who may be fed, until when, and
whether she recovered (docs/domain.md §6 and §14, docs/pmt.md "Pregnant women with KEK").

The Kemenkes juknis PMT lokal (April 2023) feeds a pregnant woman with KEK (LiLA under
23.5 cm, :func:`tumbuh.growth.maternal.is_kek`) for **at least 120 days**
(:data:`tumbuh.growth.pmt.RULES`, indication ``pregnant_kek``). Tumbuh encodes:

* **Eligible**: a pregnancy that has not ended, whose **latest LiLA** (the last ANC visit
  with a LiLA, else the one at registration) is under 23.5 cm, and that is not already in
  an open episode. A pregnancy without a LiLA is unknown, never eligible by guess.
* **Planned end**: the planned days from the start (day 1 is the start day), or the day
  before delivery when the baby is due (HPL) or born earlier: PMT bumil feeds the
  pregnancy, not the mother after birth [verify: the juknis does not say what happens
  at delivery; Tumbuh ends the feeding there].
* **Recovered**: the LiLA at the end is **23.5 cm or more** (no longer KEK); under 23.5 cm
  is not recovered; no end LiLA is undecided. The 2025 slides (a third-party summary,
  [3p, provisional]) weigh women at weeks 0, 4, 8, 12 and 16 aiming at about 0.5 kg a
  week; the only rule Tumbuh can judge from the records is the LiLA.

Arrays in, arrays out, one element per pregnancy; a refusal is a :class:`BumilRefusal`
code (0: eligible).
"""

from datetime import date, timedelta
from enum import IntEnum

import numpy as np

from tumbuh.growth.maternal import KEK_MUAC_CM, is_kek
from tumbuh.growth.types import FloatArray, IntArray, MaybeValues


class BumilRefusal(IntEnum):
    """Why a pregnancy is not eligible for PMT bumil KEK (0: it is)."""

    NONE = 0
    ENDED = 1  # the pregnancy has ended (birth, miscarriage)
    NO_MUAC = 2  # no LiLA recorded: KEK unknown
    NOT_KEK = 3  # latest LiLA 23.5 cm or more
    ENROLLED = 4  # already in an open episode


def bumil_eligibility(
    *, ended: MaybeValues, muac_cm: MaybeValues, enrolled: MaybeValues
) -> IntArray:
    """Per pregnancy the :class:`BumilRefusal` code (0: eligible) from whether it has
    ended, its latest LiLA in cm (NaN: none) and whether it has an open episode; the first
    refusal in the enum's order wins."""
    done = np.asarray(ended, dtype=bool)
    kek = is_kek(muac_cm)
    taken = np.asarray(enrolled, dtype=bool)
    refusal = np.where(
        done,
        BumilRefusal.ENDED,
        np.where(
            ~kek.known,
            BumilRefusal.NO_MUAC,
            np.where(~kek.holds, BumilRefusal.NOT_KEK, np.where(taken, BumilRefusal.ENROLLED, 0)),
        ),
    )
    result: IntArray = refusal.astype(np.int64)
    return result


def latest_muac(registration_muac_cm: float | None, visits: list[tuple[date, float]]) -> float:
    """The latest LiLA of a pregnancy: that of the last dated visit that took one, else the
    one at registration; NaN when none was taken."""
    if visits:
        return float(max(visits, key=lambda v: v[0])[1])
    return float("nan") if registration_muac_cm is None else float(registration_muac_cm)


def bumil_last_day(started_on: date, planned_days: int, due_or_born: date | None) -> date:
    """The last day of feeding: the planned days' last (the start is day 1), or the day
    before the birth (or the HPL), whichever comes first; never before the start."""
    planned = started_on + timedelta(days=planned_days - 1)
    if due_or_born is None:
        return planned
    return max(started_on, min(planned, due_or_born - timedelta(days=1)))


def bumil_recovered(end_muac_cm: MaybeValues) -> FloatArray:
    """Per episode: 1.0 recovered (end LiLA at least 23.5 cm), 0.0 not (under 23.5 cm),
    NaN when no end LiLA was taken."""
    x = np.asarray(end_muac_cm, dtype=np.float64)
    result: FloatArray = np.where(np.isnan(x), np.nan, (x >= KEK_MUAC_CM).astype(np.float64))
    return result
