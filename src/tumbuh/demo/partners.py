"""The demo city's partners of the TPPS, their commitments and the meetings that agreed
them (docs/demo-city.md, docs/tpps.md): the city offices, Polres, Kodim 0623, Kemenag,
Baznas, TP PKK, the eight camat and two CSR partners; the rembuk stunting of 25 July 2024
and the TPPS meeting of 26 November 2024 on the semester-II 2024 audit, chaired by the
Sekda, with their decisions and each partner's commitments (due December 2024 to June
2025), some delivered with evidence files, some overdue.

Deterministic: fixed records, no random draw. Institutions are found by their exact name
or made (:func:`institution_id`), so the audit's demo (which names the responsible
offices) and this one can run in either order. The texts the city typed are Indonesian.
"""

import hashlib
import struct
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from fpdf import FPDF
from sqlalchemy import Connection

from tumbuh.db.actions import insert_action
from tumbuh.db.evidence import NewEvidence, insert_evidence
from tumbuh.db.institutions import insert_institution, institution_named
from tumbuh.db.meetings import insert_decision, insert_meeting, link_action, set_attendees
from tumbuh.db.models import RegionLevel
from tumbuh.db.models_tpps import EvidenceSubject
from tumbuh.db.regions import regions
from tumbuh.growth.partners import MeetingKind
from tumbuh.growth.tpps import ActionKind, ActionStatus, EvidenceKind, InstitutionKind

DINKES = "Dinas Kesehatan Kota Cilegon"
DP3AP2KB = "DP3AP2KB Kota Cilegon"
BAPPEDA = "Bappeda Kota Cilegon"
DINSOS = "Dinas Sosial Kota Cilegon"
PUPR = "Dinas PUPR Kota Cilegon"
POLRES = "Polres Cilegon"
KODIM = "Kodim 0623/Cilegon"
KEMENAG = "Kemenag Kota Cilegon"
BAZNAS = "Baznas Kota Cilegon"
PKK = "TP PKK Kota Cilegon"
FORUM_CSR = "Forum CSR Kota Cilegon"
SAMUDRA = "PT Samudra Kimia Cilegon"
# name, short name, kind
OFFICES: tuple[tuple[str, str | None, InstitutionKind], ...] = (
    (DINKES, "Dinkes", InstitutionKind.OPD),
    (DP3AP2KB, "DP3AP2KB", InstitutionKind.OPD),
    (BAPPEDA, "Bappeda", InstitutionKind.OPD),
    (DINSOS, "Dinsos", InstitutionKind.OPD),
    (PUPR, "PUPR", InstitutionKind.OPD),
    (POLRES, "Polres", InstitutionKind.POLICE),
    (KODIM, "Kodim 0623", InstitutionKind.MILITARY),
    (KEMENAG, "Kemenag", InstitutionKind.RELIGIOUS_AFFAIRS),
    (BAZNAS, "Baznas", InstitutionKind.ZAKAT),
    (PKK, "TP PKK", InstitutionKind.PKK),
    (FORUM_CSR, "Forum CSR", InstitutionKind.COMPANY),
    (SAMUDRA, "Samudra Kimia", InstitutionKind.COMPANY),
)
KOTASARI, GEREM, CIWADUK, LEBAKGEDE = (
    "36.72.06.1001",
    "36.72.06.1004",
    "36.72.02.1005",
    "36.72.03.1002",
)
BAZNAS_KITCHENS = (KOTASARI, GEREM, CIWADUK, LEBAKGEDE)
REMBUK_DAY = date(2024, 7, 25)
TPPS_DAY = date(2024, 11, 26)


@dataclass(frozen=True)
class Promise:
    """A demo commitment: who, what, where, when, budget, and how it went."""

    institution: str
    action: str
    kelurahan: str | None
    starts_on: date
    due_on: date
    budget_rupiah: int | None
    budget_source: str | None
    status: ActionStatus = ActionStatus.PLANNED
    delivered: str | None = None
    done_on: date | None = None
    files: tuple[EvidenceKind, ...] = ()


@dataclass(frozen=True)
class PartnerCounts:
    """What the demo's partners part made."""

    institutions: int
    meetings: int
    commitments: int
    evidence_files: int


def institution_id(
    connection: Connection,
    name: str,
    kind: InstitutionKind,
    *,
    short_name: str | None = None,
    region_code: str | None = None,
) -> int:
    """The institution with exactly this name, made when missing (get-or-create)."""
    found = institution_named(connection, name)
    if found is not None:
        return found
    values = {
        "name": name,
        "short_name": short_name,
        "kind": kind,
        "region_code": region_code,
        "active": True,
        "created_at": datetime(2024, 7, 1, tzinfo=UTC),
    }
    return insert_institution(connection, values)


def demo_institutions(connection: Connection, city_code: str) -> dict[str, int]:
    """Every demo institution by name (the eight camat as ``Kecamatan <name>``)."""
    ids = {
        name: institution_id(connection, name, kind, short_name=short)
        for name, short, kind in OFFICES
    }
    for kecamatan in regions(connection, RegionLevel.KECAMATAN, within=city_code):
        name = f"Kecamatan {kecamatan.display_name}"
        ids[name] = institution_id(
            connection,
            name,
            InstitutionKind.KECAMATAN,
            short_name=f"Camat {kecamatan.display_name}",
            region_code=kecamatan.code,
        )
    return ids


# --- small valid evidence files -----------------------------------------------------------


def _latin(text: str) -> str:
    """The text in the core fonts' Latin-1 (anything else becomes '?')."""
    return text.encode("latin-1", "replace").decode("latin-1")


def _pdf(title: str, lines: tuple[str, ...]) -> bytes:
    document = FPDF(format="A4")
    document.set_creation_date(datetime(2025, 1, 1, tzinfo=UTC))
    document.add_page()
    document.set_font("Helvetica", "B", 14)
    document.multi_cell(0, 8, _latin(title), new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", size=11)
    for line in lines:
        document.multi_cell(0, 6, _latin(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def _png(red: int, green: int, blue: int) -> bytes:
    """A 16 x 16 PNG of one colour (a stand-in for a photo)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes((red, green, blue)) * 16
    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * 16))
        + chunk(b"IEND", b"")
    )


def _attach(
    connection: Connection,
    subject: EvidenceSubject,
    subject_id: int,
    kind: EvidenceKind,
    label: tuple[str, str, date],
) -> None:
    """Keep a generated file: ``label`` is (file name stem, title, day uploaded)."""
    stem, title, day = label
    if kind is EvidenceKind.PNG:
        content, name = _png(90, 140, 80), f"{stem}-foto.png"
    else:
        lines = (f"Tanggal: {day:%d-%m-%Y}", "Dokumen contoh kota demo.")
        content, name = _pdf(title, lines), f"{stem}.pdf"
    digest = hashlib.sha256(content).hexdigest()
    when = datetime.combine(day, time(10, 0), tzinfo=UTC)
    insert_evidence(
        connection, NewEvidence(subject, subject_id, name, kind, content, digest, None, None, when)
    )


# --- the meetings and their commitments ---------------------------------------------------

PDF, PNG = EvidenceKind.PDF, EvidenceKind.PNG
DONE, UNDER_WAY = ActionStatus.DONE, ActionStatus.IN_PROGRESS
REMBUK_PROMISES: tuple[Promise, ...] = (
    Promise(
        BAPPEDA,
        "Menandai kegiatan percepatan penurunan stunting setiap OPD dalam RKPD 2025",
        None,
        date(2024, 8, 1),
        date(2024, 10, 31),
        None,
        "APBD",
        DONE,
        "RKPD 2025 memuat 46 kegiatan bertanda stunting dari 9 OPD",
        date(2024, 10, 28),
        (PDF,),
    ),
    Promise(
        DINSOS,
        "Mencocokkan data penerima PKH dan BPNT dengan keluarga risiko stunting di kelurahan lokus",
        None,
        date(2024, 8, 1),
        date(2024, 12, 31),
        None,
        "APBD",
        DONE,
        "312 keluarga risiko stunting dicocokkan; 57 diusulkan menjadi penerima baru",
        date(2024, 12, 20),
    ),
    Promise(
        PUPR,
        "Membangun tangki septik individual untuk 100 rumah di kelurahan lokus",
        LEBAKGEDE,
        date(2024, 9, 1),
        date(2024, 12, 31),
        1_500_000_000,
        "APBD",
        UNDER_WAY,
        "64 dari 100 tangki septik selesai",
    ),
    Promise(
        SAMUDRA,
        "Paket susu dan telur untuk 100 baduta di Kecamatan Ciwandan selama 3 bulan",
        None,
        date(2024, 9, 1),
        date(2024, 11, 30),
        90_000_000,
        "CSR perusahaan",
        DONE,
        "100 baduta menerima paket setiap minggu September-November 2024",
        date(2024, 11, 29),
        (PDF,),
    ),
)
TPPS_PROMISES: tuple[Promise, ...] = (
    Promise(
        POLRES,
        "Bapak Asuh: paket pangan bergizi setiap bulan untuk 20 anak stunting selama 6 bulan",
        KOTASARI,
        date(2024, 12, 1),
        date(2025, 5, 31),
        24_000_000,
        "Dana sosial Polres",
        DONE,
        "20 anak menerima paket telur, ikan dan susu Desember 2024-Mei 2025; 17 anak "
        "naik berat badannya di setiap penimbangan",
        date(2025, 5, 28),
        (PDF, PNG),
    ),
    Promise(
        KODIM,
        "Bapak Asuh oleh Babinsa: kunjungan rumah dan paket pangan untuk 15 anak stunting",
        GEREM,
        date(2024, 12, 1),
        date(2025, 5, 31),
        18_000_000,
        "Kodim 0623",
        UNDER_WAY,
        "Paket Desember 2024-Maret 2025 telah diberikan",
    ),
    Promise(
        KEMENAG,
        "Bimbingan perkawinan tentang gizi dan anemia bagi setiap catin di KUA sebelum akad",
        None,
        date(2025, 1, 2),
        date(2025, 6, 30),
        None,
        "DIPA Kemenag",
        DONE,
        "Bimbingan di 8 KUA untuk 612 pasangan catin; 41 calon pengantin perempuan "
        "dengan anemia dirujuk ke puskesmas",
        date(2025, 6, 27),
        (PDF,),
    ),
    Promise(
        PKK,
        "Pelatihan 160 kader posyandu: pengukuran panjang badan dan konseling (20 per kecamatan)",
        None,
        date(2025, 1, 15),
        date(2025, 4, 30),
        40_000_000,
        "APBD (DP3AP2KB)",
        DONE,
        "164 kader dilatih dalam 8 angkatan; nilai praktik rata-rata 86",
        date(2025, 4, 24),
        (PNG, PDF),
    ),
    Promise(
        DINKES,
        "PMT lokal 56 hari bagi balita gizi kurang dan berat badan kurang di kelurahan lokus",
        None,
        date(2025, 1, 6),
        date(2025, 3, 31),
        350_000_000,
        "DAK non-fisik",
        DONE,
        "418 balita menerima PMT lokal; 61 % naik berat badan sesuai target",
        date(2025, 3, 31),
        (PDF,),
    ),
    Promise(
        DP3AP2KB,
        "TPK mendampingi setiap keluarga risiko stunting dengan baduta di kelurahan lokus",
        None,
        date(2025, 1, 2),
        date(2025, 6, 30),
        120_000_000,
        "BOKB",
        UNDER_WAY,
        "Pendampingan berjalan di 6 dari 8 kelurahan lokus",
    ),
    Promise(
        FORUM_CSR,
        "Sambungan air bersih dan jamban sehat untuk 40 keluarga risiko stunting",
        LEBAKGEDE,
        date(2025, 1, 15),
        date(2025, 6, 30),
        300_000_000,
        "CSR perusahaan",
    ),
)
CAMAT_DONE = 5  # of the eight camat, the first five delivered; the others are late


def _baznas_promises() -> tuple[Promise, ...]:
    """Rp 7,5 juta for the dapur umum of each of four lokus kelurahan; two transferred."""
    states = (
        (DONE, date(2025, 2, 14)),
        (DONE, date(2025, 3, 7)),
        (UNDER_WAY, None),
        (ActionStatus.PLANNED, None),
    )
    return tuple(
        Promise(
            BAZNAS,
            "Dana dapur umum kelurahan lokus: Rp 7,5 juta untuk bahan PMT lokal",
            code,
            date(2025, 1, 2),
            date(2025, 3, 31),
            7_500_000,
            "Zakat (Baznas)",
            status,
            "Dana Rp 7.500.000 ditransfer ke rekening dapur umum" if done_on else None,
            done_on,
            (PDF,) if done_on else (),
        )
        for code, (status, done_on) in zip(BAZNAS_KITCHENS, states, strict=True)
    )


def _camat_promises(names: list[str]) -> tuple[Promise, ...]:
    return tuple(
        Promise(
            name,
            "Memantau D/S setiap posyandu tiap bulan; setiap posyandu menimbang sedikitnya 80 % "
            "balitanya pada bulan timbang Februari 2025",
            None,
            date(2024, 12, 1),
            date(2025, 2, 28),
            None,
            None,
            DONE if i < CAMAT_DONE else UNDER_WAY,
            f"D/S kecamatan Februari 2025: {84 + i} %" if i < CAMAT_DONE else None,
            date(2025, 3, 10) if i < CAMAT_DONE else None,
        )
        for i, name in enumerate(names)
    )


def _store_promise(
    connection: Connection, ids: dict[str, int], promise: Promise, agreed_on: date
) -> int:
    stamp = datetime.combine(agreed_on, time(12, 0), tzinfo=UTC)
    action_id = insert_action(
        connection,
        {
            "kind": ActionKind.COMMITMENT,
            "action": promise.action,
            "institution_id": ids[promise.institution],
            "kelurahan_code": promise.kelurahan,
            "agreed_on": agreed_on,
            "starts_on": promise.starts_on,
            "due_on": promise.due_on,
            "budget_rupiah": promise.budget_rupiah,
            "budget_source": promise.budget_source,
            "status": promise.status,
            "delivered": promise.delivered,
            "done_on": promise.done_on,
            "created_at": stamp,
            "updated_at": stamp,
        },
    )
    for n, kind in enumerate(promise.files, start=1):
        stem = f"bukti-{action_id}-{n}"
        label = (stem, f"Bukti: {promise.action[:80]}", promise.done_on or promise.due_on)
        _attach(connection, EvidenceSubject.COMMITMENT, action_id, kind, label)
    return action_id


@dataclass(frozen=True)
class Agenda:
    """A demo meeting: its row, who came, and each decision with the promises it made."""

    held_on: date
    kind: MeetingKind
    title: str
    place: str
    chair: str
    others: str
    present: tuple[str, ...]
    decisions: tuple[tuple[str, tuple[Promise, ...]], ...]


def _store_meeting(connection: Connection, ids: dict[str, int], agenda: Agenda) -> int:
    stamp = datetime.combine(agenda.held_on, time(15, 0), tzinfo=UTC)
    meeting_id = insert_meeting(
        connection,
        {
            "held_on": agenda.held_on,
            "kind": agenda.kind,
            "title": agenda.title,
            "place": agenda.place,
            "chair": agenda.chair,
            "others": agenda.others,
            "created_at": stamp,
            "updated_at": stamp,
        },
    )
    set_attendees(connection, meeting_id, [ids[name] for name in agenda.present])
    for text, promises in agenda.decisions:
        decision_id = insert_decision(connection, meeting_id, text, stamp)
        for promise in promises:
            link_action(
                connection, decision_id, _store_promise(connection, ids, promise, agenda.held_on)
            )
    label = (f"notulen-{agenda.held_on:%Y%m%d}", f"Notulen: {agenda.title}", agenda.held_on)
    _attach(connection, EvidenceSubject.MEETING, meeting_id, PDF, label)
    return meeting_id


def _agendas(camat: list[str]) -> tuple[Agenda, Agenda]:
    rembuk = Agenda(
        REMBUK_DAY,
        MeetingKind.REMBUK,
        "Rembuk Stunting Kota Cilegon 2024",
        "Aula Bappeda Kota Cilegon",
        "Wakil Wali Kota Cilegon",
        "Kepala puskesmas, lurah kelurahan lokus, perwakilan perusahaan",
        (BAPPEDA, DINKES, DP3AP2KB, DINSOS, PUPR, PKK, SAMUDRA, *camat),
        (
            (
                "Kegiatan percepatan penurunan stunting ditandai dalam RKPD 2025.",
                REMBUK_PROMISES[:1],
            ),
            (
                "Data bantuan sosial dipadankan dengan keluarga risiko stunting.",
                REMBUK_PROMISES[1:2],
            ),
            ("Sanitasi dan asupan gizi baduta di kelurahan lokus diperkuat.", REMBUK_PROMISES[2:]),
        ),
    )
    tpps = Agenda(
        TPPS_DAY,
        MeetingKind.TPPS,
        "Rapat TPPS: hasil Audit Kasus Stunting semester II 2024",
        "Ruang Rapat Sekretariat Daerah Kota Cilegon",
        "Sekretaris Daerah Kota Cilegon",
        "Tim Pakar audit (dokter spesialis anak, dokter spesialis kandungan, ahli gizi, psikolog)",
        (DINKES, DP3AP2KB, BAPPEDA, POLRES, KODIM, KEMENAG, BAZNAS, PKK, FORUM_CSR, *camat),
        (
            (
                "Hasil Audit Kasus Stunting semester II 2024 diterima; rekomendasi Tim Pakar "
                "ditindaklanjuti OPD dan mitra sesuai RTL.",
                (),
            ),
            (
                "Program Bapak Asuh Anak Stunting diperluas: Polres dan Kodim 0623 mengasuh anak "
                "stunting di kelurahan lokus.",
                TPPS_PROMISES[:2],
            ),
            (
                "Kemenag memberi bimbingan gizi dan anemia bagi setiap catin di KUA.",
                TPPS_PROMISES[2:3],
            ),
            (
                "Baznas mendanai dapur umum kelurahan lokus Rp 7,5 juta per kelurahan.",
                _baznas_promises(),
            ),
            (
                "TP PKK melatih kader posyandu; setiap camat memantau D/S posyandu tiap bulan.",
                (TPPS_PROMISES[3], *_camat_promises(camat)),
            ),
            (
                "Dinkes, DP3AP2KB dan Forum CSR memperkuat intervensi di kelurahan lokus.",
                TPPS_PROMISES[4:],
            ),
        ),
    )
    return rembuk, tpps


def store_demo_partners(connection: Connection, city_code: str) -> PartnerCounts:
    """Store the demo's institutions, the two meetings, their commitments and files."""
    ids = demo_institutions(connection, city_code)
    camat = sorted(name for name in ids if name.startswith("Kecamatan "))
    agendas = _agendas(camat)
    for agenda in agendas:
        _store_meeting(connection, ids, agenda)
    promises = [p for a in agendas for _text, made in a.decisions for p in made]
    files = sum(len(p.files) for p in promises) + len(agendas)
    return PartnerCounts(len(ids), len(agendas), len(promises), files)
