"""``tumbuh report flows``: a small register by hand, and the demo city's published rounds."""

import pytest

from tests.cli.conftest import RunCli


def test_the_city_flows_by_hand(run_cli: RunCli, register: str) -> None:
    result = run_cli("report", "flows", "--from", "2024-02", "--to", "2024-08", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    header, city = result.stdout.splitlines()
    row = dict(zip(header.split(","), city.split(","), strict=True))
    # k1 still stunted, k2 never stunted, k3 no longer measured (stunted), k4 newly
    # measured (stunted): February 2 of 3, August 2 of 3.
    assert row == {
        "kode": "36.72",
        "nama": "Kota Cilegon",
        "diukur_awal": "3",
        "stunting_awal": "2",
        "tetap_stunting": "1",
        "baru_stunting": "0",
        "pulih": "0",
        "tidak_pernah_stunting": "1",
        "tidak_diukur_lagi": "1",
        "tidak_diukur_lagi_stunting": "1",
        "lewat_usia": "0",
        "lewat_usia_stunting": "0",
        "baru_diukur": "1",
        "baru_diukur_stunting": "1",
        "diukur_akhir": "3",
        "stunting_akhir": "2",
    }


def test_the_table_by_kecamatan(run_cli: RunCli, register: str) -> None:
    result = run_cli("report", "flows", "--from", "2024-02", "--to", "2024-08", "--by", "kecamatan")
    assert result.exit_code == 0, result.stderr
    assert "Alur stunting dari 2024-02 ke 2024-08" in result.stdout
    line = next(row for row in result.stdout.splitlines() if "36.72.02" in row)
    cells = [cell.strip() for cell in line.split("│")[1:-1]]
    assert cells[2] == "1 / 1"  # k3 in February
    assert cells[-1] == "1 / 1"  # k4 in August


def test_rounds_in_the_wrong_order_are_refused(run_cli: RunCli, register: str) -> None:
    result = run_cli("report", "flows", "--from", "2024-08", "--to", "2024-02")
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "--from 2024-08 harus berakhir sebelum --to 2024-02 dimulai" in message


@pytest.mark.slow
def test_on_the_demo_city_the_flows_rebuild_both_published_rounds(
    run_cli: RunCli, demo_city_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", demo_city_url)
    result = run_cli(
        "report",
        "flows",
        "--from",
        "2024-02",
        "--to",
        "2024-08",
        "--by",
        "kecamatan",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    city, kecamatan = rows[0], rows[1:]
    # February 2024: 876 of 30,485; August 2024: 818 of 31,221 (docs/domain.md §12).
    assert (city["diukur_awal"], city["stunting_awal"]) == ("30485", "876")
    assert (city["diukur_akhir"], city["stunting_akhir"]) == ("31221", "818")
    flows = header[4:14]
    for column in flows:
        assert sum(int(r[column]) for r in kecamatan) == int(city[column])
    flows_of_a_child = (
        "tetap_stunting",
        "baru_stunting",
        "pulih",
        "tidak_pernah_stunting",
        "tidak_diukur_lagi",
        "lewat_usia",
        "baru_diukur",
    )
    children = sum(int(city[c]) for c in flows_of_a_child)
    # Balanced: every child is in one flow, and both rounds are rebuilt from the flows.
    assert children == int(city["diukur_awal"]) + int(city["baru_diukur"])
    assert children == (
        int(city["diukur_akhir"]) + int(city["tidak_diukur_lagi"]) + int(city["lewat_usia"])
    )
