"""Surveillance tables for the whole city: prevalence, coverage, cohort flows, referrals,
SKDN and trends (docs/surveillance.md).

The ``tumbuh report`` commands are run by the city's operator, who sees the whole city:
these use cases take the area as chosen on the command line and return the rows of
:mod:`tumbuh.db.surveillance` unchanged. The web pages, which must keep to a user's
scope, go through :mod:`tumbuh.usecases.referrals` and :mod:`tumbuh.usecases.flows`.
"""

from datetime import date

from sqlalchemy import Connection

from tumbuh.db.prevalence import (
    AgeChoice,
    AreaLevel,
    PrevalenceIndicator,
    PrevalenceRow,
    age_split_prevalence,
    indicator_prevalence,
)
from tumbuh.db.surveillance.coverage import COVERAGE_TRUSTED, CoverageRow, coverage
from tumbuh.db.surveillance.flows import FlowRow, cohort_flows
from tumbuh.db.surveillance.records import latest_measurement_day
from tumbuh.db.surveillance.referrals import (
    Referral,
    ReferralTally,
    referral_list,
    referral_rules,
    referral_tallies,
)
from tumbuh.db.surveillance.skdn import SkdnRow, skdn
from tumbuh.db.surveillance.trend import Trend, TrendPoint, prevalence_trend
from tumbuh.growth.periods import Period, month_period

__all__ = [
    "COVERAGE_TRUSTED",
    "AgeChoice",
    "AreaLevel",
    "CoverageRow",
    "FlowRow",
    "PrevalenceIndicator",
    "PrevalenceRow",
    "Referral",
    "ReferralTally",
    "SkdnRow",
    "Trend",
    "TrendPoint",
    "age_split_prevalence",
    "cohort_flows",
    "coverage",
    "indicator_prevalence",
    "latest_month",
    "prevalence_trend",
    "referral_list",
    "referral_rules",
    "referral_tallies",
    "skdn",
]


def latest_month(connection: Connection, today: date) -> Period | None:
    """The month of the latest measurement up to ``today`` (None: no measurements)."""
    found = latest_measurement_day(connection, today)
    return None if found is None else month_period(found.year, found.month)
