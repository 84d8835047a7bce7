"""GET /EWS/Exchange.asmx/s/GetUserPhoto: bytes, validators, 304, own photo, errors."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from starlette.testclient import TestClient

from tests.dialects.ews.conftest import ADMIN, NO_PHOTO, USER1, basic
from tests.dialects.ews.soap import fault_code
from userphoto.core.model import PhotoOwner, Scope
from userphoto.core.services import Services

pytestmark = pytest.mark.usefixtures("people")
URL = "/EWS/Exchange.asmx/s/GetUserPhoto"


def test_the_photo_comes_as_bytes_with_validators(client: TestClient, people: Services) -> None:
    response = client.get(URL, params={"email": USER1, "size": "HR96x96"}, headers=basic(ADMIN))
    photo = people.photos.current(PhotoOwner.user(1))
    assert photo is not None
    rendition = photo.rendition(96)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.content == people.photos.read(rendition)
    assert response.headers["etag"] == f'"{rendition.blob_key}"'
    assert "expires" in response.headers
    assert response.headers["cache-control"] == "private, max-age=300, must-revalidate"


@pytest.mark.parametrize("quoted", [True, False])
def test_the_etag_brings_a_304_without_a_body(client: TestClient, quoted: bool) -> None:
    params = {"email": USER1, "size": "HR48x48"}
    etag = client.get(URL, params=params, headers=basic(ADMIN)).headers["etag"]
    tag = etag if quoted else etag.strip('"')
    response = client.get(URL, params=params, headers={**basic(ADMIN), "If-None-Match": tag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag


def test_without_email_it_is_the_callers_own_photo(client: TestClient) -> None:
    response = client.get(URL, params={"size": "HR648X648"}, headers=basic(ADMIN))
    assert Image.open(io.BytesIO(response.content)).size == (100, 100)


def test_the_path_matches_in_any_case(client: TestClient) -> None:
    url = "/ews/exchange.asmx/s/getuserphoto"
    assert client.get(url, params={"size": "HR48x48"}, headers=basic(USER1)).status_code == 200


@pytest.mark.parametrize("email", [NO_PHOTO, "nobody@contoso.com"])
def test_no_photo_is_404(client: TestClient, email: str) -> None:
    response = client.get(URL, params={"email": email, "size": "HR48x48"}, headers=basic(ADMIN))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"email": USER1, "size": "HR50x50"}, "ErrorInvalidPhotoSize"),
        ({"email": USER1}, "ErrorInvalidPhotoSize"),
        ({"email": "user1 at contoso", "size": "HR48x48"}, "ErrorInvalidSmtpAddress"),
        ({"email": "user1\x01@contoso.com", "size": "HR48x48"}, "ErrorInvalidSmtpAddress"),
    ],
)
def test_bad_parameters_get_an_error(client: TestClient, params: dict[str, str], code: str) -> None:
    response = client.get(URL, params=params, headers=basic(ADMIN))
    assert response.status_code == 400
    assert fault_code(response.content) == code


def test_without_credentials_it_is_401_with_a_challenge(client: TestClient) -> None:
    response = client.get(URL, params={"email": USER1, "size": "HR48x48"})
    assert response.status_code == 401
    assert "Basic" in response.headers["www-authenticate"]


def test_a_key_for_oneself_may_not_read_others(client: TestClient, people: Services) -> None:
    _, key = people.auth.create_key(3, "own", [Scope.SELF_READ])
    params = {"email": USER1, "size": "HR48x48"}
    response = client.get(URL, params=params, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403
    assert fault_code(response.content) == "ErrorAccessDenied"
