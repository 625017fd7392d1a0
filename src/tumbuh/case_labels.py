"""The labels of cases users see (docs/cases.md): problems, statuses, interventions,
outcomes and the fields of a step, as English message ids (the Indonesian text is in
the catalog ``cases.po``). Kept beside :mod:`tumbuh.labels` for size."""

from collections.abc import Callable

from tumbuh.growth.cases import CaseStatus, Intervention, Outcome, Problem
from tumbuh.growth.referrals import ReferralReason
from tumbuh.labels import REASON_NAMES

PROBLEM_NAMES: dict[Problem, str] = {
    Problem.WASTING: "Wasting (gizi buruk / gizi kurang)",
    Problem.UNDERWEIGHT: "Underweight (BB kurang, BGM)",
    Problem.STUNTING: "Stunted (short for age)",
    Problem.FALTERING: "Faltering growth (2T)",
    Problem.OVERWEIGHT: "Above the orange line",
}
STATUS_NAMES: dict[CaseStatus, str] = {
    CaseStatus.PERLU_DIRUJUK: "To refer",
    CaseStatus.DIRUJUK: "Referred",
    CaseStatus.DIPERIKSA: "Examined",
    CaseStatus.DITANGANI: "Treated",
    CaseStatus.SELESAI: "Closed",
}
INTERVENTION_NAMES: dict[Intervention, str] = {
    Intervention.COUNSELLING: "Counselling",
    Intervention.PMT: "PMT (supplementary food)",
    Intervention.TREATMENT: "Treatment",
    Intervention.HOSPITAL_REFERRAL: "Referral to hospital",
}
OUTCOME_NAMES: dict[Outcome, str] = {
    Outcome.RECOVERED: "Recovered",
    Outcome.MOVED: "Moved away",
    Outcome.AGED_OUT: "Aged out (60 months)",
    Outcome.DIED: "Died",
    Outcome.REFUSED: "Refused",
}
# The fields of a step, as forms and error messages name them.
STEP_FIELD_NAMES: dict[str, str] = {
    "status": "Step",
    "on": "Date",
    "referred_to": "Referred to",
    "diagnosis_confirmed": "Diagnosis confirmed",
    "comorbidity": "Co-morbidity",
    "given": "Given by the puskesmas",
    "intervention": "Intervention",
    "outcome": "Outcome",
    "note": "Note",
}


def reason_name(code: str, gettext: Callable[[str], str]) -> str:
    """A stored reason (a ReferralReason member name) as users read it."""
    member = ReferralReason.__members__.get(code)
    if member is None:
        return code
    name = REASON_NAMES.get(member)
    return gettext(name) if name else member.value


# The codes a command or the API accepts for a step, with the words users read.
_CODE_NAMES: dict[str, str] = {
    **{s.value: name for s, name in STATUS_NAMES.items()},
    **{i.value: name for i, name in INTERVENTION_NAMES.items()},
    **{o.value: name for o, name in OUTCOME_NAMES.items()},
    "true": "yes",
    "false": "no",
}


def accepted_text(accepted: str, gettext: Callable[[str], str]) -> str:
    """The accepted values of a refused step field, each code followed by its name in
    the user's language: ``moved (Pindah), died (Meninggal)``. Text that is not a list of
    such codes (a date format, a length) is returned as it is."""
    codes = [part.strip() for part in accepted.split(",")]
    if not all(code in _CODE_NAMES for code in codes):
        return accepted
    return ", ".join(f"{code} ({gettext(_CODE_NAMES[code])})" for code in codes)
