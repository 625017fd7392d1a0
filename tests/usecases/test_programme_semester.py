"""The programmes' semester data: per month, the PMT kitchens' work as the monthly PMT
report counts it and the Bapak Asuh money as the Baznas ledger counts it; only those who
run Bapak Asuh may ask (the money is the city's)."""

from datetime import date

import pytest
from sqlalchemy import Engine

from tests.usecases.test_pmt_report import AUGUST, Month, month  # noqa: F401 - the fixture
from tests.usecases.test_servings import (  # noqa: F401 - the fixtures
    CIBEBER,
    NUTRITIONIST,
    TODAY,
    engine,
    place,
)
from tumbuh.db.audit import Actor
from tumbuh.growth.asuh import PledgeKind, SponsorKind
from tumbuh.growth.periods import month_period, semester_period
from tumbuh.growth.pmt import EpisodeExit
from tumbuh.usecases import asuh, asuh_money
from tumbuh.usecases.access import OutOfScope
from tumbuh.usecases.asuh_input import NewDisbursement, NewPayment, NewPledge, NewSponsor
from tumbuh.usecases.pmt_report import pmt_month
from tumbuh.usecases.programme_semester import programme_semester
from tumbuh.usecases.transactions import writing

ADMIN = asuh.COMMAND_LINE_SCOPE
TOOL = Actor("cli:test")
SEMESTER = semester_period(2024, 2)


def _money(database: Engine) -> None:
    """Rp 3 million a month pledged from July, Rp 5 million paid in August, Rp 4.5 million
    disbursed to Cibeber in August."""
    with database.connect() as connection:
        with writing(connection):
            [official] = asuh.record_sponsors(
                connection, TOOL, [NewSponsor(SponsorKind.OFFICIAL, "Kepala Dinas Uji", "Dinas")]
            )
            asuh.record_pledges(
                connection,
                TOOL,
                [NewPledge(official, PledgeKind.MONEY, date(2024, 7, 1), 3, 3_000_000)],
            )
        asuh_money.add_payment(
            connection, ADMIN, TOOL, NewPayment(official, date(2024, 8, 2), 5_000_000, "BZN-1")
        )
        asuh_money.add_disbursement(
            connection,
            ADMIN,
            TOOL,
            NewDisbursement(date(2024, 8, 3), CIBEBER, 4_500_000, "P-1", kitchen_name="Dapur"),
            city_code="36.72",
        )


def test_each_month_is_the_monthly_report_and_the_ledger(month: Month) -> None:  # noqa: F811
    _money(month.engine)
    with month.engine.connect() as connection:
        found = programme_semester(connection, ADMIN, SEMESTER, TODAY)
        august = pmt_month(connection, ADMIN, AUGUST, TODAY)
    assert [m.month.label for m in found.months] == ["2024-07", "2024-08"]  # not after today
    july, aug = found.months
    assert aug.servings == sum(k.servings for k in august.kitchens) == 14
    assert aug.children_fed == sum(k.children_fed for k in august.kitchens)
    assert aug.pregnant_fed == 1
    assert aug.ended == {EpisodeExit.RECOVERED: 1}
    assert july.ended == {EpisodeExit.MOVED: 1}
    assert (july.pledged, july.received, july.disbursed) == (3_000_000, 0, 0)
    assert (aug.pledged, aug.received, aug.disbursed) == (3_000_000, 5_000_000, 4_500_000)
    assert found.total("pledged") == 6_000_000
    assert found.total("servings") == july.servings + 14


def test_only_who_runs_bapak_asuh_may_ask_and_only_for_a_semester(
    month: Month,  # noqa: F811
) -> None:
    with month.engine.connect() as connection:
        with pytest.raises(OutOfScope):
            programme_semester(connection, NUTRITIONIST, SEMESTER, TODAY)
        with pytest.raises(ValueError, match="semester"):
            programme_semester(connection, ADMIN, month_period(2024, 8), TODAY)
