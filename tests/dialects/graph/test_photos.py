"""Graph's profilePhoto over raw HTTP: metadata, sizes, bytes, 304, writes and errors."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from starlette.testclient import TestClient

from tests.dialects.graph.conftest import OTHER, USER1, bearer, jpeg
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services

SIZES = ["48x48", "64x64", "96x96", "120x120", "240x240", "360x360", "432x432", "504x504"]


def rendition_key(people: Services, size: int) -> str:
    photo = people.photos.current(PhotoOwner.user(1))
    assert photo is not None
    return photo.rendition(size).blob_key


def test_photo_metadata_is_the_largest_size(
    client: TestClient, people: Services, user1_key: str
) -> None:
    body = client.get(f"/v1.0/users/{USER1}/photo", headers=bearer(user1_key)).json()
    assert body["@odata.context"].endswith("/photo/$entity")
    assert body["@odata.mediaContentType"] == "image/jpeg"
    assert body["@odata.mediaEtag"] == f'"{rendition_key(people, 504)}"'
    assert (body["id"], body["width"], body["height"]) == ("504x504", 504, 504)


def test_photos_lists_every_size_the_photo_fills(client: TestClient, user1_key: str) -> None:
    body = client.get("/v1.0/me/photos", headers=bearer(user1_key)).json()
    assert [entry["id"] for entry in body["value"]] == SIZES


@pytest.mark.parametrize("ref", [USER1, "user1", "1"])
def test_users_are_found_by_id_or_principal_name(
    client: TestClient, people: Services, admin_key: str, ref: str
) -> None:
    response = client.get(f"/v1.0/users/{ref}/photos/48x48", headers=bearer(admin_key))
    assert response.json()["id"] == "48x48"


def test_users_are_found_by_uuid(client: TestClient, people: Services, admin_key: str) -> None:
    uuid = people.directory.user(1).uuid
    assert client.get(f"/v1.0/users/{uuid}/photo", headers=bearer(admin_key)).status_code == 200


@pytest.mark.parametrize(("size", "side"), [("48x48", 48), ("240x240", 240), ("96", 96)])
def test_a_fixed_size_value(client: TestClient, user1_key: str, size: str, side: int) -> None:
    response = client.get(f"/v1.0/me/photos/{size}/$value", headers=bearer(user1_key))
    assert response.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).size == (side, side)


@pytest.mark.parametrize(
    "path",
    ["/v1.0/me/photo/$value", f"/beta/users/{USER1}/photo/$value", "/v1.0/me/photos/64x64/$value"],
)
def test_every_value_route_answers_the_etag_with_a_304(
    client: TestClient, user1_key: str, path: str
) -> None:
    first = client.get(path, headers=bearer(user1_key))
    assert first.status_code == 200
    assert first.headers["cache-control"] == "private, max-age=300, must-revalidate"
    again = client.get(path, headers={**bearer(user1_key), "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_the_value_etag_is_the_media_etag(client: TestClient, user1_key: str) -> None:
    meta = client.get("/v1.0/me/photo", headers=bearer(user1_key)).json()
    value = client.get("/v1.0/me/photo/$value", headers=bearer(user1_key))
    assert value.headers["etag"] == meta["@odata.mediaEtag"]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        (f"/v1.0/users/{OTHER}/photo/$value", 404, "ErrorEntityNotFound"),
        (f"/v1.0/users/{OTHER}/photo", 404, "ErrorEntityNotFound"),
        ("/v1.0/users/nobody@contoso.com/photo", 404, "Request_ResourceNotFound"),
        ("/v1.0/me/photos/648x648/$value", 404, "ErrorEntityNotFound"),
        ("/v1.0/me/photos/50x50", 400, "invalidRequest"),
        ("/v1.0/me/photos/48x64/$value", 400, "invalidRequest"),
    ],
)
def test_errors_have_graphs_shape(
    client: TestClient, user1_key: str, path: str, status: int, code: str
) -> None:
    response = client.get(path, headers=bearer(user1_key))
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert set(error["innerError"]) == {"date", "request-id", "client-request-id"}


def test_without_a_token_it_is_401(client: TestClient, people: Services) -> None:
    response = client.get("/v1.0/me/photo/$value")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert "Bearer" in response.headers["www-authenticate"]


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_a_user_uploads_their_own_photo(
    client: TestClient, people: Services, other_key: str, method: str
) -> None:
    response = client.request(
        method,
        "/v1.0/me/photo/$value",
        content=jpeg(120),
        headers={**bearer(other_key), "Content-Type": "image/jpeg"},
    )
    assert response.status_code == 200
    meta = client.get("/v1.0/me/photo", headers=bearer(other_key)).json()
    assert meta["id"] == "120x120"


def test_others_may_not_upload(client: TestClient, other_key: str) -> None:
    path = f"/v1.0/users/{USER1}/photo/$value"
    response = client.put(path, content=jpeg(120), headers=bearer(other_key))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "Authorization_RequestDenied"


def test_an_admin_deletes_anyones_photo(client: TestClient, admin_key: str) -> None:
    path = f"/v1.0/users/{USER1}/photo/$value"
    assert client.delete(path, headers=bearer(admin_key)).status_code == 200
    assert client.get(path, headers=bearer(admin_key)).status_code == 404
    assert client.delete(path, headers=bearer(admin_key)).status_code == 404


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"not an image", 400, "invalidRequest"),
        (b"\0" * (4 * 1024 * 1024 + 1), 413, "RequestBodyTooLarge"),
    ],
)
def test_bad_uploads_are_refused(
    client: TestClient, admin_key: str, content: bytes, status: int, code: str
) -> None:
    response = client.put("/v1.0/me/photo/$value", content=content, headers=bearer(admin_key))
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_an_upload_without_a_token_is_401(client: TestClient, people: Services) -> None:
    response = client.put("/v1.0/me/photo/$value", content=jpeg(64))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "InvalidAuthenticationToken"
