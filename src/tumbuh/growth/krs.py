"""Keluarga Risiko Stunting (KRS): BKKBN's PK21 target family and family at risk of
stunting (docs/domain.md §10).

* A **target family** has a PUS (wife 15-49), a pregnant woman, a child 0-23 months or a
  child 24-59 months (:func:`is_target_family`).
* It is **at risk** when any one criterion holds (:class:`KrsCriterion`): no safe drinking
  water, no safe latrine, or one of the wife's "4 Terlalu" (under 20, 35 or older, births
  less than 2 years apart, more than 3 children) (:func:`assess`).

Each criterion is stored on the family as yes / no / unknown (``tumbuh.db.models.Family``).
Unknown stays unknown: a family is at risk as soon as one known criterion holds, and not at
risk only when every criterion is known not to hold (:func:`~tumbuh.growth.tristate.any_of`).
"""

from dataclasses import dataclass
from enum import IntFlag

import numpy as np

from tumbuh.growth.tristate import TriState, any_of, from_values, judged, negate
from tumbuh.growth.types import IntArray, MaybeValues


class KrsCriterion(IntFlag):
    """The BKKBN PK21 risk criteria, one bit each."""

    NO_SAFE_DRINKING_WATER = 1
    NO_SAFE_LATRINE = 2
    WIFE_UNDER_20 = 4  # terlalu muda
    WIFE_35_OR_OLDER = 8  # terlalu tua
    BIRTH_SPACING_UNDER_2_YEARS = 16  # terlalu dekat
    MORE_THAN_3_CHILDREN = 32  # terlalu banyak


FOUR_TERLALU = (
    KrsCriterion.WIFE_UNDER_20
    | KrsCriterion.WIFE_35_OR_OLDER
    | KrsCriterion.BIRTH_SPACING_UNDER_2_YEARS
    | KrsCriterion.MORE_THAN_3_CHILDREN
)


@dataclass(frozen=True)
class KrsAssessment:
    """Per family: at risk or not (or unknown), and which criteria hold or are unknown."""

    at_risk: TriState
    criteria: IntArray  # KrsCriterion bits known to hold
    unknown: IntArray  # KrsCriterion bits not assessed

    def holds(self, criterion: KrsCriterion) -> TriState:
        """Whether ``criterion`` (one bit, or several: any of them) holds per family."""
        holds = (self.criteria & int(criterion)) != 0
        all_known = (self.unknown & int(criterion)) == 0
        return TriState(holds=holds, known=holds | all_known)

    def flags(self, row: int) -> KrsCriterion:
        """The criteria known to hold for family ``row``."""
        return KrsCriterion(int(self.criteria[row]))


def assess(
    *,
    has_safe_drinking_water: MaybeValues,
    has_safe_latrine: MaybeValues,
    wife_under_20: MaybeValues,
    wife_35_or_older: MaybeValues,
    birth_spacing_under_2_years: MaybeValues,
    more_than_3_children: MaybeValues,
) -> KrsAssessment:
    """Judge each family from its stored criteria (True, False, None per family).

    Water and latrine are stored as "has a safe one", so their criteria are the negation.
    """
    parts = {
        KrsCriterion.NO_SAFE_DRINKING_WATER: negate(from_values(has_safe_drinking_water)),
        KrsCriterion.NO_SAFE_LATRINE: negate(from_values(has_safe_latrine)),
        KrsCriterion.WIFE_UNDER_20: from_values(wife_under_20),
        KrsCriterion.WIFE_35_OR_OLDER: from_values(wife_35_or_older),
        KrsCriterion.BIRTH_SPACING_UNDER_2_YEARS: from_values(birth_spacing_under_2_years),
        KrsCriterion.MORE_THAN_3_CHILDREN: from_values(more_than_3_children),
    }
    shape = np.broadcast_shapes(*(state.holds.shape for state in parts.values()))
    criteria = np.zeros(shape, dtype=np.int64)
    unknown = np.zeros(shape, dtype=np.int64)
    for bit, state in parts.items():
        criteria |= np.where(state.yes, int(bit), 0)
        unknown |= np.where(state.unknown, int(bit), 0)
    at_risk = any_of(*(_broadcast(state, shape) for state in parts.values()))
    return KrsAssessment(at_risk=at_risk, criteria=criteria, unknown=unknown)


def is_target_family(
    *,
    has_pus: MaybeValues,
    has_pregnant_woman: MaybeValues,
    has_child_0_23_months: MaybeValues,
    has_child_24_59_months: MaybeValues,
) -> TriState:
    """A PK21 target family: any of a PUS (wife 15-49), a pregnant woman, a child 0-23
    months or a child 24-59 months (True, False, None per family; unknown stays unknown)."""
    parts = [
        from_values(has_pus),
        from_values(has_pregnant_woman),
        from_values(has_child_0_23_months),
        from_values(has_child_24_59_months),
    ]
    shape = np.broadcast_shapes(*(state.holds.shape for state in parts))
    return any_of(*(_broadcast(state, shape) for state in parts))


PUS_AGE_YEARS = (15, 49)  # PUS: a couple whose wife is 15 to 49 years old (BKKBN)


def is_pus_age(wife_age_years: MaybeValues) -> TriState:
    """The wife's age (completed years) makes the couple a PUS: 15 to 49 inclusive."""
    age = np.asarray(wife_age_years, dtype=np.float64)
    known = ~np.isnan(age)
    value = np.nan_to_num(age, nan=-1.0)
    return judged((value >= PUS_AGE_YEARS[0]) & (value <= PUS_AGE_YEARS[1]), known)


PREGNANCY_WEEKS_AT_MOST = 45  # a pregnancy not ended this long after its HPHT is not going on


def pregnant_on(hpht: MaybeValues, ended_on: MaybeValues, *, on: np.datetime64) -> TriState:
    """Whether each pregnancy is going on at ``on`` (for the target family's "a pregnant
    woman"): its HPHT has come, it has not ended, and it began less than 45 weeks ago (a
    pregnancy whose end was never recorded does not count for ever). Unknown without HPHT."""
    start = np.asarray(hpht, dtype="datetime64[D]")
    end = np.asarray(ended_on, dtype="datetime64[D]")
    days = (on.astype("datetime64[D]") - start).astype(np.float64)
    going = (days >= 0) & (days < PREGNANCY_WEEKS_AT_MOST * 7) & (np.isnat(end) | (end > on))
    ended_before = ~np.isnat(end) & (end <= on)
    return judged(going, ~np.isnat(start) | ended_before)


def _broadcast(state: TriState, shape: tuple[int, ...]) -> TriState:
    return TriState(
        holds=np.broadcast_to(state.holds, shape), known=np.broadcast_to(state.known, shape)
    )
