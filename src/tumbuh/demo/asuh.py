"""The demo city's Bapak Asuh Anak Stunting (docs/asuh.md, docs/demo-city.md): sponsors,
pledges, money received and disbursed through Baznas, asuhan and their deliveries, drawn
from a seeded generator after the cases and written through the Bapak Asuh use cases'
bulk functions (audited as actor ``demo``), in the caller's transaction.

What Cilegon reported (docs/domain.md §7) shapes it:

* On 31 Oct 2023, 44 officials became orang tua asuh: the Wali Kota, the Wakil, the
  Sekda, OPD heads, the camat and lurah (by POSITION; the names are invented, from
  :mod:`tumbuh.demo.names`). Each pledged Rp 3 million a month per child for 3 months
  from November 2023, a few for two children, two in kind: Rp 441 million in money.
* By 27 Nov 2023 five officials had paid Rp 31 million; later payments trickle in, one
  month's share at a time, and most officials never pay in full (nobody pays more than
  pledged). In 2024 firms' CSR, Polres, Kodim, Kemenag and Baznas itself pledge and pay.
* Baznas pays Rp 7.5 million per kelurahan, on the lurah's proposal, to its dapur umum:
  one disbursement per Bapak Asuh funding line of the demo's kitchens
  (:mod:`tumbuh.demo.pmt_kitchens`, 20 kelurahan from December 2023), linked to that
  kitchen, a few days before it starts cooking on the money, or later when the balance
  does not yet allow it (the use case refuses more than the balance).
* The demo's cases open from the referral lists of the city's last months, so asuhan are
  confirmed from the fair proposal list (open stunting cases on the day) month by month
  from then: mostly asuhan prioritas, some pendamping, with food packages delivered about
  weekly by a TPK member or kader (a counselling visit a month for pendamping).

No day is after the city's last measurement.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import Connection, func, select

from tumbuh.db.asuh import kelurahan_names
from tumbuh.db.audit import Actor
from tumbuh.db.models import Measurement, Region, table_of
from tumbuh.db.models_cases import NutritionCase
from tumbuh.db.models_pmt import Kitchen, KitchenFunding
from tumbuh.demo.names import FEMALE_NAMES, FEMALE_SECOND, MALE_NAMES, MALE_SECOND
from tumbuh.growth.asuh import AsuhanKind, Channel, PledgeKind, RecipientKind, SponsorKind
from tumbuh.growth.pmt import Funding
from tumbuh.ingest.regions import RegionLevel
from tumbuh.usecases.asuh import COMMAND_LINE_SCOPE, record_pledges, record_sponsors
from tumbuh.usecases.asuh_input import (
    NewAsuhan,
    NewDelivery,
    NewDisbursement,
    NewPayment,
    NewPledge,
    NewSponsor,
)
from tumbuh.usecases.asuh_money import record_disbursements, record_payments
from tumbuh.usecases.asuhan import proposal_list, record_asuhan, record_deliveries

DEMO_ACTOR = Actor("demo")
COHORT_DAY = date(2023, 10, 31)  # 44 officials became orang tua asuh
FIRST_MONTH = date(2023, 11, 1)  # their pledges run from November 2023
EARLY_DAY = date(2023, 11, 27)  # Rp 31 million from 5 officials by then
EARLY_PAYMENTS = (9_000_000, 9_000_000, 6_000_000, 4_000_000, 3_000_000)  # Rp 31 million
CHILD_MONTH = 3_000_000  # rupiah a child a month
PLEDGE_MONTHS = 3
OPD_HEADS = (
    "Kepala Dinas Kesehatan",
    "Kepala DP3AP2KB",
    "Kepala Bappeda",
    "Kepala Dinas Sosial",
    "Kepala Dinas Pendidikan dan Kebudayaan",
    "Kepala Dinas Ketahanan Pangan dan Pertanian",
    "Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
    "Kepala Dinas Perumahan dan Kawasan Permukiman",
    "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    "Kepala Dinas Komunikasi dan Informatika",
    "Kepala Dinas Lingkungan Hidup",
    "Kepala Dinas Perhubungan",
    "Kepala Dinas Tenaga Kerja",
    "Kepala Dinas Koperasi dan UKM",
    "Kepala BPKAD",
    "Inspektur Kota",
    "Kepala Badan Kepegawaian",
)
COHORT = 44
IN_KIND = "Paket telur dan susu untuk anak asuh selama 3 bulan"
INSTITUTIONS = (  # 2024: (kind, name, children, month pledged)
    (SponsorKind.COMPANY, "PT Contoh Baja Demo (CSR)", 4, date(2024, 3, 1)),
    (SponsorKind.COMPANY, "PT Contoh Kimia Demo (CSR)", 3, date(2024, 5, 1)),
    (SponsorKind.POLRES, "Polres Cilegon", 2, date(2024, 2, 1)),
    (SponsorKind.KODIM, "Kodim 0623/Cilegon", 2, date(2024, 4, 1)),
    (SponsorKind.KEMENAG, "Kemenag Kota Cilegon", 1, date(2024, 6, 1)),
    (SponsorKind.BAZNAS, "Baznas Kota Cilegon", 3, date(2024, 1, 1)),
)
PACKAGES = (
    "Paket makanan bergizi: telur, ikan, sayur",
    "Paket makanan bergizi: telur, ayam, buah",
    "Paket makanan bergizi: susu, telur, kacang hijau",
)
VISIT = "Kunjungan konseling gizi dan usaha keluarga"
PROPOSAL_SHARE = 0.6  # of the proposal list confirmed each month, at most


@dataclass(frozen=True)
class AsuhCounts:
    """What the demo's Bapak Asuh holds."""

    sponsors: int
    payments: int
    disbursements: int
    asuhan: int
    deliveries: int


def _name(rng: np.random.Generator) -> str:
    if rng.random() < 0.7:
        return f"{rng.choice(MALE_NAMES)} {rng.choice(MALE_SECOND)}"
    return f"{rng.choice(FEMALE_NAMES)} {rng.choice(FEMALE_SECOND)}"


def _places(connection: Connection, city_code: str, level: RegionLevel) -> dict[str, str]:
    r = table_of(Region)
    query = (
        select(r.c.code, func.coalesce(r.c.local_name, r.c.name))
        .where(r.c.level == level.value, r.c.code.startswith(f"{city_code}."))
        .order_by(r.c.code)
    )
    return {str(code): str(name) for code, name in connection.execute(query)}


def _positions(connection: Connection, city_code: str, rng: np.random.Generator) -> list[str]:
    """The 44 officials' positions: the city's leaders, OPD heads, every camat, lurah."""
    top = ["Wali Kota Cilegon", "Wakil Wali Kota Cilegon", "Sekretaris Daerah"]
    camat = [f"Camat {n}" for n in _places(connection, city_code, RegionLevel.KECAMATAN).values()]
    lurah = [f"Lurah {n}" for n in kelurahan_names(connection, city_code).values()]
    heads = list(OPD_HEADS)
    fixed = top + heads + camat
    chosen = rng.choice(len(lurah), size=min(len(lurah), COHORT - len(fixed)), replace=False)
    return (fixed + [lurah[i] for i in sorted(chosen.tolist())])[:COHORT]


def _cohort(
    connection: Connection, city_code: str, rng: np.random.Generator
) -> tuple[list[int], list[int | None], list[int]]:
    """Record the officials and their pledges: sponsor ids, money pledged (None: in
    kind), pledge ids."""
    positions = _positions(connection, city_code, rng)
    listed = rng.random(len(positions)) < 0.4
    sponsors = [
        NewSponsor(SponsorKind.OFFICIAL, _name(rng), position, listed_publicly=bool(public))
        for position, public in zip(positions, listed.tolist(), strict=True)
    ]
    ids = record_sponsors(connection, DEMO_ACTOR, sponsors)
    others = list(range(3, len(ids)))
    double = {0, 1, 2, *rng.choice(others, size=4, replace=False).tolist()}
    goods = set(rng.choice([i for i in others if i not in double], size=2, replace=False).tolist())
    pledges: list[NewPledge] = []
    money: list[int | None] = []
    for i, sponsor in enumerate(ids):
        note = "Orang tua asuh sejak 31 Oktober 2023"
        if i in goods:
            pledges.append(
                NewPledge(
                    sponsor,
                    PledgeKind.IN_KIND,
                    FIRST_MONTH,
                    PLEDGE_MONTHS,
                    in_kind=IN_KIND,
                    channel=Channel.DIRECT,
                    note=note,
                )
            )
            money.append(None)
            continue
        monthly = CHILD_MONTH * (2 if i in double else 1)
        pledges.append(
            NewPledge(
                sponsor,
                PledgeKind.MONEY,
                FIRST_MONTH,
                PLEDGE_MONTHS,
                monthly_amount_rupiah=monthly,
                note=note,
            )
        )
        money.append(monthly * PLEDGE_MONTHS)
    pledge_ids = record_pledges(connection, DEMO_ACTOR, pledges)
    return ids, money, pledge_ids


def _day_between(rng: np.random.Generator, first: date, last: date) -> date:
    return first + timedelta(days=int(rng.integers(0, max((last - first).days, 0) + 1)))


def _official_payments(
    rng: np.random.Generator,
    ids: list[int],
    money: list[int | None],
    pledge_ids: list[int],
    end: date,
) -> list[NewPayment]:
    """Five officials by 27 Nov 2023 (Rp 31 million), then a slow trickle: one month's
    share at a time, most never in full, nobody more than pledged."""
    payers = [i for i, m in enumerate(money) if m is not None]
    early = rng.choice(payers, size=len(EARLY_PAYMENTS), replace=False).tolist()
    paid = dict.fromkeys(payers, 0)
    found: list[tuple[int, date, int]] = []
    for i, amount in zip(early, EARLY_PAYMENTS, strict=True):
        found.append((i, _day_between(rng, date(2023, 11, 6), EARLY_DAY), amount))
        paid[i] += amount
    for i in payers:
        pledged = money[i] or 0
        instalments = int(rng.choice([0, 0, 0, 1, 1, 2, 3, 6]))
        day = EARLY_DAY + timedelta(days=int(rng.integers(5, 60)))
        for _ in range(instalments):
            share = min(CHILD_MONTH, pledged - paid[i])
            if share <= 0 or day > end:
                break
            found.append((i, day, share))
            paid[i] += share
            day += timedelta(days=int(rng.integers(20, 75)))
    found.sort(key=lambda f: (f[1], f[0]))
    return [
        NewPayment(ids[i], day, amount, f"BZN/ASUH/{day:%Y%m}/{n:04d}", pledge_id=pledge_ids[i])
        for n, (i, day, amount) in enumerate(found, 1)
    ]


def _institutions(
    connection: Connection, rng: np.random.Generator, end: date, first_number: int
) -> tuple[list[tuple[int, int]], list[NewPayment]]:
    """The 2024 partners: each pledges for some children and pays in one or two parts;
    (sponsor id, children) and the payments."""
    active = [item for item in INSTITUTIONS if item[3] <= end]
    ids = record_sponsors(
        connection,
        DEMO_ACTOR,
        [NewSponsor(kind, name, name, listed_publicly=True) for kind, name, _, _ in active],
    )
    pledges = [
        NewPledge(sponsor, PledgeKind.MONEY, start, PLEDGE_MONTHS, CHILD_MONTH * children)
        for sponsor, (_, _, children, start) in zip(ids, active, strict=True)
    ]
    pledge_ids = record_pledges(connection, DEMO_ACTOR, pledges)
    payments: list[NewPayment] = []
    number = first_number
    for sponsor, pledge, new in zip(ids, pledge_ids, pledges, strict=True):
        total = (new.monthly_amount_rupiah or 0) * new.months
        parts = [total] if rng.random() < 0.5 else [total // 2, total - total // 2]
        day = new.start_month + timedelta(days=int(rng.integers(3, 25)))
        for amount in parts:
            if day > end:
                break
            payments.append(
                NewPayment(sponsor, day, amount, f"BZN/ASUH/{day:%Y%m}/{number:04d}", pledge)
            )
            number += 1
            day += timedelta(days=int(rng.integers(30, 70)))
    return [(sponsor, item[2]) for sponsor, item in zip(ids, active, strict=True)], payments


def _kitchen_lines(connection: Connection) -> list[tuple[date, int, str, int, str]]:
    """The kitchens' Bapak Asuh funding lines, by start: (start, kitchen id, kelurahan
    code, amount, kitchen name)."""
    f, k = table_of(KitchenFunding), table_of(Kitchen)
    query = (
        select(f.c.starts_on, k.c.id, k.c.kelurahan_code, f.c.amount_rp, k.c.name)
        .join(k, k.c.id == f.c.kitchen_id)
        .where(f.c.source == Funding.BAPAK_ASUH)
        .order_by(f.c.starts_on, k.c.id)
    )
    return [(r[0], int(r[1]), str(r[2]), int(r[3]), str(r[4])) for r in connection.execute(query)]


def _disbursements(
    connection: Connection,
    rng: np.random.Generator,
    payments: list[NewPayment],
    end: date,
) -> list[NewDisbursement]:
    """Baznas pays each kitchen's Bapak Asuh funding line (Rp 7.5 million on its lurah's
    proposal) a few days before the kitchen starts cooking on it, or as soon after as the
    money received allows; the money goes to that kitchen."""
    income = sorted((p.received_on, p.amount_rupiah) for p in payments)
    found: list[NewDisbursement] = []
    spent = 0
    for starts_on, kitchen, code, amount, name in _kitchen_lines(connection):
        day = starts_on - timedelta(days=int(rng.integers(1, 8)))
        while day <= end and sum(a for on, a in income if on <= day) - spent < amount:
            day += timedelta(days=1)
        if day > end:
            break
        number = len(found) + 1
        found.append(
            NewDisbursement(
                day,
                code,
                amount,
                f"{number:03d}/PROP-ASUH/{day:%m}/{day:%Y}",
                RecipientKind.KITCHEN,
                kitchen_name=name,
                kitchen_id=kitchen,
                note="Usulan lurah",
            )
        )
        spent += amount
    return found


def _case_months(connection: Connection) -> tuple[list[date], date]:
    """The first days of the months with cases, and the city's last measurement day."""
    k, m = table_of(NutritionCase), table_of(Measurement)
    first = connection.execute(select(func.min(k.c.opened_on))).scalar_one()
    last = connection.execute(select(func.max(m.c.measured_on))).scalar_one()
    months: list[date] = []
    if first is None:
        return months, last
    month = date(first.year, first.month, 1)
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months, last


def _confirm(
    connection: Connection,
    rng: np.random.Generator,
    sponsors: list[tuple[int, int]],
) -> list[tuple[int, NewAsuhan]]:
    """Month by month, from the proposal list of the 15th (cases opened by then), the
    first children in the fair order go to the sponsors with places left (the places
    spread evenly over the months)."""
    months, end = _case_months(connection)
    places = dict(sponsors)
    order = [sponsor for sponsor, _ in sponsors]
    made: list[tuple[int, NewAsuhan]] = []
    for n, month in enumerate(months):
        day = min(month + timedelta(days=14), end)
        proposals = [
            p for p in proposal_list(connection, COMMAND_LINE_SCOPE, day) if p.opened_on <= day
        ]
        quota = -(-sum(places.values()) // (len(months) - n))  # places left spread evenly
        take = min(int(np.ceil(len(proposals) * PROPOSAL_SHARE)), quota)
        new: list[NewAsuhan] = []
        for proposal in proposals[:take]:
            free = [s for s in order if places[s] > 0]
            if not free:
                break
            sponsor = free[0]
            places[sponsor] -= 1
            kind = AsuhanKind.PENDAMPING if rng.random() < 0.2 else AsuhanKind.PRIORITAS
            planned = day + timedelta(days=90)
            new.append(
                NewAsuhan(
                    sponsor,
                    kind,
                    day,
                    child_id=proposal.child_id,
                    case_id=proposal.case_id,
                    end_on=planned if planned <= end else None,
                )
            )
        ids = record_asuhan(connection, DEMO_ACTOR, new)
        made += list(zip(ids, new, strict=True))
    return made


def _deliveries(
    rng: np.random.Generator, made: list[tuple[int, NewAsuhan]], end: date
) -> list[NewDelivery]:
    """Food packages about weekly (a counselling visit a month for pendamping), from a few
    days after the start to the end, none after the city's last day."""
    found: list[NewDelivery] = []
    for asuhan_id, new in made:
        who = f"{rng.choice(['Kader TPK', 'Kader PKK', 'Bidan TPK'])} {_name(rng)}"
        last = min(new.end_on or end, end)
        pendamping = new.kind is AsuhanKind.PENDAMPING
        day = new.start_on + timedelta(days=int(rng.integers(1, 6)))
        while day <= last:
            what = VISIT if pendamping else str(rng.choice(PACKAGES))
            found.append(NewDelivery(asuhan_id, day, what, who))
            step = (26, 35) if pendamping else (6, 9)
            day += timedelta(days=int(rng.integers(*step)))
    return found


def store_demo_asuh(connection: Connection, city_code: str, seed: int) -> AsuhCounts:
    """Record the demo city's Bapak Asuh in the caller's transaction (after its cases)."""
    rng = np.random.default_rng(seed + 14)
    m = table_of(Measurement)
    end = connection.execute(select(func.max(m.c.measured_on))).scalar_one()
    ids, money, pledge_ids = _cohort(connection, city_code, rng)
    payments = _official_payments(rng, ids, money, pledge_ids, end)
    partners, more = _institutions(connection, rng, end, len(payments) + 1)
    payments = sorted(payments + more, key=lambda p: (p.received_on, p.reference))
    record_payments(connection, DEMO_ACTOR, payments)
    disbursements = _disbursements(connection, rng, payments, end)
    record_disbursements(connection, DEMO_ACTOR, disbursements, city_code=city_code)
    places = [
        (s, 2 if pledged is not None and pledged > CHILD_MONTH * PLEDGE_MONTHS else 1)
        for s, pledged in zip(ids, money, strict=True)
    ]
    made = _confirm(connection, rng, places + partners)
    deliveries = _deliveries(rng, made, end)
    record_deliveries(connection, DEMO_ACTOR, deliveries)
    return AsuhCounts(
        len(ids) + len(partners), len(payments), len(disbursements), len(made), len(deliveries)
    )
