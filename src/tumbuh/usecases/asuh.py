"""Bapak Asuh for the TPPS and administrators: sponsors and their pledges, and what the
other Bapak Asuh use cases share; every change audited (docs/asuh.md). The proposals,
asuhan and deliveries are :mod:`tumbuh.usecases.asuhan`'s, the money
:mod:`tumbuh.usecases.asuh_money`'s, a sponsor's own view and the public page
:mod:`tumbuh.usecases.asuh_views`'.

Who may do what (applied here, once): roles with ``may_manage_asuh`` (administrators
and the TPPS analysts) everything; anyone else gets :class:`OutOfScope` ("not found").
Children are named in full for roles that may see children (administrators), by their
initials otherwise (the TPPS analyst confirms proposals without names).

The ``record_*`` functions write many rows in the caller's transaction (uncommitted,
audited, unchecked for scope): for the demo generator and imports. The others check the
scope, open their own transaction and commit.
"""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.asuh import (
    PledgeRow,
    SponsorRow,
    insert_rows,
    kelurahan_names,
    pledge_rows,
    sponsor_row,
    sponsor_rows,
    update_sponsor,
)
from tumbuh.db.audit import Actor, write_audit, write_audits
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_asuh import Pledge, Sponsor
from tumbuh.growth.ages import completed_months
from tumbuh.privacy import mask_name
from tumbuh.usecases.access import OutOfScope, Role, Scope, UserInfo
from tumbuh.usecases.asuh_input import (
    FieldError,
    NewPledge,
    NewSponsor,
)
from tumbuh.usecases.transactions import writing

__all__ = [
    "ASUHAN",
    "COMMAND_LINE_SCOPE",
    "DELIVERY",
    "PledgeRow",
    "SponsorRow",
    "actor_ids",
    "add_pledge",
    "add_sponsor",
    "age_months",
    "audit_created",
    "change_sponsor",
    "find_sponsor",
    "kelurahan_choices",
    "known_sponsors",
    "manages",
    "pledges_of",
    "record_pledges",
    "record_sponsors",
    "shown_name",
    "sponsor_list",
]

# The command line acts for the whole city, as an administrator (audited "cli:<user>").
COMMAND_LINE_SCOPE = Scope(Role.ADMIN, None, None, True, True, True, True, True, True)
SPONSOR, PLEDGE, ASUHAN, DELIVERY = "asuh_sponsor", "asuh_pledge", "asuhan", "asuh_delivery"


def manages(scope: Scope) -> None:
    """Refuse (as "not found") a role that does not run Bapak Asuh."""
    if not scope.may_manage_asuh:
        raise OutOfScope


def actor_ids(user: UserInfo | Actor) -> int | None:
    """The user id an actor's rows are stored with (None for a tool)."""
    return user.id if isinstance(user, UserInfo) else user.user_id


def age_months(born: date, today: date) -> int:
    """Completed months on ``today`` (Permenkes 2/2020)."""
    days = np.array([born, today], dtype="datetime64[D]")
    return int(completed_months(days[:1], days[1:])[0])


def shown_name(scope: Scope, name: str) -> str:
    """The child's name as the role may see it: in full, or the initials."""
    return name if scope.may_see_children else mask_name(name)


def audit_created(
    connection: Connection,
    user: UserInfo | Actor,
    entity: str,
    ids: list[int],
    rows: list[dict[str, object]],
) -> None:
    changes = [(i, None, row) for i, row in zip(ids, rows, strict=True)]
    write_audits(connection, user, AuditAction.CREATE, entity, changes)


# --- sponsors and pledges -------------------------------------------------------------


def record_sponsors(
    connection: Connection, user: UserInfo | Actor, sponsors: Sequence[NewSponsor]
) -> list[int]:
    """Add sponsors in the caller's transaction (audited); their ids in order."""
    now = datetime.now(UTC)
    rows = [{**asdict(s), "created_at": now} for s in sponsors]
    for sponsor in sponsors:
        if not sponsor.name.strip():
            raise FieldError("{field}: fill it in", field="name")
    ids = insert_rows(connection, Sponsor, rows)
    audit_created(connection, user, SPONSOR, ids, [asdict(s) for s in sponsors])
    return ids


def add_sponsor(
    connection: Connection, scope: Scope, user: UserInfo | Actor, new: NewSponsor
) -> SponsorRow:
    """Record a sponsor and commit."""
    manages(scope)
    with writing(connection):
        sponsor_id = record_sponsors(connection, user, [new])[0]
        found = sponsor_row(connection, sponsor_id)
    if found is None:  # pragma: no cover - inserted just above
        raise RuntimeError("sponsor vanished after insert")
    return found


def change_sponsor(
    connection: Connection, scope: Scope, user: UserInfo | Actor, sponsor_id: int, new: NewSponsor
) -> SponsorRow:
    """Store a sponsor's new kind, name, institution, contact or consent (audited)."""
    manages(scope)
    with writing(connection):
        before = sponsor_row(connection, sponsor_id)
        if before is None:
            raise OutOfScope
        update_sponsor(connection, sponsor_id, asdict(new))
        after = sponsor_row(connection, sponsor_id)
        if after is None:  # pragma: no cover - updated just above
            raise RuntimeError("sponsor vanished after update")
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            SPONSOR,
            sponsor_id,
            before=asdict(before),
            after=asdict(after),
        )
    return after


def sponsor_list(connection: Connection, scope: Scope) -> list[SponsorRow]:
    """Every sponsor, by name."""
    manages(scope)
    return sponsor_rows(connection)


def find_sponsor(connection: Connection, scope: Scope, sponsor_id: int) -> SponsorRow:
    """One sponsor; OutOfScope when there is none."""
    manages(scope)
    found = sponsor_row(connection, sponsor_id)
    if found is None:
        raise OutOfScope
    return found


def known_sponsors(connection: Connection, ids: set[int], field: str = "sponsor_id") -> None:
    known = {s.id for s in sponsor_rows(connection, ids)}
    for missing in sorted(ids - known):
        raise FieldError(
            "{field}: there is no bapak asuh number {value}; the list of sponsors shows them",
            field=field,
            value=missing,
        )


def record_pledges(
    connection: Connection, user: UserInfo | Actor, pledges: Sequence[NewPledge]
) -> list[int]:
    """Add pledges in the caller's transaction (audited); their ids in order."""
    known_sponsors(connection, {p.sponsor_id for p in pledges})
    now, by = datetime.now(UTC), actor_ids(user)
    rows = [{**asdict(p), "created_at": now, "created_by": by} for p in pledges]
    ids = insert_rows(connection, Pledge, rows)
    audit_created(connection, user, PLEDGE, ids, [asdict(p) for p in pledges])
    return ids


def add_pledge(connection: Connection, scope: Scope, user: UserInfo | Actor, new: NewPledge) -> int:
    """Record a pledge and commit; its id."""
    manages(scope)
    with writing(connection):
        return record_pledges(connection, user, [new])[0]


def pledges_of(connection: Connection, scope: Scope, sponsor_id: int) -> list[PledgeRow]:
    """A sponsor's pledges."""
    manages(scope)
    return pledge_rows(connection, [sponsor_id])


def kelurahan_choices(connection: Connection, scope: Scope, city_code: str) -> dict[str, str]:
    """The city's kelurahan a disbursement may go to: code -> name."""
    manages(scope)
    return kelurahan_names(connection, city_code)
