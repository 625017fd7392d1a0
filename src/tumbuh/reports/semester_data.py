"""The figures of the TPPS semester report as plain data: what the report draws from.

:func:`tumbuh.usecases.reporting.semester_data` reads them from the register; the PDF,
the workbook and the sentences (:mod:`tumbuh.reports.semester`) only render them. The
rows of prevalence, coverage, flows, SKDN and trend are described here by what the report
reads of them (protocols), so the report works with the rows the other reports compute
without depending on where they are read.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from tumbuh.growth.flows import Flow
from tumbuh.growth.periods import Period
from tumbuh.growth.pmt import EpisodeExit
from tumbuh.growth.referrals import ReferralReason
from tumbuh.growth.targets import Target
from tumbuh.growth.trend import Change
from tumbuh.reports.indicators import FigureLine, KrsLine
from tumbuh.reports.quality_results import QualityReport
from tumbuh.reports.tpps_data import TppsFigures


class AreaRow(Protocol):
    """The area a row of figures is about: its code (None: at no posyandu), name and level."""

    @property
    def code(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def level(self) -> str: ...


class PrevalenceFigure(AreaRow, Protocol):
    """Children measured and with the outcome in one area (code None: at no posyandu)."""

    @property
    def measured(self) -> int: ...
    @property
    def cases(self) -> int: ...
    @property
    def percent(self) -> float | None: ...
    @property
    def lower_percent(self) -> float | None: ...
    @property
    def upper_percent(self) -> float | None: ...


class CoverageFigure(AreaRow, Protocol):
    """Target, registered, weighed and measured children of one area."""

    @property
    def target_s(self) -> int | None: ...
    @property
    def registered(self) -> int: ...
    @property
    def weighed(self) -> int: ...
    @property
    def measured(self) -> int: ...
    @property
    def weighed_share(self) -> float | None: ...
    @property
    def measured_share(self) -> float | None: ...


class FlowFigure(AreaRow, Protocol):
    """The cohort flows of one area between two rounds."""

    @property
    def counts(self) -> Mapping[Flow, int]: ...
    @property
    def children(self) -> int: ...


class SkdnFigure(Protocol):
    """SKDN of the city in the round's month."""

    @property
    def s(self) -> int: ...
    @property
    def k(self) -> int: ...
    @property
    def d(self) -> int: ...
    @property
    def n(self) -> int: ...
    @property
    def d_prime(self) -> int: ...
    @property
    def k_s(self) -> float | None: ...
    @property
    def d_s(self) -> float | None: ...
    @property
    def n_d(self) -> float | None: ...
    @property
    def n_d_prime(self) -> float | None: ...


class TrendPointFigure(Protocol):
    """The city's prevalence in one round and its change since the previous round."""

    @property
    def period(self) -> Period: ...
    @property
    def measured(self) -> int: ...
    @property
    def cases(self) -> int: ...
    @property
    def lower(self) -> float | None: ...
    @property
    def upper(self) -> float | None: ...
    @property
    def change(self) -> float | None: ...
    @property
    def change_lower(self) -> float | None: ...
    @property
    def change_upper(self) -> float | None: ...
    @property
    def verdict(self) -> Change: ...
    @property
    def local_target_percent(self) -> float | None: ...
    @property
    def percent(self) -> float | None: ...


class TrendFigure(Protocol):
    """The city's rounds with the targets, each on its scale (issue 16: a survey-scale
    target is drawn beside the surveys, never beside the register's rounds)."""

    @property
    def points(self) -> tuple[TrendPointFigure, ...]: ...
    @property
    def targets(self) -> tuple[Target, ...]: ...


@dataclass(frozen=True)
class AreaFigures:
    """One kecamatan or kelurahan: prevalence in the round and the previous round,
    and coverage in the round's month."""

    code: str
    name: str
    kecamatan_name: str | None  # for a kelurahan
    now: PrevalenceFigure
    before: PrevalenceFigure | None
    coverage: CoverageFigure | None
    baduta: PrevalenceFigure | None = None  # the round's baduta (0-23 months)
    older: PrevalenceFigure | None = None  # the round's balita 24-59 months


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
    register: TrendPointFigure | None  # the register's bulan timbang round of that year

    @property
    def gap_points(self) -> float | None:
        """Survey minus register, percentage points."""
        if self.register is None or self.register.percent is None:
            return None
        return self.percent - self.register.percent


@dataclass(frozen=True)
class AgeGroupFigures:
    """Stunting in one area in the round: baduta (0-23 completed months), balita 24-59
    months and all balita; the two groups add up to all."""

    name: str
    baduta: PrevalenceFigure
    older: PrevalenceFigure  # balita 24-59 months
    total: PrevalenceFigure


@dataclass(frozen=True)
class NutritionFigures:
    """One nutritional status (stunting, wasting, underweight, overweight) in the round,
    by age group: the report's area first, then each kecamatan (each kelurahan when the
    report is of one kecamatan)."""

    label: str  # message id of the status, e.g. "wasting (WHZ < -2)" (surveillance.po)
    areas: tuple[AgeGroupFigures, ...]


class ProgrammeMonthFigure(Protocol):
    """One month of the programmes: PMT lokal (kitchens) and the Bapak Asuh money."""

    @property
    def month(self) -> Period: ...
    @property
    def kitchens(self) -> int: ...
    @property
    def children_fed(self) -> int: ...
    @property
    def pregnant_fed(self) -> int: ...
    @property
    def servings(self) -> int: ...
    @property
    def started(self) -> int: ...
    @property
    def ended(self) -> Mapping[EpisodeExit, int]: ...
    @property
    def pledged(self) -> int: ...
    @property
    def received(self) -> int: ...
    @property
    def disbursed(self) -> int: ...


@dataclass(frozen=True)
class ProgrammeFigures:
    """The programmes in the semester's months up to the cut-off, and the children and
    families the Bapak Asuh reached (asuhan running at some time in the semester)."""

    months: tuple[ProgrammeMonthFigure, ...]
    asuh_children: int
    asuh_families: int
    money_whole_city: bool  # the Baznas ledger is the city's, also in a kecamatan's report


@dataclass(frozen=True)
class SemesterIndicators:
    """The specific intervention indicators of the semester's year, counted up to the
    semester's last day."""

    year: int
    counted_to: date
    computed: tuple[FigureLine, ...]  # the city, one line per indicator, catalogue order
    entered: tuple[FigureLine, ...]  # entered by hand (city or kelurahan), with source
    kelurahan: tuple[FigureLine, ...]  # each computed indicator per kelurahan
    krs: tuple[KrsLine, ...]  # the city first, then each kelurahan


@dataclass(frozen=True)
class SemesterData:
    """Everything the semester report shows, as numbers (no text)."""

    semester: Period
    round: Period  # the semester's bulan timbang month
    previous_round: Period
    city_code: str
    city_name: str
    city: PrevalenceFigure
    city_before: PrevalenceFigure
    kecamatan: tuple[AreaFigures, ...]
    kelurahan: tuple[AreaFigures, ...]
    trend: TrendFigure  # the city, every bulan timbang round up to ``round``
    flows: tuple[FlowFigure, ...]  # the city first, then each kecamatan
    referrals: tuple[ReferralCount, ...]  # each month of the semester
    city_coverage: CoverageFigure
    city_skdn: SkdnFigure
    quality: QualityReport  # the round, posyandu ranked
    quality_kecamatan: QualityReport  # the round, kecamatan ranked
    surveys: tuple[SurveyBeside, ...]  # the city's survey figures, by year
    coverage_trusted: float  # D/S needed to trust register prevalence (0-1)
    min_children: int  # children an area needs for a SMART score
    age_groups: tuple[AgeGroupFigures, ...] = ()  # the city first, then each kecamatan
    indicators: SemesterIndicators | None = None  # the specific interventions of the year
    nutrition: tuple[NutritionFigures, ...] = ()  # stunting, wasting, underweight, overweight
    programmes: ProgrammeFigures | None = None  # PMT lokal and Bapak Asuh; None: not recorded
    tpps: TppsFigures | None = None  # the audit, commitments, 8 aksi and lokus
    cut_off: date | None = None  # "data per tanggal": actions are overdue against this day
    city_of: str | None = None  # the city's name when the report is of one kecamatan

    @property
    def is_kecamatan(self) -> bool:
        """The report is one kecamatan's (the camat's roll-up), not the city's."""
        return self.city_of is not None

    @property
    def round_point(self) -> TrendPointFigure | None:
        """The trend point of the round, with its change since the previous round."""
        return next((p for p in self.trend.points if p.period == self.round), None)
