"""Targets and their scale (:mod:`tumbuh.growth.targets`): the rule, the national path
and the lines the charts draw from it."""

import pytest

from tumbuh.growth.targets import (
    FigureKind,
    Target,
    TargetOrigin,
    TargetScale,
    check_comparable,
    comparable,
    figure_scale,
    latest_target,
    national_targets,
    parse_national_targets,
    target_of_year,
)
from tumbuh.i18n import Language
from tumbuh.reports.charts import TargetLine, TrendSeries, trend_chart
from tumbuh.reports.target_lines import scale_note, survey_chart, target_lines

SURVEY, REGISTER = TargetScale.SURVEY, TargetScale.REGISTER
HEADER = "year,indicator,percent,scale,source\n"


@pytest.mark.parametrize("target", list(TargetScale))
@pytest.mark.parametrize("figure", list(TargetScale))
def test_only_the_same_scale_is_comparable(target: TargetScale, figure: TargetScale) -> None:
    assert comparable(target, figure) is (target is figure)


def test_a_survey_target_beside_register_figures_is_a_programmer_error() -> None:
    with pytest.raises(ValueError, match="survey-scale target cannot be drawn beside register"):
        check_comparable(SURVEY, REGISTER, "dashboard")
    check_comparable(REGISTER, REGISTER, "dashboard")  # no error


def test_every_figure_tumbuh_draws_has_its_scale() -> None:
    assert {kind: figure_scale(kind) for kind in FigureKind} == {
        FigureKind.REGISTER_PREVALENCE: REGISTER,
        FigureKind.SURVEY_ESTIMATE: SURVEY,
        FigureKind.COVERAGE: TargetScale.ADMINISTRATIVE,
        FigureKind.INDICATOR: TargetScale.ADMINISTRATIVE,
    }


def test_the_packaged_national_path_is_on_the_survey_scale_by_year() -> None:
    path = national_targets()
    assert [(t.year, t.indicator, t.percent) for t in path] == [
        (2024, "stunting", 14.0),  # Perpres 72/2021, article 4
        (2025, "stunting", 18.8),  # RPJMN 2025-2029
        (2029, "stunting", 14.2),
    ]
    assert {t.scale for t in path} == {SURVEY}
    assert {t.origin for t in path} == {TargetOrigin.NATIONAL}
    assert all(t.source for t in path)
    assert national_targets() is path  # read once


@pytest.mark.parametrize(
    ("year", "percent"), [(2023, None), (2024, 14.0), (2025, 18.8), (2027, None), (2029, 14.2)]
)
def test_the_national_target_is_looked_up_by_year_and_a_year_without_one_has_none(
    year: int, percent: float | None
) -> None:
    found = target_of_year(national_targets(), year, indicator="stunting")
    assert (None if found is None else found.percent) == percent


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024,stunting,14,ssgi,x\n", "line 2"),
        ("2024,stunting,140,survey,x\n", "no percent"),
        ("2024,stunting,14,survey,x\n2024,stunting,15,survey,y\n", "given twice"),
        ("twenty,stunting,14,survey,x\n", "line 2"),
    ],
)
def test_a_malformed_national_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_national_targets(HEADER + text)


def _local(year: int, percent: float, scale: TargetScale = SURVEY) -> Target:
    return Target(year, "stunting", percent, scale, TargetOrigin.LOCAL, "Pemkot")


def test_the_latest_local_target_of_the_years_on_the_scale() -> None:
    targets = [_local(2023, 9.0), _local(2024, 2.5, REGISTER)]
    found = latest_target(targets, [2021, 2022, 2023, 2024], indicator="stunting", scale=SURVEY)
    assert found == targets[0]
    assert latest_target(targets, [2021, 2022], indicator="stunting", scale=SURVEY) is None


def test_the_lines_carry_their_scale_and_year() -> None:
    targets = [*national_targets(), _local(2023, 9.0)]
    national, local = target_lines(
        targets, scale=SURVEY, year=2024, years=[2022, 2023, 2024], language=Language.ID
    )
    assert national == TargetLine(14.0, "Target nasional 2024", SURVEY)
    assert local == TargetLine(9.0, "Target daerah 2023", SURVEY)
    assert target_lines(targets, scale=REGISTER, year=2024) == (None, None)
    assert target_lines(targets, scale=SURVEY, year=2026) == (None, None)  # no 2026 target


def test_the_register_note_points_at_the_survey_chart() -> None:
    note = scale_note(national_targets(), scale=REGISTER, language=Language.ID)
    assert note == (
        "Target berada pada skala survei (SSGI/SKI), bukan skala pencatatan, sehingga tidak "
        "digambar di sini: lihat grafik survei."
    )
    assert scale_note([_local(2024, 2.5, REGISTER)], scale=REGISTER) is None


class _Survey:
    def __init__(self, year: int, survey: str, percent: float) -> None:
        self.year, self.survey, self.percent = year, survey, percent
        self.low_percent: float | None = None
        self.high_percent: float | None = None


def test_the_survey_chart_draws_the_surveys_per_year_with_the_survey_targets() -> None:
    surveys = [_Survey(2021, "SSGI", 20.6), _Survey(2022, "SSGI", 19.1), _Survey(2023, "SKI", 22)]
    svg = survey_chart(
        surveys, [*national_targets(), _local(2023, 9.0)], title="S", year=2024, ident="s"
    )
    assert svg is not None
    for text in ("2021", "2024", "SSGI", "SKI", "Target nasional 2024", "Target daerah 2023"):
        assert text in svg
    assert survey_chart([], national_targets(), title="S", year=2024) is None


def test_a_plain_reference_line_still_stands_beside_series_without_a_scale() -> None:
    svg = trend_chart(
        ["a"], [TrendSeries("z", (None,))], title="T", target=TargetLine(-2, "Cut-off"), unit=""
    )
    assert "Cut-off" in svg
    with pytest.raises(ValueError, match="both must declare a scale"):
        trend_chart(
            ["a"], [TrendSeries("z", (None,), REGISTER)], title="T", target=TargetLine(1, "x")
        )
