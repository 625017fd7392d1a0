"""Reference figures: target balita, local targets and survey figures, set and listed."""

import pytest
from sqlalchemy import Connection

from tumbuh.db.prevalence import PrevalenceIndicator
from tumbuh.db.targets import (
    population_targets,
    prevalence_targets,
    set_population_target,
    set_prevalence_target,
    set_survey_figure,
    survey_figures,
)
from tumbuh.errors import InputError
from tumbuh.growth.targets import TargetScale

SURVEY = TargetScale.SURVEY
STUNTING = PrevalenceIndicator.STUNTING


def test_a_population_target_is_set_then_replaced(connection: Connection) -> None:
    assert set_population_target(
        connection, kelurahan_code="36.72.01.1001", year=2024, balita=850, source="Dinkes"
    )
    assert not set_population_target(
        connection, kelurahan_code="36.72.01.1001", year=2024, balita=870
    )
    set_population_target(connection, kelurahan_code="36.72.02.1001", year=2023, balita=400)
    found = population_targets(connection)
    assert [(t.year, t.kelurahan_code, t.kelurahan_name, t.balita) for t in found] == [
        (2023, "36.72.02.1001", "Bagendung", 400),
        (2024, "36.72.01.1001", "Cibeber", 870),
    ]
    assert found[1].source is None  # replaced with the new values
    assert [t.balita for t in population_targets(connection, year=2024)] == [870]
    assert [t.balita for t in population_targets(connection, within="36.72.02")] == [400]


def test_targets_of_balita_are_per_kelurahan(connection: Connection) -> None:
    with pytest.raises(InputError, match="is a kecamatan, not a kelurahan"):
        set_population_target(connection, kelurahan_code="36.72.01", year=2024, balita=850)
    with pytest.raises(InputError, match=r"no region with the code '36\.72\.01\.9999'"):
        set_population_target(connection, kelurahan_code="36.72.01.9999", year=2024, balita=1)
    with pytest.raises(InputError, match="--balita: -5 is negative"):
        set_population_target(connection, kelurahan_code="36.72.01.1001", year=2024, balita=-5)
    with pytest.raises(InputError, match="--year: 24 is not a plausible year"):
        set_population_target(connection, kelurahan_code="36.72.01.1001", year=24, balita=5)


def test_a_local_target_is_per_area_year_and_indicator(connection: Connection) -> None:
    set_prevalence_target(
        connection, region_code="36.72", year=2023, indicator=STUNTING, percent=9, scale=SURVEY
    )
    set_prevalence_target(
        connection,
        region_code="36.72",
        year=2023,
        indicator=PrevalenceIndicator.WASTING,
        percent=5,
        scale=TargetScale.REGISTER,
    )
    found = prevalence_targets(connection, region_code="36.72", indicator=STUNTING)
    assert [(t.year, t.indicator, t.percent, t.region_name, t.scale) for t in found] == [
        (2023, "stunting", 9.0, "Kota Cilegon", SURVEY)
    ]
    with pytest.raises(InputError, match="--percent: 140 is not a percentage"):
        set_prevalence_target(
            connection,
            region_code="36.72",
            year=2023,
            indicator=STUNTING,
            percent=140,
            scale=SURVEY,
        )


def test_setting_a_target_again_can_change_its_scale(connection: Connection) -> None:
    for scale in (SURVEY, TargetScale.REGISTER):
        set_prevalence_target(
            connection, region_code="36.72", year=2024, indicator=STUNTING, percent=9, scale=scale
        )
    found = prevalence_targets(connection, region_code="36.72")
    assert [(t.year, t.percent, t.scale) for t in found] == [(2024, 9.0, TargetScale.REGISTER)]
    assert found[0].target.scale is TargetScale.REGISTER


def test_a_survey_figure_keeps_its_interval_and_source(connection: Connection) -> None:
    set_survey_figure(
        connection,
        region_code="36",
        year=2022,
        survey=" ssgi ",
        percent=20.0,
        low_percent=18.5,
        high_percent=21.6,
        source="SSGI 2022",
    )
    (figure,) = survey_figures(connection)
    assert (figure.region_code, figure.survey, figure.percent) == ("36", "SSGI", 20.0)
    assert (figure.low_percent, figure.high_percent, figure.source) == (18.5, 21.6, "SSGI 2022")
    assert figure.region_name == "Banten"


def test_a_survey_interval_must_contain_the_figure(connection: Connection) -> None:
    with pytest.raises(InputError, match=r"does not contain 19\.1"):
        set_survey_figure(
            connection, region_code="36.72", year=2022, survey="SSGI", percent=19.1, low_percent=20
        )
    with pytest.raises(InputError, match="--survey: give the survey's name"):
        set_survey_figure(connection, region_code="36.72", year=2022, survey=" ", percent=19.1)
    with pytest.raises(InputError, match="at most 300"):
        set_survey_figure(
            connection, region_code="36.72", year=2022, survey="SKI", percent=22, source="x" * 301
        )
