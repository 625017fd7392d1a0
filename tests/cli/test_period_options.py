"""The command line's periods: parsed by ``tumbuh.growth.periods`` (one parser), the
message written by the command line, naming the option the text was typed for."""

from datetime import date

import pytest

from tumbuh.cli._common import parse_month_option, parse_period_option
from tumbuh.errors import InputError
from tumbuh.growth.periods import PeriodKind


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-08", date(2024, 8, 1), date(2024, 9, 1)),
        ("2024-12", date(2024, 12, 1), date(2025, 1, 1)),
        (" 2022-02 ", date(2022, 2, 1), date(2022, 3, 1)),
    ],
)
def test_a_month_runs_from_the_first_to_the_next_first(text: str, start: date, end: date) -> None:
    period = parse_month_option(text)
    assert (period.start, period.end, period.kind) == (start, end, PeriodKind.MONTH)


@pytest.mark.parametrize("text", ["2024-8", "2024-13", "08-2024", "Agustus 2024", "", "2024-S2"])
def test_a_month_option_refuses_anything_but_yyyy_mm(text: str) -> None:
    with pytest.raises(InputError, match="YYYY-MM") as raised:
        parse_month_option(text, "--from")
    assert str(raised.value).startswith("--from: ")


@pytest.mark.parametrize(
    ("text", "kind"),
    [("2024-08", PeriodKind.MONTH), ("2024-S2", PeriodKind.SEMESTER), ("2024", PeriodKind.YEAR)],
)
def test_a_period_option_takes_the_three_kinds(text: str, kind: PeriodKind) -> None:
    assert parse_period_option(text).kind is kind


@pytest.mark.parametrize("text", ["2024-13", "semester 2", "2024-S3", ""])
def test_a_period_that_is_none_of_the_three_kinds_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="YYYY-S1") as raised:
        parse_period_option(text, "--to")
    assert str(raised.value).startswith("--to: ")
