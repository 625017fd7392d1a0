"""The SVG element builder escapes everything and writes well-formed, accessible SVG."""

import pytest
from fpdf.fonts import CORE_FONTS_CHARWIDTHS

from tests.unit.reports.conftest import SVG, find_all, parse
from tumbuh.reports.svg import document, element, number, render, text_width


def test_text_and_attributes_are_escaped() -> None:
    name = 'Posyandu "Melati" <RW 03> & Co'
    markup = render(element("text", name, data_nama=name))
    assert markup == (
        '<text data-nama="Posyandu &quot;Melati&quot; &lt;RW 03&gt; &amp; Co">'
        'Posyandu "Melati" &lt;RW 03&gt; &amp; Co</text>'
    )
    node = parse(markup)
    assert node.text == name
    assert node.get("data-nama") == name


def test_markup_in_text_cannot_open_an_element() -> None:
    markup = render(element("g", element("title", "</title><script>alert(1)</script>")))
    root = parse(markup)
    assert [child.tag for child in root.iter()] == ["g", "title"]


def test_characters_xml_forbids_are_dropped() -> None:
    # A cell pasted from a spreadsheet may carry a vertical tab or a NUL.
    assert parse(render(element("text", "Kel.\x0bCibeber\x00"))).text == "Kel.Cibeber"


def test_newlines_in_attributes_survive_a_round_trip() -> None:
    assert parse(render(element("g", data_note="a\nb\tc"))).get("data-note") == "a\nb\tc"


def test_python_names_become_svg_attribute_names() -> None:
    markup = render(element("rect", stroke_width=1.5, class_="bar", data_kode="36.72", fill=None))
    assert markup == '<rect stroke-width="1.5" class="bar" data-kode="36.72"/>'


@pytest.mark.parametrize(
    ("value", "written"),
    [(12.3456, "12.35"), (3.0, "3"), (-0.001, "0"), (0.5, "0.5"), (100, "100")],
)
def test_numbers_are_written_short(value: float, written: str) -> None:
    assert number(value) == written


def test_a_non_finite_number_is_refused() -> None:
    with pytest.raises(ValueError, match="nan"):
        number(float("nan"))


def test_a_bad_element_name_is_refused() -> None:
    with pytest.raises(ValueError, match="element name"):
        element("bad name")


def test_document_is_an_accessible_image_sized_by_its_viewbox() -> None:
    svg = document(400, 200, title="Judul", description="Keterangan", children=[element("rect")])
    root = parse(svg)
    assert root.tag == SVG + "svg"
    assert root.get("viewBox") == "0 0 400 200"
    assert root.get("width") is None
    assert root.get("role") == "img"
    title, desc = find_all(root, "title")[0], find_all(root, "desc")[0]
    assert title.text == "Judul"
    assert desc.text == "Keterangan"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "sans-serif" in (root.get("font-family") or "")


def test_two_documents_with_different_titles_get_different_ids() -> None:
    first = parse(document(10, 10, title="A", description="x", children=[]))
    second = parse(document(10, 10, title="B", description="x", children=[]))
    assert find_all(first, "title")[0].get("id") != find_all(second, "title")[0].get("id")


def test_text_width_uses_the_helvetica_metrics_of_the_pdf_core_font() -> None:
    # Reference: Adobe's Helvetica AFM widths as fpdf2 ships them for the PDF core font.
    sample = "Prevalensi 2,62% (Agu 2024) Kebon Dalem, WHO -3 SD"
    expected = sum(CORE_FONTS_CHARWIDTHS["helvetica"][c] for c in sample) * 11 / 1000
    assert text_width(sample, 11) == pytest.approx(expected)
