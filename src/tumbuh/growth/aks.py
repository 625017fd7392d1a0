"""Audit Kasus Stunting (AKS): the closed sets of the audit (issue 16; docs/domain.md §8,
docs/aks.md). BKKBN's Buku Saku AKS 2022 names the target groups, the three teams and the
four experts of the Tim Pakar; the causes are the groups of causes an expert panel writes
in its KKA analysis (UNICEF's conceptual framework: immediate, underlying, basic).

Pure: no I/O; the rules of case selection live beside these sets.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tumbuh.growth.ages import BADUTA_MONTHS, BALITA_MONTHS  # audited: 0-59 completed months
from tumbuh.growth.catin import catin_risks
from tumbuh.growth.maternal import AnaemiaBand, anaemia_band, is_bblr, is_kek, is_pblr
from tumbuh.growth.periods import Period


class TargetGroup(StrEnum):
    """The audit's target groups (Buku Saku AKS 2022)."""

    CATIN = "catin"  # bride or groom-to-be
    IBU_HAMIL = "ibu_hamil"  # pregnant woman
    IBU_NIFAS = "ibu_nifas"  # woman within 42 days after the birth
    BADUTA = "baduta"  # child 0-23 months
    BALITA = "balita"  # child 24-59 months


class Team(StrEnum):
    """The three teams of an audit."""

    COORDINATION = "coordination"  # Tim Audit/Koordinasi, led by the head of the KB office
    TECHNICAL = "technical"  # Tim Teknis: selects the cases
    EXPERT = "expert"  # Tim Pakar: reviews each case on a KKA


class ExpertRole(StrEnum):
    """What a member brings to the team (the Tim Pakar's four, and the others)."""

    PEDIATRICIAN = "pediatrician"  # SpA (IDAI)
    OBSTETRICIAN = "obstetrician"  # SpOG (POGI)
    NUTRITIONIST = "nutritionist"  # ahli gizi (AIPGI)
    PSYCHOLOGIST = "psychologist"  # psikolog (HIMPSI)
    MIDWIFE = "midwife"  # bidan
    FAMILY_PLANNING = "family_planning"  # PKB/PLKB
    OFFICIAL = "official"  # a head or staff of an office
    OTHER = "other"


class Cause(StrEnum):
    """A cause the Tim Pakar finds behind a case (more than one per case)."""

    INFECTION = "infection"  # recurrent or chronic infection (diarrhoea, TB, ISPA)
    FEEDING = "feeding"  # breastfeeding or MP-ASI practice
    MATERNAL_NUTRITION = "maternal_nutrition"  # KEK or anaemia of the mother
    LOW_BIRTH_SIZE = "low_birth_size"  # BBLR, PBLR, preterm
    PREGNANCY_SPACING = "pregnancy_spacing"  # 4 Terlalu
    WATER_SANITATION = "water_sanitation"  # no safe water or latrine
    POVERTY = "poverty"  # food insecurity, income
    PARENTING = "parenting"  # care, knowledge, psychosocial
    SERVICE_ACCESS = "service_access"  # ANC, immunisation, growth monitoring missed
    CONGENITAL = "congenital"  # a congenital or genetic condition
    OTHER = "other"


# --- case selection (docs/aks.md, "Which records are proposed") ---------------------------

STUNTED_HAZ = -2.0  # pendek: TB/U under -2 SD (Permenkes 2/2020)
AT_RISK_HAZ = -1.0  # Tumbuh's choice: a KRS family's child under -1 SD is "at risk"
PREGNANCY_MAX_DAYS = 45 * 7  # a pregnancy not ended 45 weeks after its HPHT is not going on
BIRTH_LOOKBACK_MONTHS = 12  # births of the semester and the one before it


class Reason(StrEnum):
    """Why a record is proposed as a case (several may hold)."""

    OPEN_CASE = "open_case"  # an open nutrition case (referred, not yet closed)
    STUNTED = "stunted"  # TB/U under -2 at the latest measurement
    KRS_FAMILY = "krs_family"  # a child of a keluarga risiko stunting, TB/U under -1
    KEK = "kek"  # a pregnant woman's LiLA under 23.5 cm
    ANAEMIA = "anaemia"  # a pregnant woman's Hb under 11.0 g/dL
    BBLR_NOT_CATCHING_UP = "bblr_not_catching_up"  # born under 2,500 g, still short
    PBLR_NOT_CATCHING_UP = "pblr_not_catching_up"  # born under 48 cm, still short
    CATIN_AT_RISK = "catin_at_risk"  # KEK, anaemia, kurus or too young (docs/domain.md §14)


@dataclass(frozen=True)
class ChildRecord:
    """A child of a locus kelurahan as the selection reads it."""

    child_id: int
    birth_date: date
    latest_haz: float | None  # the last TB/U z-score up to the audit's day (not flagged)
    open_case: bool
    krs_family: bool  # the child's family is a keluarga risiko stunting


@dataclass(frozen=True)
class PregnancyRecord:
    """A pregnancy of a locus kelurahan: its dates and its lowest LiLA and Hb."""

    pregnancy_id: int
    started_on: date | None  # HPHT, else the registration day
    ended_on: date | None
    lowest_muac_cm: float | None  # at registration or any ANC visit
    lowest_hb_g_dl: float | None


@dataclass(frozen=True)
class BirthRecord:
    """A child born of a recorded pregnancy, with its size at birth and growth since."""

    pregnancy_id: int
    child_id: int
    born_on: date
    birth_weight_kg: float | None
    birth_length_cm: float | None
    latest_haz: float | None  # None: not measured since


@dataclass(frozen=True)
class CatinRecord:
    """A catin of a locus kelurahan with the screening's values."""

    catin_id: int
    female: bool
    birth_date: date | None
    registered_on: date
    wedding_on: date | None
    screened_on: date | None
    muac_cm: float | None
    hb_g_dl: float | None
    weight_kg: float | None
    height_cm: float | None


@dataclass(frozen=True)
class Candidate:
    """A record proposed as a case of the audit, with every reason that holds."""

    group: TargetGroup
    reasons: tuple[Reason, ...]
    child_id: int | None = None
    pregnancy_id: int | None = None
    catin_id: int | None = None

    @property
    def key(self) -> tuple[TargetGroup, int | None, int | None, int | None]:
        """One subject per group: a case of the audit is made once."""
        return (self.group, self.child_id, self.pregnancy_id, self.catin_id)


def audit_day(semester: Period) -> date:
    """The day the registers are read as of: the semester's last day."""
    return semester.end - timedelta(days=1)


def _months_between(birth: date, on: date) -> int:
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - 1 if on.day < birth.day else months


def _child(record: ChildRecord, on: date) -> Candidate | None:
    months = _months_between(record.birth_date, on)
    if not 0 <= months < BALITA_MONTHS:
        return None
    haz = record.latest_haz
    reasons = []
    if record.open_case:
        reasons.append(Reason.OPEN_CASE)
    if haz is not None and haz < STUNTED_HAZ:
        reasons.append(Reason.STUNTED)
    if record.krs_family and haz is not None and haz < AT_RISK_HAZ:
        reasons.append(Reason.KRS_FAMILY)
    if not reasons:
        return None
    group = TargetGroup.BADUTA if months < BADUTA_MONTHS else TargetGroup.BALITA
    return Candidate(group, tuple(reasons), child_id=record.child_id)


def _pregnant_in(record: PregnancyRecord, semester: Period) -> bool:
    started = record.started_on
    if started is None or started >= semester.end:
        return False
    if record.ended_on is not None:
        return record.ended_on >= semester.start
    return (semester.start - started).days <= PREGNANCY_MAX_DAYS


def _pregnancy(record: PregnancyRecord, semester: Period) -> Candidate | None:
    if not _pregnant_in(record, semester):
        return None
    reasons = []
    if bool(is_kek([record.lowest_muac_cm]).yes[0]):
        reasons.append(Reason.KEK)
    band = anaemia_band([record.lowest_hb_g_dl], pregnant=True)[0]
    if band not in (None, AnaemiaBand.NONE):
        reasons.append(Reason.ANAEMIA)
    if not reasons:
        return None
    return Candidate(TargetGroup.IBU_HAMIL, tuple(reasons), pregnancy_id=record.pregnancy_id)


def _birth(record: BirthRecord, semester: Period) -> Candidate | None:
    window = semester.shifted(-1).start
    if not window <= record.born_on < semester.end:
        return None
    if record.latest_haz is not None and record.latest_haz >= STUNTED_HAZ:
        return None  # caught up
    reasons = []
    weight_g = None if record.birth_weight_kg is None else record.birth_weight_kg * 1000
    if bool(is_bblr([weight_g]).yes[0]):
        reasons.append(Reason.BBLR_NOT_CATCHING_UP)
    if bool(is_pblr([record.birth_length_cm]).yes[0]):
        reasons.append(Reason.PBLR_NOT_CATCHING_UP)
    if not reasons:
        return None
    return Candidate(
        TargetGroup.IBU_NIFAS,
        tuple(reasons),
        child_id=record.child_id,
        pregnancy_id=record.pregnancy_id,
    )


def _catin(records: Sequence[CatinRecord], semester: Period) -> list[Candidate]:
    chosen = [
        r
        for r in records
        if semester.contains(r.registered_on)
        or (r.wedding_on is not None and semester.contains(r.wedding_on))
    ]
    if not chosen:
        return []
    risks = catin_risks(
        female=[r.female for r in chosen],
        birth_date=[r.birth_date for r in chosen],
        wedding_on=[r.wedding_on for r in chosen],
        screened_on=[r.screened_on for r in chosen],
        muac_cm=[r.muac_cm for r in chosen],
        hb_g_dl=[r.hb_g_dl for r in chosen],
        weight_kg=[r.weight_kg for r in chosen],
        height_cm=[r.height_cm for r in chosen],
    )
    at_risk = risks.at_risk.yes
    return [
        Candidate(TargetGroup.CATIN, (Reason.CATIN_AT_RISK,), catin_id=r.catin_id)
        for r, risky in zip(chosen, at_risk, strict=True)
        if risky
    ]


GROUP_ORDER = tuple(TargetGroup)


def select_candidates(
    semester: Period,
    *,
    children: Sequence[ChildRecord] = (),
    pregnancies: Sequence[PregnancyRecord] = (),
    births: Sequence[BirthRecord] = (),
    catin: Sequence[CatinRecord] = (),
) -> list[Candidate]:
    """The records of the locus that qualify as cases of the semester's audit, each with
    its reasons (Tumbuh's rule; the guide names the groups but no numbers: docs/aks.md).

    * baduta/balita (0-59 completed months on the semester's last day): an open nutrition
      case, or TB/U under -2 at the latest measurement, or a KRS family's child under -1;
    * ibu hamil (pregnant during the semester): LiLA under 23.5 cm (KEK) or Hb under
      11.0 g/dL (anaemia) at any recorded visit;
    * ibu nifas (a birth in the semester or the one before): the child born under 2,500 g
      (BBLR) or 48 cm (PBLR) and not caught up: TB/U still under -2, or not measured since;
    * catin registered or marrying in the semester and at risk (KEK, anaemia, kurus,
      under the marriage age or "terlalu muda").

    By group (catin first, as the guide lists them), then most reasons first."""
    on = audit_day(semester)
    found: list[Candidate] = [c for r in children if (c := _child(r, on)) is not None]
    found += [c for r in pregnancies if (c := _pregnancy(r, semester)) is not None]
    found += [c for r in births if (c := _birth(r, semester)) is not None]
    found += _catin(catin, semester)
    unique = {c.key: c for c in found}
    return sorted(
        unique.values(),
        key=lambda c: (
            GROUP_ORDER.index(c.group),
            -len(c.reasons),
            c.child_id or c.pregnancy_id or c.catin_id or 0,
        ),
    )


# --- what the teams type (docs/aks.md, "Forms") -----------------------------------------

TEXT_MAX = 2000  # an analysis, what should have happened, a recommendation
LINE_MAX = 500  # a member's name, a place, an RTL action
NAME_MAX = 120


@dataclass(frozen=True)
class AksError:
    """A refused value: an English message template (a catalog id), the form's field
    and the values the template names besides the field (value, length, limit, accepted)."""

    message: str
    field: str
    values: tuple[tuple[str, str | int], ...] = ()


TOO_LONG = "{field}: the text has {length} characters; at most {limit} are accepted"
REQUIRED = "{field}: please fill it in"
NOT_ONE_OF = "{field}: '{value}' is not one of {accepted}"
NOT_A_DATE = "{field}: '{value}' is not a date; write it as 2024-12-05"
NOT_A_SEMESTER = "{field}: '{value}' is not a semester; write it as 2024-S2 (S1: January-June)"
MESSAGES = (TOO_LONG, REQUIRED, NOT_ONE_OF, NOT_A_DATE, NOT_A_SEMESTER)


def checked_text(
    field: str, value: str, errors: list[AksError], *, limit: int = TEXT_MAX, required: bool = False
) -> str | None:
    """``value`` stripped (None when empty), an error added when it is too long or a
    required field is empty."""
    text = value.strip()
    if len(text) > limit:
        errors.append(AksError(TOO_LONG, field, (("length", len(text)), ("limit", limit))))
    elif required and not text:
        errors.append(AksError(REQUIRED, field))
    return text or None


def checked_date(
    field: str, value: str, errors: list[AksError], *, required: bool = False
) -> date | None:
    """An ISO date (2024-12-05), None when empty; an error for anything else."""
    text = value.strip()
    if not text:
        if required:
            errors.append(AksError(REQUIRED, field))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(AksError(NOT_A_DATE, field, (("value", text[:40]),)))
        return None


def checked_causes(values: Sequence[str], errors: list[AksError]) -> tuple[Cause, ...]:
    """The ticked causes, in the order of :class:`Cause`; an error for an unknown one."""
    known = {c.value for c in Cause}
    for value in values:
        if value not in known:
            accepted = ", ".join(c.value for c in Cause)
            errors.append(
                AksError(NOT_ONE_OF, "causes", (("value", value[:40]), ("accepted", accepted)))
            )
    return tuple(c for c in Cause if c.value in set(values))


def causes_text(causes: Sequence[Cause]) -> str:
    """Causes as stored: their codes, space-separated."""
    return " ".join(c.value for c in causes)


def causes_of(stored: str | None) -> tuple[Cause, ...]:
    """Causes back from their stored codes (unknown codes are dropped)."""
    codes = set((stored or "").split())
    return tuple(c for c in Cause if c.value in codes)


def reasons_text(reasons: Sequence[Reason]) -> str:
    """Reasons as stored: their codes, space-separated."""
    return " ".join(r.value for r in reasons)


def reasons_of(stored: str | None) -> tuple[Reason, ...]:
    """Reasons back from their stored codes."""
    codes = (stored or "").split()
    return tuple(r for r in Reason if r.value in codes)


def cause_counts(case_causes: Sequence[Sequence[Cause]]) -> tuple[tuple[Cause, int], ...]:
    """Cases per cause, most frequent first (ties in the order of :class:`Cause`); causes
    no case has are left out."""
    counts = {c: sum(1 for causes in case_causes if c in causes) for c in Cause}
    ranked = sorted(
        ((c, n) for c, n in counts.items() if n), key=lambda p: (-p[1], list(Cause).index(p[0]))
    )
    return tuple(ranked)
