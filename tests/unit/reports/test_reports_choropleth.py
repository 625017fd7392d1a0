"""Choropleth maps of Kota Cilegon's kelurahan and kecamatan."""

import csv
import io
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import pytest

from tests.unit.reports.conftest import find_all, parse, texts, with_class
from tumbuh.errors import ConfigError
from tumbuh.reports import style
from tumbuh.reports.choropleth import (
    MapLevel,
    Outline,
    choropleth_map,
    class_limits,
    class_of,
    load_areas,
    parse_geojson,
)


def _wilayah(level: str) -> dict[str, str]:
    """Codes and names of one level from the region list (a CSV, not the GeoJSON)."""
    text = resources.files("tumbuh.data").joinpath("wilayah/cilegon-wilayah.csv").read_text()
    return {r["kode"]: r["nama"] for r in csv.DictReader(io.StringIO(text)) if r["level"] == level}


def _square(kode: str, lon: float, lat: float, size: float = 0.01) -> dict[str, object]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {"kode": kode, "nama": f"Area {kode}"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _collection(*features: Mapping[str, object]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def test_kelurahan_map_has_one_path_per_kelurahan_with_its_code(artifacts: Path) -> None:
    kelurahan = load_areas(MapLevel.KELURAHAN)
    expected = _wilayah("kelurahan")
    values: dict[str, float | None] = {
        kode: 1.0 + i / 10 for i, kode in enumerate(sorted(expected))
    }
    values["36.72.01.1004"] = None  # Cikerai: no data
    svg = choropleth_map(
        kelurahan,
        values,
        title="Prevalensi stunting per kelurahan",
        legend_title="Prevalensi (%)",
        boundaries=load_areas(MapLevel.KECAMATAN),
        labels=True,
    )
    (artifacts / "peta-kelurahan.svg").write_text(svg, encoding="utf-8")
    root = parse(svg)
    paths = with_class(root, "path", "area")
    assert len(paths) == 43
    assert sorted(p.get("data-kode") or "" for p in paths) == sorted(expected)
    by_code = {p.get("data-kode"): p for p in paths}
    assert by_code["36.72.01.1004"].get("fill") == style.NO_DATA
    assert find_all(by_code["36.72.01.1004"], "title")[0].text == "Cikerai: tidak ada data"
    assert len(find_all(with_class(root, "g", "boundaries")[0], "path")) == 8
    assert len(with_class(root, "g", "labels")[0]) == 43


def test_area_tooltips_name_the_kelurahan_and_its_value() -> None:
    kelurahan = load_areas(MapLevel.KELURAHAN)
    root = parse(choropleth_map(kelurahan, {"36.72.01.1001": 2.62}, title="x", legend_title="%"))
    cibeber = [p for p in with_class(root, "path", "area") if p.get("data-kode") == "36.72.01.1001"]
    assert find_all(cibeber[0], "title")[0].text == "Cibeber: 2,62%"
    assert cibeber[0].get("data-value") == "2.62"


def test_legend_shows_class_limits_in_indonesian_format() -> None:
    areas = parse_geojson(
        _collection(_square("1", 106.0, -6.0), _square("2", 106.02, -6.0)), source="test"
    )
    svg = choropleth_map(
        areas,
        {"1": 3.0, "2": 6.2},
        title="x",
        legend_title="Prevalensi (%)",
        breaks=[0, 2.5, 5, 7.5],
    )
    legend = texts(with_class(parse(svg), "g", "legend")[0])
    assert legend == [
        "Prevalensi (%)",
        "5,0\u20137,5",
        "2,5\u20135,0",
        "0,0\u20132,5",
        "tidak ada data",
    ]


def test_areas_are_filled_by_class_from_light_to_dark() -> None:
    areas = parse_geojson(
        _collection(*(_square(str(i), 106.0 + i / 50, -6.0) for i in range(3))), source="test"
    )
    svg = choropleth_map(areas, {"0": 0.5, "1": 3.0, "2": 4.9}, title="x", legend_title="%")
    fills = [p.get("fill") for p in with_class(parse(svg), "path", "area")]
    # Limits 0, 1, 2, 3, 4, 5 (nice steps of 1 for 0.5-4.9): 5 classes of ColorBrewer's
    # YlOrRd (#ffffb2 #fecc5c #fd8d3c #f03b20 #bd0026); 0.5 is in class 0, 3.0 on a limit
    # goes to class 3, 4.9 to class 4.
    assert fills == ["#ffffb2", "#f03b20", "#bd0026"]


@pytest.mark.parametrize(
    ("value", "index"), [(0.0, 0), (0.99, 0), (1.0, 1), (2.5, 2), (3.0, 2), (99.0, 2), (-1.0, 0)]
)
def test_a_value_on_a_limit_belongs_to_the_class_above(value: float, index: int) -> None:
    assert class_of(value, [0.0, 1.0, 2.0, 3.0]) == index


def test_class_limits_are_nice_numbers_around_the_values() -> None:
    # 0.8 ... 5.2: span 4.4 / 5 = 0.88 -> step 1 -> 0 ... 6.
    assert class_limits([0.8, 2.0, 5.2]) == [0, 1, 2, 3, 4, 5, 6]
    assert class_limits([], None) == [0.0, 1.0]
    with pytest.raises(ValueError, match="2 to 8"):
        class_limits([1.0], [1.0])


def test_projection_scales_longitude_by_the_cosine_of_latitude() -> None:
    # At 60 degrees south cos(lat) = 0.5: a square of 0.01 x 0.01 degree is drawn
    # half as wide as it is tall.
    areas = parse_geojson(_collection(_square("1", 10.0, -60.005)), source="test")
    path = with_class(parse(choropleth_map(areas, {}, title="x", legend_title="%")), "path", "area")
    coordinates = [
        tuple(float(v) for v in part.split())
        for part in (path[0].get("d") or "").replace("M", "L").replace("Z", "").split("L")
        if part
    ]
    xs, ys = [c[0] for c in coordinates], [c[1] for c in coordinates]
    assert (max(xs) - min(xs)) / (max(ys) - min(ys)) == pytest.approx(0.5, abs=0.01)


def test_multipolygons_and_holes_become_one_path_with_several_rings() -> None:
    outer = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    hole = [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6], [0.4, 0.4]]
    island = [[[2.0, 0.0], [2.2, 0.0], [2.2, 0.2], [2.0, 0.0]]]
    feature = {
        "type": "Feature",
        "properties": {"kode": "9"},
        "geometry": {"type": "MultiPolygon", "coordinates": [[outer, hole], island]},
    }
    (area,) = parse_geojson(_collection(feature), source="test")
    assert area == Outline("9", "9", area.polygons)
    path = with_class(
        parse(choropleth_map([area], {}, title="x", legend_title="%")), "path", "area"
    )
    assert (path[0].get("d") or "").count("M") == 3
    assert path[0].get("fill-rule") == "evenodd"


def test_a_feature_without_code_is_a_config_error_naming_file_and_feature() -> None:
    bad = {"type": "Feature", "properties": {"nama": "X"}, "geometry": None}
    with pytest.raises(ConfigError) as caught:
        parse_geojson(_collection(_square("1", 0, 0), bad), source="peta.geojson")
    assert str(caught.value).startswith("peta.geojson, feature 2: needs a 'kode' property")


def test_a_file_that_is_not_geojson_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"peta\.geojson is not a GeoJSON FeatureCollection"):
        parse_geojson("<html>", source="peta.geojson")


def test_map_description_names_highest_and_lowest_area() -> None:
    kecamatan = load_areas(MapLevel.KECAMATAN)
    values = {"36.72.01": 3.1, "36.72.03": 4.0, "36.72.05": 1.8}
    root = parse(choropleth_map(kecamatan, values, title="x", legend_title="%"))
    assert find_all(root, "desc")[0].text == (
        "Peta 8 wilayah, 3 di antaranya memiliki data. "
        "Tertinggi: Pulomerak (4,00%); terendah: Jombang (1,80%)."
    )


def test_packaged_kecamatan_are_the_eight_of_the_region_list() -> None:
    assert {a.kode: a.nama for a in load_areas(MapLevel.KECAMATAN)} == _wilayah("kecamatan")
