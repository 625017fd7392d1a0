"""The sections of the TPPS semester report's PDF, in order (issue 16).

Summary and recommendations first; then the children's nutritional status, stunting by
area, trend and cohort flows, the lokus, coverage and referrals, the programmes, the
1,000-days indicators, the case audit, the partners' commitments, the 8 aksi and the
register beside the surveys; the statistical detail and the data quality in the
appendix. Every section prints, also without data: then it says so in one sentence.
"""

from collections.abc import Callable, Iterator
from itertools import count

from tumbuh.growth.quality import Reason
from tumbuh.growth.tpps import ActionStatus
from tumbuh.i18n import Language, translations
from tumbuh.reports.pdf import PdfReport
from tumbuh.reports.quality_text import reason_sentence
from tumbuh.reports.semester_advice import (
    actions_sentence,
    aksi_sentence,
    audit_sentence,
    missing_sentence,
    quality_plain,
    recommendations,
)
from tumbuh.reports.semester_data import SemesterData
from tumbuh.reports.semester_indicators import indicator_sentence
from tumbuh.reports.semester_nutrition import nutrition_sentence
from tumbuh.reports.semester_programmes import asuh_sentence, has_activity, pmt_sentence
from tumbuh.reports.semester_tables import short_source, sub_level
from tumbuh.reports.semester_text import (
    change_sentence,
    coverage_sentence,
    headline,
    measured_sentence,
    month_name,
    quality_sentence,
    survey_explanation,
    survey_sentence,
)
from tumbuh.reports.tables import Table

Figure = Callable[[str, str, float | None], None]
WORST_WITH_SENTENCES = 5  # posyandu whose reasons are written out in the appendix


class SectionWriter:
    """Writes the numbered sections of one report onto a :class:`PdfReport`."""

    def __init__(
        self, report: PdfReport, data: SemesterData, tables: dict[str, Table], language: Language
    ) -> None:
        self.report = report
        self.data = data
        self.tables = tables
        self.language = language
        self._ = translations(language).gettext
        self._number: Iterator[int] = count(1)

    def heading(self, title: str) -> None:
        """A numbered section heading."""
        self.report.heading(f"{next(self._number)}. {title}")

    def table(self, key: str) -> None:
        """The table ``key`` when it exists."""
        if key in self.tables:
            self.report.table(self.tables[key])

    def paragraphs(self, *sentences: str | None) -> None:
        """Each sentence that is not None, as a paragraph."""
        for sentence in sentences:
            if sentence:
                self.report.paragraph(sentence)

    def missing(self, what: str) -> None:
        """The sentence of a section without data (``what``: a message id)."""
        self.report.paragraph(missing_sentence(what, self.language))

    def summary(self) -> None:
        """1. The key numbers and what they mean."""
        data, language, _ = self.data, self.language, self._
        self.heading(_("Summary"))
        self.report.paragraph(headline(data, language), bold=True)
        self.paragraphs(
            measured_sentence(data.city, data, language),
            change_sentence(data, language),
            nutrition_sentence(data, language),
            coverage_sentence(data, language),
            quality_plain(data, language),
            survey_sentence(data, language),
        )
        self._work_summary()

    def _work_summary(self) -> None:
        data, language, _ = self.data, self.language, self._
        if data.programmes is not None:
            pmt, money = has_activity(data.programmes)
            self.paragraphs(
                pmt_sentence(data.programmes, language) if pmt else None,
                asuh_sentence(data.programmes, language) if money else None,
            )
        tpps = data.tpps
        if tpps is not None and tpps.audit is not None:
            self.paragraphs(audit_sentence(tpps.audit, language))
        if tpps is not None and tpps.commitments:
            self.paragraphs(
                _("Partners' commitments: {text}").format(
                    text=actions_sentence(tpps.commitments, language)
                )
            )

    def recommendations(self) -> None:
        """2. What the data ask of the TPPS."""
        _ = self._
        self.heading(_("Recommendations"))
        found = recommendations(self.data, self.language)
        if not found:
            self.report.paragraph(_("The data of this semester call for no particular step."))
        for number, text in enumerate(found, 1):
            self.report.paragraph(f"{number}. {text}")

    def register_sections(self, figure: Figure) -> None:
        """The children's nutritional status, stunting by area, trend and cohort flows."""
        data, language, _ = self.data, self.language, self._
        self.heading(_("Nutritional status of balita"))
        statuses = [key for key in self.tables if key.startswith("status-")]
        if not statuses:
            self.missing("the nutritional status of balita")
        for key in statuses:
            self.table(key)
        self.heading(_("Stunting in each {level}").format(level=sub_level(data)))
        figure("kecamatan", _("Share of stunted balita; dashed line: the whole area."), None)
        self.table("kecamatan")
        self.heading(_("Stunting in each kelurahan"))
        figure("map", _("Share of stunted balita per kelurahan; thick lines: kecamatan."), None)
        self.table("kelurahan")
        self.table("kelurahan-ages")
        self.heading(_("Trend of stunting"))
        figure("trend", _("Every bulan timbang round."), None)
        self.table("trend")
        self.heading(_("What became of the stunted children"))
        self.report.paragraph(
            _(
                "What became by {second} of the children stunted in {first}, and where the "
                "stunted children of {second} come from."
            ).format(
                first=month_name(data.previous_round, language),
                second=month_name(data.round, language),
            )
        )
        self.table("flows")

    def work_sections(self) -> None:
        """Lokus, coverage, referrals, programmes, indicators, audit, commitments, aksi."""
        _ = self._
        self.heading(_("Lokus kelurahan"))
        if "lokus" not in self.tables:
            self.missing("the lokus kelurahan of the year")
        self.table("lokus")
        self.heading(_("Weighing coverage and SKDN"))
        self.paragraphs(coverage_sentence(self.data, self.language))
        self.table("coverage")
        self.table("skdn")
        self.heading(_("Children to refer"))
        self.table("referrals")
        self._programmes()
        self._indicators()
        self._audit()
        self._commitments()
        self._aksi()

    def _programmes(self) -> None:
        data, language, _ = self.data, self.language, self._
        self.heading(_("Programmes: PMT lokal and Bapak Asuh"))
        found = data.programmes
        pmt, money = (False, False) if found is None else has_activity(found)
        if found is not None and pmt:
            self.paragraphs(pmt_sentence(found, language))
        else:
            self.missing("PMT lokal from the kitchens")
        self.table("pmt")
        if found is not None and money:
            self.paragraphs(asuh_sentence(found, language))
        else:
            self.missing("the Bapak Asuh")
        self.table("asuh")

    def _indicators(self) -> None:
        data, _ = self.data, self._
        self.heading(_("The first 1,000 days: specific interventions"))
        if data.indicators is None:
            self.missing("the specific interventions")
            return
        self.paragraphs(indicator_sentence(data.indicators, self.language))
        if data.is_kecamatan:
            self.paragraphs(_("The first table gives the figures of the whole city."))
        for key in ("indicators", "indicators-entered", "indicators-kelurahan", "krs"):
            self.table(key)

    def _audit(self) -> None:
        _ = self._
        self.heading(_("Stunting case audit (Audit Kasus Stunting)"))
        audit = None if self.data.tpps is None else self.data.tpps.audit
        if audit is None:
            self.missing("the Audit Kasus Stunting")
            return
        self.paragraphs(audit_sentence(audit, self.language))
        self.table("audit-cases")
        self.table("audit-causes")
        if audit.recommendations:
            self.report.paragraph(_("Recommendations of the audit for the system:"), bold=True)
            for text in audit.recommendations:
                self.report.paragraph(f"- {text}")
        if audit.rtl:
            self.paragraphs(actions_sentence(audit.rtl, self.language))
        self.table("rtl")
        self.table("previous-rtl")

    def _commitments(self) -> None:
        _ = self._
        self.heading(_("Partners' commitments"))
        found = None if self.data.tpps is None else self.data.tpps.commitments
        if not found:
            self.missing("partners' commitments")
            return
        self.paragraphs(actions_sentence(found, self.language))
        self.table("commitments")

    def _aksi(self) -> None:
        _ = self._
        year = self.data.semester.start.year
        self.heading(_("The 8 convergence actions, {year}").format(year=year))
        found = None if self.data.tpps is None else self.data.tpps.aksi
        if not found:
            self.missing("the 8 convergence actions")
            return
        done = sum(line.status is ActionStatus.DONE for line in found)
        self.paragraphs(aksi_sentence(done, year, self.language))
        self.table("aksi")

    def surveys(self, figure: Figure) -> None:
        """The register beside the surveys."""
        _ = self._
        self.heading(_("Register and surveys"))
        figure(
            "surveys",
            _("Survey estimates (SSGI/SKI) by year; dashed lines: targets on the survey scale."),
            None,
        )
        self.paragraphs(survey_sentence(self.data, self.language))
        for paragraph in survey_explanation(self.language):
            self.report.paragraph(paragraph)
        self.table("surveys")

    def appendix(self, figure: Figure) -> None:
        """The appendix: methods, survey sources and data quality."""
        data, language, _ = self.data, self.language, self._
        self.report.page_break()
        self.report.heading(_("Appendix. Notes on methods and data quality"))
        for paragraph in methods(language):
            self.report.paragraph(paragraph)
        sources = [s for s in data.surveys if s.source]
        if sources:
            self.report.paragraph(_("Sources of the survey figures:"), bold=True)
            for s in sources:
                self.report.paragraph(f"- {s.survey} {s.year}: {short_source(s.source or '')}")
        self.report.heading(_("Data quality"), level=2)
        if data.is_kecamatan:
            self.paragraphs(_("The posyandu ranked here are those of the kecamatan."))
        self.paragraphs(quality_sentence(data, language))
        self.table("smart")
        self.table("quality-kecamatan")
        figure(
            "height_digits", _("Without digit preference every bar is near the dashed line."), 130
        )
        figure("weight_digits", _("The same for weights."), 130)
        self.table("posyandu")
        for unit in data.quality.worst(WORST_WITH_SENTENCES):
            self.report.paragraph(f"{unit.rank}. {unit.name} ({unit.code})", bold=True)
            for item in unit.reasons:
                if item.reason is not Reason.TOO_FEW_CHILDREN:
                    sentence = reason_sentence(item.reason, item.value, item.limit, language)
                    self.report.paragraph("- " + sentence)
        self.table("digits")


def methods(language: Language) -> list[str]:
    """How the figures are computed, with the names of the methods."""
    _ = translations(language).gettext
    return [
        _(
            "Prevalence: each balita counts once per round with its last valid length/height "
            "(WHO 2006 z-score, not flagged); stunted below -2 SD (Permenkes 2/2020); 95% "
            "Wilson intervals. Change between rounds: Newcombe's interval."
        ),
        _(
            "Wasting, underweight and overweight: weight-for-length/height below -2 SD, "
            "weight-for-age below -2 SD and weight-for-length/height above +2 SD (Permenkes "
            "2/2020), counted the same way."
        ),
        _(
            "Data quality: the SMART plausibility check (ENA for SMART) on children of 6-59 "
            "months, scored in penalty points, with the WHO/UNICEF data-quality report "
            "(unscored), values copied from the previous measurement and a check of each "
            "child's growth curve."
        ),
        _(
            "Register figures are what was entered; no value has been changed or removed. "
            "Surveys and register are never averaged."
        ),
    ]
