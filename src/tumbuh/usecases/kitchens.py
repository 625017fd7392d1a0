"""Kitchens of PMT lokal for a user: the list, one kitchen with its funding lines, and the
changes to them, always inside the user's scope and audited (docs/kitchens.md).

Who may do what (applied here, once):

- admin: every kitchen; adds and changes them; the command line acts as a tool
  (:class:`Actor`) for the whole city;
- analyst: reads every kitchen, changes none;
- nutritionist: reads, adds and changes the kitchens of the kelurahan of her puskesmas
  working area;
- kitchen operator: reads their own kitchen;
- kader and partner: no kitchen (:class:`NotAllowed`).

A kitchen outside the scope is "not found" (:class:`OutOfScope`); a change by a role that
only reads is :class:`NotAllowed`. A refused value is a list of
:class:`~tumbuh.growth.kitchens.FieldError`, and nothing is written.
"""

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.kitchens import (
    FundingRow,
    KitchenNameTaken,
    KitchenRow,
    delete_funding,
    funding_row,
    funding_rows,
    insert_funding,
    insert_kitchen,
    kitchen_row,
    kitchen_rows,
    kitchen_users,
    lock_kitchen,
)
from tumbuh.db.kitchens import update_funding as store_funding
from tumbuh.db.kitchens import update_kitchen as store_kitchen
from tumbuh.db.models import RegionLevel
from tumbuh.db.models_access import AuditAction
from tumbuh.db.regions import regions
from tumbuh.growth.kitchens import FieldError, FieldProblem, FundingInput, KitchenInput
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, UserInfo
from tumbuh.usecases.transactions import writing

__all__ = [
    "COMMAND_LINE_SCOPE",
    "FundingRow",
    "KitchenList",
    "KitchenRow",
    "KitchenSaved",
    "KitchenView",
    "NotAllowed",
    "OutOfScope",
    "add_funding",
    "create_kitchen",
    "find_kitchen",
    "kelurahan_choices",
    "kitchen_choices",
    "kitchen_list",
    "remove_funding",
    "update_funding",
    "update_kitchen",
]

ENTITY = "kitchen"
FUNDING_ENTITY = "kitchen_funding"
COMMAND_LINE_SCOPE = Scope(Role.ADMIN, None, None, True, True, True, True, True)
READERS = frozenset({Role.ADMIN, Role.ANALYST, Role.NUTRITIONIST, Role.KITCHEN})
LOGGERS = frozenset({Role.ADMIN, Role.NUTRITIONIST, Role.KITCHEN})  # keep serving logs


def _readable(scope: Scope) -> frozenset[str] | None:
    """The kelurahan whose kitchens the role reads (None: all); NotAllowed for a role
    that reads no kitchen. A kitchen operator reads one kitchen by id (:func:`_covers`)."""
    if scope.role not in READERS:
        raise NotAllowed
    if scope.role is Role.NUTRITIONIST:
        return scope.kelurahan or frozenset()
    return None


def _covers(scope: Scope, kitchen: KitchenRow) -> bool:
    if scope.role is Role.KITCHEN:
        return kitchen.id == scope.kitchen_id
    codes = _readable(scope)
    return codes is None or kitchen.kelurahan_code in codes


def may_edit(scope: Scope, kelurahan_code: str | None = None) -> bool:
    """True when the role changes kitchens (of ``kelurahan_code``, when given)."""
    if scope.role is Role.ADMIN:
        return True
    if scope.role is not Role.NUTRITIONIST:
        return False
    return kelurahan_code is None or kelurahan_code in (scope.kelurahan or frozenset())


@dataclass(frozen=True)
class KitchenList:
    """The kitchens a user reads, and whether they may add one."""

    kitchens: list[KitchenRow]
    may_add: bool


def kitchen_list(connection: Connection, scope: Scope) -> KitchenList:
    """The kitchens of the scope, by kelurahan then name (a kitchen operator: their own)."""
    if scope.role is Role.KITCHEN:
        own = [] if scope.kitchen_id is None else [scope.kitchen_id]
        return KitchenList(kitchen_rows(connection, ids=own), False)
    return KitchenList(kitchen_rows(connection, kelurahan=_readable(scope)), may_edit(scope))


@dataclass(frozen=True)
class KitchenView:
    """One kitchen as its page shows it: its funding lines (in force today or not), the
    accounts of its operators (administrators only) and what the user may change."""

    kitchen: KitchenRow
    funding: list[FundingRow]
    in_force: frozenset[int]  # ids of the funding lines in force today
    operators: list[str]
    may_edit: bool
    may_log: bool  # the user keeps the kitchen's serving log


def _kitchen(connection: Connection, scope: Scope, kitchen_id: int) -> KitchenRow:
    found = kitchen_row(connection, kitchen_id)
    if found is None or not _covers(scope, found):
        raise OutOfScope
    return found


def find_kitchen(connection: Connection, scope: Scope, kitchen_id: int, today: date) -> KitchenView:
    """The kitchen if the scope covers it; else OutOfScope (NotAllowed for a role that
    reads no kitchen)."""
    kitchen = _kitchen(connection, scope, kitchen_id)
    lines = funding_rows(connection, [kitchen_id])
    in_force = frozenset(f.id for f in lines if f.starts_on <= today <= f.ends_on)
    operators = kitchen_users(connection, kitchen_id) if scope.may_administer else []
    return KitchenView(
        kitchen,
        lines,
        in_force,
        operators,
        may_edit(scope, kitchen.kelurahan_code),
        scope.role in LOGGERS,
    )


def kelurahan_choices(
    connection: Connection, scope: Scope, city_code: str
) -> list[tuple[str, str]]:
    """The kelurahan (code, name) a user may place a kitchen in, by name; NotAllowed for
    a role that changes no kitchen."""
    if not may_edit(scope):
        raise NotAllowed
    found = regions(connection, RegionLevel.KELURAHAN, within=city_code)
    allowed = [(r.code, r.display_name) for r in found if may_edit(scope, r.code)]
    return sorted(allowed, key=lambda pair: pair[1].lower())


def _kelurahan(
    connection: Connection, scope: Scope, typed: str, city_code: str
) -> tuple[str | None, list[FieldError]]:
    """The code of the kelurahan typed (its code or its name, either spelling) if the
    user may place a kitchen there; else the error listing those they may."""
    wanted = typed.strip().lower()
    allowed = [
        r
        for r in regions(connection, RegionLevel.KELURAHAN, within=city_code)
        if may_edit(scope, r.code)
    ]
    for region in allowed:
        if wanted in (region.code, region.name.lower(), region.display_name.lower()):
            return region.code, []
    accepted = ", ".join(sorted(r.display_name for r in allowed))
    return None, [FieldError(FieldProblem.UNKNOWN_KELURAHAN, "kelurahan", typed, accepted)]


def _columns(kitchen: KitchenInput, code: str) -> dict[str, object]:
    return {
        "name": kitchen.name,
        "kind": kitchen.kind.value,
        "kelurahan_code": code,
        "operator": kitchen.operator.value,
        "contact_name": kitchen.contact_name,
        "contact_phone": kitchen.contact_phone,
        "capacity": kitchen.capacity,
        "weekdays": kitchen.weekdays,
        "active": kitchen.active,
        "note": kitchen.note,
    }


def _record(row: KitchenRow) -> dict[str, object]:
    values = asdict(row)
    values.pop("kelurahan_name")
    values.pop("id")
    return values


def _taken(kitchen: KitchenInput) -> list[FieldError]:
    return [FieldError(FieldProblem.NAME_TAKEN, "name", kitchen.name, "")]


@dataclass(frozen=True)
class KitchenSaved:
    """What adding a kitchen did: its id, or why it was refused (nothing written)."""

    kitchen_id: int | None
    errors: list[FieldError]


def create_kitchen(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    kitchen: KitchenInput,
    *,
    city_code: str,
) -> KitchenSaved:
    """Add a kitchen (audited) and commit; NotAllowed for a role that adds none, the
    errors for a kelurahan outside the user's area or a name the kelurahan has already."""
    if not may_edit(scope):
        raise NotAllowed
    with writing(connection):
        code, errors = _kelurahan(connection, scope, kitchen.kelurahan, city_code)
        if code is None:
            return KitchenSaved(None, errors)
        now = datetime.now(UTC)
        values = _columns(kitchen, code)
        try:
            kitchen_id = insert_kitchen(
                connection, {**values, "created_at": now, "updated_at": now}
            )
        except KitchenNameTaken:
            return KitchenSaved(None, _taken(kitchen))
        write_audit(
            connection, user, AuditAction.CREATE, ENTITY, kitchen_id, before=None, after=values
        )
    return KitchenSaved(kitchen_id, [])


def update_kitchen(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    kitchen_id: int,
    kitchen: KitchenInput,
    *,
    city_code: str,
) -> list[FieldError]:
    """Store a kitchen's new values (audited when anything changed) and commit; the
    errors otherwise. OutOfScope for a kitchen the user does not read, NotAllowed for one
    they may not change; moving a kitchen needs the right to both kelurahan."""
    with writing(connection):
        lock_kitchen(connection, kitchen_id)
        before = _kitchen(connection, scope, kitchen_id)
        if not may_edit(scope, before.kelurahan_code):
            raise NotAllowed
        code, errors = _kelurahan(connection, scope, kitchen.kelurahan, city_code)
        if code is None:
            return errors
        values = _columns(kitchen, code)
        if values == _record(before):
            return []
        try:
            store_kitchen(connection, kitchen_id, {**values, "updated_at": datetime.now(UTC)})
        except KitchenNameTaken:
            return _taken(kitchen)
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            ENTITY,
            kitchen_id,
            before=_record(before),
            after=values,
        )
    return []


def _editable(connection: Connection, scope: Scope, kitchen_id: int) -> KitchenRow:
    kitchen = _kitchen(connection, scope, kitchen_id)
    if not may_edit(scope, kitchen.kelurahan_code):
        raise NotAllowed
    return kitchen


def _funding_columns(line: FundingInput) -> dict[str, object]:
    return {
        "source": line.source.value,
        "amount_rp": line.amount_rp,
        "starts_on": line.starts_on,
        "ends_on": line.ends_on,
        "note": line.note,
    }


def add_funding(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    kitchen_id: int,
    line: FundingInput,
) -> int:
    """Add a funding line to a kitchen (audited) and commit; its id."""
    with writing(connection):
        _editable(connection, scope, kitchen_id)
        values = {"kitchen_id": kitchen_id, **_funding_columns(line)}
        funding_id = insert_funding(connection, values)
        write_audit(
            connection,
            user,
            AuditAction.CREATE,
            FUNDING_ENTITY,
            funding_id,
            before=None,
            after=values,
        )
    return funding_id


def _line(connection: Connection, kitchen_id: int, funding_id: int) -> FundingRow:
    found = funding_row(connection, funding_id)
    if found is None or found.kitchen_id != kitchen_id:
        raise OutOfScope
    return found


def _funding_record(row: FundingRow) -> dict[str, object]:
    values = asdict(row)
    values.pop("id")
    return values


def update_funding(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    kitchen_id: int,
    funding_id: int,
    line: FundingInput,
) -> None:
    """Store a funding line's new source, amount, period or note (audited when anything
    changed) and commit; OutOfScope for a line of another kitchen."""
    with writing(connection):
        _editable(connection, scope, kitchen_id)
        before = _funding_record(_line(connection, kitchen_id, funding_id))
        values = {"kitchen_id": kitchen_id, **_funding_columns(line)}
        if values == before:
            return
        store_funding(connection, funding_id, values)
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            FUNDING_ENTITY,
            funding_id,
            before=before,
            after=values,
        )


def remove_funding(
    connection: Connection, scope: Scope, user: UserInfo | Actor, kitchen_id: int, funding_id: int
) -> None:
    """Remove a funding line (audited, with what it was) and commit."""
    with writing(connection):
        _editable(connection, scope, kitchen_id)
        before = _funding_record(_line(connection, kitchen_id, funding_id))
        delete_funding(connection, funding_id)
        write_audit(
            connection,
            user,
            AuditAction.DELETE,
            FUNDING_ENTITY,
            funding_id,
            before=before,
            after=None,
        )


def kitchen_choices(connection: Connection, scope: Scope) -> list[tuple[int, str]]:
    """Every kitchen (id, "name, kelurahan") an operator account may work at
    (administrators only; anyone else gets :class:`OutOfScope`)."""
    if not scope.may_administer:
        raise OutOfScope
    return [(k.id, f"{k.name}, {k.kelurahan_name}") for k in kitchen_rows(connection)]
