"""Credentials (API key, Basic, login token as cookie or raw header), scopes, permissions."""

from __future__ import annotations

import docspace_api_sdk as ds
import httpx
import pytest
from docspace_api_sdk.exceptions import ForbiddenException, UnauthorizedException

from tests.dialects.docspace.conftest import Person, SdkClient, docspace_app
from tests.dialects.docspace.servers import running_app
from tests.images import RED, encode, solid
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner, Scope
from userphoto.core.services import Services

PNG = encode(solid((64, 64), RED), "PNG")


def _login(base_url: str, user_name: str, password: str) -> httpx.Response:
    return httpx.post(
        base_url + "/api/2.0/authentication", json={"userName": user_name, "password": password}
    )


def test_basic_with_email_and_password(sdk: SdkClient, ben: Person) -> None:
    client = sdk(username="ben@example.com", password=ben.password)
    assert ds.ProfilesApi(client).get_self_profile().response.user_name == "ben"


def test_wrong_credentials_get_401_with_an_empty_body(base_url: str, ben: Person) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer sk-not-a-real-key"},
        {"Authorization": "Basic YmVuQGV4YW1wbGUuY29tOndyb25n"},
        {"Authorization": "Basic !!not-base64!!"},
        {"Authorization": "Basic bm8tY29sb24="},
        {"Authorization": "Bearer"},
        {"Authorization": "not-a-session"},
        {"Cookie": "asc_auth_key=not-a-session"},
    ):
        answer = httpx.get(base_url + "/api/2.0/people/@self", headers=headers)
        assert answer.status_code == 401 and answer.content == b"", headers


def test_the_sdk_raises_unauthorized(sdk: SdkClient, ben: Person) -> None:
    with pytest.raises(UnauthorizedException):
        ds.PhotosApi(sdk("sk-wrong")).get_member_photo(str(ben.user.uuid))


def test_login_token_works_as_cookie_and_as_raw_header(
    sdk: SdkClient, base_url: str, ben: Person
) -> None:
    token = (
        ds.AuthenticationApi(sdk())
        .authenticate_me(ds.AuthRequestsDto(user_name="ben", password=ben.password))
        .response.token
    )
    assert token
    by_cookie = sdk(cookie=f"asc_auth_key={token}")
    by_header = sdk(header_name="Authorization", header_value=token)
    for client in (by_cookie, by_header):
        assert ds.ProfilesApi(client).get_self_profile().response.user_name == "ben"
    assert _login(base_url, "ben", ben.password).cookies.get("asc_auth_key")


def test_failed_login_is_401_with_the_error_envelope(base_url: str, ben: Person) -> None:
    answer = _login(base_url, "ben", "wrong")
    assert answer.status_code == 401
    assert answer.json() == {
        "error": {"message": "User authentication failed"},
        "status": 1,
        "statusCode": 401,
    }


def test_a_user_may_not_change_someone_elses_photo(
    sdk: SdkClient, ben: Person, cleo: Person, services: Services
) -> None:
    photos = ds.PhotosApi(sdk(ben.key))
    uid = str(cleo.user.uuid)
    with pytest.raises(ForbiddenException) as raised:
        photos.delete_member_photo(uid)
    assert '"Access denied"' in raised.value.body
    with pytest.raises(ForbiddenException):
        photos.update_member_photo(uid, ds.UpdatePhotoMemberRequest(files="http://127.0.0.1/x"))
    with pytest.raises(ForbiddenException):
        photos.create_member_photo_thumbnails(uid, ds.ThumbnailsRequest())
    upload = photos.upload_member_photo(uid, file=("a.png", PNG), autosave=True).response
    assert (upload.success, upload.message) == (False, "Security error.")
    assert services.photos.current(PhotoOwner.user(cleo.user.number)) is None


def test_an_admin_may_change_anyones_photo(sdk: SdkClient, ada: Person, ben: Person) -> None:
    photos = ds.PhotosApi(sdk(ada.key))
    uid = str(ben.user.uuid)
    assert photos.upload_member_photo(uid, file=("a.png", PNG), autosave=True).response.success
    assert photos.delete_member_photo(uid).response.original.startswith("/static/")


def test_a_read_scope_key_reads_but_may_not_write(
    sdk: SdkClient, ben: Person, services: Services, base_url: str
) -> None:
    _, key = services.auth.create_key(ben.user.number, "read", [Scope.PEOPLE_READ])
    photos = ds.PhotosApi(sdk(key))
    uid = str(ben.user.uuid)
    assert photos.get_member_photo(uid).status_code == 200
    answer = httpx.delete(
        f"{base_url}/api/2.0/people/{uid}/photo", headers={"Authorization": f"Bearer {key}"}
    )
    assert (answer.status_code, answer.content) == (403, b"")


def test_a_self_scope_key_cannot_list_people(
    sdk: SdkClient, ben: Person, services: Services
) -> None:
    _, key = services.auth.create_key(ben.user.number, "self", [Scope.SELF_READ])
    profiles = ds.ProfilesApi(sdk(key))
    assert profiles.get_self_profile().response.user_name == "ben"
    with pytest.raises(ForbiddenException):
        profiles.get_all_profiles()


def test_view_rule_admins_hides_others_from_non_admins(
    settings: Settings, services: Services, ada: Person, ben: Person, cleo: Person
) -> None:
    app = docspace_app(settings.with_(docspace_view_rule="admins"), services)
    with running_app(app) as url:
        as_ben = {"Authorization": f"Bearer {ben.key}"}
        other = httpx.get(f"{url}/api/2.0/people/{cleo.user.uuid}/photo", headers=as_ben)
        own = httpx.get(f"{url}/api/2.0/people/{ben.user.uuid}/photo", headers=as_ben)
        listed = httpx.get(f"{url}/api/2.0/people", headers=as_ben)
        by_admin = httpx.get(
            f"{url}/api/2.0/people/{cleo.user.uuid}", headers={"Authorization": f"Bearer {ada.key}"}
        )
    assert other.status_code == 403 and other.json()["error"]["message"] == "Access denied"
    assert listed.status_code == 403
    assert own.status_code == 200 and by_admin.status_code == 200
