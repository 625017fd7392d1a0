"""The monthly PMT report on both databases: per kitchen, the funding lines in force, the
people fed, servings, serving days, average adherence and the episodes started and ended
by exit, counted by hand on a constructed month; written as .xlsx and read back."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from tests.db.kitchen_helpers import add_episode, add_funding, add_pregnancy, add_servings
from tests.usecases.test_servings import (  # noqa: F401 - the fixtures
    ADMIN,
    ANALYST,
    CIWADUK,
    KADER,
    NUTRITIONIST,
    TODAY,
    Place,
    engine,
    place,
)
from tumbuh.db.models_pmt import PmtEpisode
from tumbuh.growth.periods import month_period
from tumbuh.growth.pmt import EpisodeExit, Funding
from tumbuh.i18n import Language
from tumbuh.reports.pmt_report import write_pmt_report
from tumbuh.usecases.access import NotAllowed, kitchen_scope
from tumbuh.usecases.pmt_report import pmt_month

AUGUST = month_period(2024, 8)
FIRST_WEEK = [date(2024, 8, d) for d in (5, 6, 7, 8, 9)]


@dataclass(frozen=True)
class Month:
    """The database and the kitchens of the constructed month."""

    engine: Engine
    place: Place


@pytest.fixture
def month(engine: Engine, place: Place) -> Month:  # noqa: F811 - the imported fixtures
    """August 2024 at the Cibeber kitchen (Monday to Friday), counted on 15 August:

    - Ani: 7 servings (5 to 9, 12, 14 August), 9 cooking days since 5 August: 7/9;
    - Budi: ended on 9 August (recovered), 3 planned days, served 5-7 August: 3/3;
    - Citra: served 12, 13, 15 August, 4 cooking days since 12 August: 3/4;
    - Dewi (pregnant): served 1 August, 11 cooking days since 1 August: 1/11;
    - an episode ended in July does not count."""
    from sqlalchemy import update

    from tumbuh.db.models import table_of

    with engine.begin() as connection:
        e = table_of(PmtEpisode)
        connection.execute(
            update(e).where(e.c.id == place.budi).values(exit=EpisodeExit.RECOVERED, planned_days=3)
        )
        add_servings(connection, place.ani, [*FIRST_WEEK, date(2024, 8, 12), date(2024, 8, 14)])
        add_servings(connection, place.budi, FIRST_WEEK[:3])
        add_servings(connection, place.citra, [date(2024, 8, 12), date(2024, 8, 13), TODAY])
        add_servings(connection, place.dewi, [date(2024, 8, 1)])
        add_episode(
            connection,
            place.kitchen,
            pregnancy_id=add_pregnancy(connection, "Juli Lama"),
            started_on=date(2024, 7, 1),
            ended_on=date(2024, 7, 31),
            exit_=EpisodeExit.MOVED,
        )
        add_funding(
            connection,
            place.kitchen,
            Funding.APBD,
            7_500_000,
            (date(2024, 1, 1), date(2024, 12, 31)),
        )
        add_funding(
            connection,
            place.kitchen,
            Funding.BAZNAS,
            2_000_000,
            (date(2024, 8, 20), date(2024, 9, 30)),
        )
        add_funding(
            connection,
            place.kitchen,
            Funding.CSR,
            9_000_000,
            (date(2023, 1, 1), date(2023, 12, 31)),
        )
        add_funding(
            connection,
            place.other_kitchen,
            Funding.DAK,
            1_000_000,
            (date(2024, 8, 1), date(2024, 8, 31)),
        )
    return Month(engine, place)


EXPECTED_ADHERENCE = (7 / 9 + 1 + 3 / 4 + 1 / 11) / 4


def test_a_kitchen_s_month_is_counted_as_by_hand(month: Month) -> None:
    with month.engine.connect() as connection:
        report = pmt_month(connection, ADMIN, AUGUST, TODAY)
    assert report.as_of == TODAY
    rows = {m.kitchen.id: m for m in report.kitchens}
    cibeber = rows[month.place.kitchen]
    assert [(f.source, f.amount_rp) for f in cibeber.funding] == [
        (Funding.APBD, 7_500_000),
        (Funding.BAZNAS, 2_000_000),
    ]
    assert cibeber.funding_rp == 9_500_000
    assert (cibeber.children_fed, cibeber.pregnant_fed) == (3, 1)
    assert (cibeber.servings, cibeber.serving_days) == (14, 10)
    assert cibeber.cooking_days == 22  # weekdays of August 2024
    assert (cibeber.episodes_open, cibeber.started) == (4, 4)
    assert cibeber.ended == {EpisodeExit.RECOVERED: 1}
    assert cibeber.adherence == pytest.approx(EXPECTED_ADHERENCE)
    other = rows[month.place.other_kitchen]
    assert (other.children_fed, other.servings, other.funding_rp) == (0, 0, 1_000_000)
    assert other.adherence == 0.0  # its one episode, never served


def test_a_past_month_counts_to_its_last_day_and_another_month_counts_nothing(month: Month) -> None:
    with month.engine.connect() as connection:
        july = pmt_month(connection, ADMIN, month_period(2024, 7), TODAY)
        september = pmt_month(connection, ADMIN, month_period(2024, 9), date(2024, 10, 3))
    assert july.as_of == date(2024, 7, 31)
    cibeber_july = next(m for m in july.kitchens if m.kitchen.id == month.place.kitchen)
    assert (cibeber_july.episodes_open, cibeber_july.started, cibeber_july.servings) == (1, 1, 0)
    assert cibeber_july.ended == {EpisodeExit.MOVED: 1}
    assert cibeber_july.adherence == 0.0
    rows = {m.kitchen.id: m for m in september.kitchens}
    cibeber = rows[month.place.kitchen]
    # open in September: Ani, Citra, Dewi (Budi ended in August); no serving yet
    assert (cibeber.episodes_open, cibeber.started, cibeber.servings) == (3, 0, 0)
    assert [f.source for f in cibeber.funding] == [Funding.APBD, Funding.BAZNAS]


def test_each_role_gets_the_kitchens_of_its_area_or_none(month: Month) -> None:
    with month.engine.connect() as connection:
        assert len(pmt_month(connection, ANALYST, AUGUST, TODAY).kitchens) == 2
        assert len(pmt_month(connection, NUTRITIONIST, AUGUST, TODAY).kitchens) == 2
        from tumbuh.usecases.access import Role, Scope

        far = Scope(Role.NUTRITIONIST, frozenset({CIWADUK}), None, True, True, True, True, False)
        assert pmt_month(connection, far, AUGUST, TODAY).kitchens == []
        for scope in (KADER, kitchen_scope(month.place.kitchen)):
            with pytest.raises(NotAllowed):
                pmt_month(connection, scope, AUGUST, TODAY)


def test_the_report_is_written_as_xlsx_and_reads_back(month: Month, tmp_path: Path) -> None:
    with month.engine.connect() as connection:
        report = pmt_month(connection, ADMIN, AUGUST, TODAY)
    target = tmp_path / "pmt.xlsx"
    write_pmt_report(report, target, language=Language.ID)
    book = load_workbook(target)
    assert book.sheetnames == ["Dapur", "Dana"]
    sheet = book["Dapur"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Dapur", "Jenis dapur", "Kelurahan")
    assert "Rata-rata kepatuhan (%)" in header
    assert "Selesai: Pulih" in header
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    cibeber = by_name["Dapur Umum PKK Cibeber"]
    assert cibeber["Kelurahan"] == "Cibeber"
    assert cibeber["Dana berlaku (Rp)"] == 9_500_000
    assert cibeber["Dana berlaku"] == "APBD (anggaran kota) Rp 7.500.000; Baznas Rp 2.000.000"
    assert (cibeber["Anak diberi makan"], cibeber["Ibu hamil diberi makan"]) == (3, 1)
    assert (cibeber["Porsi diberikan"], cibeber["Hari pemberian"]) == (14, 10)
    assert cibeber["Rata-rata kepatuhan (%)"] == pytest.approx(round(EXPECTED_ADHERENCE * 100, 1))
    assert cibeber["Selesai: Pulih"] == 1
    total = by_name["Jumlah"]
    assert total["Porsi diberikan"] == 14
    assert total["Dana berlaku (Rp)"] == 10_500_000
    assert sheet["G2"].number_format == "#,##0"
    funding = list(book["Dana"].iter_rows(values_only=True))
    assert len(funding) == 1 + 3
    assert funding[1][:4] == (
        "Dapur Umum PKK Cibeber",
        "Cibeber",
        "APBD (anggaran kota)",
        7_500_000,
    )
    page_header = sheet.oddHeader
    assert page_header is not None
    assert page_header.center.text == "Dapur PMT lokal, Agustus 2024"
