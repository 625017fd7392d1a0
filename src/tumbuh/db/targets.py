"""Reference figures entered by hand: target balita (S), local prevalence targets, surveys.

* ``target_population``: the number of balita Dinkes targets in a kelurahan for a year
  (the S of coverage D/S);
* ``prevalence_target``: a local target for an indicator in an area and year, on its
  scale (Kota Cilegon's 2023 stunting target of 9 %, survey scale, docs/domain.md §13;
  :mod:`tumbuh.growth.targets`);
* ``survey_figure``: a survey estimate (SSGI, SKI) for an area and year, with its 95 %
  interval when published, shown beside the register and never merged with it
  (docs/domain.md §4).

Setting a figure that exists replaces it (one value per key). Every check raises an
``InputError`` that names the option or form field (``field``) and what to give instead.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, Table, and_, select

from tumbuh.db.models import Region, RegionLevel, table_of
from tumbuh.db.models_access import PrevalenceTarget, SurveyFigure, TargetPopulation
from tumbuh.db.prevalence import PrevalenceIndicator
from tumbuh.db.regions import RegionInfo, region
from tumbuh.errors import InputError
from tumbuh.growth.targets import Target, TargetOrigin, TargetScale

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_SURVEY_NAME = 20


@dataclass(frozen=True)
class PopulationTarget:
    """Target balita (S) of a kelurahan for a year."""

    kelurahan_code: str
    kelurahan_name: str
    year: int
    balita: int
    source: str | None


@dataclass(frozen=True)
class LocalTarget:
    """A local prevalence target (percent) of an area for a year, on its scale."""

    region_code: str
    region_name: str
    year: int
    indicator: str
    percent: float
    source: str | None
    scale: TargetScale = TargetScale.SURVEY

    @property
    def target(self) -> Target:
        """The target as the pure core knows it."""
        return Target(
            self.year, self.indicator, self.percent, self.scale, TargetOrigin.LOCAL, self.source
        )


@dataclass(frozen=True)
class SurveyEstimate:
    """A survey's prevalence (percent) for an area and year, with its interval if known."""

    region_code: str
    region_name: str
    year: int
    survey: str
    indicator: str
    percent: float
    low_percent: float | None
    high_percent: float | None
    source: str | None


def _year(year: int, field: str) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            "{field}: {value} is not a plausible year; give a year from {first} to {last}",
            field=field,
            value=year,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    return year


def _percent(value: float, field: str) -> float:
    if not 0.0 <= value <= 100.0:
        raise InputError(
            "{field}: {value} is not a percentage; give a number from 0 to 100, e.g. 19.1",
            field=field,
            value=value,
        )
    return value


def _text(value: str | None, field: str, limit: int) -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if len(text) > limit:
        raise InputError(
            "{field}: the text has {length} characters; shorten it to at most {limit}",
            field=field,
            length=len(text),
            limit=limit,
        )
    return text


def _region(connection: Connection, code: str, field: str, *, kelurahan: bool) -> RegionInfo:
    found = region(connection, code.strip())
    if found is None:
        raise InputError(
            "{field}: there is no region with the code '{value}'; give a Kemendagri code such "
            "as 36.72 (kota), 36.72.01 (kecamatan) or 36.72.01.1001 (kelurahan)",
            field=field,
            value=code,
        )
    if kelurahan and found.level is not RegionLevel.KELURAHAN:
        raise InputError(
            "{field}: {value} is a {level}, not a kelurahan; targets of balita are set per "
            "kelurahan, with a code such as 36.72.01.1001",
            field=field,
            value=code,
            level=found.level.value,
        )
    return found


def _upsert(
    connection: Connection, table: Table, key: dict[str, Any], values: dict[str, Any]
) -> bool:
    """Insert the row or replace its values; True when it was new."""
    where = and_(*[table.c[name] == value for name, value in key.items()])
    exists = connection.execute(select(table.c[next(iter(key))]).where(where)).first()
    if exists is None:
        connection.execute(table.insert().values(**key, **values))
        return True
    connection.execute(table.update().where(where).values(**values))
    return False


def set_population_target(
    connection: Connection,
    *,
    kelurahan_code: str,
    year: int,
    balita: int,
    source: str | None = None,
    field: str = "--kelurahan",
) -> bool:
    """Set S of a kelurahan for a year (True: new, False: replaced)."""
    found = _region(connection, kelurahan_code, field, kelurahan=True)
    if balita < 0:
        raise InputError(
            "--balita: {value} is negative; give the number of target balita, e.g. 850",
            value=balita,
        )
    return _upsert(
        connection,
        table_of(TargetPopulation),
        {"kelurahan_code": found.code, "year": _year(year, "--year")},
        {"balita": balita, "source": _text(source, "--source", 200)},
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
    field: str = "--area",
) -> bool:
    """Set a local target (percent, on ``scale``) of an area for a year (True: new,
    False: replaced)."""
    found = _region(connection, region_code, field, kelurahan=False)
    return _upsert(
        connection,
        table_of(PrevalenceTarget),
        {"region_code": found.code, "year": _year(year, "--year"), "indicator": indicator.value},
        {
            "percent": _percent(percent, "--percent"),
            "source": _text(source, "--source", 200),
            "scale": scale.value,
        },
    )


def parse_scale(text: str, field: str = "--scale") -> TargetScale:
    """A scale typed by a user (``survey``, ``register``, ``administrative``)."""
    try:
        return TargetScale(text.strip().lower())
    except ValueError:
        raise InputError(
            "{field}: '{value}' is not a scale; give survey (SSGI/SKI), register (e-PPGBM) "
            "or administrative (coverage and services)",
            field=field,
            value=text,
        ) from None


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
    field: str = "--area",
) -> bool:
    """Set a survey figure of an area for a year (True: new, False: replaced)."""
    found = _region(connection, region_code, field, kelurahan=False)
    name = _text(survey, "--survey", MAX_SURVEY_NAME)
    if name is None:
        raise InputError("--survey: give the survey's name, e.g. SSGI or SKI")
    value = _percent(percent, "--percent")
    low = None if low_percent is None else _percent(low_percent, "--low")
    high = None if high_percent is None else _percent(high_percent, "--high")
    if (low is not None and low > value) or (high is not None and high < value):
        raise InputError(
            "--low/--high: the interval {low} to {high} does not contain {value}; give the "
            "lower bound below the figure and the upper bound above it",
            low="" if low is None else low,
            high="" if high is None else high,
            value=value,
        )
    return _upsert(
        connection,
        table_of(SurveyFigure),
        {
            "region_code": found.code,
            "year": _year(year, "--year"),
            "survey": name.upper(),
            "indicator": indicator.value,
        },
        {
            "percent": value,
            "low_percent": low,
            "high_percent": high,
            "source": _text(source, "--source", 300),
        },
    )


def _names(connection: Connection) -> dict[str, str]:
    r = table_of(Region)
    return {
        row.code: row.local_name or row.name
        for row in connection.execute(select(r.c.code, r.c.name, r.c.local_name))
    }


def _of_area(
    query: Select[Any],
    t: Table,
    region_code: str | None,
    indicator: PrevalenceIndicator | None,
    year: int | None,
) -> Select[Any]:
    """``query`` of figures kept per area, indicator and year, only those asked for, in
    that order."""
    query = query.order_by(t.c.region_code, t.c.indicator, t.c.year)
    if region_code is not None:
        query = query.where(t.c.region_code == region_code)
    if indicator is not None:
        query = query.where(t.c.indicator == indicator.value)
    if year is not None:
        query = query.where(t.c.year == year)
    return query


def population_targets(
    connection: Connection, *, year: int | None = None, within: str | None = None
) -> list[PopulationTarget]:
    """Targets of balita, by year then kelurahan code (optionally one year, one area)."""
    t = table_of(TargetPopulation)
    query = select(t).order_by(t.c.year, t.c.kelurahan_code)
    if year is not None:
        query = query.where(t.c.year == year)
    if within is not None:
        query = query.where(t.c.kelurahan_code.startswith(within + "."))
    names = _names(connection)
    return [
        PopulationTarget(
            row.kelurahan_code, names.get(row.kelurahan_code, ""), row.year, row.balita, row.source
        )
        for row in connection.execute(query)
    ]


def prevalence_targets(
    connection: Connection,
    *,
    region_code: str | None = None,
    indicator: PrevalenceIndicator | None = None,
    year: int | None = None,
) -> list[LocalTarget]:
    """Local targets, by area code, indicator and year."""
    t = table_of(PrevalenceTarget)
    query = _of_area(select(t), t, region_code, indicator, year)
    names = _names(connection)
    return [
        LocalTarget(
            row.region_code,
            names.get(row.region_code, ""),
            row.year,
            row.indicator,
            row.percent,
            row.source,
            TargetScale(row.scale),
        )
        for row in connection.execute(query)
    ]


def survey_figures(
    connection: Connection,
    *,
    region_code: str | None = None,
    indicator: PrevalenceIndicator | None = None,
    year: int | None = None,
) -> list[SurveyEstimate]:
    """Survey figures, by area code, indicator, year and survey."""
    t = table_of(SurveyFigure)
    query = _of_area(select(t), t, region_code, indicator, year).order_by(t.c.survey)
    names = _names(connection)
    return [
        SurveyEstimate(
            row.region_code,
            names.get(row.region_code, ""),
            row.year,
            row.survey,
            row.indicator,
            row.percent,
            row.low_percent,
            row.high_percent,
            row.source,
        )
        for row in connection.execute(query)
    ]
