"""Read and check a 100,000-row e-PPGBM .xlsx (layout A); print the seconds each step takes.

The file is generated here (invented children, realistic spread of ages, weights and
heights, about 1 % of rows with a typing slip), written once to a temporary folder, then
read and checked with ``tumbuh.ingest.check_files``. Target (issue 4): a 100,000-row
import in under 60 s on the project's 2-core machine.
Run: ``.venv/bin/python benchmarks/ingest_read.py [rows]``.
"""

import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import xlsxwriter

from _timing import timed
from tumbuh.db.models import RegionLevel
from tumbuh.ingest import check_files, write_report
from tumbuh.ingest.regions import RegionRecord

HEADER = [
    "NIK", "Nama", "JK", "Tgl Lahir", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov",
    "Kab/Kota", "Kec", "Pukesmas", "Desa/Kel", "Posyandu", "RT", "RW", "Alamat",
    "Usia Saat Ukur", "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur", "LiLA", "BB/U",
    "ZS BB/U", "TB/U", "ZS TB/U", "BB/TB", "ZS BB/TB", "Naik Berat Badan",
    "PMT Diterima (kg)", "Jml Vit A", "KPSP", "KIA",
]  # fmt: skip
KELURAHAN = [("36.72.01", "Cibeber", ["Cibeber", "Kedaleman", "Bulakan", "Cikerai"])]
KELURAHAN += [("36.72.06", "Gerogol", ["Kotasari", "Grogol", "Rawa Arum", "Gerem"])]
MEASURED_ON = date(2024, 8, 15)


def regions() -> list[RegionRecord]:
    """Kota Cilegon with two of its kecamatan (enough for the generated rows)."""
    records = [RegionRecord("36.72", "Kota Cilegon", RegionLevel.KOTA, "36")]
    for code, name, kelurahan in KELURAHAN:
        records.append(RegionRecord(code, name, RegionLevel.KECAMATAN, "36.72", ("Grogol",)))
        records += [
            RegionRecord(f"{code}.{1001 + i}", k, RegionLevel.KELURAHAN, code)
            for i, k in enumerate(kelurahan)
        ]
    return records


def generate(path: Path, n: int, seed: int = 4) -> None:
    """Write ``n`` rows of layout A below a two-line title block."""
    rng = np.random.default_rng(seed)
    ages = rng.integers(0, 1826, n)
    girls = rng.random(n) < 0.5
    # Rough WHO medians: weight 3.3 -> 18 kg, length 50 -> 110 cm over 0-60 months.
    years = ages / 365.25
    weight = 3.3 + 7.0 * np.sqrt(years) + 1.6 * years + rng.normal(0, 0.9, n)
    height = 50 + 25 * np.sqrt(years) + 5 * years + rng.normal(0, 2.5, n)
    slips = rng.random(n)
    sequence: dict[tuple[date, bool], int] = {}
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Data")
    sheet.write_string(0, 0, "LAPORAN HASIL PENGUKURAN BALITA")
    sheet.write_string(1, 0, "Kota Cilegon")
    for c, h in enumerate(HEADER):
        sheet.write_string(3, c, h)
    for i in range(n):
        born = MEASURED_ON - timedelta(days=int(ages[i]))
        _, kecamatan, kelurahan = KELURAHAN[i % 2]
        day = born.day + (40 if girls[i] else 0)
        number = sequence[(born, bool(girls[i]))] = sequence.get((born, bool(girls[i])), 0) + 1
        nik = f"367201{day:02d}{born.month:02d}{born.year % 100:02d}{number:04d}"
        w = f"{weight[i]:.1f}".replace(".", ",")
        if slips[i] < 0.005:
            w = str(int(weight[i] * 1000))  # grams
        h = f"{height[i]:.1f}".replace(".", ",")
        if 0.005 <= slips[i] < 0.01:
            h = "83..9"
        values = [
            nik, f"Anak {i}", "P" if girls[i] else "L", born.strftime("%d/%m/%Y"), "3,1", "49",
            f"Ibu {i}", "BANTEN", "KOTA CILEGON", kecamatan, kecamatan, kelurahan[i % 4],
            f"Posyandu {i % 40}", "01", "02", "Jl. Contoh", "", MEASURED_ON.strftime("%d/%m/%Y"),
            w, h, "Terlentang" if ages[i] < 731 else "Berdiri", "", "", "", "", "", "", "",
            "N", "", "", "", "",
        ]  # fmt: skip
        for c, value in enumerate(values):
            if value:
                sheet.write_string(4 + i, c, value)
    book.close()


@contextmanager
def generated_file() -> Iterator[Path]:
    """A file of ``sys.argv[1]`` rows (default 100,000) in a temporary folder; prints how
    long generating it took (not part of any import)."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "eppgbm-100k.xlsx"
        _, seconds = timed(lambda: generate(path, n))
        print(f"generated {n:,} rows ({path.stat().st_size / 1e6:.1f} MB) in "
              f"{seconds:.1f} s (not part of the import)")  # fmt: skip
        yield path


def main() -> None:
    """Generate, read and check; print seconds per step."""
    with generated_file() as path:
        folder = path.parent
        start = time.perf_counter()
        batch, report = check_files([path], regions(), today=date(2024, 9, 1))
        checked = time.perf_counter() - start
        print(f"read + check: {checked:.1f} s for {report.rows_read:,} rows "
              f"({len(batch.rows):,} ready, {len(report.errors):,} errors, "
              f"{len(report.warnings):,} warnings)")  # fmt: skip
        start = time.perf_counter()
        write_report(report, Path(folder) / "report.xlsx")
        print(f"write .xlsx report with the original rows: {time.perf_counter() - start:.1f} s")
        print(f"target: read + check under 60 s -> {'met' if checked < 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
