"""The semester report the TPPS signs (issue 16), on the demo city with the TPPS's records
given as :class:`TppsFigures`: letterhead, data date and signature; every section in
Indonesian and in order; plain words in the main text; a missing part says so; one sheet
per table of the PDF; and the camat's report of one kecamatan."""

import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from tests.cli.conftest import RunCli
from tumbuh.config import Settings
from tumbuh.db.engine import create_engine
from tumbuh.growth.aks import Cause, ExpertRole, TargetGroup
from tumbuh.growth.aksi import Aksi
from tumbuh.growth.periods import semester_period
from tumbuh.growth.tpps import ActionKind, ActionStatus
from tumbuh.i18n import Language
from tumbuh.reports.letterhead import Letterhead, Signature
from tumbuh.reports.semester import semester_pdf, write_semester_workbook
from tumbuh.reports.tpps_data import ActionLine, AksiLine, AuditFigures, LokusLine, TppsFigures
from tumbuh.usecases.reporting import SemesterData, semester_data

MADE_ON = date(2025, 1, 10)
CUT_OFF = date(2024, 12, 31)
LETTERHEAD = Letterhead(
    (
        "PEMERINTAH KOTA CILEGON",
        "TIM PERCEPATAN PENURUNAN STUNTING (TPPS)",
        "Jl. Jenderal Sudirman No. 2, Kota Cilegon, Banten",
    )
)
SIGNATURE = Signature(
    "Cilegon", "Ketua Pelaksana TPPS Kota Cilegon", "Budi Santoso", "197001011995031001"
)
SECTIONS = (
    "1. Ringkasan",
    "2. Rekomendasi",
    "3. Status gizi balita",
    "4. Stunting per kecamatan",
    "5. Stunting per kelurahan",
    "6. Tren stunting",
    "7. Perkembangan anak stunting",
    "8. Kelurahan lokus",
    "9. Cakupan penimbangan dan SKDN",
    "10. Anak yang perlu dirujuk",
    "11. Program: PMT lokal dan Bapak Asuh",
    "12. 1.000 Hari Pertama Kehidupan: intervensi spesifik",
    "13. Audit Kasus Stunting",
    "14. Komitmen mitra",
    "15. 8 aksi konvergensi, 2024",
    "16. Register dan survei",
    "Cilegon, 10 Januari 2025 Ketua Pelaksana TPPS Kota Cilegon",
    "Lampiran. Catatan metode dan mutu data",
)
# Words of the engineers that must not reach the officials' text (before the appendix).
DENIED = re.compile(
    r"\b(the|and|of|with|Table|Figure|Summary|Poisson|kurtosis|Kurtosis|Wilson|Newcombe|"
    r"SMART|skewness|penalty|interval)\b|\btumbuh [a-z]|docs/|\.md\b|--"
)


def _rtl(action: str, due: date, status: ActionStatus, overdue: bool) -> ActionLine:
    return ActionLine(
        ActionKind.RTL, action, "Dinas Kesehatan", "Dringo", date(2024, 11, 20), due, status,
        overdue, 2 if status is ActionStatus.DONE else 0,
    )  # fmt: skip


def tpps_figures(data: SemesterData) -> TppsFigures:
    """The TPPS's records of semester II 2024, as the use cases would give them."""
    first, second = sorted(data.kelurahan, key=lambda k: -(k.now.percent or 0))[:2]
    audit = AuditFigures(
        semester=semester_period(2024, 2),
        locus=(first.name, second.name),
        experts=(("dr. Sari, Sp.A", ExpertRole.PEDIATRICIAN),),
        cases=(
            (TargetGroup.CATIN, 0),
            (TargetGroup.IBU_HAMIL, 3),
            (TargetGroup.IBU_NIFAS, 1),
            (TargetGroup.BADUTA, 6),
            (TargetGroup.BALITA, 4),
        ),
        reviewed=12,
        causes=((Cause.INFECTION, 7), (Cause.FEEDING, 5), (Cause.WATER_SANITATION, 3)),
        recommendations=("Perkuat kunjungan rumah bagi baduta yang berat badannya tidak naik",),
        rtl=(
            _rtl("Kelas MP-ASI bagi ibu baduta", date(2025, 2, 28), ActionStatus.DONE, False),
            _rtl("Pelatihan konseling bagi kader", date(2024, 12, 15), ActionStatus.PLANNED, True),
        ),
        disseminated_on=date(2024, 12, 5),
    )
    commitments = (
        ActionLine(
            ActionKind.COMMITMENT, "Sambungan air bersih bagi keluarga berisiko", "Dinas PUPR",
            second.name, date(2024, 11, 14), date(2025, 3, 31), ActionStatus.IN_PROGRESS,
            False, 1, budget_rupiah=150_000_000,
        ),
        ActionLine(
            ActionKind.COMMITMENT, "Penyuluhan gizi oleh Babinsa", "Kodim 0623", None,
            date(2024, 11, 14), date(2024, 12, 1), ActionStatus.PLANNED, True, 0,
        ),
    )  # fmt: skip
    aksi = tuple(
        AksiLine(
            a,
            ActionStatus.DONE if a.number <= 4 else ActionStatus.IN_PROGRESS,
            date(2024, 7, 25) if a is Aksi.REMBUK else None,
            "Bappeda",
            1 if a.number <= 4 else 0,
        )
        for a in Aksi
    )
    lokus = tuple(
        LokusLine(k.code, k.name, rank, k.now.cases, k.now.percent, None, None)
        for rank, k in enumerate((first, second), 1)
    )
    return TppsFigures(audit, commitments, aksi, lokus)


@pytest.fixture(scope="module")
def data(demo_city_url: str) -> SemesterData:
    engine = create_engine(demo_city_url)
    with engine.connect() as connection:
        found = semester_data(
            connection, semester_period(2024, 2), Settings(city_code="36.72"), cut_off=CUT_OFF
        )
    engine.dispose()
    return replace(found, tpps=tpps_figures(found))


def _text(content: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(content)
    pages = [str(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    return [" ".join(page.split()) for page in pages]


@pytest.fixture(scope="module")
def pages(data: SemesterData) -> list[str]:
    report = semester_pdf(
        data, generated_on=MADE_ON, language=Language.ID, letterhead=LETTERHEAD,
        signature=SIGNATURE,
    )  # fmt: skip
    return _text(report.content)


@pytest.mark.slow
def test_the_cover_has_the_letterhead_and_the_data_date(pages: list[str]) -> None:
    assert pages[0].startswith(
        "PEMERINTAH KOTA CILEGON TIM PERCEPATAN PENURUNAN STUNTING (TPPS) Jl. Jenderal "
        "Sudirman No. 2, Kota Cilegon, Banten Laporan Semester TPPS Kota Cilegon – Semester II 2024"
    )
    assert "Data per tanggal 31 Desember 2024" in pages[0]


@pytest.mark.slow
def test_every_section_is_there_in_order_with_the_signature(pages: list[str]) -> None:
    text = " ".join(pages)
    places = [text.find(section) for section in SECTIONS]
    assert -1 not in places, [s for s, p in zip(SECTIONS, places, strict=True) if p < 0]
    assert places == sorted(places)
    assert "Budi Santoso NIP. 197001011995031001" in text


@pytest.mark.slow
def test_the_main_text_speaks_plainly(pages: list[str]) -> None:
    text = " ".join(pages)
    main, appendix = text.split("Lampiran. Catatan metode dan mutu data")
    assert sorted({m.group(0) for m in DENIED.finditer(main)}) == []
    assert "Wilson" in appendix  # the methods moved there, they did not vanish
    assert "SMART" in appendix


@pytest.mark.slow
def test_the_recommendations_come_from_the_data(pages: list[str]) -> None:
    text = " ".join(pages)
    advice = text[text.index("2. Rekomendasi") : text.index("3. Status gizi balita")]
    assert "2 tindak lanjut dan komitmen sudah melewati tenggat" in advice
    assert "Dari audit kasus: Perkuat kunjungan rumah bagi baduta" in advice
    assert "Kelurahan dengan persentase anak stunting tertinggi adalah" in advice


@pytest.mark.slow
def test_the_tpps_sections_show_the_audit_commitments_and_aksi(
    pages: list[str], data: SemesterData
) -> None:
    text = " ".join(pages)
    assert "Audit kasus Semester II 2024 mengkaji 14 kasus" in text
    assert "didiseminasikan kepada mitra pada 5 Desember 2024" in text
    assert "Ibu hamil 3" in text
    assert "Infeksi berulang atau kronis 7" in text
    commitments = text[text.index("14. Komitmen mitra") : text.index("15. 8 aksi")]
    assert "Seluruhnya 2: 0 terlaksana, 1 melewati tenggat." in commitments
    # Overdue first: the Kodim's overdue promise before the PUPR's running one.
    assert commitments.index("Kodim 0623") < commitments.index("Dinas PUPR")
    assert "Direncanakan, belum dimulai, lewat tenggat" in commitments  # no word cut
    assert "150.000.000" in commitments
    aksi = text[text.index("15. 8 aksi") : text.index("16. Register dan survei")]
    assert "4 dari 8 aksi konvergensi tahun 2024 telah terlaksana." in aksi
    assert "3 Rembuk Stunting Selesai (terlaksana) 25 Juli 2024 Bappeda 1" in aksi
    assert data.tpps is not None
    assert data.tpps.lokus is not None
    assert f"1 {data.tpps.lokus[0].kelurahan_name}" in text


@pytest.mark.slow
def test_the_nutritional_statuses_are_there_for_baduta_and_balita(pages: list[str]) -> None:
    text = " ".join(pages)
    for status in (
        "Stunting (pendek untuk umurnya)",
        "Wasting (gizi kurang: kurus untuk tinggi badannya)",
        "Berat badan kurang (ringan untuk umurnya)",
        "Gizi lebih (berat untuk tinggi badannya)",
    ):
        assert f"{status}, menurut kelompok umur, Agustus 2024" in text
    assert "Kota Cilegon 12.514 227 1,81 18.707 591 3,16 31.221 818 2,62" in text


@pytest.mark.slow
def test_a_part_without_data_says_so_and_keeps_its_section(data: SemesterData) -> None:
    empty = replace(data, tpps=None, programmes=None, indicators=None)
    text = " ".join(_text(semester_pdf(empty, generated_on=MADE_ON).content))
    for heading, sentence in (
        ("8. Kelurahan lokus", "Belum ada data kelurahan lokus untuk semester ini."),
        ("11. Program", "Belum ada data PMT lokal dari dapur untuk semester ini."),
        ("11. Program", "Belum ada data Bapak Asuh Anak Stunting untuk semester ini."),
        ("12. 1.000 Hari", "Belum ada data intervensi spesifik untuk semester ini."),
        ("13. Audit Kasus Stunting", "Belum ada data Audit Kasus Stunting untuk semester ini."),
        ("14. Komitmen mitra", "Belum ada data komitmen mitra untuk semester ini."),
        ("15. 8 aksi", "Belum ada data 8 aksi konvergensi untuk semester ini."),
    ):
        assert heading in text
        assert text.index(heading) < text.index(sentence)


@pytest.mark.slow
def test_the_workbook_has_one_sheet_per_table_of_the_pdf(
    data: SemesterData, pages: list[str]
) -> None:
    buffer = io.BytesIO()
    write_semester_workbook(data, buffer)
    buffer.seek(0)
    book = load_workbook(buffer)
    numbers = set(re.findall(r"Tabel (\d+)\. ", " ".join(pages)))
    assert len(book.sheetnames) == len(numbers) == max(int(n) for n in numbers)
    for name in ("Kelurahan lokus", "Kasus audit", "Penyebab kasus", "RTL", "Komitmen", "8 aksi"):
        assert name in book.sheetnames
    assert [c.value for c in book["Komitmen"][1]][:5] == [
        "Kegiatan", "Penanggung jawab", "Lokasi", "Tenggat", "Status",
    ]  # fmt: skip
    assert book["Komitmen"]["B2"].value == "Kodim 0623"  # overdue first
    assert book["Komitmen"]["F3"].value == 150_000_000  # a number, not text
    assert [c.value for c in book["Kasus audit"]["B"]][1:] == [0, 3, 1, 6, 4, 14]
    formulas = [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


@pytest.mark.slow
def test_the_camat_gets_the_report_of_one_kecamatan(
    run_cli: RunCli, demo_city: str, tmp_path: Path
) -> None:
    target = tmp_path / "cibeber.pdf"
    result = run_cli(
        "report", "semester", "--period", "2024-S2", "--kecamatan", "Cibeber",
        "--cut-off", "2024-12-31", "--sign-name", "Budi Santoso", "-o", str(target),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = " ".join(_text(target.read_bytes()))
    assert "Kecamatan Cibeber, Kota Cilegon – Semester II 2024" in text
    assert "4. Stunting per kelurahan" in text
    kelurahan = ("Kedaleman", "Bulakan", "Cikerai", "Karang Asem", "Kalitimbang")
    assert all(name in text for name in kelurahan)
    for elsewhere in ("Dringo", "Kubangsari", "Suralaya", "Purwakarta", "Citangkil"):
        assert elsewhere not in text  # kelurahan and kecamatan of the rest of the city
    assert "Budi Santoso" in text


def test_an_unknown_kecamatan_is_refused_with_the_known_ones(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", f"sqlite:///{tmp_path}/kosong.sqlite")
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    assert run_cli("db", "upgrade").exit_code == 0
    result = run_cli(
        "report", "semester", "--period", "2024-S2", "--kecamatan", "Atlantis",
        "-o", str(tmp_path / "l.pdf"),
    )  # fmt: skip
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "--kecamatan: 'Atlantis' bukan kecamatan di kota ini" in message
    assert "36.72.01 Cibeber" in message


def test_a_bad_cut_off_date_is_refused(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", f"sqlite:///{tmp_path}/kosong.sqlite")
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    result = run_cli(
        "report", "semester", "--period", "2024-S2", "--cut-off", "31-12-2024",
        "-o", str(tmp_path / "l.pdf"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "--cut-off: '31-12-2024' bukan tanggal" in " ".join(result.stderr.split())
