"""User accounts for administrators: list, add, change, deactivate, new password; every
change audited without a password; only administrators; never locking oneself out.

Each test adds its own accounts, so the demo users the other web tests sign in with stay
as they are."""

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import City, SignedIn, nodes, sign_in, text, texts
from tumbuh.db.models import Puskesmas, table_of
from tumbuh.db.models_access import AppUser, AuditEntry
from tumbuh.db.users import find_user

PASSWORD = "kata-sandi-rahasia-1"


def add(client: TestClient, token: str, **fields: str) -> TestClient | int:
    data = {"full_name": "Pengguna Uji", "language": "id", "password": PASSWORD, **fields}
    response = client.post("/users/new", data={**data, "csrf_token": token}, follow_redirects=False)
    if response.status_code == 303:
        assert response.headers["location"] == "/users"
        return client
    return int(response.status_code)


def user_id(city: City, username: str) -> int:
    with city.engine.connect() as connection:
        found = find_user(connection, username)
    assert found is not None
    return found.id


def audit_of(city: City, account: int) -> list[tuple[str, str | None, str | None]]:
    a = table_of(AuditEntry)
    with city.engine.connect() as connection:
        rows = connection.execute(
            select(a.c.action, a.c.before, a.c.after)
            .where(a.c.entity == "user", a.c.entity_id == account)
            .order_by(a.c.id)
        ).all()
    return [(r.action, r.before, r.after) for r in rows]


def puskesmas_id(city: City, name: str) -> int:
    p = table_of(Puskesmas)
    with city.engine.connect() as connection:
        return int(connection.execute(select(p.c.id).where(p.c.name == name)).scalar_one())


def test_administrators_list_every_account_with_role_and_area(signed_in: SignedIn) -> None:
    client, _ = signed_in("admin")
    page = client.get("/users")
    assert page.status_code == 200
    rows = {
        str(row.get("data-user")): [td.text_content().strip() for td in row.xpath("td")]
        for row in nodes(page.text, "//table[@id='users']/tbody/tr")
    }
    assert rows["gizi"][2:4] == ["nutrisionis", "Puskesmas Cibeber"]
    assert rows["kader"][2] == "kader"
    assert rows["kader"][3].startswith("Posyandu ")
    assert rows["analis"][2:] == ["analis", "seluruh kota", "Bahasa Indonesia", "aktif"]
    assert nodes(page.text, "//nav[@class='menu']/a[@href='/users']")


@pytest.mark.parametrize("username", ["analis", "gizi", "kader", "mitra"])
def test_other_roles_find_no_user_page(signed_in: SignedIn, username: str) -> None:
    client, token = signed_in(username)
    assert client.get("/users").status_code == 404
    assert client.get("/users/new").status_code == 404
    assert client.get("/users/1").status_code == 404
    assert add(client, token, username="penyusup", role="admin") == 404
    assert not nodes(client.get("/reports").text, "//nav[@class='menu']/a[@href='/users']")


def test_a_new_kader_signs_in_at_her_posyandu_and_the_audit_keeps_no_password(
    city: City, signed_in: SignedIn, app: FastAPI
) -> None:
    client, token = signed_in("admin")
    created = add(client, token, username="kader-baru", role="kader",
                  posyandu_id=str(city.kader_posyandu))  # fmt: skip
    assert isinstance(created, TestClient)
    account = user_id(city, "kader-baru")
    newcomer = TestClient(app)
    sign_in(newcomer, "kader-baru", PASSWORD)
    home = newcomer.get("/statistics", follow_redirects=False)
    assert home.headers["location"] == f"/posyandu/{city.kader_posyandu}"
    [(action, before, after)] = audit_of(city, account)
    assert (action, before) == ("create", None)
    assert after is not None
    assert json.loads(after)["role"] == "kader"
    assert PASSWORD not in after
    assert "argon2" not in after


def test_refused_accounts_say_what_to_fix_and_create_nothing(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("admin")
    response = client.post(
        "/users/new",
        data={
            "username": "budi santoso",
            "role": "kader",
            "password": "pendek",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert texts(response.text, "//ul[@class='errors']/li") == [
        "Nama pengguna: gunakan 1 sampai 50 karakter tanpa spasi",
        "Posyandu: kader bertugas di satu posyandu; pilih posyandunya",
        "Kata sandi: gunakan setidaknya 10 karakter",
    ]
    taken = client.post(
        "/users/new",
        data={
            "username": "gizi",
            "role": "nutritionist",
            "password": PASSWORD,
            "csrf_token": token,
        },
    )
    assert texts(taken.text, "//ul[@class='errors']/li") == [
        "Nama pengguna: 'gizi' sudah dipakai; pilih yang lain",
        "Puskesmas: nutrisionis bertugas di satu puskesmas; pilih puskesmasnya",
    ]
    u = table_of(AppUser)
    with city.engine.connect() as connection:
        names = connection.execute(select(u.c.username)).scalars().all()
    assert "budi santoso" not in names
    assert nodes(taken.text, "//input[@id='password']")[0].get("value") in (None, "")


def test_an_account_changes_role_and_area_and_the_audit_has_both_sides(
    city: City, signed_in: SignedIn
) -> None:
    client, token = signed_in("admin")
    add(client, token, username="pindah-tugas", role="kader", posyandu_id=str(city.kader_posyandu))
    account = user_id(city, "pindah-tugas")
    cibeber = puskesmas_id(city, "Cibeber")
    form = client.get(f"/users/{account}")
    assert text(form.text, "//h1") == "pindah-tugas"
    changed = client.post(
        f"/users/{account}",
        data={
            "full_name": "Pindah Tugas",
            "role": "nutritionist",
            "puskesmas_id": str(cibeber),
            "language": "en",
            "is_active": "1",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert changed.status_code == 303
    with city.engine.connect() as connection:
        found = find_user(connection, "pindah-tugas")
    assert found is not None
    assert (found.role.value, found.puskesmas_id, found.posyandu_id, found.language) == (
        "nutritionist",
        cibeber,
        None,
        "en",
    )
    action, before, after = audit_of(city, account)[-1]
    assert action == "update"
    assert before is not None
    assert after is not None
    assert json.loads(before)["role"] == "kader"
    assert json.loads(after)["puskesmas_id"] == cibeber


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in(
    city: City, signed_in: SignedIn, app: FastAPI
) -> None:
    client, token = signed_in("admin")
    add(client, token, username="keluar", role="analyst")
    account = user_id(city, "keluar")
    session = TestClient(app)
    sign_in(session, "keluar", PASSWORD)
    assert session.get("/reports").status_code == 200
    client.post(
        f"/users/{account}",
        data={"full_name": "Keluar", "role": "analyst", "language": "id", "csrf_token": token},
    )
    assert session.get("/reports", follow_redirects=False).status_code == 303
    again = TestClient(app)
    login_token = nodes(again.get("/login").text, "//input[@name='csrf_token']")[0].get("value")
    refused = again.post(
        "/login",
        data={"username": "keluar", "password": PASSWORD, "csrf_token": login_token},
    )
    assert refused.status_code == 401
    listed = client.get("/users")
    row = nodes(listed.text, "//tr[@data-user='keluar']/td")
    assert row[-1].text_content().strip() == "dinonaktifkan"


def test_a_new_password_replaces_the_old_and_is_never_written_down(
    city: City, signed_in: SignedIn, app: FastAPI
) -> None:
    client, token = signed_in("admin")
    add(client, token, username="lupa-sandi", role="partner")
    account = user_id(city, "lupa-sandi")
    short = client.post(f"/users/{account}/password", data={"password": "123", "csrf_token": token})
    assert short.status_code == 422
    new_password = "sandi-baru-yang-panjang"
    done = client.post(
        f"/users/{account}/password",
        data={"password": new_password, "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    sign_in(TestClient(app), "lupa-sandi", new_password)
    old = TestClient(app)
    login_token = nodes(old.get("/login").text, "//input[@name='csrf_token']")[0].get("value")
    assert (
        old.post(
            "/login",
            data={"username": "lupa-sandi", "password": PASSWORD, "csrf_token": login_token},
        ).status_code
        == 401
    )
    action, _, after = audit_of(city, account)[-1]
    assert action == "update"
    assert after is not None
    assert json.loads(after) == {"username": "lupa-sandi", "password_changed": True}
    assert new_password not in after


def test_an_administrator_cannot_lock_herself_out(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    own = user_id(city, "admin")
    for role, active in (("analyst", "1"), ("admin", "")):
        response = client.post(
            f"/users/{own}",
            data={
                "full_name": "Admin",
                "role": role,
                "language": "id",
                "is_active": active,
                "csrf_token": token,
            },
        )
        assert response.status_code == 422
        assert texts(response.text, "//ul[@class='errors']/li") == [
            "Anda tidak dapat menonaktifkan akun sendiri atau melepas peran administrator "
            "sendiri; mintalah administrator lain"
        ]
    with city.engine.connect() as connection:
        me = find_user(connection, "admin")
    assert me is not None
    assert (me.role.value, me.is_active) == ("admin", True)


def test_account_changes_need_the_csrf_token(city: City, signed_in: SignedIn) -> None:
    client, _ = signed_in("admin")
    assert client.post("/users/new", data={"username": "x", "role": "admin"}).status_code == 403
    own = user_id(city, "admin")
    assert client.post(f"/users/{own}/password", data={"password": "x" * 12}).status_code == 403


def test_the_audit_log_lists_account_changes(city: City, signed_in: SignedIn) -> None:
    client, token = signed_in("admin")
    add(client, token, username="tercatat", role="analyst")
    account = user_id(city, "tercatat")
    log = client.get("/audit-log?entity=user")
    assert log.status_code == 200
    assert nodes(log.text, f"//table[@id='audit']//a[@href='/users/{account}']")
