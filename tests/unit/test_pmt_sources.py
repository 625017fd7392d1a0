"""e-PPGBM's PMT history files in Tumbuh's words: the indication from the file name and
the funding source from ``Sumber Anggaran`` (docs/import-format.md §13)."""

import pytest

from tumbuh.growth.pmt import Funding, Indication
from tumbuh.growth.pmt_sources import funding_from_text, indication_from_file_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Daftar-Riwayat-PMT-Gikur.xls", Indication.WASTED),
        ("daftar-riwayat-pmt-gikur (1).xls", Indication.WASTED),
        ("Daftar-Riwayat-PMT-Underweight.xls", Indication.UNDERWEIGHT),
        ("Daftar Riwayat T.xls", Indication.FALTERING),
        ("Daftar Riwayat 2T.xlsx", Indication.FALTERING),
        ("Daftar-Riwayat-PMT-Ibu-Hamil-240926092628.xls", Indication.PREGNANT_KEK),
        ("Riwayat PMT Gizi Kurang Agustus.html", Indication.WASTED),
        ("Riwayat PMT BB Kurang.xls", Indication.UNDERWEIGHT),
        ("Daftar-Riwayat-PMT.xls", None),  # names none
        ("Riwayat-Gikur-Underweight.xls", None),  # names two
        ("Tabel.xls", None),  # the extension's letters are not a word of the name
    ],
)
def test_the_indication_of_a_history_file_comes_from_its_name(
    name: str, expected: Indication | None
) -> None:
    assert indication_from_file_name(name) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("APBD", Funding.APBD),
        ("APBD Kota Cilegon", Funding.APBD),
        ("apbd ii", Funding.APBD),
        ("DAK Non Fisik", Funding.DAK),
        ("BOK Puskesmas", Funding.DAK),
        ("Dana Alokasi Khusus", Funding.DAK),
        ("BAZNAS", Funding.BAZNAS),
        ("Baznas Kota Cilegon", Funding.BAZNAS),
        ("CSR PT Krakatau Steel", Funding.CSR),
        ("Bapak Asuh Anak Stunting", Funding.BAPAK_ASUH),
        ("Orang Tua Asuh", Funding.BAPAK_ASUH),
        ("APBN", Funding.OTHER),
        ("Dana Desa", Funding.OTHER),
        ("APBDes", Funding.OTHER),
        ("Swadaya masyarakat", Funding.OTHER),
        ("Pabrikan", None),
        ("", None),
        ("dakwah", None),  # a word, not a part of one
    ],
)
def test_the_funding_source_comes_from_its_words(text: str, expected: Funding | None) -> None:
    assert funding_from_text(text) is expected
