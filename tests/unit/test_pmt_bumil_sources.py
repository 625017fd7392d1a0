"""The rules that read e-PPGBM's file of pregnant women with KEK: status words, the exit
judged by the LiLA at the end (23.5 cm or more is recovered: Kemenkes' KEK threshold),
the pregnancy that holds a start day, and the end of an episode without one."""

from datetime import date

import pytest

from tumbuh.growth.pmt import EpisodeExit
from tumbuh.growth.pmt_bumil_sources import (
    BumilFileStatus,
    FileExit,
    PregnancySpan,
    bumil_file_end,
    bumil_file_exit,
    pregnancy_at,
    status_from_text,
)

S = BumilFileStatus


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (None, S.RUNNING),
        (" - ", S.RUNNING),
        ("Selesai", S.COMPLETED),
        ("PULIH", S.RECOVERED),
        ("Tidak  Pulih", S.NOT_RECOVERED),
        ("belum pulih", S.NOT_RECOVERED),
        ("Drop-Out", S.DROPPED_OUT),
        ("D.O.", S.DROPPED_OUT),
        ("Pindah", S.MOVED),
        ("dirujuk", S.REFERRED),
        ("meninggal", None),
    ],
)
def test_status_words_are_read(text: str | None, status: BumilFileStatus | None) -> None:
    assert status_from_text(text) is status


@pytest.mark.parametrize(
    ("status", "muac", "expected"),
    [
        (S.RUNNING, 24.0, FileExit(None)),
        (S.COMPLETED, 23.5, FileExit(EpisodeExit.RECOVERED)),  # 23.5 itself is not KEK
        (S.COMPLETED, 23.4, FileExit(EpisodeExit.NOT_RECOVERED)),
        (S.COMPLETED, None, FileExit(None)),  # nothing to judge by
        (S.RECOVERED, None, FileExit(EpisodeExit.RECOVERED)),  # the file's word, alone
        (S.RECOVERED, 22.0, FileExit(EpisodeExit.NOT_RECOVERED, overruled=True)),
        (S.NOT_RECOVERED, 23.9, FileExit(EpisodeExit.RECOVERED, overruled=True)),
        (S.NOT_RECOVERED, 23.0, FileExit(EpisodeExit.NOT_RECOVERED)),
        (S.DROPPED_OUT, 24.0, FileExit(EpisodeExit.DROPPED_OUT)),
        (S.MOVED, None, FileExit(EpisodeExit.MOVED)),
        (S.REFERRED, None, FileExit(EpisodeExit.REFERRED)),
    ],
)
def test_the_exit_is_judged_by_the_end_lila(
    status: BumilFileStatus, muac: float | None, expected: FileExit
) -> None:
    assert bumil_file_exit(status, muac) == expected


def test_the_pregnancy_holding_the_start_is_found() -> None:
    first = PregnancySpan(1, date(2022, 1, 10), None, None, date(2022, 10, 15))
    second = PregnancySpan(2, None, date(2024, 5, 20), date(2024, 5, 1), None)  # K1 first
    undated = PregnancySpan(3, None, None, None, date(2023, 6, 1))
    both = [first, second]
    assert pregnancy_at(date(2022, 3, 1), both) == 1
    assert pregnancy_at(date(2022, 10, 15), both) is None  # the day it ended
    assert pregnancy_at(date(2024, 5, 19), both) is None  # before K1
    assert pregnancy_at(date(2024, 5, 20), both) == 2
    assert pregnancy_at(date(2023, 5, 1), [*both, undated]) == 3  # no begin known
    assert pregnancy_at(date(2024, 6, 1), [*both, undated]) == 2


def test_an_episode_without_an_end_ends_on_its_last_day_once_past() -> None:
    start = date(2024, 6, 1)
    # 120 days from 1 June (day 1) end on 28 September; HPL 1 August ends it on 31 July.
    assert bumil_file_end(
        started_on=start, planned_days=120, ended_on=None, due_or_born=None, today=date(2024, 9, 29)
    ) == date(2024, 9, 28)
    assert (
        bumil_file_end(
            started_on=start,
            planned_days=120,
            ended_on=None,
            due_or_born=None,
            today=date(2024, 9, 28),
        )
        is None
    )
    assert bumil_file_end(
        started_on=start,
        planned_days=120,
        ended_on=None,
        due_or_born=date(2024, 8, 1),
        today=date(2024, 9, 1),
    ) == date(2024, 7, 31)
    assert bumil_file_end(
        started_on=start,
        planned_days=120,
        ended_on=date(2024, 7, 1),
        due_or_born=None,
        today=date(2024, 9, 1),
    ) == date(2024, 7, 1)
