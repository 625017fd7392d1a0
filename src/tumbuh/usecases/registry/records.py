"""A child and a measurement as the pages and the API show them, and the answer for
what lies outside the user's scope.

A child is reachable when its posyandu lies in the scope and the role may see children;
otherwise the use cases raise :class:`OutOfScope`, so a guessed id outside the area looks
exactly like an id that does not exist. A correction or deletion from an old version is
refused with :class:`StaleVersion`; a NIK another child got first with :class:`NikTaken`
(docs/security.md, section 5).
"""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from tumbuh.db.children import NikTaken
from tumbuh.db.versions import StaleVersion
from tumbuh.growth.enums import Position, Sex
from tumbuh.growth.weight_gain import WeightTrend
from tumbuh.privacy import mask_nik
from tumbuh.usecases.access import OutOfScope, Scope

__all__ = [
    "ChildRecord",
    "FieldChange",
    "MeasurementValues",
    "MeasurementView",
    "NikTaken",
    "Refused",
    "SameNik",
    "StaleVersion",
    "changes",
    "child_record",
    "measurement_changes",
    "require_write",
    "same_day",
    "shown_nik",
]


@dataclass(frozen=True)
class ChildRecord:
    """A child as the pages show it (NIK as stored: mask it with :func:`shown_nik`)."""

    id: int
    name: str
    nik: str | None
    sex: Sex
    birth_date: date
    posyandu_id: int | None
    posyandu_name: str | None
    kelurahan_code: str | None
    mother_name: str | None
    birth_weight_kg: float | None
    birth_length_cm: float | None
    version: int = 1  # the row's version (docs/security.md, section 5)


@dataclass(frozen=True)
class MeasurementValues:
    """What a user types for one visit (position None: not recorded; ``oedema``: bilateral
    pitting oedema of both feet, which leaves weight-for-age, weight-for-length/height and
    BMI-for-age without a z-score, as in WHO anthro)."""

    measured_on: date
    weight_kg: float | None
    height_cm: float | None
    position: Position | None
    muac_cm: float | None
    oedema: bool = False
    kader_weight_trend: WeightTrend | None = None  # N, T, O or B as the kader judged it


@dataclass(frozen=True)
class MeasurementView:
    """A stored measurement with its derived values."""

    id: int
    values: MeasurementValues
    age_days: int | None
    height_used_cm: float | None
    bmi: float | None
    zscores: dict[str, float | None]  # haz, waz, whz, baz, acz
    flags: dict[str, bool]
    haz_category: str | None
    waz_category: str | None
    whz_category: str | None
    weight_trend: str | None
    weight_trend_clause: str | None  # which clause of the Buku KIA rule decided N or T
    kader_weight_trend: str | None  # the kader's own code, when the file gave one
    source: str
    version: int = 1  # the row's version (docs/security.md, section 5)
    pmt_received_kg: float | None = None  # e-PPGBM's PMT Diterima (kg), where imported


@dataclass(frozen=True)
class FieldChange:
    """A field whose stored value differs from the one a refused save brought."""

    field: str  # the form field's name
    stored: object
    yours: object


@dataclass(frozen=True)
class SameNik:
    """The child that already has a NIK, as far as the user may know it: its id and name
    inside the user's area; None for both outside it."""

    child_id: int | None
    name: str | None


class Refused(Exception):  # noqa: N818 - a signal inside a use case, never seen outside
    """Raised inside a write transaction to roll it back, with what the user is told
    (read before the rollback, so it sees what refused the write)."""

    def __init__(self, outcome: object) -> None:
        super().__init__("refused")
        self.outcome = outcome


def changes(stored: dict[str, object], yours: dict[str, object]) -> list[FieldChange]:
    """The fields (in ``stored``'s order) whose values differ."""
    return [FieldChange(k, v, yours.get(k)) for k, v in stored.items() if yours.get(k) != v]


def measurement_changes(stored: MeasurementValues, yours: MeasurementValues) -> list[FieldChange]:
    """The fields of a measurement whose stored values differ from ``yours``."""
    return changes(asdict(stored), asdict(yours))


def shown_nik(nik: str | None, scope: Scope) -> str | None:
    """The NIK if the role may see it, else masked as everywhere (:func:`mask_nik`)."""
    return nik if scope.may_see_nik else mask_nik(nik)


def child_record(row: Any) -> ChildRecord:
    """A :func:`tumbuh.db.children.child_query` row as a record."""
    return ChildRecord(
        id=int(row.id),
        name=row.name,
        nik=row.nik,
        sex=Sex(row.sex),
        birth_date=row.birth_date,
        posyandu_id=row.posyandu_id,
        posyandu_name=row.posyandu_name,
        kelurahan_code=row.kelurahan_code,
        mother_name=row.mother_name,
        birth_weight_kg=row.birth_weight_kg,
        birth_length_cm=row.birth_length_cm,
        version=int(row.version),
    )


def same_day(
    measurements: list[MeasurementView], day: date, *, except_id: int | None = None
) -> list[MeasurementView]:
    """The measurements taken on ``day`` (but ``except_id``): a second weight on the same
    day is usually a slip, so the forms ask before storing one."""
    return [m for m in measurements if m.values.measured_on == day and m.id != except_id]


def require_write(scope: Scope, posyandu_id: int | None, kelurahan_code: str | None) -> None:
    """OutOfScope unless the user may write at this posyandu (a child's or a new one)."""
    if not scope.may_write or not scope.covers_posyandu(posyandu_id, kelurahan_code):
        raise OutOfScope
