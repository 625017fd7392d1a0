"""Jinja2 environments, one per language, with Babel's gettext installed (jinja2.ext.i18n).

Templates write English message ids (``{{ _("Measured") }}``); the Indonesian text is in
``locale/id/LC_MESSAGES/web.po``. Autoescaping is on for every template; the SVG charts
are the only markup inserted as is (:func:`safe_svg`), and they are built by
:mod:`tumbuh.reports.svg`, which escapes every text itself.
"""

from datetime import date, datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from tumbuh.formatting import format_decimal_places, format_integer, format_rupiah
from tumbuh.growth.who2006 import DAYS_PER_MONTH
from tumbuh.i18n import Language, translations
from tumbuh.labels import both_labels, indicator_label

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_name(day: date, language: Language) -> str:
    """``Agustus 2024`` / ``August 2024``."""
    names = MONTHS_EN if language is Language.EN else MONTHS_ID
    return f"{names[day.month - 1]} {day.year}"


def short_month(day: date, language: Language) -> str:
    """``Agu 2024`` / ``Aug 2024`` for chart axes."""
    names = MONTHS_EN if language is Language.EN else MONTHS_ID
    return f"{names[day.month - 1][:3]} {day.year}"


def format_date(day: date | datetime | None, language: Language) -> str:
    """``17/08/2024`` as Indonesian forms write dates (the same in English)."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        return day.strftime("%d/%m/%Y %H:%M")
    return day.strftime("%d/%m/%Y")


@cache
def environment(language: Language) -> Environment:
    """The template environment of ``language`` (built once per process)."""
    env = Environment(
        loader=PackageLoader("tumbuh.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language), newstyle=False)  # type: ignore[attr-defined]

    def number(value: float | None, places: int = 0) -> str:
        if value is None:
            return "–"
        if places == 0:
            return format_integer(round(value), language)
        return format_decimal_places(value, places, language)

    def percent(value: float | None, places: int = 2) -> str:
        return "–" if value is None else format_decimal_places(value, places, language) + "%"

    env.filters["number"] = number
    env.filters["percent"] = percent
    env.filters["rupiah"] = lambda value: "–" if value is None else format_rupiah(value, language)
    env.filters["age_months"] = lambda days: days / DAYS_PER_MONTH  # WHO's average month
    env.filters["month"] = lambda day: month_name(day, language)
    env.filters["date"] = lambda day: format_date(day, language)
    env.globals["language"] = language.value
    env.globals["indicator_label"] = indicator_label
    env.globals["both_labels"] = lambda code: both_labels(code, translations(language).gettext)
    return env


def render(language: Language, name: str, context: dict[str, Any]) -> str:
    """The template ``name`` rendered in ``language``."""
    return environment(language).get_template(name).render(context)
