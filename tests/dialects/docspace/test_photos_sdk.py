"""Every photo endpoint driven through docspace-api-sdk itself, against the live server."""

from __future__ import annotations

import docspace_api_sdk as ds
import httpx
import pytest
from docspace_api_sdk.exceptions import NotFoundException

from tests.dialects.docspace.conftest import Person, SdkClient
from tests.dialects.docspace.servers import OriginServer, body
from tests.images import (
    BLUE,
    GREEN,
    RED,
    WHITE,
    close,
    decode,
    encode,
    quadrant_samples,
    quadrants,
    solid,
)
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services

SIZE_KEYS = ("retina", "max", "big", "medium", "small")


def _png(size: tuple[int, int] = (400, 400)) -> bytes:
    return encode(quadrants(*size), "PNG")


def _fetch(base_url: str, person: Person, url: str, **headers: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {person.key}", **headers}
    return httpx.get(base_url + url, headers=headers)


def test_a_user_without_a_photo_gets_the_default_urls(sdk: SdkClient, ben: Person) -> None:
    result = ds.PhotosApi(sdk(ben.key)).get_member_photo(str(ben.user.uuid))
    data = result.response
    assert result.status_code == 200 and result.status == 0 and result.count == 1
    assert data.original.startswith("/static/images/default_user_photo_size_200-200.png?hash=")
    assert data.small.startswith("/static/images/default_user_photo_size_32-32.png?hash=")
    assert data.retina.startswith("/static/images/default_user_photo_size_360-360.png?hash=")


def test_upload_with_autosave_makes_the_photo_live(
    sdk: SdkClient, ben: Person, base_url: str
) -> None:
    photos = ds.PhotosApi(sdk(ben.key))
    uid = str(ben.user.uuid)
    result = photos.upload_member_photo(uid, file=("me.png", _png()), autosave=True)
    assert result.response.success is True
    data = result.response.data
    assert set(data) == {"main", "retina", "max", "big", "medium", "small"}
    assert data["main"].startswith(f"/storage/userPhotos/root/{uid}_orig_400-400.")
    assert data["big"].startswith(f"/storage/userPhotos/root/{uid}_size_82-82.")
    current = photos.get_member_photo(uid).response
    assert current.original == data["main"] and current.small == data["small"]
    served = _fetch(base_url, ben, current.max)
    assert served.status_code == 200
    assert decode(served.content).size == (200, 200)


def test_upload_without_autosave_stages_until_thumbnails_crop(
    sdk: SdkClient, ben: Person, base_url: str
) -> None:
    photos = ds.PhotosApi(sdk(ben.key))
    uid = str(ben.user.uuid)
    staged = photos.upload_member_photo(uid, file=("me.png", _png((400, 400))), autosave=False)
    temp_url = staged.response.data
    assert isinstance(temp_url, str) and temp_url.startswith("/storage/userPhotos/temp/")
    assert photos.get_member_photo(uid).response.original.startswith("/static/images/")
    assert _fetch(base_url, ben, temp_url).status_code == 200
    # The top-right quadrant, green, is what the crop keeps.
    request = ds.ThumbnailsRequest(tmp_file=temp_url, x=200, y=0, width=200, height=200)
    live = photos.create_member_photo_thumbnails(uid, request).response
    assert live.max.startswith(f"/storage/userPhotos/root/{uid}_size_200-200.")
    cropped = decode(_fetch(base_url, ben, live.max).content).convert("RGB")
    assert cropped.size == (200, 200)
    for point in ((10, 10), (100, 100), (190, 190)):
        assert close(cropped.getpixel(point), GREEN)
    assert _fetch(base_url, ben, temp_url).status_code == 404


def test_thumbnails_without_tmpfile_recrops_the_current_photo(
    sdk: SdkClient, ben: Person, base_url: str
) -> None:
    photos = ds.PhotosApi(sdk(ben.key))
    uid = str(ben.user.uuid)
    photos.upload_member_photo(uid, file=("me.png", _png()), autosave=True)
    request = ds.ThumbnailsRequest(x=0, y=200, width=200, height=200)
    live = photos.create_member_photo_thumbnails(uid, request).response
    cropped = decode(_fetch(base_url, ben, live.medium).content).convert("RGB")
    assert close(cropped.getpixel((24, 24)), BLUE)
    whole = photos.create_member_photo_thumbnails(uid, ds.ThumbnailsRequest(width=0, height=0))
    samples = quadrant_samples(decode(_fetch(base_url, ben, whole.response.max).content))
    assert all(close(s, c) for s, c in zip(samples, (RED, GREEN, BLUE, WHITE), strict=True))


def test_thumbnails_with_an_unknown_tmpfile_is_not_found(sdk: SdkClient, ben: Person) -> None:
    request = ds.ThumbnailsRequest(tmp_file="/storage/userPhotos/temp/" + "0" * 32 + ".png")
    with pytest.raises(NotFoundException):
        ds.PhotosApi(sdk(ben.key)).create_member_photo_thumbnails(str(ben.user.uuid), request)


def test_put_fetches_the_photo_from_a_url(
    sdk: SdkClient, ben: Person, origin: OriginServer, services: Services
) -> None:
    origin.replies["/a.png"] = body(encode(solid((300, 300), RED), "PNG"))
    photos = ds.PhotosApi(sdk(ben.key))
    request = ds.UpdatePhotoMemberRequest(files=origin.url + "/a.png")
    result = photos.update_member_photo(str(ben.user.uuid), request).response
    assert result.original.startswith(f"/storage/userPhotos/root/{ben.user.uuid}_orig_300-300.")
    assert services.photos.current(PhotoOwner.user(ben.user.number)) is not None


def test_delete_returns_the_defaults_and_is_idempotent(
    sdk: SdkClient, ben: Person, services: Services
) -> None:
    photos = ds.PhotosApi(sdk(ben.key))
    uid = str(ben.user.uuid)
    photos.upload_member_photo(uid, file=("me.png", _png()), autosave=True)
    first = photos.delete_member_photo(uid).response
    second = photos.delete_member_photo(uid).response
    assert first.max.startswith("/static/images/default_user_photo_size_200-200.png?hash=")
    assert first == second
    assert services.photos.current(PhotoOwner.user(ben.user.number)) is None


def test_user_names_and_numbers_name_users_too(sdk: SdkClient, ben: Person) -> None:
    photos = ds.PhotosApi(sdk(ben.key))
    by_name = photos.get_member_photo("ben").response
    by_number = photos.get_member_photo("10001").response
    assert by_name == by_number == photos.get_member_photo(str(ben.user.uuid)).response
    with pytest.raises(NotFoundException):
        photos.get_member_photo("nobody-here")


def test_raw_bytes_without_autosave_are_staged(sdk: SdkClient, ben: Person) -> None:
    """The SDK names raw bytes `File`, as application/octet-stream, and leaves Autosave out."""
    result = ds.PhotosApi(sdk(ben.key)).upload_member_photo(str(ben.user.uuid), file=_png())
    assert result.response.success is True
    assert result.response.data.startswith("/storage/userPhotos/temp/")
