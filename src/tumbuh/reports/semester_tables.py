"""The tables of the TPPS semester report, shared by its PDF and its XLSX.

Numbers stay numbers (:class:`tumbuh.reports.tables.Table`): the PDF prints them the
Indonesian way, the workbook stores them as numbers. Headings are in the user's
language; each table's ``sheet_name`` names its sheet in the workbook.
"""

import re
from collections.abc import Callable
from dataclasses import replace

from tumbuh.growth.flows import FLOWS
from tumbuh.growth.referrals import ListKind, ReferralReason
from tumbuh.i18n import Language, translations
from tumbuh.labels import CHANGE_NAMES, FLOW_NAMES, PROGRAMME_CODES, REASON_HEADINGS
from tumbuh.reports.semester_advice import sub_areas
from tumbuh.reports.semester_ages import kelurahan_age_table
from tumbuh.reports.semester_data import PrevalenceFigure, SemesterData
from tumbuh.reports.semester_indicators import indicator_tables
from tumbuh.reports.semester_nutrition import nutrition_table
from tumbuh.reports.semester_programmes import asuh_table, has_activity, pmt_table
from tumbuh.reports.semester_quality import (
    digit_preference_table,
    quality_criteria_table,
    quality_criteria_table_printed,
    quality_kecamatan_table,
    worst_posyandu_table,
)
from tumbuh.reports.semester_text import month_name, month_short
from tumbuh.reports.semester_tpps import (
    aksi_table,
    audit_case_table,
    audit_cause_table,
    commitment_table,
    lokus_table,
    previous_rtl_table,
    rtl_table,
)
from tumbuh.reports.tables import Cell, Column, ColumnKind, Table

INTEGER, DECIMAL, TEXT = ColumnKind.INTEGER, ColumnKind.DECIMAL, ColumnKind.TEXT


def _pct(share: float | None) -> float | None:
    """A share 0-1 as percent."""
    return None if share is None else 100.0 * share


def _interval_columns(gettext: Callable[[str], str]) -> tuple[Column, Column]:
    """The bounds of a prevalence's 95% interval, in percent."""
    return (
        Column(gettext("95% CI low (%)"), DECIMAL, 2),
        Column(gettext("95% CI high (%)"), DECIMAL, 2),
    )


def _prevalence_cells(row: PrevalenceFigure) -> tuple[Cell, ...]:
    return (row.measured, row.cases, row.percent, row.lower_percent, row.upper_percent)


def semester_tables(
    data: SemesterData, language: Language, *, printed: bool = False
) -> dict[str, Table]:
    """Every table of the report by name, in the order the PDF shows them, numbered.

    ``printed`` (the PDF) writes the SMART criteria as text (``< 0,001``) and survey
    sources without their web address; the workbook keeps numbers and full sources.
    Tables whose data are missing are left out (the PDF says so in a sentence).
    """
    tables: dict[str, Table] = {}
    for status in data.nutrition:
        tables[f"status-{status.label}"] = nutrition_table(status, data, language)
    tables["kecamatan"] = kecamatan_table(data, language)
    tables["kelurahan"] = kelurahan_table(data, language)
    tables["kelurahan-ages"] = kelurahan_age_table(data, language)
    tables["trend"] = trend_table(data, language)
    tables["flows"] = flows_table(data, language)
    if data.tpps is not None and data.tpps.lokus:
        tables["lokus"] = lokus_table(data.tpps.lokus, data.semester.start.year, language)
    tables["coverage"] = coverage_table(data, language)
    tables["skdn"] = skdn_table(data, language)
    tables["referrals"] = referrals_table(data, language)
    tables.update(_programme_tables(data, language))
    if data.indicators is not None:
        keys = ("indicators", "indicators-entered", "indicators-kelurahan", "krs")
        tables.update(zip(keys, indicator_tables(data.indicators, language), strict=True))
    tables.update(_tpps_tables(data, language))
    tables["surveys"] = (survey_table_printed if printed else survey_table)(data, language)
    tables["smart"] = (quality_criteria_table_printed if printed else quality_criteria_table)(
        data, language
    )
    tables["quality-kecamatan"] = quality_kecamatan_table(data, language)
    tables["posyandu"] = worst_posyandu_table(data, language)
    tables["digits"] = digit_preference_table(data, language)
    return _numbered(tables)


def _programme_tables(data: SemesterData, language: Language) -> dict[str, Table]:
    found = data.programmes
    if found is None:
        return {}
    pmt, money = has_activity(found)
    tables = {}
    if pmt:
        tables["pmt"] = pmt_table(found, language)
    if money:
        tables["asuh"] = asuh_table(found, language)
    return tables


def _tpps_tables(data: SemesterData, language: Language) -> dict[str, Table]:
    tpps = data.tpps
    if tpps is None:
        return {}
    tables = {}
    if tpps.audit is not None:
        tables["audit-cases"] = audit_case_table(tpps.audit, language)
        if tpps.audit.causes:
            tables["audit-causes"] = audit_cause_table(tpps.audit, language)
        if tpps.audit.rtl:
            tables["rtl"] = rtl_table(tpps.audit, language)
        if tpps.audit.previous_rtl:
            tables["previous-rtl"] = previous_rtl_table(tpps.audit, language)
    if tpps.commitments:
        tables["commitments"] = commitment_table(tpps.commitments, language)
    if tpps.aksi:
        tables["aksi"] = aksi_table(tpps.aksi, data.semester.start.year, language)
    return tables


_NUMBER = re.compile(r"^(\S+) (\d+[a-z]?)\. ")
_REFERENCE = re.compile(r"\b(Tabel|Table) (\d+[a-z]?)\b")


def _numbered(tables: dict[str, Table]) -> dict[str, Table]:
    """The tables numbered 1, 2, 3 ... in order; a note's "Tabel 2" follows its table."""
    renumbered: dict[str, str] = {}
    result: dict[str, Table] = {}
    for number, (key, table) in enumerate(tables.items(), 1):
        match = _NUMBER.match(table.title)
        title = table.title
        if match is not None:
            renumbered.setdefault(match.group(2), str(number))
            title = f"{match.group(1)} {number}. {table.title[match.end() :]}"
        result[key] = replace(table, title=title)
    for key, table in result.items():
        if table.note:
            note = _REFERENCE.sub(
                lambda m: f"{m.group(1)} {renumbered.get(m.group(2), m.group(2))}", table.note
            )
            result[key] = replace(table, note=note)
    return result


def sub_level(data: SemesterData) -> str:
    """The level of the areas under the report's area (programme words, not translated)."""
    return "kelurahan" if data.is_kecamatan else "kecamatan"


def kecamatan_table(data: SemesterData, language: Language) -> Table:
    """Prevalence per kecamatan in the round, the previous round and the change."""
    _ = translations(language).gettext
    previous = month_short(data.previous_round, language)
    rows: list[tuple[Cell, ...]] = []
    for area in (
        (None, data.city, data.city_before),
        *((a, a.now, a.before) for a in sub_areas(data)),
    ):
        unit, now, before = area
        name = data.city_name if unit is None else unit.name
        before_percent = None if before is None else before.percent
        change = (
            None if now.percent is None or before_percent is None else now.percent - before_percent
        )
        if change is not None and round(change, 2) == 0:
            change = 0.0  # printed as 0,00, not -0,00
        rows.append((name, *_prevalence_cells(now), before_percent, change))
    return Table(
        _("Table {number}. Stunting prevalence per {level}, {month}").format(
            number=1, level=sub_level(data), month=month_name(data.round, language)
        ),
        (
            Column(_("Area"), width=1.6),
            Column(_("Balita measured"), INTEGER),
            Column(_("Stunted"), INTEGER),
            Column(_("Prevalence (%)"), DECIMAL, 2),
            *_interval_columns(_),
            Column(_("Prevalence {month} (%)").format(month=previous), DECIMAL, 2),
            Column(_("Change (points)"), DECIMAL, 2),
        ),
        tuple(rows),
        note=_(
            "Each balita counts once, with the last valid length/height of the month; the "
            "95% range shows how far the share may lie from chance alone. Change = this "
            "round minus {month}, in percentage points."
        ).format(month=month_name(data.previous_round, language)),
        sheet_name="Kecamatan",
    )


def kelurahan_table(data: SemesterData, language: Language) -> Table:
    """Prevalence and coverage per kelurahan in the round."""
    _ = translations(language).gettext
    rows = tuple(
        (
            area.kecamatan_name or "",
            area.name,
            *_prevalence_cells(area.now),
            None if area.coverage is None else area.coverage.target_s,
            None if area.coverage is None else _pct(area.coverage.measured_share),
        )
        for area in data.kelurahan
    )
    return Table(
        _("Table {number}. Stunting prevalence per kelurahan, {month}").format(
            number=2, month=month_name(data.round, language)
        ),
        (
            Column("Kecamatan", width=1.3),
            Column("Kelurahan", width=1.5),
            Column(_("Measured"), INTEGER),
            Column(_("Stunted"), INTEGER),
            Column(_("Prevalence (%)"), DECIMAL, 2, width=1.2),
            *_interval_columns(_),
            Column(_("Target S"), INTEGER),
            Column(_("Measured / S (%)"), DECIMAL, 1),
        ),
        rows,
        note=_("Target S: balita Dinkes targets in the kelurahan for the year."),
        sheet_name="Kelurahan",
    )


def trend_table(data: SemesterData, language: Language) -> Table:
    """The city's bulan timbang rounds with change, verdict and local target."""
    _ = translations(language).gettext
    rows = tuple(
        (
            month_name(p.period, language),
            p.measured,
            p.cases,
            p.percent,
            _pct(p.lower),
            _pct(p.upper),
            _pct(p.change),
            _(CHANGE_NAMES[p.verdict]) if CHANGE_NAMES[p.verdict] else "",
            p.local_target_percent,
        )
        for p in data.trend.points
    )
    return Table(
        _("Table {number}. Stunting in the register, every bulan timbang, {area}").format(
            number=3, area=data.city_name
        ),
        (
            Column(_("Round"), width=1.4),
            Column(_("Measured"), INTEGER),
            Column(_("Stunted"), INTEGER),
            Column(_("Prevalence (%)"), DECIMAL, 2, width=1.2),
            *_interval_columns(_),
            Column(_("Change (points)"), DECIMAL, 2, width=1.2),
            Column(_("Direction"), width=1.5),
            Column(_("Local target (%)"), DECIMAL, 1),
        ),
        rows,
        note=_(
            "Direction: down or up when the change is larger than chance alone could make "
            "it; otherwise the change is within the uncertainty."
        ),
        sheet_name=_("Trend"),
    )


def flows_table(data: SemesterData, language: Language) -> Table:
    """Cohort flows per kecamatan from the previous round to this one."""
    _ = translations(language).gettext
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            data.city_name if row.level == "kota" else (row.name or _("(no posyandu)")),
            *(row.counts[flow] for flow in FLOWS),
            row.children,
        )
        for row in data.flows
    )
    return Table(
        _("Table {number}. Cohort flows from {first} to {second}").format(
            number=4,
            first=month_name(data.previous_round, language),
            second=month_name(data.round, language),
        ),
        (
            Column(_("Area"), width=1.5),
            *(Column(_(FLOW_NAMES[flow]), INTEGER) for flow in FLOWS),
            Column(_("Children"), INTEGER),
        ),
        rows,
        note=_(
            "Every child measured in either round is counted once, in the area of its last "
            "round. Recovered: stunted in the first round, not in the second."
        ),
        sheet_name=_("Cohort flows"),
    )


def referrals_table(data: SemesterData, language: Language) -> Table:
    """Children on the referral list each month of the semester, by reason."""
    _ = translations(language).gettext
    reasons = [
        r
        for r in ReferralReason
        if r.action is ListKind.REFER
        and (r is not ReferralReason.ABOVE_ORANGE or any(m.by_reason[r] for m in data.referrals))
    ]
    titles = [
        REASON_HEADINGS[r] if r in PROGRAMME_CODES else _(REASON_HEADINGS[r]) for r in reasons
    ]
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (month_name(m.month, language), m.children, *(m.by_reason[r] for r in reasons))
        for m in data.referrals
    )
    return Table(
        _("Table {number}. Children to refer, {semester}").format(
            number=5, semester=data.semester.label
        ),
        (
            Column(_("Month"), width=1.4),
            Column(_("Children"), INTEGER),
            *(Column(title, INTEGER) for title in titles),
        ),
        rows,
        note=_(
            "A child can have several reasons. 2T: weight not gained at two weighings in a "
            "row; BGM: weight-for-age below the red line. A single T is counselled at the "
            "posyandu, not referred. The names are in the referral list."
        ),
        sheet_name=_("Referrals"),
    )


def coverage_table(data: SemesterData, language: Language) -> Table:
    """Target, registered, weighed and measured balita per kecamatan in the round."""
    _ = translations(language).gettext
    rows = tuple(
        (
            name,
            row.target_s,
            row.registered,
            row.weighed,
            row.measured,
            _pct(row.weighed_share),
            _pct(row.measured_share),
        )
        for name, row in (
            (data.city_name, data.city_coverage),
            *((a.name, a.coverage) for a in sub_areas(data) if a.coverage is not None),
        )
    )
    return Table(
        _("Table {number}. Coverage, {month}").format(
            number=6, month=month_name(data.round, language)
        ),
        (
            Column(_("Area"), width=1.5),
            Column(_("Target S"), INTEGER),
            Column(_("Registered"), INTEGER),
            Column(_("Weighed (D)"), INTEGER),
            Column(_("Length/height measured"), INTEGER, width=1.1),
            Column("D/S (%)", DECIMAL, 1),
            Column(_("Measured / S (%)"), DECIMAL, 1),
        ),
        rows,
        note=_(
            "Target of Perpres 72/2021 for 2024: D/S of 90%; BKKBN: register "
            "prevalence needs about 95% of balita measured."
        ),
        sheet_name=_("Coverage"),
    )


def skdn_table(data: SemesterData, language: Language) -> Table:
    """The city's SKDN in the round's month."""
    _ = translations(language).gettext
    s = data.city_skdn
    return Table(
        _("Table {number}. SKDN of {area}, {month}").format(
            number=7, area=data.city_name, month=month_name(data.round, language)
        ),
        (
            Column("S", INTEGER),
            Column("K", INTEGER),
            Column("D", INTEGER),
            Column("N", INTEGER),
            Column("K/S (%)", DECIMAL, 1),
            Column("D/S (%)", DECIMAL, 1),
            Column("N/D (%)", DECIMAL, 1),
            Column("N/D' (%)", DECIMAL, 1),
        ),
        ((s.s, s.k, s.d, s.n, _pct(s.k_s), _pct(s.d_s), _pct(s.n_d), _pct(s.n_d_prime)),),
        note=_(
            "S: registered balita; K: with KMS/Buku KIA; D: weighed; N: weight gained "
            "(KBM); D': weighed this month and last month."
        ),
        sheet_name="SKDN",
    )


def survey_table(data: SemesterData, language: Language) -> Table:
    """Each survey figure of the city beside the register's round of the same year."""
    _ = translations(language).gettext
    rows = tuple(
        (
            s.year,
            s.survey,
            s.percent,
            s.low_percent,
            s.high_percent,
            "" if s.register is None else month_name(s.register.period, language),
            None if s.register is None else s.register.percent,
            s.gap_points,
            s.source or "",
        )
        for s in data.surveys
    )
    return Table(
        _("Table {number}. Register and surveys, {area}").format(number=12, area=data.city_name),
        (
            Column(_("Year"), width=0.6),
            Column(_("Survey"), width=0.7),
            Column(_("Survey (%)"), DECIMAL, 1, width=0.8),
            Column(_("Low (%)"), DECIMAL, 1, width=0.7),
            Column(_("High (%)"), DECIMAL, 1, width=0.7),
            Column(_("Register round"), width=1.2),
            Column(_("Register (%)"), DECIMAL, 2, width=0.9),
            Column(_("Gap (points)"), DECIMAL, 1, width=0.8),
            Column(_("Source"), width=2.6),
        ),
        rows,
        note=_("Gap: survey minus register, percentage points. Never averaged."),
        sheet_name=_("Register and surveys"),
    )


def survey_table_printed(data: SemesterData, language: Language) -> Table:
    """:func:`survey_table` without the sources (the PDF lists them in its appendix, as
    they were entered, in whatever language)."""
    table = survey_table(data, language)
    rows = tuple(row[:-1] for row in table.rows)
    return Table(table.title, table.columns[:-1], rows, table.note, table.sheet_name)


def short_source(source: str) -> str:
    """``SSGI 2021 via databoks: https://databoks.katadata.co.id/...`` ->
    ``SSGI 2021 via databoks (databoks.katadata.co.id)``."""
    match = re.search(r"https?://([^/\s]+)\S*", source)
    if match is None:
        return source
    text = (source[: match.start()] + source[match.end() :]).strip().rstrip(":").strip()
    return f"{text} ({match.group(1)})" if text else match.group(1)
