"""The names users read for the age groups of balita (docs/glossary.md): one mapping,
English message ids translated in age_groups.po. ``None`` is every balita (the total)."""

from tumbuh.growth.ages import AgeGroup

AGE_LABELS: dict[AgeGroup | None, str] = {
    AgeGroup.BADUTA: "Baduta (0–23 months)",
    AgeGroup.BALITA_24_59: "Balita 24–59 months",
    None: "All balita (0–59 months)",
}
