"""The demo city's Audit Kasus Stunting (issue 16, docs/demo-city.md "The case audit"):
the audits of semester I 2024 (April-May, as every puskesmas of Cilegon ran them) and
semester II 2024 (the TPPS met on it on 26 November 2024; disseminated in December), on
the kelurahan with the most stunted children of the round, their teams (invented
people), cases chosen by Tumbuh's own rule from the demo's records, the expert panel's
worksheets, the recommendations and RTL items of the partner institutions, some done,
some late, and semester I's items evaluated in semester II.

Deterministic: a random stream of its own from the seed; the registers are only read.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import Connection

from tumbuh.db import aks as store
from tumbuh.db.actions import insert_action, update_action
from tumbuh.db.aks_sources import stunted_by_kelurahan
from tumbuh.db.aksi import LokusRow, lokus_rows
from tumbuh.demo.city import CITY_CODE
from tumbuh.demo.partners import DINKES, DP3AP2KB, demo_institutions
from tumbuh.growth.aks import Cause, ExpertRole, TargetGroup, Team, causes_text
from tumbuh.growth.periods import Period, semester_period
from tumbuh.growth.tpps import ActionKind, ActionStatus
from tumbuh.usecases.aks_candidates import candidate_lines

STREAM_SALT = 16  # the audit's own random stream: seed + this
CASES_PER_AUDIT = (14, 10)  # semester II, semester I
EXPERT_NAME = "dr. Ratna Wulandari, M.Gz"  # the demo account tim_pakar is this member
TECHNICAL_NAME = "Siti Rohmah, S.Gz"  # the demo account tim_teknis is this member

TEAM = (
    (Team.COORDINATION, ExpertRole.OFFICIAL, "Drs. H. Ahmad Fauzi, M.Si", DP3AP2KB),
    (Team.COORDINATION, ExpertRole.OFFICIAL, "Nurhayati, S.KM", DINKES),
    (Team.TECHNICAL, ExpertRole.NUTRITIONIST, TECHNICAL_NAME, DINKES),
    (Team.TECHNICAL, ExpertRole.MIDWIFE, "Bd. Eka Purnamasari, S.Tr.Keb", DINKES),
    (Team.TECHNICAL, ExpertRole.FAMILY_PLANNING, "Dedi Kurniawan, S.Sos", DP3AP2KB),
    (Team.EXPERT, ExpertRole.PEDIATRICIAN, "dr. Hendra Gunawan, Sp.A", None),
    (Team.EXPERT, ExpertRole.OBSTETRICIAN, "dr. Maya Anggraini, Sp.OG", None),
    (Team.EXPERT, ExpertRole.NUTRITIONIST, EXPERT_NAME, None),
    (Team.EXPERT, ExpertRole.PSYCHOLOGIST, "Dewi Kartika, M.Psi, Psikolog", None),
)

# What the expert panel found, per target group: causes, analysis, what should have
# happened, the case's recommendation (realistic, varied; chosen by the random stream).
FINDINGS: dict[TargetGroup, tuple[tuple[tuple[Cause, ...], str, str, str], ...]] = {
    TargetGroup.BADUTA: (
        (
            (Cause.FEEDING, Cause.INFECTION),
            "ASI eksklusif berhenti pada usia 3 bulan; MP-ASI encer dan kurang protein "
            "hewani; diare berulang dua kali dalam enam bulan terakhir.",
            "Konseling menyusui sejak kunjungan neonatal dan demo MP-ASI di posyandu "
            "pada usia 6 bulan; diare ditangani dengan oralit dan zinc.",
            "Kunjungan rumah TPK tiap dua minggu, PMT lokal 56 hari, rujuk ke dokter "
            "anak bila berat badan tidak naik dua bulan.",
        ),
        (
            (Cause.LOW_BIRTH_SIZE, Cause.MATERNAL_NUTRITION),
            "Lahir dengan berat 2.300 g dari ibu KEK yang tidak mendapat PMT selama "
            "hamil; kejar tumbuh tidak terjadi sampai usia 12 bulan.",
            "Ibu KEK mendapat PMT sejak trimester pertama; bayi BBLR dipantau tiap "
            "bulan dengan grafik KMS dan dirujuk lebih awal.",
            "Pemantauan pertumbuhan bulanan, susu formula khusus atas resep dokter, "
            "dan kelas ibu balita.",
        ),
        (
            (Cause.WATER_SANITATION, Cause.INFECTION, Cause.POVERTY),
            "Keluarga memakai sumur dangkal tanpa jamban sehat; anak sering batuk "
            "pilek dan cacingan; penghasilan harian tidak menentu.",
            "Keluarga didaftarkan bantuan sosial dan program jamban sehat; obat cacing "
            "diberikan tiap enam bulan.",
            "Usulkan bantuan jamban (Dinas Perkim) dan PKH; berikan obat cacing dan PMT lokal.",
        ),
    ),
    TargetGroup.BALITA: (
        (
            (Cause.PARENTING, Cause.FEEDING),
            "Anak diasuh nenek sejak ibu bekerja di pabrik; pola makan tidak teratur, "
            "banyak jajanan kemasan.",
            "Pengasuh ikut kelas BKB dan konseling gizi; jadwal makan tiga kali sehari "
            "dengan lauk hewani.",
            "Kelas Bina Keluarga Balita untuk pengasuh dan pendampingan TPK.",
        ),
        (
            (Cause.SERVICE_ACCESS, Cause.INFECTION),
            "Tidak datang ke posyandu selama tujuh bulan; imunisasi dasar tidak "
            "lengkap; riwayat TB paru pada ayah.",
            "Kader melacak anak yang tidak datang; skrining TB kontak serumah.",
            "Skrining TB anak di puskesmas, lengkapi imunisasi kejar, kunjungan rumah kader.",
        ),
        (
            (Cause.CONGENITAL,),
            "Kelainan jantung bawaan menyebabkan asupan rendah; stunting bukan karena pola asuh.",
            "Rujukan ke rumah sakit rujukan sejak usia 3 bulan.",
            "Rujukan ke dokter spesialis anak; keluarga diusulkan Bapak Asuh.",
        ),
    ),
    TargetGroup.IBU_HAMIL: (
        (
            (Cause.MATERNAL_NUTRITION, Cause.POVERTY),
            "LiLA 22 cm saat K1 pada usia kehamilan 14 minggu; makan dua kali sehari; "
            "suami buruh harian.",
            "Skrining KEK pada calon pengantin dan PMT ibu hamil sejak K1.",
            "PMT ibu hamil 120 hari, tablet tambah darah 90 butir, kelas ibu hamil.",
        ),
        (
            (Cause.MATERNAL_NUTRITION, Cause.SERVICE_ACCESS),
            "Hb 9,8 g/dL; hanya minum 30 tablet tambah darah; K1 baru pada usia "
            "kehamilan 20 minggu.",
            "K1 pada trimester pertama dan pemantauan konsumsi tablet tambah darah oleh kader.",
            "Kunjungan ANC sesuai jadwal, pemeriksaan Hb ulang, konseling gizi.",
        ),
    ),
    TargetGroup.IBU_NIFAS: (
        (
            (Cause.LOW_BIRTH_SIZE, Cause.PREGNANCY_SPACING),
            "Bayi lahir 46 cm; jarak dengan kelahiran sebelumnya 14 bulan; ibu tidak "
            "memakai kontrasepsi.",
            "Konseling KB pasca persalinan dan perencanaan kehamilan.",
            "KB pasca persalinan, kunjungan nifas lengkap, pantau panjang bayi tiap bulan.",
        ),
    ),
    TargetGroup.CATIN: (
        (
            (Cause.MATERNAL_NUTRITION, Cause.PREGNANCY_SPACING),
            "Calon pengantin perempuan 18 tahun dengan LiLA 22,5 cm; rencana menikah "
            "dua bulan lagi.",
            "Skrining Elsimil tiga bulan sebelum menikah; pendampingan TPK.",
            "Tunda kehamilan, PMT dan tablet tambah darah, pendampingan TPK.",
        ),
    ),
}

RECOMMENDATIONS = {
    2: (
        "Perkuat kelas ibu hamil dan PMT ibu hamil KEK sejak K1 di kelurahan lokus.",
        "Setiap anak yang tidak datang ke posyandu dua bulan dilacak kader dan TPK.",
        "Padankan data e-PPGBM, Elsimil dan data keluarga berisiko stunting tiap bulan.",
        "Perluas akses air minum aman dan jamban sehat bagi keluarga berisiko stunting.",
    ),
    1: (
        "Lengkapi pengukuran panjang badan bayi baru lahir di semua fasilitas persalinan.",
        "Sosialisasi pencegahan stunting bagi calon pengantin bersama KUA.",
        "Salurkan bantuan pangan bagi keluarga miskin dengan balita stunting.",
    ),
}
# action, institution, recommendation index, kelurahan (index into the locus or None),
# due date, status, what was delivered
RTL = {
    2: (
        (
            "Kelas ibu hamil dua kali sebulan di tiap kelurahan lokus",
            DINKES,
            0,
            0,
            date(2025, 3, 31),
            ActionStatus.IN_PROGRESS,
            None,
        ),
        (
            "PMT lokal ibu hamil KEK 120 hari",
            DINKES,
            0,
            None,
            date(2025, 6, 30),
            ActionStatus.PLANNED,
            None,
        ),
        (
            "Pelacakan balita tidak hadir posyandu oleh TPK",
            DP3AP2KB,
            1,
            1,
            date(2024, 12, 31),
            ActionStatus.DONE,
            "Pelacakan selesai; 38 balita kembali ditimbang.",
        ),
        (
            "Pemadanan data e-PPGBM dan Elsimil",
            "Bappeda Kota Cilegon",
            2,
            None,
            date(2024, 12, 15),
            ActionStatus.PLANNED,
            None,
        ),
        (
            "Bantuan jamban sehat untuk keluarga berisiko stunting",
            "Baznas Kota Cilegon",
            3,
            2,
            date(2025, 2, 28),
            ActionStatus.IN_PROGRESS,
            None,
        ),
        (
            "Pendampingan Bapak Asuh bagi balita stunting keluarga miskin",
            "TP PKK Kota Cilegon",
            3,
            None,
            date(2024, 12, 20),
            ActionStatus.PLANNED,
            None,
        ),
    ),
    1: (
        (
            "Pengadaan alat ukur panjang bayi untuk klinik bersalin",
            DINKES,
            0,
            None,
            date(2024, 8, 31),
            ActionStatus.DONE,
            "12 infantometer dibagikan.",
        ),
        (
            "Bimbingan perkawinan dengan materi gizi bersama KUA",
            "Kemenag Kota Cilegon",
            1,
            None,
            date(2024, 9, 30),
            ActionStatus.DONE,
            "Materi gizi masuk bimwin di 8 KUA.",
        ),
        (
            "Paket sembako untuk keluarga miskin dengan balita stunting",
            "Dinas Sosial Kota Cilegon",
            2,
            0,
            date(2024, 9, 30),
            ActionStatus.IN_PROGRESS,
            None,
        ),
    ),
}
EVALUATIONS = (
    "Tercapai: semua klinik bersalin di kelurahan lokus memakai infantometer.",
    "Tercapai sebagian: baru 5 dari 8 KUA; dilanjutkan semester I 2025.",
    "Belum tercapai: data penerima belum dipadankan; dibahas ulang di rapat TPPS.",
)


@dataclass(frozen=True)
class AksCounts:
    """What the demo's audits hold."""

    audits: int
    cases: int
    rtl_items: int


def _audit(
    connection: Connection,
    period: Period,
    started: date,
    locus: list[str],
    institutions: dict[str, int],
) -> int:
    now = datetime.now(UTC)
    audit_id = store.insert_audit(
        connection,
        {"semester": period.label, "started_on": started, "created_at": now, "updated_at": now},
    )
    store.set_locus(connection, audit_id, locus)
    for team, role, name, institution in TEAM:
        store.insert_member(
            connection,
            {
                "audit_id": audit_id,
                "team": team,
                "role": role,
                "name": name,
                "institution_id": None if institution is None else institutions[institution],
                "user_id": None,
            },
        )
    return audit_id


def _cases(
    connection: Connection,
    audit_id: int,
    period: Period,
    started: date,
    wanted: int,
    rng: np.random.Generator,
) -> int:
    locus = store.locus_of(connection, audit_id)
    lines = candidate_lines(connection, period, locus, [])
    by_group: dict[TargetGroup, list[int]] = {}
    for index, line in enumerate(lines):
        by_group.setdefault(line.candidate.group, []).append(index)
    chosen: list[int] = []
    while len(chosen) < wanted and any(by_group.values()):  # round robin over the groups
        for group in TargetGroup:
            if by_group.get(group) and len(chosen) < wanted:
                chosen.append(by_group[group].pop(0))
    now = datetime.now(UTC)
    for number, index in enumerate(chosen, start=1):
        line = lines[index]
        c = line.candidate
        options = FINDINGS[c.group]
        causes, analysis, should_have, advice = options[int(rng.integers(len(options)))]
        reviewed = number <= wanted - 2  # the last two wait for the expert panel
        store.insert_case(
            connection,
            {
                "audit_id": audit_id,
                "number": number,
                "target_group": c.group,
                "child_id": c.child_id,
                "pregnancy_id": c.pregnancy_id,
                "catin_id": c.catin_id,
                "kelurahan_code": line.kelurahan_code,
                "reasons": " ".join(r.value for r in c.reasons),
                "confirmed_on": started + timedelta(days=7),
                "causes": causes_text(causes) if reviewed else None,
                "analysis": analysis if reviewed else None,
                "should_have": should_have if reviewed else None,
                "recommendation": advice if reviewed else None,
                "reviewed_on": started + timedelta(days=21) if reviewed else None,
                "updated_at": now,
            },
        )
    return len(chosen)


def _follow_up(
    connection: Connection, audit_id: int, half: int, agreed: date, institutions: dict[str, int]
) -> list[int]:
    now = datetime.now(UTC)
    recs = [
        store.insert_recommendation(connection, audit_id, text, now)
        for text in RECOMMENDATIONS[half]
    ]
    locus = [code for code, _ in store.locus_of(connection, audit_id)]
    ids = []
    for action, institution, rec, place, due, status, delivered in RTL[half]:
        values = {
            "kind": ActionKind.RTL,
            "action": action,
            "institution_id": institutions[institution],
            "kelurahan_code": None if place is None or place >= len(locus) else locus[place],
            "agreed_on": agreed,
            "due_on": due,
            "status": status,
            "delivered": delivered,
            "done_on": due - timedelta(days=5) if status is ActionStatus.DONE else None,
            "created_at": now,
            "updated_at": now,
        }
        action_id = insert_action(connection, values)
        store.link_rtl(connection, action_id, audit_id, recs[rec])
        ids.append(action_id)
    return ids


def _rank(row: LokusRow) -> int:
    return row.rank


def store_demo_aks(connection: Connection, seed: int) -> AksCounts:
    """The audits of semester I and II 2024 of the demo city (none when the demo has no
    stunted child in August 2024, e.g. a tiny scale)."""
    ranked = stunted_by_kelurahan(connection, date(2024, 8, 1), date(2024, 9, 1))
    if not ranked:
        return AksCounts(0, 0, 0)
    # The audit works in the year's lokus kelurahan (chosen in the analisis situasi, demo
    # aksi); without them, in the kelurahan with the most stunted children.
    lokus = [row.kelurahan_code for row in sorted(lokus_rows(connection, 2024), key=_rank)]
    locus = lokus or [k for k, _ in ranked]
    rng = np.random.default_rng(seed + STREAM_SALT)
    institutions = demo_institutions(connection, CITY_CODE)  # the partners' demo's
    s1, s2 = semester_period(2024, 1), semester_period(2024, 2)
    first = _audit(connection, s1, date(2024, 4, 15), locus[:3], institutions)
    cases = _cases(connection, first, s1, date(2024, 4, 15), CASES_PER_AUDIT[1], rng)
    store.update_audit(
        connection,
        first,
        {"disseminated_on": date(2024, 6, 20), "dissemination_place": "Aula Bappeda Kota Cilegon"},
    )
    old = _follow_up(connection, first, 1, date(2024, 6, 20), institutions)
    second = _audit(connection, s2, date(2024, 9, 16), locus[:4], institutions)
    cases += _cases(connection, second, s2, date(2024, 9, 16), CASES_PER_AUDIT[0], rng)
    store.update_audit(
        connection,
        second,
        {
            "disseminated_on": date(2024, 12, 5),
            "dissemination_place": "Ruang Rapat Sekda Kota Cilegon",
            "dissemination_note": "Hasil audit dibahas di rapat TPPS 26 November 2024 dan "
            "disebarluaskan kepada OPD dan mitra.",
        },
    )
    new = _follow_up(connection, second, 2, date(2024, 11, 26), institutions)
    for action_id, text in zip(old, EVALUATIONS, strict=True):
        update_action(
            connection, action_id, {"evaluation": text, "evaluated_on": date(2024, 11, 26)}
        )
    return AksCounts(2, cases, len(old) + len(new))
