"""Data quality of one weighing round: every check of :mod:`tumbuh.growth.quality` per area
(issue 6).

Reads the arrays that :mod:`tumbuh.growth.quality` needs for a month and runs every check
per area: the SMART plausibility score (one measurement per child: its last of the month,
children of 6-59 months), the unscored WHO/UNICEF report (every measurement of the month),
values copied from the child's previous measurement and the growthcleanr-style cleaning
(the child's whole history up to the end of the month), likely unit slips, coverage D/S
against the target S of ``target_population``, and the register prevalence of stunting
beside the entered survey figures (``survey_figure``) of the same area and year.

Choices (docs/semester-report.md, "Data quality of one round"):

* the area of a measurement is that of its posyandu, as in ``tumbuh report prevalence``;
  measurements without a posyandu count for the city only;
* a weight or length/height that a unit slip explains (grams for kg, mm for cm, ...;
  :mod:`tumbuh.ingest.plausibility`) is counted as a slip and left out of the SMART check
  and the digit preference, as docs/data-quality.md §3 says slips are caught first; the WHO flags
  of the unscored report still count it;
* the register prevalence is computed as in :mod:`tumbuh.db.prevalence` (each child once,
  with its last valid length/height-for-age z-score of the month; stunted below -2).

The reading is in :mod:`tumbuh.db.quality_data`; the results are the plain dataclasses of
:mod:`tumbuh.reports.quality_results`. The SMART score is :func:`smart_report`, the one
pipeline that ``tumbuh report quality``, the semester report and the web's data-quality
badges all use (:mod:`tumbuh.usecases.quality`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tumbuh.db.quality_data import RoundData, SurveyRecord, UnitTable
from tumbuh.growth.enums import Indicator
from tumbuh.growth.quality import (
    DEFAULT_SETTINGS,
    Band,
    CleaningSettings,
    Parameter,
    QualitySettings,
    ScoreStatus,
    clean_parameter,
    cleaning_summary,
    copied_values,
    coverage,
    quality_checks,
    rank_units,
    smart_plausibility,
    survey_comparison,
    who_report,
)
from tumbuh.growth.quality.coverage import Coverage, SurveyComparison
from tumbuh.growth.quality.longitudinal import IMPLAUSIBLE, CleaningSummary, CopiedReport
from tumbuh.growth.quality.ranking import Check, Ranking
from tumbuh.growth.quality.score import SmartReport
from tumbuh.growth.quality.who_report import WhoReport
from tumbuh.growth.types import FloatArray, Int8Array, IntArray
from tumbuh.reports.quality_results import CheckValue, QualityReport, SurveyGap, UnitQuality
from tumbuh.usecases.areas import AreaLevel


@dataclass(frozen=True)
class _Cleaned:
    """Cleaning codes of the whole history, computed once for every grouping."""

    height: Int8Array
    weight: Int8Array


def assess(
    data: RoundData,
    by: AreaLevel | None = None,
    *,
    settings: QualitySettings = DEFAULT_SETTINGS,
    cleaning: CleaningSettings | None = None,
) -> QualityReport:
    """Every check for the city and, with ``by``, for each area of that level."""
    levels = () if by is None else (by,)
    reports = assess_levels(data, levels, settings=settings, cleaning=cleaning)
    return reports[by] if by is not None else reports[None]


def assess_levels(
    data: RoundData,
    levels: Sequence[AreaLevel],
    *,
    settings: QualitySettings = DEFAULT_SETTINGS,
    cleaning: CleaningSettings | None = None,
) -> dict[AreaLevel | None, QualityReport]:
    """:func:`assess` for several levels at once (the cleaning runs once); key None holds
    the report of the city alone."""
    cleaned = _clean(data, cleaning or CleaningSettings())
    city = _assess_units(data, data.units(None), cleaned, settings)[0]
    reports: dict[AreaLevel | None, QualityReport] = {
        None: QualityReport(period=data.period, level=None, city=city, units=())
    }
    for level in levels:
        units = _assess_units(data, data.units(level), cleaned, settings)
        reports[level] = QualityReport(
            period=data.period, level=level, city=city, units=tuple(units)
        )
    return reports


def _clean(data: RoundData, settings: CleaningSettings) -> _Cleaned:
    h = data.history

    def cleaned(values: FloatArray, zscores: FloatArray, parameter: Parameter) -> Int8Array:
        return clean_parameter(
            h.child, h.age_days, values, zscores, parameter=parameter, sex=h.sex, settings=settings
        )

    return _Cleaned(
        height=cleaned(h.height_used_cm, h.haz, Parameter.HEIGHT),
        weight=cleaned(h.weight_kg, h.waz, Parameter.WEIGHT),
    )


@dataclass(frozen=True)
class _Results:
    """The checks' reports for the areas of one level (arrays with one element per area)."""

    smart: SmartReport
    who: WhoReport
    copied: CopiedReport
    cleaning: tuple[CleaningSummary, ...]
    cover: Coverage
    ranking: Ranking
    register: SurveyComparison
    surveys: list[tuple[SurveyGap, ...]]
    n_slips: IntArray


def _assess_units(
    data: RoundData, table: UnitTable, cleaned: _Cleaned, s: QualitySettings
) -> list[UnitQuality]:
    results = _run_checks(data, table, cleaned, s)
    return [_unit(table, results, unit) for unit in range(len(table.codes))]


def _run_checks(
    data: RoundData, table: UnitTable, cleaned: _Cleaned, s: QualitySettings
) -> _Results:
    m, h, n = data.month, data.history, len(table.codes)
    group = table.of_posyandu(m.posyandu)
    history_group = np.where(h.month_row >= 0, group[np.maximum(h.month_row, 0)], -1)
    smart = smart_report(data, group, n, s)
    who = who_report(
        zscores={ind: m.zscores[ind] for ind in (Indicator.HAZ, Indicator.WAZ, Indicator.WHZ)},
        age_days=m.age_days,
        sex=m.sex,
        weight_kg=np.where(m.weight_slip, np.nan, m.weight_kg),
        height_cm=np.where(m.height_slip, np.nan, m.height_cm),
        position=m.position,
        group=group,
        birth_date=m.birth_date,
        child=m.child,
        n_groups=n,
        settings=s,
    )
    copied = copied_values(h.child, h.day, h.weight_kg, h.height_cm, history_group, n_groups=n)
    summaries = (
        cleaning_summary(cleaned.height, history_group, n_groups=n),
        cleaning_summary(cleaned.weight, history_group, n_groups=n),
    )
    cover = coverage(m.child, group, table.targets, n_groups=n, settings=s)
    checks = quality_checks(
        smart, who, coverage=cover, copied=copied, cleaning=summaries, settings=s
    )
    valid = data.register_rows()
    haz, haz_group = m.zscores[Indicator.HAZ][valid], group[valid]
    slips = (m.weight_slip | m.height_slip) & (group >= 0)
    return _Results(
        smart=smart,
        who=who,
        copied=copied,
        cleaning=summaries,
        cover=cover,
        ranking=rank_units(smart, checks),
        register=survey_comparison(haz, haz_group, np.full(n, np.nan), n_groups=n),
        surveys=_survey_gaps(table, data.surveys, haz, haz_group),
        n_slips=np.bincount(group[slips], minlength=n).astype(np.int64),
    )


def smart_report(data: RoundData, group: IntArray, n: int, s: QualitySettings) -> SmartReport:
    """The SMART check of ``n`` areas (``group``: each measurement's area, -1 none) on each
    child's last measurement of the month, without the values a unit slip explains."""
    m = data.month
    rows = data.smart_rows()
    slip = m.weight_slip | m.height_slip
    return smart_plausibility(
        whz=np.where(slip, np.nan, m.zscores[Indicator.WHZ])[rows],
        age_months=m.age_months[rows],
        sex=m.sex[rows],
        weight_kg=np.where(m.weight_slip, np.nan, m.weight_kg)[rows],
        height_cm=np.where(m.height_slip, np.nan, m.height_cm)[rows],
        muac_cm=m.muac_cm[rows],
        group=group[rows],
        cluster=m.posyandu[rows],
        n_groups=n,
        settings=s,
    )


def _unit(table: UnitTable, r: _Results, unit: int) -> UnitQuality:
    """The results of area ``unit`` as one dataclass of plain numbers."""
    smart, who, copied, cover = r.smart, r.who, r.copied, r.cover
    implausible = [int(code) for code in IMPLAUSIBLE]
    return UnitQuality(
        code=table.codes[unit],
        name=table.names[unit],
        level=table.level,
        rank=int(r.ranking.rank[unit]),
        n_measurements=int(who.missing.n_rows[unit]),
        n_children=int(cover.measured[unit]),
        n_smart=int(smart.n_children[unit]),
        status=ScoreStatus(int(smart.status[unit])),
        total_points=_number(smart.total_points[unit]),
        band=None if smart.band[unit] < 0 else Band(int(smart.band[unit])),
        n_criteria=int(smart.n_criteria[unit]),
        sex_ratio=_number(smart.sex_ratio.ratio[unit]),
        age_ratio=_number(smart.age_ratio.ratio[unit]),
        criteria=_values(r.ranking, unit, smart, include=True),
        checks=_values(r.ranking, unit, smart, include=False),
        reasons=tuple(r.ranking.reasons(unit)),
        target=_number(cover.target[unit]),
        coverage_percent=_percent(cover.ratio[unit]),
        n_valid_haz=int(r.register.n_valid[unit]),
        n_stunted=int(r.register.n_cases[unit]),
        register_percent=_number(r.register.register_percent[unit]),
        surveys=r.surveys[unit],
        height_digits=tuple(int(x) for x in who.digits_height.digit_counts[unit]),
        weight_digits=tuple(int(x) for x in who.digits_weight.digit_counts[unit]),
        n_position_checked=int(who.position.n_checked[unit]),
        n_position_mismatch=int(who.position.n_mismatch[unit]),
        n_position_missing=int(who.position.n_missing_position[unit]),
        n_with_previous=int(copied.n_with_previous[unit]),
        n_height_repeated=int(copied.n_height_repeated[unit]),
        n_both_repeated=int(copied.n_both_repeated[unit]),
        n_cleaned=int(sum(c.n_checked[unit] for c in r.cleaning)),
        n_implausible=int(sum(c.counts[unit, implausible].sum() for c in r.cleaning)),
        n_who_flagged={
            ind: int(summary.flags.n_flagged[unit]) for ind, summary in who.indices.items()
        },
        n_unit_slips=int(r.n_slips[unit]),
    )


def _values(
    ranking: Ranking, unit: int, smart: SmartReport, *, include: bool
) -> tuple[CheckValue, ...]:
    """The SMART criteria (``include``) or the other checks of one unit."""
    chosen: list[Check] = [c for c in ranking.checks if (c.reason in smart.criteria) == include]
    values = []
    for c in chosen:
        criterion = smart.criteria.get(c.reason)
        band = None if criterion is None else int(criterion.band[unit])
        values.append(
            CheckValue(
                reason=c.reason,
                value=_number(c.value[unit]),
                limit=c.limit,
                triggered=bool(c.triggered[unit]),
                points=None if c.points[unit] < 0 else int(c.points[unit]),
                band=None if band is None or band < 0 else Band(band),
            )
        )
    return tuple(values)


def _survey_gaps(
    table: UnitTable, surveys: Sequence[SurveyRecord], haz: FloatArray, group: IntArray
) -> list[tuple[SurveyGap, ...]]:
    """Per area, each survey's figure for the area and year beside the register."""
    gaps: list[list[SurveyGap]] = [[] for _ in table.codes]
    index = {code: unit for unit, code in enumerate(table.codes) if code is not None}
    for name in sorted({record.survey for record in surveys}):
        records = {r.region_code: r for r in surveys if r.survey == name}
        percent = np.array([records[c].percent if c in records else np.nan for c in table.codes])
        compared = survey_comparison(haz, group, percent, n_groups=len(table.codes))
        for code, record in records.items():
            unit = index.get(code)
            if unit is not None:
                gaps[unit].append(
                    SurveyGap(
                        survey=record.survey,
                        year=record.year,
                        percent=record.percent,
                        low_percent=record.low_percent,
                        high_percent=record.high_percent,
                        source=record.source,
                        gap_points=_number(compared.gap_points[unit]),
                        ratio=_number(compared.ratio[unit]),
                    )
                )
    return [tuple(unit_gaps) for unit_gaps in gaps]


def _number(value: float | np.floating) -> float | None:
    x = float(value)
    return x if np.isfinite(x) else None


def _percent(value: float | np.floating) -> float | None:
    x = _number(value)
    return None if x is None else 100.0 * x
