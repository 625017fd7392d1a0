"""Tumbuh's rules for the 8 aksi (the scorecard's points, the check of a status and date)
and for proposing the lokus kelurahan (rank by number and rate of stunted children; ties
to more KRS then lower coverage; small denominators not ranked by rate): docs/aksi.md."""

from datetime import date

import pytest

from tumbuh.aksi_labels import AKSI_NAMES, STATUS_NAMES
from tumbuh.growth.aksi import Aksi, aksi_points, aksi_score, check_aksi
from tumbuh.growth.lokus import (
    MIN_MEASURED,
    KelurahanFigures,
    competition_ranks,
    percent,
    rank_lokus,
)
from tumbuh.growth.tpps import ActionStatus
from tumbuh.i18n import Language, translations

DONE, DOING, PLANNED = ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.PLANNED


def test_the_aksi_are_numbered_as_the_juknis_numbers_them() -> None:
    assert [a.number for a in Aksi] == list(range(1, 9))
    assert Aksi.REMBUK.number == 3
    assert Aksi.PERFORMANCE_REVIEW.number == 8


def test_done_counts_one_in_progress_half_and_the_rest_nothing() -> None:
    assert [aksi_points(s) for s in ActionStatus] == [0.0, 0.5, 1.0, 0.0]
    assert aksi_points(None) == 0.0


def test_the_score_adds_the_points_of_the_eight_and_counts_missing_aksi_as_zero() -> None:
    assert aksi_score({}) == 0.0
    assert aksi_score(dict.fromkeys(Aksi, DONE)) == 8.0
    year = {Aksi.SITUATION_ANALYSIS: DONE, Aksi.REMBUK: DONE, Aksi.PERWAL: DOING}
    assert aksi_score({**year, Aksi.PERFORMANCE_REVIEW: PLANNED}) == 2.5


def test_a_done_aksi_needs_a_date_within_its_year_or_the_next_half_year() -> None:
    today = date(2025, 3, 1)
    assert check_aksi(DONE, date(2024, 7, 25), 2024, today) is None
    assert check_aksi(DONE, date(2025, 2, 10), 2024, today) is None  # reviu early next year
    assert check_aksi(PLANNED, None, 2024, today) is None
    missing = check_aksi(DONE, None, 2024, today)
    assert missing is not None
    assert missing.message == "a done aksi needs the date it was done"
    future = check_aksi(DOING, date(2025, 3, 2), 2025, today)
    assert future is not None
    assert future.values == {"value": "2025-03-02"}
    early = check_aksi(DONE, date(2023, 12, 31), 2024, today)
    assert early is not None
    assert early.values == {"value": "2023-12-31", "year": 2024, "next": 2025}


def test_every_aksi_and_status_has_an_indonesian_name() -> None:
    gettext = translations(Language.ID).gettext
    names = [*AKSI_NAMES.values(), *STATUS_NAMES.values()]
    assert set(AKSI_NAMES) == set(Aksi)
    assert set(STATUS_NAMES) == set(ActionStatus)
    assert all(gettext(name) != name for name in names)
    assert gettext(AKSI_NAMES[Aksi.REMBUK]) == "Rembuk Stunting"


def _kelurahan(
    code: str,
    stunted: int,
    measured: int,
    krs: int | None = 0,
    coverage: tuple[int, int] | None = (80, 100),
) -> KelurahanFigures:
    d, s = coverage if coverage else (None, None)
    return KelurahanFigures(code, f"K{code}", stunted, measured, krs, d, s)


def test_ranks_are_shared_by_equal_values_and_skip_after_them() -> None:
    assert competition_ranks([5.0, 9.0, 5.0, 1.0]) == [2, 1, 2, 4]


def test_the_rank_sum_of_number_and_rate_decides() -> None:
    many = _kelurahan("1", stunted=40, measured=1000)  # number 1, rate 4.0 % -> 3
    dense = _kelurahan("2", stunted=20, measured=100)  # number 2, rate 20 % -> 1
    small = _kelurahan("3", stunted=10, measured=100)  # number 3, rate 10 % -> 2
    ranked = rank_lokus([many, dense, small])
    assert [(r.figures.code, r.number_rank, r.rate_rank, r.score) for r in ranked] == [
        ("2", 2, 1, 3),
        ("1", 1, 3, 4),
        ("3", 3, 2, 5),
    ]
    assert [r.rank for r in ranked] == [1, 2, 3]


def test_a_rate_over_too_few_children_is_not_ranked() -> None:
    tiny = _kelurahan("1", stunted=3, measured=MIN_MEASURED - 1)  # 10.3 %, unranked rate
    steady = _kelurahan("2", stunted=3, measured=100)  # 3 %
    ranked = rank_lokus([tiny, steady])
    assert not tiny.rate_ranked
    assert steady.rate_ranked
    assert [(r.figures.code, r.rate_rank) for r in ranked] == [("2", 1), ("1", 2)]


def test_ties_go_to_more_krs_families_then_lower_coverage_then_code() -> None:
    fewer_krs = _kelurahan("1", 10, 100, krs=5)
    more_krs = _kelurahan("2", 10, 100, krs=9)
    well_covered = _kelurahan("3", 10, 100, krs=5, coverage=(95, 100))
    unknown_cover = _kelurahan("4", 10, 100, krs=5, coverage=None)
    ranked = rank_lokus([fewer_krs, more_krs, well_covered, unknown_cover])
    assert [r.figures.code for r in ranked] == ["2", "1", "3", "4"]


def test_figures_give_their_rates() -> None:
    figures = _kelurahan("1", stunted=7, measured=200, coverage=(150, 200))
    assert figures.stunted_percent == pytest.approx(3.5)
    assert figures.coverage_percent == pytest.approx(75.0)
    assert _kelurahan("2", 0, 0, coverage=None).stunted_percent is None
    assert percent(1, 0) is None
    assert percent(None, 5) is None


def test_no_kelurahan_gives_no_proposal() -> None:
    assert rank_lokus([]) == ()
