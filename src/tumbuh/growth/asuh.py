"""Bapak Asuh Anak Stunting rules: who is proposed first, how money received is drawn on,
and which public counts are too small to show (docs/asuh.md, docs/domain.md §7).

* **Proposals** (:func:`proposal_order`): the children with an open stunting case, stunted
  baduta (under 24 completed months) before the other balita, the most severe (lowest
  HAZ) first, spread across kelurahan: each kelurahan's most severe child comes before
  any kelurahan's second one, so one kelurahan with many cases does not take every place.
  BKKBN names stunted baduta and balita as the beneficiaries (docs/domain.md §7); the
  first 1,000 days are where stunting can still be prevented, hence baduta first.
* **Money** (:func:`allocate`): Baznas pools what sponsors pay. Each rupiah disbursed is
  drawn on the oldest money received and not yet disbursed (first in, first out), so a
  sponsor can follow what became of each payment. A disbursement never exceeds that
  balance (:func:`over_balance`).
* **Pledges** (:func:`pledge_months`): an amount a month for a number of months from a
  start month; what is due by a month is what the months up to it pledged.
* **Public counts** (:func:`public_count`): a count of children from 1 to
  :data:`PUBLIC_MINIMUM_COUNT` - 1 is not shown on the public page (it could point at a
  family in a small kelurahan); 0 is shown.

Pure: dates are passed in, nothing is read.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# re-exported: tumbuh.usecases.asuhan imports it from here; its home is growth.ages
from tumbuh.growth.ages import BADUTA_MONTHS as BADUTA_MONTHS  # noqa: PLC0414
from tumbuh.growth.ages import BALITA_MONTHS

PUBLIC_MINIMUM_COUNT = 5  # smaller counts of children are not published
PLEDGE_MONTHS_LIMIT = 60  # a pledge runs for 1 to 60 months
RUPIAH_LIMIT = 10_000_000_000  # Rp 10 billion: more in one entry is a typing slip


class SponsorKind(StrEnum):
    """Who a bapak asuh is (docs/domain.md §7 and §9: Cilegon's partners)."""

    OFFICIAL = "official"  # a pejabat, with the OPD they lead
    POLRES = "polres"
    KODIM = "kodim"
    KEMENAG = "kemenag"
    BAZNAS = "baznas"
    COMPANY = "company"  # a firm's CSR
    INSTITUTION = "institution"  # another institution
    PERSON = "person"


class PledgeKind(StrEnum):
    """Money a month, or help in kind."""

    MONEY = "money"
    IN_KIND = "in_kind"


class Channel(StrEnum):
    """How pledged money travels (in Cilegon: through Baznas)."""

    BAZNAS = "baznas"
    DIRECT = "direct"  # handed over by the sponsor (help in kind)
    OTHER = "other"


class AsuhanKind(StrEnum):
    """The two forms of help of BAAS (docs/domain.md §7)."""

    PRIORITAS = "prioritas"  # animal-protein food, water and sanitation
    PENDAMPING = "pendamping"  # counselling and help to earn


class RecipientKind(StrEnum):
    """Where a disbursement goes: a kelurahan's kitchen (dapur umum) or a family package."""

    KITCHEN = "kitchen"
    FAMILY = "family"


def pledge_months(start_month: date, months: int) -> list[date]:
    """The first days of the ``months`` months a pledge covers from ``start_month``."""
    first = start_month.year * 12 + start_month.month - 1
    return [date((first + i) // 12, (first + i) % 12 + 1, 1) for i in range(months)]


@dataclass(frozen=True)
class Candidate:
    """A child with an open stunting case: where, how old, how short (HAZ; None unknown)."""

    child_id: int
    kelurahan_code: str
    age_months: int  # completed months on the day of the list
    haz: float | None
    case_id: int | None = None


def _severity(candidate: Candidate) -> tuple[float, int, int]:
    haz = candidate.haz
    known = haz if haz is not None and math.isfinite(haz) else math.inf  # unknown: last
    return known, candidate.age_months, candidate.child_id


def proposal_order(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates in the order to propose them, balita only (under 60 months).

    Baduta before older balita; inside each, round after round across kelurahan: every
    kelurahan's most severe child (lowest HAZ, then the younger, then the lower id), then
    every kelurahan's second, and so on; inside a round, the most severe first.
    """
    eligible = [c for c in candidates if 0 <= c.age_months < BALITA_MONTHS]
    groups: dict[tuple[bool, str], list[Candidate]] = {}
    for candidate in eligible:
        key = (candidate.age_months >= BADUTA_MONTHS, candidate.kelurahan_code)
        groups.setdefault(key, []).append(candidate)
    ranked: list[tuple[bool, int, tuple[float, int, int], Candidate]] = []
    for (older, _), members in groups.items():
        for rank, candidate in enumerate(sorted(members, key=_severity)):
            ranked.append((older, rank, _severity(candidate), candidate))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked]


@dataclass(frozen=True)
class Unspent:
    """A payment's money received and not yet disbursed (rupiah)."""

    payment_id: int
    amount: int


def over_balance(amount: int, balance: int) -> bool:
    """True when a disbursement of ``amount`` exceeds the ``balance`` (rupiah)."""
    return amount > balance


def allocate(amount: int, unspent: Sequence[Unspent]) -> list[tuple[int, int]]:
    """(payment id, rupiah) drawn for a disbursement of ``amount``: the payments in the
    order given (oldest first), each as far as it goes. ValueError when they hold less
    than ``amount`` (the caller checks :func:`over_balance` first)."""
    if amount <= 0:
        raise ValueError(f"a disbursement of {amount} rupiah")
    drawn: list[tuple[int, int]] = []
    left = amount
    for item in unspent:
        if left == 0:
            break
        take = min(item.amount, left)
        if take > 0:
            drawn.append((item.payment_id, take))
            left -= take
    if left:
        raise ValueError(f"{left} rupiah of {amount} not covered by the payments given")
    return drawn


def public_count(count: int, minimum: int = PUBLIC_MINIMUM_COUNT) -> int | None:
    """``count`` when it may be published; None for 1 to ``minimum`` - 1 (too few)."""
    return None if 0 < count < minimum else count
