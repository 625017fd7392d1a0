"""The words of the 8 aksi konvergensi and the states of an action that users read
(docs/aksi.md), as English message ids; the Indonesian text is in ``aksi.po``."""

from tumbuh.growth.aksi import Aksi
from tumbuh.partner_labels import STATUS_NAMES  # the states of an action have one home

__all__ = ["AKSI_NAMES", "STATUS_NAMES"]

AKSI_NAMES: dict[Aksi, str] = {
    Aksi.SITUATION_ANALYSIS: "Situation analysis",
    Aksi.ACTIVITY_PLAN: "Activity plan",
    Aksi.REMBUK: "Rembuk stunting",
    Aksi.PERWAL: "Perwal on the roles of kecamatan and kelurahan",
    Aksi.KPM_COACHING: "Coaching of KPM and kelurahan actors",
    Aksi.DATA_SYSTEM: "Data management system",
    Aksi.MEASUREMENT: "Measurement and publication",
    Aksi.PERFORMANCE_REVIEW: "Annual performance review",
}
