"""The TPPS semester report: its figures assembled from the register (issue 6).

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
* data quality of the round (:mod:`tumbuh.usecases.quality`);
* each survey figure of the city beside the register's bulan timbang round of the same
  year (the August round, or the last round of that year in the register);
* the specific intervention indicators of the semester's year and the KRS per kelurahan
  (:mod:`tumbuh.usecases.semester_indicators`).

The figures are the plain data of :mod:`tumbuh.reports.semester_data`, which the PDF and
the workbook draw from. Also here: the data version that names the web's kept report
files (:func:`data_version`).
"""

import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Protocol, TypeVar

from sqlalchemy import Connection, Engine, make_url

from tumbuh.config import Settings
from tumbuh.db.engine import safe_url
from tumbuh.db.models import RoundKind
from tumbuh.db.prevalence import (
    AgeChoice,
    PrevalenceIndicator,
    PrevalenceRow,
    age_split_prevalence,
    indicator_prevalence,
)
from tumbuh.db.quality_data import RoundData, read_round
from tumbuh.db.semester import report_inputs
from tumbuh.db.surveillance.areas import Area, AreaLevel, city_area
from tumbuh.db.surveillance.coverage import CoverageRow, coverage
from tumbuh.db.surveillance.flows import FlowRow, cohort_flows
from tumbuh.db.surveillance.referrals import referral_counts, referral_rules
from tumbuh.db.surveillance.skdn import skdn
from tumbuh.db.surveillance.trend import (
    Trend,
    TrendPoint,
    prevalence_trend,
)
from tumbuh.errors import ConfigError, InputError
from tumbuh.growth.periods import Period, PeriodKind, Step, last_day, steps
from tumbuh.growth.referrals import ReferralRules
from tumbuh.reports.letterhead import Letterhead, Signature
from tumbuh.reports.quality_results import QualityReport
from tumbuh.reports.semester_data import (
    AgeGroupFigures,
    AreaFigures,
    ReferralCount,
    SemesterData,
    SemesterIndicators,
    SurveyBeside,
)
from tumbuh.usecases.quality import assess_levels, cleaning_settings, quality_settings
from tumbuh.usecases.semester_indicators import semester_indicators
from tumbuh.usecases.semester_parts import (
    area_first,
    find_kecamatan,
    kecamatan_quality,
    nutrition,
    programmes,
)
from tumbuh.usecases.tpps_report import tpps_figures


class _Coded(Protocol):
    @property
    def code(self) -> str | None: ...


R = TypeVar("R", bound=_Coded)

__all__ = [
    "RoundKind",
    "SemesterData",
    "data_version",
    "database_folder",
    "read_semester",
    "report_letterhead",
    "report_signature",
    "semester_data",
    "semester_rounds",
]


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


def semester_data(
    connection: Connection,
    semester: Period,
    settings: Settings,
    *,
    cut_off: date | None = None,
    kecamatan: str | None = None,
) -> SemesterData:
    """Read and compute every figure of the report for ``semester``: of the whole city, or
    of one kecamatan (its code or name: the camat's roll-up). ``cut_off`` is the day the
    data stand at ("data per tanggal"; default: the semester's last day): the programmes'
    months after it are left out and actions are overdue against it."""
    city_code = settings.city_code
    current, previous = semester_rounds(semester)
    city = city_area(connection, city_code)
    area = None if kecamatan is None else find_kecamatan(connection, kecamatan, city_code)
    day = cut_off or last_day(semester)
    trend = prevalence_trend(
        connection,
        area=area or city,
        indicator=PrevalenceIndicator.STUNTING,
        step=Step.BULAN_TIMBANG,
        last=current,
    )
    levels = (AreaLevel.KECAMATAN, AreaLevel.KELURAHAN)
    split = {
        level: age_split_prevalence(connection, current, city_code=city_code, by=level)
        for level in levels
    }
    now = {level: split[level][AgeChoice.ALL] for level in levels}
    before = {level: _prevalence(connection, previous, city_code, level) for level in levels}
    cover = {
        level: coverage(connection, current, city_code=city_code, by=level) for level in levels
    }
    round_data = read_round(connection, current, city_code=city_code)
    quality = _quality(round_data, settings, area)
    kelurahan = _with_ages(
        _areas(now, before, cover, AreaLevel.KELURAHAN, _kecamatan_names(round_data)),
        split[AreaLevel.KELURAHAN],
    )
    stunting = (
        _age_groups(split[AreaLevel.KECAMATAN])
        if area is None
        else area_first(split[AreaLevel.KECAMATAN], split[AreaLevel.KELURAHAN], area)
    )
    inside = (area or city).code + "."
    return SemesterData(
        semester=semester,
        round=current,
        previous_round=previous,
        city_code=(area or city).code,
        city_name=city.name if area is None else f"Kecamatan {area.name}",
        city=_own(now[AreaLevel.KECAMATAN], area),
        city_before=_own(before[AreaLevel.KECAMATAN], area),
        kecamatan=() if area else _areas(now, before, cover, AreaLevel.KECAMATAN, {}),
        kelurahan=tuple(k for k in kelurahan if k.code.startswith(inside)),
        trend=trend,
        flows=_flows(connection, previous, current, city_code, area),
        referrals=tuple(
            _referrals(connection, month, area or city, referral_rules(settings))
            for month in steps(semester, semester, Step.MONTH)
        ),
        city_coverage=_own(cover[AreaLevel.KECAMATAN], area),
        city_skdn=skdn(connection, current, city_code=city_code, area=area or city)[0],
        quality=quality[AreaLevel.POSYANDU],
        quality_kecamatan=quality[AreaLevel.KECAMATAN],
        surveys=_surveys(trend),
        coverage_trusted=settings.dq_coverage_trusted,
        min_children=settings.dq_min_children,
        age_groups=stunting,
        indicators=_indicators(connection, semester, city_code, area),
        nutrition=nutrition(connection, current, city_code, area, stunting),
        programmes=programmes(connection, semester, day, _kelurahan_codes(kelurahan, area)),
        tpps=tpps_figures(connection, semester, day, _kelurahan_codes(kelurahan, area)),
        cut_off=day,
        city_of=None if area is None else city.name,
    )


def _own(rows: list[R], area: Area | None) -> R:
    """The report's area's row: the city's (the first), or the kecamatan's."""
    return rows[0] if area is None else next(r for r in rows if r.code == area.code)


def _quality(
    data: RoundData, settings: Settings, area: Area | None
) -> dict[AreaLevel | None, QualityReport]:
    """The round's data quality, ranked by kecamatan and by posyandu; for a kecamatan's
    report narrowed to it (its own results, its posyandu)."""
    reports = assess_levels(
        data,
        (AreaLevel.KECAMATAN, AreaLevel.POSYANDU),
        settings=quality_settings(settings),
        cleaning=cleaning_settings(settings),
    )
    if area is None:
        return reports
    kelurahan_of = dict(zip(data.posyandu_codes, data.posyandu_kelurahan, strict=True))
    posyandu, kecamatan = kecamatan_quality(
        reports[AreaLevel.POSYANDU], reports[AreaLevel.KECAMATAN], area, kelurahan_of
    )
    return {AreaLevel.POSYANDU: posyandu, AreaLevel.KECAMATAN: kecamatan}


def _flows(
    connection: Connection, first: Period, second: Period, city_code: str, area: Area | None
) -> tuple[FlowRow, ...]:
    """The city and each kecamatan; or the kecamatan and each of its kelurahan."""
    by_kecamatan = cohort_flows(
        connection, first, second, city_code=city_code, by=AreaLevel.KECAMATAN
    )
    if area is None:
        return tuple(by_kecamatan)
    by_kelurahan = cohort_flows(
        connection, first, second, city_code=city_code, by=AreaLevel.KELURAHAN
    )
    own = [row for row in by_kecamatan if row.code == area.code]
    inside = [row for row in by_kelurahan if (row.code or "").startswith(area.code + ".")]
    return tuple(own + inside)


def _indicators(
    connection: Connection, semester: Period, city_code: str, area: Area | None
) -> SemesterIndicators:
    """The year's specific indicators; a kecamatan's report keeps the city's figures and
    its own kelurahan."""
    found = semester_indicators(connection, semester, city_code)
    if area is None:
        return found
    inside = area.code + "."
    return replace(
        found,
        kelurahan=tuple(k for k in found.kelurahan if k.area_code.startswith(inside)),
        krs=tuple(k for k in found.krs if k.area_code.startswith(inside)),
    )


def _kelurahan_codes(
    kelurahan: tuple[AreaFigures, ...], area: Area | None
) -> frozenset[str] | None:
    if area is None:
        return None
    return frozenset(k.code for k in kelurahan if k.code.startswith(area.code + "."))


def _prevalence(
    connection: Connection, period: Period, city_code: str, level: AreaLevel
) -> list[PrevalenceRow]:
    return indicator_prevalence(
        connection, period, city_code=city_code, by=level, indicator=PrevalenceIndicator.STUNTING
    )


def _age_groups(split: dict[AgeChoice, list[PrevalenceRow]]) -> tuple[AgeGroupFigures, ...]:
    """The city and each kecamatan (not 'no posyandu'): baduta, 24-59 months and all."""
    rows = zip(
        split[AgeChoice.BADUTA], split[AgeChoice.BALITA_24_59], split[AgeChoice.ALL], strict=True
    )
    return tuple(
        AgeGroupFigures(total.name or total.code or "", baduta, older, total)
        for baduta, older, total in rows
        if total.code is not None
    )


def _with_ages(
    areas: tuple[AreaFigures, ...], split: dict[AgeChoice, list[PrevalenceRow]]
) -> tuple[AreaFigures, ...]:
    """The areas with the prevalence of their baduta and balita 24-59 months."""
    young = {row.code: row for row in split[AgeChoice.BADUTA]}
    old = {row.code: row for row in split[AgeChoice.BALITA_24_59]}
    return tuple(replace(a, baduta=young.get(a.code), older=old.get(a.code)) for a in areas)


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


def read_semester(
    engine: Engine, semester: Period, settings: Settings, *, cut_off: date | None = None
) -> SemesterData:
    """:func:`semester_data` on a connection of its own (the web builds reports in a
    background thread, outside any request)."""
    with engine.connect() as connection:
        return semester_data(connection, semester, settings, cut_off=cut_off)


def report_letterhead(settings: Settings) -> Letterhead:
    """The letterhead of the settings, with the logo file's bytes when one is set."""
    lines = (settings.report_government, settings.report_team, settings.report_address)
    logo = None
    if settings.report_logo_file is not None:
        logo = settings.report_logo_file.read_bytes()
        if not logo.startswith((b"\x89PNG", b"\xff\xd8\xff")):
            raise ConfigError(
                "TUMBUH_REPORT_LOGO_FILE: {path} is not a PNG or JPEG file",
                path=str(settings.report_logo_file),
            )
    return Letterhead(tuple(line for line in lines if line.strip()), logo)


def report_signature(settings: Settings) -> Signature:
    """The signature block of the settings (signed on the day the report is made)."""
    return Signature(
        place=settings.report_signature_place,
        title=settings.report_signature_title,
        name=settings.report_signature_name,
        nip=settings.report_signature_nip,
    )


def data_version(connection: Connection, today: date, settings: Settings) -> str:
    """A short fingerprint of everything the report reads that can change, the day, and
    which database and city it is (so installations sharing a folder never mix)."""
    source = f"{safe_url(settings.database_url)}|{settings.city_code}|{today.isoformat()}"
    digest = hashlib.sha256(source.encode())
    for part in report_inputs(connection):
        digest.update(part.encode())
    return digest.hexdigest()[:16]


def database_folder(database_url: str) -> Path | None:
    """The folder of the SQLite database file; None for PostgreSQL or an in-memory one."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).resolve().parent
    return None
