"""Entering by hand the figures of the indicators Tumbuh cannot compute (docs/indicators.md,
"Entered by hand"): adolescent girls' TTD and the sensitive indicators of Perpres 72/2021
Annex A, per year and area (the city or a kelurahan), each with its source. Only
administrators and analysts (the TPPS) enter them; a figure entered again replaces the
earlier one.
"""

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Connection

from tumbuh.db import indicators as records
from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.indicators import HandEntered
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_indicators import SOURCE_LENGTH
from tumbuh.errors import InputError
from tumbuh.growth.indicators import CATALOGUE, IndicatorCode, InterventionIndicator, Obtained
from tumbuh.usecases.access import NotAllowed, Role, Scope, UserInfo
from tumbuh.usecases.places import Places
from tumbuh.usecases.transactions import writing

__all__ = ["MANUAL_CODES", "NotAllowed", "ValueInput", "enter_value", "may_enter"]

ENTERING_ROLES = (Role.ADMIN, Role.ANALYST)
FIRST_YEAR, LAST_YEAR = 2000, 2100
MANUAL_CODES = tuple(i.code for i in CATALOGUE.values() if i.obtained is Obtained.MANUAL)


def may_enter(scope: Scope) -> bool:
    """Whether the user enters the figures kept by hand."""
    return scope.role in ENTERING_ROLES


def _check_year(year: int, field: str = "year") -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            "{field}: {value} is not a plausible year; give a year from {first} to {last}",
            field=field,
            value=year,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    return year


@dataclass(frozen=True)
class ValueInput:
    """A figure to enter by hand, as typed: percent, or numerator and denominator."""

    indicator: str
    region_code: str
    year: int
    source: str
    percent: float | None = None
    numerator: int | None = None
    denominator: int | None = None


def _manual_indicator(code: str) -> InterventionIndicator:
    found = CATALOGUE.get(IndicatorCode(code)) if code in set(IndicatorCode) else None
    if found is None or found.obtained is not Obtained.MANUAL:
        names = ", ".join(i.code.value for i in CATALOGUE.values() if i.obtained is Obtained.MANUAL)
        raise InputError(
            "indicator: '{value}' is not an indicator entered by hand; choose one of {names}",
            value=code,
            names=names,
        )
    return found


def _percent_of(given: ValueInput) -> float:
    n, d = given.numerator, given.denominator
    if (n is None) != (d is None):
        raise InputError("numerator/denominator: give both numbers, or neither and a percent")
    if n is not None and d is not None:
        if d <= 0 or not 0 <= n <= d:
            raise InputError(
                "numerator/denominator: {n} of {d} is not a share; give a denominator above 0 "
                "and a numerator from 0 to the denominator",
                n=n,
                d=d,
            )
        return 100.0 * n / d
    if given.percent is None or not 0.0 <= given.percent <= 100.0:
        raise InputError(
            "percent: {value} is not a percentage; give a number from 0 to 100, e.g. 58.5",
            value="" if given.percent is None else given.percent,
        )
    return float(given.percent)


def enter_value(
    connection: Connection, places: Places, scope: Scope, given: ValueInput, *,
    user: UserInfo | Actor, now: datetime,
) -> bool:  # fmt: skip
    """Keep a hand-entered figure with its source (True: new, False: replaced), audited
    (entity ``indicator_value``, its year as the id; the row before and after); only an
    administrator or analyst, for the city or one of its kelurahan."""
    if not may_enter(scope):
        raise NotAllowed
    indicator = _manual_indicator(given.indicator.strip())
    year = _check_year(given.year)
    code = given.region_code.strip()
    if code != places.city.code and code not in places.kelurahan:
        raise InputError(
            "area: '{value}' is neither the city ({city}) nor one of its kelurahan; give a "
            "Kemendagri code such as {city} or a kelurahan's, e.g. 36.72.01.1001",
            value=code,
            city=places.city.code,
        )
    source = given.source.strip()
    if not source or len(source) > SOURCE_LENGTH:
        raise InputError(
            "source: name where the figure comes from (e.g. Laporan tahunan BKKBN 2024), "
            "in 1 to {limit} characters",
            limit=SOURCE_LENGTH,
        )
    value = HandEntered(
        indicator.code.value, code, year, given.numerator, given.denominator,
        _percent_of(given), source, user.id if isinstance(user, UserInfo) else None, now,
    )  # fmt: skip
    with writing(connection):
        before = next(
            (
                v
                for v in records.values_of_year(connection, year, [code])
                if v.indicator == value.indicator
            ),
            None,
        )
        created = records.set_value(connection, value)
        write_audit(
            connection,
            user,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            "indicator_value",
            year,
            before=None if before is None else asdict(before),
            after=asdict(value),
            at=now,
        )
        return created
