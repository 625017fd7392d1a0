"""The 8 aksi konvergensi of a kab/kota (Kemendagri Bangda, docs/domain.md §9,
docs/aksi.md): the actions of each year, in their order, the yearly scorecard's points and
the check of an aksi's status and date.

Pure: no I/O.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tumbuh.growth.tpps import ActionStatus


class Aksi(StrEnum):
    """One of the eight convergence actions, numbered as the juknis numbers them."""

    SITUATION_ANALYSIS = "situation_analysis"  # 1 Analisis Situasi (lokus)
    ACTIVITY_PLAN = "activity_plan"  # 2 Rencana Kegiatan (into RKPD/APBD)
    REMBUK = "rembuk"  # 3 Rembuk Stunting
    PERWAL = "perwal"  # 4 Perwal on the roles of kecamatan and kelurahan
    KPM_COACHING = "kpm_coaching"  # 5 Pembinaan KPM and kelurahan actors
    DATA_SYSTEM = "data_system"  # 6 Sistem Manajemen Data
    MEASUREMENT = "measurement"  # 7 Pengukuran dan Publikasi
    PERFORMANCE_REVIEW = "performance_review"  # 8 Reviu Kinerja Tahunan

    @property
    def number(self) -> int:
        """1 to 8, as the juknis numbers the action."""
        return list(Aksi).index(self) + 1


# Tumbuh's scorecard (docs/aksi.md, "Scorecard"): a done aksi counts 1, one in progress
# 0.5, a planned or cancelled one (or one not recorded) 0; the year's score is the sum,
# out of 8. The juknis asks the kab/kota to report each action; it sets no score, so this
# is Tumbuh's own rule, kept simple so a TPPS member can count it by hand.
AKSI_POINTS: dict[ActionStatus, float] = {
    ActionStatus.DONE: 1.0,
    ActionStatus.IN_PROGRESS: 0.5,
    ActionStatus.PLANNED: 0.0,
    ActionStatus.CANCELLED: 0.0,
}
AKSI_COUNT = len(Aksi)


def aksi_points(status: ActionStatus | None) -> float:
    """The points of one aksi of the year (None: not recorded, 0)."""
    return 0.0 if status is None else AKSI_POINTS[status]


def aksi_score(statuses: Mapping[Aksi, ActionStatus]) -> float:
    """The year's score, 0 to 8: the points of each of the 8 aksi (absent: 0)."""
    return sum(aksi_points(statuses.get(aksi)) for aksi in Aksi)


@dataclass(frozen=True)
class AksiProblem:
    """Why an aksi's values are refused: a message template and its values."""

    message: str
    values: dict[str, str | int]


def check_aksi(
    status: ActionStatus, done_on: date | None, year: int, today: date
) -> AksiProblem | None:
    """Whether an aksi's status and date fit: a done aksi needs the day it was done; the
    day lies in the aksi's year or the first half of the next (the reviu kinerja of a year
    is often held early the following year) and not after today."""
    if status is ActionStatus.DONE and done_on is None:
        return AksiProblem("a done aksi needs the date it was done", {})
    if done_on is None:
        return None
    text = done_on.isoformat()
    if done_on > today:
        return AksiProblem("the date {value} lies in the future", {"value": text})
    if not date(year, 1, 1) <= done_on <= date(year + 1, 6, 30):
        return AksiProblem(
            "the date {value} lies outside {year} and the first half of {next}",
            {"value": text, "year": year, "next": year + 1},
        )
    return None
