"""The catin at work: register a bride or groom to be (as KUA/Kemenag or Elsimil reported
them), edit the registration, record the screening and the follow-up given (docs/catin.md).
The reads (the area's list, one catin) are :mod:`.catin_views`', re-exported here so the
pages and the API call one module.

Each write is one transaction, audited (entity ``catin``; the NIK masked and no birth
date, as every audit row), and checks the scope first: a catin outside the user's area
is "not found" (:class:`OutOfScope`); a role that does not write catin is
:class:`NotAllowed`. The rules are :mod:`tumbuh.growth.catin`'s.
"""

from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import Connection

from tumbuh.db.audit import write_audit
from tumbuh.db.maternal import catin as rows
from tumbuh.db.maternal.refusals import NikTaken
from tumbuh.db.models import RegionLevel
from tumbuh.db.models_access import AuditAction
from tumbuh.db.regions import region
from tumbuh.db.users import UserInfo
from tumbuh.usecases.access import Scope
from tumbuh.usecases.catin_input import CatinFieldError, FollowUp
from tumbuh.usecases.catin_views import (
    WRITERS,
    CatinFilter,
    CatinSummary,
    catin_list,
    catin_page,
    found_catin,
    kelurahan_choices,
    writable,
)
from tumbuh.usecases.transactions import writing

__all__ = [
    "ENTITY",
    "WRITERS",
    "CatinFilter",
    "CatinSummary",
    "catin_list",
    "catin_page",
    "edit_catin",
    "kelurahan_choices",
    "record_follow_up",
    "record_screening",
    "register_catin",
]
ENTITY = "catin"  # audit_log.entity


def audited(person: rows.CatinPerson) -> dict[str, object]:
    """What an audit row keeps of a registration: no name (the id traces it), the NIK
    (masked by the audit log) and the birth date (left out by it)."""
    return {k: v for k, v in asdict(person).items() if k != "name"}


def check_kelurahan(connection: Connection, scope: Scope, code: str) -> None:
    """The kelurahan exists and lies in the user's area, else a :class:`CatinFieldError`."""
    found = region(connection, code)
    if found is None or found.level is not RegionLevel.KELURAHAN:
        raise CatinFieldError(
            "{field}: '{value}' is not a kelurahan code; choose one from the list",
            field="kelurahan_code",
            value=code,
        )
    if not scope.covers_kelurahan(code):
        raise CatinFieldError(
            "{field}: choose a kelurahan of your area from the list", field="kelurahan_code"
        )


def _nik_taken() -> CatinFieldError:
    return CatinFieldError("{field}: another catin has this NIK; open that catin", field="nik")


def register_catin(
    connection: Connection, user: UserInfo, scope: Scope, person: rows.CatinPerson
) -> int:
    """Register a catin of the user's area; audited and committed. Returns the id."""
    writable(scope)
    with writing(connection):
        check_kelurahan(connection, scope, person.kelurahan_code)
        try:
            catin_id = rows.add_catin(connection, person, by=user.id, now=datetime.now(UTC))
        except NikTaken:
            raise _nik_taken() from None
        write_audit(
            connection,
            user,
            AuditAction.CREATE,
            ENTITY,
            catin_id,
            before=None,
            after=audited(person),
        )
    return catin_id


def edit_catin(
    connection: Connection,
    user: UserInfo,
    scope: Scope,
    catin_id: int,
    person: rows.CatinPerson,
) -> None:
    """Replace a catin's registration (to a kelurahan of the area too); audited."""
    writable(scope)
    with writing(connection):
        before = found_catin(connection, scope, catin_id)
        check_kelurahan(connection, scope, person.kelurahan_code)
        try:
            rows.update_person(connection, catin_id, person, now=datetime.now(UTC))
        except NikTaken:
            raise _nik_taken() from None
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            ENTITY,
            catin_id,
            before=audited(before.person),
            after=audited(person),
        )


def record_screening(
    connection: Connection,
    user: UserInfo,
    scope: Scope,
    catin_id: int,
    screening: rows.Screening,
) -> None:
    """Store the catin's screening (replacing one recorded before); audited."""
    writable(scope)
    with writing(connection):
        before = found_catin(connection, scope, catin_id).screening
        rows.record_screening(connection, catin_id, screening, now=datetime.now(UTC))
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            ENTITY,
            catin_id,
            before=None if before is None else asdict(before),
            after=asdict(screening),
        )


def record_follow_up(
    connection: Connection,
    user: UserInfo,
    scope: Scope,
    catin_id: int,
    follow_up: FollowUp,
) -> None:
    """Store what was given after the screening, and when; audited. A catin not yet
    screened, or a day before the screening, is refused."""
    writable(scope)
    with writing(connection):
        found = found_catin(connection, scope, catin_id)
        if found.screening is None:
            raise CatinFieldError(
                "{field}: record the screening first; a follow-up comes after it",
                field="follow_up",
            )
        if follow_up.given_on < found.screening.screened_on:
            raise CatinFieldError(
                "{field}: {value} is before the screening ({screened}); write a day on or after it",
                field="follow_up_on",
                value=follow_up.given_on.isoformat(),
                screened=found.screening.screened_on.isoformat(),
            )
        now = datetime.now(UTC)
        rows.record_follow_up(connection, catin_id, follow_up.given, follow_up.given_on, now=now)
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            ENTITY,
            catin_id,
            before={"follow_up": found.follow_up, "follow_up_on": found.follow_up_on},
            after={"follow_up": follow_up.given, "follow_up_on": follow_up.given_on},
        )
