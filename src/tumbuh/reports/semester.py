"""The TPPS semester report: composed as a PDF and as an XLSX workbook (issue 6).

Fed :class:`tumbuh.reports.semester_data.SemesterData` (numbers only) and the generation date; no
database, clock or network here. The charts and the map are the SVG of
:mod:`tumbuh.reports` (:func:`semester_figures`, which the web application can show as
they are); the tables are :func:`tumbuh.reports.semester_tables.semester_tables`, one
sheet each in the workbook; the sentences are :mod:`tumbuh.reports.semester_text`.
Everything is in the user's language with its number format (``2,62%``, ``31.221``).
Contents and sources: docs/semester-report.md.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tumbuh.growth.quality import Reason
from tumbuh.i18n import Language, translations
from tumbuh.reports.bars import Bar, HistogramBin, bar_chart, histogram
from tumbuh.reports.charts import Estimate, TargetLine, TrendSeries, trend_chart
from tumbuh.reports.choropleth import MapLevel, choropleth_map, load_areas
from tumbuh.reports.pdf import PdfReport, Placement
from tumbuh.reports.quality_text import reason_sentence
from tumbuh.reports.semester_data import SemesterData
from tumbuh.reports.semester_indicators import indicator_sentence
from tumbuh.reports.semester_tables import semester_tables
from tumbuh.reports.semester_text import (
    change_sentence,
    coverage_sentence,
    headline,
    measured_sentence,
    month_name,
    month_short,
    quality_sentence,
    semester_name,
    survey_explanation,
    survey_sentence,
)
from tumbuh.reports.tables import Table
from tumbuh.reports.xlsx import write_workbook

WORST_WITH_SENTENCES = 5  # posyandu whose reasons are written out in the PDF


@dataclass(frozen=True)
class SemesterPdf:
    """The PDF and where each figure landed (for checks that they are drawn)."""

    content: bytes
    figures: dict[str, Placement]


def _pct(share: float | None) -> float | None:
    return None if share is None else 100.0 * share


def semester_figures(data: SemesterData, language: Language) -> dict[str, str]:
    """The report's charts and map as SVG, by name."""
    return {
        "trend": _trend_svg(data, language),
        "surveys": _survey_svg(data, language),
        "kecamatan": _kecamatan_svg(data, language),
        "map": _map_svg(data, language),
        "height_digits": _digits_svg(data, language, height=True),
        "weight_digits": _digits_svg(data, language, height=False),
    }


def _register_series(data: SemesterData, language: Language) -> TrendSeries:
    _ = translations(language).gettext
    return TrendSeries(
        _("Register (e-PPGBM records)"),
        tuple(
            None if p.percent is None else Estimate(p.percent, _pct(p.lower), _pct(p.upper))
            for p in data.trend.points
        ),
    )


def _trend_svg(data: SemesterData, language: Language) -> str:
    # The register's rounds with only register-scale targets (usually none): the national
    # path and the city's 9 % are survey figures, drawn on the survey chart (issue 16).
    from dataclasses import replace

    from tumbuh.growth.targets import TargetScale
    from tumbuh.reports.target_lines import target_lines

    _ = translations(language).gettext
    points = data.trend.points
    years = [p.period.year for p in points]
    national, local = target_lines(
        data.trend.targets,
        scale=TargetScale.REGISTER,
        year=max(years, default=data.semester.year),
        years=years,
        language=language,
    )
    return trend_chart(
        [month_short(p.period, language) for p in points],
        [replace(_register_series(data, language), scale=TargetScale.REGISTER)],
        title=_("Stunting in the register, {area}").format(area=data.city_name),
        target=national,
        local_target=local,
        language=language,
        ident="semester-trend",
    )


def _survey_svg(data: SemesterData, language: Language) -> str:
    # The surveys (SSGI/SKI) per year with the survey-scale targets: the national target
    # of the report's year and the city's latest own one; the register is not drawn
    # against them (issue 16; tumbuh.reports.target_lines).
    from tumbuh.reports.target_lines import survey_chart

    _ = translations(language).gettext
    year = data.semester.year
    chart = survey_chart(
        data.surveys,
        data.trend.targets,
        title=_("Surveys and the targets, {area}").format(area=data.city_name),
        year=year,
        language=language,
        ident="semester-surveys",
    )
    if chart is not None:
        return chart
    return trend_chart(
        [str(year)],
        [TrendSeries(_("Survey (SSGI/SKI)"), (None,))],
        title=_("Surveys and the targets, {area}").format(area=data.city_name),
        language=language,
        places=1,
        ident="semester-surveys",
    )


def _kecamatan_svg(data: SemesterData, language: Language) -> str:
    _ = translations(language).gettext
    bars = [
        Bar(
            area.name,
            None
            if area.now.percent is None
            else Estimate(area.now.percent, area.now.lower_percent, area.now.upper_percent),
            kode=area.code,
        )
        for area in data.kecamatan
    ]
    city = data.city.percent
    return bar_chart(
        bars,
        title=_("Stunting per kecamatan, {month}").format(month=month_name(data.round, language)),
        value_label=_("Prevalence (%)"),
        reference=None if city is None else TargetLine(city, data.city_name),
        language=language,
        ident="semester-kecamatan",
    )


def _map_svg(data: SemesterData, language: Language) -> str:
    _ = translations(language).gettext
    return choropleth_map(
        load_areas(MapLevel.KELURAHAN),
        {area.code: area.now.percent for area in data.kelurahan},
        title=_("Stunting per kelurahan, {month}").format(month=month_name(data.round, language)),
        legend_title=_("Prevalence (%)"),
        boundaries=load_areas(MapLevel.KECAMATAN),
        attribution=_("Boundaries: cahyadsn/wilayah_boundaries (MIT)"),
        language=language,
        ident="semester-map",
    )


def _digits_svg(data: SemesterData, language: Language, *, height: bool) -> str:
    _ = translations(language).gettext
    city = data.quality.city
    counts = city.height_digits if height else city.weight_digits
    month = month_name(data.round, language)
    title = (
        _("Last decimal of lengths/heights, {month}")
        if height
        else _("Last decimal of weights, {month}")
    )
    return histogram(
        [HistogramBin(f".{digit}", count) for digit, count in enumerate(counts)],
        title=title.format(month=month),
        x_label=_("Last decimal"),
        y_label=_("Measurements"),
        expected=TargetLine(sum(counts) / 10, _("Even spread")),
        language=language,
        ident="semester-height-digits" if height else "semester-weight-digits",
    )


def semester_pdf(
    data: SemesterData, *, generated_on: date, language: Language = Language.ID
) -> SemesterPdf:
    """The report as an A4 PDF; ``generated_on`` is printed in the footer."""
    _ = translations(language).gettext
    svg = semester_figures(data, language)
    tables = semester_tables(data, language, printed=True)
    title = _("TPPS semester report, {area}").format(area=data.city_name)
    report = PdfReport(title=title, generated_on=generated_on, language=language)
    report.title_page(
        _("TPPS semester report"),
        f"{data.city_name} \u2013 {semester_name(data.semester, language)}",
        [
            _("Acceleration of stunting reduction (Perpres 72/2021)"),
            _("Bulan timbang {month}, compared with {previous}").format(
                month=month_name(data.round, language),
                previous=month_name(data.previous_round, language),
            ),
            _("Source: the register (e-PPGBM records) in Tumbuh"),
        ],
    )
    placed: dict[str, Placement] = {}
    figure_number = iter(range(1, 20))

    def figure(name: str, caption: str, width_mm: float | None = None) -> None:
        text = _("Figure {number}. {caption}").format(number=next(figure_number), caption=caption)
        placed[name] = report.figure(svg[name], caption=text, width_mm=width_mm)

    report.heading(_("1. Summary"))
    report.paragraph(headline(data, language), bold=True)
    for sentence in (
        measured_sentence(data.city, data, language),
        change_sentence(data, language),
        coverage_sentence(data, language),
        quality_sentence(data, language),
        survey_sentence(data, language),
    ):
        if sentence:
            report.paragraph(sentence)
    report.heading(_("2. Stunting per kecamatan"))
    figure("kecamatan", _("Prevalence with 95% interval; dashed: the city."))
    report.table(tables[0])
    report.table(tables[12])  # Table 1a: the round by age group
    report.heading(_("3. Stunting per kelurahan"))
    figure("map", _("Prevalence per kelurahan; thick lines: kecamatan."))
    report.table(tables[1])
    report.table(tables[13])  # Table 2a: the kelurahan by age group
    report.heading(_("4. Trend"))
    figure("trend", _("Every bulan timbang round, with 95% intervals."))
    report.table(tables[2])
    report.heading(_("5. Cohort flows"))
    report.paragraph(
        _(
            "What became by {second} of the children stunted in {first}, and where the "
            "stunted children of {second} come from."
        ).format(
            first=month_name(data.previous_round, language),
            second=month_name(data.round, language),
        )
    )
    report.table(tables[3])
    report.heading(_("6. Referrals"))
    report.table(tables[4])
    report.heading(_("7. Coverage and SKDN"))
    report.paragraph(coverage_sentence(data, language))
    report.table(tables[5])
    report.table(tables[6])
    _quality_section(report, data, tables, figure, language)
    report.heading(_("9. Register and surveys"))
    figure("surveys", _("The register beside the surveys; dashed red: national target."))
    survey = survey_sentence(data, language)
    if survey:
        report.paragraph(survey)
    for paragraph in survey_explanation(language):
        report.paragraph(paragraph)
    report.table(tables[11])
    _indicator_section(report, data, tables, language)
    report.heading(_("11. Methods"))
    for paragraph in _methods(language):
        report.paragraph(paragraph)
    return SemesterPdf(report.to_bytes(), placed)


def _quality_section(
    report: PdfReport,
    data: SemesterData,
    tables: list[Table],
    figure: Callable[[str, str, float | None], None],
    language: Language,
) -> None:
    _ = translations(language).gettext
    report.heading(_("8. Data quality"))
    report.paragraph(quality_sentence(data, language))
    report.table(tables[7])
    report.table(tables[8])
    figure("height_digits", _("Without digit preference every bar is near the dashed line."), 130)
    figure("weight_digits", _("The same for weights."), 130)
    report.table(tables[9])
    for unit in data.quality.worst(WORST_WITH_SENTENCES):
        report.paragraph(f"{unit.rank}. {unit.name} ({unit.code})", bold=True)
        for item in unit.reasons:
            if item.reason is not Reason.TOO_FEW_CHILDREN:
                sentence = reason_sentence(item.reason, item.value, item.limit, language)
                report.paragraph("- " + sentence)
    report.table(tables[10])


def _indicator_section(
    report: PdfReport, data: SemesterData, tables: list[Table], language: Language
) -> None:
    """Section 10: the specific intervention indicators of the year (Tables 13-16)."""
    if data.indicators is None:
        return
    _ = translations(language).gettext
    report.heading(_("10. Specific interventions, {year}").format(year=data.indicators.year))
    report.paragraph(indicator_sentence(data.indicators, language))
    for table in tables[14:18]:
        report.table(table)


def _methods(language: Language) -> list[str]:
    _ = translations(language).gettext
    return [
        _(
            "Prevalence: each balita counts once per round with its last valid length/height "
            "(WHO 2006 z-score, not flagged); stunted below -2 SD (Permenkes 2/2020); 95% "
            "Wilson intervals. Change between rounds: Newcombe's interval."
        ),
        _(
            "Data quality: the SMART plausibility check (ENA for SMART) on children of 6-59 "
            "months, the WHO/UNICEF data-quality report (unscored), values copied from the "
            "previous measurement and a growthcleanr-style check of each child's growth "
            "curve (docs/methods-quality.md)."
        ),
        _(
            "Sources of the survey figures are in the table above. Register figures are what "
            "was entered; no value has been changed or removed."
        ),
    ]


def write_semester_workbook(
    data: SemesterData, target: Path | io.BytesIO, *, language: Language = Language.ID
) -> None:
    """The report's tables as an .xlsx workbook, one sheet per table."""
    write_workbook(semester_tables(data, language), target, language=language)
