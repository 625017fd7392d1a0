"""Calibration: the city trend that hits each published round, and the exact settling.

For a calibrated round the trend (a shift of every child's length/height-for-age
z-score in that calendar month) is chosen so that exactly the published number of the
drawn children fall below -2 SD before rounding; rounding to 0.1 cm and the planted
errors then move a few children across the line, which ``settle_round`` puts right.
"""

import numpy as np

from tumbuh.demo.attendance import MonthPlan, visits_for
from tumbuh.demo.measure import (
    MAX_NUDGE_STEPS,
    STUNTED_BELOW,
    MonthRows,
    haz_and_flag,
    measured_values,
)
from tumbuh.demo.people import People
from tumbuh.demo.places import Places
from tumbuh.demo.settings import DemoConfig
from tumbuh.demo.trajectories import Latent
from tumbuh.growth.types import FloatArray, IntArray


def solve_shift(plan: MonthPlan, latent: Latent) -> float:
    """Trend of a calibrated month: exactly ``target.stunted`` drawn children below -2."""
    if plan.target is None:
        raise ValueError("only calibrated months have a target")
    visits = plan.visits
    base = np.sort(latent.haz(visits.child, visits.age_days) + visits.haz_noise)
    k = plan.target.stunted
    if k == 0:
        return float(STUNTED_BELOW - base[0] + 0.05)
    if k >= base.shape[0]:
        return float(STUNTED_BELOW - base[-1] - 0.05)
    return float(STUNTED_BELOW - (base[k - 1] + base[k]) / 2)


def _append(rows: MonthRows, extra: MonthRows) -> MonthRows:
    offset = len(rows.visits)
    joined = MonthRows(
        visits=rows.visits.join([rows.visits, extra.visits]),
        weight_kg=np.concatenate([rows.weight_kg, np.round(extra.weight_kg, 1)]),
        height_cm=np.concatenate([rows.height_cm, extra.height_cm]),
        position=np.concatenate([rows.position, extra.position]),
        muac_cm=np.concatenate([rows.muac_cm, extra.muac_cm]),
        head_cm=np.concatenate([rows.head_cm, extra.head_cm]),
        kader=np.concatenate([rows.kader, extra.kader]),
    )
    joined.planted_row = rows.planted_row + [r + offset for r in extra.planted_row]
    joined.planted_kind = rows.planted_kind + extra.planted_kind
    joined.planted_field = rows.planted_field + extra.planted_field
    joined.planted_true = rows.planted_true + extra.planted_true
    return joined


def _drop(rows: MonthRows, drop: IntArray) -> MonthRows:
    keep = np.ones(len(rows.visits), dtype=bool)
    keep[drop] = False
    new_index = np.cumsum(keep) - 1
    kept = MonthRows(
        visits=rows.visits.take(keep),
        weight_kg=rows.weight_kg[keep],
        height_cm=rows.height_cm[keep],
        position=rows.position[keep],
        muac_cm=rows.muac_cm[keep],
        head_cm=rows.head_cm[keep],
        kader=rows.kader[keep],
    )
    kept.planted_row = [int(new_index[r]) for r in rows.planted_row]  # planted rows are kept
    kept.planted_kind = rows.planted_kind
    kept.planted_field = rows.planted_field
    kept.planted_true = rows.planted_true
    return kept


def settle_round(
    rng: np.random.Generator,
    rows: MonthRows,
    plan: MonthPlan,
    shift: float,
    latent: Latent,
    people: People,
    places: Places,
    config: DemoConfig,
) -> MonthRows:
    """Make the round's measured and stunted counts exactly the published ones."""
    target = plan.target
    if target is None:
        return rows
    used = 0
    while True:
        z, flag = haz_and_flag(rows, latent)
        valid = ~np.isnan(z) & (flag == 0)
        missing = target.measured - int(valid.sum())
        if missing <= 0:
            break
        extra_children = plan.reserve[used : used + missing]
        if extra_children.shape[0] == 0:
            raise RuntimeError(f"month {plan.index}: reserve exhausted")
        used += missing
        visits = visits_for(rng, plan.index, plan.kind, extra_children, people, places, config)
        rows = _append(rows, measured_values(rng, visits, plan.index, shift, latent, people))
    if missing < 0:
        candidates = np.flatnonzero(valid & ~rows.has_error())
        rows = _drop(rows, rng.choice(candidates, -missing, replace=False))
        z, flag = haz_and_flag(rows, latent)
        valid = ~np.isnan(z) & (flag == 0)
    _nudge(rows, z, valid, target.stunted, latent)
    return rows


def _nudge(rows: MonthRows, z: FloatArray, valid: np.ndarray, stunted: int, latent: Latent) -> None:
    """Move the heights nearest to -2 SD by 0.1 cm until exactly ``stunted`` are below."""
    below = valid & (z < STUNTED_BELOW)
    surplus = int(below.sum()) - stunted
    if surplus == 0:
        return
    clean = valid & ~rows.has_error()
    if surplus > 0:  # too many stunted: lengthen the stunted children closest to -2
        pool = np.flatnonzero(clean & below)
        chosen, step = pool[np.argsort(-z[pool], kind="stable")][:surplus], 0.1
    else:
        pool = np.flatnonzero(clean & ~below)
        chosen, step = pool[np.argsort(z[pool], kind="stable")][:-surplus], -0.1
    for _ in range(MAX_NUDGE_STEPS):
        rows.height_cm[chosen] = np.round(rows.height_cm[chosen] + step, 1)
        new_z, _ = haz_and_flag(rows, latent, chosen)
        crossed = (new_z >= STUNTED_BELOW) if step > 0 else (new_z < STUNTED_BELOW)
        chosen = chosen[~crossed]
        if chosen.shape[0] == 0:
            return
    raise RuntimeError("calibration could not move the heights across -2 SD")
