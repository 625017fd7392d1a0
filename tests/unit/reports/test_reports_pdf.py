"""The PDF report: charts and map drawn (checked on rendered pixels), tables, footer."""

from datetime import date
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from numpy.typing import NDArray
from PIL import Image

from tumbuh.growth.enums import Sex
from tumbuh.reports.bars import Bar, HistogramBin, bar_chart, histogram
from tumbuh.reports.charts import Estimate, TargetLine, TrendSeries, trend_chart
from tumbuh.reports.choropleth import MapLevel, choropleth_map, load_areas
from tumbuh.reports.growth_charts import AgeMeasurement, weight_for_age_chart
from tumbuh.reports.pdf import PdfReport, Placement, pdf_text, prepare_svg, svg_text
from tumbuh.reports.svg import document, element
from tumbuh.reports.tables import Column, ColumnKind, Table

SCALE = 2.0  # render at 144 dpi
GENERATED_ON = date(2025, 1, 10)
HEADLINE = (
    "Pada Agustus 2024 tercatat 818 balita (2,62%) mengalami stunting, "
    "turun dari 876 balita (2,87%) pada Februari 2024."
)
# 60 invented kelurahan rows: long enough to run over a page.
ROWS = tuple(
    (f"Kelurahan {i:02d}", 700 + 13 * i, 18 + i, (18 + i) / (700 + 13 * i) * 100) for i in range(60)
)
TABLE = Table(
    "Tabel 1. Prevalensi stunting per kelurahan, Agustus 2024",
    (
        Column("Kelurahan", width=2.0),
        Column("Balita diukur", ColumnKind.INTEGER),
        Column("Stunting", ColumnKind.INTEGER),
        Column("Prevalensi (%)", ColumnKind.DECIMAL, places=2),
    ),
    ROWS,
    note="Sumber: contoh data buatan untuk pengujian.",
)


def _trend() -> str:
    periods = ("Feb 2023", "Agu 2023", "Feb 2024", "Agu 2024")
    register = TrendSeries(
        "Register (e-PPGBM)",
        (Estimate(3.49), Estimate(2.92), Estimate(2.87), Estimate(2.62)),
    )
    return trend_chart(
        periods,
        [register],
        title="Prevalensi stunting Kota Cilegon",
        target=TargetLine(14, "Target nasional"),
    )


def _map() -> str:
    kelurahan = load_areas(MapLevel.KELURAHAN)
    values = {area.kode: 1.0 + (i % 9) / 2 for i, area in enumerate(kelurahan)}
    return choropleth_map(
        kelurahan,
        values,
        title="Prevalensi stunting per kelurahan",
        legend_title="Prevalensi (%)",
        boundaries=load_areas(MapLevel.KECAMATAN),
    )


def _build() -> tuple[bytes, dict[str, Placement]]:
    report = PdfReport(title="Laporan Semester TPPS Kota Cilegon", generated_on=GENERATED_ON)
    report.title_page("Laporan Semester TPPS", "Kota Cilegon \u2013 Semester II 2024")
    report.heading("1. Ringkasan")
    report.paragraph(HEADLINE)
    placed = {"trend": report.figure(_trend(), caption="Gambar 1. Tren prevalensi")}
    report.heading("2. Prevalensi per kelurahan")
    placed["map"] = report.figure(_map(), caption="Gambar 2. Peta kelurahan")
    report.table(TABLE)
    report.heading("3. Kualitas data")
    bins = [HistogramBin(str(d), c) for d, c in enumerate([30, 9, 11, 10, 9, 22, 10, 8, 12, 9])]
    placed["histogram"] = report.figure(
        histogram(bins, title="Desimal terakhir", x_label="Desimal", y_label="Jumlah"),
        width_mm=120,
    )
    bars = [Bar("Cibeber", Estimate(3.1)), Bar("Jombang", Estimate(1.8))]
    placed["bars"] = report.figure(bar_chart(bars, title="Per kecamatan"))
    placed["kms"] = report.figure(weight_for_age_chart(Sex.FEMALE, [AgeMeasurement(30, 4.2)]))
    return report.to_bytes(), placed


@pytest.fixture(scope="module")
def built(artifacts: Path) -> tuple[pdfium.PdfDocument, dict[str, Placement], bytes]:
    data, placed = _build()
    (artifacts / "laporan-contoh.pdf").write_bytes(data)
    document_ = pdfium.PdfDocument(data)
    for index in range(len(document_)):
        _render(document_, index + 1).save(artifacts / f"laporan-contoh-{index + 1}.png")
    return document_, placed, data


def _render(pdf: pdfium.PdfDocument, page: int) -> Image.Image:
    image: Image.Image = pdf[page - 1].render(scale=SCALE).to_pil().convert("RGB")
    return image


def _pixels(image: Image.Image, box_mm: tuple[float, float, float, float]) -> NDArray[np.uint8]:
    """RGB pixels of the box (x, y, width, height in mm from the page's top left)."""
    px = 72 / 25.4 * SCALE
    x, y, w, h = box_mm
    region = image.crop((round(x * px), round(y * px), round((x + w) * px), round((y + h) * px)))
    return np.asarray(region, dtype=np.uint8).reshape(-1, 3)


def _ink(image: Image.Image, box_mm: tuple[float, float, float, float]) -> float:
    """Share of pixels in the box that are not near-white."""
    return float(np.mean(_pixels(image, box_mm).min(axis=1) < 235))


def _box(placement: Placement) -> tuple[float, float, float, float]:
    return placement.x_mm, placement.y_mm, placement.width_mm, placement.height_mm


def _page_texts(pdf: pdfium.PdfDocument) -> list[str]:
    return [str(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]


def test_map_and_charts_are_drawn_on_their_pages(
    built: tuple[pdfium.PdfDocument, dict[str, Placement], bytes],
) -> None:
    pdf, placed, _ = built
    ink = {name: _ink(_render(pdf, p.page), _box(p)) for name, p in placed.items()}
    assert ink["map"] > 0.15  # filled polygons cover much of the map's box
    assert ink["kms"] > 0.5  # bands and page tint fill the growth chart
    assert ink["trend"] > 0.02  # lines, grid and labels
    assert ink["histogram"] > 0.1
    assert ink["bars"] > 0.03


def test_the_map_shows_the_colours_of_its_classes(
    built: tuple[pdfium.PdfDocument, dict[str, Placement], bytes],
) -> None:
    pdf, placed, _ = built
    pixels = _pixels(_render(pdf, placed["map"].page), _box(placed["map"]))
    coarse = pixels.astype(np.int64) // 16
    colours = set(np.unique(coarse[:, 0] * 256 + coarse[:, 1] * 16 + coarse[:, 2]).tolist())
    # Values 1 ... 5 make 4 classes: YlOrRd #ffffb2 #fecc5c #fd8d3c #e31a1c, each found
    # (to within 16 levels) in the rendered map.
    for colour in ((0xFF, 0xFF, 0xB2), (0xFE, 0xCC, 0x5C), (0xFD, 0x8D, 0x3C), (0xE3, 0x1A, 0x1C)):
        r, g, b = (c // 16 for c in colour)
        assert r * 256 + g * 16 + b in colours


def test_a_blank_figure_measures_as_blank() -> None:
    # The pixel measure above must be able to fail: an all-white figure has no ink.
    blank = document(
        300,
        150,
        title="Kosong",
        description="x",
        children=[element("rect", x=0, y=0, width=300, height=150, fill="#ffffff")],
    )
    report = PdfReport(title="x", generated_on=GENERATED_ON)
    placement = report.figure(blank)
    pdf = pdfium.PdfDocument(report.to_bytes())
    assert _ink(_render(pdf, placement.page), _box(placement)) < 0.001


def test_chart_text_stays_text_in_the_pdf(
    built: tuple[pdfium.PdfDocument, dict[str, Placement], bytes],
) -> None:
    pdf, placed, _ = built
    pages = _page_texts(pdf)
    assert "Prevalensi stunting Kota Cilegon" in pages[placed["trend"].page - 1]
    assert "Target nasional 14%" in pages[placed["trend"].page - 1]
    assert "Prevalensi (%)" in pages[placed["map"].page - 1]


def test_footer_has_page_numbers_and_the_given_date(
    built: tuple[pdfium.PdfDocument, dict[str, Placement], bytes],
) -> None:
    pdf, _, _ = built
    pages = _page_texts(pdf)
    total = len(pdf)
    assert "Halaman" not in pages[0]  # the cover has no footer ...
    assert "TPPS Kota Cilegon" not in pages[0]  # ... and no running header
    assert "TPPS Kota Cilegon" in pages[1]
    for number, text in enumerate(pages[1:], 2):
        assert f"Halaman {number} dari {total}" in text
        assert "Dibuat 10 Januari 2025" in text


def test_headline_and_numbers_are_in_indonesian_format(
    built: tuple[pdfium.PdfDocument, dict[str, Placement], bytes],
) -> None:
    pdf, _, _ = built
    text = " ".join(_page_texts(pdf)).replace("\r\n", " ")
    assert HEADLINE in text
    assert "Kelurahan 24 1.012 42 4,15" in text  # 700 + 13 * 24; 42 / 1012 = 4.150 %


def test_long_table_repeats_its_heading_row_on_the_next_page(
    built: tuple[pdfium.PdfDocument, dict[str, Placement], bytes],
) -> None:
    pdf, _, _ = built
    pages = [t for t in _page_texts(pdf) if "Kelurahan 0" in t or "Kelurahan 5" in t]
    assert len(pages) >= 2
    assert all("Kelurahan Balita diukur Stunting Prevalensi (%)" in t for t in pages)


def test_numbers_are_right_aligned(
    built: tuple[pdfium.PdfDocument, dict[str, Placement], bytes],
) -> None:
    pdf, _, _ = built
    right_edges = []
    for needle in ("Kelurahan 01 713", "Kelurahan 24 1.012"):
        for index in range(len(pdf)):
            textpage = pdf[index].get_textpage()
            found = textpage.search(needle).get_next()
            if found:
                start, count = found
                right_edges.append(float(textpage.get_charbox(start + count - 1)[2]))
    assert len(right_edges) == 2
    assert right_edges[0] == pytest.approx(right_edges[1], abs=0.5)


def test_headings_are_bookmarks_and_metadata_is_set(
    built: tuple[pdfium.PdfDocument, dict[str, Placement], bytes],
) -> None:
    pdf, _, _ = built
    titles = [bookmark.get_title() for bookmark in pdf.get_toc()]
    assert titles == ["1. Ringkasan", "2. Prevalensi per kelurahan", "3. Kualitas data"]
    metadata = pdf.get_metadata_dict()
    assert metadata["Title"] == "Laporan Semester TPPS Kota Cilegon"
    assert metadata["CreationDate"] == "D:20250110000000Z"


def test_the_same_input_gives_the_same_bytes(
    built: tuple[pdfium.PdfDocument, dict[str, Placement], bytes],
) -> None:
    _, _, data = built
    assert _build()[0] == data


def test_a_heading_moves_to_the_next_page_with_a_figure_that_does_not_fit() -> None:
    report = PdfReport(title="x", generated_on=GENERATED_ON)
    report.paragraph("Isi. " * 700)  # fills most of page 1
    report.heading("Peta")
    placement = report.figure(_map())
    pdf = pdfium.PdfDocument(report.to_bytes())
    page_of_heading = [i + 1 for i, t in enumerate(_page_texts(pdf)) if "Peta\r\n" in t]
    assert page_of_heading == [placement.page]
    assert placement.page > 1


def test_figure_taller_than_a_page_is_shrunk_to_fit() -> None:
    tall = document(100, 1000, title="Tinggi", description="x", children=[element("rect")])
    report = PdfReport(title="x", generated_on=GENERATED_ON)
    placement = report.figure(tall)
    assert placement.height_mm <= 297 - 16 - 18
    assert placement.width_mm == pytest.approx(placement.height_mm / 10)


def test_text_outside_the_pdf_fonts_is_spelled_in_ascii() -> None:
    assert pdf_text("z \u2265 \u22122 \u2013 \u2026") == "z >= -2 \u2013 \u2026"
    assert svg_text("2,45\u20132,80 \u2026") == "2,45-2,80 ..."
    assert pdf_text("\u4e2d") == "?"


def test_svg_is_prepared_without_title_and_desc_keeping_the_title_as_alt_text() -> None:
    svg = document(10, 20, title="Judul \u2013 1", description="d", children=[element("rect")])
    data, alt_text, size = prepare_svg(svg)
    assert alt_text == "Judul - 1"
    assert size == (10.0, 20.0)
    assert b"<title" not in data
    assert b"<desc" not in data
    assert data.startswith(b"<svg ")
