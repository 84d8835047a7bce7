"""Who may call: API keys, the admin UI's session cookie with its CSRF double submit."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from userphoto.core.model import AuthMethod, Principal, Scope
from userphoto.core.services import Services

PATCH = "/api/v1/users/3"


@pytest.fixture
def session(people: Services) -> str:
    admin = people.directory.user(1)
    return people.auth.open_session(Principal(admin, frozenset({Scope.ALL}), AuthMethod.PASSWORD))


def test_no_credentials_is_401_with_a_challenge(client: TestClient) -> None:
    answer = client.get("/api/v1/users")
    assert answer.status_code == 401
    assert "Bearer" in answer.headers["www-authenticate"]
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["instance"] == "/api/v1/users"


def test_a_wrong_key_is_401(client: TestClient, people: Services) -> None:
    assert (
        client.get("/api/v1/users", headers={"Authorization": "Bearer sk-nope"}).status_code == 401
    )


def test_a_session_cookie_reads(client: TestClient, session: str) -> None:
    client.cookies.set("userphoto_session", session)
    assert client.get("/api/v1/users/3").status_code == 200


def test_a_session_write_needs_the_csrf_token(
    client: TestClient, session: str, people: Services
) -> None:
    client.cookies.set("userphoto_session", session)
    client.cookies.set("userphoto_csrf", "token-123")
    without = client.patch(PATCH, json={"city": "Oslo"})
    assert without.status_code == 403
    wrong = client.patch(PATCH, json={"city": "Oslo"}, headers={"X-CSRF-Token": "token-999"})
    assert wrong.status_code == 403
    assert people.directory.user(3).city == ""
    right = client.patch(PATCH, json={"city": "Oslo"}, headers={"X-CSRF-Token": "token-123"})
    assert right.status_code == 200
    assert people.directory.user(3).city == "Oslo"


def test_an_empty_csrf_cookie_never_matches(client: TestClient, session: str) -> None:
    client.cookies.set("userphoto_session", session)
    client.cookies.set("userphoto_csrf", "")
    answer = client.patch(PATCH, json={"city": "Oslo"}, headers={"X-CSRF-Token": ""})
    assert answer.status_code == 403


def test_a_closed_session_is_401(client: TestClient, session: str, people: Services) -> None:
    people.auth.close_session(session)
    client.cookies.set("userphoto_session", session)
    assert client.get("/api/v1/users/3").status_code == 401


def test_bearer_writes_need_no_csrf_token(client: TestClient, admin: dict[str, str]) -> None:
    assert client.patch(PATCH, json={"city": "Oslo"}, headers=admin).status_code == 200
