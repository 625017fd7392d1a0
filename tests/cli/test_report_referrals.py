"""``tumbuh report referrals``: reasons per child, with names and NIK masked by default."""

import pytest

from tests.cli.conftest import RunCli
from tests.db.test_surveillance_builders import CIBEBER


def test_the_list_masks_names_and_nik(run_cli: RunCli, register: str) -> None:
    result = run_cli("report", "referrals", "--period", "2024-08")
    assert result.exit_code == 0, result.stderr
    assert "3672************" in result.stdout
    assert "3672015501220001" not in result.stdout
    assert "Anak 20220101" not in result.stdout
    assert "Nama dan NIK disamarkan; --unmask menampilkannya." in " ".join(result.stdout.split())
    text = " ".join(result.stdout.split())
    assert "2 anak." in text  # k1 (stunted; its T is counselled) and k4 (stunted); k2 gained


def test_unmask_shows_them(run_cli: RunCli, register: str) -> None:
    result = run_cli("report", "referrals", "--period", "2024-08", "--unmask", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    assert [(r["posyandu"], r["nama"], r["nik"], r["alasan"]) for r in rows] == [
        (f"{CIBEBER}.91", "Anak 20220101", "3672015501220001", "stunted"),
        ("36.72.02.1001.91", "Anak 20220101", "", "stunted"),
    ]
    assert (rows[0]["bb_kg"], rows[0]["tb_cm"], rows[0]["naik_bb"]) == ("12.55", "80.0", "T")
    assert (rows[0]["tanggal_lahir"], rows[0]["umur_bulan"]) == ("2022-01-01", "31")


def test_one_posyandu(run_cli: RunCli, register: str) -> None:
    result = run_cli(
        "report",
        "referrals",
        "--period",
        "2024-08",
        "--posyandu",
        f"{CIBEBER}.91",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert ",A. 2.,3672************," in lines[1]  # masked in CSV too
    assert ",," in lines[1]  # no birth date without --unmask


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--period", "2024"), "'2024' bukan bulan; rujukan dibuat per bulan"),
        (("--period", "2024-08", "--posyandu", "999"), "tidak ada posyandu '999' di 36.72"),
        (
            ("--period", "2024-08", "--posyandu", "1", "--area", "36.72.01"),
            "berikan --posyandu atau --area saja",
        ),
    ],
)
def test_wrong_options_are_refused(
    run_cli: RunCli, register: str, options: tuple[str, ...], message: str
) -> None:
    result = run_cli("report", "referrals", *options)
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split())


def test_the_counselling_list_holds_the_single_t(run_cli: RunCli, register: str) -> None:
    result = run_cli(
        "report", "referrals", "--period", "2024-08", "--list", "counsel", "--format", "csv"
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    assert [(r["posyandu"], r["naik_bb"], r["alasan"]) for r in rows] == [
        (f"{CIBEBER}.91", "T", "T")
    ]
    assert rows[0]["nama"] != "Anak 20220101"  # masked
