"""The words of the Audit Kasus Stunting that users read (docs/aks.md): target groups,
teams, roles, causes, reasons, RTL statuses and the forms' fields, as English message ids
(the Indonesian text is in ``aks.po``), and a refused value as a sentence."""

from collections.abc import Callable

from tumbuh.growth.aks import AksError, Cause, ExpertRole, Reason, TargetGroup, Team
from tumbuh.partner_labels import STATUS_NAMES  # the states of an action have one home

__all__ = [
    "CAUSE_NAMES",
    "FIELD_NAMES",
    "GROUP_NAMES",
    "REASON_NAMES",
    "ROLE_NAMES",
    "STATUS_NAMES",
    "TEAM_NAMES",
    "error_text",
]

GROUP_NAMES: dict[TargetGroup, str] = {
    TargetGroup.CATIN: "Catin (bride or groom-to-be)",
    TargetGroup.IBU_HAMIL: "Pregnant woman",
    TargetGroup.IBU_NIFAS: "Mother after a birth (nifas)",
    TargetGroup.BADUTA: "Baduta (0-23 months)",
    TargetGroup.BALITA: "Balita (24-59 months)",
}
TEAM_NAMES: dict[Team, str] = {
    Team.COORDINATION: "Audit and coordination team",
    Team.TECHNICAL: "Technical team",
    Team.EXPERT: "Expert panel",
}
ROLE_NAMES: dict[ExpertRole, str] = {
    ExpertRole.PEDIATRICIAN: "Paediatrician (SpA)",
    ExpertRole.OBSTETRICIAN: "Obstetrician (SpOG)",
    ExpertRole.NUTRITIONIST: "Nutritionist (ahli gizi)",
    ExpertRole.PSYCHOLOGIST: "Psychologist",
    ExpertRole.MIDWIFE: "Midwife (bidan)",
    ExpertRole.FAMILY_PLANNING: "Family-planning field officer (PKB/PLKB)",
    ExpertRole.OFFICIAL: "Head or staff of an office",
    ExpertRole.OTHER: "Other member",
}
CAUSE_NAMES: dict[Cause, str] = {
    Cause.INFECTION: "Recurrent or chronic infection",
    Cause.FEEDING: "Breastfeeding or complementary feeding",
    Cause.MATERNAL_NUTRITION: "Mother's nutrition (KEK, anaemia)",
    Cause.LOW_BIRTH_SIZE: "Small at birth or preterm",
    Cause.PREGNANCY_SPACING: "4 Terlalu (too young, too old, too close, too many)",
    Cause.WATER_SANITATION: "No safe water or latrine",
    Cause.POVERTY: "Poverty, not enough food",
    Cause.PARENTING: "Care and parenting",
    Cause.SERVICE_ACCESS: "Services missed (ANC, immunisation, weighing)",
    Cause.CONGENITAL: "Congenital or genetic condition",
    Cause.OTHER: "Another cause",
}
REASON_NAMES: dict[Reason, str] = {
    Reason.OPEN_CASE: "open nutrition case",
    Reason.STUNTED: "stunted at the latest measurement",
    Reason.KRS_FAMILY: "family at risk of stunting, TB/U under -1",
    Reason.KEK: "KEK (LiLA under 23.5 cm)",
    Reason.ANAEMIA: "anaemia (Hb under 11 g/dL)",
    Reason.BBLR_NOT_CATCHING_UP: "born under 2,500 g, not caught up",
    Reason.PBLR_NOT_CATCHING_UP: "born under 48 cm, not caught up",
    Reason.CATIN_AT_RISK: "catin at risk",
}
FIELD_NAMES: dict[str, str] = {
    "semester": "Semester",
    "started_on": "Audit start date",
    "locus": "Locus kelurahan",
    "name": "Name",
    "team": "Team and role",
    "analysis": "Analysis of the causes",
    "should_have": "What should have happened",
    "recommendation": "Recommendation for this case",
    "risk_factors": "Risk factors",
    "services": "Services received",
    "causes": "Causes",
    "text": "Recommendation",
    "action": "Action",
    "institution": "Responsible institution",
    "due_on": "Due date",
    "evaluation": "Evaluation",
    "held_on": "Meeting date",
    "place": "Meeting place",
    "note": "Note",
}


def error_text(error: AksError, gettext: Callable[[str], str]) -> str:
    """The refused value as a sentence in the catalog's language."""
    values = {key: str(value) for key, value in error.values}
    field = gettext(FIELD_NAMES.get(error.field, error.field))
    return gettext(error.message).format(field=field, **values)
