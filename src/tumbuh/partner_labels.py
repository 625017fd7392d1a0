"""The words of the TPPS's partners, actions and meetings that users read (docs/tpps.md):
kinds of institution, kinds and states of actions, kinds of meeting and the fields of the
forms, as English message ids (the Indonesian text is in ``partners.po``). Kept beside
:mod:`tumbuh.kitchen_labels` for the same reason: one home for the words of one area."""

from collections.abc import Callable

from tumbuh.growth.partners import PARTNER_TEMPLATES, MeetingKind, PartnerFieldError
from tumbuh.growth.tpps import ActionKind, ActionStatus, InstitutionKind

__all__ = [
    "ACTION_KIND_NAMES",
    "FIELD_NAMES",
    "INSTITUTION_KIND_NAMES",
    "MEETING_KIND_NAMES",
    "STATUS_NAMES",
    "error_text",
]

INSTITUTION_KIND_NAMES: dict[InstitutionKind, str] = {
    InstitutionKind.OPD: "City office (OPD)",
    InstitutionKind.POLICE: "Police (Polres)",
    InstitutionKind.MILITARY: "Army (Kodim)",
    InstitutionKind.RELIGIOUS_AFFAIRS: "Religious affairs (Kemenag)",
    InstitutionKind.ZAKAT: "Zakat body (Baznas)",
    InstitutionKind.PKK: "PKK team",
    InstitutionKind.KECAMATAN: "Camat's office",
    InstitutionKind.KELURAHAN: "Lurah's office",
    InstitutionKind.COMPANY: "Company (CSR)",
    InstitutionKind.PROFESSIONAL: "Professional body or university",
    InstitutionKind.OTHER: "Other partner",
}
ACTION_KIND_NAMES: dict[ActionKind, str] = {
    ActionKind.RTL: "RTL of the case audit",
    ActionKind.COMMITMENT: "Partner commitment",
}
STATUS_NAMES: dict[ActionStatus, str] = {
    ActionStatus.PLANNED: "Planned, not begun",
    ActionStatus.IN_PROGRESS: "Under way",
    ActionStatus.DONE: "Done (delivered)",
    ActionStatus.CANCELLED: "Dropped",
}
MEETING_KIND_NAMES: dict[MeetingKind, str] = {
    MeetingKind.TPPS: "TPPS meeting",
    MeetingKind.REMBUK: "Rembuk stunting",
    MeetingKind.DISSEMINATION: "Dissemination of the case audit",
}
# The fields of the forms, as errors name them.
FIELD_NAMES: dict[str, str] = {
    "name": "Name of the institution",
    "short_name": "Short name",
    "kind": "Kind",
    "region": "Kecamatan or kelurahan of the office",
    "active": "Active",
    "action": "What will be done",
    "institution": "Responsible institution",
    "kelurahan": "Where (kelurahan)",
    "agreed_on": "Agreed on",
    "starts_on": "Starts on",
    "due_on": "Due on",
    "budget_rupiah": "Budget (Rp)",
    "budget_source": "Source of the budget",
    "status": "State of the action",
    "delivered": "What was done",
    "done_on": "Done on",
    "held_on": "Day of the meeting",
    "title": "Title of the meeting",
    "place": "Place",
    "chair": "Chaired by",
    "others": "Others present",
    "attendees": "Institutions present",
    "decision": "Decision",
}
_CODE_NAMES: dict[str, str] = {
    **{k.value: name for k, name in INSTITUTION_KIND_NAMES.items()},
    **{s.value: name for s, name in STATUS_NAMES.items()},
    **{m.value: name for m, name in MEETING_KIND_NAMES.items()},
}


def code_text(code: str, gettext: Callable[[str], str]) -> str:
    """A code followed by its name in the user's language; any other text as it is."""
    name = _CODE_NAMES.get(code)
    return f"{code} ({gettext(name)})" if name else code


def error_text(error: PartnerFieldError, gettext: Callable[[str], str]) -> str:
    """A refused value as a sentence in the user's language."""
    name = FIELD_NAMES.get(error.field)
    field = gettext(name) if name else error.field
    accepted = ", ".join(code_text(part.strip(), gettext) for part in error.accepted.split(","))
    template = gettext(PARTNER_TEMPLATES[error.problem])
    value = gettext(_CODE_NAMES[error.value]) if error.value in _CODE_NAMES else error.value
    return template.format(field=field, value=value, accepted=accepted if error.accepted else "")
