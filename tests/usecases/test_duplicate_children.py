"""Registering a child that may already be registered (no NIK; the same name, sex, birth
date and mother's name as a child of the kelurahan): the use case stores nothing and
hands back the children of the user's area it may be, and never reveals one outside the
area. The web pages show what it hands back (tests/web/test_duplicate_children.py); this
needs two posyandu in one kelurahan, which the small demo city of the web tests lacks."""

import json
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, Engine, select

from tests.db.helpers import add_posyandu
from tumbuh.db.models import Child, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.setup import upgrade_database
from tumbuh.db.users import NewUser, create_user
from tumbuh.growth.enums import Sex
from tumbuh.growth.weight_gain import DEFAULT_KBM
from tumbuh.usecases.access import Role, Scope, UserInfo, scope_for
from tumbuh.usecases.registry.children import find_child
from tumbuh.usecases.registry.profiles import (
    ChildProfile,
    Registration,
    possible_duplicates,
    register_child,
    update_child,
)

KELURAHAN = "36.72.01.1001"
NEXT_KELURAHAN = "36.72.01.1002"
PASSWORD = "kata-sandi-uji-panjang"
CHILD = ChildProfile("Dewi Uji", None, Sex.FEMALE, date(2024, 3, 9), None, None, "Ibu Uji Sari")


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def posyandu(connection: Connection) -> tuple[int, int, int]:
    """Two posyandu of one kelurahan and one of the next kelurahan."""
    with connection.begin():
        return (
            add_posyandu(connection, "P-A", KELURAHAN, "Mawar"),
            add_posyandu(connection, "P-B", KELURAHAN, "Melati"),
            add_posyandu(connection, "P-C", NEXT_KELURAHAN, "Kenanga"),
        )


def user(
    connection: Connection, name: str, role: Role, posyandu_id: int | None = None
) -> tuple[UserInfo, Scope]:
    with connection.begin():
        new = NewUser(name, name, role, PASSWORD, posyandu_id=posyandu_id)
        made = create_user(connection, new, datetime.now(UTC))
        return made, scope_for(connection, made)


def after_of(connection: Connection, child_id: int) -> dict[str, object]:
    a = table_of(AuditEntry)
    query = select(a.c.after).where(a.c.entity == "child", a.c.entity_id == child_id)
    found: dict[str, object] = json.loads(connection.execute(query).scalar_one())
    return found


def test_a_match_outside_the_kaders_posyandu_is_never_revealed(engine: Engine) -> None:
    with engine.connect() as connection:
        a, b, c = posyandu(connection)
        admin, everywhere = user(connection, "admin-uji", Role.ADMIN)
        kader, hers = user(connection, "kader-uji", Role.KADER, posyandu_id=a)
        at_b = register_child(connection, everywhere, admin, b, KELURAHAN, CHILD).child_id
        assert at_b is not None
        register_child(connection, everywhere, admin, c, NEXT_KELURAHAN, CHILD)
        # At posyandu A the kader cannot see B's child: registered as if there were none.
        done = register_child(connection, hers, kader, a, KELURAHAN, CHILD)
        assert done.child_id is not None
        assert done.same_child == ()
        assert after_of(connection, done.child_id)["possible_duplicate_of"] == [at_b]
        assert "duplicate_confirmed" not in after_of(connection, done.child_id)
        # Her own child is handed back the next time, never B's.
        again = register_child(connection, hers, kader, a, KELURAHAN, CHILD)
        assert again.child_id is None
        assert [c.id for c in again.same_child] == [done.child_id]
        # The administrator sees both children of the kelurahan, not the next kelurahan's.
        shown = register_child(connection, everywhere, admin, a, KELURAHAN, CHILD)
        assert [c.id for c in shown.same_child] == [at_b, done.child_id]
        assert not connection.in_transaction()


def test_a_refused_registration_stores_nothing_and_a_confirmed_one_is_audited(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        a, b, _ = posyandu(connection)
        admin, everywhere = user(connection, "admin-uji", Role.ADMIN)
        first = register_child(connection, everywhere, admin, a, KELURAHAN, CHILD).child_id
        typed = ChildProfile(
            "An. DEWI  uji", None, Sex.FEMALE, CHILD.birth_date, 3.1, None, "Ny. Ibu Uji Sari"
        )
        refused = register_child(connection, everywhere, admin, b, KELURAHAN, typed)
        assert refused == Registration(None, same_child=refused.same_child)
        assert [(c.id, c.posyandu_name) for c in refused.same_child] == [(first, "Mawar")]
        ids = connection.execute(select(table_of(Child).c.id)).scalars().all()
        assert ids == [first]
        connection.rollback()
        done = register_child(
            connection, everywhere, admin, b, KELURAHAN, typed, confirmed_duplicate=True
        )
        assert done.child_id is not None
        after = after_of(connection, done.child_id)
        assert (after["possible_duplicate_of"], after["duplicate_confirmed"]) == ([first], True)
        connection.rollback()


def test_only_a_child_without_nik_and_with_a_mother_is_compared(engine: Engine) -> None:
    with engine.connect() as connection:
        a, _, _ = posyandu(connection)
        admin, everywhere = user(connection, "admin-uji", Role.ADMIN)
        register_child(connection, everywhere, admin, a, KELURAHAN, CHILD)
        assert len(possible_duplicates(connection, KELURAHAN, CHILD)) == 1
        with_nik = replace(CHILD, nik="3672015503240001")
        assert possible_duplicates(connection, KELURAHAN, with_nik) == []
        assert possible_duplicates(connection, KELURAHAN, replace(CHILD, mother_name=None)) == []
        other_day = replace(CHILD, birth_date=date(2024, 3, 10))
        assert possible_duplicates(connection, KELURAHAN, other_day) == []
        assert possible_duplicates(connection, NEXT_KELURAHAN, CHILD) == []
        connection.rollback()


def test_a_correction_that_makes_a_child_look_like_another_warns_first(engine: Engine) -> None:
    with engine.connect() as connection:
        a, b, _ = posyandu(connection)
        admin, everywhere = user(connection, "admin-uji", Role.ADMIN)
        first = register_child(connection, everywhere, admin, a, KELURAHAN, CHILD).child_id
        other = replace(CHILD, name="Desi Uji")
        second = register_child(connection, everywhere, admin, b, KELURAHAN, other).child_id
        assert first is not None
        assert second is not None
        child = find_child(connection, everywhere, second)
        # Correcting "Desi" to "Dewi" makes her the first child's twin: nothing is stored.
        kbm = DEFAULT_KBM
        refused = update_child(
            connection, everywhere, admin, child, CHILD, (b, KELURAHAN), child.version, kbm
        )
        assert (refused.changed, [c.id for c in refused.same_child]) == (False, [first])
        assert find_child(connection, everywhere, second).name == "Desi Uji"
        done = update_child(
            connection,
            everywhere,
            admin,
            child,
            CHILD,
            (b, KELURAHAN),
            child.version,
            kbm,
            confirmed_duplicate=True,
        )
        assert done.changed
        a_ = table_of(AuditEntry)
        query = select(a_.c.after).where(
            a_.c.entity == "child", a_.c.entity_id == second, a_.c.action == "update"
        )
        after = json.loads(connection.execute(query).scalar_one())
        assert (after["possible_duplicate_of"], after["duplicate_confirmed"]) == ([first], True)
        # A correction that leaves the identity alone is not asked again.
        now = find_child(connection, everywhere, second)
        heavier = replace(CHILD, birth_weight_kg=3.2)
        plain = update_child(
            connection, everywhere, admin, now, heavier, (b, KELURAHAN), now.version, kbm
        )
        assert plain.changed
