"""``tumbuh report prevalence --age-group``: baduta (0-23) and balita 24-59 completed
months beside the total; the two groups add up to the published figures of the demo city
(docs/domain.md §12: Feb 2024 876 of 30,485, Aug 2024 818 of 31,221)."""

import pytest

from tests.cli.conftest import RunCli


def _city(csv: str) -> list[str]:
    return csv.splitlines()[1].split(",")


def test_the_small_register_has_no_baduta_in_august(run_cli: RunCli, register: str) -> None:
    # tests/db/test_surveillance_builders.small_register: four girls born 1 Jan 2022, 31
    # completed months on 5 Aug 2024; k1 and k4 stunted, k2 not, k3 not measured.
    baduta = run_cli("report", "prevalence", "--period", "2024-08", "--age-group", "baduta")
    assert baduta.exit_code == 0, baduta.stderr
    assert "Prevalensi stunting, 2024-08, Baduta (0–23 bulan)" in baduta.stdout
    rows = {
        age: _city(
            run_cli(
                "report", "prevalence", "--period", "2024-08", "--age-group", age, "--format", "csv"
            ).stdout
        )[2:4]
        for age in ("baduta", "24-59", "all")
    }
    assert rows == {"baduta": ["0", "0"], "24-59": ["3", "2"], "all": ["3", "2"]}


def test_an_unknown_age_group_is_refused(run_cli: RunCli, register: str) -> None:
    result = run_cli("report", "prevalence", "--period", "2024-08", "--age-group", "0-59")
    assert result.exit_code == 2
    assert "baduta" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("period", "measured", "stunted"), [("2024-02", 30_485, 876), ("2024-08", 31_221, 818)]
)
def test_the_age_groups_add_up_to_the_published_rounds(
    run_cli: RunCli, demo_city: str, period: str, measured: int, stunted: int
) -> None:
    cities = {}
    for age in ("baduta", "24-59", "all"):
        result = run_cli(
            "report", "prevalence", "--period", period, "--age-group", age, "--format", "csv"
        )
        assert result.exit_code == 0, result.stderr
        cities[age] = _city(result.stdout)
    assert cities["all"][2:4] == [str(measured), str(stunted)]
    assert int(cities["baduta"][2]) + int(cities["24-59"][2]) == measured
    assert int(cities["baduta"][3]) + int(cities["24-59"][3]) == stunted
    assert int(cities["baduta"][2]) > 0
    assert int(cities["24-59"][2]) > 0
