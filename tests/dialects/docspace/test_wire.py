"""The envelopes byte for byte, and bad input: each gets its documented answer, never a 500,
and nothing changes."""

from __future__ import annotations

import httpx
import pytest

from tests.dialects.docspace.conftest import Person
from tests.images import RED, encode, png_header_bomb, solid
from userphoto.core.model import Photo, PhotoOwner
from userphoto.core.services import Services

PNG = encode(solid((64, 64), RED), "PNG")


def _auth(person: Person) -> dict[str, str]:
    return {"Authorization": f"Bearer {person.key}"}


@pytest.fixture
def database_url() -> str:
    """SQLite only: what these tests check happens before the store is involved."""
    return ""


@pytest.fixture
def photographed(ben: Person, services: Services) -> Photo:
    return services.photos.set_photo(PhotoOwner.user(ben.user.number), PNG)


def _unchanged(services: Services, ben: Person, photo: Photo) -> bool:
    current = services.photos.current(PhotoOwner.user(ben.user.number))
    return current is not None and current.id == photo.id


def test_success_envelope_is_exact(base_url: str, ben: Person) -> None:
    url = f"{base_url}/api/2.0/people/{ben.user.uuid}/photo"
    answer = httpx.get(url, headers=_auth(ben))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    body = answer.json()
    assert list(body) == ["response", "count", "links", "status", "statusCode"]
    assert body["links"] == [{"href": url, "action": "GET"}]
    assert (body["count"], body["status"], body["statusCode"]) == (1, 0, 200)
    assert list(body["response"]) == ["original", "retina", "max", "big", "medium", "small"]


def test_nulls_are_left_out(base_url: str, ben: Person) -> None:
    record = httpx.get(base_url + "/api/2.0/people/@self", headers=_auth(ben)).json()["response"]
    assert None not in record.values()
    assert "location" not in record and "mobilePhone" not in record


def test_error_envelope_is_exact(base_url: str, ben: Person) -> None:
    answer = httpx.get(base_url + "/api/2.0/people/nobody/photo", headers=_auth(ben))
    assert answer.status_code == 404
    assert answer.json() == {
        "error": {"message": "The user could not be found"},
        "status": 1,
        "statusCode": 404,
    }


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[]",
        b'{"x": "10"}',
        b'{"x": true}',
        b'{"width": -1}',
        b'{"width": 4294967296}',
        b'{"tmpFile": 5}',
        b'{"tmpFile": null, "colour": "red"}',
        b'{"x": 1}' + b" " * 70_000,
    ],
)
def test_bad_thumbnail_bodies_are_validation_errors(
    base_url: str, ben: Person, services: Services, photographed: Photo, content: bytes
) -> None:
    answer = httpx.post(
        f"{base_url}/api/2.0/people/{ben.user.uuid}/photo/thumbnails",
        content=content,
        headers={**_auth(ben), "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    body = answer.json()
    assert (body["status"], body["statusCode"], body["response"]["status"]) == (1, 400, 400)
    assert body["response"]["title"] == "One or more validation errors occurred."
    assert _unchanged(services, ben, photographed)


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b'{"files": ""}', 400),
        (b"{}", 400),
        (b'{"files": 1}', 400),
        (b'{"files": "x", "y": 1}', 400),
    ],
)
def test_bad_put_bodies(
    base_url: str, ben: Person, services: Services, photographed: Photo, content: bytes, status: int
) -> None:
    answer = httpx.put(
        f"{base_url}/api/2.0/people/{ben.user.uuid}/photo", content=content, headers=_auth(ben)
    )
    assert answer.status_code == status
    assert answer.json()["status"] == 1
    assert _unchanged(services, ben, photographed)


def _upload(base_url: str, ben: Person, files: dict, data: dict | None = None) -> httpx.Response:
    return httpx.post(
        f"{base_url}/api/2.0/people/{ben.user.uuid}/photo",
        files=files,
        data=data or {"Autosave": "true"},
        headers=_auth(ben),
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"GIF89a" + b"\0" * 100, "Unknown image file type"),
        (encode(solid((8, 8), RED), "GIF"), "Unknown image file type"),
        (b"not an image", "Unknown image file type"),
        (png_header_bomb(100_000, 100_000), "Image size is too large"),
        (b"\x89PNG" + b"\0" * (5 * 1024 * 1024), "The maximum file size is exceeded (5 MB)."),
        (b"\x89PNG" + b"\0" * (6 * 1024 * 1024), "The maximum file size is exceeded (5 MB)."),
    ],
)
def test_bad_uploads_fail_with_success_false(
    base_url: str,
    ben: Person,
    services: Services,
    photographed: Photo,
    payload: bytes,
    message: str,
) -> None:
    answer = _upload(base_url, ben, {"File": ("a.png", payload, "image/png")})
    assert answer.status_code == 200
    assert answer.json()["response"] == {"success": False, "message": message}
    assert _unchanged(services, ben, photographed)


def test_upload_field_names_and_autosave_are_case_insensitive(
    base_url: str, ben: Person, services: Services
) -> None:
    answer = _upload(base_url, ben, {"file": ("a.png", PNG, "image/png")}, {"autosave": "True"})
    assert answer.json()["response"]["success"] is True
    assert services.photos.current(PhotoOwner.user(ben.user.number)) is not None


def test_upload_without_a_file(base_url: str, ben: Person) -> None:
    answer = _upload(base_url, ben, {"Other": ("a.png", PNG, "image/png")})
    assert answer.json()["response"] == {
        "success": False,
        "message": "The uploaded file could not be found",
    }


def test_upload_with_a_bad_autosave_value(base_url: str, ben: Person) -> None:
    answer = _upload(base_url, ben, {"File": ("a.png", PNG, "image/png")}, {"Autosave": "maybe"})
    assert answer.status_code == 400 and answer.json()["status"] == 1


def test_upload_that_is_not_multipart_is_415_empty(base_url: str, ben: Person) -> None:
    answer = httpx.post(
        f"{base_url}/api/2.0/people/{ben.user.uuid}/photo", json={"File": "x"}, headers=_auth(ben)
    )
    assert (answer.status_code, answer.content) == (415, b"")


def test_crop_box_outside_the_image_is_a_400(
    base_url: str, ben: Person, services: Services, photographed: Photo
) -> None:
    answer = httpx.post(
        f"{base_url}/api/2.0/people/{ben.user.uuid}/photo/thumbnails",
        json={"x": 500, "y": 500, "width": 10, "height": 10},
        headers=_auth(ben),
    )
    assert answer.status_code == 400 and answer.json()["status"] == 1
    assert _unchanged(services, ben, photographed)
