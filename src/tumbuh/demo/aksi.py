"""The demo city's 8 aksi konvergensi of 2024 and its lokus kelurahan of 2024
(docs/demo-city.md, "The 8 aksi of 2024"): what Cilegon reported of its year (the rembuk
stunting of 25 July 2024 hosted by Bappeda, e-PPGBM at the Dinkes, the bulan timbang of
February and August), with small evidence files made here, and the five lokus proposed
by Tumbuh's rule from the August 2023 round. Deterministic: no random draw."""

import hashlib
import struct
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from tumbuh.db.aksi import insert_aksi, replace_lokus
from tumbuh.db.evidence import NewEvidence, insert_evidence
from tumbuh.db.models_tpps import EvidenceSubject
from tumbuh.demo.partners import institution_id
from tumbuh.growth.aksi import Aksi
from tumbuh.growth.lokus import rank_lokus
from tumbuh.growth.periods import month_period
from tumbuh.growth.tpps import ActionStatus, EvidenceKind, InstitutionKind
from tumbuh.usecases.lokus import lokus_figures

YEAR = 2024
LOKUS_COUNT = 5
LOKUS_CHOSEN_ON = date(2024, 2, 20)  # the analisis situasi
BAPPEDA = "Bappeda Kota Cilegon"
DINKES = "Dinas Kesehatan Kota Cilegon"
DP3AP2KB = "DP3AP2KB Kota Cilegon"
HUKUM = "Bagian Hukum Sekretariat Daerah Kota Cilegon"

# aksi, status, day done, owner, note, evidence files (name, kind)
Files = tuple[tuple[str, EvidenceKind], ...]
PLAN: tuple[tuple[Aksi, ActionStatus, date | None, str, str, Files], ...] = (
    (Aksi.SITUATION_ANALYSIS, ActionStatus.DONE, date(2024, 2, 20), BAPPEDA,
     "Analisis situasi dari angka bulan timbang Agustus 2023; lima kelurahan lokus.",
     (("analisis-situasi-2024.pdf", EvidenceKind.PDF),)),
    (Aksi.ACTIVITY_PLAN, ActionStatus.DONE, date(2024, 3, 28), BAPPEDA,
     "Kegiatan konvergensi masuk RKPD 2025 dan APBD Perubahan 2024.", ()),
    (Aksi.REMBUK, ActionStatus.DONE, date(2024, 7, 25), BAPPEDA,
     "Rembuk stunting bersama OPD, Polres, Kodim 0623, Kemenag, Baznas, TP PKK dan camat.",
     (("berita-acara-rembuk-2024.pdf", EvidenceKind.PDF),
      ("foto-rembuk-2024.png", EvidenceKind.PNG))),
    (Aksi.PERWAL, ActionStatus.DONE, date(2024, 10, 14), HUKUM,
     "Perwal tentang peran kecamatan dan kelurahan dalam percepatan penurunan stunting.", ()),
    (Aksi.KPM_COACHING, ActionStatus.IN_PROGRESS, None, DP3AP2KB,
     "Pembinaan KPM dan TPK per kecamatan bersama Dinas Pemberdayaan Masyarakat dan "
     "Kelurahan; empat dari delapan kecamatan selesai.", ()),
    (Aksi.DATA_SYSTEM, ActionStatus.DONE, date(2024, 9, 30), DINKES,
     "e-PPGBM diisi semua posyandu; data KRS dari BKKBN dipadankan.", ()),
    (Aksi.MEASUREMENT, ActionStatus.DONE, date(2024, 9, 10), DINKES,
     "Bulan timbang Februari dan Agustus 2024; angka dipublikasikan setelah validasi.",
     (("publikasi-bulan-timbang-agustus-2024.pdf", EvidenceKind.PDF),)),
    (Aksi.PERFORMANCE_REVIEW, ActionStatus.PLANNED, None, BAPPEDA,
     "Direncanakan Desember 2024 atau awal 2025.", ()),
)  # fmt: skip


@dataclass(frozen=True)
class AksiCounts:
    """What the demo stored."""

    aksi: int
    evidence_files: int
    lokus: int


def tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF showing ``title`` (ASCII), with a correct cross-reference."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 40 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def tiny_png(width: int = 8, height: int = 8) -> bytes:
    """A valid grey-scale PNG of ``width`` x ``height`` pixels (a gradient)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(
        b"\x00" + bytes((x * 32 + y * 8) % 256 for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _content(name: str, kind: EvidenceKind) -> bytes:
    return tiny_png() if kind is EvidenceKind.PNG else tiny_pdf(name.removesuffix(".pdf"))


def _store_aksi(connection: Connection) -> tuple[int, int]:
    now = datetime(2024, 12, 1, 9, tzinfo=UTC)
    files = 0
    for aksi, status, done_on, owner, note, evidence in PLAN:
        office = institution_id(connection, owner, InstitutionKind.OPD)
        values = {
            "year": YEAR,
            "aksi": aksi,
            "status": status,
            "done_on": done_on,
            "institution_id": office,
            "note": note,
            "updated_by": None,
            "updated_at": now,
        }
        aksi_id = insert_aksi(connection, values)
        for name, kind in evidence:
            content = _content(name, kind)
            digest = hashlib.sha256(content).hexdigest()
            kept = datetime.combine(done_on or date(YEAR, 12, 1), datetime.min.time(), UTC)
            insert_evidence(
                connection,
                NewEvidence(
                    EvidenceSubject.AKSI, aksi_id, name, kind, content, digest, None, None, kept
                ),
            )
            files += 1
    return len(PLAN), files


def _store_lokus(connection: Connection, city_code: str) -> int:
    round_month = month_period(YEAR - 1, 8)
    ranked = rank_lokus(lokus_figures(connection, round_month, city_code))[:LOKUS_COUNT]
    rows = [
        {
            "kelurahan_code": r.figures.code,
            "rank": r.rank,
            "stunted": r.figures.stunted,
            "measured": r.figures.measured,
            "krs_families": r.figures.krs_families,
            "weighed": r.figures.weighed,
            "registered": r.figures.registered,
            "round_month": round_month.start,
            "chosen_on": LOKUS_CHOSEN_ON,
            "chosen_by": None,
        }
        for r in ranked
    ]
    replace_lokus(connection, YEAR, rows)
    return len(rows)


def store_demo_aksi(connection: Connection, city_code: str) -> AksiCounts:
    """Store the 2024 aksi, their evidence files and the 2024 lokus of the demo city."""
    aksi, files = _store_aksi(connection)
    return AksiCounts(aksi, files, _store_lokus(connection, city_code))
