"""Targets and the scale they are measured on: only like is compared with like.

A prevalence target is a number on one **scale**: the national 14 % of 2024 and Kota
Cilegon's 9 % of 2023 are survey figures (SSGI, SKI: a stratified sample measured by
trained enumerators), while the register (e-PPGBM) counts the children who come and reads
2.6-2.9 % in 2024. A register figure below a survey-scale target says nothing about the
target being met (docs/domain.md §4 and §13), so a target is drawn or printed only beside
figures of its own scale (:func:`comparable`). Each figure Tumbuh shows has a scale
(:class:`FigureKind`, :func:`figure_scale`).

The national path (Perpres 72/2021: 14 % in 2024; RPJMN 2025-2029: 18.8 % in 2025 and
14.2 % in 2029) is packaged data, ``tumbuh/data/targets/national.csv``, read once by
:func:`national_targets` (the one cached loader of this module); a year without a
published target has none (:func:`target_of_year`).
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

__all__ = [
    "FigureKind",
    "Target",
    "TargetOrigin",
    "TargetScale",
    "check_comparable",
    "comparable",
    "figure_scale",
    "latest_target",
    "national_targets",
    "parse_national_targets",
    "target_of_year",
]

NATIONAL_FILE = "targets/national.csv"


class TargetScale(StrEnum):
    """What a target (or a figure) is measured on."""

    SURVEY = "survey"  # SSGI, SKI: a sample survey, the official yardstick
    REGISTER = "register"  # e-PPGBM: every child who came to the posyandu
    ADMINISTRATIVE = "administrative"  # coverage, services delivered: counts of records

    @property
    def label(self) -> str:
        """The UI label (a msgid)."""
        return _SCALE_LABELS[self]


_SCALE_LABELS = {
    TargetScale.SURVEY: "survey scale (SSGI/SKI)",
    TargetScale.REGISTER: "register scale (e-PPGBM)",
    TargetScale.ADMINISTRATIVE: "administrative scale (coverage and services)",
}


class FigureKind(StrEnum):
    """Every kind of figure Tumbuh draws or prints beside a target."""

    REGISTER_PREVALENCE = "register-prevalence"  # prevalence from the register's rounds
    SURVEY_ESTIMATE = "survey-estimate"  # an SSGI/SKI figure entered by hand
    COVERAGE = "coverage"  # D/S, measured/S
    INDICATOR = "indicator"  # a specific/sensitive intervention indicator (Perpres Annex A)


_FIGURE_SCALES = {
    FigureKind.REGISTER_PREVALENCE: TargetScale.REGISTER,
    FigureKind.SURVEY_ESTIMATE: TargetScale.SURVEY,
    FigureKind.COVERAGE: TargetScale.ADMINISTRATIVE,
    FigureKind.INDICATOR: TargetScale.ADMINISTRATIVE,
}


def figure_scale(kind: FigureKind) -> TargetScale:
    """The scale a kind of figure is on."""
    return _FIGURE_SCALES[kind]


def comparable(target_scale: TargetScale, figure_scale: TargetScale) -> bool:
    """True when a target of ``target_scale`` may stand beside a figure of
    ``figure_scale``: only the same scale (a register figure is never held against a
    survey target, docs/domain.md §13)."""
    return target_scale is figure_scale


def check_comparable(target_scale: TargetScale, figure_scale: TargetScale, what: str) -> None:
    """Raise ``ValueError`` (a programmer error) when the scales differ; ``what`` names
    the drawing for the message."""
    if not comparable(target_scale, figure_scale):
        raise ValueError(
            f"{what}: a {target_scale.value}-scale target cannot be drawn beside "
            f"{figure_scale.value}-scale figures"
        )


class TargetOrigin(StrEnum):
    """Who set the target."""

    NATIONAL = "national"  # Perpres / RPJMN, packaged data
    LOCAL = "local"  # the area's own, entered (prevalence_target)


@dataclass(frozen=True)
class Target:
    """A prevalence target (percent) for one year, on its scale, with its source."""

    year: int
    indicator: str  # e.g. stunting
    percent: float
    scale: TargetScale
    origin: TargetOrigin
    source: str | None = None


def parse_national_targets(text: str) -> tuple[Target, ...]:
    """Rows of the national file (``year,indicator,percent,scale,source``), by year;
    ``ValueError`` for a malformed row or a year given twice for an indicator."""
    found: dict[tuple[str, int], Target] = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            target = Target(
                year=int(row["year"]),
                indicator=row["indicator"].strip(),
                percent=float(row["percent"]),
                scale=TargetScale(row["scale"].strip()),
                origin=TargetOrigin.NATIONAL,
                source=(row.get("source") or "").strip() or None,
            )
        except (KeyError, ValueError, AttributeError) as error:
            raise ValueError(f"national targets, line {number}: {error}") from error
        if not 0.0 <= target.percent <= 100.0:
            raise ValueError(f"national targets, line {number}: {target.percent} is no percent")
        key = (target.indicator, target.year)
        if key in found:
            raise ValueError(f"national targets, line {number}: {key} given twice")
        found[key] = target
    return tuple(sorted(found.values(), key=lambda t: (t.indicator, t.year)))


@cache
def national_targets() -> tuple[Target, ...]:
    """The packaged national path (read once per process)."""
    data = resources.files("tumbuh.data").joinpath(NATIONAL_FILE)
    return parse_national_targets(data.read_text("utf-8"))


def target_of_year(
    targets: Iterable[Target], year: int, *, indicator: str, scale: TargetScale | None = None
) -> Target | None:
    """The target of ``indicator`` for exactly ``year`` (and ``scale``, when given);
    None when that year has none (no target is carried over from another year)."""
    for target in targets:
        same_scale = scale is None or target.scale is scale
        if target.year == year and target.indicator == indicator and same_scale:
            return target
    return None


def latest_target(
    targets: Iterable[Target], years: Iterable[int], *, indicator: str, scale: TargetScale
) -> Target | None:
    """The target of the latest of ``years`` that has one on ``scale`` (the line a chart
    over those years draws), or None."""
    for year in sorted(set(years), reverse=True):
        found = target_of_year(targets, year, indicator=indicator, scale=scale)
        if found is not None:
            return found
    return None
