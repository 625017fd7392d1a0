"""The demo city's PMT kitchens and their funding lines (docs/demo-city.md, "PMT lokal").

Modelled on what Cilegon's press reports (docs/domain.md §6, §7):

* a **Dapur Umum PKK** run by the kelurahan's TP PKK in most kelurahan: a few pilots from
  late 2022, the others opened during 2023; paid from the APBD each budget year, from
  non-physical DAK for PMT lokal in 2024, in 20 kelurahan with the Rp 7.5 million of
  **Bapak Asuh Anak Stunting** money that Baznas passed on (proposed by the lurah, late
  2023 to early 2024), and here and there from Baznas' own funds or a company's CSR;
* Kecamatan Cilegon's **Dapur Stunting KAMUS**, cooking on Monday, Wednesday and Friday
  since 2022 for the children of its five kelurahan;
* two **DASHAT** kitchens of a Kampung KB (run by its Pokja, paid from BKKBN's DAK);
* the **Dapur Sehat Atasi Anak Stunting 2024**, three months in Kedaleman for the children
  of Kecamatan Cibeber, with ingredients for the kitchens of 20 kelurahan.

Names, phone numbers, amounts and dates are invented (the press gives only the facts
above): contacts are drawn like the demo's other people, and phone numbers start with
``0840``, a prefix no Indonesian mobile operator uses.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from tumbuh.db.models import RegionLevel
from tumbuh.db.regions import packaged_regions
from tumbuh.demo.names import person_names
from tumbuh.demo.places import Places
from tumbuh.growth.pmt import Funding, KitchenKind, KitchenOperator

DEMO_END = date(2024, 12, 31)  # a kitchen funded to this day goes on after the demo
MONDAY_TO_SATURDAY = 63  # Monday = 1, Tuesday = 2, ... Saturday = 32, Sunday = 64
MONDAY_TO_FRIDAY = 31
MONDAY_WEDNESDAY_FRIDAY = 1 + 4 + 16
TUESDAY_THURSDAY_SATURDAY = 2 + 8 + 32
PKK_SHARE = 0.8  # of the kelurahan run a Dapur Umum PKK
PKK_PILOTS = 6  # opened in late 2022; the others during 2023
BAPAK_ASUH_KELURAHAN = 20
BAPAK_ASUH_RP = 7_500_000  # per kelurahan (selatsunda, Nov 2023)
INGREDIENT_KELURAHAN = 20  # Dapur Sehat Atasi Anak Stunting 2024 (cilegoncorner)
INGREDIENT_RP = 4_500_000
KAMUS_KELURAHAN = "Bagendung"  # Kecamatan Cilegon's hotspot (titiknol)
DAPUR_SEHAT_KELURAHAN = "Kedaleman"
DAPUR_SEHAT_PERIOD = (date(2024, 5, 1), date(2024, 7, 31))  # "3 months" in 2024
CSR_KECAMATAN = ("Ciwandan", "Citangkil", "Grogol", "Pulomerak")  # the industrial estates
BAPAK_ASUH_NOTE = "Bapak Asuh Anak Stunting, disalurkan Baznas Kota Cilegon atas usulan lurah"


@dataclass(frozen=True)
class FundingLine:
    """One funding line of a kitchen (``kitchen_funding``)."""

    id: int
    kitchen_id: int
    source: Funding
    amount_rp: int
    starts_on: date
    ends_on: date
    note: str

    def covers(self, day: date) -> bool:
        """Whether the line pays for ``day``."""
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class KitchenPlan:
    """One kitchen (``kitchen``), and the kelurahan whose children it feeds: its own,
    and for a kitchen of the kecamatan all of the kecamatan's."""

    id: int
    name: str
    kind: KitchenKind
    kelurahan_code: str
    operator: KitchenOperator
    contact_name: str
    contact_phone: str
    capacity: int  # servings a day
    weekdays: int  # bit per day it cooks, Monday = 1
    note: str
    serves: frozenset[str]
    lines: tuple[FundingLine, ...]
    opened_on: date  # the first day a line pays for
    closes_on: date | None  # its last day (None: it goes on after the demo's end)

    def cooks_on(self, day: date) -> bool:
        """Whether it cooks on ``day``: its weekday, from its first line's start to its
        closing (a kitchen's lines follow each other without a gap)."""
        if not self.weekdays & (1 << day.weekday()) or day < self.opened_on:
            return False
        return self.closes_on is None or day <= self.closes_on


@dataclass
class _Draft:
    name: str
    kind: KitchenKind
    kelurahan_code: str
    operator: KitchenOperator
    capacity: int
    weekdays: int
    note: str
    serves: frozenset[str]
    lines: list[tuple[Funding, int, date, date, str]]


def _year_lines(
    source: Funding, per_year_rp: int, opened: date, note: str
) -> list[tuple[Funding, int, date, date, str]]:
    """One line per budget year from ``opened`` to 2024, pro rata in the first year."""
    lines = []
    for year in range(opened.year, 2025):
        start = max(opened, date(year, 1, 1))
        share = ((date(year, 12, 31) - start).days + 1) / 365
        amount = round(per_year_rp * share / 500_000) * 500_000
        lines.append((source, amount, start, date(year, 12, 31), f"{note} {year}"))
    return lines


def _kelurahan() -> tuple[dict[str, str], dict[str, str]]:
    """Kelurahan code -> name, and -> kecamatan name, of Kota Cilegon."""
    regions = [r for r in packaged_regions() if r.code.startswith("36.72.")]
    kecamatan = {r.code: r.display_name for r in regions if r.level is RegionLevel.KECAMATAN}
    kelurahan = [r for r in regions if r.level is RegionLevel.KELURAHAN]
    return (
        {r.code: r.display_name for r in kelurahan},
        {r.code: kecamatan[str(r.parent_code)] for r in kelurahan},
    )


def _code(names: dict[str, str], name: str) -> str:
    return next(code for code, found in names.items() if found == name)


def _capacity(places: Places, code: str) -> int:
    posyandu = sum(1 for k in places.posyandu_kelurahan if k == code)
    return int(np.clip(10 + 2.5 * posyandu, 15, 35))


def _pkk(rng: np.random.Generator, places: Places, names: dict[str, str]) -> list[_Draft]:
    codes = sorted(names)
    chosen = sorted(rng.choice(codes, round(PKK_SHARE * len(codes)), replace=False).tolist())
    pilots = set(rng.choice(chosen, PKK_PILOTS, replace=False).tolist())
    drafts = []
    for code in chosen:
        if code in pilots:
            opened = date(2022, 9, 1) + timedelta(days=int(rng.integers(0, 75)))
        else:
            opened = date(2023, 3, 1) + timedelta(days=int(rng.integers(0, 225)))
        capacity = _capacity(places, code)
        apbd = _year_lines(Funding.APBD, 1_500_000 * capacity, opened, "APBD Kota Cilegon")
        dak = (
            Funding.DAK,
            900_000 * capacity,
            date(2024, 3, 1),
            date(2024, 12, 31),
            "DAK non-fisik PMT lokal 2024",
        )
        drafts.append(
            _Draft(
                name=f"Dapur Umum PKK {names[code]}",
                kind=KitchenKind.DAPUR_UMUM_PKK,
                kelurahan_code=code,
                operator=KitchenOperator.TP_PKK,
                capacity=capacity,
                weekdays=MONDAY_TO_SATURDAY if rng.random() < 0.75 else MONDAY_TO_FRIDAY,
                note=f"Dapur umum TP PKK Kelurahan {names[code]}",
                serves=frozenset({code}),
                lines=[*apbd, dak],
            )
        )
    return drafts


def _add_partners(
    rng: np.random.Generator, drafts: list[_Draft], kecamatan: dict[str, str]
) -> None:
    """Bapak Asuh money through Baznas, Baznas' own funds, CSR, and the ingredients of
    the Dapur Sehat Atasi Anak Stunting 2024, on some of the Dapur Umum PKK."""
    open_by_december = [d for d in drafts if min(line[2] for line in d.lines) < date(2023, 12, 1)]
    asuh = rng.choice(len(open_by_december), BAPAK_ASUH_KELURAHAN, replace=False)
    for k, i in enumerate(sorted(asuh.tolist())):
        start = date(2023, 12, 4) + timedelta(days=int(k * 70 / BAPAK_ASUH_KELURAHAN))
        open_by_december[i].lines.append(
            (Funding.BAPAK_ASUH, BAPAK_ASUH_RP, start, start + timedelta(days=89), BAPAK_ASUH_NOTE)
        )
    baznas = "Dana zakat dan infak Baznas Kota Cilegon"
    for i in rng.choice(len(drafts), 5, replace=False).tolist():
        drafts[i].lines.append(
            (Funding.BAZNAS, 10_000_000, date(2024, 6, 1), date(2024, 11, 30), baznas)
        )
    for name in CSR_KECAMATAN:
        there = [d for d in drafts if kecamatan[d.kelurahan_code] == name]
        if there:
            chosen = there[int(rng.integers(0, len(there)))]
            chosen.lines.append(
                (
                    Funding.CSR,
                    36_000_000,
                    date(2023, 7, 1),
                    date(2024, 6, 30),
                    "CSR perusahaan kawasan industri",
                )
            )
    start, end = DAPUR_SEHAT_PERIOD
    note = "Bantuan bahan pangan Dapur Sehat Atasi Anak Stunting 2024"
    for i in rng.choice(
        len(drafts), min(INGREDIENT_KELURAHAN, len(drafts)), replace=False
    ).tolist():
        drafts[i].lines.append((Funding.APBD, INGREDIENT_RP, start, end, note))


def _programmes(
    rng: np.random.Generator, names: dict[str, str], kecamatan: dict[str, str]
) -> list[_Draft]:
    """KAMUS, the Dapur Sehat Atasi Anak Stunting 2024 and two DASHAT kitchens."""

    def of_kecamatan(name: str) -> frozenset[str]:
        return frozenset(code for code, found in kecamatan.items() if found == name)

    kamus = _Draft(
        name="Dapur Stunting KAMUS Kecamatan Cilegon",
        kind=KitchenKind.KAMUS,
        kelurahan_code=_code(names, KAMUS_KELURAHAN),
        operator=KitchenOperator.TP_PKK,
        capacity=30,
        weekdays=MONDAY_WEDNESDAY_FRIDAY,
        note="Memasak sekitar tiga kali seminggu sejak 2022 untuk anak se-Kecamatan Cilegon",
        serves=of_kecamatan("Cilegon"),
        lines=[
            *_year_lines(Funding.APBD, 42_000_000, date(2022, 3, 7), "APBD Kecamatan Cilegon"),
            (Funding.CSR, 24_000_000, date(2024, 1, 1), date(2024, 12, 31), "CSR perusahaan"),
        ],
    )
    start, end = DAPUR_SEHAT_PERIOD
    sehat = _Draft(
        name="Dapur Sehat Atasi Anak Stunting 2024",
        kind=KitchenKind.DASHAT,
        kelurahan_code=_code(names, DAPUR_SEHAT_KELURAHAN),
        operator=KitchenOperator.TPK,
        capacity=40,
        weekdays=MONDAY_TO_SATURDAY,
        note="Program tiga bulan yang dimulai di Kedaleman, untuk anak se-Kecamatan Cibeber",
        serves=of_kecamatan("Cibeber"),
        lines=[(Funding.APBD, 90_000_000, start, end, "APBD Kota Cilegon 2024")],
    )
    taken = {kamus.kelurahan_code, sehat.kelurahan_code}
    free = sorted(code for code in names if code not in taken)
    dashat = []
    for k, code in enumerate(sorted(rng.choice(free, 2, replace=False).tolist())):
        opened = (date(2022, 8, 1), date(2023, 2, 1))[k]
        dashat.append(
            _Draft(
                name=f"DASHAT Kampung KB {names[code]}",
                kind=KitchenKind.DASHAT,
                kelurahan_code=code,
                operator=KitchenOperator.POKJA,
                capacity=15,
                weekdays=TUESDAY_THURSDAY_SATURDAY,
                note="DASHAT Kampung KB, dikelola Pokja; menu berganti tiap bulan",
                serves=frozenset({code}),
                lines=_year_lines(Funding.DAK, 24_000_000, opened, "DAK BOKB"),
            )
        )
    return [kamus, sehat, *dashat]


def build_kitchens(rng: np.random.Generator, places: Places) -> list[KitchenPlan]:
    """The demo city's kitchens with their funding lines (ids from 1)."""
    names, kecamatan = _kelurahan()
    drafts = _programmes(rng, names, kecamatan)
    pkk = _pkk(rng, places, names)
    _add_partners(rng, pkk, kecamatan)
    drafts += pkk
    contacts = person_names(rng, np.zeros(len(drafts), dtype=bool))
    phones = rng.integers(0, 100_000_000, len(drafts)).tolist()
    kitchens = []
    line_id = 0
    for k, (draft, contact, phone) in enumerate(zip(drafts, contacts, phones, strict=True)):
        lines = []
        for source, amount, start, end, note in sorted(draft.lines, key=lambda x: (x[2], x[0])):
            line_id += 1
            lines.append(FundingLine(line_id, k + 1, source, amount, start, end, note))
        kitchens.append(
            KitchenPlan(
                id=k + 1,
                name=draft.name,
                kind=draft.kind,
                kelurahan_code=draft.kelurahan_code,
                operator=draft.operator,
                contact_name=contact,
                contact_phone=f"0840{phone:08d}",
                capacity=draft.capacity,
                weekdays=draft.weekdays,
                note=draft.note,
                serves=draft.serves,
                lines=tuple(lines),
                opened_on=min(line.starts_on for line in lines),
                closes_on=_closing(lines),
            )
        )
    return kitchens


def _closing(lines: list[FundingLine]) -> date | None:
    """The last day of the last line, or None when it reaches :data:`DEMO_END`."""
    closes = max(line.ends_on for line in lines)
    return None if closes >= DEMO_END else closes
