"""`recompute_derived` stores WHO anthro's z-scores, flags, categories and N/T for every row."""

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Connection, select

from tests.db.helpers import add_child, add_measurement
from tumbuh.db.bulk import insert_columns
from tumbuh.db.derive import REFERENCE_WHO2006
from tumbuh.db.measurements import recompute_derived
from tumbuh.db.models import Child, Measurement, MeasurementDerived, table_of
from tumbuh.growth.enums import Position, Sex

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "anthro" / "anthro-zscores-public.csv"
MEASURED_ON = date(2024, 8, 15)
ROWS = 300


def _reference_rows() -> list[dict[str, str]]:
    """anthro rows a database can hold: age in whole days under 5 years, known codes."""
    kept = []
    with REFERENCE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            age = row["age"]
            if row["is_age_in_month"] != "FALSE" or not age or float(age) != int(float(age)):
                continue
            if (
                row["sex"] in ("1", "2")
                and row["measure"] in ("l", "h", "")
                and 0 <= int(float(age)) <= 1825
                and row["oedema"] in ("n", "y")
            ):
                kept.append(row)
            if len(kept) == ROWS:
                break
    return kept


def _number(text: str) -> float:
    return float(text) if text else np.nan


def _load(connection: Connection, rows: list[dict[str, str]]) -> None:
    n = len(rows)
    ids = np.arange(1_000_001, 1_000_001 + n)
    births = [MEASURED_ON - timedelta(days=int(float(r["age"]))) for r in rows]
    insert_columns(
        connection,
        table_of(Child),
        {
            "id": ids,
            "name": [f"Anak {i}" for i in range(n)],
            "sex": [Sex.from_code(int(r["sex"])).value for r in rows],
            "birth_date": np.array(births, dtype="datetime64[D]"),
        },
    )
    insert_columns(
        connection,
        table_of(Measurement),
        {
            "id": ids,
            "child_id": ids,
            "measured_on": np.full(n, np.datetime64(MEASURED_ON)),
            "weight_kg": np.array([_number(r["weight"]) for r in rows]),
            "height_cm": np.array([_number(r["lenhei"]) for r in rows]),
            "position": [r["measure"] or None for r in rows],
            "oedema": np.array([r["oedema"] == "y" for r in rows]),
            "head_circumference_cm": np.array([_number(r["headc"]) for r in rows]),
            "muac_cm": np.array([_number(r["armc"]) for r in rows]),
            "source": "typed_in",
        },
    )


def _stored(connection: Connection, column: str) -> list[object]:
    d = table_of(MeasurementDerived)
    query = select(d.c[column]).where(d.c.measurement_id >= 1_000_001)
    return list(connection.execute(query.order_by(d.c.measurement_id)).scalars())


@pytest.mark.parametrize(
    ("ours", "anthros"),
    [
        ("haz", "zlen"),
        ("waz", "zwei"),
        ("whz", "zwfl"),
        ("baz", "zbmi"),
        ("hcz", "zhc"),
        ("acz", "zac"),
    ],
)
def test_stored_zscores_and_flags_equal_anthros(
    connection: Connection, ours: str, anthros: str
) -> None:
    rows = _reference_rows()
    _load(connection, rows)
    recompute_derived(connection)
    expected_z = [None if not r[anthros] else float(r[anthros]) for r in rows]
    flag_column = "f" + anthros[1:]
    expected_flag = [None if not r[flag_column] else r[flag_column] == "1" for r in rows]
    assert _stored(connection, ours) == expected_z
    assert _stored(connection, f"{ours}_flag") == expected_flag


def test_stored_inputs_are_anthros_adjusted_length_and_the_reference(
    connection: Connection,
) -> None:
    rows = _reference_rows()
    _load(connection, rows)
    recompute_derived(connection)
    expected = [_number(r["clenhei"]) for r in rows]
    stored = [np.nan if v is None else float(str(v)) for v in _stored(connection, "height_used_cm")]
    np.testing.assert_allclose(stored, expected, atol=1e-9)
    assert set(_stored(connection, "reference")) == {REFERENCE_WHO2006}


def _permenkes_haz(z: float) -> str:
    # Permenkes 2/2020: sangat pendek < -3 <= pendek < -2 <= normal <= +3 < tinggi.
    if z < -3:
        return "sangat_pendek"
    if z < -2:
        return "pendek"
    return "normal" if z <= 3 else "tinggi"


def test_stored_haz_category_follows_permenkes(connection: Connection) -> None:
    rows = _reference_rows()
    _load(connection, rows)
    recompute_derived(connection)
    # a WHO-flagged z-score (anthro's flen) gets no category: it is shown as "periksa ulang"
    expected = [
        _permenkes_haz(float(r["zlen"])) if r["zlen"] and r["flen"] != "1" else None for r in rows
    ]
    assert _stored(connection, "haz_category") == expected
    assert any(r["flen"] == "1" for r in rows)  # the reference has flagged lengths


def test_weight_trend_is_stored_with_the_weighing_it_was_compared_with(
    connection: Connection,
) -> None:
    child = add_child(connection, birth_date=date(2024, 1, 10), sex=Sex.FEMALE)
    weights = [
        (date(2024, 3, 12), 5.0),  # B: first weighing
        (date(2024, 4, 12), 5.9),  # 3 months: KBM 800 g, gained 900 g -> N
        (date(2024, 5, 12), 6.0),  # 4 months: KBM 600 g, gained 100 g -> T
        (date(2024, 6, 12), 6400.0),  # grams typed as kg: WHO-flagged, not a weighing
        (date(2024, 7, 12), 6.6),  # no plausible weighing in June -> O
    ]
    ids = [
        add_measurement(
            connection, child_id=child, measured_on=day, weight_kg=kg, position=Position.LENGTH
        )
        for day, kg in weights
    ]
    recompute_derived(connection)
    d = table_of(MeasurementDerived)
    query = (
        select(d.c.weight_trend, d.c.previous_measurement_id, d.c.weight_gain_g, d.c.kbm_g)
        .where(d.c.measurement_id.in_(ids))
        .order_by(d.c.measurement_id)
    )
    stored = [tuple(row) for row in connection.execute(query)]
    assert stored == [
        ("B", None, None, None),
        ("N", ids[0], 900, 800),
        ("T", ids[1], 100, 600),
        (None, None, None, None),
        ("O", None, None, None),
    ]


def test_recompute_replaces_values_after_a_measurement_is_corrected(
    connection: Connection,
) -> None:
    child = add_child(connection, birth_date=date(2023, 8, 1), sex=Sex.MALE)
    measurement = add_measurement(
        connection,
        child_id=child,
        measured_on=date(2024, 8, 1),
        weight_kg=9.6,
        height_cm=8.0,  # typed in decimetres: HAZ far below -6, flagged
        position=Position.LENGTH,
    )
    recompute_derived(connection)
    assert _flag_of(connection, measurement) is True
    m = table_of(Measurement)
    connection.execute(m.update().where(m.c.id == measurement).values(height_cm=80.0))
    recompute_derived(connection)
    assert _flag_of(connection, measurement) is False


def _flag_of(connection: Connection, measurement_id: int) -> bool | None:
    d = table_of(MeasurementDerived)
    query = select(d.c.haz_flag).where(d.c.measurement_id == measurement_id)
    flag: bool | None = connection.execute(query).scalar_one()
    return flag
