"""Closed sets used by the numerical core.

Each array form uses a small integer code (0 = missing) so that whole columns stay NumPy
arrays; the enums give those codes names.
"""

from enum import IntEnum, StrEnum


class Sex(StrEnum):
    """Sex as WHO anthro codes it: 1 = male, 2 = female."""

    MALE = "male"
    FEMALE = "female"

    @property
    def code(self) -> int:
        """Numeric code used in arrays and by WHO anthro (1 male, 2 female)."""
        return 1 if self is Sex.MALE else 2

    @classmethod
    def from_code(cls, code: int) -> "Sex":
        """The member for anthro's numeric code 1 or 2."""
        if code == 1:
            return cls.MALE
        if code == 2:
            return cls.FEMALE
        raise ValueError(f"sex code must be 1 or 2, got {code!r}")


class Position(StrEnum):
    """How length/height was measured: lying (recumbent length) or standing (height)."""

    LENGTH = "l"
    HEIGHT = "h"

    @property
    def code(self) -> int:
        """Numeric code used in arrays: 1 lying, 2 standing (0 = missing)."""
        return 1 if self is Position.LENGTH else 2


class Indicator(StrEnum):
    """Anthropometric indicators, by WHO code; ``anthro_name`` is anthro's column suffix."""

    HAZ = "haz"  # length/height-for-age
    WAZ = "waz"  # weight-for-age
    WHZ = "whz"  # weight-for-length/height
    BAZ = "baz"  # BMI-for-age
    HCZ = "hcz"  # head circumference-for-age
    ACZ = "acz"  # arm (MUAC) circumference-for-age
    TSZ = "tsz"  # triceps skinfold-for-age
    SSZ = "ssz"  # subscapular skinfold-for-age

    @property
    def anthro_name(self) -> str:
        """Suffix of the z/flag columns in WHO anthro's output (``zlen``, ``flen``, ...)."""
        return _ANTHRO_NAMES[self]

    @property
    def anthroplus_name(self) -> str:
        """Suffix of the z/flag columns in WHO anthroplus's output (``zhfa``, ...)."""
        return _ANTHROPLUS_NAMES[self]


_ANTHRO_NAMES = {
    Indicator.HAZ: "len",
    Indicator.WAZ: "wei",
    Indicator.WHZ: "wfl",
    Indicator.BAZ: "bmi",
    Indicator.HCZ: "hc",
    Indicator.ACZ: "ac",
    Indicator.TSZ: "ts",
    Indicator.SSZ: "ss",
}
_ANTHROPLUS_NAMES = {Indicator.HAZ: "hfa", Indicator.WAZ: "wfa", Indicator.BAZ: "bfa"}

WHO2006_INDICATORS: tuple[Indicator, ...] = tuple(Indicator)
WHO2007_INDICATORS: tuple[Indicator, ...] = (Indicator.HAZ, Indicator.WAZ, Indicator.BAZ)


class Standard(StrEnum):
    """Which WHO growth standard or reference a value was computed with."""

    WHO2006 = "who2006"  # WHO Child Growth Standards, 0-5 years (R package anthro 1.1.0)
    WHO2007 = "who2007"  # WHO Growth Reference 2007, 5-19 years (R package anthroplus)


class Problem(IntEnum):
    """Why a row got no z-scores; stored as bits of an unsigned integer per row.

    These are inputs that WHO anthro refuses outright (it stops the whole call); Tumbuh
    refuses only the row. Messages for users are rendered at the edge from these codes.
    """

    SEX_UNKNOWN = 1 << 0
    MEASURE_UNKNOWN = 1 << 1
    OEDEMA_UNKNOWN = 1 << 2
    AGE_NEGATIVE = 1 << 3
    AGE_NOT_A_NUMBER = 1 << 4
    WEIGHT_NOT_A_NUMBER = 1 << 5
    LENHEI_NOT_A_NUMBER = 1 << 6
    HEADC_NOT_A_NUMBER = 1 << 7
    ARMC_NOT_A_NUMBER = 1 << 8
    TRISKIN_NOT_A_NUMBER = 1 << 9
    SUBSKIN_NOT_A_NUMBER = 1 << 10
    WEIGHT_NEGATIVE = 1 << 11  # refused by anthroplus only
    LENHEI_NEGATIVE = 1 << 12  # refused by anthroplus only
    AGE_IN_MONTH_UNKNOWN = 1 << 13
    BIRTH_DATE_INVALID = 1 << 14
    MEASUREMENT_DATE_INVALID = 1 << 15
    MEASURED_BEFORE_BIRTH = 1 << 16

    @classmethod
    def decode(cls, bits: int) -> list["Problem"]:
        """The problems whose bits are set in ``bits``, in code order."""
        return [p for p in cls if bits & p]
