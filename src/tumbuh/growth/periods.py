"""Reporting periods: a month (``2024-08``), a semester (``2024-S2``) or a year (``2024``).

A period runs from its first day up to, not including, the first day of the next one, so a
measurement belongs to it when ``start <= measured_on < end``. A **bulan timbang** round is
the month of February or August (docs/domain.md §4: Bulan Penimbangan Balita); a
semester is January-June (S1) or July-December (S2), the cycle of the TPPS meetings and
of the case audit (docs/domain.md §8).

Trends step through periods of one kind (:class:`Step`): every bulan timbang round, month,
semester or year between two periods. Pure: the caller supplies every date.
"""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

BULAN_TIMBANG_MONTHS = (2, 8)  # February and August
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_SEMESTER = re.compile(r"^(\d{4})-[Ss]([12])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodKind(StrEnum):
    """How long a period is."""

    MONTH = "month"
    SEMESTER = "semester"
    YEAR = "year"


class Step(StrEnum):
    """The periods a trend steps through."""

    BULAN_TIMBANG = "bulan-timbang"  # February and August months only
    MONTH = "month"
    SEMESTER = "semester"
    YEAR = "year"


def _add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``day``."""
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """Dates from ``start`` up to but not including ``end``, with the label users write."""

    start: date
    end: date
    label: str
    kind: PeriodKind = PeriodKind.MONTH

    @property
    def year(self) -> int:
        """The calendar year the period starts in (targets are set per year)."""
        return self.start.year

    @property
    def is_bulan_timbang(self) -> bool:
        """A February or August month."""
        return self.kind is PeriodKind.MONTH and self.start.month in BULAN_TIMBANG_MONTHS

    @property
    def months(self) -> int:
        """Number of calendar months in the period (1, 6 or 12)."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls in the period."""
        return self.start <= day < self.end

    def shifted(self, count: int) -> "Period":
        """The period of the same kind ``count`` periods later (earlier when negative)."""
        return period_starting(_add_months(self.start, count * self.months), self.kind)

    def previous(self) -> "Period":
        """The period of the same kind just before this one (last month for a month)."""
        return self.shifted(-1)


def month_period(year: int, month: int) -> Period:
    """The calendar month ``year-month``."""
    start = date(year, month, 1)
    return Period(start, _add_months(start, 1), f"{year:04d}-{month:02d}", PeriodKind.MONTH)


def semester_period(year: int, half: int) -> Period:
    """Semester 1 (January-June) or 2 (July-December) of ``year``."""
    if half not in (1, 2):
        raise ValueError(f"a semester is 1 or 2, got {half}")
    start = date(year, 1 if half == 1 else 7, 1)
    return Period(start, _add_months(start, 6), f"{year:04d}-S{half}", PeriodKind.SEMESTER)


def year_period(year: int) -> Period:
    """The calendar year."""
    return Period(date(year, 1, 1), date(year + 1, 1, 1), f"{year:04d}", PeriodKind.YEAR)


def period_starting(start: date, kind: PeriodKind) -> Period:
    """The period of ``kind`` that contains ``start`` (its first day need not be ``start``)."""
    if kind is PeriodKind.MONTH:
        return month_period(start.year, start.month)
    if kind is PeriodKind.SEMESTER:
        return semester_period(start.year, 1 if start.month <= 6 else 2)
    return year_period(start.year)


def parse_period(text: str) -> Period | None:
    """``2024-08``, ``2024-S2`` (or ``s2``) or ``2024``; None for anything else.

    Years 1900-2999 only; a month must be 01-12. Surrounding spaces are ignored.
    """
    value = text.strip()
    if match := _MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        return month_period(year, month) if 1 <= month <= 12 and _plausible(year) else None
    if match := _SEMESTER.match(value):
        year = int(match[1])
        return semester_period(year, int(match[2])) if _plausible(year) else None
    if match := _YEAR.match(value):
        year = int(match[1])
        return year_period(year) if _plausible(year) else None
    return None


def _plausible(year: int) -> bool:
    return 1900 <= year <= 2999


def steps(first: Period, last: Period, step: Step) -> list[Period]:
    """Every period of ``step`` from the one containing ``first.start`` to the one
    containing the last day of ``last``, in order (empty when ``last`` ends first).

    For bulan timbang: the February and August months in that range.
    """
    kind = PeriodKind.MONTH if step in (Step.BULAN_TIMBANG, Step.MONTH) else PeriodKind(step.value)
    current = period_starting(first.start, kind)
    result = []
    while current.start < last.end:
        if step is not Step.BULAN_TIMBANG or current.is_bulan_timbang:
            result.append(current)
        current = current.shifted(1)
    return result


def covering(day_first: date, day_last: date, step: Step) -> list[Period]:
    """The periods of ``step`` from the one holding ``day_first`` to the one holding
    ``day_last`` (for a trend over all the data between two dates)."""
    return steps(month_period(day_first.year, day_first.month), _day_period(day_last), step)


def _day_period(day: date) -> Period:
    return month_period(day.year, day.month)


def date_ranges(periods: list[Period]) -> list[tuple[date, date]]:
    """The periods' date ranges with touching or overlapping ones merged, in date order.

    A query then filters ``start <= day < end`` on a few ranges instead of one per period.
    """
    merged: list[tuple[date, date]] = []
    for period in sorted(periods, key=lambda p: (p.start, p.end)):
        if merged and period.start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], period.end))
        else:
            merged.append((period.start, period.end))
    return merged


def last_day(period: Period) -> date:
    """The last day that belongs to ``period``."""
    return date.fromordinal(period.end.toordinal() - 1)


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (day 1 stays day 1; used for ages).

    For a first-of-month ``day`` this is exact; otherwise the day is clipped to the last
    day of the earlier month.
    """
    first = _add_months(date(day.year, day.month, 1), -months)
    next_first = _add_months(first, 1)
    return date(first.year, first.month, min(day.day, (next_first - first).days))
