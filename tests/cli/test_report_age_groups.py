"""``--age-group`` on ``tumbuh report trend``, ``flows`` and ``coverage``: baduta (0-23
completed months) and balita 24-59 months beside the total, split by the one rule of
:func:`tumbuh.db.prevalence.in_age`. On the demo city the two groups add up to every
count of the total (docs/domain.md §12: Feb 2024 876 of 30,485, Aug 2024 818 of 31,221);
on the small register (four girls 25 and 31 months old) every child is 24-59."""

import pytest

from tests.cli.conftest import RunCli

AGES = ("baduta", "24-59", "all")


def _csv(run_cli: RunCli, *args: str) -> list[list[str]]:
    result = run_cli("report", *args, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return [line.split(",") for line in result.stdout.splitlines()[1:]]


def _by_age(run_cli: RunCli, *args: str) -> dict[str, list[list[str]]]:
    return {age: _csv(run_cli, *args, "--age-group", age) for age in AGES}


def _add_up(rows: dict[str, list[list[str]]], columns: range) -> None:
    """Every count of every row: baduta + 24-59 = all."""
    assert len(rows["baduta"]) == len(rows["24-59"]) == len(rows["all"])
    for young, old, total in zip(rows["baduta"], rows["24-59"], rows["all"], strict=True):
        assert young[0] == old[0] == total[0]  # the same period or area
        for column in columns:
            assert int(young[column]) + int(old[column]) == int(total[column]), column


def test_a_trend_by_age_group_leaves_out_the_targets_of_all_balita(
    run_cli: RunCli, register: str
) -> None:
    target = ("target", "prevalence", "--area", "36.72", "--year", "2024", "--percent", "2,5")
    assert run_cli(*target, "--scale", "register").exit_code == 0  # a register-scale target
    rows = _by_age(run_cli, "trend")
    assert [row[:3] for row in rows["all"]] == [["2024-02", "3", "2"], ["2024-08", "3", "2"]]
    assert rows["24-59"][0][:3] == ["2024-02", "3", "2"]  # 25 and 31 months old
    assert [row[:3] for row in rows["baduta"]] == [["2024-02", "0", "0"], ["2024-08", "0", "0"]]
    assert rows["all"][0][-2:] == ["2.5", ""]  # the national 14 % is survey-scale: not here
    assert rows["24-59"][0][-2:] == ["", ""]  # a target of all balita is not an age group's
    table = run_cli("report", "trend", "--age-group", "24-59")
    assert "Tren stunting (TB/U < -2): Kota Cilegon (36.72), Balita 24–59 bulan" in " ".join(
        table.stdout.split()
    )


def test_flows_and_coverage_of_the_small_register_are_all_24_59(
    run_cli: RunCli, register: str
) -> None:
    flows = _by_age(run_cli, "flows", "--from", "2024-02", "--to", "2024-08")
    assert flows["24-59"] == flows["all"]
    assert all(value == "0" for value in flows["baduta"][0][2:])
    cover = _by_age(run_cli, "coverage", "--period", "2024-08", "--by", "kecamatan")
    assert [row[3:6] for row in cover["24-59"]] == [row[3:6] for row in cover["all"]]
    assert cover["24-59"][0][2] == ""  # no target S for an age group


@pytest.mark.slow
def test_the_trend_of_the_age_groups_adds_up_to_the_published_rounds(
    run_cli: RunCli, demo_city: str
) -> None:
    rows = _by_age(run_cli, "trend", "--from", "2024-02", "--to", "2024-08")
    assert [row[:3] for row in rows["all"]] == [
        ["2024-02", "30485", "876"],
        ["2024-08", "31221", "818"],
    ]
    _add_up(rows, range(1, 3))
    assert int(rows["baduta"][1][1]) > 10_000  # both groups are well filled
    assert int(rows["24-59"][1][1]) > 10_000


@pytest.mark.slow
def test_the_flows_of_the_age_groups_add_up_to_those_of_all_balita(
    run_cli: RunCli, demo_city: str
) -> None:
    rows = _by_age(run_cli, "flows", "--from", "2024-02", "--to", "2024-08", "--by", "kecamatan")
    assert rows["all"][0][-2:] == ["31221", "818"]
    _add_up(rows, range(2, 16))
    assert rows["baduta"][0][10] == "0"  # a baduta never ages out of the balita


@pytest.mark.slow
@pytest.mark.parametrize("period", ["2024-08", "2024"])
def test_the_coverage_of_the_age_groups_adds_up_to_the_total(
    run_cli: RunCli, demo_city: str, period: str
) -> None:
    rows = _by_age(run_cli, "coverage", "--period", period, "--by", "kecamatan")
    _add_up(rows, range(3, 6))  # registered, weighed, measured
    if period == "2024-08":
        assert rows["all"][0][5] == "31221"


def test_the_skdn_of_the_small_register_is_all_24_59(run_cli: RunCli, register: str) -> None:
    rows = _by_age(run_cli, "skdn", "--period", "2024-08")
    assert [row[3:13] for row in rows["24-59"]] == [row[3:13] for row in rows["all"]]
    assert all(value == "0" for row in rows["baduta"] for value in row[3:13])
    assert all(row[13] == "" for row in rows["24-59"])  # the Dinkes target is of all balita


@pytest.mark.slow
def test_the_skdn_of_the_age_groups_adds_up_to_the_total(run_cli: RunCli, demo_city: str) -> None:
    rows = _by_age(run_cli, "skdn", "--period", "2024-08", "--area", "36.72.01")
    _add_up(rows, range(3, 13))  # S, K, D, N, D', T, 2T, O, B, BGM
    assert int(rows["baduta"][0][5]) > 100  # both groups are weighed
    assert int(rows["24-59"][0][5]) > 100
