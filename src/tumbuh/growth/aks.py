"""Audit Kasus Stunting (AKS): the closed sets of the audit (issue 16; docs/domain.md §8,
docs/aks.md). BKKBN's Buku Saku AKS 2022 names the target groups, the three teams and the
four experts of the Tim Pakar; the causes are the groups of causes an expert panel writes
in its KKA analysis (UNICEF's conceptual framework: immediate, underlying, basic).

Pure: no I/O; the rules of case selection live beside these sets.
"""

from enum import StrEnum


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
