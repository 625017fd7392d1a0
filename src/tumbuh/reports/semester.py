"""The TPPS semester report: composed as a PDF and as an XLSX workbook (issue 6).

Fed :class:`tumbuh.reports.semester_data.SemesterData` (numbers only) and the generation date; no
database, clock or network here. The charts and the map are the SVG of
:mod:`tumbuh.reports` (:func:`semester_figures`, which the web application can show as
they are); the tables are :func:`tumbuh.reports.semester_tables.semester_tables`, one
sheet each in the workbook; the sections are :mod:`tumbuh.reports.semester_sections`,
their sentences :mod:`tumbuh.reports.semester_text` and ``semester_advice``.
Everything is in the user's language with its number format (``2,62%``, ``31.221``).
Contents and sources: docs/semester-report.md.
"""

import io
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from tumbuh.growth.targets import TargetScale
from tumbuh.i18n import Language, translations
from tumbuh.reports.bars import Bar, HistogramBin, bar_chart, histogram
from tumbuh.reports.charts import Estimate, TargetLine, TrendSeries, trend_chart
from tumbuh.reports.choropleth import MapLevel, choropleth_map, load_areas
from tumbuh.reports.letterhead import Letterhead, Signature
from tumbuh.reports.pdf import PdfReport, Placement
from tumbuh.reports.semester_advice import cut_off_line, sub_areas
from tumbuh.reports.semester_data import SemesterData
from tumbuh.reports.semester_sections import SectionWriter
from tumbuh.reports.semester_tables import semester_tables, sub_level
from tumbuh.reports.semester_text import month_name, month_short, semester_name
from tumbuh.reports.semester_tpps import day_text
from tumbuh.reports.target_lines import survey_chart, target_lines
from tumbuh.reports.xlsx import write_workbook


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
        for area in sub_areas(data)
    ]
    city = data.city.percent
    return bar_chart(
        bars,
        title=_("Stunting in each {level}, {month}").format(
            level=sub_level(data), month=month_name(data.round, language)
        ),
        value_label=_("Prevalence (%)"),
        reference=None if city is None else TargetLine(city, data.city_name),
        language=language,
        ident="semester-kecamatan",
    )


def _map_svg(data: SemesterData, language: Language) -> str:
    _ = translations(language).gettext
    inside = data.city_code + "."
    areas = [a for a in load_areas(MapLevel.KELURAHAN) if a.kode.startswith(inside)]
    outlines = load_areas(MapLevel.KECAMATAN)
    if data.is_kecamatan:
        outlines = tuple(a for a in outlines if a.kode == data.city_code)
    return choropleth_map(
        areas,
        {area.code: area.now.percent for area in data.kelurahan},
        title=_("Stunting per kelurahan, {month}").format(month=month_name(data.round, language)),
        legend_title=_("Prevalence (%)"),
        boundaries=outlines,
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
    data: SemesterData,
    *,
    generated_on: date,
    language: Language = Language.ID,
    letterhead: Letterhead | None = None,
    signature: Signature | None = None,
) -> SemesterPdf:
    """The report as an A4 PDF: cover with the letterhead and the data date, summary and
    recommendations first, the sections, the signature, then the appendix of methods and
    data quality. ``generated_on`` is printed in the footer and dates the signature."""
    _ = translations(language).gettext
    svg = semester_figures(data, language)
    title = _("TPPS semester report, {area}").format(area=data.city_name)
    report = PdfReport(title=title, generated_on=generated_on, language=language)
    _cover(report, data, language, letterhead)
    placed: dict[str, Placement] = {}
    figure_number = iter(range(1, 20))

    def figure(name: str, caption: str, width_mm: float | None = None) -> None:
        text = _("Figure {number}. {caption}").format(number=next(figure_number), caption=caption)
        placed[name] = report.figure(svg[name], caption=text, width_mm=width_mm)

    writer = SectionWriter(report, data, semester_tables(data, language, printed=True), language)
    writer.summary()
    writer.recommendations()
    writer.register_sections(figure)
    writer.work_sections()
    writer.surveys(figure)
    if signature is not None:
        report.signature(signature, day_text(signature.day or generated_on, language))
    writer.appendix(figure)
    return SemesterPdf(report.to_bytes(), placed)


def _cover(
    report: PdfReport, data: SemesterData, language: Language, letterhead: Letterhead | None
) -> None:
    _ = translations(language).gettext
    area = data.city_name if data.city_of is None else f"{data.city_name}, {data.city_of}"
    lines = [
        _("Acceleration of stunting reduction (Perpres 72/2021)"),
        _("Bulan timbang {month}, compared with {previous}").format(
            month=month_name(data.round, language),
            previous=month_name(data.previous_round, language),
        ),
    ]
    cut_off = cut_off_line(data, language)
    if cut_off:
        lines.append(cut_off)
    lines.append(_("Source: the records of the posyandu (e-PPGBM) and of the TPPS"))
    report.title_page(
        _("TPPS semester report"),
        f"{area} \u2013 {semester_name(data.semester, language)}",
        lines,
        letterhead=letterhead,
    )


def write_semester_workbook(
    data: SemesterData, target: Path | io.BytesIO, *, language: Language = Language.ID
) -> None:
    """The report's tables as an .xlsx workbook, one sheet per table, in the PDF's order."""
    write_workbook(list(semester_tables(data, language).values()), target, language=language)
