"""The labels of PMT episodes users see (docs/pmt.md): indications, funding sources,
exits, the ways to close an episode and the fields of the forms, as English message ids
(the Indonesian text is in the catalog ``pmt_episodes.po``); and an episode error as a
sentence in the user's language, for the pages, the API and the command line alike.
The outcome evaluation's words (measures, groupings, "too few children") are here too
(catalog ``pmt_outcomes.po``)."""

from collections.abc import Callable

from tumbuh.growth.pmt import EpisodeExit, Funding, Indication, Refusal
from tumbuh.growth.pmt_comparison import OutcomeGroup, SampleSize
from tumbuh.growth.pmt_episodes import EPISODE_TEMPLATES, Closing, EpisodeError
from tumbuh.growth.pmt_outcomes import Measure

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
    "funding": "Source of funds",
    "indication": "Indication",
    "override_reason": "Reason for the exception",
    "closing": "How the episode ended",
    "ended_on": "End date",
    "note": "Note",
    "pregnancy_ids": "Pregnant women",
    "end_muac_cm": "LiLA at the end (cm)",
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


# The outcome evaluation (docs/pmt.md, "Outcomes").
MEASURE_NAMES: dict[Measure, str] = {
    Measure.RECOVERED: "Recovered",
    Measure.GAIN: "Weight gain (g/kg/day)",
    Measure.WHZ_CHANGE: "Change in weight-for-height (BB/TB z-score)",
    Measure.WAZ_CHANGE: "Change in weight-for-age (BB/U z-score)",
    Measure.HAZ_CHANGE: "Change in height-for-age (TB/U z-score)",
}
GROUP_NAMES: dict[OutcomeGroup, str] = {
    OutcomeGroup.CITY: "The whole area",
    OutcomeGroup.KITCHEN: "By kitchen",
    OutcomeGroup.KELURAHAN: "By kelurahan",
    OutcomeGroup.FUNDING: "By source of funds",
    OutcomeGroup.INDICATION: "By indication",
}
GROUP_COLUMNS: dict[OutcomeGroup, str] = {
    OutcomeGroup.CITY: "Area",
    OutcomeGroup.KITCHEN: "Kitchen",
    OutcomeGroup.KELURAHAN: "Kelurahan",
    OutcomeGroup.FUNDING: "Source of funds",
    OutcomeGroup.INDICATION: "Indication",
}
TOO_FEW_TEXTS: dict[SampleSize, str] = {
    SampleSize.FEW_MATCHED: "Too few children to compare: fewer than {count} fed children "
    "have comparable children who were not fed.",
    SampleSize.FEW_CONTROLS: "Too few children to compare: fewer than {count} comparable "
    "children who were not fed.",
}


def too_few_text(reason: SampleSize, limits: tuple[int, int], gettext: Callable[[str], str]) -> str:
    """Why a row shows no figure, in the user's language ("" when it has enough):
    ``limits`` the least matched episodes and comparison children a row needs."""
    if reason is SampleSize.ENOUGH:
        return ""
    count = limits[0] if reason is SampleSize.FEW_MATCHED else limits[1]
    return gettext(TOO_FEW_TEXTS[reason]).format(count=count)


def group_label(
    group: OutcomeGroup, code: str, name: str | None, gettext: Callable[[str], str]
) -> str:
    """A row of the outcome evaluation as users read it: a kitchen's or kelurahan's name
    (its code when it has none), a funding line's or indication's words, "the whole
    area"."""
    if group is OutcomeGroup.FUNDING and code in set(Funding):
        return gettext(FUNDING_NAMES[Funding(code)])
    if group is OutcomeGroup.INDICATION and code in set(Indication):
        return gettext(INDICATION_NAMES[Indication(code)])
    if group is OutcomeGroup.CITY:
        return gettext(GROUP_NAMES[OutcomeGroup.CITY])
    return name or code


def period_words(first: str | None, last: str | None, gettext: Callable[[str], str]) -> str:
    """The episodes an evaluation covers: "episodes started 2024-01 to 2024-12" (months as
    YYYY-MM, None: open on that side), or any start."""
    if first is None and last is None:
        return gettext("episodes started at any time")
    return gettext("episodes started {first} to {last}").format(
        first=first or "…", last=last or "…"
    )
