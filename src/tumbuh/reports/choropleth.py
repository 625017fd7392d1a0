"""Choropleth maps of kecamatan or kelurahan from GeoJSON, as SVG markup.

Boundaries are Kota Cilegon's, shipped in ``tumbuh/data/wilayah/`` (Kemendagri codes,
derived from the MIT-licensed ``cahyadsn/wilayah_boundaries``; see the README there).
The projection is equirectangular with longitudes scaled by the cosine of the map's
middle latitude, which keeps shapes and distances true to well under 1 % across a
city (Snyder, *Map Projections: A Working Manual*, USGS 1987, p. 90). Values are put
into classes of equal width with nice limits (or the caller's limits) and coloured with a
sequential scale (:data:`tumbuh.reports.style.SEQUENTIAL`); areas without a value are
grey. Every area is one ``<path>`` with its Kemendagri code in ``data-kode``, its value in
``data-value`` and a ``<title>``, so the web application can make it clickable.
"""

import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

from tumbuh.errors import ConfigError
from tumbuh.i18n import Language, translations
from tumbuh.reports import style
from tumbuh.reports.axes import haloed_label, label, nice_ticks, title_text
from tumbuh.reports.charts import with_unit
from tumbuh.reports.svg import Element, document, element

Ring = tuple[tuple[float, float], ...]  # (longitude, latitude) pairs, WGS84 degrees
KM_PER_DEGREE = 111.32  # length of one degree of latitude (mean, WGS84)
LEGEND_WIDTH = 170.0


class MapLevel(StrEnum):
    """Which boundaries a map draws."""

    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"


@dataclass(frozen=True)
class Outline:
    """One region's outline: code, name and polygons (each an outer ring, then holes)."""

    kode: str
    nama: str
    polygons: tuple[tuple[Ring, ...], ...]


def parse_geojson(text: str | bytes, *, source: str) -> tuple[Outline, ...]:
    """Areas of a GeoJSON FeatureCollection with ``kode`` and ``nama`` properties.

    ``source`` names the file in error messages. Polygon and MultiPolygon geometries
    are read; anything else is an error, since a map needs areas.
    """
    try:
        data = json.loads(text)
        features = data["features"]
    except (ValueError, KeyError, TypeError):
        raise ConfigError(
            "{source} is not a GeoJSON FeatureCollection. Replace it with a valid boundary file",
            source=source,
        ) from None
    return tuple(_area(feature, number, source) for number, feature in enumerate(features, 1))


def _area(feature: object, number: int, source: str) -> Outline:
    try:
        if not isinstance(feature, dict):
            raise TypeError(type(feature))
        properties, geometry = feature["properties"], feature["geometry"]
        kode, kind = str(properties["kode"]), geometry["type"]
        nama = str(properties.get("nama") or kode)
        coordinates = geometry["coordinates"]
        if kind == "Polygon":
            coordinates = [coordinates]
        elif kind != "MultiPolygon":
            raise ValueError(kind)
        polygons = tuple(
            tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in polygon)
            for polygon in coordinates
        )
    except (KeyError, TypeError, ValueError, IndexError):
        raise ConfigError(
            "{source}, feature {number}: needs a 'kode' property and a Polygon or "
            "MultiPolygon geometry. Fix or replace the boundary file",
            source=source,
            number=number,
        ) from None
    return Outline(kode=kode, nama=nama, polygons=polygons)


@cache
def load_areas(level: MapLevel) -> tuple[Outline, ...]:
    """The packaged boundaries of Kota Cilegon's kecamatan or kelurahan, in file order."""
    name = f"wilayah/cilegon-{level.value}.geojson"
    path = resources.files("tumbuh.data").joinpath(name)
    if not path.is_file():
        raise ConfigError(
            "The boundary file tumbuh/data/{name} is missing from this installation. "
            "Reinstall Tumbuh",
            name=name,
        )
    return parse_geojson(path.read_bytes(), source=f"tumbuh/data/{name}")


def class_limits(values: Sequence[float], breaks: Sequence[float] | None = None) -> list[float]:
    """Class limits, lowest first: ``breaks`` as given, else nice equal-width classes.

    At most 7 classes, the most a sequential scale keeps apart (ColorBrewer).
    """
    if breaks is not None:
        limits = sorted(float(b) for b in breaks)
        if len(limits) < 2 or len(limits) > 8:
            raise ValueError(f"need 2 to 8 class limits, got {len(limits)}")
        return limits
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return [0.0, 1.0]
    return nice_ticks(min(finite), max(finite), max_ticks=5, multiples=(1, 2, 5))


def class_of(value: float, limits: Sequence[float]) -> int:
    """Index of the class of ``value``: a value on a limit belongs to the class above it,
    the top limit to the last class; values outside the limits go to the nearest class."""
    for index in range(len(limits) - 2, 0, -1):
        if value >= limits[index]:
            return index
    return 0


@dataclass(frozen=True)
class _Frame:
    """Projection of lon/lat into the map's box (equirectangular, cos-latitude scaled)."""

    lon_min: float
    lat_max: float
    x_factor: float  # cos(middle latitude)
    scale: float  # user units per degree of latitude
    left: float
    top: float

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.left + (lon - self.lon_min) * self.x_factor * self.scale
        return x, self.top + (self.lat_max - lat) * self.scale


def _frame(areas: Sequence[Outline], left: float, top: float, width: float) -> tuple[_Frame, float]:
    lons = [p[0] for a in areas for polygon in a.polygons for ring in polygon for p in ring]
    lats = [p[1] for a in areas for polygon in a.polygons for ring in polygon for p in ring]
    if not lons:
        raise ValueError("a map needs at least one area with coordinates")
    x_factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
    lon_span = max((max(lons) - min(lons)) * x_factor, 1e-9)
    lat_span = max(max(lats) - min(lats), 1e-9)
    scale = min(width / lon_span, 1.4 * width / lat_span)
    frame = _Frame(min(lons), max(lats), x_factor, scale, left, top)
    return frame, lat_span * scale


def _path(area: Outline, frame: _Frame) -> str:
    """SVG path data of all polygons of ``area``, 0.1-unit precision, repeats dropped."""
    commands: list[str] = []
    for polygon in area.polygons:
        for ring in polygon:
            previous = ""
            for index, (lon, lat) in enumerate(ring):
                x, y = frame(lon, lat)
                point = f"{x:.1f} {y:.1f}"
                if point != previous:
                    commands.append(("M" if index == 0 else "L") + point)
                    previous = point
            commands.append("Z")
    return "".join(commands)


def _centroid(area: Outline, frame: _Frame) -> tuple[float, float]:
    """Area-weighted centroid of the largest outer ring (shoelace formula), projected."""
    best, best_area = (0.0, 0.0), -1.0
    for polygon in area.polygons:
        ring = [frame(lon, lat) for lon, lat in polygon[0]]
        twice_area = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x1 * y2 - x2 * y1
            twice_area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if abs(twice_area) > best_area and twice_area:
            best_area = abs(twice_area)
            best = (cx / (3 * twice_area), cy / (3 * twice_area))
    return best


def choropleth_map(  # noqa: PLR0913 - keyword-only options, one per input
    areas: Sequence[Outline],
    values: Mapping[str, float | None],
    *,
    title: str,
    legend_title: str,
    description: str | None = None,
    unit: str = "%",
    places: int = 2,
    breaks: Sequence[float] | None = None,
    labels: bool = False,
    boundaries: Sequence[Outline] = (),
    attribution: str | None = None,
    language: Language = Language.ID,
    width: float = 640,
    show_title: bool = True,
    ident: str | None = None,
) -> str:
    """A map of ``areas`` filled by ``values`` (keyed by Kemendagri code).

    ``boundaries`` are drawn on top as thicker outlines (e.g. kecamatan over a kelurahan
    map); ``labels`` writes each area's name at its centroid.
    """
    known = {
        a.kode: float(v)
        for a in areas
        if (v := values.get(a.kode)) is not None and math.isfinite(float(v))
    }
    limits = class_limits(list(known.values()), breaks)
    colours = style.SEQUENTIAL[len(limits) - 1]
    top = 40.0 if show_title else 10.0
    frame, map_height = _frame(areas, 16, top, width - LEGEND_WIDTH - 32)
    height = top + max(map_height, 60 + 20 * len(limits)) + 44
    parts: list[Element | None] = [
        element("rect", x=0, y=0, width=width, height=height, fill=style.BACKGROUND),
        title_text(16, 24, title) if show_title else None,
    ]
    parts.append(_area_paths(areas, known, limits, frame, places, unit, language))
    if boundaries:
        outlines = [element("path", d=_path(b, frame), data_boundary=b.kode) for b in boundaries]
        parts.append(
            element(
                "g", *outlines, fill="none", stroke="#333333", stroke_width=1.4, class_="boundaries"
            )
        )
    if labels:
        names = [haloed_label(*_centroid(a, frame), a.nama, size=8.0) for a in areas]
        parts.append(element("g", *names, class_="labels"))
    legend_left = width - LEGEND_WIDTH - 8
    parts.append(_legend(limits, colours, legend_title, legend_left, top + 6, language, unit))
    parts.append(_scale_bar(frame, 16, top + map_height + 24, width - LEGEND_WIDTH - 32, language))
    if attribution:
        parts.append(
            label(width - 12, height - 8, attribution, anchor="end", size=7.5, colour=style.MUTED)
        )
    text = description or _map_description(areas, known, places, unit, language)
    return document(width, height, title=title, description=text, children=parts, ident=ident)


def _area_paths(
    areas: Sequence[Outline],
    known: Mapping[str, float],
    limits: Sequence[float],
    frame: _Frame,
    places: int,
    unit: str,
    language: Language,
) -> Element:
    """One ``<path>`` per area, filled by its class, with code, value and tooltip."""
    _ = translations(language).gettext
    colours = style.SEQUENTIAL[len(limits) - 1]
    shapes = []
    for area in areas:
        value = known.get(area.kode)
        fill = style.NO_DATA if value is None else colours[class_of(value, limits)]
        shown = _("no data") if value is None else with_unit(value, places, language, unit)
        shapes.append(
            element(
                "path",
                element("title", f"{area.nama}: {shown}"),
                d=_path(area, frame),
                fill=fill,
                fill_rule="evenodd",
                stroke=style.BACKGROUND,
                stroke_width=0.8,
                stroke_linejoin="round",
                class_="area",
                data_kode=area.kode,
                data_value=None if value is None else repr(value),
            )
        )
    return element("g", *shapes, class_="areas")


def _legend(
    limits: Sequence[float],
    colours: Sequence[str],
    legend_title: str,
    left: float,
    top: float,
    language: Language,
    unit: str,
) -> Element:
    _ = translations(language).gettext
    places = style.places_for_step(min(b - a for a, b in itertools.pairwise(limits)))
    items: list[Element] = [label(left, top + 6, legend_title, bold=True)]
    y = top + 18
    for index in range(len(limits) - 2, -1, -1):  # highest class on top
        low = style.format_number(limits[index], places, language)
        high = style.format_number(limits[index + 1], places, language)
        items.append(
            element("rect", x=left, y=y, width=22, height=14, fill=colours[index], stroke="#999999")
        )
        items.append(label(left + 30, y + 11, f"{low}\u2013{high}"))
        y += 20
    items.append(
        element("rect", x=left, y=y, width=22, height=14, fill=style.NO_DATA, stroke="#999999")
    )
    items.append(label(left + 30, y + 11, _("no data")))
    return element("g", *items, class_="legend")


def _scale_bar(frame: _Frame, left: float, y: float, room: float, language: Language) -> Element:
    """A bar of a round number of km, at most a quarter of the map's width."""
    per_km = frame.scale / KM_PER_DEGREE
    fitting = [d for d in (0.5, 1, 2, 5, 10, 20, 50, 100) if d * per_km <= room / 4]
    km = fitting[-1] if fitting else 0.5
    length = km * per_km
    bar = f"M{left:.1f} {y - 5:.1f}V{y:.1f}H{left + length:.1f}V{y - 5:.1f}"
    places = 0 if float(km).is_integer() else 1
    return element(
        "g",
        element("path", d=bar, fill="none", stroke=style.TEXT, stroke_width=1.4),
        label(left + length + 6, y, f"{style.format_number(km, places, language)} km"),
        class_="scale-bar",
    )


def _map_description(
    areas: Sequence[Outline], known: Mapping[str, float], places: int, unit: str, language: Language
) -> str:
    _ = translations(language).gettext
    text = _("Map of {count} areas, {known} with data.").format(count=len(areas), known=len(known))
    if known:
        names = {a.kode: a.nama for a in areas}
        high = max(known, key=lambda k: known[k])
        low = min(known, key=lambda k: known[k])
        text += " " + _("Highest: {high_name} ({high}); lowest: {low_name} ({low}).").format(
            high_name=names[high],
            high=with_unit(known[high], places, language, unit),
            low_name=names[low],
            low=with_unit(known[low], places, language, unit),
        )
    return text
