"""Asuhan: the fair proposal list of children with an open stunting case, the asuhan a
TPPS officer confirms, and the deliveries made under them; every change audited
(docs/asuh.md, "Asuhan"). Who may: :func:`tumbuh.usecases.asuh.manages`.

The ``record_*`` functions write many rows in the caller's transaction (uncommitted,
audited, unchecked for scope): for the demo generator. The others check the scope, open
their own transaction and commit.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from tumbuh.db.asuh import (
    AsuhanRow,
    DeliveryRow,
    asuhan_rows,
    child_exists,
    delivery_rows,
    family_exists,
    insert_rows,
    open_stunting_case,
    stunted_children,
    update_asuhan,
)
from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_asuh import Asuhan, Delivery
from tumbuh.growth.asuh import BADUTA_MONTHS, AsuhanKind, Candidate, proposal_order
from tumbuh.usecases.access import OutOfScope, Scope, UserInfo
from tumbuh.usecases.asuh import (
    ASUHAN,
    DELIVERY,
    actor_ids,
    age_months,
    audit_created,
    known_sponsors,
    manages,
    shown_name,
)
from tumbuh.usecases.asuh_input import AsuhanTerms, FieldError, NewAsuhan, NewDelivery
from tumbuh.usecases.transactions import writing

__all__ = [
    "AsuhanView",
    "DeliveryRow",
    "DeliveryView",
    "Proposal",
    "add_delivery",
    "asuhan_list",
    "confirm_asuhan",
    "delivery_list",
    "end_asuhan",
    "proposal_list",
    "record_asuhan",
    "record_deliveries",
]


# --- proposals and asuhan -------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A child proposed for an asuhan: its place in the fair order and why."""

    rank: int  # 1 first
    case_id: int
    child_id: int
    child: str  # the name as the role may see it
    age_months: int
    baduta: bool
    kelurahan_code: str
    kelurahan_name: str
    posyandu_name: str
    haz: float | None
    opened_on: date


def proposal_list(
    connection: Connection, scope: Scope, today: date, *, limit: int | None = None
) -> list[Proposal]:
    """The children to propose for an asuhan, in the fair order of
    :func:`tumbuh.growth.asuh.proposal_order`: open stunting cases of balita without an
    asuhan running today; the first ``limit`` when given."""
    manages(scope)
    found = {s.child_id: s for s in stunted_children(connection, without_asuhan_on=today)}
    candidates = [
        Candidate(s.child_id, s.kelurahan_code, age_months(s.birth_date, today), s.haz, s.case_id)
        for s in found.values()
    ]
    ordered = proposal_order(candidates)[:limit]
    return [
        Proposal(
            rank=i,
            case_id=found[c.child_id].case_id,
            child_id=c.child_id,
            child=shown_name(scope, found[c.child_id].child_name),
            age_months=c.age_months,
            baduta=c.age_months < BADUTA_MONTHS,
            kelurahan_code=c.kelurahan_code,
            kelurahan_name=found[c.child_id].kelurahan_name,
            posyandu_name=found[c.child_id].posyandu_name,
            haz=c.haz,
            opened_on=found[c.child_id].opened_on,
        )
        for i, c in enumerate(ordered, 1)
    ]


def _check_asuhan(
    connection: Connection, new: NewAsuhan, taken: set[tuple[int, AsuhanKind]]
) -> None:
    if new.child_id is not None and not child_exists(connection, new.child_id):
        raise FieldError(
            "{field}: there is no child number {value}", field="child_id", value=new.child_id
        )
    if new.family_id is not None and not family_exists(connection, new.family_id):
        raise FieldError(
            "{field}: there is no family number {value}", field="family_id", value=new.family_id
        )
    if (new.child_id is None) == (new.family_id is None):
        raise FieldError("{field}: choose either a child or a family", field="child_id")
    if new.end_on is not None and new.end_on < new.start_on:
        raise FieldError(
            "{field}: {value} is before the start ({start}); an asuhan ends after it starts",
            field="end_on",
            value=new.end_on.isoformat(),
            start=new.start_on.isoformat(),
        )
    if new.child_id is not None and (new.child_id, new.kind) in taken:
        raise FieldError(
            "{field}: child number {value} already has an asuhan of this kind running on "
            "{start}; end that one first",
            field="child_id",
            value=new.child_id,
            start=new.start_on.isoformat(),
        )


def _running_kinds(connection: Connection, day: date) -> set[tuple[int, AsuhanKind]]:
    return {
        (a.child_id, a.kind)
        for a in asuhan_rows(connection, running_on=day)
        if a.child_id is not None
    }


def record_asuhan(
    connection: Connection, user: UserInfo | Actor, asuhan: Sequence[NewAsuhan]
) -> list[int]:
    """Add asuhan in the caller's transaction (audited); their ids in order. Refused: a
    child or family that does not exist, both or neither, an end before the start, a
    child with an asuhan of the same kind running on the start day."""
    known_sponsors(connection, {a.sponsor_id for a in asuhan})
    running: dict[date, set[tuple[int, AsuhanKind]]] = {}
    for new in asuhan:
        taken = running.setdefault(new.start_on, _running_kinds(connection, new.start_on))
        _check_asuhan(connection, new, taken)
        if new.child_id is not None:
            taken.add((new.child_id, new.kind))
    now, by = datetime.now(UTC), actor_ids(user)
    rows = [{**asdict(a), "confirmed_at": now, "confirmed_by": by} for a in asuhan]
    ids = insert_rows(connection, Asuhan, rows)
    audit_created(connection, user, ASUHAN, ids, [asdict(a) for a in asuhan])
    return ids


def confirm_asuhan(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    terms: AsuhanTerms,
    *,
    child_ids: Sequence[int] = (),
    family_ids: Sequence[int] = (),
) -> list[int]:
    """Confirm asuhan of one sponsor for the chosen children (each tied to its open
    stunting case, when it has one) and families, and commit; their ids."""
    manages(scope)
    if not child_ids and not family_ids:
        raise FieldError("{field}: choose at least one child", field="child_id")
    with writing(connection):
        new = [
            NewAsuhan(
                terms.sponsor_id,
                terms.kind,
                terms.start_on,
                child_id=child,
                case_id=open_stunting_case(connection, child),
                end_on=terms.end_on,
                note=terms.note,
            )
            for child in dict.fromkeys(child_ids)
        ]
        new += [
            NewAsuhan(
                terms.sponsor_id,
                terms.kind,
                terms.start_on,
                family_id=family,
                end_on=terms.end_on,
                note=terms.note,
            )
            for family in dict.fromkeys(family_ids)
        ]
        return record_asuhan(connection, user, new)


@dataclass(frozen=True)
class AsuhanView:
    """An asuhan as the TPPS pages show it."""

    id: int
    sponsor_id: int
    sponsor_name: str
    kind: AsuhanKind
    child_id: int | None
    family_id: int | None
    who: str  # the child as the role may see it, or the family's number
    age_months: int | None
    kelurahan_name: str | None
    start_on: date
    end_on: date | None
    running: bool


def _view(scope: Scope, row: AsuhanRow, today: date) -> AsuhanView:
    if row.child_name is not None and row.birth_date is not None:
        who, age = shown_name(scope, row.child_name), age_months(row.birth_date, today)
    else:
        who, age = f"#{row.family_id}", None
    running = row.start_on <= today and (row.end_on is None or row.end_on >= today)
    return AsuhanView(
        row.id,
        row.sponsor_id,
        row.sponsor_name,
        row.kind,
        row.child_id,
        row.family_id,
        who,
        age,
        row.kelurahan_name,
        row.start_on,
        row.end_on,
        running,
    )


def asuhan_list(
    connection: Connection,
    scope: Scope,
    today: date,
    *,
    sponsor_id: int | None = None,
    running: bool = False,
) -> list[AsuhanView]:
    """Asuhan (of one sponsor; only those running today), newest start first."""
    manages(scope)
    rows = asuhan_rows(connection, sponsor_id=sponsor_id, running_on=today if running else None)
    return [_view(scope, r, today) for r in rows]


def end_asuhan(
    connection: Connection, scope: Scope, user: UserInfo | Actor, asuhan_id: int, end_on: date
) -> None:
    """End an asuhan on ``end_on`` (audited) and commit."""
    manages(scope)
    with writing(connection):
        found = asuhan_rows(connection, ids=[asuhan_id])
        if not found:
            raise OutOfScope
        row = found[0]
        if end_on < row.start_on:
            raise FieldError(
                "{field}: {value} is before the start ({start}); an asuhan ends after it starts",
                field="end_on",
                value=end_on.isoformat(),
                start=row.start_on.isoformat(),
            )
        update_asuhan(connection, asuhan_id, {"end_on": end_on})
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            ASUHAN,
            asuhan_id,
            before={"end_on": row.end_on},
            after={"end_on": end_on},
        )


# --- deliveries -----------------------------------------------------------------------


def record_deliveries(
    connection: Connection, user: UserInfo | Actor, deliveries: Sequence[NewDelivery]
) -> list[int]:
    """Add deliveries in the caller's transaction (audited); their ids. Refused: an
    asuhan that does not exist, or a day before it started."""
    known = {a.id: a for a in asuhan_rows(connection, ids={d.asuhan_id for d in deliveries})}
    for new in deliveries:
        row = known.get(new.asuhan_id)
        if row is None:
            raise FieldError(
                "{field}: there is no asuhan number {value}", field="asuhan_id", value=new.asuhan_id
            )
        if new.delivered_on < row.start_on:
            raise FieldError(
                "{field}: {value} is before the asuhan started ({start})",
                field="delivered_on",
                value=new.delivered_on.isoformat(),
                start=row.start_on.isoformat(),
            )
    now, by = datetime.now(UTC), actor_ids(user)
    rows = [{**asdict(d), "created_at": now, "created_by": by} for d in deliveries]
    ids = insert_rows(connection, Delivery, rows)
    audit_created(connection, user, DELIVERY, ids, [asdict(d) for d in deliveries])
    return ids


def add_delivery(
    connection: Connection, scope: Scope, user: UserInfo | Actor, new: NewDelivery
) -> int:
    """Record a delivery and commit; its id."""
    manages(scope)
    with writing(connection):
        return record_deliveries(connection, user, [new])[0]


@dataclass(frozen=True)
class DeliveryView:
    """A delivery with the asuhan it belongs to."""

    delivery: DeliveryRow
    asuhan: AsuhanView


def delivery_list(
    connection: Connection, scope: Scope, today: date, *, limit: int = 200
) -> list[DeliveryView]:
    """The latest deliveries, newest first, with their asuhan."""
    manages(scope)
    rows = delivery_rows(connection, limit=limit)
    found = {a.id: a for a in asuhan_rows(connection, ids={d.asuhan_id for d in rows})}
    return [DeliveryView(d, _view(scope, found[d.asuhan_id], today)) for d in rows]
