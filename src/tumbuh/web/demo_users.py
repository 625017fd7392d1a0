"""One demo user per role, for ``make demo`` and the browser tests (synthetic people).

The password is printed by ``tumbuh demo setup`` and documented in docs/web.md: these
accounts exist only in demo databases, never create them in a real installation.
"""

from datetime import UTC, datetime

from sqlalchemy import Connection, select

from tumbuh.db.models import Posyandu, Puskesmas, table_of
from tumbuh.db.models_access import Role
from tumbuh.db.users import NewUser, UserInfo, create_user, find_user

DEMO_PASSWORD = "tumbuh-demo"
DEMO_PUSKESMAS = "Cibeber"


def ensure_demo_users(connection: Connection) -> list[UserInfo]:
    """Create the demo users that are missing; returns all five."""
    puskesmas = table_of(Puskesmas)
    posyandu = table_of(Posyandu)
    puskesmas_id = connection.execute(
        select(puskesmas.c.id).where(puskesmas.c.name == DEMO_PUSKESMAS)
    ).scalar_one_or_none()
    kecamatan = connection.execute(
        select(puskesmas.c.kecamatan_code).where(puskesmas.c.id == puskesmas_id)
    ).scalar_one_or_none()
    posyandu_id = connection.execute(
        select(posyandu.c.id)
        .where(posyandu.c.kelurahan_code.startswith(f"{kecamatan}."))
        .order_by(posyandu.c.code)
        .limit(1)
    ).scalar_one_or_none()
    wanted = [
        NewUser("admin", "Admin Dinas Kesehatan", Role.ADMIN, DEMO_PASSWORD),
        NewUser("analis", "Analis TPPS Bappeda", Role.ANALYST, DEMO_PASSWORD),
        NewUser(
            "gizi",
            "Nutrisionis Puskesmas Cibeber",
            Role.NUTRITIONIST,
            DEMO_PASSWORD,
            puskesmas_id=puskesmas_id,
        ),
        NewUser("kader", "Kader Posyandu", Role.KADER, DEMO_PASSWORD, posyandu_id=posyandu_id),
        NewUser("mitra", "Mitra Program", Role.PARTNER, DEMO_PASSWORD),
    ]
    users = []
    for user in wanted:
        found = find_user(connection, user.username)
        users.append(found or create_user(connection, user, datetime.now(UTC)))
    return users
