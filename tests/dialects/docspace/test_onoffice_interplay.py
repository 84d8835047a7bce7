"""One directory behind every dialect: a DocSpace upload is what onOffice reads next, and
only the photo's own hash and ETags move."""

from __future__ import annotations

import time

import docspace_api_sdk as ds
import httpx
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.dialects.docspace.conftest import Person, SdkClient
from tests.dialects.onoffice.support import OnOfficeClient
from tests.images import BLUE, RED, encode, solid
from userphoto.core.model import PhotoOwner, Right
from userphoto.core.services import Services


def _onoffice_photo(app: Starlette, services: Services, number: int) -> str:
    credentials = services.api_users.create("crm", number, [Right.READ_USER_DATA])
    # Without `with`: the app's shutdown would close the services the test still uses.
    client = OnOfficeClient(TestClient(app), credentials.token, credentials.secret)
    action = client.action("userphoto", resourceid=number, timestamp=int(time.time()))
    (record,) = client.records(action)
    return record["elements"]["photo"]


def _etag(base_url: str, person: Person, url: str) -> str:
    headers = {"Authorization": f"Bearer {person.key}"}
    return httpx.get(base_url + url, headers=headers).headers["etag"]


def test_a_docspace_upload_changes_the_onoffice_read_and_the_validators(
    app: Starlette, sdk: SdkClient, base_url: str, ben: Person, cleo: Person, services: Services
) -> None:
    services.photos.set_photo(PhotoOwner.user(ben.user.number), encode(solid((99, 99), RED), "PNG"))
    photos = ds.PhotosApi(sdk(ben.key))
    uid = str(ben.user.uuid)
    before = photos.get_member_photo(uid).response
    cleo_before = photos.get_member_photo(str(cleo.user.uuid)).response
    record_before = ds.ProfilesApi(sdk(ben.key)).get_self_profile().response
    onoffice_before = _onoffice_photo(app, services, ben.user.number)
    etags_before = {key: _etag(base_url, ben, getattr(before, key)) for key in ("original", "max")}

    upload = ("blue.png", encode(solid((99, 99), BLUE), "PNG"))
    assert photos.upload_member_photo(uid, file=upload, autosave=True).response.success
    after = photos.get_member_photo(uid).response
    record_after = ds.ProfilesApi(sdk(ben.key)).get_self_profile().response

    assert _onoffice_photo(app, services, ben.user.number) != onoffice_before
    assert after.max.split("?hash=")[1] != before.max.split("?hash=")[1]
    for key, etag in etags_before.items():
        assert _etag(base_url, ben, getattr(after, key)) != etag
    assert photos.get_member_photo(str(cleo.user.uuid)).response == cleo_before
    avatar_fields = {"avatar", "avatar_original", "avatar_max", "avatar_medium", "avatar_small"}
    assert record_after.model_dump(exclude=avatar_fields) == record_before.model_dump(
        exclude=avatar_fields
    )
