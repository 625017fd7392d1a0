"""Parameters of the demo city: calendar, calibration targets and planted error rates.

The calibration targets are the stunted and measured children Kota Cilegon published
for its bulan timbang rounds (docs/domain.md §12, press sources listed there); the
error rates are ours (docs/demo-city.md explains each one).
"""

import json
from dataclasses import asdict, dataclass, field
from datetime import date

from tumbuh.db.models import RoundKind

FIRST_MONTH = date(2021, 8, 1)  # first weighing month of the demo city
LAST_MONTH = date(2024, 12, 1)  # last weighing month
GENERATOR_VERSION = "1"


@dataclass(frozen=True)
class CalibrationTarget:
    """A published bulan timbang figure the demo city reproduces exactly."""

    month: date
    stunted: int
    measured: int


PUBLISHED_ROUNDS: tuple[CalibrationTarget, ...] = (
    CalibrationTarget(date(2021, 8, 1), 2_469, 26_576),  # banpos 2022-12-09
    CalibrationTarget(date(2022, 2, 1), 1_576, 29_110),  # banpos 2022-12-09
    CalibrationTarget(date(2023, 2, 1), 1_144, 32_779),  # bantennews
    CalibrationTarget(date(2023, 8, 1), 944, 32_312),  # inews
    CalibrationTarget(date(2024, 2, 1), 876, 30_485),  # inews; topmedia
    CalibrationTarget(date(2024, 8, 1), 818, 31_221),  # topmedia (measured derived)
)
SERENTAK_MONTHS = (date(2024, 6, 1),)  # Pengukuran dan Intervensi Serentak


@dataclass(frozen=True)
class ErrorRates:
    """Planted data errors; each measurement gets at most one (docs/demo-city.md)."""

    digit_preference: float = 0.08  # share of heights, and of weights, rounded to .0/.5
    wrong_position: float = 0.10  # share of measurements at 18-30 months
    weight_in_grams: float = 0.002  # share of weights typed in grams
    copied_values: float = 0.01  # share of measurements whose child was weighed last month

    def __post_init__(self) -> None:
        for name, rate in asdict(self).items():
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {rate}")


@dataclass(frozen=True)
class DemoConfig:
    """Everything that shapes one demo city; the same config gives the same city."""

    seed: int = 1
    scale: float = 1.0  # 1.0 is Kota Cilegon's size; tests use small cities
    births_per_month: float = 575.0  # at scale 1: about 34,500 balita at any time
    monthly_attendance: float = 0.66  # ordinary months (bulan timbang are calibrated)
    serentak_attendance: float = 0.93
    height_in_monthly_rounds: float = 0.8  # share of monthly visits with a length/height
    errors: ErrorRates = field(default_factory=ErrorRates)

    def __post_init__(self) -> None:
        if not 0.0 < self.scale <= 2.0:
            raise ValueError(f"scale must be in (0, 2], got {self.scale}")

    def targets(self) -> tuple[CalibrationTarget, ...]:
        """The published rounds, scaled to this city's size (exact at scale 1)."""
        if self.scale == 1.0:
            return PUBLISHED_ROUNDS
        return tuple(
            CalibrationTarget(
                t.month, round(t.stunted * self.scale), round(t.measured * self.scale)
            )
            for t in PUBLISHED_ROUNDS
        )

    def to_json(self) -> str:
        """The parameters as JSON, stored with the generated city."""
        return json.dumps(asdict(self), sort_keys=True)


def month_start(index: int) -> date:
    """First day of the ``index``-th weighing month (0 is August 2021)."""
    total = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + index
    return date(total // 12, total % 12 + 1, 1)


def month_index(day: date) -> int:
    """Index of the weighing month that contains ``day`` (0 is August 2021)."""
    return (day.year - FIRST_MONTH.year) * 12 + day.month - FIRST_MONTH.month


MONTHS = month_index(LAST_MONTH) + 1  # 41 weighing months


def round_kind(index: int) -> RoundKind:
    """Bulan timbang in February and August, serentak in June 2024, else monthly."""
    start = month_start(index)
    if start in SERENTAK_MONTHS:
        return RoundKind.SERENTAK
    if start.month in (2, 8):
        return RoundKind.BULAN_TIMBANG
    return RoundKind.MONTHLY
