"""The upload of a family (KRS) list on the families page (docs/krs-import.md), on the
demo city: a nutritionist's file with a bad row is refused whole, each problem named with
its row, column and value in Indonesian; a good one adds its family and says how many;
a TPK has no upload and is refused one."""

import csv
import io

from tests.web.conftest import SignedIn, nodes, text, texts

HEADER = ["Nomor KK", "Kode Kelurahan", "Alamat", "RT", "RW", "Sumber Air Minum Layak",
          "Jamban Layak", "Istri Usia < 20", "Istri Usia ≥ 35", "Jarak Kelahiran < 2 Tahun",
          "Anak > 3", "Tanggal Pendataan"]  # fmt: skip
KK = "3672019901240077"  # synthetic
NOT_AT_RISK = ["Ya", "Ya", "Tidak", "Tidak", "Tidak", "Tidak"]


def _file(*rows: list[str]) -> bytes:
    stream = io.StringIO()
    csv.writer(stream).writerows([HEADER, *rows])
    return stream.getvalue().encode()


def _kelurahan(client_page: str) -> str:
    options = nodes(client_page, "//select[@id='kelurahan']/option[@value!='']")
    return str(options[0].get("value")) if options else ""


def test_a_nutritionist_uploads_a_family_list_all_rows_or_none(signed_in: SignedIn) -> None:
    client, token = signed_in("gizi")
    page = client.get("/families").text
    assert nodes(page, "//form[@id='krs-import']")
    kelurahan = _kelurahan(page)
    assert kelurahan, "the nutritionist's puskesmas has kelurahan to choose"
    good = [KK, kelurahan, "Jl. Uji 1", "1", "2", *NOT_AT_RISK, "2024-06-30"]
    bad = ["3672019901240078", kelurahan, "", "", "", "Mungkin", *NOT_AT_RISK[1:], "2024-06-30"]
    refused = client.post(
        "/families/import",
        data={"csrf_token": token},
        files={"file": ("keluarga.csv", _file(good, bad), "text/csv")},
    )
    assert refused.status_code == 422
    problems = texts(refused.text, "//*[@id='krs-import-errors']//li")
    assert len(problems) == 1
    assert problems[0].startswith("3, Sumber Air Minum Layak: ")
    assert "Mungkin" in problems[0]
    saved = client.post(
        "/families/import",
        data={"csrf_token": token},
        files={"file": ("keluarga.csv", _file(good), "text/csv")},
    )
    assert saved.status_code == 200  # followed to the list
    assert text(saved.text, "//*[@id='families-imported']") == (
        "Keluarga ditambahkan: 1; keluarga diperbarui: 0."
    )


def test_a_tpk_has_no_upload(signed_in: SignedIn) -> None:
    client, token = signed_in("tpk")
    assert nodes(client.get("/families").text, "//form[@id='krs-import']") == []
    files = {"file": ("keluarga.csv", _file(), "text/csv")}
    answer = client.post("/families/import", data={"csrf_token": token}, files=files)
    assert answer.status_code == 403
