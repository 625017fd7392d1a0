"""The plain sentences of the TPPS semester report for officials (issue 16): the key
numbers of the summary, the recommendations drawn from the data, and what the TPPS's
own sections say, including the one sentence a section prints when its data are missing.

Pure functions of :class:`tumbuh.reports.semester_data.SemesterData`; English message
ids, Indonesian in ``semester.po``. No statistics words here (they are in the appendix).
"""

from tumbuh.formatting import format_integer
from tumbuh.growth.quality import Band, ScoreStatus
from tumbuh.growth.tpps import ActionStatus
from tumbuh.i18n import Language, translations
from tumbuh.reports.semester_data import AreaFigures, SemesterData
from tumbuh.reports.semester_text import month_name, percent, semester_name
from tumbuh.reports.semester_tpps import day_text
from tumbuh.reports.tpps_data import ActionLine, AuditFigures

D_S_TARGET = 0.90  # Perpres 72/2021, Annex A: D/S of 90 % in 2024
RISE_POINTS = 0.5  # a rise of stunting worth naming, percentage points [project]
NAMED_AREAS = 3  # areas a recommendation names


def sub_areas(data: SemesterData) -> tuple[AreaFigures, ...]:
    """The areas under the report's area: kecamatan of the city, or kelurahan."""
    return data.kelurahan if data.is_kecamatan else data.kecamatan


def _names(areas: list[AreaFigures]) -> str:
    return ", ".join(a.name for a in areas[:NAMED_AREAS])


def status_sentence(data: SemesterData, language: Language) -> str | None:
    """Wasting, underweight and overweight among all balita of the area in the round."""
    _ = translations(language).gettext
    shares = {}
    for status in data.nutrition[1:]:
        if status.areas:
            shares[status.label] = percent(status.areas[0].total.percent, language)
    if len(shares) < 3:
        return None
    wasting, underweight, overweight = shares.values()
    return _(
        "Among the balita measured in {month}, {wasting} were wasted (too thin for their "
        "height), {underweight} underweight and {overweight} overweight."
    ).format(
        month=month_name(data.round, language),
        wasting=wasting,
        underweight=underweight,
        overweight=overweight,
    )


def quality_plain(data: SemesterData, language: Language) -> str:
    """The quality of the round's measuring in one plain sentence."""
    _ = translations(language).gettext
    city = data.quality.city
    month = month_name(data.round, language)
    if city.status is ScoreStatus.TOO_FEW or city.band is None:
        return _("Too few children were measured in {month} to judge the measuring.").format(
            month=month
        )
    words = {
        Band.EXCELLENT: _("very good"),
        Band.GOOD: _("good"),
        Band.ACCEPTABLE: _("acceptable"),
        Band.PROBLEMATIC: _("poor"),
    }
    return _(
        "The quality of the measuring in {month} was {word}; the appendix explains the check."
    ).format(month=month, word=words[city.band])


def _rising(data: SemesterData) -> list[AreaFigures]:
    rising = []
    for area in sub_areas(data):
        now = area.now.percent
        before = None if area.before is None else area.before.percent
        if now is not None and before is not None and now - before >= RISE_POINTS:
            rising.append((now - before, area))
    return [area for _rise, area in sorted(rising, key=lambda item: -item[0])]


def _highest(data: SemesterData) -> list[AreaFigures]:
    measured = [a for a in data.kelurahan if a.now.percent is not None and a.now.measured >= 30]
    return sorted(measured, key=lambda a: -(a.now.percent or 0.0))


def _low_coverage(data: SemesterData) -> list[AreaFigures]:
    low = [
        a
        for a in sub_areas(data)
        if a.coverage is not None
        and a.coverage.weighed_share is not None
        and a.coverage.weighed_share < D_S_TARGET
    ]
    return sorted(low, key=lambda a: a.coverage.weighed_share or 0.0 if a.coverage else 0.0)


def open_actions(data: SemesterData) -> list[ActionLine]:
    """The RTL items and commitments of the report that are overdue on the data date."""
    tpps = data.tpps
    if tpps is None:
        return []
    actions = list(tpps.commitments or ())
    if tpps.audit is not None:
        actions += [*tpps.audit.rtl, *tpps.audit.previous_rtl]
    return [a for a in actions if a.overdue]


def recommendations(data: SemesterData, language: Language) -> list[str]:
    """What the data ask of the TPPS, most pressing first."""
    _ = translations(language).gettext
    found: list[str] = []
    rising = _rising(data)
    if rising:
        found.append(
            _(
                "Stunting rose since {month} in {areas}: look there first for children "
                "who stopped gaining height, and for their causes."
            ).format(month=month_name(data.previous_round, language), areas=_names(rising))
        )
    highest = _highest(data)
    if highest:
        found.append(
            _(
                "The kelurahan with the highest share of stunted children are {areas}: make "
                "sure they receive the programmes (PMT, Bapak Asuh, home visits)."
            ).format(areas=_names(highest))
        )
    found += _coverage_advice(data, language)
    overdue = open_actions(data)
    if overdue:
        found.append(
            _(
                "{count} follow-up actions and commitments are past their due date: ask "
                "those responsible to carry them out or to report why not."
            ).format(count=format_integer(len(overdue), language))
        )
    if data.tpps is not None and data.tpps.audit is not None:
        found += [
            _("From the case audit: {text}").format(text=text)
            for text in data.tpps.audit.recommendations
        ]
    if data.quality.city.band in (Band.ACCEPTABLE, Band.PROBLEMATIC):
        found.append(
            _(
                "Improve the measuring at the posyandu (calibrated boards and scales, "
                "trained kader); the appendix names the posyandu to visit first."
            )
        )
    return found


def _coverage_advice(data: SemesterData, language: Language) -> list[str]:
    _ = translations(language).gettext
    share = data.city_coverage.weighed_share
    if share is None or share >= D_S_TARGET:
        return []
    low = _low_coverage(data)
    text = _(
        "Only {share} of the target balita were weighed in {month} (the target is {target}): "
        "bring the other children to the posyandu."
    ).format(
        share=percent(100 * share, language, 1),
        month=month_name(data.round, language),
        target=percent(100 * D_S_TARGET, language, 0),
    )
    if low:
        text += " " + _("The lowest: {areas}.").format(areas=_names(low))
    return [text]


def missing_sentence(what: str, language: Language) -> str:
    """The one sentence of a section whose data are missing; ``what`` is a message id."""
    _ = translations(language).gettext
    return _("No data on {what} have been recorded for this semester yet.").format(what=_(what))


def audit_sentence(audit: AuditFigures, language: Language) -> str:
    """The audit in one sentence: cases, places, worksheets done, dissemination."""
    _ = translations(language).gettext
    cases = sum(count for _group, count in audit.cases)
    text = _(
        "The case audit of {semester} examined {cases} cases in {places}; the expert team "
        "completed the worksheet of {reviewed}."
    ).format(
        semester=semester_name(audit.semester, language),
        cases=format_integer(cases, language),
        places=", ".join(audit.locus) or _("the city"),
        reviewed=format_integer(audit.reviewed, language),
    )
    if audit.disseminated_on is None:
        return text + " " + _("The results have not yet been presented to the partners.")
    return (
        text
        + " "
        + _("The results were presented to the partners on {day}.").format(
            day=day_text(audit.disseminated_on, language)
        )
    )


def actions_sentence(actions: tuple[ActionLine, ...], language: Language) -> str:
    """``12 komitmen: 5 terlaksana, 3 lewat tenggat.``"""
    _ = translations(language).gettext
    done = sum(a.status is ActionStatus.DONE for a in actions)
    overdue = sum(a.overdue for a in actions)
    return _("{count} in all: {done} carried out, {overdue} overdue.").format(
        count=format_integer(len(actions), language),
        done=format_integer(done, language),
        overdue=format_integer(overdue, language),
    )


def aksi_sentence(done: int, year: int, language: Language) -> str:
    """``5 dari 8 aksi konvergensi 2024 telah terlaksana.``"""
    _ = translations(language).gettext
    return _("{done} of the 8 convergence actions of {year} have been carried out.").format(
        done=done, year=year
    )


def cut_off_line(data: SemesterData, language: Language) -> str | None:
    """``Data per tanggal 31 Desember 2024``."""
    _ = translations(language).gettext
    if data.cut_off is None:
        return None
    return _("Data as of {day}").format(day=day_text(data.cut_off, language))
