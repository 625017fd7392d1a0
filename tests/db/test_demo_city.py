"""The demo city: exact calibration, determinism, plausible structure, planted errors."""

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, select, text

from tumbuh.db.derive import REFERENCE_WHO2006
from tumbuh.db.engine import create_engine
from tumbuh.db.measurements import count_rows, recompute_derived
from tumbuh.db.models import (
    DemoPlantedError,
    Measurement,
    MeasurementDerived,
    Posyandu,
    Puskesmas,
    PuskesmasArea,
    table_of,
)
from tumbuh.db.prevalence import stunting_prevalence
from tumbuh.demo.generate import generate_demo_city
from tumbuh.demo.settings import PUBLISHED_ROUNDS, CalibrationTarget, DemoConfig
from tumbuh.errors import InputError
from tumbuh.growth.periods import month_period

SMALL = DemoConfig(seed=11, scale=0.02)
DUMPED = (
    "child",
    "mother",
    "family",
    "pregnancy",
    "posyandu",
    "measurement",
    "kitchen",
    "kitchen_funding",
    "pmt_episode",
    "pmt_serving",
)


def _round_counts(engine: Engine, month: date) -> tuple[int, int]:
    with engine.connect() as connection:
        city = stunting_prevalence(
            connection, month_period(month.year, month.month), city_code="36.72"
        )[0]
    return city.measured, city.stunted


def _digest(engine: Engine) -> str:
    """A fingerprint of the generated records (every row of the main tables, in id order)."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in (*DUMPED, "measurement_derived"):
            key = "measurement_id" if table == "measurement_derived" else "id"
            for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY {key}")):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_a_small_city_reproduces_the_scaled_published_rounds_exactly(
    empty_engine: Engine,
) -> None:
    generate_demo_city(empty_engine, SMALL)
    for target in SMALL.targets():
        assert _round_counts(empty_engine, target.month) == (target.measured, target.stunted)


def test_the_same_seed_gives_the_same_city_and_another_seed_another(
    new_database_url: Callable[[str], str],
) -> None:
    engines = [create_engine(new_database_url("sqlite")) for _ in range(3)]
    for engine, seed in zip(engines, (11, 11, 12), strict=True):
        generate_demo_city(engine, DemoConfig(seed=seed, scale=0.02))
    first, again, other = (_digest(engine) for engine in engines)
    assert first == again
    assert first != other


def test_the_city_has_cilegons_places(empty_engine: Engine) -> None:
    generate_demo_city(empty_engine, SMALL)
    with empty_engine.connect() as connection:
        assert count_rows(connection, Puskesmas) == 9
        assert count_rows(connection, PuskesmasArea) == 43
        p = table_of(Posyandu)
        kelurahan = connection.execute(select(func.count(func.distinct(p.c.kelurahan_code))))
        assert kelurahan.scalar_one() == 43
        assert count_rows(connection, MeasurementDerived) == count_rows(connection, Measurement)
        d = table_of(MeasurementDerived)
        references = connection.execute(select(func.distinct(d.c.reference))).scalars().all()
        assert references == [REFERENCE_WHO2006]


def test_stored_derived_values_equal_a_recompute(empty_engine: Engine) -> None:
    generate_demo_city(empty_engine, SMALL)
    before = _digest(empty_engine)
    with empty_engine.begin() as connection:
        recompute_derived(connection)
    assert _digest(empty_engine) == before


def test_a_registry_with_children_is_only_replaced_on_request(empty_engine: Engine) -> None:
    generate_demo_city(empty_engine, SMALL)
    with pytest.raises(InputError, match="--replace"):
        generate_demo_city(empty_engine, SMALL)
    other = DemoConfig(seed=12, scale=0.02)
    generate_demo_city(empty_engine, other, replace=True)
    for target in other.targets():
        assert _round_counts(empty_engine, target.month) == (target.measured, target.stunted)


def _planted(connection: Connection, kind: str) -> list[tuple[Any, ...]]:
    query = text(
        "SELECT m.weight_kg, m.height_cm, m.position, d.age_days, e.true_value, m.child_id, "
        "m.measured_on FROM demo_planted_error e JOIN measurement m ON m.id = e.measurement_id "
        "JOIN measurement_derived d ON d.measurement_id = m.id WHERE e.kind = :kind"
    )
    return [tuple(row) for row in connection.execute(query, {"kind": kind})]


def test_planted_errors_are_what_their_record_says(empty_engine: Engine) -> None:
    generate_demo_city(empty_engine, DemoConfig(seed=11, scale=0.05))
    with empty_engine.connect() as connection:
        grams = _planted(connection, "weight_in_grams")
        assert grams
        assert all(row[0] is not None and row[0] > 1000 for row in grams)
        wrong = _planted(connection, "wrong_position")
        # Standing before 731 days or lying from 731 days on, at 18-30 months.
        assert all((row[2] == "h") == (int(row[3] or 0) < 731) for row in wrong)
        assert all(548 <= int(row[3] or 0) <= 913 for row in wrong)
        rounded = [float(r[4] or "nan") for r in _planted(connection, "digit_preference")]
        assert rounded
        assert all(value * 2 != round(value * 2) for value in rounded)  # was not on .0/.5
        copied = _planted(connection, "copied_values")
        assert copied
        for weight, height, _, _, _, child, day in copied:
            previous = connection.execute(
                text(
                    "SELECT weight_kg, height_cm FROM measurement WHERE child_id = :c "
                    "AND measured_on < :d ORDER BY measured_on DESC LIMIT 1"
                ),
                {"c": child, "d": day},
            ).one()
            assert (weight, height) == tuple(previous)


@pytest.mark.slow
@pytest.mark.parametrize("target", PUBLISHED_ROUNDS, ids=lambda t: f"{t.month:%Y-%m}")
def test_the_full_city_reproduces_every_published_round_exactly(
    demo_city_url: str, target: CalibrationTarget
) -> None:
    engine = create_engine(demo_city_url)
    assert _round_counts(engine, target.month) == (target.measured, target.stunted)
    engine.dispose()


def _scalar(connection: Connection, sql: str) -> int:
    return int(connection.execute(text(sql)).scalar_one())


@pytest.mark.slow
def test_the_full_city_plants_errors_at_about_the_configured_rates(demo_city_url: str) -> None:
    rates = DemoConfig().errors
    engine = create_engine(demo_city_url)
    with engine.connect() as connection:
        measurements = count_rows(connection, Measurement)
        planted: dict[str, int] = dict(
            connection.execute(
                select(table_of(DemoPlantedError).c.kind, func.count()).group_by(
                    table_of(DemoPlantedError).c.kind
                )
            ).all()
        )
        with_height = _scalar(connection, "SELECT COUNT(height_cm) FROM measurement")
        near_two = _scalar(
            connection,
            "SELECT COUNT(*) FROM measurement m JOIN measurement_derived d "
            "ON d.measurement_id = m.id WHERE d.age_days BETWEEN 548 AND 913 "
            "AND m.height_cm IS NOT NULL",
        )
    engine.dispose()
    assert planted["weight_in_grams"] / measurements == pytest.approx(
        rates.weight_in_grams, rel=0.1
    )
    assert planted["wrong_position"] / near_two == pytest.approx(rates.wrong_position, rel=0.1)
    # Rounding to .0/.5 is planted on heights and on weights and kept where it moved the
    # value: 8 of 10 tenths are not on .0/.5 already.
    expected = rates.digit_preference * 0.8 * (with_height + measurements)
    assert planted["digit_preference"] == pytest.approx(expected, rel=0.1)
