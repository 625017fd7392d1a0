"""Partner institutions for the TPPS: the list, the form's choices, adding and changing
them (deactivating included), always audited (docs/tpps.md, "Institutions").

Who may do what (applied here, once): the TPPS (admin and analyst) reads and changes every
institution; the command line acts as a tool for the whole city; every other role gets
:class:`NotAllowed`. An unknown id is "not found" (:class:`OutOfScope`). A refused value is
a list of :class:`~tumbuh.growth.partners.PartnerFieldError`, and nothing is written.
"""

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection

from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.institutions import (
    InstitutionRow,
    insert_institution,
    institution_named,
    institution_row,
    institution_rows,
    update_institution,
)
from tumbuh.db.models import RegionLevel
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_tpps import Institution
from tumbuh.db.regions import regions
from tumbuh.db.rows import lock_row
from tumbuh.growth.partners import InstitutionInput, PartnerFieldError, PartnerProblem
from tumbuh.growth.tpps import InstitutionKind
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, UserInfo
from tumbuh.usecases.transactions import writing

__all__ = [
    "TPPS_ROLES",
    "InstitutionRow",
    "InstitutionSaved",
    "RegionChoices",
    "create_institution",
    "find_institution",
    "institution_choices",
    "institution_list",
    "region_choices",
    "update_institution_of",
]

ENTITY = "institution"
TPPS_ROLES = frozenset({Role.ADMIN, Role.ANALYST})
REGION_LEVELS = {
    InstitutionKind.KECAMATAN: RegionLevel.KECAMATAN,
    InstitutionKind.KELURAHAN: RegionLevel.KELURAHAN,
}


def require_tpps(scope: Scope) -> None:
    """NotAllowed unless the user works for the TPPS (admin, analyst)."""
    if scope.role not in TPPS_ROLES:
        raise NotAllowed


def institution_list(connection: Connection, scope: Scope) -> list[InstitutionRow]:
    """Every institution, active or not, by name (the TPPS only)."""
    require_tpps(scope)
    return institution_rows(connection)


def institution_choices(connection: Connection, scope: Scope) -> list[tuple[int, str]]:
    """The active institutions (id, name) an action or an account may belong to; the TPPS
    and administrators only."""
    require_tpps(scope)
    return [(i.id, i.name) for i in institution_rows(connection, active_only=True)]


def find_institution(connection: Connection, scope: Scope, institution_id: int) -> InstitutionRow:
    """One institution (the TPPS only); OutOfScope when there is none."""
    require_tpps(scope)
    found = institution_row(connection, institution_id)
    if found is None:
        raise OutOfScope
    return found


@dataclass(frozen=True)
class RegionChoices:
    """The kecamatan and kelurahan (code, name) of the city, by name."""

    kecamatan: list[tuple[str, str]]
    kelurahan: list[tuple[str, str]]


def region_choices(connection: Connection, city_code: str) -> RegionChoices:
    """The city's kecamatan and kelurahan for the forms."""

    def of(level: RegionLevel) -> list[tuple[str, str]]:
        found = regions(connection, level, within=city_code)
        return sorted(((r.code, r.display_name) for r in found), key=lambda p: p[1].lower())

    return RegionChoices(of(RegionLevel.KECAMATAN), of(RegionLevel.KELURAHAN))


def _region_errors(
    connection: Connection, typed: InstitutionInput, city_code: str
) -> list[PartnerFieldError]:
    level = REGION_LEVELS.get(typed.kind)
    if level is None or typed.region is None:
        return []
    found = regions(connection, level, within=city_code)
    if any(typed.region in (r.code, r.display_name) for r in found):
        return []
    accepted = ", ".join(f"{r.code} ({r.display_name})" for r in found)
    return [PartnerFieldError(PartnerProblem.UNKNOWN_REGION, "region", typed.region, accepted)]


def _columns(connection: Connection, typed: InstitutionInput, city_code: str) -> dict[str, object]:
    code = typed.region
    level = REGION_LEVELS.get(typed.kind)
    if level is not None and code is not None:
        found = regions(connection, level, within=city_code)
        code = next(r.code for r in found if code in (r.code, r.display_name))
    return {
        "name": typed.name,
        "short_name": typed.short_name,
        "kind": typed.kind.value,
        "region_code": code,
        "active": typed.active,
    }


def _record(row: InstitutionRow) -> dict[str, object]:
    values = asdict(row)
    for key in ("id", "region_name", "created_at"):
        values.pop(key)
    values["kind"] = row.kind.value
    return values


@dataclass(frozen=True)
class InstitutionSaved:
    """What adding an institution did: its id, or why it was refused (nothing written)."""

    institution_id: int | None
    errors: list[PartnerFieldError]


def _checked(
    connection: Connection, typed: InstitutionInput, city_code: str, own_id: int | None
) -> list[PartnerFieldError]:
    errors = _region_errors(connection, typed, city_code)
    holder = institution_named(connection, typed.name)
    if holder is not None and holder != own_id:
        errors.append(PartnerFieldError(PartnerProblem.NAME_TAKEN, "name", typed.name, ""))
    return errors


def create_institution(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    typed: InstitutionInput,
    *,
    city_code: str,
) -> InstitutionSaved:
    """Add an institution (audited) and commit; the errors for a region that is not the
    city's or a name taken."""
    require_tpps(scope)
    with writing(connection):
        errors = _checked(connection, typed, city_code, None)
        if errors:
            return InstitutionSaved(None, errors)
        values = _columns(connection, typed, city_code)
        new_id = insert_institution(connection, {**values, "created_at": datetime.now(UTC)})
        write_audit(connection, user, AuditAction.CREATE, ENTITY, new_id, before=None, after=values)
    return InstitutionSaved(new_id, [])


def update_institution_of(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    institution_id: int,
    typed: InstitutionInput,
    *,
    city_code: str,
) -> list[PartnerFieldError]:
    """Store an institution's new values (audited when anything changed; ``active`` false
    deactivates it: it keeps its actions but gets no new ones) and commit; the errors
    otherwise."""
    require_tpps(scope)
    with writing(connection):
        lock_row(connection, Institution, institution_id)
        old = find_institution(connection, scope, institution_id)
        errors = _checked(connection, typed, city_code, institution_id)
        if errors:
            return errors
        values = _columns(connection, typed, city_code)
        before = _record(old)
        if values != before:
            update_institution(connection, institution_id, values)
            write_audit(
                connection,
                user,
                AuditAction.UPDATE,
                ENTITY,
                institution_id,
                before=before,
                after=values,
            )
    return []
