"""The KRS record of the demo's families and the TPK's visits to those at risk (issue 15).

Each family's record is judged on its PK21 assessment day (``krs_assessed_on`` from
``demo/people.py``; families not assessed keep every criterion unknown):

* the **4 Terlalu come from the demo's own facts** (:func:`terlalu_from_facts`): the
  wife's age in completed years on that day (under 20, 35 or older), the spacing of the
  last two of her children born by then (under 2 years) and how many were born by then
  (more than 3), by :func:`tumbuh.growth.maternal.four_terlalu`. The register knows only
  the children born in the demo's window, so "terlalu banyak" is rare here;
* **water and latrine have no other fact**, so they carry the calibration: Cilegon
  reported **11,636 families at risk (14.01 % of its target families) in 2024**
  (docs/domain.md §10). The demo keeps :data:`KRS_FAMILIES` x scale of its target
  families at risk: the families at risk from a Terlalu stay so (their drawn water and
  latrine kept), and as many other assessed target families as are still needed keep an
  unsafe water or latrine, drawn first among those whose draw was unsafe (so the
  children's growth, which the draws lowered, still goes with KRS); the others are
  recorded safe. When the Terlalu alone pass the count, no family gets an unsafe water or
  latrine outside them and the count is what the facts give (:func:`build_krs`).

Cilegon's 14.01 % is of all its PK21 target families (83,056, every couple with a wife of
15-49); the demo's register holds only the families of its children and pregnant women,
so the same count is a larger share of them (docs/demo-city.md).

The TPK (Tim Pendamping Keluarga) visits the families at risk in 2023 and 2024, one to
four times, and writes what it advised or gave by their criteria.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.db.bulk import ColumnValues
from tumbuh.db.models_maternal import TpkAction
from tumbuh.demo.maternal import or_none
from tumbuh.demo.names import person_names
from tumbuh.demo.people import People
from tumbuh.growth.ages import completed_months_or_nan
from tumbuh.growth.krs import KrsCriterion, assess, is_pus_age, is_target_family
from tumbuh.growth.maternal import birth_spacing_months, four_terlalu
from tumbuh.growth.who2006 import DAYS_PER_YEAR

KRS_FAMILIES = 11_636  # Cilegon 2024: 11,636 families, 14.01 % (tribun banten, 24 Dec 2024)
KRS_SHARE = 0.1401  # ... of Cilegon's 83,056 PK21 target families
CRITERIA = (
    "has_safe_drinking_water",
    "has_safe_latrine",
    "wife_under_20",
    "wife_35_or_older",
    "birth_spacing_under_2_years",
    "more_than_3_children",
)
TERLALU = CRITERIA[2:]
TPK_FROM = np.datetime64("2023-01-01")
TPK_VISITS = (1, 5)  # 1 to 4 visits per family at risk


@dataclass(frozen=True)
class KrsRecords:
    """New family criteria columns, TPK visits and their actions."""

    family: dict[str, ColumnValues]
    visit: dict[str, ColumnValues]
    action: dict[str, ColumnValues]


def target_families(people: People, on: np.datetime64) -> np.ndarray:
    """Whether each family is a PK21 target family on ``on`` (unknown counts as no)."""
    families = len(people.mother_name)
    age = np.floor((on - people.mother_birth).astype(np.float64) / DAYS_PER_YEAR)
    child_age = (on - people.child_birth).astype(np.float64) / (DAYS_PER_YEAR / 12)
    born = child_age >= 0
    young = np.zeros(families, dtype=bool)
    older = np.zeros(families, dtype=bool)
    young[people.child_mother[born & (child_age < 24)] - 1] = True
    older[people.child_mother[born & (child_age >= 24) & (child_age < 60)] - 1] = True
    pregnant = np.zeros(families, dtype=bool)
    ended = np.asarray(people.pregnancy["ended_on"], dtype="datetime64[D]")
    hpht = np.asarray(people.pregnancy["hpht"], dtype="datetime64[D]")
    going = (hpht <= on) & (np.isnat(ended) | (ended > on))
    pregnant[np.asarray(people.pregnancy["mother_id"], dtype=np.int64)[going] - 1] = True
    state = is_target_family(
        has_pus=is_pus_age(age).yes,
        has_pregnant_woman=pregnant,
        has_child_0_23_months=young,
        has_child_24_59_months=older,
    )
    result: np.ndarray = state.yes
    return result


def terlalu_from_facts(people: People) -> dict[str, np.ndarray]:
    """The 4 Terlalu of each family on its assessment day, from the wife's birth date and
    her children's (True/False; None where the family was not assessed)."""
    families = len(people.mother_name)
    on = np.asarray(people.family["krs_assessed_on"], dtype="datetime64[D]")
    assessed = ~np.isnat(on)
    age = np.floor(completed_months_or_nan(people.mother_birth, on) / 12)
    mother = people.child_mother
    born = assessed[mother - 1] & (people.child_birth <= on[mother - 1])
    children = np.bincount(mother[born] - 1, minlength=families).astype(np.float64)
    index = np.flatnonzero(born)
    index = index[np.lexsort((people.child_birth[index], mother[index]))]
    who = mother[index]
    last = np.flatnonzero((np.r_[who[1:] != who[:-1], True]) & np.r_[False, who[1:] == who[:-1]])
    spacing = np.full(families, np.nan)
    spacing[who[last] - 1] = birth_spacing_months(
        people.child_birth[index[last - 1]], people.child_birth[index[last]]
    )
    state = four_terlalu(age_years=age, spacing_months=spacing, children=children)
    flags = (state.muda, state.tua, state.dekat, state.banyak)
    return {
        name: or_none(assessed & flag.known, flag.yes)
        for name, flag in zip(TERLALU, flags, strict=True)
    }


def build_krs(
    rng: np.random.Generator, people: People, last_day: np.datetime64, scale: float
) -> KrsRecords:
    """The families' recorded criteria (see the module doc) and the TPK visits."""
    recorded: dict[str, ColumnValues] = dict(terlalu_from_facts(people))
    terlalu = np.logical_or.reduce([recorded[name] == True for name in TERLALU])  # noqa: E712
    drawn = {name: np.asarray(people.family[name], dtype=object) for name in CRITERIA[:2]}
    assessed = ~np.isnat(np.asarray(people.family["krs_assessed_on"], dtype="datetime64[D]"))
    target = target_families(people, last_day)
    need = round(KRS_FAMILIES * scale) - int((terlalu & target).sum())
    unsafe = (drawn["has_safe_drinking_water"] == False) | (  # noqa: E712
        drawn["has_safe_latrine"] == False  # noqa: E712
    )
    free = assessed & target & ~terlalu
    keys = np.where(free, rng.random(terlalu.shape[0]) + unsafe, -1.0)  # unsafe draws first
    chosen = np.zeros(terlalu.shape[0], dtype=bool)
    chosen[np.argsort(-keys, kind="stable")[: max(need, 0)]] = True
    chosen &= free
    latrine_only = chosen & ~unsafe  # no unsafe draw: an unsafe latrine, the commoner lack
    for name, values in drawn.items():
        kept = np.where(terlalu | chosen, values, or_none(assessed, True))
        if name == "has_safe_latrine":
            kept = np.where(latrine_only, False, kept)
        recorded[name] = kept
    facts = assess(**{name: np.asarray(recorded[name], dtype=object) for name in CRITERIA})
    at_risk = np.flatnonzero(facts.at_risk.yes)
    visit, action = _tpk_visits(rng, people, at_risk, facts.criteria, last_day)
    return KrsRecords(family=recorded, visit=visit, action=action)


def _tpk_visits(
    rng: np.random.Generator,
    people: People,
    at_risk: np.ndarray,
    criteria: np.ndarray,
    last_day: np.datetime64,
) -> tuple[dict[str, ColumnValues], dict[str, ColumnValues]]:
    count = rng.integers(*TPK_VISITS, at_risk.shape[0])
    family = np.repeat(at_risk, count)
    span = int((last_day - TPK_FROM).astype(np.int64)) + 1
    day = TPK_FROM + rng.integers(0, span, family.shape[0]).astype("timedelta64[D]")
    order = np.lexsort((day, family))
    family, day = family[order], day[order]
    unique = np.ones(family.shape[0], dtype=bool)
    unique[1:] = (family[1:] != family[:-1]) | (day[1:] != day[:-1])
    family, day = family[unique], day[unique]
    n = int(family.shape[0])
    member = person_names(rng, rng.random(n) < 0.2)  # TPK: a bidan, a PKK cadre, a KB cadre
    visit_ids = np.arange(1, n + 1)
    bits = criteria[family]
    wants = {
        TpkAction.NUTRITION_COUNSELLING: rng.random(n) < 0.8,
        TpkAction.SANITATION: (
            bits & (KrsCriterion.NO_SAFE_DRINKING_WATER | KrsCriterion.NO_SAFE_LATRINE)
        )
        != 0,
        TpkAction.FAMILY_PLANNING: ((bits & ~3) != 0) & (rng.random(n) < 0.7),
        TpkAction.POSYANDU_INVITATION: rng.random(n) < 0.4,
        TpkAction.SOCIAL_AID: rng.random(n) < 0.1,
        TpkAction.REFERRAL: rng.random(n) < 0.05,
    }
    ids: list[np.ndarray] = []
    names: list[np.ndarray] = []
    for action, chosen in wants.items():
        ids.append(visit_ids[chosen])
        names.append(np.full(int(chosen.sum()), action.value, dtype=object))
    none = ~np.logical_or.reduce(list(wants.values()))
    ids.append(visit_ids[none])
    names.append(np.full(int(none.sum()), TpkAction.NUTRITION_COUNSELLING.value, dtype=object))
    visits: dict[str, ColumnValues] = {
        "id": visit_ids,
        "family_id": family + 1,
        "visited_on": day,
        "tpk_member": member,
    }
    return visits, {"visit_id": np.concatenate(ids), "action": np.concatenate(names)}
