"""What the semester report shows of the TPPS's own work (issue 16): the Audit Kasus
Stunting, the partners' actions, the 8 aksi konvergensi and the lokus kelurahan, as plain
data (numbers, dates, the words people entered; no labels: the report translates the
closed sets). No child, mother or NIK is here: the audit's cases are counted, never named.

Filled by the use cases (:mod:`tumbuh.usecases.aks`, ``actions``, ``aksi``) and drawn by
:mod:`tumbuh.reports.semester`; a part that is None is a section that says its data is
missing (docs/semester-report.md).
"""

from dataclasses import dataclass
from datetime import date

from tumbuh.growth.aks import Cause, ExpertRole, TargetGroup
from tumbuh.growth.aksi import Aksi
from tumbuh.growth.periods import Period
from tumbuh.growth.tpps import ActionKind, ActionStatus


@dataclass(frozen=True)
class ActionLine:
    """An RTL item or a partner's commitment, as the report lists it."""

    kind: ActionKind
    action: str
    responsible: str  # the institution's name
    kelurahan: str | None  # where: its kelurahan, else its office's area; None: the city
    agreed_on: date
    due_on: date | None
    status: ActionStatus
    overdue: bool  # open and past its due date on the report's cut-off day
    evidence_files: int
    budget_rupiah: int | None = None
    delivered: str | None = None
    evaluation: str | None = None  # an RTL item's evaluation in the next semester
    # The area it serves, as a code: its kelurahan, else the region of the responsible
    # office (a camat's kecamatan), else None (the city); a kecamatan's report keeps its own.
    area_code: str | None = None


@dataclass(frozen=True)
class AuditFigures:
    """One semester's Audit Kasus Stunting, without identities."""

    semester: Period
    locus: tuple[str, ...]  # kelurahan names
    experts: tuple[tuple[str, ExpertRole], ...]  # Tim Pakar: name, role
    cases: tuple[tuple[TargetGroup, int], ...]  # confirmed cases per group, every group
    reviewed: int  # cases whose KKA the Tim Pakar has completed
    causes: tuple[tuple[Cause, int], ...]  # cases per cause, most frequent first
    recommendations: tuple[str, ...]  # for the system (not per case)
    rtl: tuple[ActionLine, ...]  # this audit's RTL items
    disseminated_on: date | None  # the dissemination meeting, when held
    previous_rtl: tuple[ActionLine, ...] = ()  # the previous audit's items, evaluated


@dataclass(frozen=True)
class AksiLine:
    """One of the 8 aksi of a year."""

    aksi: Aksi
    status: ActionStatus
    done_on: date | None
    owner: str | None  # the owning office's name
    evidence_files: int
    note: str | None = None


@dataclass(frozen=True)
class LokusLine:
    """A lokus kelurahan of the year and the figures it was chosen on."""

    kelurahan_code: str
    kelurahan_name: str
    rank: int  # 1 = first priority
    stunted: int | None  # children stunted in the analysis' round
    stunted_percent: float | None
    krs_families: int | None  # keluarga risiko stunting
    coverage_percent: float | None  # D/S of the round


@dataclass(frozen=True)
class TppsFigures:
    """The TPPS's part of the semester report; None where nothing is recorded."""

    audit: AuditFigures | None
    commitments: tuple[ActionLine, ...] | None  # every commitment due or agreed by the cut-off
    aksi: tuple[AksiLine, ...] | None  # the 8 of the semester's year, in order
    lokus: tuple[LokusLine, ...] | None  # the semester's year
