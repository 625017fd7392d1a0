"""Trend line charts: data drawn where it belongs, Indonesian labels, gaps and targets."""

from pathlib import Path

import pytest

from tests.unit.reports.conftest import find_all, parse, texts, with_class
from tumbuh.i18n import Language
from tumbuh.reports.charts import Estimate, TargetLine, TrendSeries, trend_chart

# Kota Cilegon, e-PPGBM register (docs/domain.md §12); intervals invented for the test.
PERIODS = ("Agu 2022", "Feb 2023", "Agu 2023", "Feb 2024", "Agu 2024")
REGISTER = TrendSeries(
    "Register (e-PPGBM)",
    (
        Estimate(3.70, 3.50, 3.90),
        Estimate(3.49, 3.29, 3.69),
        Estimate(2.92, 2.74, 3.10),
        Estimate(2.87, 2.69, 3.06),
        Estimate(2.62, 2.45, 2.80),
    ),
)
SURVEY = TrendSeries(
    "Survei (SSGI/SKI)", (Estimate(19.1, 17.0, 21.3), None, Estimate(22.0, 19.9, 24.1), None, None)
)


def test_trend_chart_draws_one_point_per_known_value(artifacts: Path) -> None:
    svg = trend_chart(
        PERIODS,
        [REGISTER, SURVEY],
        title="Prevalensi stunting Kota Cilegon",
        target=TargetLine(14, "Target nasional 2024"),
        local_target=TargetLine(9, "Target kota"),
    )
    (artifacts / "trend.svg").write_text(svg, encoding="utf-8")
    root = parse(svg)
    register, survey = with_class(root, "g", "series-0"), with_class(root, "g", "series-1")
    assert len(find_all(register[0], "circle")) == 5
    assert len(find_all(survey[0], "circle")) == 2
    assert len(find_all(register[0], "polyline")) == 1
    # The survey has no data in Feb 2023: its two points are bridged by a dashed line.
    gaps = with_class(survey[0], "line", "gap")
    assert len(gaps) == 1
    assert gaps[0].get("stroke-dasharray") == "4 4"


def test_point_tooltips_give_value_and_interval_in_indonesian_format() -> None:
    root = parse(trend_chart(PERIODS, [REGISTER], title="Tren"))
    tips = [t.text for t in find_all(root, "title")[1:]]  # the first is the chart's own
    assert tips[-1] == "Register (e-PPGBM), Agu 2024: 2,62% (2,45\u20132,80)"


def test_one_short_series_gets_its_values_written_on_the_points() -> None:
    labels = texts(parse(trend_chart(PERIODS, [REGISTER], title="Tren")))
    assert {"3,70%", "3,49%", "2,92%", "2,87%", "2,62%"} <= set(labels)


def test_target_lines_are_labelled_with_their_value() -> None:
    root = parse(
        trend_chart(
            PERIODS,
            [REGISTER],
            title="Tren",
            target=TargetLine(14, "Target nasional"),
            local_target=TargetLine(9.5, "Target kota"),
        )
    )
    targets = with_class(root, "g", "target")
    assert [texts(t) for t in targets] == [["Target nasional 14%"], ["Target kota 9,5%"]]
    dashes = [find_all(t, "line")[0].get("stroke-dasharray") for t in targets]
    assert dashes[0] != dashes[1]


def test_y_axis_reaches_above_the_highest_interval_and_target() -> None:
    # Largest value 14 (target) + 5 % room = 14.7; 14.7 / 6 -> step 2.5 -> 0 ... 15.
    root = parse(trend_chart(PERIODS, [REGISTER], title="T", target=TargetLine(14, "T")))
    grid = texts(with_class(root, "g", "grid")[0])
    assert grid == ["0,0%", "2,5%", "5,0%", "7,5%", "10,0%", "12,5%", "15,0%"]


def test_many_periods_draw_interval_bands_and_thin_out_the_labels() -> None:
    periods = [f"M{i:03d}" for i in range(100)]
    series = TrendSeries("x", tuple(Estimate(5.0, 4.0, 6.0) for _ in periods))
    root = parse(trend_chart(periods, [series], title="Seratus periode"))
    assert len(find_all(root, "polygon")) == 1  # one band instead of 100 whiskers
    shown = texts(with_class(root, "g", "periods")[0])
    assert 5 <= len(shown) < 100
    assert shown[0] == "M000"


def test_series_names_are_escaped() -> None:
    name = 'Posyandu <Melati> & "Mawar"'
    other = TrendSeries("Register", (Estimate(2.0),))
    root = parse(trend_chart(PERIODS[:1], [TrendSeries(name, (Estimate(1.0),)), other], title="x"))
    assert name in texts(root)


def test_description_summarises_first_and_last_value() -> None:
    root = parse(trend_chart(PERIODS, [REGISTER, SURVEY], title="Tren"))
    desc = find_all(root, "desc")[0].text
    assert desc == (
        "Register (e-PPGBM): 3,70% pada Agu 2022, 2,62% pada Agu 2024. "
        "Survei (SSGI/SKI): 19,10% pada Agu 2022, 22,00% pada Agu 2023."
    )


def test_english_labels_use_the_decimal_point() -> None:
    root = parse(trend_chart(PERIODS, [REGISTER], title="Trend", language=Language.EN))
    assert "Prevalence (%)" in texts(root)
    assert "2.62%" in texts(root)


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="4 values for 5 periods"):
        trend_chart(PERIODS, [TrendSeries("x", (None,) * 4)], title="x")


def test_missing_and_nan_values_draw_nothing() -> None:
    series = TrendSeries("x", (None, Estimate(float("nan")), None, None, None))
    root = parse(trend_chart(PERIODS, [series], title="Kosong"))
    assert find_all(root, "circle") == []
    assert find_all(root, "desc")[0].text == "x: tidak ada data."
