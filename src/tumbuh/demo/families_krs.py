"""The KRS record of the demo's families and the TPK's visits to those at risk (issue 15).

``demo/people.py`` gives every family the facts of BKKBN PK21 (water, latrine, the
wife's age, birth spacing, family size): about 40 % of the families would be at risk
from them. Cilegon reported **11,636 families at risk, 14.01 % of its target families,
in 2024** (docs/domain.md §10). The demo keeps the register's record at that share: of
the target families (docs/domain.md §14) exactly round(14.01 % × target families) keep
their criteria, drawn with more weight for families with more criteria holding (so the
children's growth, which the facts lowered, still goes with KRS); the other families
with a criterion are recorded with all six as not holding (the enumerator did not
record them). Families not assessed stay unknown and count among the target families.

The TPK (Tim Pendamping Keluarga) visits the families at risk in 2023 and 2024, one to
four times, and writes what it advised or gave by their criteria.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.db.bulk import ColumnValues
from tumbuh.db.models_maternal import TpkAction
from tumbuh.demo.names import person_names
from tumbuh.demo.people import People
from tumbuh.growth.krs import KrsCriterion, assess, is_pus_age, is_target_family
from tumbuh.growth.who2006 import DAYS_PER_YEAR

KRS_SHARE = 0.1401  # Cilegon 2024: 11,636 families, 14.01 % (tribun banten, 24 Dec 2024)
CRITERIA = (
    "has_safe_drinking_water",
    "has_safe_latrine",
    "wife_under_20",
    "wife_35_or_older",
    "birth_spacing_under_2_years",
    "more_than_3_children",
)
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


def build_krs(rng: np.random.Generator, people: People, last_day: np.datetime64) -> KrsRecords:
    """The families' recorded criteria at :data:`KRS_SHARE` and the TPK visits."""
    family = people.family
    facts = assess(**{name: np.asarray(family[name], dtype=object) for name in CRITERIA})
    target = target_families(people, last_day)
    holds = facts.at_risk.yes
    count = round(KRS_SHARE * int(target.sum()))
    weight = 1.0 + np.bitwise_count(facts.criteria.astype(np.uint64)).astype(np.float64)
    keys = np.where(holds & target, rng.random(holds.shape[0]) ** (1.0 / weight), -1.0)
    keep = np.zeros(holds.shape[0], dtype=bool)
    keep[np.argsort(-keys, kind="stable")[:count]] = True
    keep &= holds & target
    cleared = holds & ~keep
    recorded: dict[str, ColumnValues] = {}
    for name in CRITERIA:
        values = np.asarray(family[name], dtype=object).copy()
        values[cleared] = name.startswith("has_")  # "has safe water" yes; a Terlalu no
        recorded[name] = values
    visit, action = _tpk_visits(rng, people, np.flatnonzero(keep), facts.criteria, last_day)
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
