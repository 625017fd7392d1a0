"""e-PPGBM's PMT history files in Tumbuh's words: the indication from the file name and
the funding source from ``Sumber Anggaran`` (docs/import-format.md §13)."""

from datetime import date

import pytest

from tumbuh.growth.pmt import Funding, Indication
from tumbuh.growth.pmt_sources import (
    funding_from_text,
    history_end,
    history_plan,
    indication_from_file_name,
)


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


def test_an_imported_episode_is_planned_by_the_rules_of_its_start_year() -> None:
    assert history_plan(Indication.WASTED, 2022) == ("2022", 90)
    assert history_plan(Indication.UNDERWEIGHT, 2024) == ("2023", 28)
    assert history_plan(Indication.FALTERING, 2026) == ("2025", 14)
    # The 2022 pilot fed no pregnant women: the first version that does plans them.
    assert history_plan(Indication.PREGNANT_KEK, 2022) == ("2023", 120)
    assert history_plan(Indication.PREGNANT_KEK, 2019) == ("2023", 120)


def test_an_episode_without_an_end_ends_on_its_planned_last_day_once_past() -> None:
    start = date(2024, 6, 5)

    def end(today: date, ended_on: date | None = None) -> date | None:
        return history_end(started_on=start, planned_days=56, ended_on=ended_on, today=today)

    assert end(date(2024, 9, 1)) == date(2024, 7, 30)  # day 56 is 30 July
    assert end(date(2024, 7, 31)) == date(2024, 7, 30)
    assert end(date(2024, 7, 30)) is None  # its last day is today: it may still run
    assert end(start, ended_on=date(2024, 6, 20)) == date(2024, 6, 20)
