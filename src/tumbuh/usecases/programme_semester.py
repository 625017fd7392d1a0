"""What the semester report will say of the two programmes (issue 14; the report's
sections come with the TPPS issue): per month of a semester, the PMT kitchens' work as
the monthly PMT report counts it, and the Bapak Asuh money as the Baznas statement
counts it. Plain data, drawn from the same use cases as those reports, so the semester
and the monthly figures cannot disagree (docs/pmt.md, docs/asuh.md)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from tumbuh.growth.periods import Period, PeriodKind, month_period
from tumbuh.growth.pmt import EpisodeExit
from tumbuh.usecases.access import OutOfScope, Scope
from tumbuh.usecases.asuh_money import monthly_totals
from tumbuh.usecases.pmt_report import PmtMonth, pmt_month
from tumbuh.usecases.transactions import end_read


@dataclass(frozen=True)
class ProgrammeMonth:
    """One month of the semester: PMT lokal and the Bapak Asuh money (rupiah)."""

    month: Period
    kitchens: int  # kitchens of the scope
    children_fed: int
    pregnant_fed: int
    servings: int
    started: int
    ended: dict[EpisodeExit, int]
    pledged: int  # pledges falling due in the month
    received: int  # by Baznas
    disbursed: int


@dataclass(frozen=True)
class ProgrammeSemester:
    """The semester's months, oldest first, and their sums."""

    semester: Period
    months: list[ProgrammeMonth]

    def total(self, name: str) -> int:
        """The semester's sum of one of the months' counts (e.g. ``"servings"``)."""
        return sum(int(getattr(m, name)) for m in self.months)


def _month(report: PmtMonth, money: list[int]) -> ProgrammeMonth:
    ended: dict[EpisodeExit, int] = {}
    for kitchen in report.kitchens:
        for exit_, count in kitchen.ended.items():
            ended[exit_] = ended.get(exit_, 0) + count
    return ProgrammeMonth(
        month=report.month,
        kitchens=len(report.kitchens),
        children_fed=sum(k.children_fed for k in report.kitchens),
        pregnant_fed=sum(k.pregnant_fed for k in report.kitchens),
        servings=sum(k.servings for k in report.kitchens),
        started=sum(k.started for k in report.kitchens),
        ended=ended,
        pledged=money[0],
        received=money[1],
        disbursed=money[2],
    )


def programme_semester(
    connection: Connection, scope: Scope, semester: Period, today: date
) -> ProgrammeSemester:
    """The programmes' figures per month of ``semester`` (months after ``today`` are
    left out). The money is the city's: Baznas keeps one ledger for the whole city, so
    only those who run Bapak Asuh (the TPPS and administrators) may ask."""
    if semester.kind is not PeriodKind.SEMESTER:
        raise ValueError(f"a semester is expected, got {semester.label!r}")
    if not scope.may_manage_asuh:
        raise OutOfScope
    try:
        money = monthly_totals(connection)
        months = []
        first = semester.start
        for step in range(semester.months):
            index = first.month - 1 + step
            month = month_period(first.year + index // 12, index % 12 + 1)
            if month.start > today:
                break
            report = pmt_month(connection, scope, month, today)
            months.append(_month(report, money.get(f"{month.start:%Y-%m}", [0, 0, 0])))
    finally:
        end_read(connection)
    return ProgrammeSemester(semester, months)
