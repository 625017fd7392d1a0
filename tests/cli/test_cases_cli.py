"""``tumbuh cases``: opening the month's cases, the register (masked), one case, and each
step, with errors that name the option or field."""

from pathlib import Path

from openpyxl import load_workbook

from tests.cli.conftest import RunCli


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def test_open_then_list_then_walk_a_case(run_cli: RunCli, register: str) -> None:
    opened = run_cli("cases", "open", "--month", "2024-08")
    assert opened.exit_code == 0, opened.stderr
    # k1 and k4 are stunted in August 2024 (tests/cli/test_report_referrals.py).
    assert "2024-08: 2 kasus dibuka; 0 sudah terbuka" in _squeezed(opened.stdout)
    again = run_cli("cases", "open", "--month", "2024-08")
    assert "0 kasus dibuka; 2 sudah terbuka" in _squeezed(again.stdout)
    listed = run_cli("cases", "list")
    assert listed.exit_code == 0, listed.stderr
    assert "Kasus: 2" in listed.stdout
    assert "Anak 20220101" not in listed.stdout  # masked without --unmask
    assert "3672************" in listed.stdout
    referred = run_cli("cases", "refer", "1", "--to", "Puskesmas Uji", "--on", "2024-08-20")
    assert referred.exit_code == 0, referred.stderr
    assert "Kasus 1: Dirujuk dicatat." in referred.stdout
    examined = run_cli(
        "cases", "examine", "1", "--confirmed", "--given", "Konseling", "--on", "2024-08-27"
    )
    assert examined.exit_code == 0, examined.stderr
    shown = run_cli("cases", "show", "1", "--unmask")
    assert "Anak 20220101" in shown.stdout
    assert "Yang diberikan puskesmas: Konseling" in _squeezed(shown.stdout)


def test_a_step_out_of_order_names_what_is_accepted(run_cli: RunCli, register: str) -> None:
    run_cli("cases", "open", "--month", "2024-08")
    closed = run_cli("cases", "close", "1", "--outcome", "recovered", "--on", "2024-08-20")
    assert closed.exit_code == 1
    assert (
        "Hasil akhir: 'recovered' baru dapat dipilih sesudah pemeriksaan puskesmas; "
        "sebelumnya yang diterima: moved (Pindah), aged_out (Lewat usia balita (60 bulan)), "
        "died (Meninggal), refused (Menolak)"
    ) in _squeezed(closed.stderr)
    bad_day = run_cli("cases", "refer", "1", "--to", "Puskesmas", "--on", "20/08/2024")
    assert bad_day.exit_code == 1
    assert "--on: '20/08/2024' bukan tanggal" in bad_day.stderr
    missing = run_cli("cases", "show", "99")
    assert missing.exit_code == 1
    assert "kasus 99 tidak ada" in missing.stderr


def test_the_register_is_written_to_xlsx_masked_unless_asked(
    run_cli: RunCli, register: str, tmp_path: Path
) -> None:
    run_cli("cases", "open", "--month", "2024-08")
    target = tmp_path / "kasus.xlsx"
    written = run_cli("cases", "list", "-o", str(target))
    assert written.exit_code == 0, written.stderr
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Kasus", "Posyandu", "Nama", "NIK")
    assert len(rows) == 3  # k1 and k4
    assert {r[3] for r in rows[1:]} <= {"3672************", None}  # the kota digits only
    assert {r[5] for r in rows[1:]} == {None}  # no birth date
    full = run_cli("cases", "list", "-o", str(target), "--unmask")
    assert full.exit_code == 0, full.stderr
    unmasked = list(load_workbook(target).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert all(str(r[2]).startswith("Anak ") for r in unmasked[1:])
    wrong = run_cli("cases", "list", "-o", str(tmp_path / "kasus.csv"))
    assert wrong.exit_code == 1
    assert "berakhiran .xlsx" in wrong.stderr
