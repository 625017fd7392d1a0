"""The figures of the TPPS semester report, assembled from the database (issue 6).

A semester (``2024-S2``) is reported through its **bulan timbang** round: August for the
second semester, February for the first (docs/domain.md §4), compared with the round
before it. Everything is computed by the functions the other reports use, so the figures
agree with ``tumbuh report prevalence``, ``trend``, ``flows``, ``referrals``,
``coverage``, ``skdn`` and ``quality``:

* prevalence per kecamatan and kelurahan with Wilson intervals
  (:func:`tumbuh.db.prevalence.indicator_prevalence`);
* the city's trend over every bulan timbang round up to the semester's, with the change
  and its Newcombe interval, the targets and the survey figures
  (:func:`tumbuh.db.surveillance.trend.prevalence_trend`);
* cohort flows from the previous round (:func:`tumbuh.db.surveillance.flows.cohort_flows`);
* the number of children to refer in each month of the semester, by reason
  (:func:`tumbuh.db.surveillance.referrals.referral_counts`, which judges the children of
  the referral list without reading any name, NIK or birth date), with the referral
  cut-offs of the settings (``TUMBUH_BGM_WAZ_BELOW``, ``TUMBUH_ABOVE_ORANGE_WAZ``);
* coverage per kecamatan and kelurahan, and the city's SKDN, in the round's month;
* data quality of the round (:mod:`tumbuh.db.quality`);
* each survey figure of the city beside the register's bulan timbang round of the same
  year (the August round, or the last round of that year in the register).
"""

from dataclasses import dataclass

from sqlalchemy import Connection

from tumbuh.config import Settings
from tumbuh.db.prevalence import PrevalenceIndicator, PrevalenceRow, indicator_prevalence
from tumbuh.db.quality import QualityReport, assess_levels, cleaning_settings, quality_settings
from tumbuh.db.quality_data import RoundData, read_round
from tumbuh.db.surveillance.areas import Area, AreaLevel, city_area
from tumbuh.db.surveillance.coverage import CoverageRow, coverage
from tumbuh.db.surveillance.flows import FlowRow, cohort_flows
from tumbuh.db.surveillance.referrals import referral_counts, referral_rules
from tumbuh.db.surveillance.skdn import SkdnRow, skdn
from tumbuh.db.surveillance.trend import (
    NATIONAL_STUNTING_TARGET_PERCENT,
    Trend,
    TrendPoint,
    prevalence_trend,
)
from tumbuh.errors import InputError
from tumbuh.growth.periods import Period, PeriodKind, Step, steps
from tumbuh.growth.referrals import ReferralReason, ReferralRules


@dataclass(frozen=True)
class AreaFigures:
    """One kecamatan or kelurahan: prevalence in the round and the previous round,
    and coverage in the round's month."""

    code: str
    name: str
    kecamatan_name: str | None  # for a kelurahan
    now: PrevalenceRow
    before: PrevalenceRow | None
    coverage: CoverageRow | None


@dataclass(frozen=True)
class ReferralCount:
    """Children on the referral list of one month, in total and by reason."""

    month: Period
    children: int
    by_reason: dict[ReferralReason, int]


@dataclass(frozen=True)
class SurveyBeside:
    """A survey figure of the city beside the register's round of the same year."""

    year: int
    survey: str
    percent: float
    low_percent: float | None
    high_percent: float | None
    source: str | None
    register: TrendPoint | None  # the register's bulan timbang round of that year

    @property
    def gap_points(self) -> float | None:
        """Survey minus register, percentage points."""
        if self.register is None or self.register.percent is None:
            return None
        return self.percent - self.register.percent


@dataclass(frozen=True)
class SemesterData:
    """Everything the semester report shows, as numbers (no text)."""

    semester: Period
    round: Period  # the semester's bulan timbang month
    previous_round: Period
    city_code: str
    city_name: str
    city: PrevalenceRow
    city_before: PrevalenceRow
    kecamatan: tuple[AreaFigures, ...]
    kelurahan: tuple[AreaFigures, ...]
    trend: Trend  # the city, every bulan timbang round up to ``round``
    flows: tuple[FlowRow, ...]  # the city first, then each kecamatan
    referrals: tuple[ReferralCount, ...]  # each month of the semester
    city_coverage: CoverageRow
    city_skdn: SkdnRow
    quality: QualityReport  # the round, posyandu ranked
    quality_kecamatan: QualityReport  # the round, kecamatan ranked
    surveys: tuple[SurveyBeside, ...]  # the city's survey figures, by year
    coverage_trusted: float  # D/S needed to trust register prevalence (0-1)
    min_children: int  # children an area needs for a SMART score

    @property
    def round_point(self) -> TrendPoint | None:
        """The trend point of the round, with its change since the previous round."""
        return next((p for p in self.trend.points if p.period == self.round), None)


def semester_rounds(semester: Period) -> tuple[Period, Period]:
    """The semester's bulan timbang month and the bulan timbang month before it."""
    if semester.kind is not PeriodKind.SEMESTER:
        raise InputError(
            "--period: '{value}' is not a semester; a semester report needs a semester such "
            "as 2024-S2 (July-December) or 2024-S1 (January-June)",
            value=semester.label,
        )
    rounds = steps(semester, semester, Step.BULAN_TIMBANG)
    current = rounds[-1]
    return current, current.shifted(-6)


def semester_data(connection: Connection, semester: Period, settings: Settings) -> SemesterData:
    """Read and compute every figure of the report for ``semester``."""
    city_code = settings.city_code
    current, previous = semester_rounds(semester)
    city = city_area(connection, city_code)
    stunting = PrevalenceIndicator.STUNTING
    trend = prevalence_trend(
        connection,
        area=city,
        indicator=stunting,
        step=Step.BULAN_TIMBANG,
        last=current,
        national_stunting_target_percent=NATIONAL_STUNTING_TARGET_PERCENT,
    )
    data = read_round(connection, current, city_code=city_code)
    reports = assess_levels(
        data,
        (AreaLevel.KECAMATAN, AreaLevel.POSYANDU),
        settings=quality_settings(settings),
        cleaning=cleaning_settings(settings),
    )
    levels = (AreaLevel.KECAMATAN, AreaLevel.KELURAHAN)
    now = {level: _prevalence(connection, current, city_code, level) for level in levels}
    before = {level: _prevalence(connection, previous, city_code, level) for level in levels}
    cover = {
        level: coverage(connection, current, city_code=city_code, by=level) for level in levels
    }
    return SemesterData(
        semester=semester,
        round=current,
        previous_round=previous,
        city_code=city_code,
        city_name=city.name,
        city=now[AreaLevel.KECAMATAN][0],
        city_before=before[AreaLevel.KECAMATAN][0],
        kecamatan=_areas(now, before, cover, AreaLevel.KECAMATAN, {}),
        kelurahan=_areas(now, before, cover, AreaLevel.KELURAHAN, _kecamatan_names(data)),
        trend=trend,
        flows=tuple(
            cohort_flows(connection, previous, current, city_code=city_code, by=AreaLevel.KECAMATAN)
        ),
        referrals=tuple(
            _referrals(connection, month, city, referral_rules(settings))
            for month in steps(semester, semester, Step.MONTH)
        ),
        city_coverage=cover[AreaLevel.KECAMATAN][0],
        city_skdn=skdn(connection, current, city_code=city_code, area=city)[0],
        quality=reports[AreaLevel.POSYANDU],
        quality_kecamatan=reports[AreaLevel.KECAMATAN],
        surveys=_surveys(trend),
        coverage_trusted=settings.dq_coverage_trusted,
        min_children=settings.dq_min_children,
    )


def _prevalence(
    connection: Connection, period: Period, city_code: str, level: AreaLevel
) -> list[PrevalenceRow]:
    return indicator_prevalence(
        connection, period, city_code=city_code, by=level, indicator=PrevalenceIndicator.STUNTING
    )


def _areas(
    now: dict[AreaLevel, list[PrevalenceRow]],
    before: dict[AreaLevel, list[PrevalenceRow]],
    cover: dict[AreaLevel, list[CoverageRow]],
    level: AreaLevel,
    kecamatan_of: dict[str, str],
) -> tuple[AreaFigures, ...]:
    """The areas of ``level`` in code order (the city's row and 'no posyandu' left out)."""
    earlier = {row.code: row for row in before[level][1:] if row.code is not None}
    covered = {row.code: row for row in cover[level][1:] if row.code is not None}
    return tuple(
        AreaFigures(
            code=row.code,
            name=row.name or row.code,
            kecamatan_name=kecamatan_of.get(row.code),
            now=row,
            before=earlier.get(row.code),
            coverage=covered.get(row.code),
        )
        for row in now[level][1:]
        if row.code is not None
    )


def _kecamatan_names(data: RoundData) -> dict[str, str]:
    names = {k.code: k.display_name for k in data.kecamatan}
    return {k.code: names.get(k.parent_code or "", "") for k in data.kelurahan}


def _referrals(
    connection: Connection, month: Period, city: Area, rules: ReferralRules
) -> ReferralCount:
    """How many children of the city are on the month's referral list, and why."""
    children, by_reason = referral_counts(connection, month, area=city, rules=rules)
    return ReferralCount(month, children, by_reason)


def _surveys(trend: Trend) -> tuple[SurveyBeside, ...]:
    """Each survey figure of the city beside the register's last round of the same year."""
    by_year: dict[int, TrendPoint] = {}
    for point in trend.points:  # in time order: the year's last round wins
        if point.measured:
            by_year[point.period.year] = point
    return tuple(
        SurveyBeside(
            year=s.year,
            survey=s.survey,
            percent=s.percent,
            low_percent=s.low_percent,
            high_percent=s.high_percent,
            source=s.source,
            register=by_year.get(s.year),
        )
        for s in sorted(trend.surveys, key=lambda s: (s.year, s.survey))
    )
