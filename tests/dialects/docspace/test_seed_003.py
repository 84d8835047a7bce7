"""Seed 003, the vendor's "Manage user photo" sample, rewritten with httpx: PUT a photo URL
for user 10001 with an API key, then DELETE it. It works with an admin's key, and a key of
another non-admin user gets 403."""

from __future__ import annotations

import httpx

from tests.dialects.docspace.conftest import Person
from tests.dialects.docspace.servers import OriginServer, body
from tests.images import encode, quadrants
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services


def _headers(api_key: str) -> dict[str, str]:
    return {
        "Accept": "application/json",
        "Authorization": f"Bearer {api_key}",
        "Content-Type": "application/json",
    }


def upload_user_photo(host: str, api_key: str, user_id: str, photo_url: str) -> httpx.Response:
    url = f"{host}/api/2.0/people/{user_id}/photo"
    return httpx.put(url, headers=_headers(api_key), json={"files": photo_url})


def delete_user_photo(host: str, api_key: str, user_id: str) -> httpx.Response:
    return httpx.delete(f"{host}/api/2.0/people/{user_id}/photo", headers=_headers(api_key))


def test_the_sample_works_for_an_admin_key(
    base_url: str, ada: Person, ben: Person, origin: OriginServer, services: Services
) -> None:
    origin.replies["/appIcon-192.png"] = body(encode(quadrants(192, 192), "PNG"))
    photo_url = origin.url + "/appIcon-192.png?raw=true"
    uploaded = upload_user_photo(base_url, ada.key, "10001", photo_url)
    assert uploaded.status_code == 200, uploaded.text
    assert "_orig_192-192." in uploaded.json()["response"]["original"]
    assert services.photos.current(PhotoOwner.user(10001)) is not None
    deleted = delete_user_photo(base_url, ada.key, "10001")
    assert deleted.status_code == 200
    assert deleted.json()["response"]["original"].startswith("/static/images/")
    assert services.photos.current(PhotoOwner.user(10001)) is None


def test_the_sample_gets_403_for_another_users_key(
    base_url: str, cleo: Person, ben: Person, origin: OriginServer, services: Services
) -> None:
    origin.replies["/appIcon-192.png"] = body(encode(quadrants(192, 192), "PNG"))
    uploaded = upload_user_photo(base_url, cleo.key, "10001", origin.url + "/appIcon-192.png")
    assert uploaded.status_code == 403
    assert delete_user_photo(base_url, cleo.key, "10001").status_code == 403
    assert origin.hits == []
    assert services.photos.current(PhotoOwner.user(10001)) is None
