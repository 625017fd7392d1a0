"""e-PPGBM's PMT history files built in code: HTML tables saved as .xls, as e-PPGBM
writes them (a title line, a header of 37 columns whose last, the web page's action
column, the data rows leave out), in both layouts. Names and NIKs are invented."""

import html
from collections.abc import Sequence
from pathlib import Path

TODDLER = [
    "No", "NIK", "Nama", "JK", "Tgl Lahir", "Nama Ortu", "Prov", "Kab/Kota", "Kec",
    "Pukesmas", "Desa/Kel", "Posyandu", "Alamat", "Tanggal Pengukuran Awal", "BB Awal",
    "TB Awal", "BB/U Awal", "ZS BB/U Awal", "TB/U Awal", "ZS TB/U Awal", "BB/TB Awal",
    "ZS BB/TB Awal", "BB Akhir", "TB Akhir", "BB/U Akhir", "ZS BB/U Akhir", "TB/U Akhir",
    "ZS TB/U Akhir", "BB/TB Akhir", "ZS BB/TB Akhir", "Status Pertumbuhan",
    "Status Kenaikan BB", "Sumber Anggaran", "Mitra", "Siklus PMT", "Jumlah Pemantauan",
    "Tindakan",
]  # fmt: skip
PREGNANCY = [
    "No", "NIK", "Nama", "Tgl Lahir", "Prov", "Kab/Kota", "Kec", "Pukesmas", "Desa/Kel",
    "Posyandu", "Tanggal Pemberian Pertama", "Tanggal Selesai", "Alasan Diberi",
    "Berat Badan Awal", "Berat Badan Akhir", "Hasil Pemberian MT", "Siklus PMT",
    "Jumlah Pemantauan", "Status PMT",
]  # fmt: skip
# A girl of 22 months with gizi kurang at the start, fed in August 2024.
CHILD: dict[str, object] = {
    "No": "1",
    "NIK": "3672015708220001",
    "Nama": "Siti Aminah",
    "JK": "P",
    "Tgl Lahir": "17/08/2022",
    "Nama Ortu": "Rina Wati",
    "Prov": "BANTEN",
    "Kab/Kota": "KOTA CILEGON",
    "Kec": "Cibeber",
    "Pukesmas": "Cibeber",
    "Desa/Kel": "Cikerai",
    "Posyandu": "Melati 1",
    "Alamat": "Jl. Mawar 1",
    "Tanggal Pengukuran Awal": "05/06/2024",
    "BB Awal": "8,9",
    "TB Awal": "83,5",
    "BB/U Awal": "Berat Badan Kurang",
    "ZS BB/U Awal": "-2,41",
    "TB/U Awal": "Normal",
    "ZS TB/U Awal": "-0,61",
    "BB/TB Awal": "Gizi Kurang",
    "ZS BB/TB Awal": "-2,88",
    "BB Akhir": "9,6",
    "TB Akhir": "84,1",
    "BB/U Akhir": "Berat Badan Normal",
    "ZS BB/U Akhir": "-1,85",
    "TB/U Akhir": "Normal",
    "ZS TB/U Akhir": "-0,72",
    "BB/TB Akhir": "Gizi Baik",
    "ZS BB/TB Akhir": "-1,92",
    "Status Pertumbuhan": "Naik",
    "Status Kenaikan BB": "N",
    "Sumber Anggaran": "DAK Non Fisik",
    "Mitra": "TP PKK Kelurahan Cikerai",
    "Siklus PMT": "1",
    "Jumlah Pemantauan": "4",
}
# A woman with KEK fed from June to September 2024.
MOTHER: dict[str, object] = {
    "No": "1",
    "NIK": "3672014506990003",
    "Nama": "Dewi Lestari",
    "Tgl Lahir": "05/06/1999",
    "Prov": "BANTEN",
    "Kab/Kota": "KOTA CILEGON",
    "Kec": "Cibeber",
    "Pukesmas": "Cibeber",
    "Desa/Kel": "Kedaleman",
    "Posyandu": "Mawar 2",
    "Tanggal Pemberian Pertama": "10/06/2024",
    "Tanggal Selesai": "08/09/2024",
    "Alasan Diberi": "Kurang Energi Kronis",
    "Berat Badan Awal": "41,5",
    "Berat Badan Akhir": "46,0",
    "Hasil Pemberian MT": "Sesuai",
    "Siklus PMT": "1",
    "Jumlah Pemantauan": "4",
    "Status PMT": "Selesai",
}


def row(header: Sequence[str], base: dict[str, object], **changes: object) -> list[object]:
    """One data row in ``header`` order (keys of ``changes``: headers, spaces as _), without
    the last, action, column of the toddler layout."""
    values = {**base, **{k.replace("_", " "): v for k, v in changes.items()}}
    unknown = set(values) - set(header)
    if unknown:
        raise KeyError(f"not in the header: {unknown}")
    cells = [values.get(h) for h in header]
    return cells[:-1] if header[-1] == "Tindakan" else cells


def history_html(header: Sequence[str], rows: Sequence[Sequence[object]], title: str) -> str:
    """The HTML e-PPGBM saves as .xls: a title, the header in <thead>, the rows."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in r)
        + "</tr>\n"
        for r in rows
    )  # fmt: skip
    return (
        '<html><head><meta charset="utf-8"></head><body>'
        f'<table><tr><td colspan="{len(header)}">{html.escape(title)}</td></tr></table>'
        f'<table border="1"><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>'
        "</body></html>"
    )


def write_history(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[object]], title: str = "Riwayat"
) -> Path:
    """A history file at ``path`` (the name decides the indication of a toddler file)."""
    path.write_text(history_html(header, rows, title), encoding="utf-8")
    return path
