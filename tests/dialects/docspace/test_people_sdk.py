"""The four people reads through docspace-api-sdk, and the raw list envelope."""

from __future__ import annotations

import docspace_api_sdk as ds
import httpx
import pytest
from docspace_api_sdk.exceptions import BadRequestException, NotFoundException

from tests.dialects.docspace.conftest import Person, SdkClient
from tests.images import RED, encode, solid


def test_self_profile_is_the_callers_full_record(sdk: SdkClient, ada: Person) -> None:
    me = ds.ProfilesApi(sdk(ada.key)).get_self_profile().response
    assert str(me.id) == str(ada.user.uuid)
    assert (me.first_name, me.last_name, me.user_name, me.email) == (
        "Ada",
        "Admin",
        "ada",
        "ada@example.com",
    )
    assert me.display_name == "Ada Admin" and me.is_admin is True and me.has_avatar is False
    assert me.theme == ds.DarkThemeSettingsType.SYSTEM
    assert me.registration_date.utc_time.year == 2024
    assert me.avatar.startswith("/static/images/default_user_photo_size_82-82.png?hash=")
    assert me.profile_url == "http://testserver/accounts/people/filter?search=ada%40example.com"


def test_profile_by_id_and_user_name(sdk: SdkClient, ada: Person, ben: Person) -> None:
    profiles = ds.ProfilesApi(sdk(ada.key))
    by_uuid = profiles.get_profile_by_user_id(str(ben.user.uuid)).response
    by_name = profiles.get_profile_by_user_id("ben").response
    assert by_uuid == by_name
    assert by_uuid.contacts[0].value == "+49 30 1234" and by_uuid.is_admin is False
    with pytest.raises(NotFoundException):
        profiles.get_profile_by_user_id("nobody")


def test_profile_by_email(sdk: SdkClient, ada: Person, ben: Person) -> None:
    profiles = ds.ProfilesApi(sdk(ada.key))
    assert profiles.get_profile_by_email(email="BEN@example.com").response.user_name == "ben"
    with pytest.raises(NotFoundException):
        profiles.get_profile_by_email(email="nobody@example.com")
    with pytest.raises(BadRequestException):
        profiles.get_profile_by_email()


def test_list_pages_through_active_users(
    sdk: SdkClient, people: tuple[Person, ...], base_url: str
) -> None:
    profiles = ds.ProfilesApi(sdk(people[0].key))
    page = profiles.get_all_profiles(count=2, start_index=1)
    assert [p.user_name for p in page.response] == ["ben", "cleo"]
    assert page.count == 2
    raw = httpx.get(
        base_url + "/api/2.0/people?count=1",
        headers={"Authorization": f"Bearer {people[0].key}"},
    ).json()
    assert list(raw) == ["response", "count", "total", "links", "status", "statusCode"]
    assert (raw["count"], raw["total"]) == (1, 3)


def test_records_carry_the_same_photo_as_the_photo_endpoint(sdk: SdkClient, ben: Person) -> None:
    client = sdk(ben.key)
    photos = ds.PhotosApi(client)
    photos.upload_member_photo(
        str(ben.user.uuid), file=("me.png", encode(solid((90, 90), RED), "PNG")), autosave=True
    )
    thumbnails = photos.get_member_photo(str(ben.user.uuid)).response
    me = ds.ProfilesApi(client).get_self_profile().response
    assert me.has_avatar is True
    assert (me.avatar_original, me.avatar_max, me.avatar, me.avatar_medium, me.avatar_small) == (
        thumbnails.original,
        thumbnails.max,
        thumbnails.big,
        thumbnails.medium,
        thumbnails.small,
    )


def test_list_count_outside_1_to_100_is_a_validation_error(base_url: str, ada: Person) -> None:
    answer = httpx.get(
        base_url + "/api/2.0/people?count=101", headers={"Authorization": f"Bearer {ada.key}"}
    )
    assert answer.status_code == 400
    assert answer.json()["status"] == 1 and answer.json()["response"]["status"] == 400
