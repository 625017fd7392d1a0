"""Building the whole demo city in memory: places, people, and 41 months of weighing.

Each part draws from its own random stream (spawned from the seed), and each month
from its own child stream, so that the same seed always gives the same city.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np

from tumbuh.db.derive import DerivedColumns, MeasurementArrays, derive
from tumbuh.db.models import RegionLevel
from tumbuh.db.regions import packaged_regions
from tumbuh.demo.attendance import MonthPlan, Visits, plan_month
from tumbuh.demo.calibrate import settle_round, solve_shift
from tumbuh.demo.measure import LastRecord, MonthRows, measured_values, plant_errors
from tumbuh.demo.people import People, build_people
from tumbuh.demo.places import Places, build_places
from tumbuh.demo.references import References, build_references
from tumbuh.demo.settings import MONTHS, DemoConfig, month_index, month_start, round_kind
from tumbuh.demo.trajectories import Latent, build_latent, monotone_spline

CITY_CODE = "36.72"


@dataclass(frozen=True)
class RoundFigure:
    """Children measured (valid length/height-for-age) and stunted in one month."""

    month: date
    measured: int
    stunted: int


@dataclass(frozen=True)
class City:
    """Everything generated, as columns ready for the database."""

    config: DemoConfig
    places: Places
    people: People
    latent: Latent
    measurement: dict[str, np.ndarray]
    derived: DerivedColumns
    planted: dict[str, np.ndarray]
    figures: tuple[RoundFigure, ...]
    references: References  # Buku KIA, target balita, local targets, survey figures

    def planted_counts(self) -> Counter[str]:
        """Planted errors per kind."""
        return Counter(str(k) for k in self.planted["kind"].tolist())


SEVERE_WHZ = -3.0  # gizi buruk (Permenkes 2/2020)
OEDEMA_SHARE = 0.2  # of such visits: oedematous malnutrition (kwashiorkor) is the rarer form
OEDEMA_AGE_DAYS = (183, 1826)  # 6 to 59 months


def build_city(config: DemoConfig) -> City:
    """Generate the demo city described by ``config`` (deterministic for its seed)."""
    # The sixth stream (reference figures) and the seventh (oedema) were added later;
    # spawning more leaves the first five, and so the whole calibrated city, unchanged.
    streams = np.random.SeedSequence(config.seed).spawn(7)
    rng_places, rng_people, rng_latent = (np.random.default_rng(s) for s in streams[:3])
    plan_streams = streams[3].spawn(MONTHS)
    measure_streams = streams[4].spawn(MONTHS)
    kelurahan = [
        r
        for r in packaged_regions()
        if r.level is RegionLevel.KELURAHAN and r.code.startswith(CITY_CODE + ".")
    ]
    balita = config.births_per_month * config.scale * 60
    places = build_places(rng_places, kelurahan, balita)
    people = build_people(rng_people, config, places)
    latent = build_latent(rng_latent, people)
    targets = {month_index(t.month): t for t in config.targets()}
    plans = [
        plan_month(
            np.random.default_rng(plan_streams[m]),
            m,
            round_kind(m),
            people,
            places,
            latent,
            config,
            targets.get(m),
        )
        for m in range(MONTHS)
    ]
    shifts = _trend(plans, latent)
    months = _weigh(plans, shifts, measure_streams, config, latent, people, places)
    measurement, planted = _columns(months, people)
    derived = derive(measurement_arrays(measurement, people, latent))
    _add_oedema(np.random.default_rng(streams[6]), measurement, derived, people, latent)
    return City(
        config=config,
        places=places,
        people=people,
        latent=latent,
        measurement=measurement,
        derived=derived,
        planted=planted,
        figures=_figures(measurement, derived),
        references=build_references(np.random.default_rng(streams[5]), people, places),
    )


def _trend(plans: list[MonthPlan], latent: Latent) -> np.ndarray:
    """City trend per month: solved at calibrated rounds, monotone spline in between."""
    known = [(p.index, solve_shift(p, latent)) for p in plans if p.target is not None]
    x = np.array([k[0] for k in known], dtype=np.float64)
    y = np.array([k[1] for k in known])
    trend = monotone_spline(x, y, np.arange(MONTHS, dtype=np.float64))
    for index, value in known:
        trend[index] = value  # exactly the solved value (the spline passes through it)
    return trend


def _weigh(
    plans: list[MonthPlan],
    shifts: np.ndarray,
    streams: list[np.random.SeedSequence],
    config: DemoConfig,
    latent: Latent,
    people: People,
    places: Places,
) -> list[MonthRows]:
    """Values, planted errors and settling, month after month (copies need last month)."""
    last = LastRecord.empty(people.child_birth.shape[0])
    months = []
    for plan in plans:
        rng = np.random.default_rng(streams[plan.index])
        shift = float(shifts[plan.index])
        rows = measured_values(rng, plan.visits, plan.index, shift, latent, people)
        plant_errors(rng, rows, plan.index, last, config.errors, places, people)
        rows = settle_round(rng, rows, plan, shift, latent, people, places, config)
        child = rows.visits.child
        last.month[child] = plan.index
        last.weight_kg[child] = rows.weight_kg
        last.height_cm[child] = rows.height_cm
        last.clean[child] = ~rows.has_error()
        months.append(rows)
    return months


def _columns(
    months: list[MonthRows], people: People
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Measurement and planted-error columns; measurement ids follow date, posyandu, child."""
    visits = Visits.join([m.visits for m in months])
    month_of_row = np.concatenate([np.full(len(m.visits), i) for i, m in enumerate(months)])
    posyandu = people.child_posyandu[visits.child]
    order = np.lexsort((visits.child, posyandu, visits.measured_on))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])

    def joined(name: str) -> np.ndarray:
        return np.concatenate([getattr(m, name) for m in months])[order]

    measurement = {
        "id": np.arange(1, order.shape[0] + 1),
        "child_id": visits.child[order] + 1,
        "measured_on": visits.measured_on[order],
        "round_id": month_of_row[order] + 1,
        "posyandu_id": posyandu[order],
        "kader_id": joined("kader"),
        "weight_kg": joined("weight_kg"),
        "height_cm": joined("height_cm"),
        "position": joined("position"),
        "muac_cm": joined("muac_cm"),
        "head_circumference_cm": joined("head_cm"),
    }
    offsets = np.cumsum([0] + [len(m.visits) for m in months])
    rows = np.concatenate(
        [np.asarray(m.planted_row, dtype=np.int64) + offsets[i] for i, m in enumerate(months)]
    )
    planted = {
        "measurement_id": rank[rows] + 1,
        "kind": np.array([k for m in months for k in m.planted_kind], dtype=object),
        "field": np.array([f for m in months for f in m.planted_field], dtype=object),
        "true_value": np.array([t for m in months for t in m.planted_true], dtype=object),
    }
    by_id = np.argsort(planted["measurement_id"], kind="stable")
    return measurement, {name: values[by_id] for name, values in planted.items()}


def measurement_arrays(
    measurement: dict[str, np.ndarray], people: People, latent: Latent
) -> MeasurementArrays:
    """The growth input of generated measurement columns (all rows, or a subset)."""
    child = measurement["child_id"] - 1
    n = child.shape[0]
    return MeasurementArrays(
        measurement_id=measurement["id"],
        child_id=measurement["child_id"],
        measured_on=measurement["measured_on"],
        birth_date=people.child_birth[child],
        sex=latent.sex_code[child],
        weight_kg=measurement["weight_kg"],
        height_cm=measurement["height_cm"],
        position=measurement["position"].astype(np.int8),
        oedema=measurement.get("oedema", np.zeros(n, dtype=bool)),
        muac_cm=measurement["muac_cm"],
        head_circumference_cm=measurement["head_circumference_cm"],
    )


def _add_oedema(
    rng: np.random.Generator,
    measurement: dict[str, np.ndarray],
    derived: DerivedColumns,
    people: People,
    latent: Latent,
) -> None:
    """Bilateral oedema at a share of the visits of children aged 6-59 months whose
    weight-for-length/height is below -3 SD (:data:`OEDEMA_SHARE`), and the derived values
    of those children again, in place (with oedema WHO computes no weight-based z-score).
    Length and height are untouched, so the calibrated stunting rounds stay as they are."""
    whz = np.asarray(derived["whz"], dtype=np.float64)
    flagged = np.asarray(derived["whz_flag"], dtype=np.float64) == 1
    age = np.asarray(derived["age_days"], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        severe = (whz < SEVERE_WHZ) & ~flagged & (age >= OEDEMA_AGE_DAYS[0])
        severe &= age < OEDEMA_AGE_DAYS[1]
    swollen = severe & (rng.random(whz.shape[0]) < OEDEMA_SHARE)
    measurement["oedema"] = swollen
    if not swollen.any():
        return
    children = np.unique(measurement["child_id"][swollen])
    rows = np.flatnonzero(np.isin(measurement["child_id"], children))
    again = derive(measurement_arrays({k: v[rows] for k, v in measurement.items()}, people, latent))
    for name, column in derived.items():
        if isinstance(column, np.ndarray) and column.shape[0] == whz.shape[0]:
            column[rows] = np.asarray(again[name])


def _figures(
    measurement: dict[str, np.ndarray], derived: DerivedColumns
) -> tuple[RoundFigure, ...]:
    """Measured and stunted per month (the demo weighs a child at most once a month)."""
    haz = np.asarray(derived["haz"], dtype=np.float64)
    flag = np.asarray(derived["haz_flag"], dtype=np.float64)
    valid = ~np.isnan(haz) & (flag == 0)
    month = measurement["round_id"] - 1
    measured = np.bincount(month[valid], minlength=MONTHS)
    stunted = np.bincount(month[valid & (haz < -2)], minlength=MONTHS)
    return tuple(
        RoundFigure(month_start(m), int(measured[m]), int(stunted[m])) for m in range(MONTHS)
    )
