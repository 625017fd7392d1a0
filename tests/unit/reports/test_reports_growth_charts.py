"""KMS-style growth charts: WHO curves, the child's points, colours by sex."""

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.unit.reports.conftest import SVG, find_all, parse, texts, with_class
from tumbuh.growth.enums import Indicator, Sex
from tumbuh.reports.growth_charts import (
    AgeMeasurement,
    BodyMeasurement,
    age_chart,
    bmi_for_age_chart,
    head_circumference_for_age_chart,
    length_height_for_age_chart,
    weight_for_age_chart,
    weight_for_length_height_chart,
)

# weianthro.txt, boys, day 0: L 0.3487, M 3.3464, S 0.14602. Value at z = -2 by hand:
# 3.3464 * (1 + 0.3487 * 0.14602 * -2) ** (1 / 0.3487) = 3.3464 * 0.89817 ** 2.86779
# = 3.3464 * 0.73490 = 2.4593 kg (WHO's simplified table prints 2.5).
BOY_AT_BIRTH_MINUS_2_SD_KG = 2.4593

BOY = [
    AgeMeasurement(0, 3.3),
    AgeMeasurement(31, 4.4),
    AgeMeasurement(61, 5.5),
    AgeMeasurement(92, 6.3),
    AgeMeasurement(183, 7.4, flagged=False),
    AgeMeasurement(214, 11.9, flagged=True),  # a slip of the pen
    AgeMeasurement(365, 9.4),
    AgeMeasurement(730, 12.0),
    AgeMeasurement(1460, 16.0),
]


def _points(polyline: ET.Element) -> list[tuple[float, float]]:
    pairs = (polyline.get("points") or "").split()
    return [(float(p.split(",")[0]), float(p.split(",")[1])) for p in pairs]


def _curves(svg: str) -> dict[str, list[tuple[float, float]]]:
    return {
        line.get("data-sd") or "": _points(line)
        for line in with_class(parse(svg), "polyline", "sd")
    }


def test_weight_chart_has_seven_sd_curves_and_every_point(artifacts: Path) -> None:
    svg = weight_for_age_chart(Sex.MALE, BOY)
    (artifacts / "kms-bb-u-laki-laki.svg").write_text(svg, encoding="utf-8")
    root = parse(svg)
    assert sorted(_curves(svg), key=int) == ["-3", "-2", "-1", "0", "1", "2", "3"]
    assert len(find_all(root, "polygon")) == 6  # bands between neighbouring curves
    assert len(with_class(root, "circle", "point")) == 8
    assert len(with_class(root, "path", "flagged")) == 1


def test_flagged_points_are_marked_and_left_out_of_the_line() -> None:
    root = parse(weight_for_age_chart(Sex.MALE, BOY))
    child = with_class(root, "g", "child")[0]
    line = find_all(child, "polyline")[0]
    assert len(_points(line)) == 8  # nine measurements, one flagged
    flagged = with_class(root, "path", "flagged")[0]
    assert flagged.get("stroke") == "#C62828"
    tip = find_all(flagged, "title")[0].text
    assert tip == "Umur 7,0 bulan: 11,9 kg"


def test_a_point_on_the_minus_2_sd_value_sits_on_the_minus_2_sd_curve() -> None:
    svg = weight_for_age_chart(Sex.MALE, [AgeMeasurement(0, BOY_AT_BIRTH_MINUS_2_SD_KG)])
    curve_start = _curves(svg)["-2"][0]
    point = with_class(parse(svg), "circle", "point")[0]
    # Curves are written to 0.1 unit, points to 0.01: they must coincide to that rounding
    # (one unit is about 0.065 kg here; the -3 SD value, 2.08 kg, would be 6 units away).
    assert float(point.get("cx") or 0) == pytest.approx(curve_start[0], abs=0.06)
    assert float(point.get("cy") or 0) == pytest.approx(curve_start[1], abs=0.06)


def test_boys_are_blue_and_girls_pink() -> None:
    def frame_colour(svg: str) -> str | None:
        frames = [r for r in find_all(parse(svg), "rect") if r.get("fill") == "none"]
        return frames[0].get("stroke")

    assert frame_colour(weight_for_age_chart(Sex.MALE, [])) == "#1f5fa8"
    assert frame_colour(weight_for_age_chart(Sex.FEMALE, [])) == "#c2185b"


def test_titles_and_axes_are_in_indonesian() -> None:
    root = parse(weight_for_age_chart(Sex.FEMALE, []))
    labels = texts(root)
    title = "Berat badan menurut umur (BB/U) \u2013 Perempuan"
    assert find_all(root, "title")[0].text == title
    assert title in labels
    assert "Umur (bulan)" in labels
    assert "Berat badan (kg)" in labels


def test_age_axis_runs_from_0_to_60_months_in_steps_of_3() -> None:
    root = parse(length_height_for_age_chart(Sex.FEMALE, []))
    months = texts(with_class(root, "g", "x-axis")[0])
    assert months == [str(m) for m in range(0, 61, 3)]


def test_length_curves_step_down_where_who_switches_to_height() -> None:
    # lenanthro.txt, boys: median 87.8018 cm at day 730 (length), 87.1303 at 731 (height):
    # the only place where the median falls. The plot spans x = 58 ... 726 for 0-60
    # months, so 24 months is at 58 + 24 / 60 * 668 = 325.2.
    median = _curves(length_height_for_age_chart(Sex.MALE, []))["0"]
    drops = [(a, b) for a, b in itertools.pairwise(median) if b[1] > a[1]]  # y grows down
    assert len(drops) == 1
    (x_length, _), (x_height, _) = drops[0]
    assert x_length == pytest.approx(325.2, abs=0.5)
    assert x_height == pytest.approx(325.2, abs=0.5)


def test_measurements_beyond_the_age_range_are_left_out() -> None:
    points = [AgeMeasurement(10, 36.0), AgeMeasurement(800, 48.0), AgeMeasurement(2000, 50.0)]
    root = parse(head_circumference_for_age_chart(Sex.FEMALE, points, months=(0, 24)))
    assert len(with_class(root, "circle", "point")) == 1
    assert find_all(root, "desc")[0].text == (
        "1 pengukuran pada kurva WHO -3 sampai +3 SD; 0 ditandai tidak wajar."
    )


def test_weight_for_length_uses_cm_on_the_x_axis() -> None:
    lying = parse(weight_for_length_height_chart(Sex.MALE, [BodyMeasurement(75.0, 9.5)]))
    standing = parse(weight_for_length_height_chart(Sex.MALE, [], lying=False))
    lying_axis, standing_axis = (texts(with_class(r, "g", "x-axis")[0]) for r in (lying, standing))
    assert lying_axis == [str(cm) for cm in range(45, 111, 5)]
    assert standing_axis == [str(cm) for cm in range(65, 121, 5)]
    assert "Panjang badan (cm)" in texts(lying)
    assert "Tinggi badan (cm)" in texts(standing)
    tip = find_all(with_class(lying, "circle", "point")[0], "title")[0].text
    assert tip == "75,0 cm: 9,5 kg"


def test_bmi_chart_exists_for_every_sex() -> None:
    for sex in Sex:
        root = parse(bmi_for_age_chart(sex, [AgeMeasurement(400, 16.5)]))
        assert root.tag == SVG + "svg"
        assert "IMT (kg/m\u00b2)" in texts(root)


def test_an_indicator_without_an_age_chart_is_refused() -> None:
    with pytest.raises(ValueError, match="whz"):
        age_chart(Indicator.WHZ, Sex.MALE, [])
