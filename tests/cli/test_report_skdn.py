"""``tumbuh report skdn`` and ``tumbuh report coverage`` on a small register by hand."""

from tests.cli.conftest import RunCli
from tests.db.test_surveillance_builders import CIBEBER


def _rows(text: str) -> list[dict[str, str]]:
    lines = text.splitlines()
    header = lines[0].split(",")
    return [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]


def test_skdn_of_one_posyandu(run_cli: RunCli, register: str) -> None:
    result = run_cli(
        "report", "skdn", "--period", "2024-08", "--posyandu", f"{CIBEBER}.91", "--format", "csv"
    )
    assert result.exit_code == 0, result.stderr
    (row,) = _rows(result.stdout)
    # S: k1, k2 (both with a card); D: k1 (T), k2 (N), both weighed in July too.
    counts = {k: row[k] for k in ("s", "k", "d", "n", "d_aksen", "t", "2t", "o", "b", "bgm")}
    assert counts == {
        "s": "2",
        "k": "2",
        "d": "2",
        "n": "1",
        "d_aksen": "2",
        "t": "1",
        "2t": "0",
        "o": "0",
        "b": "0",
        "bgm": "0",
    }
    assert (row["persen_k_s"], row["persen_d_s"], row["persen_n_d"]) == ("100.0", "100.0", "50.0")
    assert row["persen_n_d_aksen"] == "50.0"


def test_skdn_of_the_city_shows_the_kelurahan_target(run_cli: RunCli, register: str) -> None:
    run_cli("target", "population", "--kelurahan", CIBEBER, "--year", "2024", "--balita", "4")
    result = run_cli("report", "skdn", "--period", "2024-08", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = _rows(result.stdout)
    assert (rows[0]["kode"], rows[0]["s"], rows[0]["d"]) == ("36.72", "4", "3")
    cibeber = next(r for r in rows if r["kode"] == CIBEBER)
    assert (cibeber["sasaran_dinkes"], cibeber["persen_d_sasaran"]) == ("4", "50.0")
    table = run_cli("report", "skdn", "--period", "2024-08", "--area", CIBEBER)
    assert "SKDN posyandu, 2024-08" in table.stdout


def test_skdn_is_monthly(run_cli: RunCli, register: str) -> None:
    result = run_cli("report", "skdn", "--period", "2024-S2")
    assert result.exit_code == 1
    assert "SKDN dihitung per bulan" in " ".join(result.stderr.split())


def test_coverage_against_the_target(run_cli: RunCli, register: str) -> None:
    run_cli("target", "population", "--kelurahan", CIBEBER, "--year", "2024", "--balita", "4")
    result = run_cli("report", "coverage", "--period", "2024-08", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    cibeber = next(r for r in _rows(result.stdout) if r["kode"] == CIBEBER)
    assert (cibeber["sasaran"], cibeber["terdaftar"], cibeber["ditimbang"]) == ("4", "2", "2")
    assert (cibeber["diukur"], cibeber["persen_ditimbang"], cibeber["persen_diukur"]) == (
        "2",
        "50.0",
        "50.0",
    )
    table = run_cli("report", "coverage", "--period", "2024-08", "--by", "kecamatan")
    assert "Cakupan, 2024-08" in table.stdout
