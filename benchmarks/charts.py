"""Speed of the report building blocks: the kelurahan map, a trend chart, a 10-page PDF.

Run: .venv/bin/python benchmarks/charts.py [--repeats N]

Figures (best of N runs, wall time):
* the choropleth of Kota Cilegon's 43 kelurahan with the 8 kecamatan outlined and
  labels on (the map of the semester report and of the dashboard), and its size;
* a trend chart of 100 periods with intervals (more than any real report draws);
* a KMS growth chart (weight-for-age, 0-60 months, 60 measurements);
* a 10-page PDF: a cover, then nine pages of a heading, a paragraph and either a figure
  (the map, the trend chart, the growth chart) or a 30-row table; then the PDF's size.
"""

import argparse
import math
from datetime import date

from _timing import best_of
from tumbuh.growth.enums import Sex
from tumbuh.reports.charts import Estimate, TargetLine, TrendSeries, trend_chart
from tumbuh.reports.choropleth import MapLevel, choropleth_map, load_areas
from tumbuh.reports.growth_charts import AgeMeasurement, weight_for_age_chart
from tumbuh.reports.pdf import PdfReport
from tumbuh.reports.tables import Column, ColumnKind, Table


def kelurahan_map() -> str:
    """The 43-kelurahan map with kecamatan outlines and labels."""
    kelurahan = load_areas(MapLevel.KELURAHAN)
    values = {area.kode: 1.0 + (i * 7 % 43) / 10 for i, area in enumerate(kelurahan)}
    return choropleth_map(
        kelurahan,
        values,
        title="Prevalensi stunting per kelurahan",
        legend_title="Prevalensi (%)",
        boundaries=load_areas(MapLevel.KECAMATAN),
        labels=True,
    )


def trend_100() -> str:
    """A trend chart of 100 periods with intervals and a target line."""
    periods = [f"P{i:03d}" for i in range(100)]
    values = tuple(
        Estimate(5 + math.sin(i / 8), 4.5 + math.sin(i / 8), 5.5 + math.sin(i / 8))
        for i in range(100)
    )
    return trend_chart(
        periods,
        [TrendSeries("Register", values)],
        title="Seratus periode",
        target=TargetLine(14, "Target nasional"),
    )


def growth_chart() -> str:
    """Weight-for-age of a girl measured monthly for five years."""
    points = [AgeMeasurement(30.4 * m, 3.2 + 0.22 * m) for m in range(60)]
    return weight_for_age_chart(Sex.FEMALE, points)


def ten_page_pdf(map_svg: str, trend_svg: str, kms_svg: str) -> bytes:
    """Cover plus nine pages, each a heading, a paragraph and a figure or a 30-row table."""
    report = PdfReport(title="Laporan Semester TPPS", generated_on=date(2025, 1, 10))
    report.title_page("Laporan Semester TPPS", "Kota Cilegon")
    columns = (
        Column("Kelurahan", width=2),
        Column("Balita diukur", ColumnKind.INTEGER),
        Column("Prevalensi (%)", ColumnKind.DECIMAL, places=2),
    )
    rows = tuple((f"Kelurahan {i}", 700 + i, 2.5 + i / 100) for i in range(30))
    figures = (map_svg, trend_svg, kms_svg)
    for page in range(9):
        report.heading(f"Bagian {page + 1}")
        report.paragraph("Pada Agustus 2024 tercatat 818 balita (2,62%) mengalami stunting.")
        if page % 2 == 0:
            report.figure(figures[page // 2 % 3])
        else:
            report.table(Table(f"Tabel {page}", columns, rows))
        if page < 8:
            report.page_break()
    return report.to_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per figure (best counts)")
    repeats = parser.parse_args().repeats
    load_areas(MapLevel.KELURAHAN)  # the GeoJSON is read once per process (cached)
    load_areas(MapLevel.KECAMATAN)
    map_svg, trend_svg, kms_svg = kelurahan_map(), trend_100(), growth_chart()
    pdf = ten_page_pdf(map_svg, trend_svg, kms_svg)
    figures = [
        ("kelurahan map (43 areas, outlines, labels)", best_of(repeats, kelurahan_map), map_svg),
        ("trend chart, 100 periods with intervals", best_of(repeats, trend_100), trend_svg),
        ("KMS growth chart, 60 measurements", best_of(repeats, growth_chart), kms_svg),
    ]
    for name, seconds, svg in figures:
        print(f"{name:45s} {seconds * 1000:8.1f} ms  {len(svg.encode()) / 1024:7.1f} KiB SVG")
    seconds = best_of(max(1, repeats // 2), lambda: ten_page_pdf(map_svg, trend_svg, kms_svg))
    pages = pdf.count(b"/Type /Page\n")
    name = f"PDF, {pages} pages (5 figures, 4 tables)"
    print(f"{name:45s} {seconds * 1000:8.1f} ms  {len(pdf) / 1024:7.1f} KiB PDF")


if __name__ == "__main__":
    main()
