"""What one user may see and do: the one place where roles become query filters.

A :class:`Scope` is built from the signed-in user once per request and handed to every
use case (:mod:`tumbuh.usecases`); the use cases apply it to every read and write
(children, measurements, areas, figures) and nowhere else is a role looked at for data. A child,
posyandu or area outside the scope is "not found" (404), never "forbidden", so a guessed
id does not tell whether it exists (docs/web.md, "Roles").
"""

from dataclasses import dataclass

from sqlalchemy import Connection

from tumbuh.db.models_access import Role
from tumbuh.db.users import UserInfo, area_kelurahan

__all__ = ["NotAllowed", "OutOfScope", "Role", "Scope", "UserInfo", "kitchen_scope", "scope_for"]


class OutOfScope(LookupError):  # noqa: N818 - "not found" to the user, not a fault
    """What was asked for lies outside the user's scope, or does not exist: the adapters
    answer both alike (404 on the web), so a guessed id tells nothing."""


class NotAllowed(PermissionError):  # noqa: N818 - reads as what it says
    """The user's role does not do this at all (a figures-only role asks for children's
    rows, a role that does not import asks for import runs)."""


@dataclass(frozen=True)
class Scope:
    """The area a user works in and what they may see and change there.

    ``kelurahan`` None means the whole city; ``posyandu`` None means every posyandu of
    those kelurahan.
    """

    role: Role
    kelurahan: frozenset[str] | None
    posyandu: frozenset[int] | None
    may_see_children: bool  # names, birth dates, measurement histories
    may_see_nik: bool
    may_write: bool  # children and measurements
    may_import: bool
    may_administer: bool  # users and the audit log
    # Bapak Asuh: sponsors, money, asuhan and their proposals (the TPPS and administrators)
    may_manage_asuh: bool = False
    kitchen_id: int | None = None  # a kitchen operator's kitchen: its serving log only
    sponsor_id: int | None = None  # a sponsor's own bapak asuh record (their view only)
    # A partner's institution: its commitments and RTL items, which it updates (issue 16)
    institution_id: int | None = None

    @property
    def whole_city(self) -> bool:
        """No area restriction."""
        return self.kelurahan is None and self.posyandu is None

    def covers_posyandu(self, posyandu_id: int | None, kelurahan_code: str | None) -> bool:
        """True when a posyandu (in ``kelurahan_code``) lies in the scope."""
        if self.whole_city:
            return True
        if posyandu_id is None or kelurahan_code is None:
            return False
        if self.posyandu is not None and posyandu_id not in self.posyandu:
            return False
        return self.kelurahan is None or kelurahan_code in self.kelurahan

    def covers_kelurahan(self, kelurahan_code: str) -> bool:
        """True when at least part of the kelurahan lies in the scope."""
        return self.kelurahan is None or kelurahan_code in self.kelurahan


def scope_for(connection: Connection, user: UserInfo) -> Scope:
    """The scope of ``user``: admin, analyst and partner the city; a kitchen operator no
    area at all (only the serving log of their kitchen, :mod:`tumbuh.usecases.servings`);
    a sponsor nothing but their own sponsorships; the others their area."""
    role = user.role
    if role is Role.ADMIN:
        return Scope(role, None, None, True, True, True, True, True, may_manage_asuh=True)
    if role is Role.ANALYST:  # the TPPS: figures, and Bapak Asuh without children's names
        return Scope(role, None, None, False, False, False, False, False, may_manage_asuh=True)
    if role in (Role.PARTNER, Role.AUDITOR):
        # figures of the city; a partner's own actions by its institution, an auditor's
        # audits by the audit teams they are on (tumbuh.usecases.aks)
        return Scope(
            role, None, None, False, False, False, False, False, institution_id=user.institution_id
        )
    if role in (Role.KITCHEN, Role.SPONSOR):
        return programme_scope(user)
    codes = area_kelurahan(connection, user)
    if role in (Role.NUTRITIONIST, Role.BIDAN, Role.TPK):
        return area_scope(role, codes)
    ids = frozenset({user.posyandu_id}) if user.posyandu_id is not None else frozenset()
    return Scope(role, codes, ids, True, True, True, False, False)


def area_scope(role: Role, codes: frozenset[str]) -> Scope:
    """The scope of a nutritionist (every posyandu of her puskesmas working area: children,
    writes, imports), or of a bidan or TPK: every posyandu of their kelurahan (a puskesmas working
    area, or their posyandu's kelurahan), children seen but not changed, no import.

    A bidan writes pregnancies, their visits and births (:mod:`tumbuh.usecases.pregnancies`
    lets her role do so) and sees NIK to find a mother; a TPK sees families and children
    but no NIK. Neither edits children or measurements (``may_write``): that stays with the
    kader and the nutritionist (docs/security.md, "The bidan and the TPK")."""
    if role is Role.NUTRITIONIST:
        return Scope(role, codes, None, True, True, True, True, False)
    return Scope(role, codes, None, True, role is Role.BIDAN, False, False, False)


def programme_scope(user: UserInfo) -> Scope:
    """The scope of a kitchen operator or a sponsor: no area, so every query of the
    registry finds nothing; only their kitchen's serving log, or their own sponsorships."""
    if user.role is Role.KITCHEN:
        return kitchen_scope(user.kitchen_id)
    return Scope(
        user.role,
        frozenset[str](),
        frozenset[int](),
        False,
        False,
        False,
        False,
        False,
        sponsor_id=user.sponsor_id,
    )


def kitchen_scope(kitchen_id: int | None) -> Scope:
    """A kitchen operator's scope: no kelurahan and no posyandu (so no figure, child or
    list of the registry), no writes but the serving log of ``kitchen_id``."""
    return Scope(
        Role.KITCHEN,
        frozenset(),
        frozenset(),
        False,
        False,
        False,
        False,
        False,
        kitchen_id=kitchen_id,
    )
