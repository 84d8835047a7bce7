"""API users and API keys over the native API: the secret is shown once, revoking works."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.dialects.native.conftest import bearer
from userphoto.core.model import Scope
from userphoto.core.services import Services


def test_api_users_are_created_listed_and_revoked(
    client: TestClient, admin: dict[str, str], people: Services
) -> None:
    created = client.post(
        "/api/v1/api-users", json={"name": "crm", "user_number": 2}, headers=admin
    )
    assert created.status_code == 201
    body = created.json()
    assert people.api_users.by_token(body["token"]).secret == body["secret"]
    listed = client.get("/api/v1/api-users", headers=admin).json()["items"]
    assert [u["name"] for u in listed] == ["crm"]
    assert "secret" not in listed[0] and "token" not in listed[0]
    assert client.delete(f"/api/v1/api-users/{body['id']}", headers=admin).status_code == 204
    assert people.api_users.by_token(body["token"]) is None
    assert client.delete(f"/api/v1/api-users/{body['id']}", headers=admin).status_code == 404


def test_api_keys_are_created_listed_and_revoked(client: TestClient, admin: dict[str, str]) -> None:
    created = client.post(
        "/api/v1/api-keys",
        json={"name": "script", "user_number": 3, "scopes": ["self:read"]},
        headers=admin,
    ).json()
    key = bearer(created["key"])
    assert client.get("/api/v1/users/3", headers=key).status_code == 200
    listed = client.get("/api/v1/api-keys", params={"user": 3}, headers=admin).json()["items"]
    assert [(k["name"], k["scopes"]) for k in listed] == [("script", ["self:read"])]
    assert "key" not in listed[0]
    assert client.delete(f"/api/v1/api-keys/{created['id']}", headers=admin).status_code == 204
    assert client.get("/api/v1/users/3", headers=key).status_code == 401


def test_only_admins_manage_credentials(client: TestClient, user: dict[str, str]) -> None:
    assert client.get("/api/v1/api-keys", headers=user).status_code == 403
    made = client.post("/api/v1/api-keys", json={"name": "x", "user_number": 2}, headers=user)
    assert made.status_code == 403
    assert client.get("/api/v1/api-users", headers=user).status_code == 403


def test_a_key_for_an_unknown_user_is_not_found(client: TestClient, admin: dict[str, str]) -> None:
    answer = client.post("/api/v1/api-keys", json={"name": "x", "user_number": 99}, headers=admin)
    assert answer.status_code == 404


def test_a_read_only_admin_key_cannot_manage(client: TestClient, people: Services) -> None:
    reader = bearer(people.auth.create_key(1, "reader", [Scope.PEOPLE_READ])[1])
    assert client.get("/api/v1/api-keys", headers=reader).status_code == 200
    made = client.post("/api/v1/api-keys", json={"name": "x", "user_number": 1}, headers=reader)
    assert made.status_code == 403
    assert [k.name for k in people.auth.keys(1)] == ["reader"]
