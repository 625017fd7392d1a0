"""What the form or an API call brings for a child's month (docs/child-months.md), read
from text and checked, with errors that name the field, the value and what is accepted.

The page and the API read the same fields as strings, so each mistake gets one message
everywhere: a yes/no answer is ``yes``, ``no`` or empty (not asked or not known), the
KPSP result one of :class:`KpspResult`'s values or empty, a month ``YYYY-MM``, a day
``YYYY-MM-DD``. Whether an answer applies at the child's age is the use case's check
(:mod:`tumbuh.usecases.child_months`), which knows the birth date.
"""

from collections.abc import Callable, Mapping
from datetime import date

from tumbuh.db.maternal.child_months import MonthRecord
from tumbuh.errors import NamedFieldError
from tumbuh.growth.child_months import KpspResult
from tumbuh.growth.periods import parse_period

__all__ = [
    "FIELD_NAMES",
    "NO",
    "YES",
    "KpspResult",
    "MonthFieldError",
    "MonthRecord",
    "kpsp",
    "read_day",
    "read_month",
    "read_record",
    "yes_no",
]
Raw = Mapping[str, str]
FIELD_NAMES: dict[str, str] = {
    "month": "Month",
    "exclusive_breastfeeding": "Exclusive breastfeeding (ASI eksklusif)",
    "complementary_feeding": "Complementary food (MP-ASI)",
    "vitamin_a_given": "Vitamin A capsule given",
    "kpsp_result": "KPSP result",
    "completed_on": "Day basic immunisation was complete",
}
YES, NO = "yes", "no"


class MonthFieldError(NamedFieldError):
    """Input the user can fix, in one field of a child's month; the field and a value
    that is a message id (``yes``, ``no``, a KPSP result) are shown in the user's
    language."""

    FIELD_NAMES = FIELD_NAMES

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The message with the field's name and a yes/no value in the user's language."""
        value = self.params.get("value")
        params = {**self.params, "field": gettext(str(self.params["field"]))}
        if value in (YES, NO):
            params["value"] = gettext(str(value))
        return gettext(self.template).format(**params)


def _text(raw: Raw, key: str) -> str:
    return str(raw.get(key) or "").strip()


def yes_no(raw: Raw, key: str) -> bool | None:
    """``yes`` True, ``no`` False, empty None (not asked, not known)."""
    value = _text(raw, key).lower()
    if not value:
        return None
    if value in (YES, NO):
        return value == YES
    raise MonthFieldError(
        "{field}: '{value}' is not one of the choices; accepted: {accepted}",
        field=key,
        value=value,
        accepted=f"{YES}, {NO}",
    )


def kpsp(raw: Raw, key: str = "kpsp_result") -> KpspResult | None:
    """A KPSP result (sesuai, meragukan, penyimpangan) or None when empty."""
    value = _text(raw, key).lower()
    if not value:
        return None
    try:
        return KpspResult(value)
    except ValueError:
        raise MonthFieldError(
            "{field}: '{value}' is not one of the choices; accepted: {accepted}",
            field=key,
            value=value,
            accepted=", ".join(k.value for k in KpspResult),
        ) from None


def read_record(raw: Raw) -> MonthRecord:
    """Read the answers of a month; :class:`MonthFieldError` at the first wrong field."""
    return MonthRecord(
        exclusive_breastfeeding=yes_no(raw, "exclusive_breastfeeding"),
        complementary_feeding=yes_no(raw, "complementary_feeding"),
        vitamin_a_given=yes_no(raw, "vitamin_a_given"),
        kpsp_result=kpsp(raw),
    )


def read_month(text: str, today: date) -> date:
    """A month ``YYYY-MM`` up to this month; its first day."""
    found = parse_period(text)
    if found is None or found.months != 1:
        raise MonthFieldError(
            "{field}: '{value}' is not a month; write it as YYYY-MM, for example 2023-11",
            field="month",
            value=text,
        )
    if found.start > today.replace(day=1):
        raise MonthFieldError(
            "{field}: {value} has not come yet; record a month that has begun",
            field="month",
            value=text,
        )
    return found.start


def read_day(text: str) -> date | None:
    """A day ``YYYY-MM-DD`` (None when empty)."""
    value = text.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise MonthFieldError(
            "{field}: '{value}' is not a date; write it as YYYY-MM-DD, for example 2023-11-27",
            field="completed_on",
            value=value,
        ) from None
