"""Reference figures entered by hand: target balita (S), local prevalence targets and
survey figures (:mod:`tumbuh.db.targets`).

Each setter is one write use case: it checks the input (an ``InputError`` naming the
option), writes in its own transaction and commits; True when the figure was new, False
when it replaced the one there.
"""

from dataclasses import dataclass

from sqlalchemy import Connection

from tumbuh.db import targets
from tumbuh.db.prevalence import PrevalenceIndicator
from tumbuh.db.targets import LocalTarget, PopulationTarget, SurveyEstimate, parse_scale
from tumbuh.growth.targets import TargetScale
from tumbuh.usecases.transactions import writing

__all__ = [
    "LocalTarget",
    "PopulationTarget",
    "PrevalenceIndicator",
    "ReferenceFigures",
    "SurveyEstimate",
    "TargetScale",
    "parse_scale",
    "reference_figures",
    "set_population_target",
    "set_prevalence_target",
    "set_survey_figure",
]


@dataclass(frozen=True)
class ReferenceFigures:
    """Every figure entered (of one year, when asked)."""

    population: list[PopulationTarget]
    targets: list[LocalTarget]
    surveys: list[SurveyEstimate]


def reference_figures(connection: Connection, *, year: int | None = None) -> ReferenceFigures:
    """Target balita, local targets and survey figures, optionally of one year."""
    return ReferenceFigures(
        targets.population_targets(connection, year=year),
        targets.prevalence_targets(connection, year=year),
        targets.survey_figures(connection, year=year),
    )


def set_population_target(
    connection: Connection,
    *,
    kelurahan_code: str,
    year: int,
    balita: int,
    source: str | None = None,
) -> bool:
    """Set S of a kelurahan for a year, committed (True: new, False: replaced)."""
    with writing(connection):
        return targets.set_population_target(
            connection, kelurahan_code=kelurahan_code, year=year, balita=balita, source=source
        )


def set_prevalence_target(
    connection: Connection,
    *,
    region_code: str,
    year: int,
    indicator: PrevalenceIndicator,
    percent: float,
    scale: TargetScale,
    source: str | None = None,
) -> bool:
    """Set a local target (percent, on ``scale``: survey, register or administrative) of
    an area for a year, committed. The scale decides where it is drawn: a survey-scale
    target only beside survey figures (docs/surveillance.md, "Targets and their scale")."""
    with writing(connection):
        return targets.set_prevalence_target(
            connection,
            region_code=region_code,
            year=year,
            indicator=indicator,
            percent=percent,
            scale=scale,
            source=source,
        )


def set_survey_figure(  # noqa: PLR0913 - keyword-only options, one per input
    connection: Connection,
    *,
    region_code: str,
    year: int,
    survey: str,
    percent: float,
    low_percent: float | None = None,
    high_percent: float | None = None,
    source: str | None = None,
    indicator: PrevalenceIndicator = PrevalenceIndicator.STUNTING,
) -> bool:
    """Set a survey figure of an area for a year, committed."""
    with writing(connection):
        return targets.set_survey_figure(
            connection,
            region_code=region_code,
            year=year,
            survey=survey,
            percent=percent,
            low_percent=low_percent,
            high_percent=high_percent,
            source=source,
            indicator=indicator,
        )
