"""``tumbuh asuh``: sponsors, a pledge, payments and disbursements (one over the balance
refused, naming the option, the amount and the balance), the summary, the month's Baznas
statement written to .xlsx and read back, and a sponsor's account."""

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.conftest import CliResult, RunCli, invoke

KELURAHAN = "36.72.01.1001"  # Cibeber


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _rows(table: str) -> list[list[str]]:
    """The cells of each body row of a Rich table."""
    return [
        [cell.strip() for cell in line.strip().strip("│").split("│")]
        for line in table.splitlines()
        if line.strip().startswith("│")
    ]


def _ready(run_cli: RunCli) -> None:
    assert run_cli("db", "upgrade").exit_code == 0
    for args in (
        (
            "add-sponsor",
            "Kepala Dinas Uji",
            "--kind",
            "official",
            "--institution",
            "Dinas Uji",
            "--public",
        ),
        ("add-sponsor", "PT Baja Uji", "--kind", "company", "--institution", "CSR PT Baja Uji"),
        ("pledge", "1", "--amount", "3.000.000", "--months", "3", "--start", "2023-11"),
        ("payment", "1", "--amount", "3000000", "--reference", "BZN-001", "--on", "2023-11-10"),
        (
            "payment",
            "2",
            "--amount",
            "Rp 10.000.000",
            "--reference",
            "BZN-002",
            "--on",
            "2023-11-20",
        ),
    ):
        done = run_cli("asuh", *args)
        assert done.exit_code == 0, done.stderr


def test_money_goes_in_and_out_and_the_statement_reads_back(
    run_cli: RunCli, database: str, tmp_path: Path
) -> None:
    _ready(run_cli)
    paid = run_cli(
        "asuh", "disburse", "--kelurahan", KELURAHAN, "--amount", "7500000", "--proposal",
        "PROP-CBR-01", "--kitchen", "Dapur Umum PKK Cibeber", "--on", "2023-11-27",
    )  # fmt: skip
    assert paid.exit_code == 0, paid.stderr
    assert "Penyaluran 1 dicatat." in paid.stdout
    listed = _rows(run_cli("asuh", "sponsors").stdout)
    assert [row[0] for row in listed] == ["1", "2"]
    assert [row[4:] for row in listed] == [
        ["9.000.000", "3.000.000", "3.000.000", "0", "ya"],
        ["0", "10.000.000", "4.500.000", "5.500.000", "tidak"],
    ]
    months = _rows(run_cli("asuh", "summary", "--by", "month").stdout)
    assert months[0] == ["2023-11", "3.000.000", "13.000.000", "7.500.000"]
    target = tmp_path / "baznas-2023-11.xlsx"
    written = run_cli("asuh", "statement", "--month", "2023-11", "-o", str(target))
    assert written.exit_code == 0, written.stderr
    book = load_workbook(target)
    assert book.sheetnames == ["Per bapak asuh", "Per kelurahan", "Diterima", "Disalurkan"]
    sponsors = list(book["Per bapak asuh"].iter_rows(values_only=True))
    assert sponsors[0] == (
        "Bapak asuh", "OPD atau lembaga", "Saldo awal (Rp)", "Diterima (Rp)", "Disalurkan (Rp)",
        "Saldo akhir (Rp)",
    )  # fmt: skip
    assert sponsors[1:] == [
        ("Kepala Dinas Uji", "Dinas Uji", 0, 3_000_000, 3_000_000, 0),
        ("PT Baja Uji", "CSR PT Baja Uji", 0, 10_000_000, 4_500_000, 5_500_000),
        ("Jumlah", None, 0, 13_000_000, 7_500_000, 5_500_000),
    ]
    kelurahan = list(book["Per kelurahan"].iter_rows(values_only=True))
    assert kelurahan[1:] == [
        ("Cibeber", 1, 7_500_000, 7_500_000),
        ("Jumlah", 1, 7_500_000, 7_500_000),
    ]
    out = list(book["Disalurkan"].iter_rows(values_only=True))
    assert out[1] == (
        "2023-11-27", "Cibeber", "PROP-CBR-01", "Dapur (dapur umum)", "Dapur Umum PKK Cibeber",
        7_500_000,
    )  # fmt: skip
    december = _rows(run_cli("asuh", "statement", "--month", "2023-12").stdout)
    assert december[-1] == ["Jumlah", "5.500.000", "0", "0", "5.500.000"]


def test_a_disbursement_over_the_balance_is_refused_naming_the_option(
    run_cli: RunCli, database: str
) -> None:
    _ready(run_cli)
    refused = run_cli(
        "asuh", "disburse", "--kelurahan", KELURAHAN, "--amount", "7500000", "--proposal", "P-1",
        "--kitchen", "Dapur", "--on", "2023-11-15",
    )  # fmt: skip
    assert refused.exit_code == 1
    assert (
        "--amount (Jumlah (Rp): penyaluran Rp 7.500.000 pada 15/11/2023 melebihi saldo "
        "Rp 3.000.000, yaitu uang yang diterima Baznas sampai hari itu dan belum disalurkan."
    ) in _squeezed(refused.stderr)
    typo = run_cli(
        "asuh", "disburse", "--kelurahan", "36.72.99.9999", "--amount", "7,5 juta", "--proposal",
        "P-1", "--recipient", "family",
    )  # fmt: skip
    assert typo.exit_code == 1
    assert "--amount (Jumlah (Rp): '7,5 juta' bukan jumlah rupiah yang bulat" in _squeezed(
        typo.stderr
    )
    again = run_cli("asuh", "payment", "2", "--amount", "5", "--reference", "BZN-001")
    assert "--reference (Nomor bukti terima: penerimaan dengan nomor 'BZN-001' sudah tercatat" in (
        _squeezed(again.stderr)
    )
    nowhere = run_cli(
        "asuh", "disburse", "--kelurahan", "36.72.99.9999", "--amount", "5", "--proposal", "P-2",
        "--recipient", "family", "--on", "2023-11-30",
    )  # fmt: skip
    assert "--kelurahan (Kelurahan: '36.72.99.9999' bukan kelurahan di kota ini" in _squeezed(
        nowhere.stderr
    )


def test_a_sponsors_account_names_its_sponsor(
    run_cli: RunCli,
    database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _ready(run_cli)

    def add(*options: str) -> CliResult:
        args = ("user", "add", "pak.kadis", "--role", "sponsor", *options, "--password-stdin")
        return invoke(monkeypatch, capsys, *args, stdin="sandi-bapak-asuh-1\n")

    missing = add()
    assert missing.exit_code == 1
    assert "--sponsor: akun bapak asuh milik satu bapak asuh" in missing.stderr
    assert add("--sponsor", "99").exit_code == 1
    added = add("--sponsor", "1")
    assert added.exit_code == 0, added.stderr
    assert "pak.kadis" in run_cli("user", "list").stdout
