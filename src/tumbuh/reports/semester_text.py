"""The sentences of the TPPS semester report, in the user's language.

Pure functions of :class:`tumbuh.reports.semester_data.SemesterData`: the headline ("Pada Agustus
2024 tercatat 818 balita (2,62%) mengalami stunting, turun dari 876 balita (2,87%) pada
Februari 2024"), whether the change is more than chance, coverage, data quality and the
register beside the surveys. Message ids are English; the Indonesian text is in
``locale/id/LC_MESSAGES/semester.po``. Plain words for officials: the names of the
methods are in the appendix (:func:`tumbuh.reports.semester_sections.methods`).
Numbers follow the language (``2,62%``, ``31.221``).
"""

from babel.dates import format_date

from tumbuh.formatting import format_decimal_places, format_integer
from tumbuh.growth.periods import Period
from tumbuh.growth.quality import Reason, ScoreStatus
from tumbuh.growth.trend import Change
from tumbuh.i18n import Language, translations
from tumbuh.reports.quality_text import band_label, reason_name, status_text
from tumbuh.reports.semester_data import PrevalenceFigure, SemesterData, SurveyBeside

LOCALES = {Language.ID: "id_ID", Language.EN: "en_US"}
ROMAN = {1: "I", 2: "II"}
# A register's sex and age ratios show who attends, not sampling error (docs/data-quality.md §0).
ATTENDANCE_REASONS = frozenset({Reason.SEX_RATIO, Reason.AGE_RATIO})


def month_name(period: Period, language: Language) -> str:
    """``Agustus 2024``."""
    return format_date(period.start, "MMMM y", locale=LOCALES[language])


def month_short(period: Period, language: Language) -> str:
    """``Agu 2024`` (chart labels)."""
    return format_date(period.start, "MMM y", locale=LOCALES[language])


def semester_name(semester: Period, language: Language) -> str:
    """``Semester II 2024``."""
    _ = translations(language).gettext
    half = 1 if semester.start.month <= 6 else 2
    return _("Semester {half}, {year}").format(half=ROMAN[half], year=semester.start.year)


def percent(value: float | None, language: Language, places: int = 2) -> str:
    """``2,62%``; an en dash for no value."""
    if value is None:
        return "\u2013"
    return format_decimal_places(value, places, language) + "%"


def points(value: float, language: Language, places: int = 2) -> str:
    """A change in percentage points with its sign: ``-0,25``, ``+1,10``."""
    text = format_decimal_places(abs(value), places, language)
    if round(value, places) == 0:
        return text
    return ("-" if value < 0 else "+") + text


def headline(data: SemesterData, language: Language) -> str:
    """The first sentence: stunted balita in the round, and the direction since the last.

    The direction (turun/naik/tetap) is that of the prevalence as printed, to two
    decimals: the share of measured children is what the programme tracks.
    """
    _ = translations(language).gettext
    now, before = data.city, data.city_before
    values = {
        "month": month_name(data.round, language),
        "count": format_integer(now.cases, language),
        "percent": percent(now.percent, language),
        "previous_month": month_name(data.previous_round, language),
        "previous_count": format_integer(before.cases, language),
        "previous_percent": percent(before.percent, language),
    }
    if now.percent is None:
        return _("In {month} no balita had a valid length/height in the register.").format(**values)
    if before.percent is None:
        return _("In {month} {count} balita ({percent}) were recorded as stunted.").format(**values)
    current, previous = round(now.percent, 2), round(before.percent, 2)
    if current < previous:
        template = _(
            "In {month} {count} balita ({percent}) were recorded as stunted, down from "
            "{previous_count} balita ({previous_percent}) in {previous_month}."
        )
    elif current > previous:
        template = _(
            "In {month} {count} balita ({percent}) were recorded as stunted, up from "
            "{previous_count} balita ({previous_percent}) in {previous_month}."
        )
    else:
        template = _(
            "In {month} {count} balita ({percent}) were recorded as stunted, the same share "
            "as in {previous_month} ({previous_count} balita, {previous_percent})."
        )
    return template.format(**values)


def measured_sentence(row: PrevalenceFigure, data: SemesterData, language: Language) -> str:
    """How many balita the figure rests on."""
    _ = translations(language).gettext
    return _(
        "The figure counts {measured} balita whose length/height was measured in {month}, "
        "each once; a child is stunted when it is short for its age by the WHO growth "
        "standard (Permenkes 2/2020)."
    ).format(
        measured=format_integer(row.measured, language), month=month_name(data.round, language)
    )


def change_sentence(data: SemesterData, language: Language) -> str | None:
    """Whether the change since the previous round is larger than its uncertainty."""
    _ = translations(language).gettext
    point = data.round_point
    if point is None or point.change is None or point.change_lower is None:
        return None
    values = {
        "change": points(100 * point.change, language),
        "low": points(100 * point.change_lower, language),
        "high": points(100 * (point.change_upper or 0.0), language),
    }
    if point.verdict is Change.DOWN:
        template = _(
            "The fall of {change} percentage points is larger than chance alone would "
            "give (likely range {low} to {high} points): a real improvement."
        )
    elif point.verdict is Change.UP:
        template = _(
            "The rise of {change} percentage points is larger than chance alone would "
            "give (likely range {low} to {high} points): a real worsening."
        )
    else:
        template = _(
            "The change of {change} percentage points is small enough to be chance (likely "
            "range {low} to {high} points): the register cannot yet tell a real change."
        )
    return template.format(**values)


def coverage_sentence(data: SemesterData, language: Language) -> str:
    """Measured children against the target S, and whether that is enough to trust."""
    _ = translations(language).gettext
    row = data.city_coverage
    month = month_name(data.round, language)
    if row.target_s is None or row.measured_share is None:
        return _(
            "No target number of balita (S) has been entered for {year}, so coverage is "
            "unknown; the health office can enter it in Tumbuh."
        ).format(year=data.round.year)
    values = {
        "measured": format_integer(row.measured, language),
        "target": format_integer(row.target_s, language),
        "month": month,
        "share": percent(100 * row.measured_share, language, 1),
        "trusted": percent(100 * data.coverage_trusted, language, 0),
    }
    if row.measured_share < data.coverage_trusted:
        return _(
            "In {month} {measured} of {target} target balita were measured ({share}), below "
            "the {trusted} BKKBN considers necessary to trust register prevalence: the figure "
            "describes the children who came."
        ).format(**values)
    return _(
        "In {month} {measured} of {target} target balita were measured ({share}), at or above "
        "the {trusted} BKKBN considers necessary to trust register prevalence."
    ).format(**values)


def quality_sentence(data: SemesterData, language: Language) -> str:
    """The city's SMART score, its band and its main reasons."""
    _ = translations(language).gettext
    city = data.quality.city
    month = month_name(data.round, language)
    if city.status is ScoreStatus.TOO_FEW:
        return _("In {month} too few children were measured for a data-quality score.").format(
            month=month
        )
    reasons = [item for item in city.reasons if item.points > 0]
    names = ", ".join(reason_name(item.reason, language) for item in reasons)
    text = _("Data-quality score of {month} (SMART): {status}, {band}.").format(
        month=month,
        status=status_text(city.status, city.total_points, city.n_criteria, language),
        band=band_label(city.band, language),
    )
    if names:
        text += " " + _("Points were lost on: {names}.").format(names=names)
    if any(item.reason in ATTENDANCE_REASONS for item in reasons):
        text += " " + _(
            "In a register, unbalanced sex or age groups show who comes to the posyandu, not "
            "a sampling error."
        )
    return text


def survey_sentence(data: SemesterData, language: Language) -> str | None:
    """The latest survey figure beside the register's round of the same year."""
    _ = translations(language).gettext
    latest = _latest_compared(data.surveys)
    if latest is None or latest.register is None or latest.gap_points is None:
        return None
    return _(
        "{survey} {year} estimated {survey_percent} of balita in {area} to be stunted; the "
        "register's {round} round recorded {register_percent}, {gap} percentage points lower."
    ).format(
        survey=latest.survey,
        year=latest.year,
        survey_percent=percent(latest.percent, language, 1),
        area=data.city_name,
        round=month_name(latest.register.period, language),
        register_percent=percent(latest.register.percent, language),
        gap=format_decimal_places(latest.gap_points, 1, language),
    )


def _latest_compared(surveys: tuple[SurveyBeside, ...]) -> SurveyBeside | None:
    compared = [s for s in surveys if s.register is not None]
    return compared[-1] if compared else None


def survey_explanation(language: Language) -> list[str]:
    """Why the register and the surveys differ, and how to read both (docs/domain.md §4)."""
    _ = translations(language).gettext
    return [
        _(
            "SSGI and SKI measure a random sample of households across the city with trained "
            "enumerators and calibrated equipment; they estimate how common stunting is among "
            "all balita and are the official yardstick. The register (e-PPGBM) holds the "
            "children who come to the posyandu, measured by kader with the equipment at hand."
        ),
        _(
            "The register can be far from the survey for reasons this report can partly "
            "show: children who do not come to the posyandu are missing (see coverage); "
            "boards and scales that are not calibrated and measuring without training add "
            "errors; and values copied from the card are not measurements. The data-quality "
            "section shows how far the register's own data reveal these problems."
        ),
        _(
            "The two figures answer different questions and are never averaged. Use the "
            "survey for the size of the problem and the targets; use the register to find, "
            "refer and follow up the children, and to see where measuring must improve."
        ),
    ]
