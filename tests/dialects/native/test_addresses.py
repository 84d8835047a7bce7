"""Address records and their photos over the native API: list, search, delete, photo bytes."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.dialects.native.conftest import bearer, jpeg
from tests.images import decode
from userphoto.core.model import PhotoOwner, Scope
from userphoto.core.services import Services

API = "/api/v1"
PHOTO = f"{API}/addresses/4/photo"
JPEG = {"Content-Type": "image/jpeg"}
COMPANIES = ["Arndt & Co", "Bau 100%", "Cramer_Partner", "Dach AG", "Eck GmbH"]


@pytest.fixture
def addresses(people: Services) -> Services:
    for number, company in enumerate(COMPANIES, start=1):
        people.directory.save_address(
            {"id": number, "company": company, "email": f"a{number}@x.de"}
        )
    return people


def ids(answer: dict[str, Any]) -> list[int]:
    return [a["id"] for a in answer["items"]]


def test_addresses_are_paged_by_id(
    client: TestClient, admin: dict[str, str], addresses: Services
) -> None:
    first = client.get(f"{API}/addresses", params={"limit": 2}, headers=admin).json()
    rest = client.get(f"{API}/addresses", params={"limit": 2, "offset": 4}, headers=admin).json()
    assert (ids(first), first["total"]) == ([1, 2], 5)
    assert (ids(rest), rest["total"]) == ([5], 5)


@pytest.mark.parametrize(
    ("q", "expected"),
    [("dach", [4]), ("A3@X.DE", [3]), ("0%", [2]), ("r_p", [3]), ("%", [2]), ("nobody", [])],
)
def test_address_search_is_a_literal_substring(
    client: TestClient, admin: dict[str, str], addresses: Services, q: str, expected: list[int]
) -> None:
    answer = client.get(f"{API}/addresses", params={"q": q}, headers=admin).json()
    assert (ids(answer), answer["total"]) == (expected, len(expected))


def test_listing_addresses_needs_people_read(client: TestClient, addresses: Services) -> None:
    own = bearer(addresses.auth.create_key(3, "self", [Scope.SELF_READ])[1])
    assert client.get(f"{API}/addresses", headers=own).status_code == 403


def test_deleting_an_unknown_address_is_404(client: TestClient, admin: dict[str, str]) -> None:
    answer = client.delete(f"{API}/addresses/9", headers=admin)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_an_address_photo_is_uploaded_served_and_deleted(
    client: TestClient, admin: dict[str, str], user: dict[str, str], addresses: Services
) -> None:
    assert client.get(PHOTO, headers=admin).status_code == 404
    crop = {"x": 0, "y": 0, "width": 200, "height": 200}
    stored = client.put(PHOTO, content=jpeg(400), params=crop, headers={**admin, **JPEG})
    assert stored.status_code == 200
    assert client.get(PHOTO, headers=user).json()["id"] == stored.json()["id"]
    image = client.get(f"{PHOTO}/96", headers=user)
    assert image.headers["content-type"] == "image/jpeg"
    assert decode(image.content).size == (96, 96)
    etag = next(r["etag"] for r in stored.json()["renditions"] if r["size"] == 96)
    assert image.headers["etag"] == etag
    again = client.get(f"{PHOTO}/96", headers={**user, "If-None-Match": etag})
    assert again.status_code == 304
    assert client.delete(PHOTO, headers=admin).status_code == 204
    assert addresses.photos.current(PhotoOwner.address(4)) is None
    assert client.get(f"{PHOTO}/96", headers=user).status_code == 404
    assert client.delete(PHOTO, headers=admin).status_code == 404


def test_an_address_photo_is_the_fallback_of_its_users(
    client: TestClient, admin: dict[str, str], addresses: Services
) -> None:
    addresses.directory.save_user({"number": 3, "address_id": 4})
    stored = client.put(PHOTO, content=jpeg(200), headers={**admin, **JPEG}).json()
    fallback = addresses.photos.effective_photo(addresses.directory.user(3))
    assert fallback is not None and fallback.id == stored["id"]


def test_only_admins_change_address_photos(
    client: TestClient, user: dict[str, str], addresses: Services
) -> None:
    assert client.put(PHOTO, content=jpeg(200), headers={**user, **JPEG}).status_code == 403
    assert client.delete(PHOTO, headers=user).status_code == 403
    own = bearer(addresses.auth.create_key(3, "self", [Scope.SELF_READ])[1])
    assert client.get(PHOTO, headers=own).status_code == 403
    assert addresses.photos.current(PhotoOwner.address(4)) is None


def test_photos_of_unknown_addresses_are_404(client: TestClient, admin: dict[str, str]) -> None:
    assert (
        client.put(
            f"{API}/addresses/9/photo", content=jpeg(50), headers={**admin, **JPEG}
        ).status_code
        == 404
    )
    assert client.get(f"{API}/addresses/9/photo/96", headers=admin).status_code == 404


def test_address_photo_changes_are_audited(
    client: TestClient, admin: dict[str, str], addresses: Services
) -> None:
    client.put(PHOTO, content=jpeg(120), headers={**admin, **JPEG})
    latest = client.get(f"{API}/audit", headers=admin).json()["items"][0]
    assert (latest["owner_kind"], latest["owner_id"], latest["action"]) == ("address", 4, "set")
    assert latest["actor"]["channel"] == "native"
