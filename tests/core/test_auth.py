"""Passwords, personal API keys, sessions, and what a principal may read and change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from userphoto.core.auth import AuthService
from userphoto.core.errors import NotFound
from userphoto.core.model import AuthMethod, Principal, Scope
from userphoto.core.services import Services


@pytest.fixture
def people(services: Services) -> Services:
    services.directory.save_user({"number": 1, "email": "admin@example.org", "is_admin": True})
    services.directory.save_user({"number": 2, "email": "ada@example.org", "username": "ada"})
    services.directory.save_user({"number": 3, "email": "bob@example.org"})
    services.auth.set_password(2, "correct horse")
    return services


def test_login_by_email_or_user_name(people: Services) -> None:
    for login in ("ada@example.org", "ADA@example.org", "ada"):
        principal = people.auth.login(login, "correct horse")
        assert principal is not None
        assert principal.user.number == 2
        assert principal.method is AuthMethod.PASSWORD


@pytest.mark.parametrize(
    ("login", "password"),
    [
        ("ada", "wrong"),
        ("ada", ""),
        ("nobody@example.org", "correct horse"),
        ("bob@example.org", ""),
    ],
)
def test_login_refuses_mismatches(people: Services, login: str, password: str) -> None:
    assert people.auth.login(login, password) is None


def test_api_keys_are_hashed_scoped_and_revocable(people: Services) -> None:
    key, secret = people.auth.create_key(2, "script", [Scope.PEOPLE_READ])
    assert secret.startswith("sk-")
    with people.store.engine.connect() as conn:  # type: ignore[attr-defined]
        dump = "\n".join(str(r) for r in conn.exec_driver_sql("SELECT * FROM api_keys"))
    assert secret not in dump
    principal = people.auth.by_key(secret)
    assert principal is not None
    assert principal.user.number == 2
    assert principal.scopes == {Scope.PEOPLE_READ}
    assert [k.id for k in people.auth.keys(2)] == [key.id]
    people.auth.revoke_key(key.id)
    assert people.auth.by_key(secret) is None
    with pytest.raises(NotFound):
        people.auth.revoke_key(key.id)


def test_a_key_without_scopes_gets_all(people: Services) -> None:
    _, secret = people.auth.create_key(2, "script", [])
    assert people.auth.by_key(secret).scopes == {Scope.ALL}


@pytest.mark.parametrize("secret", ["", "sk-", "sk-" + "x" * 40, "not-a-key"])
def test_unknown_keys_find_nobody(people: Services, secret: str) -> None:
    assert people.auth.by_key(secret) is None


def test_keys_for_missing_users_are_refused(people: Services) -> None:
    with pytest.raises(NotFound):
        people.auth.create_key(99, "x", [])


def test_sessions_open_expire_and_close(people: Services) -> None:
    principal = people.auth.login("ada", "correct horse")
    token = people.auth.open_session(principal)
    assert people.auth.by_session(token).user.number == 2
    people.auth.close_session(token)
    assert people.auth.by_session(token) is None
    expired = AuthService(people.store, session_lifetime=timedelta(seconds=-1))
    assert expired.by_session(expired.open_session(principal)) is None


def principal(services: Services, number: int, *scopes: Scope) -> Principal:
    return Principal(services.directory.user(number), frozenset(scopes), AuthMethod.API_KEY)


def test_users_edit_themselves_and_admins_edit_anyone(people: Services) -> None:
    ada, bob = people.directory.user(2), people.directory.user(3)
    assert principal(people, 2, Scope.ALL).may_edit(ada)
    assert not principal(people, 2, Scope.ALL).may_edit(bob)
    assert principal(people, 1, Scope.ALL).may_edit(bob)
    assert principal(people, 1, Scope.PEOPLE_WRITE).may_edit(bob)


def test_scopes_limit_what_a_key_may_do(people: Services) -> None:
    ada, bob = people.directory.user(2), people.directory.user(3)
    reader = principal(people, 1, Scope.PEOPLE_READ)
    assert reader.may_read(bob)
    assert not reader.may_edit(bob)
    self_only = principal(people, 2, Scope.SELF_WRITE)
    assert self_only.may_edit(ada)
    assert self_only.may_read(ada)
    assert not self_only.may_read(bob)
