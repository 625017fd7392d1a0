"""A child's details as kept at the posyandu: registering a new child and correcting a
registered one (name, NIK, sex, birth date, birth size, mother's name, posyandu), each
with its audit row, and the recomputation that a new sex or birth date needs.

The mother's name is kept in ``mother``; a correction renames the child's mother record
unless a sibling shares it, in which case the child gets a mother record of its own (a
wrong link is not spread to the siblings). A NIK another child got between the form's
check and the write is refused by the unique index (:class:`NikTaken`); a correction
from an old version of the child by :class:`StaleVersion` (docs/security.md, section 5).

**No silent duplicate children.** A new child without NIK whose identity (name, birth
date, sex and mother's name, normalised as the import matches them:
:func:`tumbuh.ingest.matching.child_key`) is that of a child already registered in the
same kelurahan is not stored unless the user confirms it is another child; the answer
names only the children of the user's area. A match outside the user's area is never
revealed: the child is registered as if there were none (a hint would tell who is
registered where), and the audit row lists every match (``possible_duplicate_of``) for
the administrators, with ``duplicate_confirmed`` when the user was shown one and
confirmed (docs/security.md, section 5). With a NIK the NIK decides, as before. A
correction that gives a child without NIK the identity of another child of its kelurahan
is checked the same way.
"""

from dataclasses import asdict, dataclass
from datetime import date
from typing import cast

from sqlalchemy import Connection

from tumbuh.db.audit import write_audit
from tumbuh.db.children import (
    children_born,
    insert_child,
    mother_for,
    new_mother,
    set_mother,
    update_child_row,
)
from tumbuh.db.measurements import rederive_children
from tumbuh.db.models_access import AuditAction
from tumbuh.growth.enums import Sex
from tumbuh.growth.weight_gain import KbmTable
from tumbuh.ingest.matching import child_key
from tumbuh.usecases.access import Scope, UserInfo
from tumbuh.usecases.registry.children import find_child, nik_holder_seen
from tumbuh.usecases.registry.records import (
    ChildRecord,
    NikTaken,
    Refused,
    SameNik,
    StaleVersion,
    child_record,
    require_write,
)
from tumbuh.usecases.transactions import writing


@dataclass(frozen=True)
class ChildProfile:
    """What the posyandu records of a child (the new-child and edit forms)."""

    name: str
    nik: str | None
    sex: Sex
    birth_date: date
    birth_weight_kg: float | None
    birth_length_cm: float | None
    mother_name: str | None = None


def profile_of(child: ChildRecord) -> ChildProfile:
    """The stored details of a child."""
    return ChildProfile(
        child.name,
        child.nik,
        child.sex,
        child.birth_date,
        child.birth_weight_kg,
        child.birth_length_cm,
        child.mother_name,
    )


def child_columns(profile: ChildProfile) -> dict[str, object]:
    """The ``child`` columns of a profile (the mother's name lives in ``mother``)."""
    values = asdict(profile)
    del values["mother_name"]
    return values


def child_values(profile: ChildProfile, posyandu_id: int | None) -> dict[str, object]:
    """The details compared and audited: the profile and the posyandu."""
    return {**asdict(profile), "posyandu_id": posyandu_id}


@dataclass(frozen=True)
class Registration:
    """A new child's id; or None and, when another child got the NIK first, that child as
    far as the user may know it (``nik_taken``; its fields None outside the area), or,
    when children of the user's area have the new child's identity and the user has not
    confirmed it is another child, those children (``same_child``)."""

    child_id: int | None
    nik_taken: SameNik | None = None
    same_child: tuple[ChildRecord, ...] = ()


def _identity(child: ChildProfile) -> str | None:
    """The import's identity key of a child (None without a mother's name)."""
    return child_key(
        nik=None,
        name=child.name,
        birth_date=child.birth_date,
        sex=child.sex,
        mother_name=child.mother_name,
    ).identity


def possible_duplicates(
    connection: Connection, kelurahan_code: str, child: ChildProfile
) -> list[ChildRecord]:
    """The children of the kelurahan (whatever the user's scope: the caller decides what
    to show) with the identity of ``child``, a child without NIK; none when it has a NIK
    or no mother's name."""
    identity = None if child.nik is not None else _identity(child)
    if identity is None:
        return []
    rows = children_born(connection, kelurahan_code, child.birth_date, child.sex)
    found = (child_record(r) for r in rows)
    return [c for c in found if _identity(profile_of(c)) == identity]


def register_child(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    posyandu_id: int,
    kelurahan_code: str,
    child: ChildProfile,
    *,
    confirmed_duplicate: bool = False,
) -> Registration:
    """Add a child to a posyandu in the scope (else OutOfScope), with its audit row, and
    commit; nothing is stored when another child got the NIK first, or when children of
    the user's area have its identity (a child without NIK) and ``confirmed_duplicate``
    is not set."""
    try:
        with writing(connection):
            require_write(scope, posyandu_id, kelurahan_code)
            same = possible_duplicates(connection, kelurahan_code, child)
            seen = tuple(c for c in same if _visible(scope, c))
            if seen and not confirmed_duplicate:
                raise Refused(Registration(None, same_child=seen))
            mother_id = new_mother(connection, child.mother_name) if child.mother_name else None
            values = {**child_columns(child), "posyandu_id": posyandu_id, "mother_id": mother_id}
            try:
                new_id = insert_child(connection, values)
            except NikTaken:
                holder = nik_holder_seen(connection, scope, child.nik)
                raise Refused(Registration(None, holder or SameNik(None, None))) from None
            after = child_values(child, posyandu_id)
            if same:
                after["possible_duplicate_of"] = [c.id for c in same]
            if seen:
                after["duplicate_confirmed"] = True
            write_audit(
                connection, user, AuditAction.CREATE, "child", new_id, before=None, after=after
            )
    except Refused as refused:
        return cast(Registration, refused.outcome)
    return Registration(new_id)


def _visible(scope: Scope, child: ChildRecord) -> bool:
    """True when the user may see the child (named in the answer)."""
    return scope.may_see_children and scope.covers_posyandu(child.posyandu_id, child.kelurahan_code)


@dataclass(frozen=True)
class ChildUpdate:
    """What became of a correction: ``changed`` (stored and committed), or nothing stored
    because someone else saved the child since the version it started from (``stored``:
    the child now), or because another child got the NIK first (``nik_taken``: that child
    as far as the user may know it)."""

    changed: bool = False
    stored: ChildRecord | None = None
    nik_taken: SameNik | None = None
    same_child: tuple[ChildRecord, ...] = ()  # other children with the corrected identity


def update_child(  # noqa: PLR0913 - the confirmation is keyword-only
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    child: ChildRecord,
    profile: ChildProfile,
    posyandu: tuple[int, str],
    version: int,
    kbm: KbmTable,
    *,
    confirmed_duplicate: bool = False,
) -> ChildUpdate:
    """Store corrected details of a child at ``version`` (moved to ``posyandu``, id and
    kelurahan code, if another one), both posyandu in the scope (else OutOfScope); audit the
    change and, when sex or birth date changed, recompute every derived value of the
    child; commit. Nothing changes when the details are those stored (also from an old
    version: nothing would be lost), nor when the corrected identity is that of other
    children of the user's area and ``confirmed_duplicate`` is not set."""
    fix = _Fix(profile, posyandu, version, confirmed_duplicate)
    try:
        with writing(connection):
            return _update_child(connection, scope, user, child, fix, kbm)
    except Refused as refused:
        return cast(ChildUpdate, refused.outcome)


@dataclass(frozen=True)
class _Fix:
    profile: ChildProfile
    posyandu: tuple[int, str]  # id, kelurahan code
    version: int
    confirmed_duplicate: bool


def _same_identity(
    connection: Connection, scope: Scope, child: ChildRecord, fix: _Fix
) -> tuple[list[ChildRecord], tuple[ChildRecord, ...]]:
    """Other children of the kelurahan with the corrected identity (none when the
    identity and kelurahan did not change), and those of them the user may see."""
    old = (_identity(profile_of(child)), child.kelurahan_code)
    if old == (_identity(fix.profile), fix.posyandu[1]):
        return [], ()
    found = possible_duplicates(connection, fix.posyandu[1], fix.profile)
    same = [c for c in found if c.id != child.id]
    return same, tuple(c for c in same if _visible(scope, c))


def _update_child(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    child: ChildRecord,
    fix: _Fix,
    kbm: KbmTable,
) -> ChildUpdate:
    profile, version = fix.profile, fix.version
    posyandu_id, kelurahan_code = fix.posyandu
    require_write(scope, child.posyandu_id, child.kelurahan_code)
    require_write(scope, posyandu_id, kelurahan_code)
    before = child_values(profile_of(child), child.posyandu_id)
    after = child_values(profile, posyandu_id)
    if before == after:
        return ChildUpdate()
    same, seen = _same_identity(connection, scope, child, fix)
    if seen and not fix.confirmed_duplicate:
        raise Refused(ChildUpdate(same_child=seen))
    values = {**child_columns(profile), "posyandu_id": posyandu_id}
    try:
        if version != child.version:
            raise StaleVersion(f"child {child.id} is at version {child.version}")
        update_child_row(connection, child.id, version, values)
    except StaleVersion:
        raise Refused(ChildUpdate(stored=find_child(connection, scope, child.id))) from None
    except NikTaken:
        holder = nik_holder_seen(connection, scope, profile.nik, except_child=child.id)
        raise Refused(ChildUpdate(nik_taken=holder or SameNik(None, None))) from None
    if profile.mother_name != child.mother_name:
        set_mother(connection, child.id, mother_for(connection, child.id, profile.mother_name))
    if (profile.sex, profile.birth_date) != (child.sex, child.birth_date):
        rederive_children(connection, [child.id], kbm)
    if same:
        after["possible_duplicate_of"] = [c.id for c in same]
    if seen:
        after["duplicate_confirmed"] = True
    write_audit(connection, user, AuditAction.UPDATE, "child", child.id, before=before, after=after)
    return ChildUpdate(changed=True)
