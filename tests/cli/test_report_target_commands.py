"""``tumbuh target ...``: entering and listing the reference figures."""

import pytest

from tests.cli.conftest import RunCli


@pytest.fixture(name="register")
def wide_register(register: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The shared register (tests/cli/conftest.py), with a wide terminal."""
    monkeypatch.setenv("COLUMNS", "250")
    return register


def test_figures_are_saved_replaced_and_listed(run_cli: RunCli, register: str) -> None:
    first = run_cli(
        "target", "population", "--kelurahan", "36.72.01.1001", "--year", "2024", "--balita", "850"
    )
    again = run_cli(
        "target",
        "population",
        "--kelurahan",
        "36.72.01.1001",
        "--year",
        "2024",
        "--balita",
        "870",
        "--source",
        "SK Dinkes 2024",
    )
    assert (first.exit_code, first.stdout.strip()) == (0, "Angka tersimpan.")
    assert again.stdout.strip() == "Angka tersimpan; menggantikan nilai sebelumnya."
    survey = run_cli(
        "target",
        "survey",
        "--area",
        "36.72",
        "--year",
        "2022",
        "--survey",
        "SSGI",
        "--percent",
        "19,1",
        "--low",
        "16.5",
        "--high",
        "22.0",
        "--source",
        "SSGI",
    )
    assert survey.exit_code == 0, survey.stderr
    local = run_cli(
        "target",
        "prevalence",
        "--area",
        "36.72",
        "--year",
        "2023",
        "--indicator",
        "stunting",
        "--percent",
        "9",
    )
    assert local.exit_code == 0, local.stderr
    listing = run_cli("target", "list")
    assert listing.exit_code == 0, listing.stderr
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in listing.stdout.splitlines()]
    assert ["2024", "36.72.01.1001", "Cibeber", "870", "SK Dinkes 2024"] in rows
    # a target entered without --scale is on the survey scale (the documented default)
    assert [
        "2023",
        "36.72",
        "Kota Cilegon",
        "stunting",
        "9,0",
        "skala survei (SSGI/SKI)",
        "",
    ] in rows
    assert [
        "2022",
        "36.72",
        "Kota Cilegon",
        "SSGI",
        "stunting",
        "19,1",
        "16,5–22,0",
        "SSGI",
    ] in rows


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ("population", "--kelurahan", "36.72.01", "--year", "2024", "--balita", "5"),
            "36.72.01 adalah kecamatan, bukan kelurahan",
        ),
        (
            ("prevalence", "--area", "36.72", "--year", "2024", "--percent", "sembilan"),
            "--percent: 'sembilan' bukan angka; tulis seperti 19.1 atau 19,1",
        ),
        (
            (
                "survey",
                "--area",
                "36.72",
                "--year",
                "2022",
                "--survey",
                "SSGI",
                "--percent",
                "19.1",
                "--high",
                "18",
            ),
            "tidak memuat 19.1",
        ),
        (
            ("prevalence", "--area", "99", "--year", "2024", "--percent", "9"),
            "tidak ada wilayah dengan kode '99'",
        ),
    ],
)
def test_wrong_figures_are_refused_with_what_to_do(
    run_cli: RunCli, register: str, arguments: tuple[str, ...], message: str
) -> None:
    result = run_cli("target", *arguments)
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split())
