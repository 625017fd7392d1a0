"""Messy e-PPGBM files built in code: layouts A and B in every accepted format.

All names, NIKs and addresses are invented; NIKs follow the real structure (kode
wilayah 36.72.xx, DDMMYY with +40 for girls, sequence number) but belong to nobody.
"""

import csv
import html
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import xlsxwriter

from tests.unit.ingest.biff import xls_bytes

LAYOUT_A = [
    "NIK", "Nama", "JK", "Tgl Lahir", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov",
    "Kab/Kota", "Kec", "Pukesmas", "Desa/Kel", "Posyandu", "RT", "RW", "Alamat",
    "Usia Saat Ukur", "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur", "LiLA", "BB/U",
    "ZS BB/U", "TB/U", "ZS TB/U", "BB/TB", "ZS BB/TB", "Naik Berat Badan",
    "PMT Diterima (kg)", "Jml Vit A", "KPSP", "KIA",
]  # fmt: skip
LAYOUT_B = [
    "Nama Anak", "Jenis Kelamin", "Tanggal Lahir", "NIK", "Nomor KK", "Anak Ke",
    "Nama Orang Tua (Ibu/Ayah)", "NIK Orang Tua", "No HP Orang Tua", "Alamat", "RT",
    "Kecamatan", "Puskesmas", "Kelurahan", "Posyandu", "Usia Kehamilan (minggu)",
    "Berat Lahir - Sasaran (kg)", "Panjang Lahir - Sasaran (cm)",
    "Lingkar Kepala Lahir (cm)", "IMD", "Tanggal Pengukuran", "Berat (kg)", "Tinggi (cm)",
    "Cara Ukur", "LiLA (cm)", "ZS BB/U", "ZS TB/U", "ZS BB/TB", "Naik Berat Badan",
    "Jml Vit A",
]  # fmt: skip
TITLE: list[list[object]] = [
    ["LAPORAN HASIL PENGUKURAN BALITA"],
    ["Kota Cilegon, Agustus 2024"],
    [],
]
# A healthy girl, measured on her 2nd birthday; every value plausible.
GOOD_A: dict[str, object] = {
    "NIK": "3672015708220001",
    "Nama": "Siti Aminah",
    "JK": "P",
    "Tgl Lahir": "17/08/2022",
    "BB Lahir": "3,1",
    "TB Lahir": "49",
    "Nama Ortu": "Rina Wati",
    "Prov": "BANTEN",
    "Kab/Kota": "KOTA CILEGON",
    "Kec": "Cibeber",
    "Pukesmas": "Cibeber",
    "Desa/Kel": "Cikerai",
    "Posyandu": "Melati 1",
    "RT": "01",
    "RW": "02",
    "Alamat": "Jl. Mawar 1",
    "Usia Saat Ukur": "2 Tahun - 0 Bulan - 0 Hari",
    "Tanggal Pengukuran": "17/08/2024",
    "Berat": "10,9",
    "Tinggi": "84,5",
    "Cara Ukur": "Berdiri",
    "LiLA": "14,5",
    "BB/U": "Berat Badan Normal",
    "ZS BB/U": "-0,42",
    "TB/U": "Normal",
    "ZS TB/U": "-0,38",
    "BB/TB": "Gizi Baik",
    "ZS BB/TB": "-0,38",
    "Naik Berat Badan": "N",
    "PMT Diterima (kg)": None,
    "Jml Vit A": "1",
    "KPSP": "Sesuai",
    "KIA": "Ya",
}
GOOD_B: dict[str, object] = {
    "Nama Anak": "Budi Santoso",
    "Jenis Kelamin": "L",
    "Tanggal Lahir": "2023-03-12",
    "NIK": "3672061203230002",
    "Nomor KK": "3672060101100003",
    "Anak Ke": "2",
    "Nama Orang Tua (Ibu/Ayah)": "Sari Dewi",
    "NIK Orang Tua": "3672064505900001",
    "No HP Orang Tua": "081234567890",
    "Alamat": "Kp. Gerem",
    "RT": "03",
    "Kecamatan": "Grogol",
    "Puskesmas": "Grogol",
    "Kelurahan": "Gerem",
    "Posyandu": "Mawar",
    "Usia Kehamilan (minggu)": "39",
    "Berat Lahir - Sasaran (kg)": "3,2",
    "Panjang Lahir - Sasaran (cm)": "50",
    "Lingkar Kepala Lahir (cm)": "34",
    "IMD": "Ya",
    "Tanggal Pengukuran": "12 Agustus 2024",
    "Berat (kg)": "10,2",
    "Tinggi (cm)": "78",
    "Cara Ukur": "Terlentang",
    "LiLA (cm)": None,
    "ZS BB/U": None,
    "ZS TB/U": None,
    "ZS BB/TB": None,
    "Naik Berat Badan": "N",
    "Jml Vit A": "2",
}


def row_of(header: Sequence[str], base: dict[str, object], **changes: object) -> list[object]:
    """One row in ``header`` order: ``base`` with ``changes`` (keys: headers, spaces as _)."""
    values = dict(base)
    for key, value in changes.items():
        values[key.replace("_", " ")] = value
    unknown = set(values) - set(header)
    if unknown:
        raise KeyError(f"not in the header: {unknown}")
    return [values.get(h) for h in header]


def grid(
    header: Sequence[str], rows: Sequence[Sequence[object]], title: bool = True
) -> list[list[object]]:
    """Title block (3 rows: title, subtitle, blank), header, then the rows."""
    return [*(TITLE if title else []), list(header), *[list(r) for r in rows]]


def write_xlsx(path: Path, cells: Sequence[Sequence[object]], sheet: str = "Sheet1") -> Path:
    """An .xlsx with text as text (NIK stays text), numbers as numbers, dates as dates."""
    book = xlsxwriter.Workbook(str(path))
    worksheet = book.add_worksheet(sheet)
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, date):
                worksheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, bool | int | float):
                worksheet.write_number(r, c, float(value))
            else:
                worksheet.write_string(r, c, str(value))
    book.close()
    return path


def write_csv(
    path: Path,
    cells: Sequence[Sequence[object]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """A delimited text file (``encoding="utf-8-sig"`` writes a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in cells:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_html_xls(path: Path, cells: Sequence[Sequence[object]]) -> Path:
    """An HTML table saved with an .xls extension, as e-PPGBM's PMT exports are."""
    title, *body = cells
    parts = [
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
        "</head><body><table border=1>",
        f'<tr><td colspan="{len(body[0]) if body else 1}"><b>{html.escape(str(title[0]))}</b>'
        "</td></tr>",
    ]
    for row in body:
        tds = "".join(
            '<td style="mso-number-format:\\@">'
            + html.escape("" if v is None else str(v))
            + "</td>"
            for v in row
        )
        parts.append(f"<tr>{tds}</tr>")
    parts.append("</table></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def write_xls(path: Path, cells: Sequence[Sequence[object]]) -> Path:
    """A real Excel 97-2003 workbook (BIFF8)."""
    path.write_bytes(xls_bytes(cells))
    return path
