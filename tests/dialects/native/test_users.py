"""Users and addresses over the native API: search, paging, create, change, delete."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.dialects.native.conftest import bearer
from userphoto.core.services import Services

API = "/api/v1"
PROBLEM = "application/problem+json"


def test_list_pages_through_users_by_number(client: TestClient, admin: dict[str, str]) -> None:
    first = client.get(f"{API}/users?limit=2", headers=admin).json()
    second = client.get(f"{API}/users?limit=2&offset=2", headers=admin).json()
    assert [u["number"] for u in first["items"]] == [1, 2]
    assert [u["number"] for u in second["items"]] == [3]
    assert first["total"] == second["total"] == 3


def test_search_matches_names_email_and_user_name(
    client: TestClient, admin: dict[str, str]
) -> None:
    def found(q: str) -> list[int]:
        return [
            u["number"]
            for u in client.get(f"{API}/users", params={"q": q}, headers=admin).json()["items"]
        ]

    assert found("lee") == [3]
    assert found("BO@EXAMPLE") == [2]
    assert found("example.org") == [1, 2, 3]
    assert found("nobody") == []


def test_search_is_one_query_with_its_own_total_and_paging(
    client: TestClient, admin: dict[str, str], people: Services
) -> None:
    for n in range(4, 9):
        people.directory.save_user({"number": n, "username": f"x{n}", "last_name": f"Lee-{n}"})

    def page(**params: object) -> tuple[list[int], int]:
        body = client.get(f"{API}/users", params={"q": "LEE", **params}, headers=admin).json()
        return [u["number"] for u in body["items"]], body["total"]

    assert page() == ([3, 4, 5, 6, 7, 8], 6)
    assert page(limit=2, offset=1) == ([4, 5], 6)
    assert page(limit=2, offset=5) == ([8], 6)
    assert page(limit=0) == ([], 6)


def test_search_text_with_like_wildcards_still_finds_the_literal_text(
    client: TestClient, admin: dict[str, str], people: Services
) -> None:
    people.directory.save_user({"number": 4, "username": "first_last"})
    people.directory.save_user({"number": 5, "username": "fifty%off"})
    found = client.get(f"{API}/users", params={"q": "t_l"}, headers=admin).json()["items"]
    assert [u["number"] for u in found] == [4]
    found = client.get(f"{API}/users", params={"q": "y%o"}, headers=admin).json()["items"]
    assert [u["number"] for u in found] == [5]


def test_get_shows_the_record_without_its_password_hash(
    client: TestClient, admin: dict[str, str], people: Services
) -> None:
    people.auth.set_password(2, "correct horse")
    body = client.get(f"{API}/users/2", headers=admin).json()
    assert body["email"] == "bo@example.org"
    assert "password_hash" not in body and "password" not in body


def test_create_update_delete(client: TestClient, admin: dict[str, str], people: Services) -> None:
    created = client.post(
        f"{API}/users", json={"email": "dee@example.org", "password": "s3cret-pass"}, headers=admin
    )
    assert created.status_code == 201
    number = created.json()["number"]
    assert people.auth.login("dee@example.org", "s3cret-pass") is not None
    changed = client.patch(f"{API}/users/{number}", json={"city": "Oslo"}, headers=admin)
    assert changed.json()["city"] == "Oslo"
    assert changed.json()["email"] == "dee@example.org"
    assert client.delete(f"{API}/users/{number}", headers=admin).status_code == 204
    assert client.get(f"{API}/users/{number}", headers=admin).status_code == 404


def test_a_duplicate_email_or_number_is_a_conflict(
    client: TestClient, admin: dict[str, str]
) -> None:
    taken = client.post(f"{API}/users", json={"email": "bo@example.org"}, headers=admin)
    assert taken.status_code == 409
    assert taken.headers["content-type"] == PROBLEM
    again = client.post(f"{API}/users", json={"number": 3}, headers=admin)
    assert again.status_code == 409


def test_only_admins_manage_users(
    client: TestClient, user: dict[str, str], people: Services
) -> None:
    refused = client.patch(f"{API}/users/3", json={"city": "Oslo"}, headers=user)
    assert refused.status_code == 403
    assert refused.json()["status"] == 403
    assert people.directory.user(3).city == ""
    assert client.delete(f"{API}/users/3", headers=user).status_code == 403


def test_a_key_without_people_read_sees_only_its_own_record(
    client: TestClient, people: Services
) -> None:
    from userphoto.core.model import Scope

    own = bearer(people.auth.create_key(3, "self", [Scope.SELF_READ])[1])
    assert client.get(f"{API}/users/3", headers=own).status_code == 200
    assert client.get(f"{API}/users/2", headers=own).status_code == 403
    assert client.get(f"{API}/users", headers=own).status_code == 403


def test_addresses_can_be_written_read_and_deleted(
    client: TestClient, admin: dict[str, str]
) -> None:
    put = client.put(f"{API}/addresses/7", json={"company": "Acme"}, headers=admin)
    assert put.json() == {
        "id": 7,
        "first_name": "",
        "last_name": "",
        "company": "Acme",
        "email": "",
    }
    assert client.get(f"{API}/addresses/7", headers=admin).json()["company"] == "Acme"
    assert client.delete(f"{API}/addresses/7", headers=admin).status_code == 204
    assert client.get(f"{API}/addresses/7", headers=admin).status_code == 404
