"""``tumbuh report trend`` on a small register worked out by hand."""

from tests.cli.conftest import RunCli


def test_the_city_trend_as_csv_has_one_line_per_bulan_timbang(
    run_cli: RunCli, register: str
) -> None:
    result = run_cli("report", "trend", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("periode,diukur,kasus,persen,batas_bawah,batas_atas,perubahan_poin")
    # 2 of 3 in both rounds; Wilson by hand: (2/3 + z^2/6) / (1 + z^2/3) = 0.573084,
    # half-width 0.365423: 20.77-93.85 %. No change, so no direction but "unclear".
    # the national 14 % of 2024 is on the survey scale: not in a register row
    assert lines[1] == "2024-02,3,2,66.67,20.77,93.85,,,,,,"
    assert lines[2].startswith("2024-08,3,2,66.67,20.77,93.85,0.00,")
    assert lines[2].endswith(",unclear,,")


def test_a_kecamatan_trend_counts_only_its_children(run_cli: RunCli, register: str) -> None:
    result = run_cli("report", "trend", "--area", "36.72.02", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = [line.split(",")[:3] for line in result.stdout.splitlines()[1:]]
    assert rows == [["2024-02", "1", "1"], ["2024-08", "1", "1"]]  # k3, then k4


def test_survey_scale_targets_are_listed_apart_from_the_register(
    run_cli: RunCli, register: str
) -> None:
    run_cli("target", "prevalence", "--area", "36.72", "--year", "2024", "--percent", "9,5")
    result = run_cli("report", "trend")
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Tren stunting (TB/U < -2): Kota Cilegon (36.72)" in text
    assert "ketidakpastian" in text  # the direction of the change, "dalam batas ketidakpastian"
    assert "Target berada pada skala survei (SSGI/SKI) sehingga tidak dibandingkan" in text
    assert "Target pada skala survei (bandingkan dengan angka survei)" in text
    line = next(row for row in result.stdout.splitlines() if "2024-08" in row)
    assert "9,5" not in line  # the city's target (survey scale by default) is not beside it
    targets = result.stdout[result.stdout.index("Target pada skala survei") :]
    rows = [" ".join(r.split("│")[1:-1]).split() for r in targets.splitlines() if "│" in r]
    assert ["2024", "Target", "daerah", "9,5"] in [r[:4] for r in rows]
    assert ["2024", "Target", "nasional", "14,0"] in [r[:4] for r in rows]


def test_a_register_scale_target_stands_beside_the_register(run_cli: RunCli, register: str) -> None:
    result = run_cli(
        "target",
        "prevalence",
        "--area",
        "36.72",
        "--year",
        "2024",
        "--percent",
        "2,5",
        "--scale",
        "register",
    )
    assert result.exit_code == 0, result.stderr
    result = run_cli("report", "trend")
    line = next(row for row in result.stdout.splitlines() if "2024-08" in row)
    assert line.split("│")[-2].strip() == "2,5"
    csv = run_cli("report", "trend", "--format", "csv").stdout.splitlines()
    assert csv[2].endswith(",unclear,2.5,")


def test_an_unknown_scale_is_refused_in_indonesian(run_cli: RunCli, register: str) -> None:
    result = run_cli(
        "target",
        "prevalence",
        "--area",
        "36.72",
        "--year",
        "2024",
        "--percent",
        "9",
        "--scale",
        "ssgi",
    )
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "--scale: 'ssgi' bukan skala yang dikenal; isi survey (survei SSGI/SKI)" in message


def test_an_unknown_area_is_refused_with_what_to_give(run_cli: RunCli, register: str) -> None:
    result = run_cli("report", "trend", "--area", "36.99")
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "--area: '36.99' bukan wilayah 36.72" in message


def test_an_unreadable_period_is_refused(run_cli: RunCli, register: str) -> None:
    result = run_cli("report", "trend", "--from", "Feb 2024")
    assert result.exit_code == 1
    assert "--from: 'Feb 2024' bukan periode" in " ".join(result.stderr.split())
