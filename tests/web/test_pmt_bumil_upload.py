"""The upload of e-PPGBM's file of pregnant women with KEK on their PMT list (docs/pmt.md),
on the demo city: a nutritionist's file whose mother is not in the register is refused
whole, the problem named by row and column in Indonesian without the NIK; a bidan (who
does not import) has no upload and is refused one."""

import csv
import io

from tests.web.conftest import SignedIn, nodes, texts

HEADER = ["NIK Ibu", "Nama Ibu", "Kode Kelurahan", "Tanggal Mulai PMT", "Tanggal Selesai PMT",
          "LiLA Awal", "LiLA Akhir", "Keterangan"]  # fmt: skip
UNKNOWN_NIK = "3672019999990001"  # synthetic, in no demo record


def _file(*rows: list[str]) -> bytes:
    stream = io.StringIO()
    csv.writer(stream).writerows([HEADER, *rows])
    return stream.getvalue().encode()


def test_a_file_with_an_unknown_mother_is_refused_without_her_nik(signed_in: SignedIn) -> None:
    client, token = signed_in("gizi")
    page = client.get("/pmt/eligible/bumil").text
    assert nodes(page, "//form[@id='bumil-import']")
    row = [UNKNOWN_NIK, "Ibu Uji", "36.72.01.1001", "2024-03-01", "2024-06-28", "22.1", "23.9",
           "Selesai"]  # fmt: skip
    files = {"file": ("pmt-bumil.csv", _file(row), "text/csv")}
    refused = client.post("/pmt/bumil/import", data={"csrf_token": token}, files=files)
    assert refused.status_code == 422
    problems = texts(refused.text, "//*[@id='enrol-errors']/li")
    assert problems
    assert problems[0].startswith("2, NIK Ibu: ")
    assert UNKNOWN_NIK not in refused.text


def test_a_bidan_has_no_upload(signed_in: SignedIn) -> None:
    client, token = signed_in("bidan")
    assert nodes(client.get("/pmt/eligible/bumil").text, "//form[@id='bumil-import']") == []
    files = {"file": ("pmt-bumil.csv", _file(), "text/csv")}
    answer = client.post("/pmt/bumil/import", data={"csrf_token": token}, files=files)
    assert answer.status_code == 403
