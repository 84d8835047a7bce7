"""GetUserPhoto and SetUserPhoto over SOAP, from the documentation's request onwards."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image
from starlette.testclient import TestClient

from tests.dialects.ews.conftest import ADMIN, NO_PHOTO, USER1, basic, jpeg
from tests.dialects.ews.soap import (
    PATH,
    SEED_REQUEST,
    envelope,
    fault_code,
    get_user_photo,
    read_photo_answer,
    set_user_photo,
)
from userphoto.core.model import PhotoOwner, Scope
from userphoto.core.services import Services

pytestmark = pytest.mark.usefixtures("people")


def side(data: bytes) -> int:
    image = Image.open(io.BytesIO(data))
    assert image.width == image.height
    return image.width


def test_the_documented_request_gets_the_documented_answer(
    client: TestClient, people: Services
) -> None:
    response = client.post(PATH, content=SEED_REQUEST, headers=basic(USER1))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    answer = read_photo_answer(response.content)
    assert answer.server_version == "Exchange2013"
    assert answer.response_class == "Success"
    assert answer.children == ["ResponseCode", "HasChanged", "PictureData", "ContentType"]
    assert answer.has_changed
    photo = people.photos.current(PhotoOwner.user(1))
    assert photo is not None
    assert answer.picture == people.photos.read(photo.rendition(48))
    assert answer.content_type == "image/jpeg"
    assert response.headers["etag"] == f'"{photo.rendition(48).blob_key}"'
    assert "expires" in response.headers


@pytest.mark.parametrize("quoted", [True, False])
def test_a_repeat_with_the_etag_has_not_changed(client: TestClient, quoted: bool) -> None:
    etag = client.post(PATH, content=SEED_REQUEST, headers=basic(USER1)).headers["etag"]
    tag = etag if quoted else etag.strip('"')
    response = client.post(
        PATH, content=SEED_REQUEST, headers={**basic(USER1), "If-None-Match": tag}
    )
    assert response.status_code == 200
    answer = read_photo_answer(response.content)
    assert answer.children == ["ResponseCode", "HasChanged", "PictureData"]
    assert not answer.has_changed
    assert answer.picture == b""
    assert response.headers["etag"] == etag


def test_a_stale_etag_gets_the_photo(client: TestClient) -> None:
    headers = {**basic(USER1), "If-None-Match": '"an-older-photo"'}
    answer = read_photo_answer(client.post(PATH, content=SEED_REQUEST, headers=headers).content)
    assert answer.has_changed
    assert answer.picture


@pytest.mark.parametrize("path", ["/ews/exchange.asmx", "/EWS/EXCHANGE.ASMX", "/Ews/Exchange.Asmx"])
def test_the_path_matches_in_any_case(client: TestClient, path: str) -> None:
    assert client.post(path, content=SEED_REQUEST, headers=basic(USER1)).status_code == 200


def test_prefixes_do_not_matter_only_namespaces(client: TestClient) -> None:
    unprefixed = (
        b'<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body>'
        b'<GetUserPhoto xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">'
        b"<Email>user1@contoso.com</Email><SizeRequested>HR96x96</SizeRequested>"
        b"</GetUserPhoto></Body></Envelope>"
    )
    response = client.post(PATH, content=unprefixed, headers=basic(USER1))
    assert side(read_photo_answer(response.content).picture) == 96


@pytest.mark.parametrize("size", [48, 64, 96, 120, 240, 360, 432, 504, 648])
@pytest.mark.parametrize("x", ["x", "X"])
def test_every_size_code_in_either_spelling(client: TestClient, size: int, x: str) -> None:
    request = get_user_photo(USER1, f"HR{size}{x}{size}")
    answer = read_photo_answer(client.post(PATH, content=request, headers=basic(USER1)).content)
    assert side(answer.picture) == size


@pytest.mark.parametrize("size", ["HR648x648", "HR1920xN"])
def test_a_size_beyond_the_stored_photo_gets_the_largest_there_is(
    client: TestClient, size: str
) -> None:
    request = get_user_photo(ADMIN, size)
    answer = read_photo_answer(client.post(PATH, content=request, headers=basic(USER1)).content)
    assert side(answer.picture) == 100


def test_type_requested_is_accepted(client: TestClient) -> None:
    request = get_user_photo(USER1, "HR48x48", extra="<m:TypeRequested>UserPhoto</m:TypeRequested>")
    assert client.post(PATH, content=request, headers=basic(USER1)).status_code == 200


@pytest.mark.parametrize("email", [NO_PHOTO, "nobody@contoso.com"])
def test_no_photo_is_404(client: TestClient, email: str) -> None:
    response = client.post(PATH, content=get_user_photo(email, "HR48x48"), headers=basic(USER1))
    assert response.status_code == 404
    answer = read_photo_answer(response.content)
    assert answer.picture == b""
    assert answer.content_type is None


@pytest.mark.parametrize(
    ("request_body", "code"),
    [
        (get_user_photo(USER1, "HR50x50"), "ErrorSchemaValidation"),
        (get_user_photo(USER1, "HR48x64"), "ErrorSchemaValidation"),
        (get_user_photo(USER1, "large"), "ErrorSchemaValidation"),
        (
            get_user_photo(USER1, "HR48x48", extra="<m:TypeRequested>X</m:TypeRequested>"),
            "ErrorSchemaValidation",
        ),
        (
            envelope("<m:GetUserPhoto><m:Email>a@b</m:Email></m:GetUserPhoto>"),
            "ErrorSchemaValidation",
        ),
        (get_user_photo("not an address", "HR48x48"), "ErrorInvalidSmtpAddress"),
        (get_user_photo("", "HR48x48"), "ErrorInvalidSmtpAddress"),
        (get_user_photo("Ada &lt;ada@contoso.com&gt;", "HR48x48"), "ErrorInvalidSmtpAddress"),
        (get_user_photo(USER1, "HR48x48", version="Exchange2010_SP2"), "ErrorInvalidServerVersion"),
        (envelope("<m:FindItem/>"), "ErrorInvalidRequest"),
    ],
)
def test_bad_requests_get_faults(client: TestClient, request_body: bytes, code: str) -> None:
    response = client.post(PATH, content=request_body, headers=basic(USER1))
    # As Exchange does, and as exchangelib and the EWS Managed API need to read the fault.
    assert response.status_code == 500
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert fault_code(response.content) == code


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic(USER1, "wrong"),
        basic("nobody@contoso.com"),
        {"Authorization": "Basic !!"},
        {"Authorization": "Bearer sk-not-a-key"},
        {"Authorization": "Negotiate abc"},
    ],
)
def test_without_valid_credentials_it_is_401_with_a_challenge(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(PATH, content=SEED_REQUEST, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Basic realm="userphoto"')
    assert "Bearer" in response.headers["www-authenticate"]


def test_an_api_key_works_as_bearer(client: TestClient, people: Services) -> None:
    _, key = people.auth.create_key(3, "outlook", [])
    response = client.post(PATH, content=SEED_REQUEST, headers={"Authorization": f"Bearer {key}"})
    assert read_photo_answer(response.content).picture


def test_a_key_for_oneself_may_not_read_others(client: TestClient, people: Services) -> None:
    _, key = people.auth.create_key(3, "own", [Scope.SELF_READ])
    response = client.post(PATH, content=SEED_REQUEST, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 500
    assert fault_code(response.content) == "ErrorAccessDenied"


def _photo_of(client: TestClient, email: str, login: str = ADMIN) -> bytes:
    request = get_user_photo(email, "HR48x48")
    return read_photo_answer(
        client.post(PATH, content=request, headers=basic(login)).content
    ).picture


def test_a_user_sets_their_own_photo(client: TestClient) -> None:
    before = _photo_of(client, NO_PHOTO)
    content = base64.b64encode(jpeg(300, (10, 200, 10))).decode()
    response = client.post(PATH, content=set_user_photo(NO_PHOTO, content), headers=basic(NO_PHOTO))
    assert response.status_code == 200
    assert b'SetUserPhotoResponse ResponseClass="Success"' in response.content
    assert b"<ResponseCode>NoError</ResponseCode>" in response.content
    assert before == b""
    assert side(_photo_of(client, NO_PHOTO)) == 48


def test_an_admin_sets_anyones_photo(client: TestClient) -> None:
    before = _photo_of(client, USER1)
    content = base64.b64encode(jpeg(300, (10, 200, 10))).decode()
    response = client.post(PATH, content=set_user_photo(USER1, content), headers=basic(ADMIN))
    assert response.status_code == 200
    assert _photo_of(client, USER1) != before


def test_others_may_not_set_a_photo(client: TestClient) -> None:
    content = base64.b64encode(jpeg(300)).decode()
    response = client.post(PATH, content=set_user_photo(ADMIN, content), headers=basic(NO_PHOTO))
    assert response.status_code == 500
    assert fault_code(response.content) == "ErrorAccessDenied"


@pytest.mark.parametrize(
    ("email", "content", "code"),
    [
        (NO_PHOTO, "not base64!", "ErrorInvalidArgument"),
        (NO_PHOTO, base64.b64encode(b"plain text, no image").decode(), "ErrorInvalidArgument"),
        ("nobody@contoso.com", base64.b64encode(jpeg(50)).decode(), "ErrorNonExistentMailbox"),
    ],
)
def test_bad_photos_are_refused(client: TestClient, email: str, content: str, code: str) -> None:
    response = client.post(PATH, content=set_user_photo(email, content), headers=basic(ADMIN))
    assert response.status_code == 500
    assert fault_code(response.content) == code
