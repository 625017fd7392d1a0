"""Nice tick values, scales and Indonesian number labels."""

import pytest

from tumbuh.i18n import Language
from tumbuh.reports.axes import LinearScale, nice_step, nice_ticks
from tumbuh.reports.style import format_number, format_percent, places_for_step


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        # span 9.75 / 6 = 1.63 per interval -> step 2
        (0.0, 9.75, [0, 2, 4, 6, 8, 10]),
        # span 22 / 6 = 3.67 -> step 5
        (0.0, 22.0, [0, 5, 10, 15, 20, 25]),
        # span 0.7 / 6 = 0.117 -> step 0.2 (0.117 rounds up to 0.2 of 1, 2, 2.5, 5)
        (2.45, 3.15, [2.4, 2.6, 2.8, 3.0, 3.2]),
        # span 13 / 6 = 2.17 -> step 2.5
        (1.0, 14.0, [0, 2.5, 5, 7.5, 10, 12.5, 15]),
    ],
)
def test_ticks_are_multiples_of_a_nice_step_covering_the_range(
    low: float, high: float, ticks: list[float]
) -> None:
    assert nice_ticks(low, high) == pytest.approx(ticks)


def test_ticks_can_avoid_quarter_steps() -> None:
    # Growth charts: span 26 kg / 14 = 1.86 -> 2 (not 2.5).
    assert nice_step(26.0, 14, multiples=(1, 2, 5)) == 2.0


def test_equal_limits_still_give_an_axis() -> None:
    # 5 +/- 10 % -> 4.5 to 5.5; span 1 / 6 = 0.167 -> step 0.2; 4.4 (22 steps) to 5.6 (28).
    assert nice_ticks(5.0, 5.0) == pytest.approx([4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6])


def test_infinite_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        nice_ticks(0.0, float("inf"))


def test_scale_maps_domain_onto_range_and_can_flip() -> None:
    y = LinearScale(0.0, 10.0, 300.0, 100.0)  # y grows downwards in SVG
    assert y(0.0) == 300.0
    assert y(2.5) == 250.0
    assert y(10.0) == 100.0


@pytest.mark.parametrize(("step", "places"), [(5, 0), (0.5, 1), (0.25, 2), (0.2, 1), (2.5, 1)])
def test_tick_labels_get_just_enough_decimals(step: float, places: int) -> None:
    assert places_for_step(step) == places


def test_numbers_use_the_decimal_comma_and_thousands_dot() -> None:
    assert format_number(31221, 0, Language.ID) == "31.221"
    assert format_number(2.6199, 2, Language.ID) == "2,62"
    assert format_percent(14, 0, Language.ID) == "14%"
    assert format_percent(2.62, 2, Language.EN) == "2.62%"
