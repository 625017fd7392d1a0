"""``tumbuh report semester`` on the demo city: the PDF (rendered and read) and the XLSX."""

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from numpy.typing import NDArray
from openpyxl import load_workbook
from PIL import Image

from tests.cli.conftest import RunCli
from tumbuh.config import Settings
from tumbuh.db.engine import create_engine
from tumbuh.db.prevalence import PrevalenceRow
from tumbuh.growth.periods import semester_period
from tumbuh.i18n import Language
from tumbuh.reports.indicators import FigureLine
from tumbuh.reports.pdf import Placement
from tumbuh.reports.semester import SemesterPdf, semester_pdf, write_semester_workbook
from tumbuh.reports.semester_tables import semester_tables
from tumbuh.reports.semester_text import headline
from tumbuh.usecases.reporting import SemesterData, semester_data

REPO = Path(__file__).resolve().parents[2]
SCALE = 2.0  # 144 dpi
GENERATED_ON = date(2025, 1, 10)
HEADLINE = (
    "Pada Agustus 2024 tercatat 818 balita (2,62%) mengalami stunting, turun dari 876 "
    "balita (2,87%) pada Februari 2024."
)
# ColorBrewer YlOrRd (reports.style.SEQUENTIAL), the map's class colours.
YLORRD = {
    (0xFF, 0xFF, 0xB2), (0xFF, 0xED, 0xA0), (0xFE, 0xD9, 0x76), (0xFE, 0xCC, 0x5C),
    (0xFE, 0xB2, 0x4C), (0xFD, 0x8D, 0x3C), (0xFC, 0x4E, 0x2A), (0xF0, 0x3B, 0x20),
    (0xE3, 0x1A, 0x1C), (0xBD, 0x00, 0x26), (0xB1, 0x00, 0x26),
}  # fmt: skip


@pytest.fixture(scope="module")
def data(demo_city_url: str) -> Iterator[SemesterData]:
    engine = create_engine(demo_city_url)
    with engine.connect() as connection:
        yield semester_data(connection, semester_period(2024, 2), Settings(city_code="36.72"))
    engine.dispose()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    folder = REPO / "artifacts" / "semester"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def built(data: SemesterData, artifacts: Path) -> tuple[SemesterPdf, pdfium.PdfDocument]:
    report = semester_pdf(data, generated_on=GENERATED_ON, language=Language.ID)
    (artifacts / "laporan-semester-2024-S2.pdf").write_bytes(report.content)
    document = pdfium.PdfDocument(report.content)
    for index in range(len(document)):
        _render(document, index + 1).save(artifacts / f"laporan-semester-{index + 1:02d}.png")
    return report, document


def _render(pdf: pdfium.PdfDocument, page: int) -> Image.Image:
    image: Image.Image = pdf[page - 1].render(scale=SCALE).to_pil().convert("RGB")
    return image


def _pixels(image: Image.Image, box: Placement) -> NDArray[np.uint8]:
    px = 72 / 25.4 * SCALE
    crop = (
        round(box.x_mm * px),
        round(box.y_mm * px),
        round((box.x_mm + box.width_mm) * px),
        round((box.y_mm + box.height_mm) * px),
    )
    return np.asarray(image.crop(crop), dtype=np.uint8).reshape(-1, 3)


def _ink(pixels: NDArray[np.uint8]) -> float:
    """Share of pixels that are not near-white."""
    return float(np.mean(pixels.min(axis=1) < 235))


def _text(pdf: pdfium.PdfDocument) -> list[str]:
    pages = [str(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    return [" ".join(page.split()) for page in pages]


@pytest.mark.slow
def test_the_pdf_command_writes_the_report_and_prints_the_headline(
    run_cli: RunCli, demo_city: str, tmp_path: Path
) -> None:
    target = tmp_path / "laporan.pdf"
    result = run_cli("report", "semester", "--period", "2024-S2", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert HEADLINE in " ".join(result.stdout.split())
    document = pdfium.PdfDocument(target.read_bytes())
    assert HEADLINE in " ".join(_text(document))
    assert f"Dibuat {date.today().day} " in _text(document)[0]  # the CLI dates it today


@pytest.mark.slow
def test_map_and_charts_are_drawn(built: tuple[SemesterPdf, pdfium.PdfDocument]) -> None:
    report, pdf = built
    assert set(report.figures) == {
        "trend",
        "surveys",
        "kecamatan",
        "map",
        "height_digits",
        "weight_digits",
    }
    ink = {
        name: _ink(_pixels(_render(pdf, place.page), place))
        for name, place in report.figures.items()
    }
    assert ink["map"] > 0.2  # 43 filled kelurahan cover much of the map's box
    assert ink["kecamatan"] > 0.05
    assert ink["height_digits"] > 0.1
    assert ink["weight_digits"] > 0.1
    assert ink["trend"] > 0.02  # lines, grid and labels on white
    assert ink["surveys"] > 0.02
    # The measure can fail: the strip of right margin beside the map is blank.
    place = report.figures["map"]
    margin = Placement(place.page, 210 - 17, place.y_mm, 16, place.height_mm)
    assert _ink(_pixels(_render(pdf, place.page), margin)) < 0.001


@pytest.mark.slow
def test_the_map_fills_kelurahan_with_several_classes(
    built: tuple[SemesterPdf, pdfium.PdfDocument],
) -> None:
    report, pdf = built
    place = report.figures["map"]
    pixels = _pixels(_render(pdf, place.page), place).astype(np.int64)
    found = {tuple(int(v) for v in p) for p in np.unique(pixels // 8, axis=0)}
    classes = {tuple(c // 8 for c in colour) for colour in YLORRD} & found
    assert len(classes) >= 3  # kelurahan prevalences 1 % to 5 % span several classes


@pytest.mark.slow
def test_the_pdf_holds_the_headline_tables_and_the_given_date(
    built: tuple[SemesterPdf, pdfium.PdfDocument],
) -> None:
    _, pdf = built
    pages = _text(pdf)
    text = " ".join(pages)
    assert HEADLINE in text
    assert "Kota Cilegon 31.221 818 2,62" in text  # the first row of the kecamatan table
    assert "Tabel 1. Stunting (pendek untuk umurnya), menurut kelompok umur, Agustus 2024" in text
    for heading in ("1. Ringkasan", "2. Rekomendasi", "6. Tren stunting", "10. Anak yang perlu"):
        assert heading in text
    main, appendix = text.split("Lampiran. Catatan metode dan mutu data")
    assert "Skor SMART" in appendix
    assert "Skor SMART" not in main
    assert "SKI 2023 memperkirakan 22,0% balita di Kota Cilegon mengalami stunting" in main
    # The source as entered (an English quote) is printed in the appendix only.
    assert "SKI 2023, about 22 % as quoted by the Sekda (banten.tribunnews.com)" in appendix
    assert "as quoted" not in main
    for number, page in enumerate(pages[1:], 2):
        assert f"Halaman {number} dari {len(pages)}" in page
        assert "Dibuat 10 Januari 2025" in page


@pytest.mark.slow
def test_the_figures_agree_with_the_published_rounds(data: SemesterData) -> None:
    # docs/domain.md §12: Feb 2024 876 of 30,485; Aug 2024 818 of 31,221.
    assert (data.round.label, data.previous_round.label) == ("2024-08", "2024-02")
    assert (data.city.cases, data.city.measured) == (818, 31_221)
    assert (data.city_before.cases, data.city_before.measured) == (876, 30_485)
    assert sum(a.now.cases for a in data.kecamatan) == 818
    assert sum(a.now.measured for a in data.kelurahan) == 31_221
    published = {"2023-02": (1144, 32_779), "2023-08": (944, 32_312), "2024-02": (876, 30_485)}
    points = {p.period.label: (p.cases, p.measured) for p in data.trend.points}
    assert {label: points[label] for label in published} == published
    assert [m.month.label for m in data.referrals] == [f"2024-{m:02d}" for m in range(7, 13)]
    assert data.quality.city.n_valid_haz == 31_221


@pytest.mark.slow
@pytest.mark.parametrize(
    ("before", "expected"),
    [
        (
            PrevalenceRow("36.72", "Kota Cilegon", "kota", 31_221, 800),  # 2,56 %
            "mengalami stunting, naik dari 800 balita (2,56%) pada Februari 2024.",
        ),
        (
            PrevalenceRow("36.72", "Kota Cilegon", "kota", 31_000, 812),  # 2,6194 % -> 2,62
            "mengalami stunting, tetap sama dengan persentase pada Februari 2024 (812 "
            "balita, 2,62%).",
        ),
    ],
)
def test_the_headline_says_naik_or_tetap_by_the_printed_share(
    data: SemesterData, before: PrevalenceRow, expected: str
) -> None:
    text = headline(replace(data, city_before=before), Language.ID)
    assert text == "Pada Agustus 2024 tercatat 818 balita (2,62%) " + expected


@pytest.mark.slow
def test_the_workbook_has_one_sheet_per_table_with_real_numbers(
    run_cli: RunCli, demo_city: str, tmp_path: Path
) -> None:
    target = tmp_path / "laporan.xlsx"
    result = run_cli("report", "semester", "--period", "2024-S2", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    book = load_workbook(target)
    assert book.sheetnames == [
        "Stunting menurut umur",
        "Wasting menurut umur",
        "BB kurang menurut umur",
        "Gizi lebih menurut umur",
        "Kecamatan",
        "Kelurahan",
        "Kelurahan menurut umur",
        "Tren",
        "Alur kohort",
        "Kelurahan lokus",
        "Cakupan",
        "SKDN",
        "Rujukan",
        "PMT lokal per bulan",
        "Dana Bapak Asuh",
        "Indikator spesifik",
        "Indikator manual",
        "Indikator per kelurahan",
        "KRS",
        "Kasus audit",
        "Penyebab kasus",
        "RTL",
        "RTL sebelumnya",
        "Komitmen",
        "8 aksi",
        "Register dan survei",
        "Kriteria SMART",
        "Mutu per kecamatan",
        "Posyandu",
        "Preferensi digit",
    ]  # the PDF's tables in its order, the TPPS's own from the demo's records
    sheet = book["Kecamatan"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Wilayah", "Balita diukur", "Stunting", "Prevalensi (%)"]
    city = [cell.value for cell in sheet[2]]
    assert city[:3] == ["Kota Cilegon", 31_221, 818]
    assert city[3] == pytest.approx(818 / 31_221 * 100)
    assert len(list(sheet.iter_rows(min_row=3))) == 8  # the eight kecamatan
    for name in book.sheetnames:
        for row in book[name].iter_rows(min_row=2):
            for cell in row:
                if cell.number_format != "General" and cell.value is not None:
                    assert isinstance(cell.value, int | float), (name, cell.coordinate)
    sources = [row[-1].value for row in book["Register dan survei"].iter_rows(min_row=2)]
    assert all(str(source).startswith("SSGI 20") or "https://" in str(source) for source in sources)
    assert any("https://banten.tribunnews.com/2024/07/25/" in str(s) for s in sources)
    trend = book["Tren"]
    assert [c.value for c in trend[trend.max_row]][:3] == ["Agustus 2024", 31_221, 818]


def test_a_month_is_not_a_semester(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", f"sqlite:///{tmp_path}/kosong.sqlite")
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    result = run_cli("report", "semester", "--period", "2024-08", "-o", str(tmp_path / "l.pdf"))
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "--period: '2024-08' bukan semester" in message
    assert "2024-S2 (Juli-Desember)" in message


def test_only_pdf_and_xlsx_can_be_written(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", f"sqlite:///{tmp_path}/kosong.sqlite")
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    result = run_cli("report", "semester", "--period", "2024-S2", "-o", str(tmp_path / "l.docx"))
    assert result.exit_code == 1
    assert "harus berakhiran .pdf (laporan) atau .xlsx" in " ".join(result.stderr.split())
    assert not (tmp_path / "l.docx").exists()


def test_a_posyandu_named_like_a_formula_stays_text_in_the_workbook(data: SemesterData) -> None:
    """Issue 11, item 6: an import created a posyandu ``=HYPERLINK(...)``, and the
    semester workbook stored its name as a live formula."""
    hostile = '=HYPERLINK("http://x","y")'
    worst = data.quality.worst(1)[0]
    units = tuple(
        replace(unit, name=hostile) if unit is worst else unit for unit in data.quality.units
    )
    buffer = io.BytesIO()
    write_semester_workbook(replace(data, quality=replace(data.quality, units=units)), buffer)
    buffer.seek(0)
    book = load_workbook(buffer)
    formulas = [
        (sheet.title, cell.coordinate)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    named = [row for row in book["Posyandu"].iter_rows(min_row=2) if row[1].value == hostile]
    assert [(row[1].data_type, row[1].quotePrefix) for row in named] == [("s", True)]
    assert isinstance(named[0][3].value, int)  # the number of children stays a number


@pytest.mark.slow
def test_the_age_groups_of_the_round_add_up_to_each_area(data: SemesterData) -> None:
    city = data.age_groups[0]
    assert (city.total.measured, city.total.cases) == (31_221, 818)  # Aug 2024, published
    assert len(data.age_groups) == 9  # the city and the eight kecamatan
    for area in data.age_groups:
        assert area.baduta.measured + area.older.measured == area.total.measured
        assert area.baduta.cases + area.older.cases == area.total.cases
    assert city.baduta.measured > 0
    assert city.older.measured > 0
    table = semester_tables(data, Language.ID)["status-stunting (HAZ < -2)"]
    assert table.title == (
        "Tabel 1. Stunting (pendek untuk umurnya), menurut kelompok umur, Agustus 2024"
    )
    assert table.rows[0] == (
        "Kota Cilegon",
        city.baduta.measured, city.baduta.cases, city.baduta.percent,
        city.older.measured, city.older.cases, city.older.percent,
        31_221, 818, city.total.percent,
    )  # fmt: skip


# docs/indicators.md, "The demo city, 2024": measured with `tumbuh report indicators`.
DEMO_2024 = {
    "Ibu hamil KEK yang mendapat makanan tambahan": (765, 960),
    "Ibu hamil yang mengonsumsi minimal 90 TTD": (4_876, 7_812),
    "Balita yang dipantau pertumbuhannya (D/S)": (294_961, 418_765),
    "Imunisasi dasar lengkap": (5_888, 6_862),
}


def _sheet_rows(path: Path | io.BytesIO, name: str) -> list[list[object]]:
    sheet = load_workbook(path)[name]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.slow
def test_the_workbook_holds_the_specific_indicators_of_the_year(data: SemesterData) -> None:
    buffer = io.BytesIO()
    write_semester_workbook(data, buffer)
    buffer.seek(0)
    rows = _sheet_rows(buffer, "Indikator spesifik")
    assert rows[0][:6] == [
        "Indikator", "Pembilang", "Penyebut", "Capaian %", "Target (%)", "Target tercapai"
    ]  # fmt: skip
    assert len(rows) == 1 + 8  # the eight indicators the register counts
    found = {str(row[0]).split(") ", 1)[1]: row for row in rows[1:]}
    for name, (numerator, denominator) in DEMO_2024.items():
        assert found[name][1:3] == [numerator, denominator]
        assert found[name][3] == pytest.approx(100 * numerator / denominator)
    growth = found["Balita yang dipantau pertumbuhannya (D/S)"]
    assert growth[4:] == [90, "belum tercapai"]  # 70.4 % against the 2024 target of 90 %
    assert str(rows[1][0]).startswith("(1) ")


@pytest.mark.slow
def test_the_kelurahan_rates_and_the_krs_add_up_to_the_city(data: SemesterData) -> None:
    assert data.indicators is not None
    found = data.indicators
    assert (found.year, found.counted_to) == (2024, date(2024, 12, 31))
    for line in found.computed:
        kelurahan = [k for k in found.kelurahan if k.indicator == line.indicator]
        assert sum(k.numerator or 0 for k in kelurahan) == line.numerator, line.indicator
        assert sum(k.denominator or 0 for k in kelurahan) == line.denominator, line.indicator
    buffer = io.BytesIO()
    write_semester_workbook(data, buffer)
    buffer.seek(0)
    wide = _sheet_rows(buffer, "Indikator per kelurahan")
    assert wide[0] == ["Kelurahan", *(f"({n}) %" for n in range(1, 9))]
    assert len(wide) - 1 == len({k.area_code for k in found.kelurahan})  # 43 in the demo
    growth = next(k for k in found.kelurahan if k.indicator.startswith("Children whose growth"))
    row = next(r for r in wide if r[0] == growth.area_name)
    assert row[6] == pytest.approx(growth.percent)  # column (6): D/S
    buffer.seek(0)
    krs = _sheet_rows(buffer, "KRS")
    assert krs[1][0] == "Kota Cilegon"
    counts = [[int(str(value)) for value in row[1:4]] for row in krs[1:]]
    for column in range(3):  # target families, at risk, not assessed
        assert counts[0][column] == sum(row[column] for row in counts[1:])
    # docs/indicators.md: 11,660 at risk, 27.6 % of those assessed (Cilegon's 2024 count)
    assert counts[0][1] == pytest.approx(11_636, rel=0.02)
    assert 20 < float(str(krs[1][4])) < 35


def test_a_figure_entered_by_hand_is_shown_with_its_source(data: SemesterData) -> None:
    assert data.indicators is not None
    entered = FigureLine(
        "Adolescent girls taking iron tablets", "36.72", "Kota Cilegon", 1_200, 2_000, None,
        60.0, 58.0, True, "Laporan Dinkes 2024", source_is_message=False,
    )  # fmt: skip
    changed = replace(data, indicators=replace(data.indicators, entered=(entered,)))
    buffer = io.BytesIO()
    write_semester_workbook(changed, buffer)
    buffer.seek(0)
    rows = _sheet_rows(buffer, "Indikator manual")
    assert rows[1] == [
        "Remaja putri yang mengonsumsi TTD", "Kota Cilegon", 1_200, 2_000, 60,
        58, "tercapai", "Laporan Dinkes 2024",
    ]  # fmt: skip


@pytest.mark.slow
def test_the_pdf_has_the_section_of_specific_interventions(
    built: tuple[SemesterPdf, pdfium.PdfDocument],
) -> None:
    _, pdf = built
    text = " ".join(_text(pdf))
    assert "12. 1.000 Hari Pertama Kehidupan: intervensi spesifik" in text
    assert "Tabel 16. Indikator intervensi spesifik, 2024" in text
    assert "Tabel 18. Indikator intervensi spesifik per kelurahan, 2024" in text
    assert "nomor kolom sama dengan nomor indikator di Tabel 16" in text  # renumbered
    assert "Tabel 19. Keluarga berisiko stunting (KRS) per kelurahan, 2024" in text
    assert "4.876 7.812 62,4 80,0 belum tercapai" in text  # bumil with >= 90 TTD
    assert "sampai 31 Desember 2024" in text


@pytest.mark.slow
def test_table_2a_gives_each_kelurahan_its_baduta_and_older_balita(data: SemesterData) -> None:
    assert len(data.kelurahan) == 43
    for area in data.kelurahan:
        assert area.baduta is not None
        assert area.older is not None
        assert area.baduta.measured + area.older.measured == area.now.measured
        assert area.baduta.cases + area.older.cases == area.now.cases
    buffer = io.BytesIO()
    write_semester_workbook(data, buffer)
    buffer.seek(0)
    rows = _sheet_rows(buffer, "Kelurahan menurut umur")
    assert rows[0] == [
        "Kelurahan",
        "Baduta (0–23 bulan): diukur", "Baduta (0–23 bulan): stunting",
        "Baduta (0–23 bulan): prevalensi (%)",
        "Balita 24–59 bulan: diukur", "Balita 24–59 bulan: stunting",
        "Balita 24–59 bulan: prevalensi (%)",
    ]  # fmt: skip
    buffer.seek(0)
    table_2 = _sheet_rows(buffer, "Kelurahan")
    assert len(rows) == len(table_2) == 1 + 43
    for by_age, whole in zip(rows[1:], table_2[1:], strict=True):
        assert by_age[0] == whole[1]  # the same kelurahan, in the same order
        assert int(str(by_age[1])) + int(str(by_age[4])) == whole[2]  # measured
        assert int(str(by_age[2])) + int(str(by_age[5])) == whole[3]  # stunted
    first = data.kelurahan[0]
    assert first.baduta is not None
    assert rows[1][3] == pytest.approx(first.baduta.percent)


@pytest.mark.slow
def test_the_pdf_prints_table_2a_after_table_2(
    built: tuple[SemesterPdf, pdfium.PdfDocument],
) -> None:
    _, pdf = built
    text = " ".join(_text(pdf))
    table_2 = text.index("Tabel 6. Prevalensi stunting per kelurahan, Agustus 2024")
    table_2a = text.index("Tabel 7. Stunting per kelurahan menurut kelompok umur, Agustus 2024")
    assert table_2 < table_2a < text.index("6. Tren stunting")
    assert "sama dengan balita kelurahan di Tabel 6" in text
