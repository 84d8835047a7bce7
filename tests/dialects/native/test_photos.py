"""Photos over the native API: upload (raw, multipart, cropped), bytes with ETags, versions."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.dialects.native.conftest import jpeg
from tests.images import decode
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services

PHOTO = "/api/v1/users/3/photo"
JPEG = {"Content-Type": "image/jpeg"}


def test_raw_upload_becomes_the_current_photo(
    client: TestClient, admin: dict[str, str], people: Services
) -> None:
    answer = client.put(PHOTO, content=jpeg(400), headers={**admin, **JPEG})
    assert answer.status_code == 200
    current = people.photos.current(PhotoOwner.user(3))
    assert current is not None
    assert answer.json()["content_hash"] == current.content_hash
    assert client.get(PHOTO, headers=admin).json()["id"] == current.id


def test_multipart_upload_with_a_crop_box(client: TestClient, admin: dict[str, str]) -> None:
    files = {"file": ("me.jpg", jpeg(400), "image/jpeg")}
    crop = {"x": 0, "y": 0, "width": 100, "height": 100}
    answer = client.put(PHOTO, files=files, params=crop, headers=admin)
    assert answer.status_code == 200
    original = next(r for r in answer.json()["renditions"] if r["size"] is None)
    assert (original["width"], original["height"]) == (400, 400)
    image = client.get(f"{PHOTO}/96", headers=admin)
    assert decode(image.content).size == (96, 96)


def test_a_partial_crop_box_is_refused(client: TestClient, admin: dict[str, str]) -> None:
    answer = client.put(PHOTO, content=jpeg(200), params={"x": 1}, headers={**admin, **JPEG})
    assert answer.status_code == 422


def test_bytes_have_an_etag_and_answer_304(client: TestClient, user: dict[str, str]) -> None:
    first = client.get("/api/v1/users/2/photo/48", headers=user)
    assert first.status_code == 200
    assert first.headers["content-type"] == "image/jpeg"
    etag = first.headers["etag"]
    again = client.get("/api/v1/users/2/photo/48", headers={**user, "If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/api/v1/users/2/photo/original", headers=user).status_code == 200


def test_a_user_may_change_only_their_own_photo(
    client: TestClient, user: dict[str, str], people: Services
) -> None:
    own = client.put("/api/v1/users/2/photo", content=jpeg(200), headers={**user, **JPEG})
    assert own.status_code == 200
    other = client.put(PHOTO, content=jpeg(200), headers={**user, **JPEG})
    assert other.status_code == 403
    assert people.photos.current(PhotoOwner.user(3)) is None


def test_recrop_delete_and_restore(
    client: TestClient, admin: dict[str, str], people: Services
) -> None:
    first = client.put(PHOTO, content=jpeg(300), headers={**admin, **JPEG}).json()
    box = {"x": 10, "y": 10, "width": 120, "height": 120}
    cropped = client.post(f"{PHOTO}/crop", json=box, headers=admin).json()
    assert cropped["id"] != first["id"]
    assert client.delete(PHOTO, headers=admin).status_code == 204
    assert client.get(PHOTO, headers=admin).status_code == 404
    versions = client.get(f"{PHOTO}/versions", headers=admin).json()["items"]
    assert [v["id"] for v in versions] == [cropped["id"], first["id"]]
    assert not any(v["current"] for v in versions)
    restored = client.post(f"{PHOTO}/versions/{first['id']}/restore", headers=admin)
    assert restored.json()["id"] == first["id"]
    current = people.photos.current(PhotoOwner.user(3))
    assert current is not None and current.id == first["id"]
    assert client.post(f"{PHOTO}/versions/99999/restore", headers=admin).status_code == 404


def test_only_the_last_five_versions_are_listed(client: TestClient, admin: dict[str, str]) -> None:
    for shade in range(7):
        client.put(PHOTO, content=jpeg(100, (shade * 30, 0, 0)), headers={**admin, **JPEG})
    assert len(client.get(f"{PHOTO}/versions", headers=admin).json()["items"]) == 5


def test_a_photo_change_lands_in_the_audit_trail(
    client: TestClient, admin: dict[str, str], user: dict[str, str]
) -> None:
    client.put("/api/v1/users/2/photo", content=jpeg(120), headers={**user, **JPEG})
    client.delete(PHOTO, headers=admin)  # no photo: nothing happens, nothing recorded
    trail = client.get("/api/v1/audit", params={"user": 2}, headers=admin).json()
    latest = trail["items"][0]
    assert latest["action"] == "set"
    assert latest["actor"] == {"kind": "api-key", "id": "2", "channel": "native"}
    assert latest["old_hash"] and latest["new_hash"] and latest["old_hash"] != latest["new_hash"]
    assert trail["total"] == 2  # the fixture's upload too
    assert client.get("/api/v1/audit", params={"user": 3}, headers=admin).json()["total"] == 0
    assert client.get("/api/v1/audit", headers=user).status_code == 403
