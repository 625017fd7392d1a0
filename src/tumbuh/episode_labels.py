"""The labels of PMT episodes users see (docs/pmt.md): indications, funding sources,
exits, the ways to close an episode and the fields of the forms, as English message ids
(the Indonesian text is in the catalog ``pmt_episodes.po``); and an episode error as a
sentence in the user's language, for the pages, the API and the command line alike."""

from collections.abc import Callable

from tumbuh.growth.pmt import EpisodeExit, Funding, Indication, Refusal
from tumbuh.growth.pmt_episodes import EPISODE_TEMPLATES, Closing, EpisodeError

INDICATION_NAMES: dict[Indication, str] = {
    Indication.WASTED: "Gizi kurang (wasted)",
    Indication.UNDERWEIGHT: "BB kurang or BB sangat kurang",
    Indication.FALTERING: "Faltering weight (T, 2T)",
    Indication.PREGNANT_KEK: "Pregnant woman with KEK",
}
FUNDING_NAMES: dict[Funding, str] = {
    Funding.APBD: "APBD (city budget)",
    Funding.DAK: "DAK non-fisik",
    Funding.BAZNAS: "Baznas",
    Funding.BAPAK_ASUH: "Bapak Asuh Anak Stunting",
    Funding.CSR: "CSR (company)",
    Funding.OTHER: "Other source",
}
EXIT_NAMES: dict[EpisodeExit, str] = {
    EpisodeExit.RECOVERED: "Recovered",
    EpisodeExit.NOT_RECOVERED: "Not recovered",
    EpisodeExit.DROPPED_OUT: "Dropped out",
    EpisodeExit.MOVED: "Moved away",
    EpisodeExit.REFERRED: "Referred for treatment",
}
CLOSING_NAMES: dict[Closing, str] = {
    Closing.COMPLETED: "Completed (recovery judged by the rule)",
    Closing.DROPPED_OUT: "Dropped out",
    Closing.MOVED: "Moved away",
    Closing.REFERRED: "Referred for treatment",
}
REFUSAL_NAMES: dict[Refusal, str] = {
    Refusal.AGE: "Not 6-59 months old (rule: age)",
    Refusal.SEVERE: "Gizi buruk: clinical care, not PMT (rule: gizi buruk)",
    Refusal.NO_INDICATION: "No PMT indication (rule: no indication)",
}
# The fields of the enrolment and closing forms, as forms and error messages name them.
EPISODE_FIELD_NAMES: dict[str, str] = {
    "child_ids": "Children",
    "month": "Month",
    "kitchen_id": "Kitchen",
    "started_on": "Start date",
    "funding": "Funding",
    "indication": "Indication",
    "override_reason": "Reason for the exception",
    "closing": "How the episode ended",
    "ended_on": "End date",
    "note": "Note",
}
# The codes a form, the API or a command accepts, with the words users read.
_CODE_NAMES: dict[str, str] = {
    **{i.value: name for i, name in INDICATION_NAMES.items()},
    **{f.value: name for f, name in FUNDING_NAMES.items()},
    **{c.value: name for c, name in CLOSING_NAMES.items()},
}


def accepted_text(accepted: str, gettext: Callable[[str], str]) -> str:
    """Accepted codes each followed by its name in the user's language: ``apbd (APBD
    (anggaran kota)), dak (DAK non-fisik)``; any other text as it is."""
    codes = [part.strip() for part in accepted.split(",")]
    if not all(code in _CODE_NAMES for code in codes):
        return accepted
    return ", ".join(f"{code} ({gettext(_CODE_NAMES[code])})" for code in codes)


def episode_error_text(error: EpisodeError, gettext: Callable[[str], str]) -> str:
    """The error as a sentence in the user's language. A form field is named by its label;
    a child's refusal by the child's name, as the use case gave it."""
    label = EPISODE_FIELD_NAMES.get(error.field)
    field = gettext(label) if label is not None else error.field
    template = gettext(EPISODE_TEMPLATES[error.problem])
    return template.format(
        field=field, value=error.value, accepted=accepted_text(error.accepted, gettext)
    )
