"""Reading the kitchen and funding forms into the fields the rules read
(:func:`tumbuh.growth.kitchens.read_kitchen`, :func:`~tumbuh.growth.kitchens.read_funding`),
and the shared bits of the kitchens' pages: the context, the errors in the user's
language."""

from collections.abc import Sequence

from fastapi import Request
from starlette.datastructures import FormData

from tumbuh.growth.kitchens import FUNDING_FIELDS, KITCHEN_FIELDS, FieldError, weekday_numbers
from tumbuh.growth.pmt import Funding, KitchenKind, KitchenOperator
from tumbuh.i18n import translations
from tumbuh.kitchen_labels import (
    EXIT_NAMES,
    FIELD_NAMES,
    FUNDING_NAMES,
    INDICATION_NAMES,
    KIND_NAMES,
    OPERATOR_NAMES,
    WEEKDAY_NAMES,
    error_text,
    weekdays_names,
)
from tumbuh.usecases.kitchens import KitchenRow
from tumbuh.web.deps import Viewer
from tumbuh.web.security import csrf_token

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def kitchen_fields(form: FormData) -> dict[str, str]:
    """The kitchen form as the rules read it: the ticked days as ``1,3,5``, the active
    box as true or false (an unticked box sends nothing)."""
    raw = {key: str(form.get(key) or "") for key in KITCHEN_FIELDS if key != "weekdays"}
    raw["weekdays"] = ",".join(str(v) for v in form.getlist("weekday"))
    raw["active"] = "true" if form.get("active") else "false"
    return raw


def funding_fields(form: FormData) -> dict[str, str]:
    """The funding form as the rules read it."""
    return {key: str(form.get(key) or "") for key in FUNDING_FIELDS}


def kitchen_typed(kitchen: KitchenRow) -> dict[str, str]:
    """A stored kitchen as its edit form shows it."""
    return {
        "name": kitchen.name,
        "kind": kitchen.kind.value,
        "kelurahan": kitchen.kelurahan_code,
        "operator": kitchen.operator.value,
        "contact_name": kitchen.contact_name or "",
        "contact_phone": kitchen.contact_phone or "",
        "capacity": str(kitchen.capacity),
        "weekdays": ",".join(str(n) for n in weekday_numbers(kitchen.weekdays)),
        "active": "true" if kitchen.active else "false",
        "note": kitchen.note or "",
    }


def errors_text(errors: Sequence[FieldError], current: Viewer) -> list[str]:
    """The errors as sentences in the user's language."""
    gettext = translations(current.language).gettext
    return [error_text(e, gettext) for e in errors]


def context(request: Request, current: Viewer, **values: object) -> dict[str, object]:
    """What every kitchen page's template gets: the names of the codes it shows."""
    gettext = translations(current.language).gettext
    return {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "kinds": list(KitchenKind),
        "operators": list(KitchenOperator),
        "sources": list(Funding),
        "kind_names": KIND_NAMES,
        "operator_names": OPERATOR_NAMES,
        "funding_names": FUNDING_NAMES,
        "exit_names": EXIT_NAMES,
        "indication_names": INDICATION_NAMES,
        "weekday_names": WEEKDAY_NAMES,
        "field_names": FIELD_NAMES,
        "days_text": lambda mask: weekdays_names(weekday_numbers(mask), gettext),
        "rupiah": lambda value: "Rp " + f"{value:,}".replace(",", "."),
        **values,
    }
