"""Builders of constructed children for the surveillance tests (no tests in this module).

Synthetic people only. ``visit`` stores a measurement with derived values chosen by the
test (so every count is worked out by hand from them); ``weigh`` stores only the measured
values, for tests that let ``recompute_derived`` judge N/T/O/B from real weights.
"""

from datetime import date
from pathlib import Path

from sqlalchemy import Connection, insert, update

from tests.db.helpers import add_child, add_measurement, add_posyandu
from tumbuh.db.models import Child, MeasurementDerived, table_of
from tumbuh.growth.enums import Position, Sex

CIBEBER = "36.72.01.1001"  # kelurahan Cibeber, kecamatan Cibeber 36.72.01
KEDALEMAN = "36.72.01.1002"  # kelurahan Kedaleman, kecamatan Cibeber
BAGENDUNG = "36.72.02.1001"  # kelurahan Bagendung, kecamatan Cilegon 36.72.02


def posyandu(connection: Connection, kelurahan: str, number: int = 1) -> int:
    """A posyandu ``<kelurahan>.9N`` named "Uji N" in the kelurahan."""
    return add_posyandu(
        connection, f"{kelurahan}.9{number}", kelurahan, f"Uji {kelurahan[-4:]}{number}"
    )


def child(
    connection: Connection,
    born: date,
    *,
    home: int | None = None,
    sex: Sex = Sex.FEMALE,
    nik: str | None = None,
    has_buku_kia: bool | None = None,
) -> int:
    """A child registered at posyandu ``home``."""
    child_id = add_child(connection, birth_date=born, sex=sex, nik=nik, posyandu_id=home)
    if has_buku_kia is not None:
        c = table_of(Child)
        connection.execute(update(c).where(c.c.id == child_id).values(has_buku_kia=has_buku_kia))
    return child_id


def visit(  # noqa: PLR0913 - a record's columns as options
    connection: Connection,
    child_id: int,
    day: date,
    at: int | None,
    *,
    haz: float | None = None,
    waz: float | None = None,
    whz: float | None = None,
    flagged: tuple[str, ...] = (),
    oedema: bool = False,
    age_days: int = 400,
) -> int:
    """A measurement at posyandu ``at`` whose derived z-scores are the ones given."""
    measurement = add_measurement(
        connection, child_id=child_id, measured_on=day, posyandu_id=at, oedema=oedema
    )
    values: dict[str, object] = {"measurement_id": measurement, "reference": "test"}
    for name, z in (("haz", haz), ("waz", waz), ("whz", whz)):
        values[name] = z
        values[f"{name}_flag"] = None if z is None else name in flagged
    values["age_days"] = age_days
    connection.execute(insert(table_of(MeasurementDerived)).values(**values))
    return measurement


def weigh(
    connection: Connection,
    child_id: int,
    day: date,
    at: int | None,
    weight_kg: float,
    height_cm: float | None = None,
) -> int:
    """A measured weight (and length, lying), without derived values."""
    return add_measurement(
        connection,
        child_id=child_id,
        measured_on=day,
        posyandu_id=at,
        weight_kg=weight_kg,
        height_cm=height_cm,
        position=None if height_cm is None else Position.LENGTH,
    )


def small_register(connection: Connection) -> dict[str, int]:
    """Four girls born 1 Jan 2022 with measured weights and lengths, for whole commands.

    Derived values come from ``recompute_derived`` (WHO 2006 and the built-in KBM table).
    Lengths are lying, so from 731 days on 0.7 cm is taken off; WHO girls' -2 SD is about
    80 cm at 25 months (February) and 83 cm at 31 months (August):

    k1 (home A, NIK, card): Feb 78.0 cm (stunted); Jul 12.5 kg; Aug 12.55 kg (+50 g: T),
       80.0 cm (stunted).
    k2 (home A, card): Feb 87.0 cm; Jul 12.5 kg; Aug 12.8 kg (+300 g: N), 91.0 cm.
    k3 (home B, no card): Feb 78.0 cm (stunted); not measured in August.
    k4 (home B): only Aug, 79.5 cm (stunted), a first weighing (B).
    Posyandu A is in kelurahan Cibeber, B in Bagendung.
    """
    from tumbuh.db.measurements import recompute_derived

    a = posyandu(connection, CIBEBER)
    b = posyandu(connection, BAGENDUNG)
    born = date(2022, 1, 1)
    feb, jul, aug = date(2024, 2, 5), date(2024, 7, 5), date(2024, 8, 5)
    ids = {
        "k1": child(connection, born, home=a, nik="3672015501220001", has_buku_kia=True),
        "k2": child(connection, born, home=a, has_buku_kia=True),
        "k3": child(connection, born, home=b, has_buku_kia=False),
        "k4": child(connection, born, home=b),
    }
    weigh(connection, ids["k1"], feb, a, 12.0, 78.0)
    weigh(connection, ids["k1"], jul, a, 12.5)
    weigh(connection, ids["k1"], aug, a, 12.55, 80.0)
    weigh(connection, ids["k2"], feb, a, 12.0, 87.0)
    weigh(connection, ids["k2"], jul, a, 12.5)
    weigh(connection, ids["k2"], aug, a, 12.8, 91.0)
    weigh(connection, ids["k3"], feb, b, 12.0, 78.0)
    weigh(connection, ids["k4"], aug, b, 12.0, 79.5)
    recompute_derived(connection)
    return ids


def register_database(path: Path) -> str:
    """An SQLite database at ``path`` with the schema and :func:`small_register`."""
    from tumbuh.db.engine import create_engine
    from tumbuh.db.setup import upgrade_database

    url = f"sqlite:///{path}"
    engine = create_engine(url)
    upgrade_database(engine)
    with engine.begin() as connection:
        small_register(connection)
    engine.dispose()
    return url
