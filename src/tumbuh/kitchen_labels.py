"""The words of the kitchens and their serving log that users read (docs/kitchens.md):
kinds, operators, funding sources, days of the week, exits, indications and the fields
of the forms, as English message ids (the Indonesian text is in ``kitchens.po``). Kept
beside :mod:`tumbuh.labels` and :mod:`tumbuh.case_labels` for size. Funding sources,
exits and indications have one home, :mod:`tumbuh.episode_labels`."""

from collections.abc import Callable

from tumbuh.episode_labels import EXIT_NAMES, FUNDING_NAMES, INDICATION_NAMES
from tumbuh.growth.kitchens import FIELD_TEMPLATES, FieldError
from tumbuh.growth.pmt import KitchenKind, KitchenOperator

__all__ = [
    "EXIT_NAMES",
    "FIELD_NAMES",
    "FUNDING_NAMES",
    "INDICATION_NAMES",
    "KIND_NAMES",
    "OPERATOR_NAMES",
    "WEEKDAY_NAMES",
    "error_text",
]

KIND_NAMES: dict[KitchenKind, str] = {
    KitchenKind.DAPUR_UMUM_PKK: "Dapur Umum PKK",
    KitchenKind.DASHAT: "DASHAT (Dapur Sehat Atasi Stunting)",
    KitchenKind.KAMUS: "Dapur Stunting KAMUS",
    KitchenKind.OTHER: "Other kitchen",
}
OPERATOR_NAMES: dict[KitchenOperator, str] = {
    KitchenOperator.TP_PKK: "TP PKK",
    KitchenOperator.POKJA: "Pokja Kampung KB",
    KitchenOperator.TPK: "TPK (family assistance team)",
    KitchenOperator.OTHER: "Other operator",
}
# ISO day numbers: 1 = Monday ... 7 = Sunday.
WEEKDAY_NAMES: dict[int, str] = {
    1: "Monday",
    2: "Tuesday",
    3: "Wednesday",
    4: "Thursday",
    5: "Friday",
    6: "Saturday",
    7: "Sunday",
}
# The fields of the kitchen, funding and serving forms, as errors name them.
FIELD_NAMES: dict[str, str] = {
    "name": "Kitchen name",
    "kind": "Kind of kitchen",
    "kelurahan": "Kelurahan",
    "operator": "Run by",
    "contact_name": "Contact person",
    "contact_phone": "Contact phone",
    "capacity": "Servings a day",
    "weekdays": "Cooking days",
    "active": "Active",
    "note": "Note",
    "source": "Source of funds",
    "amount_rp": "Amount (Rp)",
    "starts_on": "From",
    "ends_on": "Until",
    "date": "Date",
}
# The codes a command or the API accepts, with the words users read.
_CODE_NAMES: dict[str, str] = {
    **{k.value: name for k, name in KIND_NAMES.items()},
    **{o.value: name for o, name in OPERATOR_NAMES.items()},
    **{f.value: name for f, name in FUNDING_NAMES.items()},
    "true": "yes",
    "false": "no",
}


def accepted_text(accepted: str, gettext: Callable[[str], str]) -> str:
    """Accepted codes each followed by its name in the user's language (``apbd (APBD),
    csr (CSR (perusahaan))``); any other text (a range, a format) as it is."""
    codes = [part.strip() for part in accepted.split(",")]
    if not all(code in _CODE_NAMES for code in codes):
        return accepted
    return ", ".join(f"{code} ({gettext(_CODE_NAMES[code])})" for code in codes)


def error_text(error: FieldError, gettext: Callable[[str], str]) -> str:
    """A refused value as a sentence in the user's language; a field that is not a form
    field (a person of the serving log) is named as it is."""
    name = FIELD_NAMES.get(error.field)
    field = gettext(name) if name else error.field
    template = gettext(FIELD_TEMPLATES[error.problem])
    return template.format(
        field=field, value=error.value, accepted=accepted_text(error.accepted, gettext)
    )


def weekdays_names(numbers: tuple[int, ...], gettext: Callable[[str], str]) -> str:
    """Day numbers as day names: ``Senin, Rabu, Jumat``."""
    return ", ".join(gettext(WEEKDAY_NAMES[n]) for n in numbers)
