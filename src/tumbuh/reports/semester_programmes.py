"""The programmes in the TPPS semester report (issue 16): PMT lokal from the kitchens
(children and pregnant women fed, feeding started and how it ended) and the Bapak Asuh
money (promised, received by Baznas, paid out) with the children and families reached.

Fed :class:`tumbuh.reports.semester_data.ProgrammeFigures`, the sums of the monthly PMT
report and the Baznas ledger (docs/pmt.md, docs/asuh.md), so the semester agrees with
the months.
"""

from tumbuh.episode_labels import EXIT_NAMES
from tumbuh.formatting import format_integer
from tumbuh.growth.pmt import EpisodeExit
from tumbuh.i18n import Language, translations
from tumbuh.reports.semester_data import ProgrammeFigures
from tumbuh.reports.semester_text import month_name
from tumbuh.reports.tables import Cell, Column, ColumnKind, Table

INTEGER = ColumnKind.INTEGER


def pmt_table(found: ProgrammeFigures, language: Language) -> Table:
    """PMT lokal per month: kitchens, people fed, servings, feeding started and ended."""
    _ = translations(language).gettext
    exits = list(EpisodeExit)
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            month_name(m.month, language),
            m.kitchens,
            m.children_fed,
            m.pregnant_fed,
            m.servings,
            m.started,
            *(m.ended.get(exit_, 0) for exit_ in exits),
        )
        for m in found.months
    )
    return Table(
        _("Table {number}. PMT lokal from the kitchens, per month").format(number=0),
        (
            Column(_("Month"), width=1.3),
            Column(_("Kitchens"), INTEGER, width=0.9),
            Column(_("Children fed"), INTEGER),
            Column(_("Pregnant women fed"), INTEGER),
            Column(_("Servings"), INTEGER),
            Column(_("Feeding started"), INTEGER),
            *(Column(_(EXIT_NAMES[exit_]), INTEGER) for exit_ in exits),
        ),
        rows,
        note=_(
            "Counted as the monthly PMT report counts them. Recovered: the child reached the "
            "recovery rule at the end of the feeding."
        ),
        sheet_name=_("PMT lokal per month"),
    )


def asuh_table(found: ProgrammeFigures, language: Language) -> Table:
    """Bapak Asuh money per month, in rupiah."""
    _ = translations(language).gettext
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (month_name(m.month, language), m.pledged, m.received, m.disbursed) for m in found.months
    )
    return Table(
        _("Table {number}. Bapak Asuh money per month (rupiah)").format(number=0),
        (
            Column(_("Month"), width=1.3),
            Column(_("Promised (falling due)"), INTEGER),
            Column(_("Received by Baznas"), INTEGER),
            Column(_("Paid out"), INTEGER),
        ),
        rows,
        note=_("The Baznas ledger of the whole city."),
        sheet_name=_("Bapak Asuh money"),
    )


def _total(found: ProgrammeFigures, name: str) -> int:
    return sum(int(getattr(m, name)) for m in found.months)


def pmt_sentence(found: ProgrammeFigures, language: Language) -> str:
    """The semester's PMT lokal in one sentence."""
    _ = translations(language).gettext
    recovered = sum(m.ended.get(EpisodeExit.RECOVERED, 0) for m in found.months)
    ended = sum(sum(m.ended.values()) for m in found.months)
    return _(
        "Up to {kitchens} kitchens served {servings} meals; {started} feedings were started "
        "and {ended} ended, {recovered} of them with the child recovered."
    ).format(
        kitchens=format_integer(max((m.kitchens for m in found.months), default=0), language),
        servings=format_integer(_total(found, "servings"), language),
        started=format_integer(_total(found, "started"), language),
        ended=format_integer(ended, language),
        recovered=format_integer(recovered, language),
    )


def asuh_sentence(found: ProgrammeFigures, language: Language) -> str:
    """The semester's Bapak Asuh money and reach in one sentence."""
    _ = translations(language).gettext
    return _(
        "Baznas received Rp {received} from the Bapak Asuh and paid out Rp {disbursed}; "
        "{children} children and {families} families were supported in the semester."
    ).format(
        received=format_integer(_total(found, "received"), language),
        disbursed=format_integer(_total(found, "disbursed"), language),
        children=format_integer(found.asuh_children, language),
        families=format_integer(found.asuh_families, language),
    )


def has_activity(found: ProgrammeFigures) -> tuple[bool, bool]:
    """Whether the months hold any PMT work, and any Bapak Asuh money."""
    pmt = any(m.kitchens or m.servings or m.started for m in found.months)
    money = any(m.pledged or m.received or m.disbursed for m in found.months)
    return pmt, money or bool(found.asuh_children or found.asuh_families)
