"""The 8 aksi konvergensi of a kab/kota (Kemendagri Bangda, docs/domain.md §9,
docs/aksi.md): the actions of each year, in their order.

Pure: no I/O.
"""

from enum import StrEnum


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
