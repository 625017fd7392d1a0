"""``tumbuh demo generate``: a small city, its report, and the --replace rule."""

from tests.cli.conftest import RunCli


def test_generate_builds_a_city_and_reports_the_calibrated_rounds(
    run_cli: RunCli, database: str
) -> None:
    result = run_cli("demo", "generate", "--seed", "4", "--scale", "0.02")
    assert result.exit_code == 0, result.stderr
    assert "Kota demo (seed 4)" in result.stdout
    # August 2024 at scale 0.02: round(31,221 x 0.02) = 624 measured, round(818 x 0.02) = 16.
    assert "2024-08" in result.stdout
    assert "16 / 624" in result.stdout
    assert "Kesalahan yang ditanam: berat ditulis dalam gram" in result.stdout
    assert "Dapur PMT" in result.stdout
    assert "Porsi PMT yang dibagikan" in result.stdout
    assert "PMT lokal dibuat dalam" in result.stdout


def test_generate_refuses_a_database_with_children_unless_replace(
    run_cli: RunCli, database: str
) -> None:
    assert run_cli("demo", "generate", "--scale", "0.02").exit_code == 0
    refused = run_cli("demo", "generate", "--scale", "0.02")
    assert refused.exit_code == 1
    assert "--replace" in " ".join(refused.stderr.split())
    replaced = run_cli("demo", "generate", "--scale", "0.02", "--seed", "2", "--replace")
    assert replaced.exit_code == 0, replaced.stderr


def test_a_rate_outside_zero_to_one_is_refused(run_cli: RunCli, database: str) -> None:
    result = run_cli("demo", "generate", "--scale", "0.02", "--weight-in-grams-rate", "5")
    assert result.exit_code == 1
    assert "--weight-in-grams-rate: 5.0 bukan proporsi" in " ".join(result.stderr.split())
