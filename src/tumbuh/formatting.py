"""Numbers as users read them: Indonesian uses a decimal comma and a thousands dot."""

from babel.numbers import format_decimal

from tumbuh.i18n import Language

_LOCALES = {Language.ID: "id_ID", Language.EN: "en_US"}


def format_integer(value: int, language: Language) -> str:
    """``31221`` -> ``31.221`` (id) or ``31,221`` (en)."""
    return format_decimal(value, format="#,##0", locale=_LOCALES[language])


def format_decimal_places(value: float, places: int, language: Language) -> str:
    """``2.6199`` with 2 places -> ``2,62`` (id) or ``2.62`` (en)."""
    pattern = "#,##0." + "0" * places if places > 0 else "#,##0"
    return format_decimal(value, format=pattern, locale=_LOCALES[language])


def format_rupiah(value: int, language: Language) -> str:
    """``7500000`` -> ``Rp 7.500.000`` (id) or ``Rp 7,500,000`` (en): whole rupiah."""
    return f"Rp {format_integer(value, language)}"
