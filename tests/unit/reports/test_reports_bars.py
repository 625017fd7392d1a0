"""Horizontal bar charts and histograms."""

from pathlib import Path

import pytest

from tests.unit.reports.conftest import find_all, parse, texts, with_class
from tumbuh.reports.bars import Bar, BarOrder, HistogramBin, bar_chart, histogram, sort_bars
from tumbuh.reports.charts import Estimate, TargetLine

KECAMATAN = (
    Bar("Cibeber", Estimate(3.10, 2.70, 3.60), "36.72.01"),
    Bar("Cilegon", Estimate(2.20, 1.80, 2.70), "36.72.02"),
    Bar("Pulomerak", Estimate(4.00, 3.60, 4.50), "36.72.03"),
    Bar("Citangkil", None, "36.72.08"),
    Bar("Jombang", Estimate(1.80, 1.40, 2.30), "36.72.05"),
)


def _bar_codes(svg: str) -> list[str | None]:
    return [rect.get("data-kode") for rect in find_all(parse(svg), "rect") if rect.get("data-kode")]


def test_bars_are_sorted_largest_first_with_missing_data_last(artifacts: Path) -> None:
    svg = bar_chart(KECAMATAN, title="Prevalensi per kecamatan", reference=TargetLine(2.62, "Kota"))
    (artifacts / "bars.svg").write_text(svg, encoding="utf-8")
    assert _bar_codes(svg) == ["36.72.03", "36.72.01", "36.72.02", "36.72.05"]
    groups = with_class(parse(svg), "g", "bar")
    assert groups[-1].get("data-kode") == "36.72.08"
    assert texts(groups[-1]) == ["Citangkil", "tidak ada data"]


@pytest.mark.parametrize(
    ("order", "names"),
    [
        (BarOrder.ASCENDING, ["Jombang", "Cilegon", "Cibeber", "Pulomerak", "Citangkil"]),
        (BarOrder.GIVEN, ["Cibeber", "Cilegon", "Pulomerak", "Jombang", "Citangkil"]),
    ],
)
def test_bars_can_keep_their_order_or_ascend(order: BarOrder, names: list[str]) -> None:
    assert [bar.label for bar in sort_bars(KECAMATAN, order)] == names


def test_bar_values_and_reference_use_indonesian_format() -> None:
    root = parse(bar_chart(KECAMATAN, title="x", reference=TargetLine(2.62, "Kota")))
    labels = texts(root)
    assert {"4,00%", "3,10%", "2,20%", "1,80%"} <= set(labels)
    assert texts(with_class(root, "g", "reference")[0]) == ["Kota 2,62%"]
    tips = [t.text for t in find_all(root, "title")]
    assert "Pulomerak: 4,00% (3,60\u20134,50)" in tips


def test_bars_are_proportional_to_their_values() -> None:
    bars = (Bar("A", Estimate(4.0)), Bar("B", Estimate(2.0)), Bar("C", Estimate(1.0)))
    root = parse(bar_chart(bars, title="x"))
    rects = [r for r in find_all(root, "rect") if find_all(r, "title")]
    widths = [float(r.get("width") or 0) for r in rects]
    assert widths[0] == pytest.approx(2 * widths[1], rel=1e-3)
    assert widths[1] == pytest.approx(2 * widths[2], rel=1e-3)


def test_chart_grows_with_the_number_of_bars() -> None:
    def height(count: int) -> float:
        bars = [Bar(f"Kelurahan {i}", Estimate(1.0 + i)) for i in range(count)]
        return float((parse(bar_chart(bars, title="x")).get("viewBox") or "").split()[3])

    assert height(43) - height(8) == pytest.approx(35 * 22)  # 22 units per bar


def test_long_labels_are_shortened_but_kept_whole_in_the_tooltip() -> None:
    name = "Posyandu Melati Kelurahan Kebon Dalem Kecamatan Purwakarta RW 03 dan RW 04 " * 2
    root = parse(bar_chart([Bar(name, Estimate(2.0))], title="x", width=400))
    assert any(t.endswith("\u2026") and len(t) < len(name) for t in texts(root))
    assert f"{name}: 2,00%" in [t.text for t in find_all(root, "title")]


def test_histogram_draws_one_column_per_bin_with_its_count(artifacts: Path) -> None:
    counts = [1180, 610, 590, 605, 598, 950, 602, 588, 611, 466]
    bins = [HistogramBin(str(digit), count) for digit, count in enumerate(counts)]
    svg = histogram(
        bins,
        title="Desimal terakhir berat badan",
        x_label="Desimal terakhir (kg)",
        y_label="Jumlah pengukuran",
        expected=TargetLine(700, "Diharapkan bila merata"),
    )
    (artifacts / "histogram.svg").write_text(svg, encoding="utf-8")
    root = parse(svg)
    columns = [r for r in find_all(root, "rect") if find_all(r, "title")]
    assert len(columns) == 10
    assert [find_all(r, "title")[0].text for r in columns][:2] == ["0: 1.180", "1: 610"]
    assert texts(with_class(root, "g", "expected")[0]) == ["Diharapkan bila merata 700"]
    heights = [float(r.get("height") or 0) for r in columns]
    assert heights[0] / heights[9] == pytest.approx(1180 / 466, rel=1e-3)
