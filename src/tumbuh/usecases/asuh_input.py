"""What a Bapak Asuh form, API call or command brings, read from text and checked, with
errors that name the field, the value and what is accepted (docs/asuh.md).

Pages, the API and the commands read the same fields as strings through the ``read_*``
functions here, so each mistake gets one message everywhere. A :class:`FieldError`
names its field by key (:data:`FIELD_NAMES`: the form field, the API's JSON key, the
command's option without ``--``); its message names it in the user's language.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from tumbuh.errors import NamedFieldError
from tumbuh.formatting import format_integer
from tumbuh.growth.asuh import (
    PLEDGE_MONTHS_LIMIT,
    RUPIAH_LIMIT,
    AsuhanKind,
    Channel,
    PledgeKind,
    RecipientKind,
    SponsorKind,
)
from tumbuh.i18n import Language

E = TypeVar("E", bound=StrEnum)
Raw = Mapping[str, str]

FIELD_NAMES: dict[str, str] = {
    "kind": "Kind",
    "name": "Name",
    "institution": "OPD or institution",
    "contact": "Contact",
    "listed_publicly": "May be named on the public page",
    "sponsor_id": "Bapak asuh",
    "pledge_id": "Pledge",
    "monthly_amount_rupiah": "Amount a month (Rp)",
    "in_kind": "Help in kind",
    "months": "Months",
    "start_month": "First month",
    "channel": "Channel",
    "received_on": "Day received",
    "amount_rupiah": "Amount (Rp)",
    "reference": "Receipt number",
    "paid_on": "Day paid out",
    "kelurahan_code": "Kelurahan",
    "proposal_reference": "Proposal number",
    "recipient_kind": "Recipient",
    "kitchen_name": "Kitchen",
    "kitchen_id": "Kitchen number",
    "start_on": "Start",
    "end_on": "End",
    "child_id": "Child",
    "family_id": "Family",
    "case_id": "Case",
    "asuhan_id": "Asuhan",
    "delivered_on": "Day delivered",
    "what": "What was delivered",
    "delivered_by": "Delivered by",
    "note": "Note",
}
TEXT_LIMITS = {"name": 100, "delivered_by": 100, "reference": 100, "proposal_reference": 100}
TEXT_LIMIT = 200
YES = ("1", "true", "ya", "yes", "on")
NO = ("", "0", "false", "tidak", "no", "off")
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


class FieldError(NamedFieldError):
    """Input the user can fix, in one field; ``field`` is its key in :data:`FIELD_NAMES`,
    and the message names it in the user's language."""

    FIELD_NAMES = FIELD_NAMES


def _text(raw: Raw, key: str) -> str:
    return str(raw.get(key) or "").strip()


def text(raw: Raw, key: str, *, required: bool = False) -> str | None:
    """The field's text (None when empty); refused when required and empty, or too long."""
    value = _text(raw, key)
    limit = TEXT_LIMITS.get(key, TEXT_LIMIT)
    if required and not value:
        raise FieldError("{field}: fill it in", field=key)
    if len(value) > limit:
        raise FieldError("{field}: use at most {limit} characters", field=key, limit=limit)
    if any(ord(c) < 32 for c in value):
        raise FieldError("{field}: remove the control characters", field=key)
    return value or None


def rupiah(raw: Raw, key: str) -> int | None:
    """Whole rupiah: ``7500000``, ``7.500.000`` or ``Rp 7.500.000`` (None when empty)."""
    value = _text(raw, key)
    if not value:
        return None
    digits = re.sub(r"^rp\.?\s*", "", value.lower()).replace(" ", "")
    if _GROUPED.match(digits):
        digits = digits.replace(".", "").replace(",", "")
    if not digits.isdigit():
        raise FieldError(
            "{field}: '{value}' is not an amount in whole rupiah; write digits, for example "
            "7500000 or 7.500.000",
            field=key,
            value=value,
        )
    amount = int(digits)
    if not 0 < amount <= RUPIAH_LIMIT:
        raise FieldError(
            "{field}: {value} is not accepted; write an amount from 1 to {limit} rupiah",
            field=key,
            value=value,
            limit=format_integer(RUPIAH_LIMIT, Language.ID),
        )
    return amount


def whole(raw: Raw, key: str, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` (None when empty)."""
    value = _text(raw, key)
    if not value:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise FieldError(
            "{field}: '{value}' is not accepted; write a whole number from {low} to {high}",
            field=key,
            value=value,
            low=low,
            high=high,
        )
    return int(value)


def day(raw: Raw, key: str, today: date) -> date | None:
    """A day ``YYYY-MM-DD`` up to ``today`` (None when empty)."""
    value = _text(raw, key)
    if not value:
        return None
    try:
        found = date.fromisoformat(value)
    except ValueError:
        raise FieldError(
            "{field}: '{value}' is not a date; write it as YYYY-MM-DD, for example 2023-11-27",
            field=key,
            value=value,
        ) from None
    if found > today:
        raise FieldError(
            "{field}: {value} is after today; write a day that has come", field=key, value=value
        )
    return found


def month(raw: Raw, key: str) -> date | None:
    """The first day of a month written ``YYYY-MM`` (None when empty)."""
    value = _text(raw, key)
    if not value:
        return None
    found = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if (
        found is None
        or not 1 <= int(found.group(2)) <= 12
        or not 2000 <= int(found.group(1)) <= 2100
    ):
        raise FieldError(
            "{field}: '{value}' is not a month; write it as YYYY-MM, for example 2023-11",
            field=key,
            value=value,
        )
    return date(int(found.group(1)), int(found.group(2)), 1)


def choice(enum: type[E], raw: Raw, key: str, default: E | None = None) -> E:
    """One of the enum's values (``default`` when empty and one is given)."""
    value = _text(raw, key)
    if not value and default is not None:
        return default
    try:
        return enum(value)
    except ValueError:
        accepted = ", ".join(m.value for m in enum)
        raise FieldError(
            "{field}: '{value}' is not one of the choices; accepted: {accepted}",
            field=key,
            value=value,
            accepted=accepted,
        ) from None


def flag(raw: Raw, key: str) -> bool:
    """Yes or no (an unticked box sends nothing: no)."""
    value = _text(raw, key).lower()
    if value in YES or value in NO:
        return value in YES
    raise FieldError(
        "{field}: '{value}' is not one of the choices; accepted: {accepted}",
        field=key,
        value=value,
        accepted="ya, tidak",
    )


def identifier(raw: Raw, key: str) -> int | None:
    """A record's number (None when empty)."""
    return whole(raw, key, 1, 2**31 - 1)


@dataclass(frozen=True)
class NewSponsor:
    """A bapak asuh to record."""

    kind: SponsorKind
    name: str
    institution: str | None = None
    contact: str | None = None
    listed_publicly: bool = False


@dataclass(frozen=True)
class NewPledge:
    """A pledge: money a month, or help in kind, for some months from a first month."""

    sponsor_id: int
    kind: PledgeKind
    start_month: date
    months: int
    monthly_amount_rupiah: int | None = None
    in_kind: str | None = None
    channel: Channel = Channel.BAZNAS
    note: str | None = None


@dataclass(frozen=True)
class NewPayment:
    """Money Baznas received from a sponsor."""

    sponsor_id: int
    received_on: date
    amount_rupiah: int
    reference: str
    pledge_id: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class NewDisbursement:
    """Money Baznas paid out on a kelurahan's proposal; only on ``sponsor_id``'s money
    when given, else on the oldest money received."""

    paid_on: date
    kelurahan_code: str
    amount_rupiah: int
    proposal_reference: str
    recipient_kind: RecipientKind = RecipientKind.KITCHEN
    kitchen_name: str | None = None
    kitchen_id: int | None = None
    note: str | None = None
    sponsor_id: int | None = None


@dataclass(frozen=True)
class NewAsuhan:
    """A sponsorship to confirm: a sponsor and a child (or a family), kind, start, end."""

    sponsor_id: int
    kind: AsuhanKind
    start_on: date
    child_id: int | None = None
    family_id: int | None = None
    case_id: int | None = None
    end_on: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class NewDelivery:
    """Help delivered under an asuhan."""

    asuhan_id: int
    delivered_on: date
    what: str
    delivered_by: str
    note: str | None = None


def _read(
    readers: Mapping[str, Callable[[], object]], needed: tuple[str, ...] = ()
) -> tuple[dict[str, object], list[FieldError]]:
    """Each field's value, read by its reader, and the errors of every field at once
    (a ``needed`` field left empty is one)."""
    values: dict[str, object] = {}
    errors: list[FieldError] = []
    for key, reader in readers.items():
        try:
            values[key] = reader()
        except FieldError as error:
            errors.append(error)
    errors += [
        FieldError("{field}: fill it in", field=key)
        for key in needed
        if key in values and values[key] is None
    ]
    return values, errors


def read_sponsor(raw: Raw) -> tuple[NewSponsor | None, list[FieldError]]:
    """The sponsor a form describes, or what to fix."""
    values, errors = _read(
        {
            "kind": lambda: choice(SponsorKind, raw, "kind"),
            "name": lambda: text(raw, "name", required=True),
            "institution": lambda: text(raw, "institution"),
            "contact": lambda: text(raw, "contact"),
            "listed_publicly": lambda: flag(raw, "listed_publicly"),
        }
    )
    if errors:
        return None, errors
    return NewSponsor(**values), []  # type: ignore[arg-type]


def read_pledge(raw: Raw, sponsor_id: int) -> tuple[NewPledge | None, list[FieldError]]:
    """The pledge a form describes (money when an amount is given, else in kind)."""
    values, errors = _read(
        {
            "monthly_amount_rupiah": lambda: rupiah(raw, "monthly_amount_rupiah"),
            "in_kind": lambda: text(raw, "in_kind"),
            "months": lambda: whole(raw, "months", 1, PLEDGE_MONTHS_LIMIT),
            "start_month": lambda: month(raw, "start_month"),
            "channel": lambda: choice(Channel, raw, "channel", Channel.BAZNAS),
            "note": lambda: text(raw, "note"),
        },
        ("months", "start_month"),
    )
    failed = {e.field for e in errors}
    money, goods = values.get("monthly_amount_rupiah"), values.get("in_kind")
    if not failed & {"monthly_amount_rupiah", "in_kind"} and (money is None) == (goods is None):
        errors.append(
            FieldError(
                "{field}: give either an amount a month or what is given in kind, not both",
                field="monthly_amount_rupiah",
            )
        )
    if errors:
        return None, errors
    kind = PledgeKind.MONEY if money is not None else PledgeKind.IN_KIND
    return NewPledge(sponsor_id, kind, **values), []  # type: ignore[arg-type]


def read_payment(raw: Raw, today: date) -> tuple[NewPayment | None, list[FieldError]]:
    """The payment a form describes."""
    values, errors = _read(
        {
            "sponsor_id": lambda: identifier(raw, "sponsor_id"),
            "received_on": lambda: day(raw, "received_on", today),
            "amount_rupiah": lambda: rupiah(raw, "amount_rupiah"),
            "reference": lambda: text(raw, "reference", required=True),
            "pledge_id": lambda: identifier(raw, "pledge_id"),
            "note": lambda: text(raw, "note"),
        },
        ("sponsor_id", "received_on", "amount_rupiah"),
    )
    if errors:
        return None, errors
    return NewPayment(**values), []  # type: ignore[arg-type]


def read_disbursement(raw: Raw, today: date) -> tuple[NewDisbursement | None, list[FieldError]]:
    """The disbursement a form describes."""
    values, errors = _read(
        {
            "paid_on": lambda: day(raw, "paid_on", today),
            "kelurahan_code": lambda: text(raw, "kelurahan_code", required=True),
            "amount_rupiah": lambda: rupiah(raw, "amount_rupiah"),
            "proposal_reference": lambda: text(raw, "proposal_reference", required=True),
            "recipient_kind": lambda: choice(
                RecipientKind, raw, "recipient_kind", RecipientKind.KITCHEN
            ),
            "kitchen_name": lambda: text(raw, "kitchen_name"),
            "kitchen_id": lambda: identifier(raw, "kitchen_id"),
            "note": lambda: text(raw, "note"),
            "sponsor_id": lambda: identifier(raw, "sponsor_id"),
        },
        ("paid_on", "amount_rupiah"),
    )
    kitchen = values.get("recipient_kind") is RecipientKind.KITCHEN
    named = values.get("kitchen_name") is not None or values.get("kitchen_id") is not None
    if kitchen and "kitchen_name" in values and not named:
        errors.append(
            FieldError("{field}: name the kitchen the money goes to", field="kitchen_name")
        )
    if errors:
        return None, errors
    return NewDisbursement(**values), []  # type: ignore[arg-type]


def read_delivery(raw: Raw, today: date) -> tuple[NewDelivery | None, list[FieldError]]:
    """The delivery a form describes."""
    values, errors = _read(
        {
            "asuhan_id": lambda: identifier(raw, "asuhan_id"),
            "delivered_on": lambda: day(raw, "delivered_on", today),
            "what": lambda: text(raw, "what", required=True),
            "delivered_by": lambda: text(raw, "delivered_by", required=True),
            "note": lambda: text(raw, "note"),
        },
        ("asuhan_id", "delivered_on"),
    )
    if errors:
        return None, errors
    return NewDelivery(**values), []  # type: ignore[arg-type]


@dataclass(frozen=True)
class AsuhanTerms:
    """What a confirmation gives every chosen child: the sponsor, kind, start and end."""

    sponsor_id: int
    kind: AsuhanKind
    start_on: date
    end_on: date | None
    note: str | None


def read_terms(raw: Raw, today: date) -> tuple[AsuhanTerms | None, list[FieldError]]:
    """The terms of a confirmation (the start may be up to today)."""
    values, errors = _read(
        {
            "sponsor_id": lambda: identifier(raw, "sponsor_id"),
            "kind": lambda: choice(AsuhanKind, raw, "kind", AsuhanKind.PRIORITAS),
            "start_on": lambda: day(raw, "start_on", today),
            "end_on": lambda: _any_day(raw, "end_on"),
            "note": lambda: text(raw, "note"),
        },
        ("sponsor_id", "start_on"),
    )
    start, end = values.get("start_on"), values.get("end_on")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors.append(
            FieldError(
                "{field}: {value} is before the start ({start}); an asuhan ends after it starts",
                field="end_on",
                value=end.isoformat(),
                start=start.isoformat(),
            )
        )
    if errors:
        return None, errors
    return AsuhanTerms(**values), []  # type: ignore[arg-type]


def _any_day(raw: Raw, key: str) -> date | None:
    """A day ``YYYY-MM-DD``, in the future too (an asuhan's planned end)."""
    return day(raw, key, date.max)
