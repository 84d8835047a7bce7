"""Bad input is answered with a problem document, never a 500, and changes nothing."""

from __future__ import annotations

import gzip

import pytest
from starlette.testclient import TestClient

from tests.dialects.native.conftest import jpeg
from tests.images import png_header_bomb
from userphoto.core.errors import StoreUnavailable
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services
from userphoto.dialects.native.api import MAX_JSON_BYTES

USER = "/api/v1/users/3"
PHOTO = "/api/v1/users/3/photo"
JSON = {"Content-Type": "application/json"}


def problem(answer: object, status: int) -> dict[str, object]:
    assert answer.status_code == status, answer.text  # type: ignore[attr-defined]
    assert answer.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    body: dict[str, object] = answer.json()  # type: ignore[attr-defined]
    assert set(body) == {"type", "title", "status", "detail", "instance"}
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b'{"city": 5}', 422),
        (b'{"city": null}', 422),
        (b'{"shoe_size": "44"}', 422),
        (b'{"account_id": "7"}', 422),
        (b'{"account_id": 99999999999}', 422),
        (b'{"city": "a\\u0000b"}', 422),
        (b"[]", 422),
    ],
)
def test_bad_json_changes_nothing(
    client: TestClient, admin: dict[str, str], people: Services, body: bytes, status: int
) -> None:
    before = people.directory.user(3)
    problem(client.patch(USER, content=body, headers={**admin, **JSON}), status)
    assert people.directory.user(3) == before


def test_json_must_be_declared(client: TestClient, admin: dict[str, str]) -> None:
    answer = client.patch(
        USER, content=b'{"city": "Oslo"}', headers={**admin, "Content-Type": "text/plain"}
    )
    problem(answer, 415)


def test_an_oversized_json_body_is_413(client: TestClient, admin: dict[str, str]) -> None:
    big = b'{"note": "' + b"x" * MAX_JSON_BYTES + b'"}'
    problem(client.patch(USER, content=big, headers={**admin, **JSON}), 413)


def test_a_compressed_body_is_refused(
    client: TestClient, admin: dict[str, str], people: Services
) -> None:
    bomb = gzip.compress(b'{"note": "' + b"x" * 10_000_000 + b'"}')
    headers = {**admin, **JSON, "Content-Encoding": "gzip"}
    problem(client.patch(USER, content=bomb, headers=headers), 415)
    assert people.directory.user(3).note == ""


def test_a_pixel_bomb_is_413(client: TestClient, admin: dict[str, str], people: Services) -> None:
    bomb = png_header_bomb(50_000, 50_000)
    problem(client.put(PHOTO, content=bomb, headers={**admin, "Content-Type": "image/png"}), 413)
    assert people.photos.current(PhotoOwner.user(3)) is None


def test_an_oversized_upload_is_413(
    client: TestClient, admin: dict[str, str], people: Services
) -> None:
    limit = client.app.state.settings.max_upload_bytes  # type: ignore[attr-defined]
    body = b"\xff" * (limit + 20_000)
    problem(client.put(PHOTO, content=body, headers={**admin, "Content-Type": "image/jpeg"}), 413)


@pytest.mark.parametrize(
    ("content", "media_type", "status"),
    [
        (b"\x89PNG\r\n\x1a\n\x00", "image/png", 422),
        (b"hello", "image/jpeg", 415),
        (b"", "image/jpeg", 422),
        (jpeg(50), "text/plain", 415),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x", 422),
    ],
)
def test_bad_uploads_change_nothing(
    client: TestClient,
    admin: dict[str, str],
    people: Services,
    content: bytes,
    media_type: str,
    status: int,
) -> None:
    problem(
        client.put(PHOTO, content=content, headers={**admin, "Content-Type": media_type}), status
    )
    assert people.photos.current(PhotoOwner.user(3)) is None


def test_a_form_without_a_file_is_422(client: TestClient, admin: dict[str, str]) -> None:
    problem(client.put(PHOTO, data={"other": "x"}, files={"x": ("a", b"1")}, headers=admin), 422)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/users/abc",
        "/api/v1/users/0",
        "/api/v1/users/99999999999999",
        "/api/v1/users?limit=501",
        "/api/v1/users?offset=-1",
        "/api/v1/users/2/photo/47",
        "/api/v1/users?limit=%C2%B2",
        "/api/v1/users?q=a%00b",
        "/api/v1/users?q=" + "x" * 201,
        "/api/v1/addresses?limit=501",
        "/api/v1/addresses?q=a%00b",
        "/api/v1/addresses/0/photo",
        "/api/v1/addresses/1/photo/47",
    ],
)
def test_bad_parameters_are_422(client: TestClient, admin: dict[str, str], path: str) -> None:
    problem(client.get(path, headers=admin), 422)


def test_unknown_records_are_404(client: TestClient, admin: dict[str, str]) -> None:
    problem(client.get("/api/v1/users/77", headers=admin), 404)
    problem(client.get("/api/v1/users/3/photo", headers=admin), 404)
    problem(client.get("/api/v1/addresses/5", headers=admin), 404)


def test_an_unreachable_store_is_503_with_retry_after(
    client: TestClient, admin: dict[str, str], people: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*_: object) -> None:
        raise StoreUnavailable("down")

    monkeypatch.setattr(people.directory, "user", unreachable)
    answer = client.get(USER, headers=admin)
    problem(answer, 503)
    assert answer.headers["retry-after"]
